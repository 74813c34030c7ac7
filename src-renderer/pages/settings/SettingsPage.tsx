import { SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Skeleton, Typography } from 'antd';
import { call } from '../../app/api';
import type { OrderRules, OrderType } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { showErrorOnForm } from '../../app/form-errors';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { fenToYuanInput } from '../../components/money-format';
import { PageTitle } from '../../components/PageTitle';
import { describeMinutes } from '../../components/time-format';
import { DepositRulesCard } from './DepositRulesCard';
import { RefundTiersCard } from './RefundTiersCard';

interface RuleFields {
  expiryMinutes: Record<OrderType, number>;
  maxOrderAmount: string;
}

/**
 * 系统设置: payment time limit per order type and the single-order limit (design document 2.1.3,
 * 2.2.3), and the booking deposit ratios, which only users who handle bookings can read.
 */
export function SettingsPage() {
  const { can } = useAuth();
  const rules = useChannel('settings.getOrderRules', {});
  return (
    <>
      <PageTitle title="系统设置" />
      {rules.error ? <LoadError error={rules.error} onRetry={rules.reload} /> : null}
      {!rules.data && rules.loading ? <Skeleton active /> : null}
      {rules.data ? <OrderRulesForm key={String(rules.data.version)} rules={rules.data} editable={can('settings:manage')} onSaved={rules.reload} /> : null}
      <DepositRulesCard editable={can('settings:manage')} />
      <RefundTiersCard editable={can('settings:manage')} />
    </>
  );
}

function OrderRulesForm({ rules, editable, onSaved }: { rules: OrderRules; editable: boolean; onSaved: () => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<RuleFields>();
  const { message } = App.useApp();
  const report = useReportError();
  const types = Object.keys(v.orderTypes) as OrderType[];
  const minutes = Form.useWatch('expiryMinutes', form);

  const save = async (f: RuleFields) => {
    try {
      await call('settings.updateOrderRules', { expiryMinutes: f.expiryMinutes, maxOrderAmount: f.maxOrderAmount.trim(), version: rules.version });
      void message.success('系统设置已保存，新建的订单按新规则计算支付时限');
      onSaved();
    } catch (e) {
      if (!showErrorOnForm(form, e, { maxOrderAmount: '金额' })) report(e);
    }
  };

  return (
    <Form<RuleFields>
      form={form}
      name="order-rules"
      layout="horizontal"
      labelCol={{ flex: '140px' }}
      disabled={!editable}
      onFinish={save}
      data-testid="order-rules-form"
      initialValues={{ expiryMinutes: rules.expiryMinutes, maxOrderAmount: fenToYuanInput(rules.maxOrderAmountFen) }}
      style={{ maxWidth: 720 }}
    >
      {editable ? null : <Alert type="info" showIcon title="您只有查看权限，修改系统设置需要“修改系统设置”权限。" style={{ marginBottom: 12 }} />}
      <Card size="small" title="订单支付时限" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">超过支付时限仍未支付的订单将被自动取消。修改只影响之后新建的订单。</Typography.Paragraph>
        {types.map((t) => (
          <Form.Item
            key={t}
            label={v.orderTypes[t]}
            name={['expiryMinutes', t]}
            rules={[{ required: true, message: '请输入支付时限' }]}
            extra={minutes?.[t] ? `即 ${describeMinutes(minutes[t])}` : undefined}
          >
            <InputNumber min={1} max={43200} precision={0} suffix="分钟" style={{ width: 200 }} />
          </Form.Item>
        ))}
      </Card>
      <Card size="small" title="金额限制" style={{ marginBottom: 16 }}>
        <Form.Item label="单笔订单上限" name="maxOrderAmount" rules={[{ required: true, whitespace: true, message: '请输入单笔订单上限' }]} extra="单位：元。超过此金额的订单不能创建。">
          <Input prefix="¥" suffix="元" inputMode="decimal" style={{ width: 240 }} />
        </Form.Item>
      </Card>
      {editable ? (
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} data-testid="save-settings">
          保存设置
        </Button>
      ) : null}
    </Form>
  );
}
