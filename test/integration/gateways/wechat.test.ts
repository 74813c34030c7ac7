import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { DAY_MS, MINUTE_MS, systemClock, type Clock } from '../../../src-main/core/time';
import type { InboundRequest, NotificationReply, VerifiedNotification } from '../../../src-main/gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected, NotificationRejected, ResponseUnverified } from '../../../src-main/gateways/gateway-errors';
import { makeTransport, type HttpTransport } from '../../../src-main/gateways/http';
import { Simulator } from '../../../src-main/gateways/simulator/simulator';
import { WechatPlatform, type WechatSimOptions } from '../../../src-main/gateways/simulator/wechat-platform';
import { parseTradeBill } from '../../../src-main/gateways/wechat/wechat-bill';
import { WechatPayGateway, type WechatPayConfig } from '../../../src-main/gateways/wechat/wechat-gateway';
import { sandboxPayPageUrl } from '../../../src-main/gateways/wechat/wechat-sandbox';
import { testKeyPair, testSecret } from '../../support/gateway-keys';
import { TestClock } from '../../support/test-clock';

/** The WeChat Pay adapter against the simulated platform over real HTTP on loopback. */
const MCHID = '1900000109';
const APPID = 'wxd678efh567hg6787';
const MERCHANT_SERIAL = '3775B6A45ACD588826D15E583A95F5DD********'.replace(/\*/g, '0');
const PUB_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const merchant = testKeyPair('wechat-merchant');
const platformKey = testKeyPair('wechat-platform');
const oldPlatformKey = testKeyPair('wechat-platform-old');
const apiV3Key = testSecret(16);

interface Delivery {
  req: InboundRequest;
  verified?: VerifiedNotification;
  rejected?: NotificationRejected['reason'];
  status: number;
}

let sim: Simulator;
let wx: WechatPlatform;
let gw: WechatPayGateway;
let receiver: Server;
let notifyUrl: string;
let deliveries: Delivery[];
/** How the merchant answers the n-th delivery (1-based); by default: verify, then accept or refuse. */
let answer: (d: Delivery, n: number) => NotificationReply | undefined;

function gateway(over: Partial<WechatPayConfig> = {}, clock: Clock = systemClock, transport?: HttpTransport): WechatPayGateway {
  const config: WechatPayConfig = {
    mchid: MCHID,
    appid: APPID,
    merchantSerialNo: MERCHANT_SERIAL,
    merchantPrivateKeyPem: merchant.privateKeyPem,
    apiV3Key,
    platformKeys: [{ serial: PUB_ID, publicKeyPem: platformKey.publicKeyPem }],
    endpoint: sim.url,
    timeoutMs: 400,
    ...over,
  };
  return new WechatPayGateway(config, transport ?? makeTransport({ platform: 'wechat', sandbox: true }), clock);
}

async function setup(clock: Clock = systemClock, simOptions: Partial<WechatSimOptions> = {}): Promise<void> {
  sim = new Simulator({ timeScale: 0.001, clock });
  wx = new WechatPlatform(sim.context, {
    mchid: MCHID,
    appid: APPID,
    apiV3Key,
    merchantKeys: [{ serial: MERCHANT_SERIAL, publicKeyPem: merchant.publicKeyPem }],
    platformKey: { serial: PUB_ID, privateKeyPem: platformKey.privateKeyPem },
    ...simOptions,
  });
  sim.add(wx);
  await sim.start();
  gw = gateway({}, clock);
  deliveries = [];
  answer = () => undefined;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const d: Delivery = { req: { headers, body: Buffer.concat(chunks) }, status: 0 };
      deliveries.push(d);
      gw.verifyNotification(d.req).then(
        (v) => (d.verified = v),
        (e: unknown) => (d.rejected = e instanceof NotificationRejected ? e.reason : 'malformed'),
      ).finally(() => {
        const reply = answer(d, deliveries.length) ?? gw.notificationReply(d.verified !== undefined, d.rejected);
        d.status = reply.status;
        res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
      });
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const address = receiver.address();
  if (!address || typeof address === 'string') throw new Error('receiver has no port');
  notifyUrl = `http://127.0.0.1:${address.port}/api/payment/callback/wechat`;
}

async function until<T>(what: string, probe: () => T | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let seq = 0;
const orderNo = () => `P${Date.now()}${String(++seq).padStart(4, '0')}`;
const order = (scene: 'wechat_jsapi' | 'wechat_native', amountFen = 50000, no = orderNo()) => ({
  orderNo: no,
  amountFen,
  description: '豪华大床房 定金',
  expireAt: systemClock.now() + 30 * MINUTE_MS,
  scene,
  notifyUrl,
  payerOpenId: scene === 'wechat_jsapi' ? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' : undefined,
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
}

describe('WeChat Pay adapter against the simulator', () => {
  beforeEach(() => setup());
  afterEach(async () => {
    await sim.stop();
    receiver.closeAllConnections();
    await new Promise((ok) => receiver.close(ok));
  });

  it('JSAPI: prepay_id and mini-program pay params whose paySign the oracle verifies with the merchant key', async () => {
    const o = order('wechat_jsapi');
    const r = await gw.createPayment(o);
    if (r.kind !== 'jsapi') throw new Error(`unexpected ${r.kind}`);
    expect(r.payParams).toMatchObject({ appId: APPID, package: `prepay_id=${r.prepayId}`, signType: 'RSA' });
    expect(r.payParams.timeStamp).toMatch(/^\d{10}$/);
    const p = r.payParams;
    expect(Rsa.verify(Formatter.joinedByLineFeed(p.appId, p.timeStamp, p.nonceStr, p.package), p.paySign, merchant.publicKeyPem)).toBe(true);
    expect(await gw.queryPayment(o.orderNo)).toEqual({ orderNo: o.orderNo, state: 'pending', amountFen: undefined, platformTradeNo: undefined, paidAt: undefined });
    // The same order again answers the same prepay_id; a changed amount under the same number is refused.
    expect(await gw.createPayment(o)).toMatchObject({ prepayId: r.prepayId });
    expect(await rejection(gw.createPayment({ ...o, amountFen: 1 }))).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('Native: the weixin:// code_url opens the simulator pay page, whose button pays and notifies once', async () => {
    const o = order('wechat_native', 12345);
    const r = await gw.createPayment(o);
    if (r.kind !== 'qr') throw new Error(`unexpected ${r.kind}`);
    expect(r.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=[0-9A-Za-z]+$/);
    const link = sandboxPayPageUrl(r.codeUrl, sim.url) ?? '';
    const redirect = await fetch(link, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const page = await fetch(link);
    expect(await page.text()).toContain(o.orderNo);
    await fetch(new URL(redirect.headers.get('location') ?? '', sim.url), { method: 'POST', body: new URLSearchParams({ platform: 'wechat', orderNo: o.orderNo }) });
    const d = await until('payment notification', () => deliveries[0]?.verified && deliveries[0]);
    expect(d.status).toBe(200);
    expect(d.verified?.event).toMatchObject({ kind: 'payment', orderNo: o.orderNo, state: 'paid', amountFen: 12345 });
    await sim.notifier.idle();
    expect(deliveries).toHaveLength(1);
    expect(sim.notifier.log.filter((a) => a.platform === 'wechat')).toMatchObject([{ attempt: 1, acknowledged: true }]);
    const q = await gw.queryPayment(o.orderNo);
    expect(q).toMatchObject({ state: 'paid', amountFen: 12345 });
    if (d.verified?.event.kind !== 'payment') throw new Error('not a payment');
    expect(q.platformTradeNo).toBe(d.verified.event.platformTradeNo);
  });

  it('retries on WeChat schedule until the merchant answers 2xx, with the same notification id', async () => {
    answer = (_d, n) => (n === 1 ? gw.notificationReply(false, '数据库繁忙') : undefined);
    const o = order('wechat_native');
    await gw.createPayment(o);
    await wx.pay(o.orderNo);
    await until('second delivery', () => deliveries[1]?.status === 200);
    await sim.notifier.idle();
    expect(deliveries.map((d) => d.status)).toEqual([500, 200]);
    expect(deliveries[0]?.verified?.notificationId).toBe(deliveries[1]?.verified?.notificationId);
    const attempts = sim.notifier.log.filter((a) => a.key === `TRANSACTION:${o.orderNo}`);
    expect(attempts.map((a) => [a.attempt, a.acknowledged])).toEqual([[1, false], [2, true]]);
  });

  it('duplicate delivery carries the same id; an amount fault shows up as a different amount in the event', async () => {
    wx.faults.inject({ kind: 'notify_duplicate', operation: 'pay' }, { kind: 'notify_amount_mismatch', operation: 'pay' });
    const o = order('wechat_jsapi', 50000);
    await gw.createPayment(o);
    await wx.pay(o.orderNo);
    await until('two deliveries', () => deliveries.length === 2 && deliveries.every((d) => d.verified));
    expect(new Set(deliveries.map((d) => d.verified?.notificationId)).size).toBe(1);
    expect(deliveries[0]?.verified?.event).toMatchObject({ orderNo: o.orderNo, amountFen: 50001 });
  });

  it('refuses forged, stale, tampered and foreign notifications', async () => {
    wx.faults.inject({ kind: 'notify_bad_signature', operation: 'pay' });
    const o = order('wechat_native');
    await gw.createPayment(o);
    await wx.pay(o.orderNo);
    const forged = await until('forged delivery', () => deliveries[0]?.rejected && deliveries[0]);
    expect(forged).toMatchObject({ rejected: 'bad_signature', status: 500 });
    await until('a retry of the refused notification', () => deliveries.length >= 2);
    const o2 = order('wechat_native');
    await gw.createPayment(o2);
    await wx.pay(o2.orderNo);
    const good = await until('good delivery', () => deliveries.find((d) => d.verified?.event.kind === 'payment' && d.verified.event.orderNo === o2.orderNo));
    const later = gateway({}, { now: () => Date.now() + 6 * MINUTE_MS });
    expect(await rejection(later.verifyNotification(good.req))).toMatchObject({ reason: 'stale_timestamp' });
    const body = Buffer.from(good.req.body.toString().replace('encrypt-resource', 'encrypt-resourcf'));
    expect(await rejection(gw.verifyNotification({ ...good.req, body }))).toMatchObject({ reason: 'bad_signature' });
    expect(await rejection(gateway({ mchid: '1900000999' }).verifyNotification(good.req))).toMatchObject({ reason: 'wrong_merchant' });
    expect(await rejection(gateway({ appid: 'wx0000000000000000' }).verifyNotification(good.req))).toMatchObject({ reason: 'wrong_merchant' });
    const otherRing = gateway({ platformKeys: [{ serial: 'PUB_KEY_ID_OTHER', publicKeyPem: oldPlatformKey.publicKeyPem }] });
    expect(await rejection(otherRing.verifyNotification(good.req))).toMatchObject({ reason: 'unknown_key' });
  });

  it('close: unpaid closes; a paid trade is reported, not thrown; a closed one stays closed and cannot be paid', async () => {
    const a = order('wechat_native');
    await gw.createPayment(a);
    expect(await gw.closePayment(a.orderNo)).toEqual({ closed: true });
    expect(await gw.closePayment(a.orderNo)).toEqual({ closed: true });
    expect((await gw.queryPayment(a.orderNo)).state).toBe('closed');
    await expect(wx.pay(a.orderNo)).rejects.toThrow(/已关闭/);
    const b = order('wechat_jsapi', 800);
    await gw.createPayment(b);
    await wx.pay(b.orderNo);
    const r = await gw.closePayment(b.orderNo);
    expect(r).toMatchObject({ closed: false, alreadyPaid: { orderNo: b.orderNo, state: 'paid', amountFen: 800 } });
  });

  it('late payment after close (pay_after_close): the close succeeds, then money and notification still arrive', async () => {
    wx.faults.inject({ kind: 'pay_after_close' });
    const o = order('wechat_native', 3000);
    await gw.createPayment(o);
    expect(await gw.closePayment(o.orderNo)).toEqual({ closed: true });
    await wx.pay(o.orderNo);
    const d = await until('late notification', () => deliveries[0]?.verified && deliveries[0]);
    expect(d.verified?.event).toMatchObject({ kind: 'payment', orderNo: o.orderNo, state: 'paid', amountFen: 3000 });
    expect((await gw.queryPayment(o.orderNo)).state).toBe('paid');
  });

  it('timeouts and 5xx are outcome-unknown; the query tells the truth', async () => {
    wx.faults.inject({ kind: 'timeout_after_effect', operation: 'create' });
    const a = order('wechat_native');
    expect(await rejection(gw.createPayment(a))).toBeInstanceOf(GatewayOutcomeUnknown);
    expect((await gw.queryPayment(a.orderNo)).state).toBe('pending');
    wx.faults.inject({ kind: 'timeout_before_effect', operation: 'create' });
    const b = order('wechat_native');
    expect(await rejection(gw.createPayment(b))).toBeInstanceOf(GatewayOutcomeUnknown);
    expect(await rejection(gw.queryPayment(b.orderNo))).toMatchObject({ code: 'ORDER_NOT_EXIST' });
    wx.faults.inject({ kind: 'server_error', operation: 'create' });
    const c = order('wechat_native');
    const e = await rejection(gw.createPayment(c));
    expect(e).toBeInstanceOf(GatewayOutcomeUnknown);
    expect(e).not.toBeInstanceOf(GatewayRejected);
    expect(await rejection(gw.queryPayment(c.orderNo))).toMatchObject({ code: 'ORDER_NOT_EXIST' });
  });

  it('an answer signed with an untrusted key is not trusted; a wrong merchant signature gets 401 SIGN_ERROR', async () => {
    wx.faults.inject({ kind: 'bad_response_signature', operation: 'create' });
    const o = order('wechat_native');
    expect(await rejection(gw.createPayment(o))).toBeInstanceOf(ResponseUnverified);
    expect((await gw.queryPayment(o.orderNo)).state).toBe('pending');
    const impostor = gateway({ merchantPrivateKeyPem: oldPlatformKey.privateKeyPem });
    expect(await rejection(impostor.queryPayment(o.orderNo))).toMatchObject({ code: 'SIGN_ERROR' });
  });

  it('platform key rotation: the old key stays valid while listed, an unlisted one makes answers unverified', async () => {
    const o = order('wechat_native');
    await gw.createPayment(o);
    wx.usePlatformKey({ serial: 'OLD_CERT_SERIAL', privateKeyPem: oldPlatformKey.privateKeyPem });
    expect(await rejection(gw.queryPayment(o.orderNo))).toBeInstanceOf(ResponseUnverified);
    const both = gateway({ platformKeys: [{ serial: PUB_ID, publicKeyPem: platformKey.publicKeyPem }, { serial: 'OLD_CERT_SERIAL', publicKeyPem: oldPlatformKey.publicKeyPem }] });
    expect((await both.queryPayment(o.orderNo)).state).toBe('pending');
  });

  it('refund: processing, then success with its notification; query; idempotent number; no refund beyond what was paid', async () => {
    const o = order('wechat_jsapi', 50000);
    await gw.createPayment(o);
    await wx.pay(o.orderNo);
    const req = { orderNo: o.orderNo, refundNo: `R${o.orderNo}`, amountFen: 20000, totalFen: 50000, reason: '客户取消', notifyUrl };
    const r = await gw.refund(req);
    expect(r).toMatchObject({ refundNo: req.refundNo, orderNo: o.orderNo, state: 'processing', amountFen: 20000 });
    const n = await until('refund notification', () => deliveries.find((d) => d.verified?.event.kind === 'refund'));
    expect(n.verified?.event).toMatchObject({ kind: 'refund', refundNo: req.refundNo, state: 'success', amountFen: 20000 });
    expect(await gw.queryRefund(o.orderNo, req.refundNo)).toMatchObject({ state: 'success', amountFen: 20000, platformRefundNo: r.platformRefundNo });
    expect(await gw.refund(req)).toMatchObject({ refundNo: req.refundNo, amountFen: 20000, state: 'success' });
    expect(wx.ledger.refundedOf(o.orderNo)).toBe(20000);
    expect(await rejection(gw.refund({ ...req, refundNo: `S${o.orderNo}`, amountFen: 30001 }))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await gw.refund({ ...req, refundNo: `S${o.orderNo}`, amountFen: 30000 })).toMatchObject({ state: 'processing' });
    expect((await gw.queryPayment(o.orderNo)).state).toBe('refunded');
    expect(await rejection(gw.refund({ ...req, refundNo: `T${o.orderNo}`, amountFen: 1 }))).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('transfer: one bill waits for the payee, who confirms; then success and its notification', async () => {
    const t = await gw.transfer({ transferNo: `T${Date.now()}`, amountFen: 300000, payee: { account: 'oPayee1', name: '王小明' }, remark: '三月报销', notifyUrl });
    expect(t).toMatchObject({ state: 'wait_user_confirm', amountFen: 300000 });
    expect(t.packageInfo).toBeTruthy();
    expect(wx.ledger.transfers.get(t.transferNo)?.name).toBe('王小明');
    expect(await gw.queryTransfer(t.transferNo)).toMatchObject({ state: 'wait_user_confirm', amountFen: 300000 });
    const confirm = await fetch(`${sim.url}/sim/wechat/transfer-bills/${t.transferNo}/confirm`, { method: 'POST' });
    expect(confirm.status).toBe(200);
    const n = await until('transfer notification', () => deliveries[0]?.verified && deliveries[0]);
    expect(n.verified?.event).toMatchObject({ kind: 'transfer', transferNo: t.transferNo, state: 'success', amountFen: 300000 });
    expect(await gw.queryTransfer(t.transferNo)).toMatchObject({ state: 'success', platformTransferNo: t.platformTransferNo });
    expect(await rejection(gw.transfer({ transferNo: `U${Date.now()}`, amountFen: 200000, payee: { account: 'o2', name: '' }, remark: 'x', notifyUrl }))).toMatchObject({ code: 'PARAM_ERROR' });
  });
});

describe('WeChat Pay transfer with automatic payee confirmation', () => {
  beforeEach(() => setup(systemClock, { autoConfirmTransferMs: 60_000 }));
  afterEach(async () => {
    await sim.stop();
    receiver.closeAllConnections();
    await new Promise((ok) => receiver.close(ok));
  });

  it('the payee confirms by itself after the (scaled) delay, then the notification arrives', async () => {
    const t = await gw.transfer({ transferNo: `A${Date.now()}`, amountFen: 1000, payee: { account: 'oPayee2', name: '' }, remark: '奖励', notifyUrl });
    expect(t.state).toBe('wait_user_confirm');
    const n = await until('transfer notification', () => deliveries[0]?.verified && deliveries[0]);
    expect(n.verified?.event).toMatchObject({ kind: 'transfer', transferNo: t.transferNo, state: 'success', amountFen: 1000 });
    expect((await gw.queryTransfer(t.transferNo)).state).toBe('success');
  });
});

describe('WeChat Pay trade bill through the simulator', () => {
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock(Date.UTC(2026, 10, 26, 2, 0, 0));
    await setup(clock);
  });
  afterEach(async () => {
    await sim.stop();
    receiver.closeAllConnections();
    await new Promise((ok) => receiver.close(ok));
  });

  it('is ready after 10:00 the next day, SHA1-checked, in yuan, with payment and refund rows', async () => {
    const a = { ...order('wechat_native', 9900, 'P20261126A'), expireAt: clock.now() + 30 * MINUTE_MS };
    const b = { ...order('wechat_jsapi', 100, 'P20261126B'), expireAt: clock.now() + 30 * MINUTE_MS };
    for (const o of [a, b]) {
      await gw.createPayment(o);
      await wx.pay(o.orderNo);
    }
    await gw.refund({ orderNo: a.orderNo, refundNo: 'R20261126A', amountFen: 2500, totalFen: 9900, reason: '部分退款', notifyUrl });
    await sim.notifier.idle();
    expect(await rejection(gw.downloadBill({ date: '2026-11-26', type: 'all' }))).toMatchObject({ code: 'STATEMENT_CREATING' });
    clock.advance(DAY_MS);
    expect(await rejection(gw.downloadBill({ date: '2026-11-25', type: 'all' }))).toMatchObject({ code: 'NO_STATEMENT_EXIST' });
    const file = await gw.downloadBill({ date: '2026-11-26', type: 'all' });
    expect(file).toMatchObject({ platform: 'wechat', date: '2026-11-26', format: 'wechat-csv' });
    expect(file.bytes.equals(wx.bill('2026-11-26', 'all'))).toBe(true);
    const bill = parseTradeBill(file.bytes);
    expect(bill.rows.map((r) => [r['商户订单号'], r['交易状态'], r['交易类型'], r['订单金额'], r['申请退款金额'], r['商户退款单号']])).toEqual([
      ['P20261126A', 'SUCCESS', 'NATIVE', '99.00', '0.00', '0'],
      ['P20261126B', 'SUCCESS', 'JSAPI', '1.00', '0.00', '0'],
      ['P20261126A', 'REFUND', 'NATIVE', '0.00', '25.00', 'R20261126A'],
    ]);
    expect(bill.summary).toMatchObject({ 总交易单数: '3', 应结订单总金额: '100.00', 退款总金额: '25.00', 订单总金额: '100.00' });
    const refunds = parseTradeBill((await gw.downloadBill({ date: '2026-11-26', type: 'refund' })).bytes);
    expect(refunds.rows.map((r) => r['退款状态'])).toEqual(['SUCCESS']);
  });

  it('a file that does not match its signed SHA1 is not accepted', async () => {
    const o = { ...order('wechat_native', 500, 'P20261126C'), expireAt: clock.now() + 30 * MINUTE_MS };
    await gw.createPayment(o);
    await wx.pay(o.orderNo);
    clock.advance(DAY_MS);
    const real = makeTransport({ platform: 'wechat', sandbox: true });
    const corrupting: HttpTransport = async (req) => {
      const res = await real(req);
      return req.url.includes('/v3/billdownload/file') ? { ...res, body: Buffer.from(res.body.toString().replace('5.00', '0.05')) } : res;
    };
    expect(await rejection(gateway({}, clock, corrupting).downloadBill({ date: '2026-11-26', type: 'all' }))).toBeInstanceOf(ResponseUnverified);
  });
});
