import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, shanghaiDate } from '../../../src-main/core/time';
import { AlipayGateway, type AlipayGatewayConfig } from '../../../src-main/gateways/alipay/alipay-gateway';
import type { CreatePaymentRequest, PayScene, VerifiedNotification } from '../../../src-main/gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected, NotificationRejected, ResponseUnverified } from '../../../src-main/gateways/gateway-errors';
import { makeTransport, type HttpTransport } from '../../../src-main/gateways/http';
import { AlipayPlatform } from '../../../src-main/gateways/simulator/alipay-platform';
import { Simulator } from '../../../src-main/gateways/simulator/simulator';
import { testKeyPair } from '../../support/gateway-keys';
import { TestClock } from '../../support/test-clock';

const APP_ID = '2021000149600001';
const PID = '2088621000000001';
const merchant = testKeyPair('alipay-merchant');
const alipay = testKeyPair('alipay-platform');
const retired = testKeyPair('alipay-platform-retired');

interface Delivery { params: Record<string, string>; body: Buffer; headers: Record<string, string | undefined>; at: number; verified?: VerifiedNotification; error?: unknown; reply: string }

/** Our side: a callback endpoint that verifies with the adapter and answers what the adapter says. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  override?: (d: Delivery) => string | undefined;
  private server?: Server;
  url = '';
  constructor(private readonly gw: () => AlipayGateway) {}
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
        const d: Delivery = { params: Object.fromEntries(new URLSearchParams(body.toString())), body, headers, at: Date.now(), reply: '' };
        void this.gw().verifyNotification({ headers, body }).then((v) => (d.verified = v), (e: unknown) => (d.error = e)).then(() => {
          const r = this.gw().notificationReply(d.verified !== undefined);
          d.reply = this.override?.(d) ?? r.body;
          this.deliveries.push(d);
          res.writeHead(r.status, { 'content-type': r.contentType }).end(d.reply);
        });
      });
    });
    await new Promise<void>((ok) => this.server?.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/api/payment/callback/alipay`;
  }
  async waitFor(pred: (d: Delivery) => boolean, count = 1, timeoutMs = 4000): Promise<Delivery[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.deliveries.filter(pred);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`only ${found.length} of ${count} notifications arrived`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

const clock = new TestClock();
const sim = new Simulator({ clock, timeScale: 0.001 });
const platform = new AlipayPlatform(sim.context, {
  appId: APP_ID, pid: PID, merchantPublicKeys: [merchant.publicKeyPem], alipayPrivateKey: alipay.privateKeyPem,
  payees: { 'staff@example.com': '张三', '2088102177846881': '李四' }, balanceFen: 100_000,
});
sim.add(platform);
let config: AlipayGatewayConfig;
const transport = makeTransport({ platform: 'alipay', sandbox: true, defaultTimeoutMs: 3000 });
const gateway = (over: Partial<AlipayGatewayConfig> = {}, http: HttpTransport = transport) => new AlipayGateway({ ...config, ...over }, http, clock);
let gw: AlipayGateway;
const receiver = new Receiver(() => gw);

beforeAll(async () => {
  await sim.start();
  await receiver.start();
  config = { appId: APP_ID, sellerId: PID, merchantPrivateKey: merchant.privateKeyPem, alipayPublicKeys: [{ key: alipay.publicKeyPem }], gatewayUrl: `${sim.url}/gateway.do` };
  gw = gateway();
});
afterAll(async () => {
  await sim.stop();
  await receiver.stop();
});

let seq = 0;
const newOrder = (scene: PayScene, amountFen = 10000): CreatePaymentRequest => ({
  orderNo: `PAY${clock.now()}${String(++seq).padStart(3, '0')}`, amountFen, description: '客房预订订金', expireAt: clock.now() + 30 * 60_000, scene,
  notifyUrl: receiver.url, returnUrl: 'https://pay.example.com/done',
});
const paidNotice = (orderNo: string) => receiver.waitFor((d) => d.params.out_trade_no === orderNo && !d.params.out_biz_no);
const reason = async (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof NotificationRejected ? e.reason : e instanceof GatewayRejected ? e.code : String(e)));

describe('paying in every scene', () => {
  it('precreate: qr_code opens the pay page; pay → notification → paid', async () => {
    const req = newOrder('alipay_precreate', 8880);
    const created = await gw.createPayment(req);
    if (created.kind !== 'qr') throw new Error('expected a QR code');
    expect(created.codeUrl).toMatch(/\/alipay\/qr\/bax[0-9a-f]+$/);
    const opened = await fetch(created.codeUrl, { redirect: 'manual' });
    expect(opened.headers.get('location')).toBe(sim.payPageUrl('alipay', req.orderNo));
    expect(await gw.queryPayment(req.orderNo)).toMatchObject({ state: 'pending', amountFen: 8880 });
    await platform.pay(req.orderNo);
    const [d] = await paidNotice(req.orderNo);
    expect(d?.reply).toBe('success');
    expect(d?.verified?.event).toMatchObject({ kind: 'payment', orderNo: req.orderNo, state: 'paid', amountFen: 8880, paidAt: clock.now() });
    expect(await gw.queryPayment(req.orderNo)).toMatchObject({ state: 'paid', amountFen: 8880, paidAt: clock.now(), platformTradeNo: d?.verified?.event.kind === 'payment' ? d.verified.event.platformTradeNo : '' });
  });

  it('page pay: nothing exists until the payer opens the signed URL; the pay page\'s button pays', async () => {
    const req = newOrder('alipay_page');
    const created = await gw.createPayment(req);
    if (created.kind !== 'redirect') throw new Error('expected a redirect');
    expect(await reason(gw.queryPayment(req.orderNo))).toBe('ACQ.TRADE_NOT_EXIST');
    const opened = await fetch(created.url, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    const payPage = opened.headers.get('location') ?? '';
    expect(await (await fetch(payPage)).text()).toContain('¥100.00');
    const paid = await fetch(payPage, { method: 'POST', body: new URLSearchParams({ platform: 'alipay', orderNo: req.orderNo }) });
    expect(await paid.text()).toContain('支付成功');
    const [d] = await paidNotice(req.orderNo);
    expect(d?.verified?.event).toMatchObject({ state: 'paid', amountFen: 10000 });
  });

  it('wap pay: QUICK_WAP_WAY with quit_url; a URL changed after signing is refused at the cashier', async () => {
    const req = newOrder('alipay_wap', 4500);
    const created = await gw.createPayment(req);
    if (created.kind !== 'redirect') throw new Error('expected a redirect');
    const url = new URL(created.url);
    expect(url.searchParams.get('method')).toBe('alipay.trade.wap.pay');
    expect(JSON.parse(url.searchParams.get('biz_content') ?? '{}')).toMatchObject({ product_code: 'QUICK_WAP_WAY', total_amount: '45.00', quit_url: req.returnUrl });
    const cheaper = new URL(created.url);
    cheaper.searchParams.set('biz_content', (url.searchParams.get('biz_content') ?? '').replace('45.00', '0.01'));
    const refused = await fetch(cheaper, { redirect: 'manual' });
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain('isv.invalid-signature');
    expect(await reason(gw.queryPayment(req.orderNo))).toBe('ACQ.TRADE_NOT_EXIST');
    expect((await fetch(created.url, { redirect: 'manual' })).status).toBe(302);
    await platform.pay(req.orderNo);
    expect(await gw.queryPayment(req.orderNo)).toMatchObject({ state: 'paid', amountFen: 4500 });
  });
});

describe('closing', () => {
  it('closes an unpaid trade, which then cannot be paid', async () => {
    const req = newOrder('alipay_precreate');
    await gw.createPayment(req);
    expect(await gw.closePayment(req.orderNo)).toEqual({ closed: true });
    expect((await gw.queryPayment(req.orderNo)).state).toBe('closed');
    await expect(platform.pay(req.orderNo)).rejects.toThrow('交易已关闭');
  });

  it('an unpaid trade closes itself at its expiry (timeout_express)', async () => {
    const req = newOrder('alipay_precreate');
    await gw.createPayment(req);
    clock.advance(30 * 60_000);
    try {
      expect((await gw.queryPayment(req.orderNo)).state).toBe('closed');
      await expect(platform.pay(req.orderNo)).rejects.toThrow('交易已关闭');
    } finally {
      clock.advance(-30 * 60_000);
    }
  });

  it('reports a paid trade instead of failing', async () => {
    const req = newOrder('alipay_precreate', 1200);
    await gw.createPayment(req);
    await platform.pay(req.orderNo);
    expect(await gw.closePayment(req.orderNo)).toMatchObject({ closed: false, alreadyPaid: { state: 'paid', amountFen: 1200 } });
  });

  it('late payment after a close (pay_after_close) still arrives as a paid notification', async () => {
    const req = newOrder('alipay_precreate');
    await gw.createPayment(req);
    sim.inject('alipay', { kind: 'pay_after_close' });
    expect(await gw.closePayment(req.orderNo)).toEqual({ closed: true });
    await platform.pay(req.orderNo);
    expect((await paidNotice(req.orderNo))[0]?.verified?.event).toMatchObject({ state: 'paid', amountFen: 10000 });
    expect((await gw.queryPayment(req.orderNo)).state).toBe('paid');
  });
});

describe('notifications', () => {
  const paid = async (amountFen = 10000) => {
    const req = newOrder('alipay_precreate', amountFen);
    await gw.createPayment(req);
    await platform.pay(req.orderNo);
    return req;
  };

  it('a forged signature is refused and answered `fail`; a tampered body, another app or seller too', async () => {
    sim.inject('alipay', { kind: 'notify_bad_signature' });
    const forged = await paid();
    const [bad] = await paidNotice(forged.orderNo);
    expect(bad?.error).toBeInstanceOf(NotificationRejected);
    expect(bad?.reply).toBe('fail');
    const good = (await paidNotice((await paid()).orderNo))[0];
    if (!good) throw new Error('no notification');
    const tampered = Buffer.from(good.body.toString().replace('total_amount=100.00', 'total_amount=1.00'));
    expect(await reason(gw.verifyNotification({ headers: good.headers, body: tampered }))).toBe('bad_signature');
    expect(await reason(gateway({ appId: '2021000149600002' }).verifyNotification(good))).toBe('wrong_merchant');
    expect(await reason(gateway({ sellerId: '2088621000000002' }).verifyNotification(good))).toBe('wrong_merchant');
    // No freshness rule for Alipay notifications: a replay a day later is the same notification (same id).
    clock.advance(DAY_MS);
    try {
      expect((await gw.verifyNotification(good)).notificationId).toBe(good.params.notify_id);
    } finally {
      clock.advance(-DAY_MS);
    }
  });

  it('an amount the platform got wrong reaches the caller as it was sent', async () => {
    sim.inject('alipay', { kind: 'notify_amount_mismatch' });
    const req = await paid(10000);
    const [d] = await paidNotice(req.orderNo);
    expect(d?.params.total_amount).toBe('100.01');
    expect(d?.verified?.event).toMatchObject({ kind: 'payment', amountFen: 10001 });
    expect(d?.verified?.event.amountFen).not.toBe(req.amountFen);
  });

  it('a duplicate arrives twice with one notification id', async () => {
    sim.inject('alipay', { kind: 'notify_duplicate' });
    const req = await paid();
    const twice = await paidNotice(req.orderNo).then(() => receiver.waitFor((d) => d.params.out_trade_no === req.orderNo, 2));
    expect(new Set(twice.map((d) => d.verified?.notificationId)).size).toBe(1);
  });

  it('is retried on Alipay\'s schedule (4 min, scaled) until the body is `success`', async () => {
    const req = newOrder('alipay_precreate');
    let first = true;
    receiver.override = (d) => (d.params.out_trade_no === req.orderNo && first ? ((first = false), 'fail') : undefined);
    try {
      await gw.createPayment(req);
      await platform.pay(req.orderNo);
      const [a, b] = await receiver.waitFor((d) => d.params.out_trade_no === req.orderNo, 2);
      expect(a?.reply).toBe('fail');
      expect(b?.reply).toBe('success');
      expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(200);
      // The simulator logs an attempt once it has read our answer: wait for the second entry.
      const log = () => sim.notifier.log.filter((l) => l.key === a?.params.notify_id).map((l) => [l.attempt, l.acknowledged]);
      for (let i = 0; i < 200 && log().length < 2; i++) await new Promise((r) => setTimeout(r, 5));
      expect(log()).toEqual([[1, false], [2, true]]);
    } finally {
      receiver.override = undefined;
    }
  });

  it('a delayed notification arrives after a later one (reordering)', async () => {
    sim.inject('alipay', { kind: 'notify_delay_ms', ms: 400_000 });
    const slow = await paid();
    const fast = await paid();
    const [s] = await paidNotice(slow.orderNo);
    const [f] = await paidNotice(fast.orderNo);
    expect((f?.at ?? 0) < (s?.at ?? 0)).toBe(true);
  });
});

describe('refunds', () => {
  const refundNotice = (refundNo: string) => receiver.waitFor((d) => d.params.out_biz_no === refundNo);
  const refund = (orderNo: string, refundNo: string, amountFen: number) =>
    gw.refund({ orderNo, refundNo, amountFen, totalFen: 10000, reason: '客户取消', notifyUrl: receiver.url });

  it('partial refunds, each notified with its own amount although Alipay sends the cumulative refund_fee', async () => {
    const req = newOrder('alipay_precreate');
    await gw.createPayment(req);
    await platform.pay(req.orderNo);
    const [r1, r2] = [`${req.orderNo}R1`, `${req.orderNo}R2`];
    expect(await refund(req.orderNo, r1, 3000)).toMatchObject({ state: 'success', amountFen: 3000 });
    expect(await refund(req.orderNo, r2, 2000)).toMatchObject({ state: 'success', amountFen: 2000 });
    const [n2] = await refundNotice(r2);
    expect(n2?.params).toMatchObject({ trade_status: 'TRADE_SUCCESS', refund_fee: '50.00' });
    expect(n2?.verified?.event).toEqual({ kind: 'refund', orderNo: req.orderNo, refundNo: r2, state: 'success', amountFen: 2000, succeededAt: clock.now() });
    expect((await refundNotice(r1))[0]?.verified?.event).toMatchObject({ refundNo: r1, amountFen: 3000 });
    // The same out_request_no again is a retry: reported as done, no money moves.
    expect(await refund(req.orderNo, r1, 3000)).toMatchObject({ state: 'success', amountFen: 3000 });
    expect(platform.ledger.refundedOf(req.orderNo)).toBe(5000);
    expect(await reason(refund(req.orderNo, r1, 3100))).toBe('ACQ.DISCORDANT_REPEAT_REQUEST');
    expect(await reason(refund(req.orderNo, `${req.orderNo}R3`, 5001))).toBe('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
    expect(await gw.queryRefund(req.orderNo, r1)).toMatchObject({ state: 'success', amountFen: 3000, succeededAt: clock.now() });
    expect(await gw.queryRefund(req.orderNo, `${req.orderNo}R9`)).toMatchObject({ state: 'processing' });
    // The rest: the trade closes (TRADE_CLOSED) and reads as refunded.
    const r4 = `${req.orderNo}R4`;
    expect(await refund(req.orderNo, r4, 5000)).toMatchObject({ state: 'success' });
    expect((await refundNotice(r4))[0]?.params.trade_status).toBe('TRADE_CLOSED');
    expect((await refundNotice(r4))[0]?.verified?.event).toMatchObject({ kind: 'refund', amountFen: 5000 });
    expect((await gw.queryPayment(req.orderNo)).state).toBe('refunded');
  });

  it('an unpaid trade cannot be refunded', async () => {
    const req = newOrder('alipay_precreate');
    await gw.createPayment(req);
    expect(await reason(refund(req.orderNo, `${req.orderNo}R1`, 100))).toBe('ACQ.TRADE_STATUS_ERROR');
  });

  it('a refund Alipay settles later reads as processing, then success, with its notification', async () => {
    const slowSim = new Simulator({ clock, timeScale: 0.001 });
    const slow = new AlipayPlatform(slowSim.context, { appId: APP_ID, pid: PID, merchantPublicKeys: [merchant.publicKeyPem], alipayPrivateKey: alipay.privateKeyPem, refundDelayMs: 150 });
    slowSim.add(slow);
    await slowSim.start();
    const main = gw;
    try {
      const sgw = gateway({ gatewayUrl: `${slowSim.url}/gateway.do` });
      // The callback endpoint confirms refunds with a query: point it at this platform for the test.
      gw = sgw;
      const req = newOrder('alipay_precreate');
      await sgw.createPayment(req);
      await slow.pay(req.orderNo);
      const refundNo = `${req.orderNo}R1`;
      expect(await sgw.refund({ orderNo: req.orderNo, refundNo, amountFen: 1000, totalFen: 10000, reason: '', notifyUrl: receiver.url })).toMatchObject({ state: 'processing', amountFen: 1000 });
      expect((await refundNotice(refundNo))[0]?.verified?.event).toMatchObject({ state: 'success', amountFen: 1000 });
      expect(await sgw.queryRefund(req.orderNo, refundNo)).toMatchObject({ state: 'success', amountFen: 1000 });
    } finally {
      gw = main;
      await slowSim.stop();
    }
  });
});

describe('transfers', () => {
  const send = (transferNo: string, account: string, name: string, amountFen: number) => gw.transfer({ transferNo, amountFen, payee: { account, name }, remark: '员工报销', notifyUrl: receiver.url });

  it('pays out once per out_biz_no and reports the result', async () => {
    const first = await send('TR001', 'staff@example.com', '张三', 10000);
    expect(first).toMatchObject({ state: 'success', amountFen: 10000 });
    expect(await send('TR001', 'staff@example.com', '张三', 10000)).toMatchObject({ state: 'success', platformTransferNo: first.platformTransferNo });
    expect(await gw.queryTransfer('TR001')).toMatchObject({ state: 'success', amountFen: 10000, platformTransferNo: first.platformTransferNo, succeededAt: clock.now() });
    expect(await reason(send('TR001', 'staff@example.com', '张三', 10001))).toBe('PAYMENT_INFO_INCONSISTENCY');
    expect(await send('TR002', '2088102177846881', '李四', 100)).toMatchObject({ state: 'success' });
  });

  it('a payee problem needs a person; a short balance may be retried', async () => {
    expect(await send('TR003', 'staff@example.com', '张四', 100)).toMatchObject({ state: 'failed', retryable: false, failReason: expect.stringContaining('姓名') });
    expect(await send('TR004', 'nobody@example.com', '王五', 100)).toMatchObject({ state: 'failed', retryable: false });
    expect(await send('TR005', 'staff@example.com', '张三', 90_000)).toMatchObject({ state: 'failed', retryable: true });
    expect(await reason(gw.queryTransfer('TR005'))).toBe('ORDER_NOT_EXIST');
  });
});

describe('faults and keys', () => {
  const quick = () => gateway({ timeoutMs: 300 });

  it('a timeout after the effect: outcome unknown, and the query shows the trade exists', async () => {
    sim.inject('alipay', { kind: 'timeout_after_effect', operation: 'create' });
    const req = newOrder('alipay_precreate');
    const err = await quick().createPayment(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayOutcomeUnknown);
    expect(await gw.queryPayment(req.orderNo)).toMatchObject({ state: 'pending', amountFen: 10000 });
  });

  it('a timeout before the effect: outcome unknown, and the query shows nothing happened', async () => {
    sim.inject('alipay', { kind: 'timeout_before_effect', operation: 'create' });
    const req = newOrder('alipay_precreate');
    expect(await quick().createPayment(req).catch((e: unknown) => e)).toBeInstanceOf(GatewayOutcomeUnknown);
    expect(await reason(gw.queryPayment(req.orderNo))).toBe('ACQ.TRADE_NOT_EXIST');
  });

  it('a 500 is an unknown outcome, not a refusal', async () => {
    sim.inject('alipay', { kind: 'server_error', operation: 'query' });
    const err = await gw.queryPayment('PAY-ANY').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayOutcomeUnknown);
    expect(err).not.toBeInstanceOf(ResponseUnverified);
  });

  it('an answer signed with a key we do not trust is not believed, although the platform acted', async () => {
    const req = newOrder('alipay_precreate');
    await gw.createPayment(req);
    sim.inject('alipay', { kind: 'bad_response_signature', operation: 'close' });
    expect(await gw.closePayment(req.orderNo).catch((e: unknown) => e)).toBeInstanceOf(ResponseUnverified);
    expect((await gw.queryPayment(req.orderNo)).state).toBe('closed');
  });

  it('keeps a rotated-out Alipay key in the list; with only a stale key nothing verifies', async () => {
    const req = newOrder('alipay_precreate');
    await gateway({ alipayPublicKeys: [{ key: retired.publicKeyPem }, { key: alipay.publicKeyPem }] }).createPayment(req);
    expect(await gateway({ alipayPublicKeys: [{ key: retired.publicKeyPem }] }).queryPayment(req.orderNo).catch((e: unknown) => e)).toBeInstanceOf(ResponseUnverified);
  });

  it('the platform refuses requests signed with another key or for another app', async () => {
    expect(await reason(gateway({ merchantPrivateKey: retired.privateKeyPem }).queryPayment('PAY-ANY'))).toBe('isv.invalid-signature');
    expect(await reason(gateway({ appId: '2021000149600009' }).queryPayment('PAY-ANY'))).toBe('isv.invalid-app-id');
  });
});

describe('bills', () => {
  const unzip = (bytes: Buffer) => new Promise<Map<string, string>>((resolve, reject) => {
    const files = new Map<string, string>();
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      zip.on('entry', (e: yauzl.Entry) => zip.openReadStream(e, (e2, s) => {
        if (e2 || !s) return reject(e2 ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
          files.set(new TextDecoder('gbk').decode(e.fileName as unknown as Buffer), new TextDecoder('gbk').decode(Buffer.concat(chunks)));
          zip.readEntry();
        });
      }));
      zip.on('end', () => resolve(files)).on('error', reject);
      zip.readEntry();
    });
  });

  it('downloads yesterday\'s trade bill (T+1) built from what the platform did; the link lives 30 s', async () => {
    const req = newOrder('alipay_precreate', 6600);
    await gw.createPayment(req);
    await platform.pay(req.orderNo);
    await gw.refund({ orderNo: req.orderNo, refundNo: `${req.orderNo}RF`, amountFen: 600, totalFen: 6600, reason: '少住一晚', notifyUrl: receiver.url });
    const day = shanghaiDate(clock.now());
    expect(await reason(gw.downloadBill({ date: day, type: 'all' }))).toBe('isp.bill_not_exist');
    clock.advance(DAY_MS);
    const bill = await gw.downloadBill({ date: day, type: 'all' });
    expect(bill).toMatchObject({ platform: 'alipay', date: day, format: 'alipay-zip' });
    const files = await unzip(bill.bytes);
    const compact = day.replace(/-/g, '');
    const detail = files.get(`${PID}0156_${compact}_业务明细.csv`) ?? '';
    expect(files.has(`${PID}0156_${compact}_业务明细(汇总).csv`)).toBe(true);
    expect(detail).toContain(`${req.orderNo}\t,交易,客房预订订金,`);
    expect(detail).toMatch(new RegExp(`${req.orderNo}\\t,退款,.*,66\\.00,-6\\.00,.*,${req.orderNo}RF\\t,`));
    const late: HttpTransport = (r) => (r.method === 'GET' ? (clock.advance(31_000), transport(r)) : transport(r));
    expect(await gateway({}, late).downloadBill({ date: day, type: 'all' }).catch((e: unknown) => e)).toBeInstanceOf(GatewayOutcomeUnknown);
  });
});
