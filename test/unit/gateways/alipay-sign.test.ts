import { readFileSync } from 'node:fs';
import { AlipaySdk } from 'alipay-sdk';
import { describe, expect, it } from 'vitest';
import { AlipayGateway } from '../../../src-main/gateways/alipay/alipay-gateway';
import { splitResponse } from '../../../src-main/gateways/alipay/alipay-response';
import {
  loadPrivateKey, loadPublicKey, notifySignContent, requestSignContent, rsa2Sign, rsa2Verify, type AlipayParams,
} from '../../../src-main/gateways/alipay/alipay-sign';
import { alipayJson } from '../../../src-main/gateways/simulator/alipay-platform';
import { formatShanghai } from '../../../src-main/core/time';
import { testKeyPair } from '../../support/gateway-keys';
import { TestClock } from '../../support/test-clock';

/**
 * RSA2 signing and verification against (a) the fixed-key cases of alipay/alipay-sdk-nodejs-all's own
 * tests, including a notification really signed by Alipay, and (b) the official alipay-sdk v4 as an
 * oracle in both directions. PKCS#1 v1.5 signatures are deterministic, so "agree" means byte for byte.
 */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/alipay/${name}`, import.meta.url), 'utf8');
interface Vector { key: string; params: AlipayParams }
const vectors = JSON.parse(fixture('sdk-vectors.json')) as {
  tradeNotifyVerifies: Vector; tradeNotifyFails: Vector; servicemarketNotifySignedWithSignType: Vector;
  responseVerifies: { key: string; method: string; raw: string; signed: string };
  getSignStr: { responseKey: string; cases: string[]; expected: string };
};
const appPrivate = fixture('app-private-key.pem');
const appPublic = fixture('app-public-key.pem');
const APP_ID = '2021000122671080';

describe('fixed vectors from alipay-sdk-nodejs-all', () => {
  const { params, key } = vectors.tradeNotifyVerifies;
  const alipayKey = [loadPublicKey(fixture(key))];

  it('verifies a notification Alipay really signed — only with sign AND sign_type left out', () => {
    expect(rsa2Verify(notifySignContent(params), params.sign ?? '', alipayKey)).toBe(true);
    // The classic mistake: keeping sign_type in the string.
    expect(rsa2Verify(requestSignContent(params), params.sign ?? '', alipayKey)).toBe(false);
  });

  it('rejects it when one value is changed, or when checked with another Alipay key', () => {
    const tampered = { ...params, total_amount: '0.11' };
    expect(rsa2Verify(notifySignContent(tampered), params.sign ?? '', alipayKey)).toBe(false);
    expect(rsa2Verify(notifySignContent(params), params.sign ?? '', [loadPublicKey(fixture('alipay-notify-sign-public-key-v2.pem'))])).toBe(false);
  });

  it('rejects the SDK suite\'s "verify fail" notification', () => {
    const v = vectors.tradeNotifyFails;
    expect(rsa2Verify(notifySignContent(v.params), v.params.sign ?? '', [loadPublicKey(fixture(v.key))])).toBe(false);
  });

  it('a servicemarket message is signed WITH sign_type: our trade-notification check refuses it', () => {
    const v = vectors.servicemarketNotifySignedWithSignType;
    const k = [loadPublicKey(fixture(v.key))];
    expect(rsa2Verify(requestSignContent(v.params), v.params.sign ?? '', k)).toBe(true);
    expect(rsa2Verify(notifySignContent(v.params), v.params.sign ?? '', k)).toBe(false);
  });

  it('verifies a real gateway response over the raw member text', () => {
    const v = vectors.responseVerifies;
    const r = splitResponse(v.raw, v.method);
    expect(r.content).toBe(v.signed);
    expect(rsa2Verify(r.content, r.sign ?? '', [loadPublicKey(fixture(v.key))])).toBe(true);
    const changed = splitResponse(v.raw.replace('CAxAT', 'CAxAU'), v.method);
    expect(rsa2Verify(changed.content, changed.sign ?? '', [loadPublicKey(fixture(v.key))])).toBe(false);
  });

  it('cuts the signed text like getSignStr(), whitespace and a nested "sign" included, escaped slashes kept', () => {
    const { cases, expected, responseKey } = vectors.getSignStr;
    const method = responseKey.replace(/_response$/, '').replace(/_/g, '.');
    for (const raw of cases) expect(splitResponse(raw, method).content).toBe(expected);
    const nestedSign = cases[1]?.replace('{"code":"10000",', '{"code":"10000","sign":"xxx",') ?? '';
    expect(splitResponse(nestedSign, method).content).toBe(expected.replace('{"code":"10000",', '{"code":"10000","sign":"xxx",'));
  });

  it('loads the same private key from PEM and from the bare base64 Alipay\'s key tool prints', () => {
    const bare = appPrivate.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const pkcs8Bare = loadPrivateKey(appPrivate).export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const content = 'a=1&b=2';
    const expected = rsa2Sign(content, loadPrivateKey(appPrivate));
    expect(rsa2Sign(content, loadPrivateKey(bare))).toBe(expected);
    expect(rsa2Sign(content, loadPrivateKey(pkcs8Bare))).toBe(expected);
    expect(rsa2Verify(content, expected, [loadPublicKey(appPublic.replace(/-----[A-Z ]+-----/g, ''))])).toBe(true);
  });
});

describe('alipay-sdk v4 as the oracle', () => {
  const sdk = new AlipaySdk({ appId: APP_ID, privateKey: appPrivate, alipayPublicKey: appPublic, gateway: 'https://openapi.alipay.com/gateway.do' });
  const timestamp = '2026-11-26 10:00:00';

  it('the SDK\'s request signature equals ours byte for byte, and verifies with our check', () => {
    const query = sdk.sdkExecute('alipay.trade.query', {
      bizContent: { out_trade_no: 'PAY20261126001', query_options: ['trade_settle_info'] }, notifyUrl: 'https://pay.example.com/cb?x=1&y=2', timestamp, format: 'JSON',
    });
    const params: AlipayParams = Object.fromEntries(new URLSearchParams(query));
    const theirs = params.sign ?? '';
    expect(rsa2Sign(requestSignContent(params), loadPrivateKey(appPrivate))).toBe(theirs);
    expect(rsa2Verify(requestSignContent(params), theirs, [loadPublicKey(appPublic)])).toBe(true);
    expect(rsa2Verify(requestSignContent({ ...params, notify_url: 'https://evil.example.com/cb' }), theirs, [loadPublicKey(appPublic)])).toBe(false);
  });

  it('our page-pay URL carries exactly the SDK pageExecute parameters for the same inputs and timestamp', async () => {
    const clock = new TestClock();
    const gw = new AlipayGateway(
      { appId: APP_ID, merchantPrivateKey: appPrivate, alipayPublicKeys: [{ key: appPublic }], gatewayUrl: 'https://openapi.alipay.com/gateway.do' },
      () => Promise.reject(new Error('page pay makes no HTTP call')),
      clock,
    );
    const expireAt = clock.now() + 30 * 60_000;
    const req = { orderNo: 'PAY20261126002', amountFen: 12345, description: '订金 A&B 套餐', expireAt, notifyUrl: 'https://pay.example.com/api/payment/callback/alipay', returnUrl: 'https://pay.example.com/done?o=1' };
    const ours = await gw.createPayment({ ...req, scene: 'alipay_page' });
    if (ours.kind !== 'redirect') throw new Error('expected a redirect');
    const theirs = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: { out_trade_no: req.orderNo, total_amount: '123.45', subject: req.description, product_code: 'FAST_INSTANT_TRADE_PAY', time_expire: formatShanghai(expireAt) },
      notifyUrl: req.notifyUrl, returnUrl: req.returnUrl, timestamp: formatShanghai(clock.now()), format: 'JSON',
    });
    const o = Object.fromEntries(new URL(ours.url).searchParams);
    const t = Object.fromEntries(new URL(theirs).searchParams);
    // The SDK adds its own alipay_sdk marker (and signs it); everything else must be identical.
    const { sign: ourSign, ...ourRest } = o;
    const { sign: _theirSign, alipay_sdk: sdkMarker, ...theirRest } = t;
    expect(sdkMarker).toMatch(/^alipay-sdk-nodejs/);
    expect(ourRest).toEqual(theirRest);
    expect(new URL(ours.url).origin + new URL(ours.url).pathname).toBe('https://openapi.alipay.com/gateway.do');
    expect(rsa2Verify(requestSignContent(o), ourSign ?? '', [loadPublicKey(appPublic)])).toBe(true);
    // Over the SDK's exact parameter set (marker included) our signer produces the SDK's signature.
    const { sign: sdkSign, ...sdkParams } = t;
    expect(rsa2Sign(requestSignContent(sdkParams), loadPrivateKey(appPrivate))).toBe(sdkSign);
  });

  it('a notification signed our way (as the simulator sends it) passes checkNotifySignV2; a tampered one does not', () => {
    const alipay = testKeyPair('alipay-oracle-platform');
    const checker = new AlipaySdk({ appId: APP_ID, privateKey: appPrivate, alipayPublicKey: alipay.publicKeyPem });
    const params: AlipayParams = {
      notify_id: 'N1', notify_type: 'trade_status_sync', app_id: APP_ID, trade_no: '2026112622001400000000000001', out_trade_no: 'PAY1',
      trade_status: 'TRADE_SUCCESS', total_amount: '88.80', subject: '房费 2晚 + 早餐 & 停车', sign_type: 'RSA2', notify_time: '2026-11-26 10:00:03', refund_fee: '',
    };
    params.sign = rsa2Sign(notifySignContent(params), loadPrivateKey(alipay.privateKeyPem));
    // Through the wire and back, as our verifier and the SDK's users see it.
    const decoded = Object.fromEntries(new URLSearchParams(new URLSearchParams(params).toString()));
    expect(checker.checkNotifySignV2(decoded)).toBe(true);
    expect(rsa2Verify(notifySignContent(decoded), decoded.sign ?? '', [loadPublicKey(alipay.publicKeyPem)])).toBe(true);
    expect(checker.checkNotifySignV2({ ...decoded, total_amount: '88.81' })).toBe(false);
  });

  it('the SDK verifies the Alipay-signed fixture notification exactly as we do', () => {
    const v = vectors.tradeNotifyVerifies;
    const checker = new AlipaySdk({ appId: APP_ID, privateKey: appPrivate, alipayPublicKey: fixture(v.key) });
    expect(checker.checkNotifySignV2(v.params)).toBe(true);
    expect(checker.checkNotifySignV2({ ...v.params, out_trade_no: 'other' })).toBe(false);
  });

  it('responses the simulator writes pass the SDK\'s checkResponseSign, and the SDK cuts the same signed text', () => {
    const alipay = testKeyPair('alipay-oracle-platform');
    const checker = new AlipaySdk({ appId: APP_ID, privateKey: appPrivate, alipayPublicKey: alipay.publicKeyPem });
    const inner = alipayJson({ code: '10000', msg: 'Success', out_trade_no: 'PAY1', qr_code: 'https://qr.alipay.com/bax08431a0xtqk2hpuwq00c5', list: [{ a: '}{' }] });
    expect(inner).toContain('https:\\/\\/qr.alipay.com\\/');
    const sign = rsa2Sign(inner, loadPrivateKey(alipay.privateKeyPem));
    const raw = `{"alipay_trade_precreate_response":${inner},"sign":"${sign}"}`;
    expect(checker.getSignStr(raw, 'alipay_trade_precreate_response')).toBe(splitResponse(raw, 'alipay.trade.precreate').content);
    expect(() => checker.checkResponseSign(raw, 'alipay_trade_precreate_response', sign, 't')).not.toThrow();
    expect(() => checker.checkResponseSign(raw.replace('PAY1', 'PAY2'), 'alipay_trade_precreate_response', sign, 't')).toThrow(/验签失败/);
  });
});

describe('verification edges', () => {
  const a = testKeyPair('alipay-edge-a');
  const b = testKeyPair('alipay-edge-b');
  const sig = rsa2Sign('x=1', loadPrivateKey(a.privateKeyPem));

  it('accepts any key of the rotation list and nothing else', () => {
    expect(rsa2Verify('x=1', sig, [loadPublicKey(b.publicKeyPem), loadPublicKey(a.publicKeyPem)])).toBe(true);
    expect(rsa2Verify('x=1', sig, [loadPublicKey(b.publicKeyPem)])).toBe(false);
    expect(rsa2Verify('x=1', sig, [])).toBe(false);
  });

  it('refuses signatures with junk characters instead of letting base64 decoding skip them', () => {
    expect(rsa2Verify('x=1', `${sig.slice(0, 10)}!${sig.slice(10)}`, [loadPublicKey(a.publicKeyPem)])).toBe(false);
    expect(rsa2Verify('x=1', '', [loadPublicKey(a.publicKeyPem)])).toBe(false);
  });

  it('request strings skip sign and empty values and keep sign_type; notify strings drop sign and sign_type', () => {
    const p = { b: '2', a: '1', sign: 'S', sign_type: 'RSA2', empty: '', 'a_b': 'x y&z' };
    expect(requestSignContent(p)).toBe('a=1&a_b=x y&z&b=2&sign_type=RSA2');
    // Empty values stay in as "k=", like the official Java and Node verifiers build the string.
    expect(notifySignContent(p)).toBe('a=1&a_b=x y&z&b=2&empty=');
    expect(notifySignContent(p, true)).toBe('a=1&a_b=x y&z&b=2');
  });
});
