import { DomainError } from '../errors';
import { formatYuan, type Fen } from '../money';

/**
 * The life of one refund (design document 4.4.1, issue 5):
 *
 *   pending_approval ─approve→ processing ─succeed→ success
 *        │  └─close→ closed        │  └─fail→ failed ─retry→ processing (only when retryable)
 *        └─reject→ rejected        └─close→ closed      └─close→ closed
 *
 * - `processing` means approved: the request is at the platform or about to be sent. The
 *   `out_refund_no` is saved before the first attempt and reused, so a retry is the same refund.
 * - `failed` is a definite failure reported by the platform (WeChat ABNORMAL, a refused request),
 *   never a timeout: an unknown outcome stays `processing` until it is queried. `retryable` says
 *   whether sending again can help (the platform was busy) or not (the payer's card is closed).
 * - `closed`: withdrawn before approval, closed by the platform (WeChat CLOSED), or a failed refund
 *   given up by the accountant.
 * - Final: rejected, success, closed.
 *
 * Money: a refund in pending_approval, processing or success holds its amount against the order's
 * paid amount (`assertRefundable`), so two partial refunds can never together pass what was paid.
 * rejected, failed and closed release it; this is why `retry` must check the order again.
 */
export const REFUND_STATES = ['pending_approval', 'rejected', 'processing', 'success', 'failed', 'closed'] as const;
export type RefundState = (typeof REFUND_STATES)[number];
export const REFUND_STATE_LABELS: Record<RefundState, string> = {
  pending_approval: '待审批',
  rejected: '已驳回',
  processing: '退款中',
  success: '退款成功',
  failed: '退款失败',
  closed: '已关闭',
};

/** The states whose amount counts against the paid amount. */
export const RESERVING_REFUND_STATES: readonly RefundState[] = ['pending_approval', 'processing', 'success'];
export const FINAL_REFUND_STATES: readonly RefundState[] = ['rejected', 'success', 'closed'];

const ALLOWED: Record<RefundState, readonly RefundState[]> = {
  pending_approval: ['processing', 'rejected', 'closed'],
  processing: ['success', 'failed', 'closed'],
  failed: ['processing', 'closed'],
  rejected: [],
  success: [],
  closed: [],
};

export function canRefundTransition(from: RefundState, to: RefundState): boolean {
  return ALLOWED[from].includes(to);
}

export function isFinalRefundState(state: RefundState): boolean {
  return FINAL_REFUND_STATES.includes(state);
}

export function assertRefundTransition(from: RefundState, to: RefundState): void {
  if (!canRefundTransition(from, to))
    throw new DomainError(
      'REFUND_ILLEGAL_TRANSITION',
      `退款状态不能从「${REFUND_STATE_LABELS[from]}」变为「${REFUND_STATE_LABELS[to]}」`,
    );
}

/** What the state machine needs of a refund. Flat and nullable so it maps one-to-one onto a row. */
export interface RefundMoney {
  state: RefundState;
  amountFen: Fen;
  /** Why it was rejected, failed or closed; null otherwise. */
  reason: string | null;
  /** Only meaningful in `failed`: whether sending it again can succeed. */
  retryable: boolean;
}

/** A refund as `assertRefundable` sees it: a record with an amount and a state, whatever else it holds. */
export interface RefundAmount {
  amountFen: Fen;
  state: RefundState;
}

export type RefundEvent =
  | { kind: 'approve' }
  | { kind: 'reject'; reason: string }
  | { kind: 'succeed' }
  | { kind: 'fail'; reason: string; retryable: boolean }
  /** Send a retryable failed refund again; the order's other refunds are needed to re-check the total. */
  | { kind: 'retry'; paidFen: Fen; otherRefunds: readonly RefundAmount[] }
  | { kind: 'close'; reason: string };

/** A new refund request, after `assertRefundable` has passed. */
export function newRefund(amountFen: Fen): RefundMoney {
  checkRefundAmount(amountFen);
  return { state: 'pending_approval', amountFen, reason: null, retryable: false };
}

function requireReason(reason: string, message: string): string {
  const text = reason.trim();
  if (text === '') throw new DomainError('REFUND_REASON_REQUIRED', message);
  return text;
}

export function applyRefundEvent(refund: RefundMoney, event: RefundEvent): RefundMoney {
  switch (event.kind) {
    case 'approve':
      assertRefundTransition(refund.state, 'processing');
      if (refund.state !== 'pending_approval')
        throw new DomainError('REFUND_NOT_PENDING_APPROVAL', '只有待审批的退款可以审批通过');
      return { ...refund, state: 'processing', reason: null, retryable: false };
    case 'reject': {
      assertRefundTransition(refund.state, 'rejected');
      const reason = requireReason(event.reason, '驳回退款必须填写原因');
      return { ...refund, state: 'rejected', reason, retryable: false };
    }
    case 'succeed':
      if (refund.state === 'success') throw new DomainError('REFUND_ALREADY_SUCCESS', '退款已成功，不能重复处理');
      assertRefundTransition(refund.state, 'success');
      return { ...refund, state: 'success', reason: null, retryable: false };
    case 'fail': {
      assertRefundTransition(refund.state, 'failed');
      const reason = requireReason(event.reason, '退款失败必须记录失败原因');
      return { ...refund, state: 'failed', reason, retryable: event.retryable };
    }
    case 'retry':
      assertRefundTransition(refund.state, 'processing');
      if (refund.state !== 'failed') throw new DomainError('REFUND_NOT_FAILED', '只有退款失败的退款可以重试');
      if (!refund.retryable)
        throw new DomainError('REFUND_NOT_RETRYABLE', `该退款失败不可重试（${refund.reason ?? '原因未知'}），请关闭后重新申请`);
      // While it was failed its amount was free; another refund may have taken it since.
      assertRefundable(event.paidFen, event.otherRefunds, refund.amountFen);
      return { ...refund, state: 'processing', reason: null, retryable: false };
    case 'close': {
      assertRefundTransition(refund.state, 'closed');
      const reason = requireReason(event.reason, '关闭退款必须填写原因');
      return { ...refund, state: 'closed', reason, retryable: false };
    }
  }
}

function checkRefundAmount(amountFen: Fen): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
    throw new DomainError('AMOUNT_ZERO', '退款金额必须是大于 0 的整数分');
}

/** The sum of the refunds that hold money against the order: pending approval, processing, success. */
export function reservedRefundFen(refunds: readonly RefundAmount[]): Fen {
  let sum = 0;
  for (const r of refunds) if (RESERVING_REFUND_STATES.includes(r.state)) sum += r.amountFen;
  return sum;
}

/** What may still be requested: paid minus every refund pending, processing or succeeded (never below 0). */
export function refundableRemainingFen(paidFen: Fen, refunds: readonly RefundAmount[]): Fen {
  return Math.max(0, paidFen - reservedRefundFen(refunds));
}

/**
 * The invariant of issue 5: pending_approval + processing + success ≤ paid. The caller holds the
 * order's row lock (or version check) while it calls this and saves the new refund, so two
 * concurrent requests cannot both see the same remaining amount.
 */
export function assertRefundable(paidFen: Fen, refundsSoFar: readonly RefundAmount[], requestFen: Fen): void {
  checkRefundAmount(requestFen);
  if (!Number.isSafeInteger(paidFen) || paidFen <= 0)
    throw new DomainError('ORDER_NOT_REFUNDABLE', '订单没有已支付金额，不能退款');
  const remaining = refundableRemainingFen(paidFen, refundsSoFar);
  if (requestFen > remaining)
    throw new DomainError('REFUND_EXCEEDS_PAID', `退款总额不能超过已支付金额，剩余可退 ${formatYuan(remaining)}`);
}
