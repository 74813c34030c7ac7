import { SyncOutlined } from '@ant-design/icons';
import { App, Button, Descriptions, Drawer, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { formatTime } from '../../components/time-format';
import { APPROVAL_STATUS_COLORS, APPROVAL_STATUS_LABELS } from '../approvals/approval-labels';
import { ItemStatusTag, type BatchItem } from './batch-tags';

const IN_FLIGHT = new Set<BatchItem['status']>(['sending', 'processing', 'wait_confirm']);

/**
 * One item of a batch: the payee (account masked), every request id it was sent under, the
 * platform's answers and the item's history; 查询结果 asks the platform now, and a failed item is
 * fixed and re-sent from here as from the failure list.
 */
export function ItemDrawer({ itemId, refreshKey, onClose, onFix, onResend, onChanged }: {
  itemId: number | null;
  refreshKey: string;
  onClose: () => void;
  onFix: (item: BatchItem) => void;
  onResend: (item: BatchItem) => void;
  onChanged: () => void;
}) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const report = useReportError();
  const [querying, setQuerying] = useState(false);
  const detail = useChannel('batches.item', itemId === null ? null : { itemId });
  const { reload } = detail;
  // Read again when the batch's numbers change while the drawer is open.
  const seen = useRef(refreshKey);
  useEffect(() => {
    if (seen.current === refreshKey) return;
    seen.current = refreshKey;
    reload();
  }, [refreshKey, reload]);
  const d = detail.data?.item.id === itemId ? detail.data : undefined;
  const i = d?.item;

  const refresh = async () => {
    if (!i) return;
    setQuerying(true);
    try {
      const after = await call('batches.refreshItem', { itemId: i.id });
      void message.info(`第 ${i.seq} 笔：${after.statusLabel}`);
      detail.reload();
      onChanged();
    } catch (e) {
      report(e);
    } finally {
      setQuerying(false);
    }
  };

  return (
    <Drawer
      open={itemId !== null}
      onClose={onClose}
      size="min(860px, 100vw)"
      title={i ? `第 ${i.seq} 笔 · ${i.payeeName}` : '付款明细'}
      destroyOnHidden
      data-testid="item-drawer"
      extra={
        i ? (
          <Space>
            {IN_FLIGHT.has(i.status) && can('batch:execute') ? (
              <Button icon={<SyncOutlined />} loading={querying} onClick={() => void refresh()}>
                查询结果
              </Button>
            ) : null}
            {i.canFix && can('batch:create') ? <Button onClick={() => onFix(i)}>修改收款信息</Button> : null}
            {i.canResend && can('batch:create') ? (
              <Button type="primary" onClick={() => onResend(i)}>
                重新发送
              </Button>
            ) : null}
          </Space>
        ) : null
      }
    >
      {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : null}
      {!d ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { label: '明细编号', span: 2, children: <Typography.Text copyable>{i!.itemRef}</Typography.Text> },
              { label: '收款人', children: i!.payeeName },
              { label: '金额', children: <Money fen={i!.amountFen} strong /> },
              { label: '收款方式', children: i!.channelLabel },
              { label: '收款账号', children: i!.accountMasked },
              ...(i!.bankName ? [{ label: '开户银行', span: 2, children: i!.bankName }] : []),
              { label: '状态', children: <ItemStatusTag status={i!.status} /> },
              { label: '到账', children: i!.expectedArrival },
              { label: '转账请求号', span: 2, children: i!.transferNo ? `${i!.transferNo}（第 ${i!.attempt} 次发送）` : '未发送' },
              { label: '平台单号', span: 2, children: i!.platformTransferNo ?? '—' },
              { label: '发送时间', children: formatTime(i!.sentAt) },
              { label: '完成时间', children: formatTime(i!.finishedAt) },
              ...(i!.confirmExpiresAt ? [{ label: '确认截止', span: 2, children: `${formatTime(i!.confirmExpiresAt)}（收款人须在此前于微信中确认收款，逾期将撤销转账）` }] : []),
              ...(i!.failReason
                ? [{ label: i!.status === 'failed' ? '失败原因' : '最近应答', span: 2, children: <Typography.Text type={i!.status === 'failed' ? 'danger' : undefined}>{i!.failReason}{i!.status === 'failed' ? (i!.retryable ? '（可直接重新发送）' : '（需核对收款信息）') : ''}</Typography.Text> }]
                : []),
              ...(i!.remark ? [{ label: '备注', span: 2, children: i!.remark }] : []),
              ...(i!.voucherNo ? [{ label: '付款凭证', span: 2, children: can('voucher:view') ? <Link to={`/vouchers/${i!.voucherNo}`}>{i!.voucherNo}</Link> : i!.voucherNo }] : []),
            ]}
          />
          {d.approvals ? (
            <Typography.Paragraph style={{ marginTop: 16 }} data-testid="item-resend-approval">
              重新发送审批：
              <Tag color={APPROVAL_STATUS_COLORS[d.approvals.status]}>{APPROVAL_STATUS_LABELS[d.approvals.status]}</Tag>
              {can('approval:view') ? <Link to={`/approvals/${d.approvals.requestId}`}>审批单 #{d.approvals.requestId}</Link> : `审批单 #${d.approvals.requestId}`}
              {d.approvals.decisions.length ? `（${d.approvals.decisions.map((x) => `${x.approverName}${x.decision === 'approve' ? '同意' : '驳回'}`).join('，')}）` : ''}
            </Typography.Paragraph>
          ) : null}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            处理记录
          </Typography.Title>
          <AuditEntriesTable entries={d.history} hideEntity />
        </>
      )}
    </Drawer>
  );
}
