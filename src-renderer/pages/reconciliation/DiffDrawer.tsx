import { Alert, App, Button, Descriptions, Drawer, Flex, Form, Input, InputNumber, List, Popconfirm, Radio, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../app/api';
import { useAuth, useSession } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import type { Vocabulary } from '../../app/api-types';
import { labelOf, optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { formatTime } from '../../components/time-format';
import {
  DIFF_STATUS_COLORS,
  DIFF_TYPE_COLORS,
  mono,
  type AdjustmentAccount,
  type DiffAction,
  type DiffStatus,
  type ReconDiffView,
  type StagedRecord,
} from './recon-labels';

const none = <Typography.Text type="secondary">—</Typography.Text>;
const HIGHLIGHT = '#fff1f0';

/**
 * The compared fields, and which of the difference's `fields` marks each as differing. Their names
 * are the core's (`v.reconFields`, the same words as the Excel report's columns).
 */
const FIELD_ROWS: { key: keyof Vocabulary['reconFields']; mark: string[]; show: (r: StagedRecord, v: Vocabulary) => React.ReactNode }[] = [
  { key: 'presence', mark: ['presence', 'count'], show: (r, v) => `${r.side === 'local' ? '本地' : '平台'}${v.reconRecordKinds[r.kind]}记录` },
  { key: 'key', mark: [], show: (r) => <span style={mono}>{r.key}</span> },
  { key: 'orderNo', mark: [], show: (r) => <span style={mono}>{r.orderNo}</span> },
  { key: 'platformNo', mark: ['count'], show: (r) => (r.platformNo ? <span style={mono}>{r.platformNo}</span> : none) },
  { key: 'amount', mark: ['amount'], show: (r) => <Money fen={r.amountFen} strong /> },
  { key: 'fee', mark: ['fee'], show: (r) => (r.feeFen === null ? none : <Money fen={r.feeFen} />) },
  { key: 'state', mark: ['state'], show: (r, v) => v.reconRecordStates[r.state] + (r.sourceState && r.sourceState.toLowerCase() !== r.state ? `（${r.sourceState}）` : '') },
  { key: 'at', mark: [], show: (r) => formatTime(r.at) },
  { key: 'line', mark: [], show: (r) => (r.line === null ? none : `第 ${r.line} 行`) },
];

/** Both sides field by field: one column per record (a duplicate shows both), the differing fields in red. */
function RecordCompare({ detail }: { detail: ReconDiffView }) {
  const v = useVocabulary();
  const d = detail.diff;
  const sides: { title: string; record: StagedRecord | null }[] = [
    ...(d.local.length ? d.local.map((r, i) => ({ title: d.local.length > 1 ? `本地记录 ${i + 1}` : '本地记录', record: r })) : [{ title: '本地记录', record: null }]),
    ...(d.platform.length ? d.platform.map((r, i) => ({ title: d.platform.length > 1 ? `平台记录 ${i + 1}` : '平台记录', record: r })) : [{ title: '平台记录', record: null }]),
  ];
  const marked = (row: (typeof FIELD_ROWS)[number]) => row.mark.some((f) => d.fields.includes(f));
  return (
    <Table
      size="small"
      bordered
      tableLayout="fixed"
      pagination={false}
      rowKey="key"
      data-testid="diff-compare"
      dataSource={FIELD_ROWS}
      onRow={(row) => (marked(row) ? { style: { background: HIGHLIGHT }, 'data-differs': 'true' } : {})}
      columns={[
        {
          title: '字段',
          key: 'field',
          width: 96,
          render: (_: unknown, row: (typeof FIELD_ROWS)[number]) => (marked(row) ? <Typography.Text type="danger" strong>{v.reconFields[row.key]}</Typography.Text> : v.reconFields[row.key]),
        },
        ...sides.map((s, i) => ({
          title: s.title,
          key: String(i),
          render: (_: unknown, row: (typeof FIELD_ROWS)[number]) =>
            s.record ? (
              <span style={marked(row) ? { color: '#cf1322', fontWeight: 600 } : undefined}>{row.show(s.record, v)}</span>
            ) : row.key === 'presence' ? (
              <Typography.Text type="danger" strong>
                无此记录
              </Typography.Text>
            ) : (
              none
            ),
        })),
      ]}
    />
  );
}

type ReasonAction = 'accept_platform' | 'keep_local' | 'refund_duplicate';
const REASON_TITLES: Record<ReasonAction, { title: string; label: string; ok: string }> = {
  accept_platform: { title: '以平台记录为准', label: '说明（为何以平台为准）', ok: '确认以平台为准' },
  keep_local: { title: '以本地记录为准', label: '保留本地记录的原因', ok: '确认保留本地' },
  refund_duplicate: { title: '重复付款退款', label: '退款原因（提交审批）', ok: '提交退款审批' },
};

/** What may be done about a difference of this kind (the service refuses the rest with a reason). */
function actionsFor(d: ReconDiffView['diff']): ReasonAction[] {
  if (d.type === 'duplicate_platform') return d.kind === 'payment' ? ['refund_duplicate', 'keep_local'] : ['keep_local'];
  if (d.type === 'missing_platform' || d.type === 'duplicate_local') return ['keep_local'];
  return ['accept_platform', 'keep_local'];
}

function DiffDetailView({ detail, onChanged }: { detail: ReconDiffView; onChanged: () => void }) {
  const v = useVocabulary();
  const { can } = useAuth();
  const session = useSession();
  const { message } = App.useApp();
  const report = useReportError();
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [reasonFor, setReasonFor] = useState<ReasonAction | null>(null);
  const [adjusting, setAdjusting] = useState(false);
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const [adjustForm] = Form.useForm<{ account: AdjustmentAccount; direction: 'increase' | 'decrease'; amount: number; reason: string }>();
  const d = detail.diff;
  const mayResolve = can('recon:resolve');
  const closed = d.status === 'resolved' || d.status === 'ignored';

  const run = async (what: string, work: () => Promise<unknown>, done: string) => {
    setBusy(what);
    try {
      await work();
      void message.success(done);
      return true;
    } catch (e) {
      report(e);
      return false;
    } finally {
      setBusy(null);
      onChanged();
    }
  };
  const act = (action: DiffAction, done: string) => run(action.kind, () => call('recon.actOnDiff', { diffId: d.id, version: d.version, action }), done);

  return (
    <Flex vertical gap={16} data-testid="diff-detail">
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label="差异类型">
          <Tag color={DIFF_TYPE_COLORS[d.type]}>{v.diffTypes[d.type]}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="差异金额">
          <Money fen={d.amountFen} strong />
        </Descriptions.Item>
        <Descriptions.Item label="处理状态">
          <Tag color={DIFF_STATUS_COLORS[d.status]} data-testid="diff-status">
            {v.diffStatuses[d.status]}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label="渠道 / 账单日">
          {labelOf(v.paymentMethods, d.channel)} · {d.billDate}
        </Descriptions.Item>
        <Descriptions.Item label="处理人">{d.assigneeName ?? none}</Descriptions.Item>
        <Descriptions.Item label="首次发现">{formatTime(d.firstFoundAt)}</Descriptions.Item>
        {d.resolution ? (
          <Descriptions.Item label="处理结果" span={3}>
            {v.diffResolutions[d.resolution]}
            {d.resolutionNote ? `：${d.resolutionNote}` : ''}
            {d.resolvedByName ? `（${d.resolvedByName} ${formatTime(d.resolvedAt)}）` : ''}
            {d.refundNo ? ` · 退款单 ${d.refundNo}` : ''}
          </Descriptions.Item>
        ) : null}
      </Descriptions>

      <RecordCompare detail={detail} />

      {mayResolve ? (
        <Flex vertical gap={8}>
          <Typography.Text strong>处理</Typography.Text>
          <Space wrap>
            {d.assigneeId === session.user.id ? null : (
              <Button loading={busy === 'assign'} onClick={() => void run('assign', () => call('recon.assignDiff', { diffId: d.id, assigneeId: session.user.id, version: d.version }), '已分配给我')}>
                分配给我
              </Button>
            )}
            <Select<DiffStatus>
              style={{ width: 140 }}
              value={d.status}
              aria-label="处理状态"
              onChange={(s) => void run('status', () => call('recon.setDiffStatus', { diffId: d.id, status: s, version: d.version }), `已标记为${v.diffStatuses[s]}`)}
              options={optionsOf(v.diffStatuses)}
              data-testid="diff-status-select"
            />
          </Space>
          {closed ? null : (
            <Space wrap>
              <Popconfirm title="向支付平台重新查询这笔记录？" description="平台确认的结果会写入本地记录。" okText="查询" cancelText="取消" onConfirm={() => void act({ kind: 'requery' }, '已重新查询支付平台')}>
                <Button loading={busy === 'requery'}>重新查询</Button>
              </Popconfirm>
              {actionsFor(d).map((a) => (
                <Button key={a} loading={busy === a} danger={a === 'refund_duplicate'} onClick={() => setReasonFor(a)}>
                  {REASON_TITLES[a].title}
                </Button>
              ))}
              <Button loading={busy === 'adjust'} onClick={() => setAdjusting(true)}>
                调账
              </Button>
            </Space>
          )}
        </Flex>
      ) : null}

      {detail.adjustments.length ? (
        <Flex vertical gap={4}>
          <Typography.Text strong>调账记录</Typography.Text>
          {detail.adjustments.map((a) => (
            <Typography.Text key={a.id}>
              {labelOf(v.adjustmentAccounts, a.account)} <Money fen={a.amountFen} /> · {a.reason}（{a.createdByName} {formatTime(a.createdAt)}）
            </Typography.Text>
          ))}
        </Flex>
      ) : null}

      <Flex vertical gap={8} data-testid="diff-notes">
        <Typography.Text strong>备注（{detail.notes.length}）</Typography.Text>
        <List
          size="small"
          bordered
          locale={{ emptyText: '还没有备注' }}
          dataSource={detail.notes}
          renderItem={(n) => (
            <List.Item>
              <Flex vertical style={{ width: '100%' }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {n.authorName} · {formatTime(n.createdAt)}
                </Typography.Text>
                <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{n.body}</Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
        {mayResolve ? (
          <Flex gap={8} align="flex-start">
            <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} placeholder="记录核实情况，例如已联系平台客服…" aria-label="备注" />
            <Button
              type="primary"
              disabled={!note.trim()}
              loading={busy === 'note'}
              onClick={() =>
                void run('note', () => call('recon.noteDiff', { diffId: d.id, body: note.trim() }), '备注已添加').then((ok) => {
                  if (ok) setNote('');
                })
              }
            >
              添加备注
            </Button>
          </Flex>
        ) : null}
      </Flex>

      <FormModal<{ reason: string }>
        title={reasonFor ? REASON_TITLES[reasonFor].title : ''}
        name="diff-reason"
        open={reasonFor !== null}
        form={reasonForm}
        okText={reasonFor ? REASON_TITLES[reasonFor].ok : '确定'}
        okDanger={reasonFor === 'refund_duplicate'}
        onCancel={() => setReasonFor(null)}
        onSubmit={async ({ reason }) => {
          if (!reasonFor) return;
          const ok = await act({ kind: reasonFor, reason: reason.trim() }, `${REASON_TITLES[reasonFor].title}：已处理`);
          if (!ok) throw new Error('refused');
          setReasonFor(null);
        }}
        data-testid="diff-reason-form"
      >
        {reasonFor === 'refund_duplicate' ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="将为重复的一笔付款发起退款，经审批后退回付款人。" /> : null}
        <Form.Item name="reason" label={reasonFor ? REASON_TITLES[reasonFor].label : '原因'} rules={[{ required: true, whitespace: true, message: '请填写原因' }]}>
          <Input.TextArea maxLength={256} autoSize={{ minRows: 2 }} />
        </Form.Item>
      </FormModal>

      <FormModal<{ account: AdjustmentAccount; direction: 'increase' | 'decrease'; amount: number; reason: string }>
        title="调账"
        name="diff-adjust"
        open={adjusting}
        form={adjustForm}
        okText="确认调账"
        initialValues={{ account: d.type === 'fee' ? 'fee' : 'amount', direction: 'increase', amount: d.amountFen / 100 }}
        onCancel={() => setAdjusting(false)}
        onSubmit={async (a) => {
          const ok = await act({ kind: 'adjust', account: a.account, direction: a.direction, amount: a.amount.toFixed(2), reason: a.reason.trim() }, '调账已登记');
          if (!ok) throw new Error('refused');
          setAdjusting(false);
        }}
        data-testid="diff-adjust-form"
      >
        <Form.Item name="account" label="调账科目" rules={[{ required: true, message: '请选择调账科目' }]}>
          <Select options={optionsOf(v.adjustmentAccounts)} />
        </Form.Item>
        <Form.Item name="direction" label="方向">
          <Radio.Group
            options={[
              { value: 'increase', label: '调增' },
              { value: 'decrease', label: '调减' },
            ]}
          />
        </Form.Item>
        <Form.Item name="amount" label="金额（元）" rules={[{ required: true, message: '请填写金额' }]}>
          <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label="调账原因" rules={[{ required: true, whitespace: true, message: '请填写调账原因' }]}>
          <Input.TextArea maxLength={256} autoSize={{ minRows: 2 }} />
        </Form.Item>
      </FormModal>
    </Flex>
  );
}

/** The side panel of the workbench: one difference, both records, notes and what to do about it. */
export function DiffDrawer({ diffId, onClose, onChanged }: { diffId: number | null; onClose: () => void; onChanged: () => void }) {
  const detail = useChannel('recon.getDiff', diffId ? { diffId } : null);
  const data = detail.data?.diff.id === diffId ? detail.data : undefined;
  return (
    <Drawer title={data ? `差异 #${data.diff.id} · ${data.diff.key}` : '差异详情'} open={diffId !== null} onClose={onClose} size="min(820px, 100vw)" destroyOnHidden data-testid="diff-drawer">
      {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : null}
      {!data && detail.loading ? <Skeleton active paragraph={{ rows: 10 }} /> : null}
      {data ? (
        <DiffDetailView
          detail={data}
          onChanged={() => {
            detail.reload();
            onChanged();
          }}
        />
      ) : null}
    </Drawer>
  );
}
