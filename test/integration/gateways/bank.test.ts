import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS, type Clock } from '../../../src-main/core/time';
import { BankGateway, type BankGatewayConfig } from '../../../src-main/gateways/bank/bank-gateway';
import { parseBankBill } from '../../../src-main/gateways/bank/bank-bill';
import type { InboundRequest, NotificationReply, VerifiedNotification } from '../../../src-main/gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected, NotificationRejected, ResponseUnverified } from '../../../src-main/gateways/gateway-errors';
import { makeTransport, type HttpTransport } from '../../../src-main/gateways/http';
import { BankPlatform, type BankPlatformOptions } from '../../../src-main/gateways/simulator/bank-platform';
import { Simulator } from '../../../src-main/gateways/simulator/simulator';
import { testSecret } from '../../support/gateway-keys';
import { TestClock } from '../../support/test-clock';

/** A notify_url on loopback: records every delivery and answers with `policy` (default: verify with `gw`). */
class Inbox {
  readonly got: { at: number; req: InboundRequest; reply: NotificationReply }[] = [];
  policy: ((req: InboundRequest, n: number) => Promise<NotificationReply>) | null = null;
  private server: Server | null = null;
  url = '';
  constructor(private readonly gw: () => BankGateway) {}
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const inbound: InboundRequest = { headers: { 'content-type': req.headers['content-type'] }, body: Buffer.concat(chunks) };
        void (this.policy ?? ((r) => this.verify(r)))(inbound, this.got.length + 1).then((reply) => {
          this.got.push({ at: Date.now(), req: inbound, reply });
          res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
        });
      });
    });
    await new Promise<void>((ok) => this.server?.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/api/payment/callback/bank`;
  }
  async verify(req: InboundRequest): Promise<NotificationReply> {
    try {
      await this.gw().verifyNotification(req);
      return this.gw().notificationReply(true);
    } catch (e) {
      return this.gw().notificationReply(false, e instanceof NotificationRejected ? e.reason : String(e));
    }
  }
  fields(i: number): Record<string, string> {
    return JSON.parse(this.got[i]?.req.body.toString('utf8') ?? '{}') as Record<string, string>;
  }
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

async function waitFor<T>(probe: () => T | undefined | false, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

let seq = 0;
const orderNo = () => `P20261126100000${String(++seq).padStart(6, '0')}`;

/** One simulated institution, one adapter, one inbox; everything on one TestClock. */
async function world(opts: Partial<BankPlatformOptions> = {}, cfg: Partial<BankGatewayConfig> = {}) {
  const clock = new TestClock();
  const sim = new Simulator({ clock, timeScale: 0.001 });
  const key = testSecret();
  const bank = new BankPlatform(sim.context, { merchantId: '888000000000001', terminalId: 'T0000001', apiKeys: [key], accounts: { '6222020200001234567': '张三' }, ...opts });
  sim.add(bank);
  await sim.start();
  const transport = makeTransport({ platform: 'bank', sandbox: true });
  const config: BankGatewayConfig = { merchantId: '888000000000001', terminalId: 'T0000001', apiKey: key, gatewayUrl: sim.url, sandbox: true, timeoutMs: 2000, ...cfg };
  const make = (patch: Partial<BankGatewayConfig> = {}, http: HttpTransport = transport, c: Clock = clock) => new BankGateway({ ...config, ...patch }, http, c);
  const gw = make();
  const inbox = new Inbox(() => gw);
  await inbox.start();
  const create = (scene: 'bank_quick' | 'bank_online' = 'bank_online', amountFen = 12345, no = orderNo(), expireAt = clock.now() + 30 * MINUTE_MS) =>
    gw.createPayment({ orderNo: no, amountFen, description: '客房餐费-1208房', expireAt, scene, notifyUrl: inbox.url, returnUrl: 'https://pay.example.com/r', bankCardToken: 'tok_6222xx1234' }).then((r) => ({ no, r }));
  const paidOrder = async (amountFen = 10000) => {
    const { no } = await create('bank_online', amountFen);
    await bank.pay(no);
    return no;
  };
  const stop = async () => {
    await sim.stop();
    await inbox.stop();
  };
  return { clock, sim, bank, key, gw, make, transport, inbox, create, paidOrder, stop };
}

type World = Awaited<ReturnType<typeof world>>;
let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(async () => w.stop());

describe('payments', () => {
  it('online banking: redirect to the pay page, pay there, notification verified, query paid', async () => {
    const { no, r } = await w.create('bank_online', 12345);
    expect(r.kind).toBe('redirect');
    const url = r.kind === 'redirect' ? r.url : '';
    expect(url).toBe(w.bank.payPageUrl(no));
    expect((await w.gw.queryPayment(no)).state).toBe('pending');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(no);
    const before = w.inbox.got.length;
    await fetch(`${w.sim.url}/__sim/pay-page`, { method: 'POST', body: new URLSearchParams({ platform: 'bank', orderNo: no }) });
    await waitFor(() => w.inbox.got.length > before, 'PAY notification');
    const delivered = w.inbox.got[before];
    expect(delivered?.reply).toMatchObject({ status: 200, body: '{"code":200,"message":"处理成功"}' });
    const n = await w.gw.verifyNotification(delivered?.req ?? { headers: {}, body: Buffer.alloc(0) });
    expect(n.event).toMatchObject({ kind: 'payment', orderNo: no, state: 'paid', amountFen: 12345 });
    const status = await w.gw.queryPayment(no);
    expect(status).toMatchObject({ orderNo: no, state: 'paid', amountFen: 12345, paidAt: w.clock.now() });
    expect(status.platformTradeNo).toBe((n.event as { platformTradeNo: string }).platformTradeNo);
  });

  it('quick pay: SMS code confirmation, wrong code refused and retryable, 123456 pays', async () => {
    const { no, r } = await w.create('bank_quick', 880);
    expect(r.kind).toBe('bank_quick');
    const tradeNo = r.kind === 'bank_quick' ? r.platformTradeNo : '';
    const wrong = await failure(w.gw.confirmQuickPay(no, tradeNo, '000000'));
    expect(wrong).toBeInstanceOf(GatewayRejected);
    expect(wrong).toMatchObject({ code: 'SMS_CODE_INVALID', retryable: true });
    expect((await w.gw.queryPayment(no)).state).toBe('pending');
    const before = w.inbox.got.length;
    expect(await w.gw.confirmQuickPay(no, tradeNo, '123456')).toMatchObject({ orderNo: no, state: 'paid', amountFen: 880, platformTradeNo: tradeNo });
    await waitFor(() => w.inbox.got.length > before, 'PAY notification');
    expect(w.inbox.fields(before)).toMatchObject({ notify_type: 'PAY', pay_type: 'QUICK', order_no: no, txn_amt: '880' });
    expect(await failure(w.gw.confirmQuickPay(no, tradeNo, '123456'))).toMatchObject({ code: 'ORDER_PAID' });
  });

  it('quick pay: the 5th wrong code or a 5-minute-old code voids it; repeating the request sends a new one', async () => {
    const expireAt = w.clock.now() + 30 * MINUTE_MS;
    const { no, r } = await w.create('bank_quick', 660, orderNo(), expireAt);
    const tradeNo = r.kind === 'bank_quick' ? r.platformTradeNo : '';
    for (let i = 1; i <= 4; i++) expect(await failure(w.gw.confirmQuickPay(no, tradeNo, '111111'))).toMatchObject({ code: 'SMS_CODE_INVALID' });
    expect(await failure(w.gw.confirmQuickPay(no, tradeNo, '111111'))).toMatchObject({ code: 'SMS_CODE_EXPIRED', retryable: true });
    expect(await failure(w.gw.confirmQuickPay(no, tradeNo, '123456'))).toMatchObject({ code: 'SMS_CODE_EXPIRED' });
    expect((await w.create('bank_quick', 660, no, expireAt)).r).toEqual(r);
    w.clock.advance(5 * MINUTE_MS + 1000);
    expect(await failure(w.gw.confirmQuickPay(no, tradeNo, '123456'))).toMatchObject({ code: 'SMS_CODE_EXPIRED' });
    expect(await failure(w.create('bank_quick', 660, no))).toMatchObject({ code: 'ORDER_CONFLICT' });
    await w.create('bank_quick', 660, no, expireAt);
    expect((await w.gw.confirmQuickPay(no, tradeNo, '123456')).state).toBe('paid');
    expect(await failure(w.gw.confirmQuickPay(no, 'BK-someone-else', '123456'))).toMatchObject({ code: 'ORDER_NOT_EXIST' });
  });

  it('quick pay refuses an unbound card, and a missing token before sending', async () => {
    const e = await failure(w.gw.createPayment({ orderNo: orderNo(), amountFen: 100, description: 'x', expireAt: w.clock.now() + MINUTE_MS, scene: 'bank_quick', notifyUrl: w.inbox.url, bankCardToken: 'tok_unbound' }));
    expect(e).toMatchObject({ code: 'CARD_TOKEN_INVALID', retryable: false });
    const local = await failure(w.gw.createPayment({ orderNo: orderNo(), amountFen: 100, description: 'x', expireAt: w.clock.now() + MINUTE_MS, scene: 'bank_quick', notifyUrl: w.inbox.url }));
    expect(local).toMatchObject({ code: 'INVALID_PARAM' });
    expect(await failure(w.create('wechat_native' as 'bank_online'))).toMatchObject({ code: 'INVALID_PARAM' });
  });

  it('the same order number: a safe repeat, a conflicting one refused, a paid one reported', async () => {
    const { no, r } = await w.create('bank_online', 500);
    expect((await w.create('bank_online', 500, no)).r).toEqual(r);
    expect(await failure(w.create('bank_online', 501, no))).toMatchObject({ code: 'ORDER_CONFLICT' });
    await w.bank.pay(no);
    expect(await failure(w.create('bank_online', 500, no))).toMatchObject({ code: 'ORDER_PAID' });
  });

  it('close: pending → closed and no longer payable; paid → reported; never-seen number → reserved', async () => {
    const { no } = await w.create();
    expect(await w.gw.closePayment(no)).toEqual({ closed: true });
    expect(await w.gw.closePayment(no)).toEqual({ closed: true });
    expect((await w.gw.queryPayment(no)).state).toBe('closed');
    await expect(w.bank.pay(no)).rejects.toThrow(/已关闭/);
    expect(await failure(w.create('bank_online', 12345, no))).toMatchObject({ code: 'ORDER_CLOSED' });

    const paid = await w.paidOrder(777);
    expect(await w.gw.closePayment(paid)).toEqual({ closed: false, alreadyPaid: expect.objectContaining({ orderNo: paid, state: 'paid', amountFen: 777 }) });

    const never = orderNo();
    expect(await w.gw.closePayment(never)).toEqual({ closed: true });
    expect(await w.gw.queryPayment(never)).toMatchObject({ state: 'closed', amountFen: undefined });
    expect(await failure(w.create('bank_online', 100, never))).toMatchObject({ code: 'ORDER_CLOSED' });
    expect(await failure(w.gw.queryPayment(orderNo()))).toMatchObject({ code: 'ORDER_NOT_EXIST' });
  });

  it('late payment after close: the close succeeds, then the money arrives and is notified', async () => {
    const { no } = await w.create('bank_online', 4321);
    w.sim.inject('bank', { kind: 'pay_after_close' });
    expect(await w.gw.closePayment(no)).toEqual({ closed: true });
    const before = w.inbox.got.length;
    await w.bank.pay(no);
    await waitFor(() => w.inbox.got.length > before, 'late PAY notification');
    expect(w.inbox.fields(before)).toMatchObject({ order_no: no, txn_amt: '4321' });
    expect((await w.gw.queryPayment(no)).state).toBe('paid');
  });
});

describe('notifications', () => {
  const paidAndNotified = async (amountFen = 2000) => {
    const before = w.inbox.got.length;
    const no = await w.paidOrder(amountFen);
    await waitFor(() => w.inbox.got.length > before, 'notification');
    return { no, i: before };
  };

  it('a forged first delivery is refused with the 400 answer; the institution retries and the genuine one is accepted', async () => {
    w.sim.inject('bank', { kind: 'notify_bad_signature', operation: 'pay' });
    const before = w.inbox.got.length;
    const no = await w.paidOrder(3000);
    await waitFor(() => w.inbox.got.length >= before + 2, 'retry after refusal');
    const [forged, genuine] = [w.inbox.got[before], w.inbox.got[before + 1]];
    expect(forged?.reply.status).toBe(400);
    expect(JSON.parse(forged?.reply.body ?? '{}')).toEqual({ code: 400, message: 'bad_signature' });
    expect(genuine?.reply.status).toBe(200);
    expect(w.inbox.fields(before).notify_id).toBe(w.inbox.fields(before + 1).notify_id);
    await w.sim.notifier.idle();
    const attempts = w.sim.notifier.log.filter((a) => a.key === w.inbox.fields(before).notify_id);
    expect(attempts.map((a) => [a.attempt, a.acknowledged])).toEqual([[1, false], [2, true]]);
    expect(w.inbox.fields(before + 1).order_no).toBe(no);
  });

  it('a tampered body, a stale notify_time and another merchant are refused', async () => {
    const { i } = await paidAndNotified();
    const req = w.inbox.got[i]?.req ?? { headers: {}, body: Buffer.alloc(0) };
    const reason = async (p: Promise<VerifiedNotification>) => ((await failure(p)) as NotificationRejected).reason;
    const tampered = { ...req, body: Buffer.from(req.body.toString('utf8').replace(/"txn_amt":"2000"/, '"txn_amt":"1"')) };
    expect(tampered.body.equals(req.body)).toBe(false);
    expect(await reason(w.gw.verifyNotification(tampered))).toBe('bad_signature');
    const later = w.make({}, w.transport, { now: () => w.clock.now() + 6 * MINUTE_MS });
    expect(await reason(later.verifyNotification(req))).toBe('stale_timestamp');
    expect(await reason(w.make({ merchantId: '888000000000002' }).verifyNotification(req))).toBe('wrong_merchant');
    expect(await reason(w.make({ terminalId: 'T0000009' }).verifyNotification(req))).toBe('wrong_merchant');
    expect(await reason(w.make({ apiKey: testSecret() }).verifyNotification(req))).toBe('bad_signature');
    expect((await w.gw.verifyNotification(req)).event.kind).toBe('payment');
  });

  it('a correctly signed wrong amount reaches the caller as that amount (the service compares it with the order)', async () => {
    w.sim.inject('bank', { kind: 'notify_amount_mismatch', operation: 'pay' });
    const { no, i } = await paidAndNotified(2500);
    const n = await w.gw.verifyNotification(w.inbox.got[i]?.req ?? { headers: {}, body: Buffer.alloc(0) });
    expect(n.event).toMatchObject({ kind: 'payment', orderNo: no, amountFen: 2501 });
    expect((await w.gw.queryPayment(no)).amountFen).toBe(2500);
  });

  it('duplicate delivery carries the same notify_id', async () => {
    w.sim.inject('bank', { kind: 'notify_duplicate' });
    const before = w.inbox.got.length;
    await w.paidOrder(1200);
    await waitFor(() => w.inbox.got.length >= before + 2, 'two deliveries');
    const ids = [w.inbox.fields(before), w.inbox.fields(before + 1)].map((f) => f.notify_id);
    expect(ids[0]).toBe(ids[1]);
    const verified = await Promise.all([before, before + 1].map((i) => w.gw.verifyNotification(w.inbox.got[i]?.req ?? { headers: {}, body: Buffer.alloc(0) })));
    expect(verified[0]?.notificationId).toBe(verified[1]?.notificationId);
  });

  it('retries on the documented schedule until the exact ack: a string "200" or "success" is not one', async () => {
    const answers = [
      { status: 200, contentType: 'text/plain', body: 'success' },
      { status: 200, contentType: 'application/json', body: '{"code":"200","message":"处理成功"}' },
      w.gw.notificationReply(true),
    ];
    w.inbox.policy = async () => answers.shift() ?? w.gw.notificationReply(true);
    const before = w.inbox.got.length;
    try {
      await w.paidOrder(1500);
      await waitFor(() => w.inbox.got.length >= before + 3, 'three attempts');
    } finally {
      w.inbox.policy = null;
    }
    const arrivals = w.inbox.got.slice(before, before + 3).map((g) => g.at);
    // 15 s then 1 min, scaled by 0.001 (protocol.ts §7).
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(14);
    expect((arrivals[2] ?? 0) - (arrivals[1] ?? 0)).toBeGreaterThanOrEqual(59);
    const id = w.inbox.fields(before).notify_id;
    await w.sim.notifier.idle();
    expect(w.sim.notifier.log.filter((a) => a.key === id).map((a) => a.acknowledged)).toEqual([false, false, true]);
  });

  it('a delayed notification still arrives (reordering)', async () => {
    w.sim.inject('bank', { kind: 'notify_delay_ms', ms: 40_000 });
    const started = Date.now();
    const { no, i } = await paidAndNotified(1100);
    expect((w.inbox.got[i]?.at ?? 0) - started).toBeGreaterThanOrEqual(39);
    expect(w.inbox.fields(i).order_no).toBe(no);
  });
});

describe('refunds', () => {
  it('partial refund: processing, then its notification, then query success; the rest; no more', async () => {
    const no = await w.paidOrder(10000);
    const base = { orderNo: no, totalFen: 10000, reason: '退订', notifyUrl: w.inbox.url };
    const before = w.inbox.got.length;
    const first = await w.gw.refund({ ...base, refundNo: `R${no.slice(1)}1`, amountFen: 3000 });
    expect(first).toMatchObject({ orderNo: no, state: 'processing', amountFen: 3000 });
    await waitFor(() => w.inbox.got.slice(before).find((g) => g.req.body.includes('"REFUND"')), 'REFUND notification');
    const n = await w.gw.verifyNotification(w.inbox.got.slice(before).find((g) => g.req.body.includes('"REFUND"'))?.req ?? { headers: {}, body: Buffer.alloc(0) });
    expect(n.event).toMatchObject({ kind: 'refund', orderNo: no, refundNo: `R${no.slice(1)}1`, state: 'success', amountFen: 3000, platformRefundNo: first.platformRefundNo });
    expect(await w.gw.queryRefund(no, `R${no.slice(1)}1`)).toMatchObject({ state: 'success', amountFen: 3000, feeFen: 0, succeededAt: w.clock.now() });
    // A retry of the same refund number is the same refund, not a second one.
    expect(await w.gw.refund({ ...base, refundNo: `R${no.slice(1)}1`, amountFen: 3000 })).toMatchObject({ state: 'success', platformRefundNo: first.platformRefundNo });
    expect(await failure(w.gw.refund({ ...base, refundNo: `R${no.slice(1)}1`, amountFen: 3001 }))).toMatchObject({ code: 'REFUND_CONFLICT' });
    expect(await failure(w.gw.refund({ ...base, refundNo: `R${no.slice(1)}2`, amountFen: 7001 }))).toMatchObject({ code: 'REFUND_EXCEEDS', retryable: false });
    expect(await failure(w.gw.refund({ ...base, totalFen: 9999, refundNo: `R${no.slice(1)}3`, amountFen: 100 }))).toMatchObject({ code: 'TXN_AMT_MISMATCH' });
    await w.gw.refund({ ...base, refundNo: `R${no.slice(1)}4`, amountFen: 7000 });
    await w.sim.notifier.idle();
    expect(await w.gw.queryPayment(no)).toMatchObject({ state: 'refunded', amountFen: 10000 });
    expect(await failure(w.gw.queryRefund(no, 'R-unknown'))).toMatchObject({ code: 'REFUND_NOT_EXIST' });
  });

  it('an unpaid order cannot be refunded', async () => {
    const { no } = await w.create('bank_online', 100);
    expect(await failure(w.gw.refund({ orderNo: no, refundNo: `R${no.slice(1)}`, amountFen: 100, totalFen: 100, reason: 'x', notifyUrl: w.inbox.url }))).toMatchObject({ code: 'ORDER_NOT_PAID' });
  });
});

describe('transfers to bank accounts', () => {
  const send = (transferNo: string, account: string, name: string, amountFen = 50000) =>
    w.gw.transfer({ transferNo, amountFen, payee: { account, name, bankName: '中国工商银行' }, remark: '11月工资', notifyUrl: w.inbox.url });
  const settled = async (transferNo: string) => {
    await waitFor(() => w.inbox.got.find((g) => g.req.body.includes(`"transfer_no":"${transferNo}"`)), `TRANSFER notification of ${transferNo}`);
    return w.gw.queryTransfer(transferNo);
  };

  it('succeeds to a good account, with its notification', async () => {
    expect(await send('B202611260001', '6222020200001234567', '张三')).toMatchObject({ state: 'processing', amountFen: 50000 });
    expect(await settled('B202611260001')).toMatchObject({ state: 'success', amountFen: 50000, succeededAt: w.clock.now() });
  });

  it('name mismatch and invalid account fail for good (not retryable); an unavailable bank may be retried', async () => {
    await send('B202611260002', '6222020200001234567', '李四');
    expect(await settled('B202611260002')).toMatchObject({ state: 'failed', retryable: false, failReason: '收款户名与账号不符（ACCOUNT_NAME_MISMATCH）' });
    const g = w.inbox.got.find((x) => x.req.body.includes('"B202611260002"'));
    expect((await w.gw.verifyNotification(g?.req ?? { headers: {}, body: Buffer.alloc(0) })).event).toMatchObject({ kind: 'transfer', state: 'failed', failReason: expect.stringContaining('ACCOUNT_NAME_MISMATCH') });
    await send('B202611260003', '6222020200000000', '王五');
    expect(await settled('B202611260003')).toMatchObject({ state: 'failed', retryable: false, failReason: expect.stringContaining('ACCOUNT_INVALID') });
    await send('B202611260004', '6222020200005030', '赵六');
    expect(await settled('B202611260004')).toMatchObject({ state: 'failed', retryable: true });
  });

  it('SYSTEM_BUSY: refused before acting, retryable; resending the same number then works once', async () => {
    w.bank.rejectNext('transfer', 'SYSTEM_BUSY');
    expect(await failure(send('B202611260005', '6222020200001234567', '张三'))).toMatchObject({ code: 'SYSTEM_BUSY', retryable: true });
    expect(await failure(w.gw.queryTransfer('B202611260005'))).toMatchObject({ code: 'TRANSFER_NOT_EXIST' });
    const a = await send('B202611260005', '6222020200001234567', '张三');
    const b = await send('B202611260005', '6222020200001234567', '张三');
    expect(b.platformTransferNo).toBe(a.platformTransferNo);
    expect(await failure(send('B202611260005', '6222020200001234567', '张三', 50001))).toMatchObject({ code: 'TRANSFER_CONFLICT' });
  });

  it('more than the settlement balance is refused before acting (retryable once funded)', async () => {
    expect(await failure(send('B202611260006', '6222020200001234567', '张三', 1_000_000_000_000))).toMatchObject({ code: 'BALANCE_INSUFFICIENT', retryable: true });
    expect(await failure(w.gw.queryTransfer('B202611260006'))).toMatchObject({ code: 'TRANSFER_NOT_EXIST' });
  });
});

describe('unknown outcomes and untrusted answers', () => {
  it('timeout after effect on create: outcome unknown, and a query shows the trade exists', async () => {
    const quick = w.make({ timeoutMs: 200 });
    w.sim.inject('bank', { kind: 'timeout_after_effect', operation: 'create' });
    const no = orderNo();
    const e = await failure(quick.createPayment({ orderNo: no, amountFen: 900, description: 'x', expireAt: w.clock.now() + MINUTE_MS, scene: 'bank_online', notifyUrl: w.inbox.url }));
    expect(e).toBeInstanceOf(GatewayOutcomeUnknown);
    expect(e).not.toBeInstanceOf(GatewayRejected);
    expect(await w.gw.queryPayment(no)).toMatchObject({ orderNo: no, state: 'pending' });
  });

  it('timeout before effect: outcome unknown, and a query shows nothing was created', async () => {
    const quick = w.make({ timeoutMs: 200 });
    w.sim.inject('bank', { kind: 'timeout_before_effect', operation: 'create' });
    const no = orderNo();
    expect(await failure(quick.createPayment({ orderNo: no, amountFen: 900, description: 'x', expireAt: w.clock.now() + MINUTE_MS, scene: 'bank_online', notifyUrl: w.inbox.url }))).toBeInstanceOf(GatewayOutcomeUnknown);
    expect(await failure(w.gw.queryPayment(no))).toMatchObject({ code: 'ORDER_NOT_EXIST' });
  });

  it('HTTP 500 is an unknown outcome', async () => {
    w.sim.inject('bank', { kind: 'server_error', operation: 'refund' });
    const no = await w.paidOrder(800);
    const e = await failure(w.gw.refund({ orderNo: no, refundNo: `R${no.slice(1)}`, amountFen: 800, totalFen: 800, reason: 'x', notifyUrl: w.inbox.url }));
    expect(e).toBeInstanceOf(GatewayOutcomeUnknown);
    expect(e.message).toMatch(/500/);
    expect(await failure(w.gw.queryRefund(no, `R${no.slice(1)}`))).toMatchObject({ code: 'REFUND_NOT_EXIST' });
  });

  it('a badly signed answer is not trusted, even a success; the query tells the truth', async () => {
    w.sim.inject('bank', { kind: 'bad_response_signature', operation: 'create' });
    const no = orderNo();
    const e = await failure(w.create('bank_online', 600, no));
    expect(e).toBeInstanceOf(ResponseUnverified);
    expect(e).toBeInstanceOf(GatewayOutcomeUnknown);
    expect((await w.gw.queryPayment(no)).state).toBe('pending');
  });

  it('our request with a wrong key: the institution says SIGN_ERROR (401), which we cannot verify either', async () => {
    const e = await failure(w.make({ apiKey: testSecret() }).queryPayment(orderNo()));
    expect(e).toBeInstanceOf(ResponseUnverified);
    expect(e.message).toMatch(/401.*SIGN_ERROR.*api_key/);
  });

  it('a request altered in transit is refused with a SIGN_ERROR we can verify, and nothing happens', async () => {
    const alter: HttpTransport = (req) => w.transport({ ...req, body: String(req.body).replace(/"txn_amt":"\d+"/, '"txn_amt":"1"') });
    const no = orderNo();
    const e = await failure(w.make({}, alter).createPayment({ orderNo: no, amountFen: 99900, description: 'x', expireAt: w.clock.now() + MINUTE_MS, scene: 'bank_online', notifyUrl: w.inbox.url }));
    expect(e).toMatchObject({ code: 'SIGN_ERROR', retryable: false });
    expect(await failure(w.gw.queryPayment(no))).toMatchObject({ code: 'ORDER_NOT_EXIST' });
  });

  it('a genuine signed answer to another request (replayed old response) is not trusted', async () => {
    const { no } = await w.create();
    let cached: Awaited<ReturnType<HttpTransport>> | undefined;
    const stale: HttpTransport = async (req) => {
      const res = await w.transport(req);
      cached ??= res;
      return cached;
    };
    const gw = w.make({}, stale);
    expect((await gw.queryPayment(no)).state).toBe('pending');
    await w.bank.pay(no);
    const e = await failure(gw.queryPayment(no));
    expect(e).toBeInstanceOf(ResponseUnverified);
    expect(e.message).toMatch(/nonce/);
  });

  it('a replayed request is refused (NONCE_USED)', async () => {
    const replay: HttpTransport = async (req) => {
      await w.transport(req);
      return w.transport(req);
    };
    expect(await failure(w.make({}, replay).queryPayment((await w.create()).no))).toMatchObject({ code: 'NONCE_USED', retryable: true });
  });

  it('a request from a skewed clock is refused, and the answer is not trusted by that clock either', async () => {
    const no = orderNo();
    const skewed = w.make({}, w.transport, { now: () => w.clock.now() - 6 * MINUTE_MS });
    expect(await failure(skewed.createPayment({ orderNo: no, amountFen: 100, description: 'x', expireAt: w.clock.now() + MINUTE_MS, scene: 'bank_online', notifyUrl: w.inbox.url }))).toBeInstanceOf(ResponseUnverified);
    expect(await failure(w.gw.queryPayment(no))).toMatchObject({ code: 'ORDER_NOT_EXIST' });
  });

  it('a wrong merchant id gets the unsigned MERCHANT_INVALID, which is not trusted', async () => {
    const e = await failure(w.make({ merchantId: '888000000000999' }).queryPayment(orderNo()));
    expect(e).toBeInstanceOf(ResponseUnverified);
    expect(e.message).toMatch(/MERCHANT_INVALID/);
  });
});

describe('api key rotation', () => {
  it('old key stays valid for verification until removed; signing uses the current key', async () => {
    const oldKey = testSecret();
    const newKey = testSecret();
    // The institution has rotated: it signs notifications with the new key and accepts both for requests.
    const r = await world({ apiKeys: [newKey, oldKey] }, { apiKey: oldKey });
    try {
      const stale = r.gw; // still configured with the old key only
      const updated = r.make({ apiKey: newKey, previousApiKeys: [oldKey] });
      const { no } = await r.create('bank_online', 300); // signed with the old key: accepted, answered with it
      expect((await updated.queryPayment(no)).state).toBe('pending');
      r.inbox.policy = async (req) => r.gw.notificationReply(true, String(req.body.length));
      await r.bank.pay(no);
      await waitFor(() => r.inbox.got.length > 0, 'notification');
      const req = r.inbox.got[0]?.req ?? { headers: {}, body: Buffer.alloc(0) };
      expect(await failure(stale.verifyNotification(req))).toMatchObject({ reason: 'bad_signature' });
      expect((await updated.verifyNotification(req)).event).toMatchObject({ orderNo: no, amountFen: 300 });
      // A retry of an old notification signed with the old key is still accepted after our update.
      const oldSigned = await world({ apiKeys: [oldKey] }, { apiKey: oldKey });
      try {
        const { no: no2 } = await oldSigned.create('bank_online', 301);
        await oldSigned.bank.pay(no2);
        await waitFor(() => oldSigned.inbox.got.length > 0, 'old-key notification');
        const oldReq = oldSigned.inbox.got[0]?.req ?? { headers: {}, body: Buffer.alloc(0) };
        expect((await updated.verifyNotification(oldReq)).notificationId).toMatch(/^N/);
        // Removed from our list: no longer accepted.
        expect(await failure(r.make({ apiKey: newKey }).verifyNotification(oldReq))).toMatchObject({ reason: 'bad_signature' });
      } finally {
        await oldSigned.stop();
      }
    } finally {
      await r.stop();
    }
  });
});

describe('daily statement', () => {
  it('is ready the next day from 09:00, complete, signed, and split by type', async () => {
    const b = await world({ feeRateBp: 60 }); // 0.6 %, rounded half up per row
    try {
      const paidA = await b.paidOrder(10000);
      const paidB = await b.paidOrder(2050);
      await b.gw.refund({ orderNo: paidA, refundNo: `R${paidA.slice(1)}`, amountFen: 2500, totalFen: 10000, reason: '退订', notifyUrl: b.inbox.url });
      await b.sim.notifier.idle();
      await b.create(); // unpaid: not in the bill
      const e = await failure(b.gw.downloadBill({ date: '2026-11-26', type: 'all' }));
      expect(e).toMatchObject({ code: 'BILL_NOT_READY', retryable: true });
      b.clock.advance(23 * 60 * MINUTE_MS); // 2026-11-27 09:00 Shanghai
      const nextDay = await b.paidOrder(777); // belongs to the 27th
      const file = await b.gw.downloadBill({ date: '2026-11-26', type: 'all' });
      expect(file).toMatchObject({ platform: 'bank', date: '2026-11-26', format: 'bank-csv' });
      expect(file.bytes.equals(b.bank.bill('2026-11-26', 'all'))).toBe(true);
      const bill = parseBankBill(file.bytes, '20261126');
      expect(bill.rows.map((r) => [r.recordType, r.orderNo, r.txnFen, r.refundFen])).toEqual([
        ['PAY', paidA, 10000, 0],
        ['PAY', paidB, 2050, 0],
        ['REFUND', paidA, 10000, 2500],
      ]);
      expect(bill.rows.some((r) => r.orderNo === nextDay)).toBe(false);
      expect(bill.rows.map((r) => r.feeFen)).toEqual([60, 12, 15]);
      expect(bill.summary).toMatchObject({ payCount: 2, payFen: 12050, payFeeFen: 72, refundCount: 1, refundFen: 2500, refundFeeFen: 15 });
      expect(await b.gw.queryRefund(paidA, `R${paidA.slice(1)}`)).toMatchObject({ state: 'success', feeFen: 15 });
      expect(parseBankBill((await b.gw.downloadBill({ date: '2026-11-26', type: 'success' })).bytes).rows.map((r) => r.recordType)).toEqual(['PAY', 'PAY']);
      expect(parseBankBill((await b.gw.downloadBill({ date: '2026-11-26', type: 'refund' })).bytes).rows.map((r) => r.recordType)).toEqual(['REFUND']);

      b.sim.inject('bank', { kind: 'bad_response_signature', operation: 'bill' });
      expect(await failure(b.gw.downloadBill({ date: '2026-11-26', type: 'all' }))).toBeInstanceOf(ResponseUnverified);
      const cut: HttpTransport = async (req) => {
        const res = await b.transport(req);
        return { ...res, body: res.body.subarray(0, res.body.length - 40) };
      };
      expect((await failure(b.make({}, cut).downloadBill({ date: '2026-11-26', type: 'all' }))).message).toMatch(/摘要不符/);
    } finally {
      await b.stop();
    }
  });
});
