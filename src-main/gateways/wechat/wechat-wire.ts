import { z } from 'zod';
import { MAX_FEN } from '../../core/money';
import { isoShanghai } from '../../core/time';
import type { RefundStatus, TradeStatus, TransferStatus } from '../gateway';

/**
 * The JSON WeChat Pay APIv3 sends and receives, as far as we use it. Amounts are integer FEN on this
 * API (unlike the bills, which are in yuan); times are RFC3339 with the +08:00 offset. Unknown fields
 * are ignored, missing required ones make the message malformed.
 * Sources: pay.weixin.qq.com/doc/v3/merchant/4012556398 (close), …/4013070356 (query by out_trade_no),
 * …/partner/4012709253 (refunds: out_refund_no is idempotent, ≤ 50 partial refunds, amounts in fen),
 * docs/merchant/apis/mch-trans/transfer-bill/transfer-to-user.html and the partner query page
 * (states ACCEPTED PROCESSING WAIT_USER_CONFIRM TRANSFERING SUCCESS FAIL CANCELING CANCELLED; fen),
 * docs/merchant/apis/batch-transfer-to-balance/callback-notice.html (MCHTRANSFER.BILL.FINISHED,
 * original_type mch_payment), TheNorthMemory/wechatpay.js.org webhook/v3/TRANSACTION.SUCCESS.md.
 */
const fen = z.number().int().min(0).max(MAX_FEN);

export const wxErrorSchema = z.object({ code: z.string(), message: z.string().optional() });

export const wxPrepaySchema = z.object({ prepay_id: z.string().min(1) });
export const wxCodeUrlSchema = z.object({ code_url: z.string().min(1) });

export const wxTransactionSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_type: z.string().optional(),
  trade_state: z.string(),
  trade_state_desc: z.string().optional(),
  bank_type: z.string().optional(),
  attach: z.string().optional(),
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string().optional() }).optional(),
  amount: z.object({ total: fen.optional(), payer_total: fen.optional(), currency: z.string().optional(), payer_currency: z.string().optional() }).optional(),
});
export type WxTransaction = z.infer<typeof wxTransactionSchema>;

export const wxRefundSchema = z.object({
  refund_id: z.string(),
  out_refund_no: z.string(),
  transaction_id: z.string(),
  out_trade_no: z.string(),
  channel: z.string().optional(),
  user_received_account: z.string().optional(),
  success_time: z.string().optional(),
  create_time: z.string().optional(),
  status: z.string(),
  funds_account: z.string().optional(),
  amount: z.object({
    total: fen,
    refund: fen,
    payer_total: fen.optional(),
    payer_refund: fen.optional(),
    settlement_total: fen.optional(),
    settlement_refund: fen.optional(),
    discount_refund: fen.optional(),
    currency: z.string().optional(),
    refund_fee: fen.optional(),
  }),
});
export type WxRefund = z.infer<typeof wxRefundSchema>;

/** The decrypted REFUND.* resource: `refund_status` where the API says `status`, and `mchid`. */
export const wxRefundNoticeSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: z.string(),
  success_time: z.string().optional(),
  user_received_account: z.string().optional(),
  amount: z.object({ total: fen, refund: fen, payer_total: fen.optional(), payer_refund: fen.optional() }),
});

export const wxTransferBillSchema = z.object({
  mch_id: z.string().optional(),
  out_bill_no: z.string(),
  transfer_bill_no: z.string(),
  appid: z.string().optional(),
  state: z.string(),
  transfer_amount: fen.optional(),
  transfer_remark: z.string().optional(),
  fail_reason: z.string().optional(),
  openid: z.string().optional(),
  create_time: z.string().optional(),
  update_time: z.string().optional(),
  package_info: z.string().optional(),
});
export type WxTransferBill = z.infer<typeof wxTransferBillSchema>;

export const wxBillUrlSchema = z.object({ hash_type: z.string(), hash_value: z.string(), download_url: z.string() });

export const wxNotificationSchema = z.object({
  id: z.string().min(1),
  create_time: z.string(),
  event_type: z.string(),
  resource_type: z.string(),
  summary: z.string().optional(),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string(),
    nonce: z.string(),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
});
export type WxNotification = z.infer<typeof wxNotificationSchema>;

/** trade_state → our state. REFUND is "转入退款": it was paid, and at least one refund was applied for. */
export const TRADE_STATES: Record<string, TradeStatus['state']> = {
  SUCCESS: 'paid',
  REFUND: 'refunded',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'failed',
};

/** status / refund_status → our state; ABNORMAL (e.g. the payer's card was closed) needs a person. */
export const REFUND_STATES: Record<string, RefundStatus['state']> = {
  SUCCESS: 'success',
  PROCESSING: 'processing',
  ABNORMAL: 'failed',
  CLOSED: 'closed',
};

export const TRANSFER_STATES: Record<string, TransferStatus['state']> = {
  ACCEPTED: 'processing',
  PROCESSING: 'processing',
  TRANSFERING: 'processing',
  CANCELING: 'processing',
  WAIT_USER_CONFIRM: 'wait_user_confirm',
  SUCCESS: 'success',
  FAIL: 'failed',
  CANCELLED: 'cancelled',
};

/** Failures that a resend cannot fix (wrong payee data, closed account): a person has to look. */
export const NON_RETRYABLE_TRANSFER_FAILURES = new Set([
  'ACCOUNT_FROZEN',
  'ACCOUNT_NOT_EXIST',
  'NAME_NOT_CORRECT',
  'OPENID_INVALID',
  'REAL_NAME_CHECK_FAIL',
  'ID_CARD_NOT_CORRECT',
  'TRANSFER_QUOTA_EXCEED',
]);

/** RFC3339 in Shanghai time, as WeChat writes it: 2021-01-24T14:53:05+08:00. */
export function rfc3339(epochMs: number): string {
  return isoShanghai(epochMs);
}

export function parseRfc3339(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}
