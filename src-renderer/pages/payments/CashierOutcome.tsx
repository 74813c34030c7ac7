import { Button, Descriptions, Result, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { Order } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { useVocabulary } from '../../app/vocabulary-context';
import { Money } from '../../components/Money';
import { formatTime } from '../../components/time-format';

/**
 * How a collection ended, once the order has left 待支付: paid (the cashier hands the payer the
 * goods), cancelled or expired (nothing can be collected any more), or already refunded.
 */
export function CashierOutcome({ order }: { order: Order }) {
  const v = useVocabulary();
  const { can } = useAuth();
  const navigate = useNavigate();
  const actions = [
    <Button key="next" type="primary" onClick={() => navigate('/cashier')} data-testid="cashier-next">
      继续收款
    </Button>,
    can('order:view') ? (
      <Button key="order" onClick={() => navigate(`/orders/${order.orderNo}`)}>
        查看订单
      </Button>
    ) : null,
  ];

  if (order.status === 'paid')
    return (
      <Result
        status="success"
        data-testid="cashier-paid"
        title="收款成功"
        subTitle={
          <>
            订单 {order.orderNo} 已于 <Typography.Text strong>{formatTime(order.paidAt)}</Typography.Text> 支付成功
          </>
        }
        extra={actions}
      >
        <Descriptions
          size="small"
          column={1}
          styles={{ label: { width: 96 } }}
          items={[
            { key: 'paid', label: '实收金额', children: <Money fen={order.paidFen} strong /> },
            { key: 'method', label: '支付方式', children: v.paymentMethods[order.method] },
            { key: 'trade', label: '渠道交易号', children: order.gatewayTradeNo ? <Typography.Text copyable>{order.gatewayTradeNo}</Typography.Text> : '—' },
            { key: 'payer', label: '付款人', children: order.payerId || '—' },
          ]}
        />
      </Result>
    );
  if (order.status === 'cancelled') {
    const expired = order.cancelReason === 'expired';
    return (
      <Result
        status="warning"
        data-testid="cashier-closed"
        title={expired ? '订单已超时关闭' : '订单已取消'}
        subTitle={`${order.cancelReason ? v.cancelReasons[order.cancelReason] : '已取消'}，取消时间 ${formatTime(order.cancelledAt)}。此订单不能再收款，如需收款请重新下单。`}
        extra={actions}
      />
    );
  }
  return <Result status="info" data-testid="cashier-closed" title={`订单${v.orderStatuses[order.status]}`} subTitle="此订单不在待支付状态，不能收款。" extra={actions} />;
}
