import { App, Form, Input, Radio } from 'antd';
import { call } from '../../app/api';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';

interface Fields {
  kind: 'electronic' | 'paper';
  titleType: 'company' | 'personal';
  title: string;
  taxId?: string;
  email?: string;
  postalAddress?: string;
  recipient?: string;
  phone?: string;
}

/** 发票申请: electronic to an e-mail, paper to a postal address; the main process checks the tax id and the rest. */
export function InvoiceRequestModal({ open, billNo, onClose, onDone }: { open: boolean; billNo: string; onClose: () => void; onDone: () => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<Fields>();
  const { message } = App.useApp();
  const report = useReportError();
  const kind = Form.useWatch('kind', form);
  const titleType = Form.useWatch('titleType', form);
  const submit = async (f: Fields) => {
    try {
      await call('mealbills.requestInvoice', {
        billNo, kind: f.kind, titleType: f.titleType, title: f.title.trim(), taxId: f.taxId?.trim() ?? '', email: f.email?.trim() ?? '',
        postalAddress: f.postalAddress?.trim() ?? '', recipient: f.recipient?.trim() ?? '', phone: f.phone?.trim() ?? '',
      });
      void message.success('发票申请已登记');
      onDone();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  return (
    <FormModal<Fields> title="申请发票" name="invoice-request" open={open} form={form} onSubmit={submit} onCancel={onClose} okText="提交申请" initialValues={{ kind: 'electronic', titleType: 'personal' }} data-testid="invoice-form">
      <Form.Item label="发票类型" name="kind">
        <Radio.Group options={optionsOf(v.invoiceKinds)} optionType="button" />
      </Form.Item>
      <Form.Item label="抬头类型" name="titleType">
        <Radio.Group options={optionsOf(v.invoiceTitleTypes)} optionType="button" />
      </Form.Item>
      <Form.Item label="发票抬头" name="title" rules={[{ required: true, whitespace: true, message: '请填写发票抬头' }]}>
        <Input maxLength={128} />
      </Form.Item>
      {titleType === 'company' ? (
        <Form.Item label="纳税人识别号" name="taxId" rules={[{ required: true, whitespace: true, message: '单位抬头必须填写纳税人识别号' }]} extra="统一社会信用代码 18 位">
          <Input maxLength={20} style={{ textTransform: 'uppercase' }} />
        </Form.Item>
      ) : null}
      {kind === 'paper' ? (
        <>
          <Form.Item label="邮寄地址" name="postalAddress" rules={[{ required: true, whitespace: true, message: '请填写邮寄地址' }]}>
            <Input maxLength={256} />
          </Form.Item>
          <Form.Item label="收件人" name="recipient" rules={[{ required: true, whitespace: true, message: '请填写收件人' }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item label="电话" name="phone" rules={[{ required: true, whitespace: true, message: '请填写电话' }]}>
            <Input maxLength={20} />
          </Form.Item>
        </>
      ) : (
        <Form.Item label="接收邮箱" name="email" rules={[{ required: true, type: 'email', message: '请填写有效的邮箱' }]}>
          <Input maxLength={128} />
        </Form.Item>
      )}
    </FormModal>
  );
}
