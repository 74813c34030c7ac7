import type { Fen } from '../money';
import type { PaymentMethod } from '../orders/order-types';
import type { TransactionStatus, TransactionType } from './transaction-types';

export interface Transaction {
  transactionNo: string;
  orderNo: string;
  method: PaymentMethod;
  amountFen: Fen;
  status: TransactionStatus;
  type: TransactionType;
  gatewayTradeNo: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface TransactionFilter {
  transactionNo?: string;
  orderNo?: string;
  statuses?: TransactionStatus[];
  types?: TransactionType[];
  methods?: PaymentMethod[];
  createdFrom?: number;
  createdTo?: number;
}

export const TRANSACTION_SORT_FIELDS = ['createdAt', 'amount'] as const;
export type TransactionSortField = (typeof TRANSACTION_SORT_FIELDS)[number];

/** Statistics for a period (design document 4.2.3). Success rate is over finished payments. */
export interface TransactionStats {
  totalAmountFen: Fen;
  successCount: number;
  totalCount: number;
  failedCount: number;
  pendingCount: number;
  /** success / (success + failed); null when nothing finished in the period. */
  successRate: number | null;
  byMethod: { method: PaymentMethod; amountFen: Fen; count: number; share: number }[];
  refundedAmountFen: Fen;
}

/** One Asia/Shanghai business day of successful payments (支付趋势). Days without payments are present with zeros. */
export interface DailyTrendPoint {
  date: string;
  amountFen: Fen;
  count: number;
}
