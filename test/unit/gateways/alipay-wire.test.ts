import { describe, expect, it } from 'vitest';
import { NotificationRejected } from '../../../src-main/gateways/gateway-errors';
import { parseNotification, type NotifyCheck } from '../../../src-main/gateways/alipay/alipay-notify';
import { MalformedJson, splitResponse, topLevelRawMembers } from '../../../src-main/gateways/alipay/alipay-response';
import { loadPrivateKey, loadPublicKey, notifySignContent, rsa2Sign, type AlipayParams } from '../../../src-main/gateways/alipay/alipay-sign';
import { classify, identityType, parseAmount, parseTime, splitForPost, yuan, commonParams } from '../../../src-main/gateways/alipay/alipay-wire';
import { notificationParams, signedNotification } from '../../../src-main/gateways/simulator/alipay-notify';
import type { SimTrade } from '../../../src-main/gateways/simulator/ledger';
import { testKeyPair } from '../../support/gateway-keys';

describe('amounts and times at the Alipay edge', () => {
  it('turns fen into two-decimal yuan strings and back, refusing anything else', () => {
    expect(yuan(12345)).toBe('123.45');
    expect(yuan(1)).toBe('0.01');
    expect(() => yuan(-1)).toThrow();
    expect(() => yuan(1.5)).toThrow();
    expect(parseAmount('100.00', 'total_amount')).toBe(10000);
    expect(parseAmount('0.01', 'total_amount')).toBe(1);
    for (const bad of ['1.5', '-1.00', '1.005', '1e3', '', ' 1.00', '1,000.00', undefined]) expect(() => parseAmount(bad, 'x')).toThrow();
  });

  it('reads and writes yyyy-MM-dd HH:mm:ss as Asia/Shanghai whatever the machine zone', () => {
    const t = parseTime('2026-11-26 10:05:00');
    expect(t).toBe(Date.UTC(2026, 10, 26, 2, 5, 0));
    expect(commonParams({ appId: 'a', method: 'm', now: Date.UTC(2026, 10, 25, 16, 0, 1), bizContent: {} }).timestamp).toBe('2026-11-26 00:00:01');
    expect(parseTime('2026-11-26T10:05:00')).toBeUndefined();
  });

  it('puts the common parameters in the URL and biz_content in the POST body, as the SDK does', () => {
    const p = commonParams({ appId: '2021', method: 'alipay.trade.query', now: 0, notifyUrl: 'https://n/x?a=1', bizContent: { out_trade_no: 'A&B' } });
    p.sign = 'S+/=';
    const { url, body } = splitForPost('https://openapi.alipay.com/gateway.do', p);
    const u = new URL(url);
    expect([...u.searchParams.keys()].sort()).toEqual(['app_id', 'charset', 'format', 'method', 'notify_url', 'sign', 'sign_type', 'timestamp', 'version']);
    expect(u.searchParams.get('sign')).toBe('S+/=');
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual({ biz_content: '{"out_trade_no":"A&B"}' });
  });

  it('sorts result codes into success, refusal and unknown outcome', () => {
    expect(classify({ code: '10000' })).toBe('ok');
    expect(classify({ code: '40004', sub_code: 'ACQ.TRADE_HAS_SUCCESS' })).toBe('rejected');
    expect(classify({ code: '40002', sub_code: 'isv.invalid-signature' })).toBe('rejected');
    expect(classify({ code: '40004', sub_code: 'ACQ.SYSTEM_ERROR' })).toBe('unknown');
    expect(classify({ code: '20000', sub_code: 'isp.unknow-error' })).toBe('unknown');
    expect(classify({})).toBe('unknown');
  });

  it('tells user ids from login ids', () => {
    expect(identityType('2088102177846880')).toBe('ALIPAY_USER_ID');
    expect(identityType('13800138000')).toBe('ALIPAY_LOGON_ID');
    expect(identityType('a@b.com')).toBe('ALIPAY_LOGON_ID');
  });
});

describe('the signed member of a response', () => {
  it('delimits top-level members exactly, strings with braces and quotes included', () => {
    const m = topLevelRawMembers('{ "a" : {"x":"}\\"{","y":[1,{"z":null}]} , "b":"s\\u0041", "c": 12 }');
    expect(m.get('a')).toBe('{"x":"}\\"{","y":[1,{"z":null}]}');
    expect(m.get('b')).toBe('"s\\u0041"');
    expect(m.get('c')).toBe('12');
  });

  it('is not fooled by the response key inside a string, and refuses duplicates or trailing data', () => {
    const sneaky = '{"note":"\\"alipay_trade_query_response\\":{\\"code\\":\\"10000\\"}","alipay_trade_query_response":{"code":"40004"},"sign":"S"}';
    expect(splitResponse(sneaky, 'alipay.trade.query').content).toBe('{"code":"40004"}');
    expect(() => topLevelRawMembers('{"a":1,"a":2}')).toThrow(MalformedJson);
    expect(() => topLevelRawMembers('{"a":1} x')).toThrow(MalformedJson);
    expect(() => splitResponse('{"other_response":{},"sign":"S"}', 'alipay.trade.query')).toThrow(MalformedJson);
  });

  it('falls back to error_response and picks up alipay_cert_sn', () => {
    const r = splitResponse('{"error_response":{"code":"40002"},"sign":"S","alipay_cert_sn":"abc"}', 'alipay.trade.query');
    expect(r).toEqual({ key: 'error_response', content: '{"code":"40002"}', sign: 'S', certSn: 'abc' });
  });
});

describe('notification parsing', () => {
  const alipay = testKeyPair('alipay-wire-platform');
  const key = loadPrivateKey(alipay.privateKeyPem);
  const check: NotifyCheck = { appId: '2021000000000001', sellerId: '2088000000000001', alipayPublicKeys: [loadPublicKey(alipay.publicKeyPem)] };
  const trade: SimTrade = {
    orderNo: 'PAY1', amountFen: 10000, description: '订金', scene: 'alipay_precreate', state: 'paid', platformTradeNo: '2026112622001000000000000001',
    createdAt: Date.UTC(2026, 10, 26, 2, 0, 0), expireAt: Date.UTC(2026, 10, 26, 3, 0, 0), paidAt: Date.UTC(2026, 10, 26, 2, 1, 0), notifyUrl: 'http://x', refundedFen: 0,
  };
  const base = { trade, notifyId: 'N1', appId: check.appId, pid: '2088000000000001', bumpFen: 0, cumulativeRefundFen: 0 };
  const inbound = (params: AlipayParams, k = key) => {
    const n = signedNotification('http://x', params, Date.UTC(2026, 10, 26, 2, 1, 1), k);
    return { headers: n.headers, body: Buffer.from(n.body) };
  };
  const rejected = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof NotificationRejected) return e.reason;
      throw e;
    }
    return 'accepted';
  };

  it('maps a paid trade to a payment event in fen with the payment time', () => {
    const p = parseNotification(inbound(notificationParams(base)), check);
    expect(p).toMatchObject({ kind: 'payment', notificationId: 'N1', event: { kind: 'payment', orderNo: 'PAY1', state: 'paid', amountFen: 10000, platformTradeNo: trade.platformTradeNo, paidAt: trade.paidAt } });
  });

  it('maps a partial refund (TRADE_SUCCESS + out_biz_no + refund_fee) to a refund notice with the cumulative amount', () => {
    const refund = { refundNo: 'R2', orderNo: 'PAY1', amountFen: 2000, reason: '', state: 'success' as const, platformRefundNo: '', createdAt: 0, succeededAt: Date.UTC(2026, 10, 26, 3, 0, 0), notifyUrl: '' };
    const p = parseNotification(inbound(notificationParams({ ...base, refund, cumulativeRefundFen: 5000 })), check);
    expect(p).toMatchObject({ kind: 'refund', refund: { orderNo: 'PAY1', refundNo: 'R2', cumulativeRefundFen: 5000, totalFen: 10000, refundedAt: refund.succeededAt } });
    expect(p.params.trade_status).toBe('TRADE_SUCCESS');
  });

  it('refuses a forged signature, a changed amount, another app or seller, and sign_type other than RSA2', () => {
    const params = notificationParams(base);
    expect(rejected(() => parseNotification(inbound(params, loadPrivateKey(testKeyPair('alipay-wire-stranger').privateKeyPem)), check))).toBe('bad_signature');
    const good = inbound(params);
    const tampered = Buffer.from(good.body.toString().replace('total_amount=100.00', 'total_amount=1.00'));
    expect(rejected(() => parseNotification({ ...good, body: tampered }, check))).toBe('bad_signature');
    expect(rejected(() => parseNotification(good, { ...check, appId: '2021000000000002' }))).toBe('wrong_merchant');
    expect(rejected(() => parseNotification(good, { ...check, sellerId: '2088999999999999' }))).toBe('wrong_merchant');
    const rsa1 = Buffer.from(good.body.toString().replace('sign_type=RSA2', 'sign_type=RSA'));
    expect(rejected(() => parseNotification({ ...good, body: rsa1 }, check))).toBe('bad_signature');
  });

  it('refuses duplicate parameters, non-form bodies, other charsets and inconsistent amounts', () => {
    const good = inbound(notificationParams(base));
    expect(rejected(() => parseNotification({ ...good, body: Buffer.from(`${good.body.toString()}&total_amount=1.00`) }, check))).toBe('malformed');
    expect(rejected(() => parseNotification({ headers: { 'Content-Type': 'application/json' }, body: good.body }, check))).toBe('malformed');
    expect(rejected(() => parseNotification({ ...good, body: Buffer.from([0xff, 0xfe]) }, check))).toBe('malformed');
    const gbk = notificationParams(base);
    gbk.charset = 'GBK';
    expect(rejected(() => parseNotification(inbound(gbk), check))).toBe('malformed');
    const more = notificationParams(base);
    more.receipt_amount = '100.01';
    expect(rejected(() => parseNotification(inbound(more), check))).toBe('malformed');
  });

  it('accepts the signature over the string with or without empty values', () => {
    const params: AlipayParams = { ...notificationParams(base), passback_params: '' };
    const withoutEmpty: AlipayParams = { ...params, notify_time: '2026-11-26 10:01:01' };
    withoutEmpty.sign = rsa2Sign(notifySignContent(withoutEmpty, true), key);
    const body = Buffer.from(new URLSearchParams(withoutEmpty).toString());
    expect(parseNotification({ headers: {}, body }, check).kind).toBe('payment');
    expect(parseNotification(inbound(params), check).kind).toBe('payment');
  });
});
