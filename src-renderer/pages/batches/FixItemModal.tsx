import { Alert, App, Form, Input, Select, Typography } from 'antd';
import { call } from '../../app/api';
import { showErrorOnForm } from '../../app/form-errors';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { Money } from '../../components/Money';
import type { BatchItem, PayeeChannel } from './batch-tags';

interface FixValues {
  payeeName: string;
  channel: PayeeChannel;
  account: string;
  bankName?: string;
}

/**
 * 修改收款信息 of a failed item (wrong account, name mismatch): the name, the channel and the full
 * account typed again (it is shown masked everywhere, so it cannot be edited in place). Sending it
 * again is a separate step, through approval.
 */
export function FixItemModal({ item, onClose, onDone }: { item: BatchItem | null; onClose: () => void; onDone: () => void }) {
  const v = useVocabulary();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<FixValues>();
  const channel = Form.useWatch('channel', form) ?? item?.channel;
  const labels = { payeeName: v.batchLineFields.payeeName, account: v.batchLineFields.account, bankName: v.batchLineFields.bankName, channel: v.batchLineFields.channel };

  const submit = async (x: FixValues) => {
    if (!item) return;
    try {
      await call('batches.fixItem', { itemId: item.id, version: item.version, payeeName: x.payeeName.trim(), channel: x.channel, account: x.account.trim(), bankName: x.channel === 'bank' ? x.bankName?.trim() : undefined });
      void message.success(`第 ${item.seq} 笔的收款信息已修改，请点击「重新发送」提交审批`);
      onDone();
    } catch (e) {
      if (!showErrorOnForm(form, e, labels)) report(e);
      throw e;
    }
  };

  return (
    <FormModal<FixValues>
      title={item ? `修改收款信息：第 ${item.seq} 笔` : '修改收款信息'}
      name="fix-item"
      open={item !== null}
      form={form}
      onSubmit={submit}
      onCancel={onClose}
      okText="保存"
      initialValues={item ? { payeeName: item.payeeName, channel: item.channel, account: '', bankName: item.bankName } : undefined}
      data-testid="fix-item-form"
    >
      {item ? (
        <>
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={`失败原因：${item.failReason ?? '—'}`}
            description={
              <span>
                原收款信息：{item.payeeName} · {item.channelLabel} · {item.accountMasked}
                {item.bankName ? ` · ${item.bankName}` : ''} · 金额 <Money fen={item.amountFen} />
              </span>
            }
          />
          <Form.Item name="payeeName" label="收款人姓名" rules={[{ required: true, whitespace: true, message: '请填写收款人姓名' }]} extra="须与收款账户的实名一致">
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="channel" label="收款方式" rules={[{ required: true, message: '请选择收款方式' }]}>
            <Select options={optionsOf(v.payeeChannels)} />
          </Form.Item>
          <Form.Item name="account" label="收款账号" rules={[{ required: true, whitespace: true, message: '请输入完整的收款账号' }]} extra={`原账号 ${item.accountMasked}（已脱敏），请重新输入完整账号`}>
            <Input maxLength={64} placeholder={channel === 'wechat' ? '收款人的微信 OpenID' : channel === 'alipay' ? '支付宝登录账号或 2088 开头的用户号' : '银行账号'} autoComplete="off" />
          </Form.Item>
          {channel === 'bank' ? (
            <Form.Item name="bankName" label="开户银行" rules={[{ required: true, whitespace: true, message: '银行转账需填写开户银行' }]}>
              <Input maxLength={64} />
            </Form.Item>
          ) : null}
          <Typography.Text type="secondary">金额不能修改。保存后需「重新发送」并经审批通过，才会以新的转账单号付款。</Typography.Text>
        </>
      ) : null}
    </FormModal>
  );
}
