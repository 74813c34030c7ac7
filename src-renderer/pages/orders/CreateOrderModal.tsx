import { App, Form, Input, Radio, Select } from 'antd';
import { call } from '../../app/api';
import type { OrderType, PaymentMethod } from '../../app/api-types';
import { showErrorOnForm } from '../../app/form-errors';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { formatFen } from '../../components/money-format';

interface CreateOrderFields {
  amount: string;
  method: PaymentMethod;
  type: OrderType;
  relatedId?: string;
  payerId?: string;
  description?: string;
}

// The labels the contract puts in front of its messages (api/schemas FIELD_LABELS).
const FIELD_LABELS = { amount: '金额', method: '支付方式', type: '订单类型', relatedId: '关联ID', description: '订单描述', payerId: '付款人' } as const;

/**
 * 新建订单. The amount is typed in yuan and sent as the string typed: the contract turns it into
 * fen and is the one place that judges it (format, two decimals, the single-order limit), so
 * its message is shown under the field as it is.
 */
export function CreateOrderModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<CreateOrderFields>();
  const { message } = App.useApp();
  const report = useReportError();

  const submit = async (f: CreateOrderFields) => {
    try {
      const order = await call('orders.create', {
        amount: f.amount.trim(),
        method: f.method,
        type: f.type,
        relatedId: f.relatedId?.trim() ?? '',
        payerId: f.payerId?.trim() ?? '',
        description: f.description?.trim() ?? '',
      });
      void message.success(`订单 ${order.orderNo} 已创建，金额 ${formatFen(order.amountFen)}`);
      onCreated();
    } catch (e) {
      if (!showErrorOnForm(form, e, FIELD_LABELS)) report(e);
      throw e;
    }
  };

  return (
    <FormModal<CreateOrderFields>
      title="新建支付订单"
      name="create-order"
      open={open}
      form={form}
      onSubmit={submit}
      onCancel={onClose}
      okText="创建订单"
      width={560}
      data-testid="create-order-form"
    >
      <Form.Item label="金额" name="amount" rules={[{ required: true, whitespace: true, message: '请输入金额' }]} extra="单位：元，最多两位小数">
        <Input prefix="¥" suffix="元" inputMode="decimal" autoFocus placeholder="例如 128.00" autoComplete="off" />
      </Form.Item>
      <Form.Item label="支付方式" name="method" rules={[{ required: true, message: '请选择支付方式' }]}>
        <Radio.Group options={optionsOf(v.paymentMethods)} optionType="button" />
      </Form.Item>
      <Form.Item label="订单类型" name="type" rules={[{ required: true, message: '请选择订单类型' }]}>
        <Select options={optionsOf(v.orderTypes)} placeholder="请选择" />
      </Form.Item>
      <Form.Item label="关联ID" name="relatedId" extra="预定单号、账单号、薪资批次或供应商结算单号">
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <Form.Item label="付款人" name="payerId" extra="客户或员工编号">
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <Form.Item label="订单描述" name="description">
        <Input.TextArea maxLength={256} showCount autoSize={{ minRows: 2, maxRows: 4 }} />
      </Form.Item>
    </FormModal>
  );
}
