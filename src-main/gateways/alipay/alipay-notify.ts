import type { KeyObject } from 'node:crypto';
import type { Fen } from '../../core/money';
import { NotificationRejected } from '../gateway-errors';
import type { InboundRequest, NotificationEvent, TradeStatus } from '../gateway';
import { notifySignContent, rsa2Verify, type AlipayParams } from './alipay-sign';
import { AlipayWireError, optionalAmount, parseAmount, parseTime } from './alipay-wire';

/**
 * Alipay's asynchronous trade notification (notify_type=trade_status_sync), a form-encoded POST:
 * notify_id (the same on every retry of one notification), app_id, seller_id, trade_no, out_trade_no,
 * trade_status, total_amount, receipt_amount, gmt_payment, and for refunds out_biz_no (= our
 * out_request_no), refund_fee and gmt_refund. Verification (opendocs.alipay.com/open/203/105286): drop
 * sign and sign_type, sort, join the decoded values, RSA2-verify with the Alipay public key; then check
 * app_id and seller_id. Amounts are yuan strings. An empty value counts as `k=` in the official SDKs'
 * string; the string without empty values is accepted too (an added empty parameter means nothing here).
 */

export interface NotifyCheck {
  appId: string;
  /** The merchant's PID (2088…): when set, a notification for another seller is refused. */
  sellerId?: string;
  alipayPublicKeys: readonly KeyObject[];
}

/** A refund notification only says how much has been refunded IN TOTAL (refund_fee). */
export interface RefundNotice {
  orderNo: string;
  refundNo: string;
  platformTradeNo: string;
  /** refund_fee: "退款通知中，返回总退款金额" — cumulative over all refunds of the trade. */
  cumulativeRefundFen: Fen;
  totalFen: Fen;
  refundedAt?: number;
}

export type ParsedNotification =
  | { kind: 'payment'; notificationId: string; params: AlipayParams; event: Extract<NotificationEvent, { kind: 'payment' }> }
  | { kind: 'refund'; notificationId: string; params: AlipayParams; refund: RefundNotice };

const TRADE_STATES: Record<string, TradeStatus['state']> = {
  WAIT_BUYER_PAY: 'pending',
  TRADE_SUCCESS: 'paid',
  // Paid and no longer refundable: still a payment.
  TRADE_FINISHED: 'paid',
  TRADE_CLOSED: 'closed',
};

const reject = (reason: NotificationRejected['reason'], message: string) => new NotificationRejected('alipay', reason, message);

function header(req: InboundRequest, name: string): string | undefined {
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Decodes the form body; a parameter given twice is refused (which one would the signature cover?). */
export function decodeForm(req: InboundRequest): AlipayParams {
  const type = header(req, 'content-type');
  if (type !== undefined && !type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw reject('malformed', `支付宝通知的 Content-Type 不是表单：${type}`);
  }
  const text = new TextDecoder('utf-8', { fatal: true }).decode(req.body);
  const params: AlipayParams = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (k in params) throw reject('malformed', `支付宝通知参数重复：${k}`);
    params[k] = v;
  }
  return params;
}

export function parseNotification(req: InboundRequest, check: NotifyCheck): ParsedNotification {
  let params: AlipayParams;
  try {
    params = decodeForm(req);
  } catch (e) {
    if (e instanceof NotificationRejected) throw e;
    throw reject('malformed', '支付宝通知不是 UTF-8 表单');
  }
  const charset = params.charset;
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') throw reject('malformed', `不支持的通知字符集 ${charset}`);
  const sign = params.sign;
  if (!sign) throw reject('bad_signature', '支付宝通知缺少签名');
  if (params.sign_type !== undefined && params.sign_type !== 'RSA2') throw reject('bad_signature', `不接受的签名类型 ${params.sign_type}`);
  const keys = check.alipayPublicKeys;
  if (!rsa2Verify(notifySignContent(params), sign, keys) && !rsa2Verify(notifySignContent(params, true), sign, keys)) {
    throw reject('bad_signature', '支付宝通知验签失败');
  }

  // Signed, so from Alipay; now make sure it is about us (opendocs step 4: app_id, seller_id).
  if (params.app_id !== check.appId) throw reject('wrong_merchant', `通知的 app_id ${String(params.app_id)} 不是本应用`);
  if (check.sellerId !== undefined && params.seller_id !== check.sellerId) {
    throw reject('wrong_merchant', `通知的 seller_id ${String(params.seller_id)} 不是本商户`);
  }
  if (params.notify_type !== 'trade_status_sync') throw reject('malformed', `不支持的通知类型 ${String(params.notify_type)}`);
  const notificationId = params.notify_id;
  const orderNo = params.out_trade_no;
  const platformTradeNo = params.trade_no;
  const state = TRADE_STATES[params.trade_status ?? ''];
  if (!notificationId || !orderNo || !platformTradeNo || !state) throw reject('malformed', '支付宝通知缺少 notify_id/out_trade_no/trade_no/trade_status');

  try {
    const totalFen = parseAmount(params.total_amount, 'total_amount');
    // What the payer paid and what we received can be less than the total (discounts), never more.
    for (const f of ['receipt_amount', 'buyer_pay_amount'] as const) {
      const v = optionalAmount(params[f], f);
      if (v !== undefined && v > totalFen) throw new AlipayWireError(`${f} ${params[f]} 大于 total_amount ${params.total_amount}`);
    }
    const refundNo = params.out_biz_no;
    const refundFee = optionalAmount(params.refund_fee, 'refund_fee');
    if (refundNo && (refundFee !== undefined || params.gmt_refund)) {
      // A partial refund re-notifies TRADE_SUCCESS, a full one TRADE_CLOSED, with refund fields.
      if (refundFee === undefined || refundFee === 0) throw new AlipayWireError('退款通知缺少 refund_fee');
      if (refundFee > totalFen) throw new AlipayWireError(`退款总额 ${params.refund_fee} 超过订单金额 ${params.total_amount}`);
      const refund: RefundNotice = { orderNo, refundNo, platformTradeNo, cumulativeRefundFen: refundFee, totalFen, refundedAt: parseTime(params.gmt_refund) };
      return { kind: 'refund', notificationId, params, refund };
    }
    const event: Extract<NotificationEvent, { kind: 'payment' }> = { kind: 'payment', orderNo, state, amountFen: totalFen, platformTradeNo };
    const paidAt = parseTime(params.gmt_payment);
    if (state === 'paid' && paidAt !== undefined) event.paidAt = paidAt;
    return { kind: 'payment', notificationId, params, event };
  } catch (e) {
    if (e instanceof AlipayWireError) throw reject('malformed', e.message);
    throw e;
  }
}
