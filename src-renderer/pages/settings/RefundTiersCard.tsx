import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, InputNumber, Skeleton, Space, Typography } from 'antd';
import { useInlineSubmit } from '../../app/use-inline-submit';
import { call } from '../../app/api';
import type { RefundTiers } from '../../app/api-types';
import { useChannel } from '../../app/use-channel';
import { LoadError } from '../../components/LoadError';

type Tier = RefundTiers['tiers'][number];
type TierFields = { tiers: Tier[] };

/** "提前 48 小时及以上" / "提前 24–48 小时" / "提前不足 24 小时" for row `i` of the table as typed. */
function describeRow(tiers: readonly (Partial<Tier> | undefined)[], i: number): string {
  const t = tiers[i];
  const above = tiers[i - 1];
  if (t?.minHoursBefore === undefined || t.minHoursBefore === null) return '';
  if (!above) return t.minHoursBefore === 0 ? '任何时间取消' : `提前 ${t.minHoursBefore} 小时及以上取消`;
  if (t.minHoursBefore === 0) return `提前不足 ${above.minHoursBefore ?? '?'} 小时（含预约开始后）取消`;
  return `提前 ${t.minHoursBefore}–${above.minHoursBefore ?? '?'} 小时取消`;
}

/**
 * 预约取消退款档位 (design document 2.1.3: 预约取消时，根据取消时间计算退款金额). A booking whose
 * deposit was paid and is cancelled gets back the tier's share of its deposit, through approval.
 * The server checks the table (ordered, no overlap, ends at 0 h, never more for a later cancel).
 */
export function RefundTiersCard({ editable }: { editable: boolean }) {
  const tiers = useChannel('refunds.tiers', {});
  return (
    <Card size="small" title="预约取消退款档位" style={{ marginTop: 16, maxWidth: 720 }} data-testid="refund-tiers">
      {tiers.error ? <LoadError error={tiers.error} onRetry={tiers.reload} /> : null}
      {!tiers.data && tiers.loading ? <Skeleton active paragraph={{ rows: 3 }} /> : null}
      {tiers.data ? <RefundTiersForm key={String(tiers.data.version)} data={tiers.data} editable={editable} onSaved={tiers.reload} /> : null}
    </Card>
  );
}

function RefundTiersForm({ data, editable, onSaved }: { data: RefundTiers; editable: boolean; onSaved: () => void }) {
  const [form] = Form.useForm<TierFields>();
  const { message } = App.useApp();
  const { busy, refused, clearRefused, submit } = useInlineSubmit();
  const rows = Form.useWatch('tiers', form) ?? data.tiers;

  const save = (f: TierFields) =>
    submit(async () => {
      await call('refunds.updateTiers', { tiers: f.tiers.map((t) => ({ minHoursBefore: t.minHoursBefore, percent: t.percent })), version: data.version });
      void message.success('退款档位已保存，之后取消的预定按新档位计算退款');
      onSaved();
    });

  return (
    <Form<TierFields> form={form} name="refund-tiers" disabled={!editable} onFinish={save} onValuesChange={clearRefused} initialValues={{ tiers: data.tiers }}>
      <Typography.Paragraph type="secondary">已付定金的预定取消时，按距预约开始的时间退还定金的一定比例（向下取整到分），退款需经审批。档位从早到晚排列，最后一档从 0 小时开始。</Typography.Paragraph>
      {editable ? null : <Alert type="info" showIcon title="您只有查看权限，修改退款档位需要“修改系统设置”权限。" style={{ marginBottom: 12 }} />}
      <Form.List name="tiers">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => (
              <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                <Form.Item name={[field.name, 'minHoursBefore']} label="提前" rules={[{ required: true, message: '请输入小时数' }]}>
                  <InputNumber min={0} max={8784} precision={0} suffix="小时" style={{ width: 140 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'percent']} label="退还" rules={[{ required: true, message: '请输入比例' }]}>
                  <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 110 }} />
                </Form.Item>
                <Typography.Text type="secondary" style={{ minWidth: 200 }}>{describeRow(rows, i)}</Typography.Text>
                {editable && fields.length > 1 ? <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label="删除档位" /> : null}
              </Space>
            ))}
            {editable ? (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ minHoursBefore: 0, percent: 0 })} style={{ marginBottom: 12 }}>
                添加档位
              </Button>
            ) : null}
          </>
        )}
      </Form.List>
      {refused ? <Alert type="error" showIcon title="退款档位未保存" description={refused.message} style={{ marginBottom: 12 }} data-testid="refund-tiers-error" action={refused.code === 'CONCURRENT_UPDATE' ? <Button onClick={onSaved}>重新加载</Button> : undefined} /> : null}
      {editable ? (
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="save-refund-tiers">
          保存退款档位
        </Button>
      ) : null}
    </Form>
  );
}
