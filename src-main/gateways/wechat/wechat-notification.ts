import { z } from 'zod';
import { NotificationRejected } from '../gateway-errors';
import type { InboundRequest, NotificationEvent, NotificationReply, VerifiedNotification } from '../gateway';
import { aeadDecrypt } from './wechat-aead';
import { checkPlatformSignature, headerLookup, type PlatformKeyRing } from './wechat-platform-keys';
import {
  parseRfc3339,
  REFUND_STATES,
  TRADE_STATES,
  TRANSFER_STATES,
  wxNotificationSchema,
  wxRefundNoticeSchema,
  wxTransactionSchema,
  wxTransferBillSchema,
} from './wechat-wire';

/**
 * Verifying a WeChat Pay notification, in the order that keeps forgeries cheap to refuse:
 * headers → timestamp (±300 s) → platform key by Wechatpay-Serial → RSA signature over the RAW body →
 * JSON shape → AEAD_AES_256_GCM decryption with the APIv3 key → our mchid/appid in the plaintext.
 * Amounts in the events are the platform's fen as sent (`amount.total` for payments, `amount.refund`
 * for refunds); the caller compares them with its own order and refuses a mismatch.
 * WeChat sends the same notification `id` on every retry, so it is the inbox key.
 * Sources: PROTOCOLS.md §2; TheNorthMemory/wechatpay.js.org webhook/v3/TRANSACTION.SUCCESS.md;
 * pay.weixin.qq.com docs/merchant/apis/batch-transfer-to-balance/callback-notice.html (transfers:
 * event MCHTRANSFER.BILL.FINISHED, the merchant id is `mch_id`).
 */
export interface WechatNotificationContext {
  mchid: string;
  appid: string;
  apiV3Key: string;
  ring: PlatformKeyRing;
  nowMs: number;
}

const reject = (reason: NotificationRejected['reason'], message: string) => new NotificationRejected('wechat', reason, message);

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw reject('malformed', `${what}格式不正确：${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim());
  return r.data;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw reject('malformed', `${what}不是有效的 JSON`);
  }
}

export function verifyWechatNotification(req: InboundRequest, ctx: WechatNotificationContext): VerifiedNotification {
  const check = checkPlatformSignature(headerLookup(req.headers), req.body, ctx.ring, ctx.nowMs);
  if (!check.ok) throw reject(check.reason, check.detail);
  const envelope = parseWith(wxNotificationSchema, parseJson(req.body.toString('utf8'), '通知报文'), '通知报文');
  const r = envelope.resource;
  if (r.algorithm !== 'AEAD_AES_256_GCM') throw reject('malformed', `不支持的加密算法 ${r.algorithm}`);
  let plaintext: string;
  try {
    plaintext = aeadDecrypt(r.ciphertext, ctx.apiV3Key, r.nonce, r.associated_data ?? '');
  } catch {
    throw reject('decrypt_failed', '通知内容解密失败（APIv3 密钥不符或内容被篡改）');
  }
  const payload = parseJson(plaintext, '解密后的通知内容');
  const event = toEvent(envelope.event_type, payload, ctx);
  return { platform: 'wechat', notificationId: envelope.id, event, payload };
}

function toEvent(eventType: string, payload: unknown, ctx: WechatNotificationContext): NotificationEvent {
  if (eventType === 'TRANSACTION.SUCCESS') {
    const t = parseWith(wxTransactionSchema, payload, '支付通知');
    if (t.mchid !== ctx.mchid || t.appid !== ctx.appid) throw reject('wrong_merchant', `支付通知的商户号/AppID（${t.mchid}/${t.appid}）不是本商户的`);
    const state = TRADE_STATES[t.trade_state];
    if (!state || t.amount?.total === undefined || !t.transaction_id) throw reject('malformed', '支付通知缺少交易状态、金额或微信支付订单号');
    return { kind: 'payment', orderNo: t.out_trade_no, state, amountFen: t.amount.total, platformTradeNo: t.transaction_id, paidAt: parseRfc3339(t.success_time) };
  }
  if (eventType.startsWith('REFUND.')) {
    const n = parseWith(wxRefundNoticeSchema, payload, '退款通知');
    if (n.mchid !== ctx.mchid) throw reject('wrong_merchant', `退款通知的商户号 ${n.mchid} 不是本商户的`);
    const state = REFUND_STATES[n.refund_status];
    if (!state) throw reject('malformed', `未知的退款状态 ${n.refund_status}`);
    return {
      kind: 'refund',
      orderNo: n.out_trade_no,
      refundNo: n.out_refund_no,
      state,
      amountFen: n.amount.refund,
      platformRefundNo: n.refund_id,
      succeededAt: state === 'success' ? parseRfc3339(n.success_time) : undefined,
    };
  }
  if (eventType === 'MCHTRANSFER.BILL.FINISHED') {
    const b = parseWith(wxTransferBillSchema, payload, '转账通知');
    if (b.mch_id !== ctx.mchid) throw reject('wrong_merchant', `转账通知的商户号 ${b.mch_id ?? '（空）'} 不是本商户的`);
    const state = TRANSFER_STATES[b.state];
    if (!state || b.transfer_amount === undefined) throw reject('malformed', '转账通知缺少单据状态或金额');
    return { kind: 'transfer', transferNo: b.out_bill_no, state, amountFen: b.transfer_amount, platformTransferNo: b.transfer_bill_no, failReason: b.fail_reason };
  }
  throw reject('malformed', `不处理的通知类型 ${eventType}`);
}

/**
 * The answer WeChat expects: 2xx means received (the design document's body `{"code":"SUCCESS","message":"成功"}`);
 * anything else, here 500 with `{"code":"FAIL","message":…}`, makes WeChat retry on its schedule
 * (PROTOCOLS.md §2: "接收失败：HTTP 应答状态码需返回 5XX 或 4XX，同时需返回应答报文").
 */
export function wechatNotificationReply(accepted: boolean, reason?: string): NotificationReply {
  const contentType = 'application/json; charset=utf-8';
  if (accepted) return { status: 200, contentType, body: JSON.stringify({ code: 'SUCCESS', message: '成功' }) };
  return { status: 500, contentType, body: JSON.stringify({ code: 'FAIL', message: reason?.slice(0, 200) || '失败' }) };
}
