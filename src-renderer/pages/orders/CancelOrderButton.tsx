import { StopOutlined } from '@ant-design/icons';
import { App, Button, Form, Radio, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import type { Order } from '../../app/api-types';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { formatFen } from '../../components/money-format';

type ManualReason = 'user' | 'admin';
const MANUAL_REASONS: readonly ManualReason[] = ['user', 'admin'];

/**
 * 取消订单 for a pending order. Sends the version the accountant is looking at, so an order paid
 * or changed in the meantime is refused ("数据已被他人修改") instead of cancelled blindly.
 */
export function CancelOrderButton({ order, onCancelled }: { order: Order; onCancelled: () => void }) {
  const v = useVocabulary();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: ManualReason }>();
  const { message } = App.useApp();
  const report = useReportError();

  const submit = async ({ reason }: { reason: ManualReason }) => {
    try {
      await call('orders.cancel', { orderNo: order.orderNo, reason, version: order.version });
    } catch (e) {
      report(e);
      setOpen(false);
      onCancelled(); // show what the order looks like now
      throw e;
    }
    void message.success(`订单 ${order.orderNo} 已取消`);
    setOpen(false);
    onCancelled();
  };

  return (
    <>
      <Button danger icon={<StopOutlined />} onClick={() => setOpen(true)} data-testid="cancel-order">
        取消订单
      </Button>
      <FormModal<{ reason: ManualReason }>
        title="取消订单"
        name="cancel-order"
        open={open}
        form={form}
        onSubmit={submit}
        onCancel={() => setOpen(false)}
        okText="确认取消"
        cancelText="返回"
        okDanger
        width={440}
        data-testid="cancel-order-form"
      >
        <Typography.Paragraph>
          将取消订单 <Typography.Text strong>{order.orderNo}</Typography.Text>（{formatFen(order.amountFen)}），取消后不能再支付。
        </Typography.Paragraph>
        <Form.Item label="取消原因" name="reason" rules={[{ required: true, message: '请选择取消原因' }]}>
          <Radio.Group options={MANUAL_REASONS.map((r) => ({ value: r, label: v.cancelReasons[r] }))} />
        </Form.Item>
      </FormModal>
    </>
  );
}
