import { DomainError } from '../errors';

/** Transactions (交易, design document 4.2): every movement of money tied to an order. */
export const TRANSACTION_STATUSES = ['pending', 'success', 'failed', 'refunding', 'refunded'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
export const TRANSACTION_STATUS_LABELS: Record<TransactionStatus, string> = {
  pending: '待处理',
  success: '成功',
  failed: '失败',
  refunding: '退款中',
  refunded: '已退款',
};

export const TRANSACTION_TYPES = ['payment', 'refund', 'transfer'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];
export const TRANSACTION_TYPE_LABELS: Record<TransactionType, string> = {
  payment: '支付',
  refund: '退款',
  transfer: '转账',
};

/**
 * pending → success | failed; success → refunding → refunded | success (a refund that failed);
 * a payment that was partly refunded stays `success`. Final: failed, refunded.
 */
const ALLOWED: Record<TransactionStatus, readonly TransactionStatus[]> = {
  pending: ['success', 'failed'],
  success: ['refunding', 'refunded'],
  refunding: ['refunded', 'success'],
  failed: [],
  refunded: [],
};

export function assertTransactionTransition(from: TransactionStatus, to: TransactionStatus): void {
  if (!ALLOWED[from].includes(to))
    throw new DomainError(
      'TRANSACTION_ILLEGAL_TRANSITION',
      `交易状态不能从「${TRANSACTION_STATUS_LABELS[from]}」变为「${TRANSACTION_STATUS_LABELS[to]}」`,
    );
}
