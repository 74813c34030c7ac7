import { LINE_FIELD_LABELS } from './batch-lines';
import { BATCH_SOURCE_LABELS, BATCH_STATUS_LABELS, BATCH_TYPE_LABELS, ITEM_STATUS_LABELS } from './batch-state';

/** The words of 批量付款 for the renderer (served by `meta.vocabulary`), the audit log and messages. */
export const BATCH_VOCABULARY = {
  batchStatuses: BATCH_STATUS_LABELS,
  batchTypes: BATCH_TYPE_LABELS,
  batchSources: BATCH_SOURCE_LABELS,
  batchItemStatuses: ITEM_STATUS_LABELS,
  batchLineFields: LINE_FIELD_LABELS,
};

export const BATCH_AUDIT_ACTION_LABELS: Record<string, string> = {
  'batch.create': '创建批量付款任务',
  'batch.submit': '批量任务提交审批',
  'batch.withdraw': '撤回批量任务审批',
  'batch.approved': '批量任务审批通过',
  'batch.rejected': '批量任务审批驳回',
  'batch.start': '批量任务开始执行',
  'batch.pause': '暂停批量任务',
  'batch.resume': '继续执行批量任务',
  'batch.cancel': '取消批量任务',
  'batch.finish': '批量任务执行结束',
  'batch.reopen': '批量任务重新执行（失败项重发）',
  'batch_item.send': '发起转账',
  'batch_item.pending': '转账结果待确认',
  'batch_item.accepted': '平台已受理转账',
  'batch_item.wait_confirm': '等待收款人确认收款',
  'batch_item.retry': '转账失败，自动重试',
  'batch_item.success': '付款成功',
  'batch_item.fail': '付款失败',
  'batch_item.cancel': '付款已取消',
  'batch_item.cancel_request': '申请撤销转账',
  'batch_item.mismatch': '转账金额与明细不符',
  'batch_item.fix': '修改收款信息',
  'batch_item.resend': '失败项重新发送（提交审批）',
  'batch_item.resend_approved': '失败项重新发送审批通过',
  'batch_item.resend_rejected': '失败项重新发送审批驳回',
};

/**
 * The fields of 批量付款's audit snapshots (batch and item histories) not already named by another
 * area. Field labels are shared by every kind of record, so a batch writes its own keys where a
 * common one means something else elsewhere (batchType, not an order's `type`; batchTitle, not an
 * invoice's `title`; totalAmountFen, not a booking's 总价).
 */
export const BATCH_AUDIT_FIELD_LABELS: Record<string, string> = {
  batchType: '批量类型',
  batchTitle: '任务名称',
  sourceKind: '来源',
  sourceRef: '来源编号',
  totalCount: '总笔数',
  totalAmountFen: '总金额',
  cancelledItems: '取消笔数',
  cancelledFen: '取消金额',
  successCount: '成功笔数',
  successFen: '成功金额',
  failedCount: '失败笔数',
  failedFen: '失败金额',
  item: '明细',
  channel: '收款方式',
  account: '收款账号',
  confirmExpiresAt: '收款确认截止',
  tries: '本次发送的请求次数',
  message: '平台应答',
  answer: '平台应答',
  withdrawn: '已撤回审批',
};

export const BATCH_AUDIT_ENTITY_LABELS: Record<string, string> = {
  payout_batch: '批量付款任务',
  payout_batch_item: '批量付款明细',
};

/** Message templates (same shape as core/notifications/notification-templates.ts). */
export const BATCH_NOTIFICATION_TEMPLATES: Record<string, { label: string; render(p: Readonly<Record<string, string>>): string }> = {
  payout_success: {
    label: '付款到账通知',
    render: (p) => `${p.payee ?? ''}：${p.purpose ?? ''} ${p.amount ?? ''} 元已于 ${p.paidAt ?? ''} 通过${p.channel ?? ''}付至 ${p.account ?? ''}，${p.arrival ?? ''}。`,
  },
  payout_failures: {
    label: '批量付款失败提醒',
    render: (p) => `批量付款任务 ${p.batchNo ?? ''}（${p.title ?? ''}）执行结束：成功 ${p.successCount ?? '0'} 笔，失败 ${p.failedCount ?? '0'} 笔共 ${p.failedAmount ?? ''} 元，请在失败列表中处理。`,
  },
};
