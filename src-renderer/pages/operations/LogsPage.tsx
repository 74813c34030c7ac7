import { ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Segmented, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../../app/auth-context';
import { dayRangeFilter, filterKey, PAGING_DEFAULTS, pagingInput, textFilter } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { PagedListTable } from '../../components/PagedListTable';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { LogFilters } from './LogFilters';
import { LOG_CATEGORY_LABELS, LOG_LEVEL_COLORS, LOG_LEVEL_LABELS, mono, type LogCategory, type LogEntry, type LogLevel } from './operations-labels';

const FILTERS = { from: '', to: '', categories: [] as string[], orderNo: '', keyword: '' };
const DEFAULTS = { ...FILTERS, level: '', ...PAGING_DEFAULTS };
const LEVELS = Object.keys(LOG_LEVEL_LABELS) as LogLevel[];

/**
 * 系统日志 (design document 7.2): operation, payment and error logs by time, level, order number
 * and keyword, newest first; the level tabs show how many entries each level has under the other
 * filters. Secrets and card numbers were removed before the lines were written.
 */
export function LogsPage() {
  const { can } = useAuth();
  const [query, setQuery] = useUrlQuery(DEFAULTS);
  const range = dayRangeFilter(query);
  const filter = {
    from: range?.start,
    to: range?.end,
    categories: query.categories.filter((c): c is LogCategory => Object.hasOwn(LOG_CATEGORY_LABELS, c)),
    orderNo: textFilter(query.orderNo),
    keyword: textFilter(query.keyword),
  };
  const level = LEVELS.find((l) => l === query.level);
  const list = useChannel('logs.query', { ...filter, levels: level ? [level] : undefined, ...pagingInput(query) });
  const counts = useChannel('logs.counts', filter);
  const all = Object.values(counts.data ?? {}).reduce((s, n) => s + n, 0);
  const reload = () => {
    list.reload();
    counts.reload();
  };

  return (
    <>
      <PageTitle
        title="系统日志"
        sub="操作日志、支付日志与错误日志；密钥与卡号已在写入前脱敏"
        extra={
          <Button icon={<ReloadOutlined />} onClick={reload}>
            刷新
          </Button>
        }
      />
      <LogFilters key={filterKey(query, FILTERS)} value={query} onSearch={(f) => setQuery({ ...f, page: 1 })} />
      <Segmented
        data-testid="log-levels"
        style={{ marginBottom: 12 }}
        value={level ?? ''}
        onChange={(v) => setQuery({ level: String(v), page: 1 })}
        options={[
          { value: '', label: <LevelCount label="全部" n={all} /> },
          ...LEVELS.map((l) => ({ value: l, label: <LevelCount label={LOG_LEVEL_LABELS[l]} n={counts.data?.[l] ?? 0} color={l === 'error' ? 'red' : l === 'warn' ? 'orange' : undefined} /> })),
        ]}
      />
      <PagedListTable<LogEntry>
        data-testid="logs-table"
        list={list}
        input={query}
        setQuery={setQuery}
        onRetry={reload}
        scroll={{ x: 1100 }}
        locale={{ emptyText: '没有符合条件的日志' }}
        expandable={{
          rowExpandable: (e) => Object.keys(e.fields ?? {}).length > 0,
          expandedRowRender: (e) => <pre style={{ ...mono, fontSize: 12, margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(e.fields, null, 2)}</pre>,
        }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 156, render: (t: number) => formatTime(t) },
          { title: '级别', dataIndex: 'level', width: 70, render: (l: LogLevel) => <Tag color={LOG_LEVEL_COLORS[l]}>{LOG_LEVEL_LABELS[l] ?? l}</Tag> },
          { title: '类别', dataIndex: 'category', width: 90, render: (c: LogCategory) => LOG_CATEGORY_LABELS[c] ?? c },
          { title: '事件', dataIndex: 'event', width: 150, render: (e: string) => <span style={{ ...mono, fontSize: 12 }}>{e}</span> },
          {
            title: '订单号',
            dataIndex: 'orderNo',
            width: 200,
            render: (no: string | null) =>
              !no ? '—' : can('order:view') && /^P\d{20}$/.test(no) ? <Link to={`/orders/${no}`} style={mono}>{no}</Link> : <span style={mono}>{no}</span>,
          },
          { title: '内容', dataIndex: 'message', render: (m: string) => <Typography.Text>{m}</Typography.Text> },
        ]}
      />
    </>
  );
}

function LevelCount({ label, n, color }: { label: string; n: number; color?: string }) {
  return (
    <span>
      {label} <Badge count={n} overflowCount={99999} showZero color={n ? color ?? '#8c8c8c' : '#d9d9d9'} size="small" />
    </span>
  );
}
