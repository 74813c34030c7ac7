import { describe, expect, it } from 'vitest';
import { NotificationRejected } from '../../../src-main/gateways/gateway-errors';
import { bankNotificationReply, verifyBankNotification } from '../../../src-main/gateways/bank/bank-notify';
import { withSign } from '../../../src-main/gateways/bank/bank-sign';
import { WORKED_EXAMPLE } from '../../../src-main/gateways/bank/protocol';

/** The PAY notification of protocol.ts §10, as the institution would post it. */
const KEY = WORKED_EXAMPLE.apiKey;
const NOTIFIED_AT = Date.UTC(2026, 10, 26, 2, 0, 5); // 20261126100005 in Shanghai
const check = { merchantId: '888000000000001', terminalId: 'T0000001', acceptedKeys: [KEY], now: NOTIFIED_AT };
const body = (fields: Record<string, string>) => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(fields)) });
const signed = { ...WORKED_EXAMPLE.notification, sign: WORKED_EXAMPLE.notificationSign };

function rejection(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof NotificationRejected) return e.reason;
    throw e;
  }
  throw new Error('accepted');
}

describe('bank notifications (protocol.ts §7)', () => {
  it('verifies the worked example and reads the payment in fen', () => {
    const n = verifyBankNotification(body(signed), check);
    expect(n.notificationId).toBe('N20261126100005000001');
    expect(n.event).toEqual({ kind: 'payment', orderNo: 'P20261126100000123456', state: 'paid', amountFen: 12345, platformTradeNo: 'BK20261126100000000001', paidAt: Date.UTC(2026, 10, 26, 2, 0, 4) });
  });

  it('refuses a tampered body, a wrong key, an unsigned body', () => {
    expect(rejection(() => verifyBankNotification(body({ ...signed, txn_amt: '1' }), check))).toBe('bad_signature');
    expect(rejection(() => verifyBankNotification(body(signed), { ...check, acceptedKeys: ['other'] }))).toBe('bad_signature');
    const { sign: _s, ...unsigned } = signed;
    expect(rejection(() => verifyBankNotification(body(unsigned), check))).toBe('bad_signature');
  });

  it('accepts a previous key during rotation', () => {
    expect(verifyBankNotification(body(signed), { ...check, acceptedKeys: ['new-current-key', KEY] }).notificationId).toBe('N20261126100005000001');
  });

  it('refuses another merchant or terminal, even when correctly signed', () => {
    expect(rejection(() => verifyBankNotification(body(withSign({ ...WORKED_EXAMPLE.notification, merchant_id: '888000000000002' }, KEY)), check))).toBe('wrong_merchant');
    expect(rejection(() => verifyBankNotification(body(withSign({ ...WORKED_EXAMPLE.notification, terminal_id: 'T0000002' }, KEY)), check))).toBe('wrong_merchant');
  });

  it('refuses a notify_time more than 5 minutes off, either way', () => {
    expect(verifyBankNotification(body(signed), { ...check, now: NOTIFIED_AT + 300_000 }).event.kind).toBe('payment');
    expect(rejection(() => verifyBankNotification(body(signed), { ...check, now: NOTIFIED_AT + 301_000 }))).toBe('stale_timestamp');
    expect(rejection(() => verifyBankNotification(body(signed), { ...check, now: NOTIFIED_AT - 301_000 }))).toBe('stale_timestamp');
  });

  it('refuses malformed but signed content', () => {
    const bad = (patch: Record<string, string>) => rejection(() => verifyBankNotification(body(withSign({ ...WORKED_EXAMPLE.notification, ...patch }, KEY)), check));
    expect(bad({ txn_amt: '123.45' })).toBe('malformed');
    expect(bad({ notify_type: 'UNKNOWN' })).toBe('malformed');
    expect(bad({ notify_id: '' })).toBe('malformed');
    expect(bad({ trade_status: 'WAIT_PAY' })).toBe('malformed');
    expect(rejection(() => verifyBankNotification({ headers: {}, body: Buffer.from('{"txn_amt":12345}') }, check))).toBe('malformed');
  });

  it('reads refund and transfer events', () => {
    const base = { notify_time: '20261126100005', merchant_id: check.merchantId, terminal_id: check.terminalId, nonce: 'Q7W1X9ZK3M5N2B8V', sign_type: 'HMAC-SHA256' };
    const refund = verifyBankNotification(body(withSign({ ...base, notify_id: 'N2', notify_type: 'REFUND', order_no: 'P1', refund_no: 'R1', refund_trade_no: 'BK2', refund_amt: '100', refund_status: 'SUCCESS', finish_time: '20261126100003' }, KEY)), check);
    expect(refund.event).toEqual({ kind: 'refund', orderNo: 'P1', refundNo: 'R1', state: 'success', amountFen: 100, platformRefundNo: 'BK2', succeededAt: Date.UTC(2026, 10, 26, 2, 0, 3) });
    const transfer = verifyBankNotification(body(withSign({ ...base, notify_id: 'N3', notify_type: 'TRANSFER', transfer_no: 'T1', transfer_trade_no: 'BK3', txn_amt: '500', transfer_status: 'FAILED', fail_code: 'ACCOUNT_NAME_MISMATCH', fail_reason: '收款户名与账号不符' }, KEY)), check);
    expect(transfer.event).toEqual({ kind: 'transfer', transferNo: 'T1', state: 'failed', amountFen: 500, platformTransferNo: 'BK3', failReason: '收款户名与账号不符（ACCOUNT_NAME_MISMATCH）' });
  });

  it('answers exactly as the design document says (§6.4.3), and 400 when refused', () => {
    expect(bankNotificationReply(true)).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', body: '{"code":200,"message":"处理成功"}' });
    const no = bankNotificationReply(false, '签名无效');
    expect(no.status).toBe(400);
    expect(JSON.parse(no.body)).toEqual({ code: 400, message: '签名无效' });
  });
});
