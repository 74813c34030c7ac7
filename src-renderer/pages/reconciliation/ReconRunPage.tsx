import { ArrowLeftOutlined, FileExcelOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Flex, Input, Row, Select, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { ChannelInput } from '../../../src-main/api/contract';
import { useAuth, useSession } from '../../app/auth-context';
import { codesFilter, pagingInput, sortingInput, textFilter } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useUrlQuery } from '../../app/use-url-query';
import { labelOf, optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { columnSortOrder, sortedListTableProps } from '../../components/paged-table';
import { PageTitle } from '../../components/PageTitle';
import { formatFen } from '../../components/money-format';
import { DiffBulkBar, type DiffFilterInput, type DiffSelection } from './DiffBulkBar';
import { DiffDrawer } from './DiffDrawer';
import { OfflineIndicator } from './OfflineIndicator';
import {
  DIFF_SORT_FIELDS,
  DIFF_STATUS_COLORS,
  DIFF_TYPE_COLORS,
  DIFF_TYPE_SHORT,
  mono,
  RUN_STATUS_COLORS,
  type DiffStatus,
  type DiffType,
  type ReconDiffRow,
  type ReconRunReport,
} from './recon-labels';
import { downloadReport, reportPath, runReportInput } from './report-files';
import './recon-workbench.css';

const QUERY_DEFAULTS = { types: [] as string[], statuses: [] as string[], assignee: '', search: '', sortBy: 'amount', sortOrder: 'desc', page: 1, pageSize: 50 };
/** Rows of the table's own scroll area: a fixed height lets the virtual list render only what shows. */
const TABLE_HEIGHT = 'calc(100vh - 420px)';

/** The run's summary: what matched, each type of difference with its amount, fees and held records. */
function RunSummary({ run, onType }: { run: ReconRunReport; onType: (t: DiffType) => void }) {
  const types = Object.keys(run.differences) as DiffType[];
  return (
    <Flex vertical gap={12} style={{ marginBottom: 12 }} data-testid="recon-summary">
      <Row gutter={12}>
        <Col span={5}>
          <Card size="small">
            <Statistic title="账单笔数" value={run.bill.count} suffix={<Typography.Text type="secondary" style={{ fontSize: 12 }}>本地 {run.localCount} 笔</Typography.Text>} />
          </Card>
        </Col>
        <Col span={5}>
          <Card size="small">
            <Statistic title="已匹配" value={run.matched.count} suffix="笔" />
            <Money fen={run.matched.amountFen} />
          </Card>
        </Col>
        <Col span={5}>
          <Card size="small">
            <Statistic title="差异" value={run.differenceCount} suffix="笔" valueStyle={run.differenceCount ? { color: '#cf1322' } : undefined} />
            <Typography.Text type="secondary">{run.resolvedByRerun ? `重新对账后已一致 ${run.resolvedByRerun} 笔` : ' '}</Typography.Text>
          </Card>
        </Col>
        <Col span={5}>
          <Card size="small">
            <Statistic title="平台手续费" value={formatFen(run.bill.feeFen)} />
            <Typography.Text type="secondary">
              收款 <Money fen={run.bill.paidFen} /> · 退款 <Money fen={run.bill.refundedFen} />
            </Typography.Text>
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title="次日核对" value={run.held} suffix="笔" />
            <Typography.Text type="secondary">自前一日转入 {run.carried} 笔</Typography.Text>
          </Card>
        </Col>
      </Row>
      <Flex wrap gap={8}>
        {types.map((t) => (
          <Button key={t} size="small" disabled={run.differences[t].count === 0} onClick={() => onType(t)} data-type={t}>
            <Tag color={DIFF_TYPE_COLORS[t]} style={{ marginInlineEnd: 4 }}>
              {DIFF_TYPE_SHORT[t]}
            </Tag>
            {run.differences[t].count} 笔 · <Money fen={run.differences[t].amountFen} />
          </Button>
        ))}
      </Flex>
    </Flex>
  );
}

/**
 * 对账工作台 for one run: its summary and its differences, filtered, sorted, searched and paged by
 * the server; ↑/↓ move the highlight, Enter opens the side panel with both records, Space ticks the
 * row for a bulk action (DiffBulkBar); the run's report is exported to Excel or printed from here.
 */
export function ReconRunPage() {
  const { runId: runParam } = useParams();
  const runId = Number(runParam);
  const navigate = useNavigate();
  const v = useVocabulary();
  const session = useSession();
  const { can } = useAuth();
  const { message } = App.useApp();
  const reportError = useReportError();
  const mayResolve = can('recon:resolve');
  const [exporting, setExporting] = useState(false);
  const run = useChannel('recon.getRun', Number.isInteger(runId) && runId > 0 ? { runId } : null);
  const [query, setQuery] = useUrlQuery(QUERY_DEFAULTS);
  const [selected, setSelected] = useState<number | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const r = run.data?.report;

  const filter: DiffFilterInput = {
    ...(r && r.period !== 'daily' ? { channel: r.channel, dateFrom: r.date, dateTo: r.periodEnd } : { runId }),
    types: codesFilter(v.diffTypes, query.types),
    statuses: codesFilter(v.diffStatuses, query.statuses),
    assigneeId: query.assignee === 'me' ? session.user.id : undefined,
    search: textFilter(query.search),
  };
  const input: ChannelInput<'recon.listDiffs'> = { ...filter, ...sortingInput(query, DIFF_SORT_FIELDS), ...pagingInput(query) };
  const diffs = useChannel('recon.listDiffs', r ? input : null);
  const items = diffs.data?.items ?? [];
  // A selection belongs to the filter it was made under: another filter starts with none.
  const filterKey = JSON.stringify(filter);
  const [picked, setPicked] = useState<{ filterKey: string; selection: DiffSelection } | null>(null);
  const selection = picked?.filterKey === filterKey ? picked.selection : null;
  const select = (s: DiffSelection | null) => setPicked(s ? { filterKey, selection: s } : null);
  const tickedRows = selection?.mode === 'rows' ? selection.rows : new Map<number, number>();
  const toggle = (d: ReconDiffRow) => {
    if (selection?.mode === 'filter') return;
    const rows = new Map(tickedRows);
    if (rows.has(d.id)) rows.delete(d.id);
    else rows.set(d.id, d.version);
    select(rows.size ? { mode: 'rows', rows } : null);
  };

  const move = (delta: number) => {
    if (items.length === 0) return;
    const at = items.findIndex((d) => d.id === selected);
    const next = items[Math.min(items.length - 1, Math.max(0, at < 0 ? 0 : at + delta))]!;
    setSelected(next.id);
    tableRef.current?.querySelector(`[data-row-key="${next.id}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (openId !== null || (e.target as HTMLElement).closest('input, textarea, .ant-select')) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter' && selected !== null) {
      e.preventDefault();
      setOpenId(selected);
    } else if (e.key === ' ' && selected !== null && mayResolve) {
      e.preventDefault();
      const d = items.find((x) => x.id === selected);
      if (d) toggle(d);
    }
  };

  if (!Number.isInteger(runId) || runId < 1) return <Typography.Text type="danger">对账运行编号不正确</Typography.Text>;
  return (
    <>
      <PageTitle
        title={
          <Flex align="center" gap={8}>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/reconciliation')} aria-label="返回对账批次" />
            对账工作台
          </Flex>
        }
        sub={
          r ? (
            <span data-testid="recon-run-title">
              {labelOf(v.paymentMethods, r.channel)} · {r.period === 'daily' ? r.date : `${r.date} ~ ${r.periodEnd}`} {v.reconPeriods[r.period]}
              {r.fileName ? ` · ${r.fileName}` : ''} <Tag color={RUN_STATUS_COLORS[r.status]}>{v.reconRunStatuses[r.status]}</Tag>
            </span>
          ) : null
        }
        extra={
          <>
            <OfflineIndicator
              refreshKey={diffs.data}
              onReconnect={() => {
                run.reload();
                diffs.reload();
              }}
            />
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                run.reload();
                diffs.reload();
              }}
            >
              刷新
            </Button>
            {r?.status === 'done' ? (
              <>
                <Button
                  icon={<FileExcelOutlined />}
                  loading={exporting}
                  data-testid="export-report"
                  onClick={async () => {
                    setExporting(true);
                    try {
                      const f = await downloadReport(runReportInput(r));
                      void message.success(`已导出 ${f.fileName}（差异 ${f.differences} 条）`);
                    } catch (e) {
                      reportError(e);
                    } finally {
                      setExporting(false);
                    }
                  }}
                >
                  导出 Excel
                </Button>
                <Button icon={<PrinterOutlined />} onClick={() => navigate(reportPath(runReportInput(r)))} data-testid="print-report">
                  打印报表
                </Button>
              </>
            ) : null}
          </>
        }
      />
      {run.error ? <LoadError error={run.error} onRetry={run.reload} /> : null}
      {!r && run.loading ? <Skeleton active /> : null}
      {r?.error ? <Typography.Paragraph type="danger">对账失败：{r.error}</Typography.Paragraph> : null}
      {r ? <RunSummary run={r} onType={(t) => setQuery({ types: [t], page: 1 })} /> : null}
      {r ? (
        <>
          <Flex gap={8} wrap style={{ marginBottom: 8 }}>
            <Select
              mode="multiple"
              allowClear
              placeholder="差异类型"
              style={{ minWidth: 220 }}
              value={query.types}
              onChange={(t: string[]) => setQuery({ types: t, page: 1 })}
              options={Object.entries(DIFF_TYPE_SHORT).map(([value, label]) => ({ value, label }))}
              aria-label="差异类型"
              data-testid="diff-type-filter"
            />
            <Select
              mode="multiple"
              allowClear
              placeholder="处理状态"
              style={{ minWidth: 180 }}
              value={query.statuses}
              onChange={(s: string[]) => setQuery({ statuses: s, page: 1 })}
              options={optionsOf(v.diffStatuses)}
              aria-label="处理状态"
              data-testid="diff-status-filter"
            />
            <Select
              style={{ width: 130 }}
              value={query.assignee}
              onChange={(a: string) => setQuery({ assignee: a, page: 1 })}
              options={[
                { value: '', label: '全部处理人' },
                { value: 'me', label: '分配给我' },
              ]}
              aria-label="处理人"
            />
            <Input.Search
              allowClear
              style={{ width: 280 }}
              placeholder="订单号 / 退款单号 / 平台交易号"
              key={query.search}
              defaultValue={query.search}
              onSearch={(s) => setQuery({ search: s.trim(), page: 1 })}
              aria-label="搜索单号"
              data-testid="diff-search"
            />
            <Typography.Text type="secondary" style={{ alignSelf: 'center' }}>
              {mayResolve ? '↑/↓ 选择，空格勾选，Enter 打开详情' : '↑/↓ 选择，Enter 打开详情'}
            </Typography.Text>
          </Flex>
          {mayResolve ? (
            <DiffBulkBar
              selection={selection}
              pageRows={items.length}
              total={diffs.data?.total ?? 0}
              filter={filter}
              onSelect={select}
              onDone={() => {
                select(null);
                diffs.reload();
                run.reload();
              }}
            />
          ) : null}
          <div ref={tableRef} tabIndex={0} onKeyDown={onKeyDown} style={{ outline: 'none' }} data-testid="diff-table-wrap">
            <Table<ReconDiffRow>
              data-testid="diff-table"
              size="small"
              rowKey="id"
              virtual
              scroll={{ x: 1080, y: TABLE_HEIGHT }}
              locale={{ emptyText: diffs.data ? '没有符合条件的差异' : '加载中…' }}
              {...sortedListTableProps(diffs, input, DIFF_SORT_FIELDS, setQuery)}
              rowClassName={(d) => (d.id === selected ? 'diff-row-current' : '')}
              rowSelection={
                mayResolve
                  ? {
                      columnWidth: 40,
                      preserveSelectedRowKeys: true,
                      selectedRowKeys: selection?.mode === 'filter' ? items.map((d) => d.id) : [...tickedRows.keys()],
                      getCheckboxProps: () => ({ disabled: selection?.mode === 'filter' }),
                      onChange: (keys, rows) => {
                        const versions = new Map(rows.filter(Boolean).map((d) => [d.id, d.version]));
                        const next = new Map(keys.map((k) => [Number(k), versions.get(Number(k)) ?? tickedRows.get(Number(k)) ?? 1]));
                        select(next.size ? { mode: 'rows', rows: next } : null);
                      },
                    }
                  : undefined
              }
              onRow={(d) => ({
                onClick: (e) => {
                  // A click on the tick box ticks; anywhere else opens the side panel.
                  if ((e.target as HTMLElement).closest('.ant-table-selection-column')) return;
                  setSelected(d.id);
                  setOpenId(d.id);
                },
                style: { cursor: 'pointer' },
              })}
              columns={[
                {
                  title: '差异类型',
                  key: 'type',
                  dataIndex: 'type',
                  width: 130,
                  sorter: true,
                  sortOrder: columnSortOrder(input, 'type'),
                  render: (t: DiffType) => (
                    <Tag color={DIFF_TYPE_COLORS[t]} title={v.diffTypes[t]} data-type={t}>
                      {DIFF_TYPE_SHORT[t]}
                    </Tag>
                  ),
                },
                { title: '类别', dataIndex: 'kind', width: 60, render: (k: ReconDiffRow['kind']) => v.reconRecordKinds[k] },
                {
                  // A payment's key is its order number; a refund's is the refund number, its order shown under it.
                  title: '对账单号 / 订单号',
                  key: 'key',
                  dataIndex: 'key',
                  width: 250,
                  sorter: true,
                  sortOrder: columnSortOrder(input, 'key'),
                  render: (k: string, d) => (
                    <Flex vertical>
                      <span style={mono}>{k}</span>
                      {d.orderNo !== k ? (
                        <Typography.Text type="secondary" style={{ ...mono, fontSize: 12 }}>
                          订单 {d.orderNo}
                        </Typography.Text>
                      ) : null}
                    </Flex>
                  ),
                },
                { title: '本地金额', dataIndex: 'localAmountFen', width: 120, align: 'right', render: (f: number | null) => (f === null ? <Typography.Text type="secondary">—</Typography.Text> : <Money fen={f} />) },
                { title: '平台金额', dataIndex: 'platformAmountFen', width: 120, align: 'right', render: (f: number | null) => (f === null ? <Typography.Text type="secondary">—</Typography.Text> : <Money fen={f} />) },
                { title: '差异金额', key: 'amount', dataIndex: 'amountFen', width: 120, align: 'right', sorter: true, sortOrder: columnSortOrder(input, 'amount'), render: (f: number) => <Money fen={f} strong /> },
                {
                  title: '处理状态',
                  key: 'status',
                  dataIndex: 'status',
                  width: 96,
                  sorter: true,
                  sortOrder: columnSortOrder(input, 'status'),
                  render: (s: DiffStatus) => <Tag color={DIFF_STATUS_COLORS[s]}>{v.diffStatuses[s]}</Tag>,
                },
                { title: '处理人', dataIndex: 'assigneeName', width: 90, render: (n: string | null) => n ?? <Typography.Text type="secondary">未分配</Typography.Text> },
                { title: '账单日', key: 'billDate', dataIndex: 'billDate', width: 110, sorter: true, sortOrder: columnSortOrder(input, 'billDate') },
              ]}
            />
          </div>
        </>
      ) : null}
      <DiffDrawer
        diffId={openId}
        onClose={() => {
          setOpenId(null);
          tableRef.current?.focus();
        }}
        onChanged={() => {
          diffs.reload();
          run.reload();
        }}
      />
    </>
  );
}
