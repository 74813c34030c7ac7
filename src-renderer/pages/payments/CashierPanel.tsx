import { ClockCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Divider, Flex, Skeleton, Statistic, Tag, Typography, theme } from 'antd';
import { useEffect, useState } from 'react';
import type { Order } from '../../app/api-types';
import { useVocabulary } from '../../app/vocabulary-context';
import { formatFen } from '../../components/money-format';
import { OrderStatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time-format';
import { CashierCollect } from './CashierCollect';
import { CashierOutcome } from './CashierOutcome';
import { usePaymentWatch } from './use-payment-watch';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

/**
 * The collection of one order: watched live from the moment it opens (payments.sync every 2 s), so
 * a payment made on the payer's phone turns the panel to 收款成功 without anyone pressing a button.
 */
export function CashierPanel({ orderNo, onSettled }: { orderNo: string; onSettled: () => void }) {
  const watch = usePaymentWatch(orderNo);
  const order = watch.data?.order;
  const status = order?.status;

  // The picker lists pending orders only: once this one is settled it has to leave that list.
  useEffect(() => {
    if (status && status !== 'pending') onSettled();
  }, [status, onSettled]);

  if (!order) {
    if (watch.error) return <Alert type="error" showIcon title="无法打开订单" description={watch.error.message} data-testid="cashier-error" />;
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }
  if (order.status !== 'pending')
    return (
      <Card data-testid="cashier-panel">
        <div data-testid="cashier-status" data-status={order.status}>
          <CashierOutcome order={order} />
        </div>
      </Card>
    );
  return (
    <Card data-testid="cashier-panel">
      <OrderHeader order={order} />
      <Divider style={{ margin: '16px 0' }} />
      <CashierCollect order={order} platformState={watch.data?.platformState ?? null} syncError={watch.error} />
    </Card>
  );
}

/** The amount to collect, large enough to read out to the payer, and the time left to pay. */
function OrderHeader({ order }: { order: Order }) {
  const v = useVocabulary();
  const { token } = theme.useToken();
  const [overdue, setOverdue] = useState(() => order.expireAt <= Date.now());
  const [longLimit] = useState(() => order.expireAt - Date.now() >= 86_400_000);
  const facts = [v.paymentMethods[order.method], v.orderTypes[order.type], order.payerId ? `付款人 ${order.payerId}` : null, order.description || null].filter(Boolean);

  return (
    <Flex justify="space-between" align="flex-start" gap={16} wrap>
      <Flex vertical gap={4}>
        <Typography.Text type="secondary">应收金额</Typography.Text>
        <span data-testid="cashier-amount" style={{ fontSize: 40, lineHeight: 1.1, fontWeight: 600, color: token.colorText, fontVariantNumeric: 'tabular-nums' }}>
          {formatFen(order.amountFen)}
        </span>
        <Flex gap={8} align="center" wrap style={{ marginTop: 4 }}>
          <Typography.Text copyable style={mono}>
            {order.orderNo}
          </Typography.Text>
          <OrderStatusTag status={order.status} />
        </Flex>
        <Typography.Text type="secondary">{facts.join(' · ')}</Typography.Text>
      </Flex>
      <Flex vertical align="flex-end" gap={4} data-testid="cashier-countdown">
        {overdue ? (
          <>
            <Tag color="error" icon={<ClockCircleOutlined />} style={{ marginInlineEnd: 0, fontSize: 14, padding: '4px 10px' }}>
              已超过支付时限
            </Tag>
            <Typography.Text type="secondary">系统将自动关闭此订单</Typography.Text>
          </>
        ) : (
          <Statistic.Timer
            type="countdown"
            title={
              <>
                <ClockCircleOutlined /> 剩余支付时间
              </>
            }
            value={order.expireAt}
            format={longLimit ? 'D 天 HH:mm:ss' : 'HH:mm:ss'}
            onFinish={() => setOverdue(true)}
            styles={{ content: { fontVariantNumeric: 'tabular-nums', color: token.colorWarningText, textAlign: 'right' } }}
          />
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          支付时限 {formatTime(order.expireAt)}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}
