import { SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Skeleton, Typography } from 'antd';
import { useInlineSubmit } from '../../app/use-inline-submit';
import { call } from '../../app/api';
import type { DepositRules, ServiceType } from '../../app/api-types';
import { useChannel } from '../../app/use-channel';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { percentToBasisPoints, ratioToPercentInput } from '../../components/ratio-format';

type RatioFields = { percent: Record<ServiceType, string> };

/**
 * 定金比例 per service type (design document 2.1.3). Saved with the version it was read at, so two
 * administrators editing at once do not overwrite each other; a new ratio applies to bookings
 * created afterwards, existing bookings keep the ratio they were created with.
 */
export function DepositRulesCard({ editable }: { editable: boolean }) {
  const rules = useChannel('bookings.depositRules', {});
  return (
    <Card size="small" title="客户预定定金比例" style={{ marginTop: 16, maxWidth: 720 }} data-testid="deposit-rules">
      {rules.error ? <LoadError error={rules.error} onRetry={rules.reload} /> : null}
      {!rules.data && rules.loading ? <Skeleton active paragraph={{ rows: 3 }} /> : null}
      {rules.data ? <DepositRulesForm key={String(rules.data.version)} rules={rules.data} editable={editable} onSaved={rules.reload} /> : null}
    </Card>
  );
}

function DepositRulesForm({ rules, editable, onSaved }: { rules: DepositRules; editable: boolean; onSaved: () => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<RatioFields>();
  const { message } = App.useApp();
  const { busy, refused, clearRefused, submit } = useInlineSubmit();
  const types = Object.keys(v.serviceTypes) as ServiceType[];

  const save = async (f: RatioFields) => {
    // The validators passed, so every field converts.
    const ratios = Object.fromEntries(types.map((t) => [t, percentToBasisPoints(f.percent[t]) ?? Number.NaN])) as Record<ServiceType, number>;
    await submit(async () => {
      await call('bookings.updateDepositRules', { ratios, version: rules.version });
      void message.success('定金比例已保存，之后新建的预定按新比例计算定金');
      onSaved();
    });
  };

  return (
    <Form<RatioFields>
      form={form}
      name="deposit-rules"
      layout="horizontal"
      labelCol={{ flex: '140px' }}
      disabled={!editable}
      onFinish={save}
      onValuesChange={clearRefused}
      initialValues={{ percent: Object.fromEntries(types.map((t) => [t, ratioToPercentInput(rules.ratios[t])])) }}
    >
      <Typography.Paragraph type="secondary">定金 = 总价 × 比例，四舍五入到分。修改只影响之后新建的预定，已有预定保持创建时的比例。</Typography.Paragraph>
      {editable ? null : <Alert type="info" showIcon title="您只有查看权限，修改定金比例需要“修改系统设置”权限。" style={{ marginBottom: 12 }} />}
      {types.map((t) => (
        <Form.Item
          key={t}
          label={v.serviceTypes[t]}
          name={['percent', t]}
          rules={[
            { required: true, whitespace: true, message: '请输入定金比例' },
            { validator: (_, value: string | undefined) => (!value?.trim() || percentToBasisPoints(value) !== null ? Promise.resolve() : Promise.reject(new Error('请输入 0 到 100 之间的百分比，最多两位小数'))) },
          ]}
        >
          <Input suffix="%" inputMode="decimal" autoComplete="off" style={{ width: 200 }} />
        </Form.Item>
      ))}
      {refused ? (
        <Alert
          type="error"
          showIcon
          title="定金比例未保存"
          description={refused.message}
          style={{ marginBottom: 12 }}
          data-testid="deposit-rules-error"
          action={refused.code === 'CONCURRENT_UPDATE' ? <Button onClick={onSaved}>重新加载</Button> : undefined}
        />
      ) : null}
      {editable ? (
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="save-deposit-rules">
          保存定金比例
        </Button>
      ) : null}
    </Form>
  );
}
