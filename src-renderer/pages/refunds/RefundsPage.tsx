import { ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { PaymentMethod, Refund, RefundState } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { codesFilter, filterKey, PAGING_DEFAULTS, pagingInput, textFilter } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { useVocabulary } from '../../app/vocabulary-context';
import { FilterForm } from '../../components/FilterForm';
import { Money } from '../../components/Money';
import { PagedListTable } from '../../components/PagedListTable';
import { PageTitle } from '../../components/PageTitle';
import { RefundStatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time-format';
import { RefundDrawer } from './RefundDrawer';

const FILTERS = { refundNo: '', orderNo: '', states: [] as string[], platforms: [] as string[] };
const DEFAULTS = { ...FILTERS, detail: '', ...PAGING_DEFAULTS };
type Filters = typeof FILTERS;

/**
 * 退款管理 (design document 4.4): every refund by number, order, state and channel, with its amount,
 * state and expected arrival; a row opens its detail (platform fields, approval, history, actions).
 */
export function RefundsPage() {
  const v = useVocabulary();
  const { can } = useAuth();
  const [query, setQuery] = useUrlQuery(DEFAULTS);
  const input = {
    refundNo: textFilter(query.refundNo),
    orderNo: textFilter(query.orderNo),
    states: codesFilter(v.refundStates, query.states),
    platforms: codesFilter(v.paymentMethods, query.platforms),
    ...pagingInput(query),
  };
  const list = useChannel('refunds.list', input);
  const open = (refundNo: string) => setQuery({ detail: refundNo });

  return (
    <>
      <PageTitle
        title="退款管理"
        sub="退款申请经审批后由系统发送至支付平台；结果未知时先查询再重发，同一退款单号不会重复退款"
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        }
      />
      <FilterForm<Filters>
        key={filterKey(query, FILTERS)}
        name="refund-filters"
        initialValues={{ refundNo: query.refundNo, orderNo: query.orderNo, states: query.states, platforms: query.platforms }}
        empty={FILTERS}
        onApply={(f) => setQuery({ ...f, refundNo: f.refundNo.trim(), orderNo: f.orderNo.trim(), page: 1 })}
        data-testid="refund-filters"
      >
        <Form.Item label="退款单号" name="refundNo">
          <Input allowClear style={{ width: 220 }} autoComplete="off" />
        </Form.Item>
        <Form.Item label="订单号" name="orderNo">
          <Input allowClear style={{ width: 220 }} autoComplete="off" />
        </Form.Item>
        <Form.Item label="状态" name="states">
          <Select<RefundState[]> mode="multiple" allowClear style={{ minWidth: 200 }} options={(Object.keys(v.refundStates) as RefundState[]).map((s) => ({ value: s, label: v.refundStates[s] }))} />
        </Form.Item>
        <Form.Item label="支付方式" name="platforms">
          <Select<PaymentMethod[]> mode="multiple" allowClear style={{ minWidth: 160 }} options={(Object.keys(v.paymentMethods) as PaymentMethod[]).map((m) => ({ value: m, label: v.paymentMethods[m] }))} />
        </Form.Item>
      </FilterForm>
      <PagedListTable<Refund>
        data-testid="refund-table"
        rowKey="refundNo"
        list={list}
        input={query}
        setQuery={setQuery}
        scroll={{ x: 1300 }}
        locale={{ emptyText: '没有退款记录' }}
        onRow={(r) => ({ onClick: () => open(r.refundNo), style: { cursor: 'pointer' } })}
        columns={[
          { title: '退款单号', dataIndex: 'refundNo', width: 210, render: (no: string) => <a onClick={(e) => { e.stopPropagation(); open(no); }}>{no}</a> },
          {
            title: '订单号',
            dataIndex: 'orderNo',
            width: 210,
            render: (no: string) => (can('order:view') ? <Link to={`/orders/${no}`} onClick={(e) => e.stopPropagation()}>{no}</Link> : no),
          },
          { title: '退款金额', dataIndex: 'amountFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} strong /> },
          { title: '状态', dataIndex: 'state', width: 100, render: (s: RefundState, r) => <><RefundStatusTag status={s} />{s === 'failed' && r.retryable ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>可重试</Typography.Text> : null}</> },
          { title: '支付方式', dataIndex: 'platform', width: 90, render: (p: PaymentMethod) => v.paymentMethods[p] },
          { title: '来源', dataIndex: 'source', width: 120, render: (s: Refund['source']) => v.refundSources[s] },
          { title: '申请人', dataIndex: 'requestedByName', width: 120 },
          { title: '原因', dataIndex: 'reason', ellipsis: true },
          { title: '申请时间', dataIndex: 'createdAt', width: 160, render: (t: number) => formatTime(t) },
          {
            title: '到账',
            key: 'arrival',
            width: 190,
            render: (_, r) => (r.state === 'success' ? (r.arrivalFrom === r.arrivalTo ? `预计 ${r.arrivalFrom}` : `预计 ${r.arrivalFrom} 至 ${r.arrivalTo}`) : '—'),
          },
        ]}
      />
      <RefundDrawer refundNo={query.detail || null} onClose={() => setQuery({ detail: '' })} onChanged={list.reload} />
    </>
  );
}
