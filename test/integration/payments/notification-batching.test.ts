import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { HOUR_MS } from '../../../src-main/core/time';
import type { Gateway, InboundRequest, NotificationReply, VerifiedNotification } from '../../../src-main/gateways/gateway';
import { NotificationRejected } from '../../../src-main/gateways/gateway-errors';
import { GatewayRegistry } from '../../../src-main/services/payments/gateway-registry';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';

/**
 * Group commit of the payment callbacks (PaymentService.handleNotification → GroupCommit →
 * applyMany): notifications that arrive together are applied in ONE store transaction, and each is
 * answered only after that transaction committed. Checked here on both stores: a duplicate inside
 * one batch, one notification that cannot be applied next to good ones, a "crash" before COMMIT
 * (nothing acknowledged, nothing written, the redelivery applies everything exactly once), and the
 * shuffled-multiset property of notification-shuffle.property.test.ts with concurrent deliveries.
 *
 * The gateway is a stand-in whose "verification" reads the VerifiedNotification from the body (the
 * real adapters are covered by the shuffle property and the payment-flow tests): what is under test
 * is what happens after verification.
 */
const clerk = { id: 9, name: '批量测试' };
const SUCCESS: NotificationReply = { status: 200, contentType: 'application/json', body: '{"code":"SUCCESS"}' };

const standIn = {
  async verifyNotification(req: InboundRequest): Promise<VerifiedNotification> {
    try {
      return JSON.parse(req.body.toString('utf8')) as VerifiedNotification;
    } catch {
      throw new NotificationRejected('wechat', 'malformed', '通知格式错误');
    }
  },
  notificationReply(accepted: boolean, reason?: string): NotificationReply {
    return accepted ? SUCCESS : { status: 500, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message: reason ?? '' }) };
  },
} as unknown as Gateway;

let tradeSeq = 0;
const paid = (notificationId: string, orderNo: string, amountFen: number, tradeNo = `420000${++tradeSeq}`, paidAt = 1_764_000_000_000): VerifiedNotification => ({
  platform: 'wechat',
  notificationId,
  event: { kind: 'payment', orderNo, state: 'paid', amountFen, platformTradeNo: tradeNo, paidAt },
  payload: { id: notificationId, out_trade_no: orderNo },
});

const request = (v: VerifiedNotification): InboundRequest => ({ headers: {}, body: Buffer.from(JSON.stringify(v)) });

describe.each(STORE_KINDS)('payment notifications applied in batches (group commit), on %s', (kind) => {
  const clock = new TestClock();
  let app: App;
  let close: () => Promise<void>;
  let ids = 0;
  const nid = () => `N${Date.now()}-${++ids}`;

  beforeAll(async () => {
    ({ app, close } = await testApp(kind, { clock, gateways: new GatewayRegistry({ wechat: standIn }) }));
  }, 60_000);
  afterAll(() => close?.());

  const newOrder = (amountFen = 12_800) => app.orders.create(clerk, { amountFen, method: 'wechat', type: 'customer_order', relatedId: 'BK-batch', description: '批量通知', payerId: 'WX_batch' });

  /** Counts the store transactions begun while `work` runs (a batch is one). */
  async function countingTransactions<T>(work: () => Promise<T>): Promise<{ result: T; transactions: number }> {
    const original = app.store.transaction.bind(app.store);
    let transactions = 0;
    app.store.transaction = (w) => {
      transactions++;
      return original(w);
    };
    try {
      return { result: await work(), transactions };
    } finally {
      app.store.transaction = original;
    }
  }

  /** Everything sent at once, as the platforms' concurrent callbacks reach the server. */
  const deliverTogether = (vs: VerifiedNotification[]) => Promise.all(vs.map((v) => app.payments.handleNotification('wechat', request(v))));

  const stateOf = async (orderNo: string) => {
    const { order, transactions, history } = await app.orders.get(orderNo);
    const inbox = await app.store.read((r) => r.inbox.forRef(orderNo));
    return {
      status: order.status,
      paidFen: order.paidFen,
      tradeNo: order.gatewayTradeNo,
      successes: transactions.filter((t) => t.type === 'payment' && t.status === 'success').length,
      pays: history.filter((h) => h.action === 'order.pay').length,
      inbox: inbox.map((i) => i.status),
    };
  };

  it('notifications arriving together go in one transaction; a second copy in the same batch is answered as a duplicate', async () => {
    const orders = await Promise.all([newOrder(100), newOrder(200), newOrder(300)]);
    const vs = orders.map((o) => paid(nid(), o.orderNo, o.amountFen));
    const copy = { ...vs[0]! };
    const { result, transactions } = await countingTransactions(() => deliverTogether([vs[0]!, vs[1]!, copy, vs[2]!]));
    expect(transactions).toBe(1);
    expect(result.map((r) => r.outcome)).toEqual(['applied', 'applied', 'duplicate', 'applied']);
    expect(result.map((r) => r.reply)).toEqual(Array(4).fill(SUCCESS));
    for (const [i, o] of orders.entries())
      expect(await stateOf(o.orderNo)).toEqual({ status: 'paid', paidFen: o.amountFen, tradeNo: vs[i]!.event.kind === 'payment' ? vs[i]!.event.platformTradeNo : null, successes: 1, pays: 1, inbox: ['applied'] });
    // The payer hears about each payment once (the order event listeners ran for the batch).
    const messages = await app.store.read((r) => r.outbox.list({ orderNo: orders[0]!.orderNo }, 1, 10));
    expect(messages.items.map((m) => m.templateCode)).toEqual(['payment_success']);
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('booking deposits paid in one batch with a plain order: each booking confirmed once, in the same transaction, with its audit entry', async () => {
    const book = (payerId: string) => app.bookings.create(clerk, { payerId, guestName: '李女士', serviceType: 'room', appointmentAt: clock.now() + 48 * HOUR_MS, totalFen: 500_00, method: 'wechat', note: '' });
    const [a, b, plain] = await Promise.all([book('WX_ba'), book('WX_bb'), newOrder(900)]);
    const vs = [paid(nid(), a.depositOrder.orderNo, a.depositOrder.amountFen), paid(nid(), plain.orderNo, plain.amountFen), paid(nid(), b.depositOrder.orderNo, b.depositOrder.amountFen)];
    const { result, transactions } = await countingTransactions(() => deliverTogether([...vs, { ...vs[2]! }]));
    expect(transactions).toBe(1);
    expect(result.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied', 'duplicate']);
    for (const { booking } of [a, b]) {
      const { booking: now, history } = await app.bookings.get(booking.bookingNo);
      expect(now.status).toBe('confirmed');
      expect(history.filter((h) => h.action === 'booking.confirm')).toHaveLength(1);
    }
    // Delivered again later, alone: a duplicate, the booking stays as it is.
    const [again] = await deliverTogether([{ ...vs[0]! }]);
    expect(again!.outcome).toBe('duplicate');
    expect((await app.bookings.get(a.booking.bookingNo)).history.filter((h) => h.action === 'booking.confirm')).toHaveLength(1);
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('two different payments of one order in the same batch: the first pays it, the second becomes a duplicate_payment exception', async () => {
    const o = await newOrder(500);
    const first = paid(nid(), o.orderNo, 500, 'T-FIRST');
    const second = paid(nid(), o.orderNo, 500, 'T-SECOND');
    const result = await deliverTogether([first, second]);
    expect(result.map((r) => r.outcome)).toEqual(['applied', 'exception']);
    expect(await stateOf(o.orderNo)).toMatchObject({ status: 'paid', tradeNo: 'T-FIRST', successes: 1, pays: 1 });
    const exceptions = (await app.payments.exceptions('open', 1, 1000)).items.filter((e) => e.orderNo === o.orderNo);
    expect(exceptions.map((e) => [e.kind, e.platformTradeNo])).toEqual([['duplicate_payment', 'T-SECOND']]);
  });

  it('one notification that cannot be applied fails alone: the others of its batch commit, it gets the platform failure reply and its redelivery is applied once fixed', async () => {
    // A booking whose deposit order is still pending but which is already cancelled: confirming it throws inside the paying transaction.
    const { booking, depositOrder } = await app.bookings.create(clerk, { payerId: 'WX_bad', guestName: '王先生', serviceType: 'room', appointmentAt: clock.now() + 48 * HOUR_MS, totalFen: 1000_00, method: 'wechat', note: '' });
    await app.store.dataSource.query(`UPDATE bookings SET status = 'cancelled' WHERE booking_no = ?`, [booking.bookingNo]);
    const good = await Promise.all([newOrder(700), newOrder(800)]);
    const bad = paid(nid(), depositOrder.orderNo, depositOrder.amountFen);
    const vs = [paid(nid(), good[0]!.orderNo, 700), bad, paid(nid(), good[1]!.orderNo, 800)];
    const result = await deliverTogether(vs);
    expect(result.map((r) => r.outcome)).toEqual(['applied', 'error', 'applied']);
    expect(result[0]!.reply).toEqual(SUCCESS);
    expect(result[2]!.reply).toEqual(SUCCESS);
    expect(result[1]!.reply.status).toBe(500);
    expect(JSON.parse(result[1]!.reply.body)).toMatchObject({ code: 'FAIL' });
    for (const o of good) expect(await stateOf(o.orderNo)).toMatchObject({ status: 'paid', successes: 1, pays: 1, inbox: ['applied'] });
    expect(await stateOf(depositOrder.orderNo)).toMatchObject({ status: 'pending', successes: 0, pays: 0, inbox: [] });

    // The platform delivers it again once the booking is straightened out: applied exactly once.
    await app.store.dataSource.query(`UPDATE bookings SET status = 'awaiting_deposit' WHERE booking_no = ?`, [booking.bookingNo]);
    const again = await deliverTogether([bad, bad]);
    expect(again.map((r) => r.outcome)).toEqual(['applied', 'duplicate']);
    expect(await stateOf(depositOrder.orderNo)).toMatchObject({ status: 'paid', successes: 1, pays: 1, inbox: ['applied'] });
    expect((await app.bookings.get(booking.bookingNo)).booking.status).toBe('confirmed');
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('a crash before COMMIT: no notification is acknowledged, nothing is written, and the redelivery applies each exactly once', async () => {
    const orders = await Promise.all([newOrder(900), newOrder(901), newOrder(902)]);
    const vs = orders.map((o) => paid(nid(), o.orderNo, o.amountFen));
    const headBefore = await app.store.read((r) => r.audit.head());

    // Every transaction does its work, then stops right before COMMIT until the "crash".
    const original = app.store.transaction.bind(app.store);
    let crash!: (e: Error) => void;
    const crashed = new Promise<never>((_, reject) => (crash = reject));
    crashed.catch(() => undefined);
    let reachedCommit!: () => void;
    const atCommit = new Promise<void>((resolve) => (reachedCommit = resolve));
    app.store.transaction = (work) =>
      original(async (tx) => {
        const r = await work(tx);
        reachedCommit();
        await crashed;
        return r;
      });
    let answered = 0;
    const delivered = Promise.all(vs.map((v) => app.payments.handleNotification('wechat', request(v)).finally(() => answered++)));
    try {
      await atCommit;
      await new Promise((r) => setTimeout(r, 50));
      expect(answered).toBe(0); // the batch did all its work, but nothing may be acknowledged before COMMIT
      crash(new Error('进程在提交前退出'));
      const result = await delivered;
      expect(result.map((r) => r.outcome)).toEqual(['error', 'error', 'error']);
      expect(result.every((r) => r.reply.status === 500)).toBe(true);
    } finally {
      app.store.transaction = original;
    }
    for (const o of orders) expect(await stateOf(o.orderNo)).toEqual({ status: 'pending', paidFen: 0, tradeNo: null, successes: 0, pays: 0, inbox: [] });
    expect(await app.store.read((r) => r.audit.head())).toEqual(headBefore);

    // The platform retries (each notification twice, shuffled together): each is applied exactly once.
    const retry = await deliverTogether([vs[2]!, vs[0]!, vs[1]!, vs[0]!, vs[2]!, vs[1]!]);
    expect(retry.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied', 'duplicate', 'duplicate', 'duplicate']);
    expect(retry.every((r) => r.reply.status === 200)).toBe(true);
    for (const o of orders) expect(await stateOf(o.orderNo)).toMatchObject({ status: 'paid', successes: 1, pays: 1, inbox: ['applied'] });
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('property: any multiset of payment notifications delivered in concurrent groups gives the outcomes and the state of delivering them one by one', async () => {
    interface Spec {
      amountFen: number;
      /** Each payment: the amount is right or off by one fen; 1–3 copies delivered. */
      payments: { wrongAmount: boolean; copies: number }[];
      cancelledFirst: boolean;
    }
    const specArb: fc.Arbitrary<Spec> = fc.record({
      amountFen: fc.integer({ min: 1, max: 500_000 }),
      payments: fc.array(fc.record({ wrongAmount: fc.boolean(), copies: fc.integer({ min: 1, max: 3 }) }), { minLength: 0, maxLength: 2 }),
      cancelledFirst: fc.boolean(),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(specArb, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.gen(), async (specs, unknownOrder, g) => {
        runs++;
        // Two mirrors of the scenario: A gets the deliveries in concurrent groups, B one by one in the same order.
        const mirror = async () => {
          const orders: Awaited<ReturnType<typeof newOrder>>[] = [];
          for (const s of specs) {
            const o = await newOrder(s.amountFen);
            if (s.cancelledFirst) await app.orders.cancel(clerk, o.orderNo, 'user');
            orders.push(o);
          }
          const items: VerifiedNotification[] = [];
          specs.forEach((s, i) =>
            s.payments.forEach((p, j) => {
              const v = paid(nid(), orders[i]!.orderNo, s.amountFen + (p.wrongAmount ? 1 : 0), `T${runs}-${i}-${j}-${ids}`);
              for (let c = 0; c < p.copies; c++) items.push(v);
            }),
          );
          if (unknownOrder) items.push(paid(nid(), `X-unknown-${ids}`, 100));
          return { orders, items };
        };
        const a = await mirror();
        const b = await mirror();
        if (!a.items.length) return;
        const order = g(fc.shuffledSubarray, a.items.map((_, i) => i), { minLength: a.items.length, maxLength: a.items.length });
        const groups = g(fc.array, fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: order.length });

        const outcomesA: string[] = [];
        let at = 0;
        for (let k = 0; at < order.length; k++) {
          const size = groups[k % groups.length]!;
          const part = order.slice(at, at + size).map((i) => a.items[i]!);
          at += size;
          const res = await deliverTogether(part);
          outcomesA.push(...res.map((r) => r.outcome));
          expect(res.every((r) => r.reply.status === 200)).toBe(true);
        }
        const outcomesB: string[] = [];
        for (const i of order) outcomesB.push((await app.payments.handleNotification('wechat', request(b.items[i]!))).outcome);
        expect(outcomesA).toEqual(outcomesB);

        // Same final state (trade numbers in scenario terms), and the money invariants.
        const norm = async (m: { orders: { orderNo: string }[]; items: VerifiedNotification[] }) => {
          const tradeLabel = new Map(m.items.map((v) => [(v.event as { platformTradeNo: string }).platformTradeNo, m.items.indexOf(v)]));
          const out = [];
          for (const o of m.orders) {
            const s = await stateOf(o.orderNo);
            const exceptions = (await app.payments.exceptions(undefined, 1, 10_000)).items.filter((e) => e.orderNo === o.orderNo).map((e) => [e.kind, tradeLabel.get(e.platformTradeNo)]);
            expect(s.successes).toBe(s.status === 'paid' ? 1 : 0);
            expect(s.pays).toBe(s.status === 'paid' ? 1 : 0);
            out.push({ ...s, tradeNo: s.tradeNo === null ? null : tradeLabel.get(s.tradeNo), exceptions: exceptions.sort() });
          }
          return out;
        };
        expect(await norm(a)).toEqual(await norm(b));
      }),
      { numRuns: kind === 'mysql' ? 10 : 20 },
    );
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  }, 120_000);
});
