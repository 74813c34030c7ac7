import type { Fen } from '../core/money';

/**
 * One interface for the three payment platforms (ARCHITECTURE.md, Gateways). Everything crossing it
 * is in fen and epoch milliseconds; each adapter converts to its platform's units (WeChat: fen
 * integers, Alipay: yuan strings, bank institution: see bank/protocol.ts) once, at its edge, and
 * checks amounts it receives. Real endpoints and sandbox simulators differ only in configuration.
 */
export type Platform = 'wechat' | 'alipay' | 'bank';

/** How the payer pays: the mini-program, a QR code, a web page, a phone browser, a bank card. */
export type PayScene = 'wechat_jsapi' | 'wechat_native' | 'alipay_page' | 'alipay_wap' | 'alipay_precreate' | 'bank_quick' | 'bank_online';

export const SCENES_BY_PLATFORM: Record<Platform, readonly PayScene[]> = {
  wechat: ['wechat_jsapi', 'wechat_native'],
  alipay: ['alipay_page', 'alipay_wap', 'alipay_precreate'],
  bank: ['bank_quick', 'bank_online'],
};

export interface CreatePaymentRequest {
  orderNo: string;
  amountFen: Fen;
  /** What the payer sees (WeChat description / Alipay subject). */
  description: string;
  /** The platform closes the trade at this instant. */
  expireAt: number;
  scene: PayScene;
  notifyUrl: string;
  /** Where the browser goes after paying (Alipay page/wap, bank online). */
  returnUrl?: string;
  /** The payer's openid in our mini-program (WeChat JSAPI). */
  payerOpenId?: string;
  /** A bound card's token at the institution (bank quick pay). */
  bankCardToken?: string;
}

/** The mini-program's wx.requestPayment arguments (design document, section 6 of the mini-program part). */
export interface WechatPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export type CreatePaymentResult =
  | { kind: 'jsapi'; prepayId: string; payParams: WechatPayParams }
  /** Content of a QR code: WeChat Native `code_url`, Alipay precreate `qr_code`. */
  | { kind: 'qr'; codeUrl: string }
  /** A page to open: Alipay page/wap pay (signed GET URL), bank online banking. */
  | { kind: 'redirect'; url: string }
  /** Bank quick pay: the institution sends the payer an SMS code; `platformTradeNo` identifies the attempt. */
  | { kind: 'bank_quick'; platformTradeNo: string };

/** A payment as the platform sees it, normalized. */
export interface TradeStatus {
  orderNo: string;
  state: 'pending' | 'paid' | 'closed' | 'refunded' | 'failed';
  /** What the platform says was paid; present when paid. */
  amountFen?: Fen;
  platformTradeNo?: string;
  paidAt?: number;
}

export type CloseResult = { closed: true } | { closed: false; alreadyPaid: TradeStatus };

export interface RefundRequest {
  orderNo: string;
  /** Our refund number (out_refund_no / out_request_no): saved before the first attempt, reused on every retry. */
  refundNo: string;
  amountFen: Fen;
  /** The original payment's amount (WeChat requires it). */
  totalFen: Fen;
  reason: string;
  notifyUrl: string;
}

export interface RefundStatus {
  refundNo: string;
  orderNo: string;
  state: 'processing' | 'success' | 'failed' | 'closed';
  amountFen: Fen;
  platformRefundNo?: string;
  succeededAt?: number;
  /** Fee returned or charged by the platform for this refund, when it reports one. */
  feeFen?: Fen;
  failReason?: string;
}

export interface Payee {
  /** WeChat openid, Alipay login id / user id, or bank account number. */
  account: string;
  name: string;
  /** Bank transfers: the account's bank. */
  bankName?: string;
}

export interface TransferRequest {
  /** Our request id (out_bill_no / out_biz_no): saved before the first send, reused on retries. */
  transferNo: string;
  amountFen: Fen;
  payee: Payee;
  remark: string;
  notifyUrl: string;
}

export interface TransferStatus {
  transferNo: string;
  state: 'processing' | 'wait_user_confirm' | 'success' | 'failed' | 'cancelled';
  amountFen: Fen;
  platformTransferNo?: string;
  succeededAt?: number;
  failReason?: string;
  /** Non-retryable failures (wrong account, name mismatch) need a person; others may be retried. */
  retryable?: boolean;
  /** WeChat WAIT_USER_CONFIRM: what the payee's app needs to confirm receipt. */
  packageInfo?: string;
}

export interface BillRequest {
  /** Asia/Shanghai business date, YYYY-MM-DD. */
  date: string;
  type: 'all' | 'success' | 'refund';
}

export interface BillFile {
  platform: Platform;
  date: string;
  /** The file exactly as downloaded (and hash-checked where the platform gives a hash). */
  bytes: Buffer;
  /** wechat: CSV with backtick cells; alipay: ZIP of GBK CSVs; bank: see bank/protocol.ts. */
  format: 'wechat-csv' | 'alipay-zip' | 'bank-csv';
}

/** A callback request exactly as it arrived: the raw body is what the signature covers. */
export interface InboundRequest {
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export type NotificationEvent =
  | { kind: 'payment'; orderNo: string; state: TradeStatus['state']; amountFen: Fen; platformTradeNo: string; paidAt?: number }
  | { kind: 'refund'; orderNo: string; refundNo: string; state: RefundStatus['state']; amountFen: Fen; platformRefundNo?: string; succeededAt?: number }
  | { kind: 'transfer'; transferNo: string; state: TransferStatus['state']; amountFen: Fen; platformTransferNo?: string; failReason?: string };

export interface VerifiedNotification {
  platform: Platform;
  /** Unique per platform notification (WeChat `id`, Alipay `notify_id`, bank `notify_id`): the inbox key. */
  notificationId: string;
  event: NotificationEvent;
  /** The decrypted/decoded payload, kept in the inbox for investigation (never keys). */
  payload: unknown;
}

/** What to answer the platform: exactly its documented success or failure reply. */
export interface NotificationReply {
  status: number;
  contentType: string;
  body: string;
}

export interface Gateway {
  readonly platform: Platform;
  createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult>;
  queryPayment(orderNo: string): Promise<TradeStatus>;
  /** Closes an unpaid trade; a trade that was paid meanwhile is reported, not an error. */
  closePayment(orderNo: string): Promise<CloseResult>;
  refund(req: RefundRequest): Promise<RefundStatus>;
  queryRefund(orderNo: string, refundNo: string): Promise<RefundStatus>;
  transfer(req: TransferRequest): Promise<TransferStatus>;
  queryTransfer(transferNo: string): Promise<TransferStatus>;
  /**
   * Withdraws a transfer the payee has not accepted yet (WeChat 撤销转账 of a WAIT_USER_CONFIRM bill).
   * The answer is the bill's state after the request: usually still in progress (CANCELING) — the
   * final CANCELLED, or SUCCESS when the payee confirmed first, comes by notification or query.
   * Platforms whose transfers need no confirmation do not offer it.
   */
  cancelTransfer?(transferNo: string): Promise<TransferStatus>;
  downloadBill(req: BillRequest): Promise<BillFile>;
  /** Verifies (signature, timestamp, app/merchant ids), decrypts and parses; throws NotificationRejected. */
  verifyNotification(req: InboundRequest): Promise<VerifiedNotification>;
  /** The platform's success or failure answer to a notification. */
  notificationReply(accepted: boolean, reason?: string): NotificationReply;
}
