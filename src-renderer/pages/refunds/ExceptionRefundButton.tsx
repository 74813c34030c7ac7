import { App, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import { useReportError } from '../../app/use-report-error';
import { FormModal } from '../../components/FormModal';
import { fenToYuanInput, formatFen } from '../../components/money-format';

interface Fields {
  amount: string;
  refundReason: string;
}

/** 退款 on an open 支付异常: returns the money the platform collected, through the same approval as any refund. */
export function ExceptionRefundButton({ exception, onRequested }: { exception: { id: number; amountFen: number; orderNo: string }; onRequested: () => void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Fields>();
  const { message } = App.useApp();
  const report = useReportError();

  const submit = async (f: Fields) => {
    try {
      const r = await call('refunds.requestForException', { exceptionId: exception.id, amount: f.amount.trim(), refundReason: f.refundReason });
      void message.success(`退款申请 ${r.refundNo} 已提交，等待审批`);
    } catch (e) {
      report(e);
      throw e;
    }
    setOpen(false);
    onRequested();
  };

  return (
    <>
      <Button size="small" onClick={(e) => { e.stopPropagation(); setOpen(true); }} data-testid={`exception-refund-${exception.id}`}>
        退款
      </Button>
      <FormModal<Fields>
        title="支付异常退款"
        name="exception-refund"
        open={open}
        form={form}
        onSubmit={submit}
        onCancel={() => setOpen(false)}
        okText="提交审批"
        initialValues={{ amount: fenToYuanInput(exception.amountFen), refundReason: '' }}
      >
        <Typography.Paragraph>
          订单 {exception.orderNo} 的异常到账 {formatFen(exception.amountFen)} 将原路退回付款人；审批通过后由系统发送至支付平台。
        </Typography.Paragraph>
        <Form.Item label="退款金额（元）" name="amount" rules={[{ required: true, whitespace: true, message: '请输入退款金额' }, { pattern: /^\d+(\.\d{1,2})?$/, message: '请输入金额，最多两位小数' }]}>
          <Input prefix="¥" inputMode="decimal" autoComplete="off" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label="退款原因" name="refundReason" rules={[{ required: true, whitespace: true, message: '请填写退款原因' }]}>
          <Input.TextArea rows={2} maxLength={256} placeholder="例如：订单已取消后到账，原路退回" />
        </Form.Item>
      </FormModal>
    </>
  );
}
