import { ArrowLeftOutlined, QrcodeOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Descriptions, Flex, Skeleton, Typography, type DescriptionsProps } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import type { OrderDetail, Vocabulary } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useVocabulary } from '../../app/vocabulary-context';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { OrderStatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time-format';
import { CancelOrderButton } from './CancelOrderButton';
import { OrderTransactionsTable } from './OrderTransactionsTable';
import { OrderRefundsSection } from '../refunds/OrderRefundsSection';
import { RequestRefundButton } from '../refunds/RequestRefundButton';

const none = <Typography.Text type="secondary">—</Typography.Text>;

function orderItems({ order: o, history }: OrderDetail, v: Vocabulary): DescriptionsProps['items'] {
  // Who created it: the audit record names the person; the order row only keeps the id.
  const creator = history.find((h) => h.action === 'order.create')?.actorName ?? (o.createdBy === null ? '系统' : `用户 #${o.createdBy}`);
  return [
    { key: 'orderNo', label: '订单号', children: <Typography.Text copyable>{o.orderNo}</Typography.Text> },
    { key: 'status', label: '状态', children: <OrderStatusTag status={o.status} /> },
    { key: 'amount', label: '金额', children: <Money fen={o.amountFen} strong /> },
    { key: 'method', label: '支付方式', children: v.paymentMethods[o.method] },
    { key: 'type', label: '订单类型', children: v.orderTypes[o.type] },
    { key: 'paid', label: '已支付', children: <Money fen={o.paidFen} muteZero /> },
    { key: 'refunded', label: '已退款', children: <Money fen={o.refundedFen} muteZero /> },
    { key: 'payer', label: '付款人', children: o.payerId || none },
    { key: 'related', label: '关联ID', children: o.relatedId || none },
    { key: 'createdAt', label: '创建时间', children: formatTime(o.createdAt) },
    { key: 'expireAt', label: '支付时限', children: formatTime(o.expireAt) },
    { key: 'creator', label: '创建人', children: creator },
    { key: 'paidAt', label: '支付时间', children: o.paidAt ? formatTime(o.paidAt) : none },
    { key: 'gateway', label: '渠道交易号', children: o.gatewayTradeNo ?? none },
    { key: 'cancelledAt', label: '取消时间', children: o.cancelledAt ? formatTime(o.cancelledAt) : none },
    { key: 'cancelReason', label: '取消原因', children: o.cancelReason ? v.cancelReasons[o.cancelReason] : none },
    { key: 'description', label: '订单描述', span: 2, children: o.description || none },
  ];
}

/** 订单详情: every field, the order's transactions and its audit history; cancel or collect (收款台) while pending. */
export function OrderDetailPage() {
  const { orderNo = '' } = useParams();
  const v = useVocabulary();
  const { can } = useAuth();
  const navigate = useNavigate();
  const detail = useChannel('orders.get', { orderNo });
  const data = detail.data?.order.orderNo === orderNo ? detail.data : undefined;
  // Refunds of orders that took money: paid, already partly or fully refunded.
  const refundable = data && (data.order.status === 'paid' || data.order.status === 'refunded') && can('refund:view');
  const refunds = useChannel('refunds.forOrder', refundable ? { orderNo } : null);
  const refundSummary = refunds.data?.orderNo === orderNo ? refunds.data : undefined;
  const reloadAll = () => {
    detail.reload();
    if (refundable) refunds.reload();
  };

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/orders'))}>
      返回列表
    </Button>
  );

  return (
    <>
      <PageTitle
        title="订单详情"
        sub={orderNo}
        extra={
          <>
            {back}
            <Button icon={<ReloadOutlined />} onClick={reloadAll} loading={detail.loading && !!data}>
              刷新
            </Button>
            {refundSummary && refundSummary.status === 'paid' && can('refund:request') ? <RequestRefundButton summary={refundSummary} onRequested={reloadAll} /> : null}
            {data && data.order.status === 'pending' && can('order:cancel') ? <CancelOrderButton order={data.order} onCancelled={detail.reload} /> : null}
            {data && data.order.status === 'pending' && can('payment:collect') ? (
              <Button type="primary" icon={<QrcodeOutlined />} onClick={() => navigate(`/cashier/${orderNo}`)} data-testid="collect-order">
                去收款
              </Button>
            ) : null}
          </>
        }
      />
      {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : null}
      {!data && detail.loading ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {data ? (
        <Flex vertical gap={20}>
          <Descriptions data-testid="order-detail" bordered size="small" column={3} items={orderItems(data, v)} styles={{ label: { width: 110 } }} />
          <section>
            <Typography.Title level={5}>交易记录</Typography.Title>
            <OrderTransactionsTable transactions={data.transactions} />
          </section>
          {refundSummary ? (
            <section>
              <Typography.Title level={5}>退款</Typography.Title>
              <OrderRefundsSection summary={refundSummary} />
            </section>
          ) : null}
          <section>
            <Typography.Title level={5}>操作历史</Typography.Title>
            <AuditEntriesTable entries={data.history} hideEntity data-testid="order-history" />
          </section>
        </Flex>
      ) : null}
    </>
  );
}
