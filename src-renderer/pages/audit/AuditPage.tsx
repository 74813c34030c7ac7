import { ReloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useAuth } from '../../app/auth-context';
import { dayRangeFilter, filterKey, PAGING_DEFAULTS, pagingInput } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { LoadError } from '../../components/LoadError';
import { pagedListPagination } from '../../components/paged-table';
import { PageTitle } from '../../components/PageTitle';
import { AuditFilters } from './AuditFilters';
import { useAuditVerification } from './use-audit-verification';

const FILTERS = { from: '', to: '', actorId: 0, action: '', entityId: '' };
const DEFAULTS = { ...FILTERS, ...PAGING_DEFAULTS };

/** 审计日志: who changed what and when, newest first; the chain can be verified from here. */
export function AuditPage() {
  const { can } = useAuth();
  const [query, setQuery] = useUrlQuery(DEFAULTS);
  const range = dayRangeFilter(query);
  const list = useChannel('audit.list', {
    from: range?.start,
    to: range?.end,
    actorId: query.actorId > 0 ? Math.trunc(query.actorId) : undefined,
    action: query.action || undefined,
    entityId: query.entityId || undefined,
    ...pagingInput(query),
  });
  const verification = useAuditVerification();

  return (
    <>
      <PageTitle
        title="审计日志"
        sub="点击一行查看变更明细"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
            {can('audit:verify') ? verification.button : null}
          </>
        }
      />
      {verification.result}
      <AuditFilters key={filterKey(query, FILTERS)} value={query} onSearch={(f) => setQuery({ ...f, page: 1 })} />
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      {list.error?.code === 'FORBIDDEN' ? null : (
        <AuditEntriesTable
          data-testid="audit-table"
          entries={list.data?.items ?? []}
          loading={list.loading}
          pagination={pagedListPagination(list.data, query, setQuery)}
        />
      )}
    </>
  );
}
