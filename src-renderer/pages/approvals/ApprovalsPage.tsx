import { CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Empty, Flex, Form, Input, Popconfirm, Select, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { dayRangeFilter, filterKey, PAGING_DEFAULTS, pagingInput, textFilter } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useUrlQuery } from '../../app/use-url-query';
import { DateRangeFilter, type DayRange } from '../../components/DateRangeFilter';
import { FilterForm } from '../../components/FilterForm';
import { Money } from '../../components/Money';
import { PagedListTable } from '../../components/PagedListTable';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import {
  announceApprovalsChanged,
  APPROVAL_STATUS_COLORS,
  APPROVAL_STATUS_LABELS,
  BUSINESS_TYPE_LABELS,
  BUSINESS_TYPES,
  SCOPE_LABELS,
  type ApprovalListItem,
  type ApprovalScope,
  type ApprovalStatus,
} from './approval-labels';
import { ApprovalRulesEditor } from './ApprovalRulesEditor';

const FILTERS = { type: '', status: '', min: '', max: '', keyword: '', from: '', to: '' };
const DEFAULTS = { tab: 'todo', ...FILTERS, ...PAGING_DEFAULTS };
type Query = typeof DEFAULTS;

const isScope = (t: string): t is ApprovalScope => t === 'todo' || t === 'mine' || t === 'all';
/** A yuan amount as typed in a filter, if it reads as one ("5000", "5,000.00"). */
const amountFilter = (s: string) => {
  const t = s.replace(/[,，\s¥]/g, '');
  return /^\d{1,11}(\.\d{1,2})?$/.test(t) ? t : undefined;
};

/**
 * 审批中心 (issue 5): what waits for my decision (the count in the navigation), what I asked for,
 * everything; each request opens its own page with the underlying business, the levels and the
 * history. Small refunds whose rule allows it are approved several at a time; the rules
 * themselves are the last tab (edited by whoever holds 配置审批规则).
 */
export function ApprovalsPage() {
  const [query, setQuery] = useUrlQuery(DEFAULTS);
  const tab = isScope(query.tab) || query.tab === 'rules' ? query.tab : 'todo';
  const todo = useChannel('approvals.pendingCount', {});
  // The navigation's count was read at log-in and is polled: opening the 审批中心 brings it up to date with the tab's.
  useEffect(() => void announceApprovalsChanged(), []);
  return (
    <>
      <PageTitle title="审批中心" sub="退款、供应商付款、批量付款的多级审批；申请人不能审批自己的申请，同一人只能审批一级" />
      <Tabs
        activeKey={tab}
        onChange={(k) => setQuery({ ...FILTERS, tab: k, page: 1 })}
        data-testid="approval-tabs"
        items={[
          ...(['todo', 'mine', 'all'] as const).map((scope) => ({
            key: scope,
            label: scope === 'todo' && todo.data ? `${SCOPE_LABELS[scope]}（${todo.data.count}）` : SCOPE_LABELS[scope],
            children: tab === scope ? <ApprovalList scope={scope} query={query} setQuery={setQuery} onDecided={todo.reload} /> : null,
          })),
          { key: 'rules', label: '审批规则', children: tab === 'rules' ? <ApprovalRulesEditor /> : null },
        ]}
      />
    </>
  );
}

interface FilterFields {
  type: string;
  status: string;
  min: string;
  max: string;
  keyword: string;
  period: DayRange | null;
}

function ApprovalList({ scope, query, setQuery, onDecided }: { scope: ApprovalScope; query: Query; setQuery: (q: Partial<Query>) => void; onDecided: () => void }) {
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const report = useReportError();
  const range = dayRangeFilter(query);
  const input = {
    scope,
    businessType: BUSINESS_TYPES.find((t) => t === query.type),
    status: (Object.keys(APPROVAL_STATUS_LABELS) as ApprovalStatus[]).find((s) => s === query.status),
    minAmount: amountFilter(query.min),
    maxAmount: amountFilter(query.max),
    keyword: textFilter(query.keyword),
    createdFrom: range?.start,
    createdTo: range?.end,
    ...pagingInput(query),
  };
  const list = useChannel('approvals.list', input);
  const [selected, setSelected] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];
  const bulkable = (r: ApprovalListItem) => r.canDecide && r.bulkApprovable;
  const chosen = items.filter((r) => selected.includes(r.id) && bulkable(r));
  const canBulk = scope === 'todo' && (can('approval:refund') || can('approval:supplier_payment') || can('approval:payout_batch'));

  const bulkApprove = async () => {
    setBusy(true);
    try {
      const results = await call('approvals.bulkApprove', { items: chosen.map((r) => ({ id: r.id, level: r.currentLevel ?? 1 })) });
      const failed = results.filter((r) => !r.ok);
      const done = results.length - failed.length;
      if (failed.length === 0) void message.success(`已同意 ${done} 笔申请`);
      else
        modal.warning({
          title: `已同意 ${done} 笔，${failed.length} 笔未处理`,
          content: (
            <ul style={{ paddingInlineStart: 18, margin: 0 }} data-testid="bulk-failures">
              {failed.map((r) => (
                <li key={r.id}>{!r.ok ? r.message : ''}</li>
              ))}
            </ul>
          ),
        });
      setSelected([]);
      list.reload();
      onDecided();
      announceApprovalsChanged();
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <FilterForm<FilterFields>
        key={filterKey(query, FILTERS)}
        name={`approval-filter-${scope}`}
        data-testid="approval-filters"
        initialValues={{ type: query.type, status: query.status, min: query.min, max: query.max, keyword: query.keyword, period: query.from && query.to ? { from: query.from, to: query.to } : null }}
        empty={{ type: '', status: '', min: '', max: '', keyword: '', period: null }}
        onApply={(f) =>
          setQuery({ type: f.type ?? '', status: f.status ?? '', min: (f.min ?? '').trim(), max: (f.max ?? '').trim(), keyword: (f.keyword ?? '').trim(), from: f.period?.from ?? '', to: f.period?.to ?? '', page: 1 })
        }
      >
        <Form.Item label="业务类型" name="type">
          <Select style={{ width: 130 }} options={[{ value: '', label: '全部' }, ...BUSINESS_TYPES.map((t) => ({ value: t, label: BUSINESS_TYPE_LABELS[t] }))]} />
        </Form.Item>
        {scope === 'todo' ? null : (
          <Form.Item label="状态" name="status">
            <Select style={{ width: 110 }} options={[{ value: '', label: '全部' }, ...Object.entries(APPROVAL_STATUS_LABELS).map(([value, label]) => ({ value, label }))]} />
          </Form.Item>
        )}
        <Form.Item label="金额" style={{ marginInlineEnd: 4 }}>
          <Flex align="center" gap={4}>
            <Form.Item name="min" noStyle rules={[{ validator: (_, v: string) => (!v?.trim() || amountFilter(v) ? Promise.resolve() : Promise.reject(new Error('金额格式不正确'))) }]}>
              <Input placeholder="最小（元）" allowClear style={{ width: 110 }} />
            </Form.Item>
            <span>–</span>
            <Form.Item name="max" noStyle rules={[{ validator: (_, v: string) => (!v?.trim() || amountFilter(v) ? Promise.resolve() : Promise.reject(new Error('金额格式不正确'))) }]}>
              <Input placeholder="最大（元）" allowClear style={{ width: 110 }} />
            </Form.Item>
          </Flex>
        </Form.Item>
        <Form.Item label="申请日期" name="period">
          <DateRangeFilter />
        </Form.Item>
        <Form.Item label="单号/摘要" name="keyword">
          <Input allowClear placeholder="业务单号或摘要" style={{ width: 170 }} />
        </Form.Item>
      </FilterForm>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">
          {scope === 'todo' ? '轮到您审批的申请；勾选规则允许批量审批的申请可一次同意多笔' : scope === 'mine' ? '您提交的申请，审批中的可以撤回' : '全部审批申请'}
        </Typography.Text>
        <Flex gap={8}>
          {canBulk ? (
            <Popconfirm
              title={`同意选中的 ${chosen.length} 笔申请？`}
              description="每笔申请单独处理，未能处理的会列出原因。"
              okText="同意"
              cancelText="取消"
              disabled={chosen.length === 0}
              onConfirm={() => void bulkApprove()}
            >
              <Button type="primary" icon={<CheckOutlined />} disabled={chosen.length === 0} loading={busy} data-testid="bulk-approve">
                批量同意{chosen.length ? `（${chosen.length}）` : ''}
              </Button>
            </Popconfirm>
          ) : null}
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </Flex>
      </Flex>
      <PagedListTable<ApprovalListItem>
        data-testid="approvals-table"
        list={list}
        input={input}
        setQuery={setQuery}
        // Fits the content area of a 1280-pixel window beside the navigation; narrower windows scroll.
        scroll={{ x: 1000 }}
        locale={{ emptyText: <EmptyList scope={scope} filtered={hasFilters(query)} /> }}
        rowSelection={
          canBulk
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(Number)),
                getCheckboxProps: (r) => ({ disabled: !bulkable(r), title: bulkable(r) ? undefined : '按审批规则不能批量审批，请打开逐笔审批' }),
              }
            : undefined
        }
        columns={[
          { title: '申请时间', dataIndex: 'createdAt', width: 150, render: (t: number) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(t)}</span> },
          { title: '业务类型', dataIndex: 'businessType', width: 96, render: (t: ApprovalListItem['businessType']) => BUSINESS_TYPE_LABELS[t] },
          {
            title: '摘要',
            dataIndex: 'title',
            render: (_: string, r) => {
              const title = r.summary?.title ?? r.title;
              return (
                <Flex vertical>
                  <Link to={`/approvals/${r.id}`} data-testid={`approval-link-${r.id}`}>
                    {title}
                  </Link>
                  {/* The business number once: most titles already name it (付款单 S…). */}
                  {title.includes(r.subjectId) ? null : (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.subjectId}
                    </Typography.Text>
                  )}
                </Flex>
              );
            },
          },
          { title: '金额', dataIndex: 'amountFen', width: 124, align: 'right', render: (f: number) => <Money fen={f} strong /> },
          { title: '申请人', dataIndex: 'requesterName', width: 90, ellipsis: true },
          {
            title: '进度',
            key: 'progress',
            width: 150,
            render: (_: unknown, r) =>
              r.status === 'pending' ? (
                <Flex vertical>
                  <span>
                    第 {r.currentLevel}/{r.levels.length} 级
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    待<Typography.Text strong>{r.currentRoleName}</Typography.Text>审批
                  </Typography.Text>
                </Flex>
              ) : (
                <Flex vertical>
                  <span>共 {r.levels.length} 级</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                    {r.decidedAt ? `${formatTime(r.decidedAt)} 结束` : '—'}
                  </Typography.Text>
                </Flex>
              ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 80,
            render: (s: ApprovalStatus) => (
              <Tag color={APPROVAL_STATUS_COLORS[s]} data-status={s}>
                {APPROVAL_STATUS_LABELS[s]}
              </Tag>
            ),
          },
          {
            title: '操作',
            key: 'open',
            width: 64,
            fixed: 'right',
            render: (_: unknown, r) => <Link to={`/approvals/${r.id}`}>{r.canDecide ? '审批' : '查看'}</Link>,
          },
        ]}
      />
    </>
  );
}

const hasFilters = (q: Query) => Object.keys(FILTERS).some((k) => q[k as keyof typeof FILTERS] !== '');

/** What an empty list means and what to do next, in the tab's own terms. */
function EmptyList({ scope, filtered }: { scope: ApprovalScope; filtered: boolean }) {
  if (filtered) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的审批申请，请调整或重置筛选条件" />;
  const text =
    scope === 'todo'
      ? '暂无待您审批的申请。退款、供应商付款、批量付款提交后，轮到您所在角色审批时会出现在这里。'
      : scope === 'mine'
        ? '您还没有提交过审批申请。'
        : '暂无审批申请。';
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;
}
