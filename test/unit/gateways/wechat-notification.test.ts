import { describe, expect, it } from 'vitest';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import type { InboundRequest } from '../../../src-main/gateways/gateway';
import { NotificationRejected } from '../../../src-main/gateways/gateway-errors';
import { verifyWechatNotification, wechatNotificationReply, type WechatNotificationContext } from '../../../src-main/gateways/wechat/wechat-notification';
import { PlatformKeyRing } from '../../../src-main/gateways/wechat/wechat-platform-keys';
import { testKeyPair } from '../../support/gateway-keys';

/**
 * Notification verification with notifications built by the ORACLE (wechatpay-axios-plugin: AesGcm.encrypt,
 * Formatter.response, Rsa.sign), so our verifier is checked against an independent encoder.
 */
const API_V3_KEY = 'AES256Key-32Characters1234567890';
const NOW = Date.UTC(2026, 10, 26, 2, 0, 0);
const TS = Math.floor(NOW / 1000);
const oldKey = testKeyPair('wechat-platform-old');
const newKey = testKeyPair('wechat-platform');
const PUB_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const CERT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';

const ctx = (over: Partial<WechatNotificationContext> = {}): WechatNotificationContext => ({
  mchid: '1900000109',
  appid: 'wxd678efh567hg6787',
  apiV3Key: API_V3_KEY,
  ring: new PlatformKeyRing([
    { serial: PUB_ID, publicKeyPem: newKey.publicKeyPem },
    { serial: CERT_SERIAL, publicKeyPem: oldKey.publicKeyPem },
  ]),
  nowMs: NOW,
  ...over,
});

const transaction = {
  mchid: '1900000109',
  appid: 'wxd678efh567hg6787',
  out_trade_no: 'P20261126100000000001',
  transaction_id: '4200000925202611264997714292',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'CMC',
  attach: '',
  success_time: '2026-11-26T10:00:05+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 50000, payer_total: 50000, currency: 'CNY', payer_currency: 'CNY' },
};

function notification(opts: { eventType?: string; resource?: object; serial?: string; privateKeyPem?: string; ts?: number; aad?: string; apiKey?: string; id?: string } = {}): InboundRequest {
  const aad = opts.aad ?? 'transaction';
  const nonce = 'fdasflkja484';
  const body = JSON.stringify({
    id: opts.id ?? 'EV-2018022511223320873',
    create_time: '2026-11-26T10:00:06+08:00',
    resource_type: 'encrypt-resource',
    event_type: opts.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: aad, algorithm: 'AEAD_AES_256_GCM', ciphertext: Aes.AesGcm.encrypt(JSON.stringify(opts.resource ?? transaction), opts.apiKey ?? API_V3_KEY, nonce, aad), associated_data: aad, nonce },
  });
  const ts = opts.ts ?? TS;
  const signature = Rsa.sign(Formatter.response(ts, 'NONCE123', body), opts.privateKeyPem ?? newKey.privateKeyPem);
  return {
    headers: { 'wechatpay-timestamp': String(ts), 'Wechatpay-Nonce': 'NONCE123', 'wechatpay-serial': opts.serial ?? PUB_ID, 'wechatpay-signature': signature },
    body: Buffer.from(body),
  };
}

function rejection(fn: () => unknown): NotificationRejected['reason'] | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (e) {
    if (e instanceof NotificationRejected) return e.reason;
    throw e;
  }
}

describe('WeChat Pay notification verification', () => {
  it('accepts an oracle-built TRANSACTION.SUCCESS and reports the fen amount and ids as sent', () => {
    const v = verifyWechatNotification(notification(), ctx());
    expect(v).toMatchObject({ platform: 'wechat', notificationId: 'EV-2018022511223320873' });
    expect(v.event).toEqual({
      kind: 'payment',
      orderNo: 'P20261126100000000001',
      state: 'paid',
      amountFen: 50000,
      platformTradeNo: '4200000925202611264997714292',
      paidAt: Date.parse('2026-11-26T10:00:05+08:00'),
    });
    expect(v.payload).toEqual(transaction);
  });

  it('keeps an old platform key valid after rotation (certificate serial) and refuses it once removed', () => {
    const signedWithOld = notification({ serial: CERT_SERIAL, privateKeyPem: oldKey.privateKeyPem });
    expect(rejection(() => verifyWechatNotification(signedWithOld, ctx()))).toBe('accepted');
    const onlyNew = ctx({ ring: new PlatformKeyRing([{ serial: PUB_ID, publicKeyPem: newKey.publicKeyPem }]) });
    expect(rejection(() => verifyWechatNotification(signedWithOld, onlyNew))).toBe('unknown_key');
  });

  it('refuses a timestamp more than 300 s off either way, and accepts one at the edge', () => {
    expect(rejection(() => verifyWechatNotification(notification({ ts: TS - 301 }), ctx()))).toBe('stale_timestamp');
    expect(rejection(() => verifyWechatNotification(notification({ ts: TS + 301 }), ctx()))).toBe('stale_timestamp');
    expect(rejection(() => verifyWechatNotification(notification({ ts: TS - 300 }), ctx()))).toBe('accepted');
  });

  it('refuses a tampered body, a key that is not the named one, a SIGNTEST probe and missing headers', () => {
    const good = notification();
    const tampered = { ...good, body: Buffer.from(good.body.toString().replace('EV-2018', 'EV-2019')) };
    expect(rejection(() => verifyWechatNotification(tampered, ctx()))).toBe('bad_signature');
    expect(rejection(() => verifyWechatNotification(notification({ privateKeyPem: oldKey.privateKeyPem }), ctx()))).toBe('bad_signature');
    const probe = { ...good, headers: { ...good.headers, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/nTCdXhfO' } };
    expect(rejection(() => verifyWechatNotification(probe, ctx()))).toBe('bad_signature');
    expect(rejection(() => verifyWechatNotification({ ...good, headers: { 'wechatpay-serial': PUB_ID } }, ctx()))).toBe('malformed');
  });

  it('refuses a resource encrypted with another APIv3 key or bound to other associated data', () => {
    expect(rejection(() => verifyWechatNotification(notification({ apiKey: 'ZZZ256Key-32Characters1234567890' }), ctx()))).toBe('decrypt_failed');
    const otherKeyCtx = ctx({ apiV3Key: 'ZZZ256Key-32Characters1234567890' });
    expect(rejection(() => verifyWechatNotification(notification(), otherKeyCtx))).toBe('decrypt_failed');
  });

  it('refuses a notification for another merchant or app', () => {
    expect(rejection(() => verifyWechatNotification(notification({ resource: { ...transaction, mchid: '1900000999' } }), ctx()))).toBe('wrong_merchant');
    expect(rejection(() => verifyWechatNotification(notification({ resource: { ...transaction, appid: 'wx0000000000000000' } }), ctx()))).toBe('wrong_merchant');
  });

  it('refuses a fractional or missing amount as malformed rather than guessing', () => {
    expect(rejection(() => verifyWechatNotification(notification({ resource: { ...transaction, amount: { total: 100.5 } } }), ctx()))).toBe('malformed');
    expect(rejection(() => verifyWechatNotification(notification({ resource: { ...transaction, amount: {} } }), ctx()))).toBe('malformed');
  });

  it('parses REFUND.SUCCESS and MCHTRANSFER.BILL.FINISHED', () => {
    const refund = {
      mchid: '1900000109',
      out_trade_no: 'P1',
      transaction_id: '42000001',
      out_refund_no: 'R1',
      refund_id: '50300001',
      refund_status: 'SUCCESS',
      success_time: '2026-11-26T10:01:00+08:00',
      amount: { total: 50000, refund: 20000, payer_total: 50000, payer_refund: 20000 },
    };
    expect(verifyWechatNotification(notification({ eventType: 'REFUND.SUCCESS', aad: 'refund', resource: refund }), ctx()).event).toEqual({
      kind: 'refund',
      orderNo: 'P1',
      refundNo: 'R1',
      state: 'success',
      amountFen: 20000,
      platformRefundNo: '50300001',
      succeededAt: Date.parse('2026-11-26T10:01:00+08:00'),
    });
    const bill = { mch_id: '1900000109', out_bill_no: 'T1', transfer_bill_no: '1330001', state: 'SUCCESS', transfer_amount: 300, openid: 'o1' };
    expect(verifyWechatNotification(notification({ eventType: 'MCHTRANSFER.BILL.FINISHED', aad: 'mch_payment', resource: bill }), ctx()).event).toEqual({
      kind: 'transfer',
      transferNo: 'T1',
      state: 'success',
      amountFen: 300,
      platformTransferNo: '1330001',
      failReason: undefined,
    });
  });

  it('answers WeChat as documented', () => {
    expect(wechatNotificationReply(true)).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', body: '{"code":"SUCCESS","message":"成功"}' });
    const no = wechatNotificationReply(false, '金额不符');
    expect(no.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(no.body)).toEqual({ code: 'FAIL', message: '金额不符' });
  });
});
