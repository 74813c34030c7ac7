import { ReloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { LoadError } from '../../components/LoadError';
import { PageTitle } from '../../components/PageTitle';
import { shanghaiDayRange } from '../../components/time-format';
import { AuditFilters } from './AuditFilters';
import { useAuditVerification } from './use-audit-verification';

const DEFAULTS = { from: '', to: '', actorId: 0, action: '', entityId: '', page: 1, pageSize: 20 };

/** 审计日志: who changed what and when, newest first; the chain can be verified from here. */
export function AuditPage() {
  const { can } = useAuth();
  const [query, setQuery] = useUrlQuery(DEFAULTS);
  const range = query.from && query.to ? shanghaiDayRange(query.from, query.to) : null;
  const list = useChannel('audit.list', {
    from: range?.start,
    to: range?.end,
    actorId: query.actorId > 0 ? Math.trunc(query.actorId) : undefined,
    action: query.action || undefined,
    entityId: query.entityId || undefined,
    page: Math.max(1, Math.trunc(query.page)),
    pageSize: [20, 50, 100].includes(query.pageSize) ? query.pageSize : 20,
  });
  const verification = useAuditVerification();
  const filterKey = JSON.stringify([query.from, query.to, query.actorId, query.action, query.entityId]);

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
      <AuditFilters key={filterKey} value={query} onSearch={(f) => setQuery({ ...f, page: 1 })} />
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      {list.error?.code === 'FORBIDDEN' ? null : (
        <AuditEntriesTable
          data-testid="audit-table"
          entries={list.data?.items ?? []}
          loading={list.loading}
          pagination={{
            current: list.data?.page ?? query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (total) => `共 ${total} 条`,
            onChange: (page, pageSize) => setQuery({ page: pageSize === query.pageSize ? page : 1, pageSize }),
          }}
        />
      )}
    </>
  );
}
