import { DomainError } from '../errors';

/**
 * 批量付款 (design document 2.3, 2.4, 4.5; issue 7): a batch task (批量付款任务) of salary or supplier
 * payees, approved as a whole through the approval engine, then paid item by item by transfer.
 *
 * Batch:  draft ─submit→ pending_approval ─approve→ approved ─first send→ running ─all items ended→
 *         completed | partial_failed | failed;  pending_approval ─reject→ rejected (─submit→ again),
 *         ─withdraw→ draft;  approved/running ⇄ paused;  draft/rejected/approved/running/paused → cancelled
 *         (items not yet sent are cancelled; money already on its way finishes).
 *         A failed item re-sent after approval re-opens a finished batch (→ running).
 *
 * Item:   pending ─request id saved→ sending ─platform accepted→ processing | wait_confirm (WeChat: the
 *         payee must confirm) → success | failed | cancelled.  `sending` also means "outcome unknown":
 *         the platform is asked before any resend. A definite failure that may pass (bank unavailable,
 *         payer balance) goes back to pending under a NEW attempt number, automatically a few times;
 *         then (and at once for a payee problem: wrong account, name mismatch) it is `failed`, in the
 *         failure list, where finance fixes the payee and re-sends it through approval (resend_approval).
 */
export const BATCH_STATUSES = ['draft', 'pending_approval', 'rejected', 'approved', 'running', 'paused', 'completed', 'partial_failed', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  draft: '草稿',
  pending_approval: '待审批',
  rejected: '已驳回',
  approved: '待执行',
  running: '执行中',
  paused: '已暂停',
  completed: '已完成',
  partial_failed: '部分失败',
  failed: '全部失败',
  cancelled: '已取消',
};

export const BATCH_TYPES = ['salary', 'supplier'] as const;
export type BatchTypeCode = (typeof BATCH_TYPES)[number];
export const BATCH_TYPE_LABELS: Record<BatchTypeCode, string> = { salary: '员工薪资', supplier: '供应商付款' };

/** Where a batch came from: an imported file, lines typed in the app (手工录入), the REST API, a salary sheet, contract terms. */
export const BATCH_SOURCE_KINDS = ['import', 'manual', 'api', 'salary_sheet', 'supplier_terms'] as const;
export type BatchSourceKindCode = (typeof BATCH_SOURCE_KINDS)[number];
export const BATCH_SOURCE_LABELS: Record<BatchSourceKindCode, string> = { import: '文件导入', manual: '手工录入', api: '接口创建', salary_sheet: '薪资表', supplier_terms: '合同付款条款' };

export const ITEM_STATUSES = ['pending', 'sending', 'processing', 'wait_confirm', 'success', 'failed', 'cancelled', 'resend_approval'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  pending: '待发送',
  sending: '发送中',
  processing: '处理中',
  wait_confirm: '待收款确认',
  success: '成功',
  failed: '失败',
  cancelled: '已取消',
  resend_approval: '重发审批中',
};

/** Items still owing an outcome: a batch is finished when none is left. */
export const ACTIVE_ITEM_STATUSES: readonly ItemStatus[] = ['pending', 'sending', 'processing', 'wait_confirm', 'resend_approval'];
/** Items whose transfer is (or may be) at the platform: they finish even in a paused or cancelled batch. */
export const IN_FLIGHT_ITEM_STATUSES: readonly ItemStatus[] = ['sending', 'processing', 'wait_confirm'];
export const FINAL_ITEM_STATUSES: readonly ItemStatus[] = ['success', 'failed', 'cancelled'];

export const isActiveItem = (s: ItemStatus) => ACTIVE_ITEM_STATUSES.includes(s);
export const isFinalItem = (s: ItemStatus) => FINAL_ITEM_STATUSES.includes(s);

/** Batches whose pending items the executor sends. */
export const SENDING_BATCH_STATUSES: readonly BatchStatus[] = ['approved', 'running'];
/** Batches that still hold their payees (duplicate check of a new import against them). */
export const OPEN_BATCH_STATUSES: readonly BatchStatus[] = ['draft', 'pending_approval', 'rejected', 'approved', 'running', 'paused'];
export const FINISHED_BATCH_STATUSES: readonly BatchStatus[] = ['completed', 'partial_failed', 'failed'];

type BatchAction = 'submit' | 'withdraw' | 'approve' | 'reject' | 'start' | 'pause' | 'resume' | 'cancel' | 'reopen';

const ALLOWED: Record<BatchAction, readonly BatchStatus[]> = {
  submit: ['draft', 'rejected'],
  withdraw: ['pending_approval'],
  approve: ['pending_approval'],
  reject: ['pending_approval'],
  start: ['approved'],
  pause: ['approved', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'rejected', 'approved', 'running', 'paused'],
  reopen: ['completed', 'partial_failed', 'failed', 'running', 'paused', 'approved'],
};

const ACTION_LABELS: Record<BatchAction, string> = {
  submit: '提交审批',
  withdraw: '撤回审批',
  approve: '审批通过',
  reject: '驳回',
  start: '开始执行',
  pause: '暂停',
  resume: '继续执行',
  cancel: '取消',
  reopen: '重新发送失败项',
};

export function canBatch(action: BatchAction, status: BatchStatus): boolean {
  return ALLOWED[action].includes(status);
}

/** Throws the accountant's sentence when the batch's status does not allow the action. */
export function assertBatch(action: BatchAction, status: BatchStatus): void {
  if (!canBatch(action, status)) {
    const hint = action === 'cancel' && status === 'pending_approval' ? '，请先撤回审批' : '';
    throw new DomainError('BATCH_STATE', `批量任务${BATCH_STATUS_LABELS[status]}，不能${ACTION_LABELS[action]}${hint}`);
  }
}

/** Per status: how many items (the repository's GROUP BY). */
export type ItemCounts = Partial<Record<ItemStatus, number>>;

/**
 * The status of a batch once none of its items owes an outcome: all paid → completed, none paid and
 * some failed → failed, otherwise partial_failed. A cancelled batch stays cancelled; with items
 * left it is not finished (null).
 */
export function finishedStatus(current: BatchStatus, counts: ItemCounts): BatchStatus | null {
  if (current === 'cancelled') return null;
  if (ACTIVE_ITEM_STATUSES.some((s) => (counts[s] ?? 0) > 0)) return null;
  const success = counts.success ?? 0;
  const failed = counts.failed ?? 0;
  if (failed === 0) return 'completed';
  return success === 0 && (counts.cancelled ?? 0) === 0 ? 'failed' : 'partial_failed';
}

// ─── numbers ────────────────────────────────────────────────────────────────────────────────────

export const BATCH_NO_PATTERN = /^B\d{20}$/;
/** Items per batch: the sequence has five digits in the item reference. */
export const MAX_BATCH_ITEMS = 20_000;
/** Attempts per item: two digits keep the transfer number within 32 characters. */
export const MAX_ATTEMPTS = 99;

/** `B…I00042`: the batch number and the item's sequence (1-based), what the accountant quotes. */
export function itemRefOf(batchNo: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > 99_999) throw new RangeError(`item seq out of range: ${seq}`);
  return `${batchNo}I${String(seq).padStart(5, '0')}`;
}

/**
 * The request id of one attempt (WeChat out_bill_no, Alipay out_biz_no, bank transfer_no):
 * `B<20 digits>I<5 digits>T<attempt>`, letters and digits only (WeChat allows nothing else), at most
 * 30 characters (every platform allows 32). Saved before the first send and reused on every resend
 * of that attempt; a new attempt (new number) only after the platform definitely failed the old one.
 */
export function transferNoOf(batchNo: string, seq: number, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPTS) throw new RangeError(`attempt out of range: ${attempt}`);
  return `${itemRefOf(batchNo, seq)}T${attempt}`;
}

export const ITEM_REF_PATTERN = /^(B\d{20})I(\d{5})$/;
const TRANSFER_NO_PATTERN = /^(B\d{20})I(\d{5})T(\d{1,2})$/;

export function parseItemRef(ref: string): { batchNo: string; seq: number } | null {
  const m = ITEM_REF_PATTERN.exec(ref);
  return m ? { batchNo: m[1]!, seq: Number(m[2]) } : null;
}

export function parseTransferNo(no: string): { batchNo: string; seq: number; attempt: number } | null {
  const m = TRANSFER_NO_PATTERN.exec(no);
  return m ? { batchNo: m[1]!, seq: Number(m[2]), attempt: Number(m[3]) } : null;
}
