import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import {
  authorizationHeader,
  loadPrivateKey,
  parseAuthorization,
  paySigningMessage,
  requestSigningMessage,
  responseSigningMessage,
  rsaSign,
  rsaVerify,
  signRequest,
} from '../../../src-main/gateways/wechat/wechat-signature';
import { testKeyPair } from '../../support/gateway-keys';

/**
 * WeChat Pay APIv3 signing strings and SHA256withRSA, against
 *  (b) the deterministic Authorization vector of gunsluo/wechatpay-go client_test.go (TestSignatureForClient),
 *      with its public test key test_fixtures/mock_private_key_pkcs8.pem (committed under test/fixtures/wechat);
 *  - the independent oracle wechatpay-axios-plugin (Formatter.request/response/joinedByLineFeed, Rsa.sign/verify),
 *    in both directions. PKCS#1 v1.5 signatures are deterministic, so equal inputs give equal bytes.
 */
const FIXTURE_KEY = readFileSync(new URL('../../fixtures/wechat/gunsluo-mock-private-key-pkcs8.pem', import.meta.url), 'utf8');
const VECTOR_BODY =
  '{"appid":"wx81be3101902f7cb2","mchid":"1601959334","description":"for testing","out_trade_no":"S20210124144305172434","time_expire":"2021-01-24T14:53:05+08:00","attach":"cipher code","notify_url":"https://luoji.live/notify","amount":{"total":1,"currency":"CNY"},"detail":{},"scene_info":{"payer_client_ip":"","store_info":{"id":""}}}';
const VECTOR_AUTHORIZATION =
  'WECHATPAY2-SHA256-RSA2048 mchid="1230000109",nonce_str="AF1404CC2980FB414C99C0B98883BD42",signature="ItuRCG6nAf6ZUi5C5LPa0beCGrG7+G4NdaCHLTmym+UzuZHFgFeqRZ4zKQ0n93qehchFWfQ7s00pgABYvXcOMsV1ld7AUjDTZBPucJK6yhFKz9jd20wtRdDG4LRCZcaTowD2f7LtlixFm8F3/YQaBavxiOe54tc3RX/22flYRzy4YFOpBt+bmjSPZIdSFi53323u7cohwvdHwX+avQCtLZKAUNFJIob66u05BbDEITzYuHjakjpb5btvWemjoZBPxkiETzmd4Oa1y2U+rfFCPZyWT4EV7UxHeEizBL8DkubEBD3KXeArqRX6yoMAU4ywmdFeWDbv1EF0Ndy9hiddZQ==",timestamp="1611368330",serial_no="477ED0046A54F0360A72A63A8F2816312AAEAB53"';

describe('WeChat Pay request signature: published vector', () => {
  it('reproduces the gunsluo/wechatpay-go Authorization header byte for byte', () => {
    const header = signRequest(
      {
        method: 'POST',
        pathAndQuery: new URL('https://api.mch.weixin.qq.com/v3/pay/transactions/native').pathname,
        body: VECTOR_BODY,
        mchid: '1230000109',
        serialNo: '477ED0046A54F0360A72A63A8F2816312AAEAB53',
        timestamp: '1611368330',
        nonce: 'AF1404CC2980FB414C99C0B98883BD42',
      },
      loadPrivateKey(FIXTURE_KEY),
    );
    expect(header).toBe(VECTOR_AUTHORIZATION);
  });

  it('a different body, nonce or path gives a different signature', () => {
    const key = loadPrivateKey(FIXTURE_KEY);
    const base = { method: 'POST', pathAndQuery: '/v3/pay/transactions/native', body: VECTOR_BODY, mchid: '1230000109', serialNo: '477ED0046A54F0360A72A63A8F2816312AAEAB53', timestamp: '1611368330', nonce: 'AF1404CC2980FB414C99C0B98883BD42' };
    expect(signRequest({ ...base, body: VECTOR_BODY.replace('"total":1', '"total":2') }, key)).not.toBe(VECTOR_AUTHORIZATION);
    expect(signRequest({ ...base, nonce: 'AF1404CC2980FB414C99C0B98883BD43' }, key)).not.toBe(VECTOR_AUTHORIZATION);
    expect(signRequest({ ...base, pathAndQuery: '/v3/pay/transactions/jsapi' }, key)).not.toBe(VECTOR_AUTHORIZATION);
  });
});

describe('WeChat Pay signing strings and RSA against wechatpay-axios-plugin', () => {
  const merchant = testKeyPair('wechat-merchant');
  const key = loadPrivateKey(merchant.privateKeyPem);
  const pub = createPublicKey(merchant.publicKeyPem);

  it('builds the same request string, including a GET whose empty body ends in "\\n\\n"', () => {
    expect(requestSigningMessage('POST', '/v3/refund/domestic/refunds', '1700000000', 'N1', '{"a":1}').toString()).toBe(
      Formatter.request('POST', '/v3/refund/domestic/refunds', '1700000000', 'N1', '{"a":1}'),
    );
    const get = requestSigningMessage('GET', '/v3/pay/transactions/out-trade-no/P1?mchid=1900000109', '1700000000', 'N2');
    expect(get.toString()).toBe(Formatter.request('GET', '/v3/pay/transactions/out-trade-no/P1?mchid=1900000109', '1700000000', 'N2', ''));
    expect(get.toString().endsWith('N2\n\n')).toBe(true);
  });

  it('our request signature verifies with the oracle and equals its signature; the oracle verifies a tampered string as false', () => {
    const text = Formatter.request('POST', '/v3/pay/transactions/jsapi', 1700000000, 'ABC', '{"amount":{"total":100}}');
    const ours = rsaSign(requestSigningMessage('POST', '/v3/pay/transactions/jsapi', '1700000000', 'ABC', '{"amount":{"total":100}}'), key);
    expect(Rsa.verify(text, ours, merchant.publicKeyPem)).toBe(true);
    expect(ours).toBe(Rsa.sign(text, merchant.privateKeyPem));
    expect(Rsa.verify(text.replace('100', '101'), ours, merchant.publicKeyPem)).toBe(false);
  });

  it('verifies what the oracle signs, response-style, and refuses a changed body, a wrong key and a SIGNTEST probe', () => {
    const body = '{"code_url":"weixin://wxpay/bizpayurl?pr=NwY5Mz9"}';
    const signature = Rsa.sign(Formatter.response(1700000000, 'NONCE', body), merchant.privateKeyPem);
    expect(responseSigningMessage('1700000000', 'NONCE', Buffer.from(body)).toString()).toBe(Formatter.response(1700000000, 'NONCE', body));
    expect(rsaVerify(responseSigningMessage('1700000000', 'NONCE', Buffer.from(body)), signature, pub)).toBe(true);
    expect(rsaVerify(responseSigningMessage('1700000000', 'NONCE', Buffer.from(body.replace('NwY5', 'XwY5'))), signature, pub)).toBe(false);
    expect(rsaVerify(responseSigningMessage('1700000000', 'NONCE', Buffer.from(body)), signature, createPublicKey(testKeyPair('wechat-other').publicKeyPem))).toBe(false);
    expect(rsaVerify(responseSigningMessage('1700000000', 'NONCE', Buffer.from(body)), 'WECHATPAY/SIGNTEST/abcd', pub)).toBe(false);
  });

  it('signs the mini-program pay params exactly as the oracle does (appId\\ntimeStamp\\nnonceStr\\npackage\\n)', () => {
    const msg = paySigningMessage('wx8888888888888888', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', 'prepay_id=wx201410272009395522657a690389285100');
    const oracleText = Formatter.joinedByLineFeed('wx8888888888888888', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', 'prepay_id=wx201410272009395522657a690389285100');
    expect(msg.toString()).toBe(oracleText);
    expect(msg.toString()).toBe('wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n');
    const paySign = rsaSign(msg, key);
    expect(paySign).toBe(Rsa.sign(oracleText, merchant.privateKeyPem));
    expect(Rsa.verify(oracleText, paySign, merchant.publicKeyPem)).toBe(true);
  });

  it('reads the oracle Authorization header (different pair order) and refuses other schemes', () => {
    const header = Formatter.authorization('1900000109', 'NONCE1', 'c2lnbmF0dXJl', 1700000000, 'SERIAL9');
    expect(parseAuthorization(header)).toEqual({ mchid: '1900000109', nonce: 'NONCE1', signature: 'c2lnbmF0dXJl', timestamp: '1700000000', serialNo: 'SERIAL9' });
    const ours = authorizationHeader({ mchid: '1', nonce: 'n', signature: 's', timestamp: '2', serialNo: 'S' });
    expect(parseAuthorization(ours)).toEqual({ mchid: '1', nonce: 'n', signature: 's', timestamp: '2', serialNo: 'S' });
    expect(parseAuthorization(ours.replace('WECHATPAY2-SHA256-RSA2048', 'Bearer'))).toBeNull();
    expect(parseAuthorization(ours.replace(',signature="s"', ''))).toBeNull();
  });

  it('refuses to load a broken key without echoing it', () => {
    expect(() => loadPrivateKey('-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----')).toThrow(/商户私钥格式无效/);
    try {
      loadPrivateKey('SECRET-MATERIAL');
    } catch (e) {
      expect(String(e)).not.toContain('SECRET-MATERIAL');
    }
  });
});
