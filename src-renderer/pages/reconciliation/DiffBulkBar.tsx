import { CheckSquareOutlined, DownOutlined } from '@ant-design/icons';
import { Alert, App, Button, Dropdown, Flex, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import type { ChannelInput, ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useSession } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { Money } from '../../components/Money';
import { mono, type DiffStatus } from './recon-labels';

export type DiffFilterInput = ChannelInput<'recon.selectDiffs'>;
type BulkAction = ChannelInput<'recon.bulkDiffs'>['action'];
type BulkResult = ChannelOutput<'recon.bulkDiffs'>;

/**
 * What the accountant has selected in the difference table: rows ticked (each with the version it
 * showed, so a row someone changed meanwhile is recognised), or every difference matching the
 * filter as counted at that moment.
 */
export type DiffSelection = { mode: 'rows'; rows: Map<number, number> } | { mode: 'filter'; filter: DiffFilterInput; count: number; amountFen: number; seq: number };

export const selectedCount = (s: DiffSelection | null) => (s === null ? 0 : s.mode === 'rows' ? s.rows.size : s.count);

type Ask = { kind: 'resolved' | 'ignored' | 'note' | 'keep_local' };
const ASK: Record<Ask['kind'], { title: string; label: string; ok: string; max: number }> = {
  resolved: { title: '批量标记为已处理', label: '处理说明', ok: '标记为已处理', max: 512 },
  ignored: { title: '批量忽略', label: '忽略原因', ok: '忽略', max: 512 },
  note: { title: '批量添加备注', label: '备注', ok: '添加备注', max: 1000 },
  keep_local: { title: '批量以本地记录为准', label: '保留本地记录的原因', ok: '确认保留本地', max: 256 },
};
const CONFLICT_REASONS: Record<BulkResult['conflicts'][number]['reason'], string> = { changed: '已被他人修改', gone: '已不存在', closed: '已处理或已忽略' };

/**
 * The bulk actions of the 对账工作台 over the selection: assign, set the status, add a note, keep
 * ours. One call each, one transaction on the server; when part of the selection changed meanwhile
 * nothing is changed and the rows are named, and the accountant may go on without them.
 */
export function DiffBulkBar({ selection, pageRows, total, filter, onSelect, onDone }: { selection: DiffSelection | null; pageRows: number; total: number; filter: DiffFilterInput; onSelect: (s: DiffSelection | null) => void; onDone: () => void }) {
  const v = useVocabulary();
  const session = useSession();
  const { message, modal } = App.useApp();
  const report = useReportError();
  const assignees = useChannel('recon.listAssignees', selection ? {} : null);
  const [busy, setBusy] = useState(false);
  const [ask, setAsk] = useState<Ask | null>(null);
  const [form] = Form.useForm<{ text: string }>();
  const count = selectedCount(selection);
  if (!selection || count === 0) return null;

  const wire = (s: DiffSelection): ChannelInput<'recon.bulkDiffs'>['selection'] =>
    s.mode === 'rows' ? { ids: [...s.rows].map(([id, version]) => ({ id, version })) } : { filter: s.filter, count: s.count, seq: s.seq };

  const apply = async (action: BulkAction, onConflict: 'abort' | 'skip' = 'abort'): Promise<boolean> => {
    setBusy(true);
    try {
      const r = await call('recon.bulkDiffs', { selection: wire(selection), action, onConflict });
      if (r.done) {
        void message.success(r.message);
        onDone();
        return true;
      }
      const rest = count - r.conflicts.length - r.vanished;
      modal.confirm({
        title: '所选差异有变化',
        width: 560,
        content: (
          <Flex vertical gap={8} data-testid="bulk-conflicts">
            <Typography.Text>{r.message}。</Typography.Text>
            {r.conflicts.slice(0, 12).map((c) => (
              <Typography.Text key={c.id}>
                <span style={mono}>{c.key ?? `#${c.id}`}</span> {c.type ? v.diffTypes[c.type] : ''} — {CONFLICT_REASONS[c.reason]}
              </Typography.Text>
            ))}
            {r.conflicts.length > 12 ? <Typography.Text type="secondary">等 {r.conflicts.length} 条</Typography.Text> : null}
          </Flex>
        ),
        okText: rest > 0 ? `跳过这些，处理其余 ${rest} 条` : '知道了',
        cancelText: '取消',
        okButtonProps: { disabled: rest <= 0 },
        onOk: rest > 0 ? () => apply(action, 'skip') : undefined,
        onCancel: onDone,
      });
      return false;
    } catch (e) {
      report(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const people = assignees.data ?? [];
  return (
    <Alert
      type="info"
      style={{ marginBottom: 8, paddingBlock: 6 }}
      data-testid="bulk-bar"
      title={
        <Flex align="center" gap={12} wrap>
          <Typography.Text strong data-testid="bulk-count">
            <CheckSquareOutlined /> {selection.mode === 'filter' ? `已选择全部符合条件的 ${count.toLocaleString('zh-CN')} 条` : `已选择 ${count} 条`}
          </Typography.Text>
          {selection.mode === 'filter' ? (
            <Typography.Text type="secondary">
              合计 <Money fen={selection.amountFen} />
            </Typography.Text>
          ) : count >= pageRows && total > count ? (
            <Button
              type="link"
              size="small"
              data-testid="select-all-matching"
              onClick={() =>
                void call('recon.selectDiffs', filter).then(
                  (s) => onSelect({ mode: 'filter', filter, ...s }),
                  (e: unknown) => report(e),
                )
              }
            >
              选择全部符合筛选条件的 {total.toLocaleString('zh-CN')} 条
            </Button>
          ) : null}
          <Space wrap style={{ marginInlineStart: 'auto' }}>
            <Dropdown
              trigger={['click']}
              disabled={busy}
              menu={{
                items: [
                  { key: String(session.user.id), label: '分配给我' },
                  ...people.filter((p) => p.id !== session.user.id).map((p) => ({ key: String(p.id), label: `分配给 ${p.displayName}` })),
                  { type: 'divider' as const },
                  { key: 'none', label: '取消分配' },
                ],
                onClick: ({ key }) => void apply({ kind: 'assign', assigneeId: key === 'none' ? null : Number(key) }),
              }}
            >
              <Button loading={busy} data-testid="bulk-assign">
                分配 <DownOutlined />
              </Button>
            </Dropdown>
            <Dropdown
              trigger={['click']}
              disabled={busy}
              menu={{
                items: (['in_progress', 'resolved', 'ignored'] as DiffStatus[]).map((s) => ({ key: s, label: `标记为${v.diffStatuses[s]}` })),
                onClick: ({ key }) => (key === 'in_progress' ? void apply({ kind: 'status', status: 'in_progress' }) : setAsk({ kind: key as 'resolved' | 'ignored' })),
              }}
            >
              <Button data-testid="bulk-status">
                处理状态 <DownOutlined />
              </Button>
            </Dropdown>
            <Button disabled={busy} onClick={() => setAsk({ kind: 'note' })} data-testid="bulk-note">
              添加备注
            </Button>
            <Button disabled={busy} onClick={() => setAsk({ kind: 'keep_local' })} data-testid="bulk-keep-local">
              以本地记录为准
            </Button>
            <Button type="text" onClick={() => onSelect(null)}>
              清除选择
            </Button>
          </Space>
          <FormModal<{ text: string }>
            title={ask ? `${ASK[ask.kind].title}（${count} 条）` : ''}
            name="bulk-ask"
            open={ask !== null}
            form={form}
            okText={ask ? ASK[ask.kind].ok : '确定'}
            onCancel={() => setAsk(null)}
            onSubmit={async ({ text }) => {
              if (!ask) return;
              const t = text.trim();
              const action: BulkAction = ask.kind === 'note' ? { kind: 'note', body: t } : ask.kind === 'keep_local' ? { kind: 'keep_local', reason: t } : { kind: 'status', status: ask.kind, reason: t };
              setAsk(null);
              await apply(action);
            }}
            data-testid="bulk-ask-form"
          >
            <Form.Item name="text" label={ask ? ASK[ask.kind].label : ''} rules={[{ required: true, whitespace: true, message: `请填写${ask ? ASK[ask.kind].label : ''}` }]}>
              <Input.TextArea maxLength={ask ? ASK[ask.kind].max : 256} autoSize={{ minRows: 2 }} />
            </Form.Item>
          </FormModal>
        </Flex>
      }
    />
  );
}
