import { NotificationRejected } from '../gateway-errors';
import type { InboundRequest, NotificationEvent, NotificationReply, VerifiedNotification } from '../gateway';
import { MAX_SKEW_MS, NOTIFY_ACK, TRANSFER_FAIL_TEXT, isTransferFailCode } from './protocol';
import { verifyFields, type WireFields } from './bank-sign';
import { WireError, fenFromWire, parseWireJson, required, timeFromWire } from './bank-wire';

/**
 * The institution's notifications (protocol.ts §7): verify the signature with any accepted key,
 * the merchant AND terminal, the freshness of notify_time, then parse the event with its amounts
 * in fen. Comparing the amount with our order is the service's job: the event carries what the
 * institution said, unchanged.
 */
export interface NotifyCheck {
  merchantId: string;
  terminalId: string;
  acceptedKeys: readonly string[];
  now: number;
}

const PLATFORM = 'bank';

export function verifyBankNotification(req: InboundRequest, check: NotifyCheck): VerifiedNotification {
  let fields: Record<string, string>;
  try {
    fields = parseWireJson(req.body);
  } catch (e) {
    throw new NotificationRejected(PLATFORM, 'malformed', `通知不是规定的 JSON：${(e as Error).message}`);
  }
  if (!verifyFields(fields, check.acceptedKeys)) throw new NotificationRejected(PLATFORM, 'bad_signature', '通知签名无效');
  if (fields.merchant_id !== check.merchantId || fields.terminal_id !== check.terminalId) {
    throw new NotificationRejected(PLATFORM, 'wrong_merchant', `通知的商户号或终端号不是本商户：${fields.merchant_id ?? '-'}/${fields.terminal_id ?? '-'}`);
  }
  try {
    const at = timeFromWire(fields.notify_time, 'notify_time');
    if (Math.abs(check.now - at) > MAX_SKEW_MS) throw new NotificationRejected(PLATFORM, 'stale_timestamp', `通知时间 ${fields.notify_time ?? ''} 与本机相差超过5分钟`);
    const notificationId = required(fields, 'notify_id');
    return { platform: 'bank', notificationId, event: parseEvent(fields), payload: fields };
  } catch (e) {
    if (e instanceof WireError) throw new NotificationRejected(PLATFORM, 'malformed', `通知字段无效：${e.message}`);
    throw e;
  }
}

function optionalTime(fields: WireFields, name: string): number | undefined {
  return fields[name] ? timeFromWire(fields[name], name) : undefined;
}

function parseEvent(f: WireFields): NotificationEvent {
  const type = required(f, 'notify_type');
  if (type === 'PAY') {
    if (required(f, 'trade_status') !== 'SUCCESS') throw new WireError(`PAY 通知的 trade_status 不是 SUCCESS：${f.trade_status ?? ''}`);
    if (required(f, 'currency') !== 'CNY') throw new WireError(`币种不是 CNY：${f.currency ?? ''}`);
    return {
      kind: 'payment',
      orderNo: required(f, 'order_no'),
      state: 'paid',
      amountFen: fenFromWire(f.txn_amt, 'txn_amt'),
      platformTradeNo: required(f, 'trade_no'),
      paidAt: timeFromWire(f.paid_time, 'paid_time'),
    };
  }
  if (type === 'REFUND') {
    const status = required(f, 'refund_status');
    if (status !== 'SUCCESS' && status !== 'FAILED') throw new WireError(`refund_status 未知：${status}`);
    return {
      kind: 'refund',
      orderNo: required(f, 'order_no'),
      refundNo: required(f, 'refund_no'),
      state: status === 'SUCCESS' ? 'success' : 'failed',
      amountFen: fenFromWire(f.refund_amt, 'refund_amt'),
      platformRefundNo: required(f, 'refund_trade_no'),
      succeededAt: status === 'SUCCESS' ? timeFromWire(f.finish_time, 'finish_time') : undefined,
    };
  }
  if (type === 'TRANSFER') {
    const status = required(f, 'transfer_status');
    if (status !== 'SUCCESS' && status !== 'FAILED') throw new WireError(`transfer_status 未知：${status}`);
    optionalTime(f, 'finish_time');
    return {
      kind: 'transfer',
      transferNo: required(f, 'transfer_no'),
      state: status === 'SUCCESS' ? 'success' : 'failed',
      amountFen: fenFromWire(f.txn_amt, 'txn_amt'),
      platformTransferNo: required(f, 'transfer_trade_no'),
      failReason: status === 'FAILED' ? transferFailText(f.fail_code, f.fail_reason) : undefined,
    };
  }
  throw new WireError(`notify_type 未知：${type}`);
}

/** "收款户名与账号不符（ACCOUNT_NAME_MISMATCH）": the accountant's sentence with the code to quote. */
export function transferFailText(code: string | undefined, reason: string | undefined): string {
  const known = code !== undefined && isTransferFailCode(code) ? TRANSFER_FAIL_TEXT[code] : undefined;
  return `${reason || known || '转账失败'}（${code || 'UNKNOWN'}）`;
}

/** §7 / design document §6.4.3: HTTP 200 {"code":200,"message":"处理成功"}, or HTTP 400 with code 400. */
export function bankNotificationReply(accepted: boolean, reason?: string): NotificationReply {
  const contentType = 'application/json; charset=utf-8';
  if (accepted) return { status: 200, contentType, body: JSON.stringify(NOTIFY_ACK) };
  return { status: 400, contentType, body: JSON.stringify({ code: 400, message: reason || '处理失败' }) };
}
