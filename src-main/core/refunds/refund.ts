import type { Fen } from '../money';
import type { PaymentMethod } from '../orders/order-types';
import { ARRIVAL_CHANNEL_LABELS } from './arrival';
import { REFUND_STATE_LABELS, type RefundState } from './refund-state';

/**
 * Who asked for a refund: staff in the app, a customer through the REST API, the booking
 * cancellation rule (预约取消按时间退款), or staff returning money recorded as a 支付异常.
 */
export const REFUND_SOURCES = ['staff', 'customer', 'booking_cancel', 'exception'] as const;
export type RefundSource = (typeof REFUND_SOURCES)[number];
export const REFUND_SOURCE_LABELS: Record<RefundSource, string> = {
  staff: '工作人员申请',
  customer: '客户申请（接口）',
  booking_cancel: '预定取消',
  exception: '支付异常退回',
};

/** A refund as the services and the UI see it (money in fen, times in epoch ms). */
export interface Refund {
  /** Also the platform's out_refund_no / out_request_no, fixed before the first attempt. */
  refundNo: string;
  orderNo: string;
  platform: PaymentMethod;
  amountFen: Fen;
  reason: string;
  state: RefundState;
  /** Only meaningful in `failed`. */
  retryable: boolean;
  /** Why it was rejected, failed or closed. */
  failReason: string | null;
  source: RefundSource;
  requestedBy: number | null;
  requestedByName: string;
  /** The booking whose cancellation asked for it, when there is one. */
  relatedRef: string | null;
  /** The 支付异常 whose money it returns; null for refunds of an order's payment. */
  exceptionId: number | null;
  platformRefundNo: string | null;
  /** Fee the platform reported for the refund (WeChat refund_fee), when it reported one. */
  feeFen: Fen | null;
  /** Calls made to the platform; > 0 means the platform may know it, so it is queried before any resend. */
  attempts: number;
  sentAt: number | null;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
  approvedAt: number | null;
  succeededAt: number | null;
  finishedAt: number | null;
  arrivalChannel: string | null;
  /** Expected arrival, Asia/Shanghai dates (YYYY-MM-DD), once the platform reported success. */
  arrivalFrom: string | null;
  arrivalTo: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface RefundFilter {
  refundNo?: string;
  orderNo?: string;
  states?: RefundState[];
  platforms?: PaymentMethod[];
  createdFrom?: number;
  createdTo?: number;
}

/** The refund words the renderer shows (served by `meta.vocabulary`). */
export const REFUND_VOCABULARY = {
  refundStates: REFUND_STATE_LABELS,
  refundSources: REFUND_SOURCE_LABELS,
  arrivalChannels: ARRIVAL_CHANNEL_LABELS,
};
