import { RollbackOutlined } from '@ant-design/icons';
import { App, Button, Descriptions, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import type { OrderRefunds } from '../../app/api-types';
import { showErrorOnForm } from '../../app/form-errors';
import { useReportError } from '../../app/use-report-error';
import { FormModal } from '../../components/FormModal';
import { fenToYuanInput } from '../../components/money-format';
import { Money } from '../../components/Money';

interface RefundFields {
  amount: string;
  refundReason: string;
}

/**
 * 申请退款 on a paid order: what was paid, what went back already, what is under way and what may
 * still be asked for; a partial amount and a reason. The request goes to the 审批中心; nothing is
 * sent to the platform before it is approved.
 */
export function RequestRefundButton({ summary, onRequested }: { summary: OrderRefunds; onRequested: () => void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<RefundFields>();
  const { message } = App.useApp();
  const report = useReportError();

  const submit = async (f: RefundFields) => {
    try {
      const r = await call('refunds.request', { orderNo: summary.orderNo, amount: f.amount.trim(), refundReason: f.refundReason });
      void message.success(`退款申请 ${r.refundNo} 已提交，等待审批`);
    } catch (e) {
      if (!showErrorOnForm(form, e, { amount: '金额', refundReason: '退款原因' })) {
        // "退款总额不能超过已支付金额…" belongs under the amount.
        if (/退款/.test((e as Error).message) && /金额|剩余可退/.test((e as Error).message)) form.setFields([{ name: 'amount', errors: [(e as Error).message] }]);
        else report(e);
      }
      throw e;
    }
    setOpen(false);
    onRequested();
  };

  return (
    <>
      <Button icon={<RollbackOutlined />} onClick={() => setOpen(true)} disabled={summary.refundableFen <= 0} data-testid="request-refund">
        申请退款
      </Button>
      <FormModal<RefundFields>
        title="申请退款"
        name="request-refund"
        open={open}
        form={form}
        onSubmit={submit}
        onCancel={() => setOpen(false)}
        okText="提交审批"
        width={520}
        initialValues={{ amount: fenToYuanInput(summary.refundableFen), refundReason: '' }}
        data-testid="request-refund-form"
      >
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'paid', label: '已支付', children: <Money fen={summary.paidFen} /> },
            { key: 'refunded', label: '已退款', children: <Money fen={summary.refundedFen} muteZero /> },
            { key: 'progress', label: '审批中/退款中', children: <Money fen={summary.inProgressFen} muteZero /> },
            { key: 'refundable', label: '可退金额', children: <Money fen={summary.refundableFen} strong /> },
          ]}
        />
        <Form.Item
          label="退款金额（元）"
          name="amount"
          rules={[
            { required: true, whitespace: true, message: '请输入退款金额' },
            { pattern: /^\d+(\.\d{1,2})?$/, message: '请输入金额，最多两位小数' },
          ]}
          extra="可部分退款；同一订单的退款合计不能超过已支付金额"
        >
          <Input prefix="¥" inputMode="decimal" autoComplete="off" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label="退款原因" name="refundReason" rules={[{ required: true, whitespace: true, message: '请填写退款原因' }]}>
          <Input.TextArea rows={3} maxLength={256} showCount placeholder="例如：客人取消预约、菜品缺货" />
        </Form.Item>
        <Typography.Text type="secondary">提交后进入审批中心，审批通过后由系统发送至支付平台。</Typography.Text>
      </FormModal>
    </>
  );
}
