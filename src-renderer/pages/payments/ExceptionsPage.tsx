import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Radio, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { ChannelInput } from '../../../src-main/api/contract';
import { useAuth } from '../../app/auth-context';
import { PAGING_DEFAULTS, pagingInput } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { labelOf, useVocabulary } from '../../app/vocabulary-context';
import { Money } from '../../components/Money';
import { PagedListTable } from '../../components/PagedListTable';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { ExceptionRefundButton } from '../refunds/ExceptionRefundButton';
import { EXCEPTION_KIND_COLORS, EXCEPTION_KIND_LABELS, EXCEPTION_STATUS_LABELS, type ExceptionStatus, type PaymentException } from './payment-labels';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };
const QUERY_DEFAULTS = { status: '', ...PAGING_DEFAULTS };

/**
 * 支付异常 (design document 5.2): money a platform collected that could not be applied to an order —
 * paid after the order was cancelled, a different amount, a second payment, or no such order. Each
 * is kept for refund or investigation; none is ever applied silently. Newest first.
 */
export function ExceptionsPage() {
  const v = useVocabulary();
  const { can } = useAuth();
  const [query, setQuery] = useUrlQuery(QUERY_DEFAULTS);
  const status = Object.hasOwn(EXCEPTION_STATUS_LABELS, query.status) ? (query.status as ExceptionStatus) : undefined;
  const input: ChannelInput<'payments.exceptions'> = { status, ...pagingInput(query) };
  const list = useChannel('payments.exceptions', input);

  return (
    <>
      <PageTitle
        title="支付异常"
        sub="已收款但无法入账的付款，需核实后退款"
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        }
      />
      <Flex align="center" gap={12} style={{ marginBottom: 12 }}>
        <Typography.Text>处理状态</Typography.Text>
        <Radio.Group
          optionType="button"
          value={status ?? ''}
          onChange={(e) => setQuery({ status: String(e.target.value), page: 1 })}
          options={[{ value: '', label: '全部' }, ...Object.entries(EXCEPTION_STATUS_LABELS).map(([value, label]) => ({ value, label }))]}
          data-testid="exceptions-status"
        />
      </Flex>
      <PagedListTable<PaymentException>
        data-testid="exceptions-table"
        list={list}
        input={input}
        setQuery={setQuery}
        scroll={{ x: 1160 }}
        locale={{ emptyText: '没有支付异常' }}
        columns={[
          { title: '发现时间', dataIndex: 'createdAt', width: 156, render: (t: number) => formatTime(t) },
          {
            title: '异常类型',
            dataIndex: 'kind',
            width: 108,
            render: (k: PaymentException['kind']) => (
              <Tag color={EXCEPTION_KIND_COLORS[k]} data-kind={k}>
                {EXCEPTION_KIND_LABELS[k]}
              </Tag>
            ),
          },
          {
            title: '处理状态',
            dataIndex: 'status',
            width: 84,
            render: (s: ExceptionStatus) => <Tag color={s === 'open' ? 'warning' : 'success'}>{EXCEPTION_STATUS_LABELS[s]}</Tag>,
          },
          {
            title: '订单号',
            dataIndex: 'orderNo',
            width: 200,
            // An unknown order has no page to open: the number is only what the platform sent.
            render: (no: string, e) =>
              e.kind !== 'unknown_order' && can('order:view') ? (
                <Link to={`/orders/${no}`} style={mono}>
                  {no}
                </Link>
              ) : (
                <span style={mono}>{no}</span>
              ),
          },
          {
            // Platform and its trade number read together: that pair is what the platform's support asks for.
            title: '支付平台 / 渠道交易号',
            dataIndex: 'platformTradeNo',
            width: 250,
            render: (t: string, e) => (
              <div>
                <div>{labelOf(v.paymentMethods, e.platform)}</div>
                <Typography.Text copyable type="secondary" style={{ ...mono, fontSize: 12 }}>
                  {t}
                </Typography.Text>
              </div>
            ),
          },
          { title: '到账金额', dataIndex: 'amountFen', align: 'right', width: 110, render: (f: number) => <Money fen={f} strong /> },
          // The detail says what to do with the money: shown in full, wrapping, never cut off.
          { title: '说明', dataIndex: 'detail', width: 280 },
          {
            title: '操作',
            key: 'refund',
            width: 80,
            render: (_, e) => (e.status === 'open' && can('refund:request') ? <ExceptionRefundButton exception={e} onRequested={list.reload} /> : null),
          },
        ]}
      />
    </>
  );
}
