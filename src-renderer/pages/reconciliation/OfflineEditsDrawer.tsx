import { Alert, App, Button, Card, Drawer, Empty, Flex, Popconfirm, Skeleton, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { labelOf, useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { formatFen } from '../../components/money-format';
import { formatTime } from '../../components/time-format';
import { DIFF_TYPE_COLORS, mono } from './recon-labels';

type OfflineEdit = ChannelOutput<'recon.listOfflineEdits'>[number];
type WorkState = NonNullable<OfflineEdit['conflict']>['seen'];

const HIGHLIGHT = '#fff1f0';

/** The three versions of a difference in conflict, field by field; the fields the colleague changed are marked. */
function ConflictTable({ conflict }: { conflict: NonNullable<OfflineEdit['conflict']> }) {
  const v = useVocabulary();
  const rows: { key: string; label: string; show: (s: WorkState) => string }[] = [
    { key: 'status', label: '处理状态', show: (s) => labelOf(v.diffStatuses, s.status) },
    { key: 'assignee', label: '处理人', show: (s) => s.assigneeName ?? '未分配' },
    { key: 'resolution', label: '处理方式', show: (s) => (s.resolution ? labelOf(v.diffResolutions, s.resolution) : '—') },
    { key: 'note', label: '处理说明', show: (s) => s.resolutionNote ?? '—' },
    { key: 'amount', label: '差异金额', show: (s) => formatFen(s.amountFen) },
  ];
  const changed = (r: (typeof rows)[number]) => r.show(conflict.seen) !== r.show(conflict.theirs);
  return (
    <Table
      size="small"
      bordered
      pagination={false}
      rowKey="key"
      tableLayout="fixed"
      dataSource={rows}
      data-testid="offline-conflict-versions"
      onRow={(r) => (changed(r) ? { style: { background: HIGHLIGHT }, 'data-changed': 'true' } : {})}
      columns={[
        { title: '字段', dataIndex: 'label', width: 84 },
        { title: '离线时看到的', key: 'seen', render: (_, r) => r.show(conflict.seen) },
        { title: '我的修改', key: 'mine', render: (_, r) => <Typography.Text strong={r.show(conflict.mine) !== r.show(conflict.seen)}>{r.show(conflict.mine)}</Typography.Text> },
        { title: '当前（他人修改后）', key: 'theirs', render: (_, r) => <Typography.Text type={changed(r) ? 'danger' : undefined} strong={changed(r)}>{r.show(conflict.theirs)}</Typography.Text> },
      ]}
    />
  );
}

function EditCard({ edit, onChanged }: { edit: OfflineEdit; onChanged: () => void }) {
  const v = useVocabulary();
  const { can } = useAuth();
  const { message } = App.useApp();
  const report = useReportError();
  const [busy, setBusy] = useState<'mine' | 'theirs' | null>(null);
  const resolve = async (choice: 'mine' | 'theirs') => {
    setBusy(choice);
    try {
      await call('recon.resolveOfflineEdit', { editId: edit.id, choice });
      void message.success(choice === 'mine' ? '已保留我的修改并同步到中心数据库' : '已采用对方的版本，我的离线修改已放弃');
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
      onChanged();
    }
  };
  const d = edit.diff;
  return (
    <Card
      size="small"
      data-testid="offline-edit"
      data-state={edit.state}
      title={
        <Flex gap={8} align="center" wrap>
          {d ? (
            <>
              <Tag color={DIFF_TYPE_COLORS[d.type]}>{d.typeLabel}</Tag>
              <span style={mono}>{d.key}</span>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {labelOf(v.paymentMethods, d.channel)} · {d.billDate}
              </Typography.Text>
            </>
          ) : (
            <span>差异 #{edit.diffId}</span>
          )}
        </Flex>
      }
      extra={edit.state === 'conflict' ? <Tag color="error">冲突</Tag> : <Tag color="processing">待同步</Tag>}
    >
      <Flex vertical gap={8}>
        <Typography.Text>{edit.summary}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {edit.authorName} 于 {formatTime(edit.createdAt)} 离线记录
        </Typography.Text>
        {edit.conflict ? (
          <>
            <Alert type="warning" showIcon title={edit.conflict.message} />
            <ConflictTable conflict={edit.conflict} />
            {can('recon:resolve') ? (
              <Flex gap={8} justify="flex-end">
                <Button loading={busy === 'theirs'} disabled={busy !== null} onClick={() => void resolve('theirs')}>
                  采用对方的版本
                </Button>
                <Popconfirm title="保留我的修改？" description="我的修改将覆盖他人在离线期间所做的处理，并记入审计日志。" okText="保留我的修改" cancelText="再想想" onConfirm={() => resolve('mine')}>
                  <Button type="primary" loading={busy === 'mine'} disabled={busy !== null}>
                    保留我的修改
                  </Button>
                </Popconfirm>
              </Flex>
            ) : null}
          </>
        ) : null}
      </Flex>
    </Card>
  );
}

/**
 * 离线修改: this person's edits made while the central store could not be reached — those waiting
 * to be sent, and those that met a colleague's change meanwhile, shown with both versions to keep
 * mine or take theirs. Nothing is overwritten without that choice.
 */
export function OfflineEditsDrawer({ open, onClose, onChanged }: { open: boolean; onClose: () => void; onChanged: () => void }) {
  const edits = useChannel('recon.listOfflineEdits', open ? {} : null);
  const items = edits.data ?? [];
  const conflicts = items.filter((e) => e.state === 'conflict').length;
  return (
    <Drawer title="离线修改" open={open} onClose={onClose} width={640} destroyOnHidden data-testid="offline-edits-drawer">
      {edits.error ? <LoadError error={edits.error} onRetry={edits.reload} /> : null}
      {!edits.data && edits.loading ? <Skeleton active /> : null}
      {edits.data && items.length === 0 ? <Empty description="没有待同步的离线修改" /> : null}
      {items.length ? (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">
            共 {items.length} 项{conflicts ? `，其中 ${conflicts} 项与他人的修改冲突，请逐项选择` : '，恢复连接后按记录顺序自动同步'}。
          </Typography.Text>
          {items.map((e) => (
            <EditCard
              key={e.id}
              edit={e}
              onChanged={() => {
                edits.reload();
                onChanged();
              }}
            />
          ))}
        </Flex>
      ) : null}
    </Drawer>
  );
}
