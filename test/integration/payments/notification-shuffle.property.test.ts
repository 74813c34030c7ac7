import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { compactShanghai, MINUTE_MS } from '../../../src-main/core/time';
import type { NotificationReply, PayScene, Platform } from '../../../src-main/gateways/gateway';
import { startSandbox, type Sandbox } from '../../../src-main/gateways/sandbox';
import { isAlipayAck } from '../../../src-main/gateways/simulator/alipay-platform';
import { isBankAck } from '../../../src-main/gateways/simulator/bank-notices';
import type { PaymentException } from '../../../src-main/db/repositories/payment-repository';
import { CaptureReceiver, wireNotificationId, type CapturedRequest } from '../../support/notification-capture';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';

/**
 * ARCHITECTURE.md: "Notifications are idempotent: replaying any set of them in any order yields the
 * same state" — issue 4's property test, on each store.
 *
 * A fast-check scenario is a few orders over the three platforms, each with platform events: a
 * payment with the right amount, sometimes with a wrong one (the simulator's notify_amount_mismatch),
 * sometimes after the order was cancelled locally, sometimes a second, different payment of the same
 * order (the platform's books re-open the trade and the payer pays again under a new platform trade
 * number), and sometimes a payment for an order this system never created. The simulated platforms
 * send their REAL notifications (WeChat: RSA-signed, AEAD_AES_256_GCM resource; Alipay: RSA2 form;
 * bank: HMAC JSON) to a capture receiver; a receiver refusal makes the platform retry (same id, fresh
 * timestamp and signature), and the platform's own duplicate fault sends it twice. All captured
 * requests form a pool; fast-check picks how many copies of each to deliver and the order, and the
 * multiset goes to `payments.handleNotification` exactly as the payment server would pass it.
 *
 * Every scenario is built twice in the same fresh app (two "mirrors" with their own orders and
 * captured notifications): mirror A gets the shuffled multiset, mirror B the same multiset in a
 * canonical order. Checked:
 *  - every delivery is answered with the platform's success reply (and the platform would take it
 *    as an acknowledgement); the outcome of each delivery is the expected one (first sight: applied or
 *    exception; later: duplicate);
 *  - the final state — orders (status, paid amount, paying trade, paid time), payment transactions,
 *    open payment exceptions, inbox status per notification, audit actions per order (so 'order.pay'
 *    counts) — normalised to scenario labels, equals an independently computed expectation, and
 *    A's state equals B's;
 *  - delivering the whole multiset once more, in another order, answers "duplicate" every time and
 *    changes nothing;
 *  - invariants: an order is paid at most once and only for exactly its amount, with one successful
 *    payment transaction and one 'order.pay' audit entry; every platform trade ends up either as the
 *    order's payment or as an open exception (never lost, never both); the audit chain verifies.
 *
 * The one thing arrival order may decide: when two different genuine payments of one order arrive,
 * the first one pays the order and the later one becomes a duplicate_payment exception for refund.
 * So B's canonical order keeps the relative first arrival of such a pair from A's shuffle; everything
 * else (other orders, a wrong amount before or after the right one, retries, copies) is re-sorted
 * (canonicalOrder).
 */
const clerk = { id: 9, name: '乱序测试' };
const SCENE: Record<Platform, PayScene> = { wechat: 'wechat_native', alipay: 'alipay_precreate', bank: 'bank_online' };
/** The fault operation under which each simulated platform takes notify_* faults for a payment. */
const NOTIFY_OP: Record<Platform, string> = { wechat: 'pay', alipay: 'notify', bank: 'pay' };
/** Each platform's own rule for "the merchant acknowledged" (what stops its retries). */
const IS_ACK: Record<Platform, (r: NotificationReply) => boolean> = {
  wechat: (r) => r.status >= 200 && r.status < 300,
  alipay: (r) => isAlipayAck(r.status, r.body),
  bank: (r) => isBankAck(r.status, r.body),
};

// ---------------------------------------------------------------- scenario

interface EventSpec {
  /** The notification carries the order amount + 1 fen (signed correctly). */
  wrongAmount: boolean;
  /** How many deliveries the capture receiver refuses, so the platform retries. */
  refusals: number;
  /** The platform sends the notification twice (notify_duplicate). */
  platformDuplicate: boolean;
}
interface OrderSpec {
  platform: Platform;
  amountFen: number;
  cancelledFirst: boolean;
  /** The payer's payments at the platform; a second one is a different trade for the same order. */
  payments: EventSpec[];
}
interface Scenario {
  orders: OrderSpec[];
  /** A payment at the platform for an order number this system never issued. */
  unknown: { platform: Platform; amountFen: number; event: EventSpec } | null;
}

const weighted = <T,>(...choices: [T, number][]) => fc.oneof(...choices.map(([v, weight]) => ({ arbitrary: fc.constant(v), weight })));
const platformArb = fc.constantFrom<Platform>('wechat', 'alipay', 'bank');
const eventArb: fc.Arbitrary<EventSpec> = fc.record({
  wrongAmount: weighted([false, 3], [true, 1]),
  refusals: weighted([0, 4], [1, 1]),
  platformDuplicate: weighted([false, 4], [true, 1]),
});
const orderArb: fc.Arbitrary<OrderSpec> = fc.record({
  platform: platformArb,
  amountFen: fc.integer({ min: 1, max: 2_000_000 }),
  cancelledFirst: weighted([false, 3], [true, 1]),
  payments: fc.oneof(
    { arbitrary: fc.array(eventArb, { minLength: 1, maxLength: 1 }), weight: 4 },
    { arbitrary: fc.array(eventArb, { minLength: 2, maxLength: 2 }), weight: 3 },
    { arbitrary: fc.constant<EventSpec[]>([]), weight: 1 },
  ),
});
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  orders: fc.array(orderArb, { minLength: 1, maxLength: 4 }),
  unknown: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.record({ platform: platformArb, amountFen: fc.integer({ min: 1, max: 2_000_000 }), event: eventArb }), weight: 1 }),
});

// ---------------------------------------------------------------- what one mirror of a scenario produced

interface OrderFacts {
  /** 'o0', 'o1', … in scenario order; 'u' for the order this system does not know. */
  label: string;
  orderNo: string;
  platform: Platform;
  amountFen: number;
  known: boolean;
  cancelled: boolean;
}
interface TradeFacts {
  /** 'o0.p0', 'o0.p1', 'u.p0': one platform event = one trade = one notification id. */
  label: string;
  order: string;
  platform: Platform;
  tradeNo: string;
  notificationId: string;
  /** What the notification says was paid. */
  amountFen: number;
  paidAt: number;
}
interface PoolItem {
  /** `${trade label}#${attempt}`: the same in both mirrors. */
  key: string;
  trade: string;
  attempt: number;
  request: CapturedRequest;
}
interface Mirror {
  orders: OrderFacts[];
  trades: TradeFacts[];
  pool: PoolItem[];
}

/** The final state in scenario labels (no generated numbers, ids or times), every collection sorted. */
interface Canonical {
  orders: { order: string; status: string; paidFen: number; paidBy: string | null; paidAtOf: string | number | null; cancelReason: string | null }[];
  transactions: { order: string; type: string; status: string; method: string; amountFen: number; trade: string | null }[];
  exceptions: { order: string; platform: string; trade: string; amountFen: number; kind: PaymentException['kind']; status: string }[];
  inbox: { order: string; trade: string; platform: string; eventKind: string; status: string }[];
  audit: { order: string; actions: string[] }[];
}

type Outcome = Awaited<ReturnType<App['payments']['handleNotification']>>['outcome'];

const byJson = <T,>(xs: T[]): T[] => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));

// ---------------------------------------------------------------- the expectation, computed without the service

/**
 * What delivering `seq` must leave behind, from the rules alone: a notification id seen before changes
 * nothing; otherwise money for an unknown order, of a different amount, for a cancelled order, or for
 * an order already paid by another trade is an open exception (in that order of precedence); else
 * it pays the order.
 */
function expected(m: Mirror, seq: PoolItem[]): { state: Canonical; outcomes: Outcome[] } {
  const trade = new Map(m.trades.map((t) => [t.label, t]));
  const paidBy = new Map<string, TradeFacts>();
  const seen = new Map<string, 'applied' | 'exception'>();
  const exceptions: Canonical['exceptions'] = [];
  const outcomes: Outcome[] = [];
  for (const item of seq) {
    const t = trade.get(item.trade)!;
    if (seen.has(t.label)) {
      outcomes.push('duplicate');
      continue;
    }
    const o = m.orders.find((x) => x.label === t.order)!;
    const kind: PaymentException['kind'] | null = !o.known ? 'unknown_order' : t.amountFen !== o.amountFen ? 'amount_mismatch' : o.cancelled ? 'paid_after_close' : paidBy.has(o.label) ? 'duplicate_payment' : null;
    if (kind) exceptions.push({ order: o.label, platform: t.platform, trade: t.label, amountFen: t.amountFen, kind, status: 'open' });
    else paidBy.set(o.label, t);
    seen.set(t.label, kind ? 'exception' : 'applied');
    outcomes.push(kind ? 'exception' : 'applied');
  }
  const state: Canonical = { orders: [], transactions: [], exceptions: byJson(exceptions), inbox: [], audit: [] };
  for (const o of m.orders) {
    const paid = paidBy.get(o.label);
    const exceptionCount = exceptions.filter((e) => e.order === o.label).length;
    const actions = Array<string>(exceptionCount).fill('payment.exception');
    if (o.known) {
      state.orders.push({ order: o.label, status: paid ? 'paid' : o.cancelled ? 'cancelled' : 'pending', paidFen: paid ? o.amountFen : 0, paidBy: paid?.label ?? null, paidAtOf: paid?.label ?? null, cancelReason: o.cancelled ? 'user' : null });
      state.transactions.push({ order: o.label, type: 'payment', status: paid ? 'success' : o.cancelled ? 'failed' : 'pending', method: o.platform, amountFen: o.amountFen, trade: paid?.label ?? null });
      actions.push('order.create', 'payment.start', ...(o.cancelled ? ['order.cancel'] : []), ...(paid ? ['order.pay'] : []));
    }
    state.audit.push({ order: o.label, actions: actions.sort() });
  }
  for (const [label, status] of seen) {
    const t = trade.get(label)!;
    state.inbox.push({ order: t.order, trade: label, platform: t.platform, eventKind: 'payment', status });
  }
  state.orders = byJson(state.orders);
  state.transactions = byJson(state.transactions);
  state.inbox = byJson(state.inbox);
  state.audit = byJson(state.audit);
  return { state, outcomes };
}

/** The money invariants, read off a state on their own (whatever the expectation says). */
function checkInvariants(m: Mirror, s: Canonical): void {
  const trade = new Map(m.trades.map((t) => [t.label, t]));
  for (const o of m.orders.filter((x) => x.known)) {
    const order = s.orders.find((x) => x.order === o.label)!;
    const successes = s.transactions.filter((t) => t.order === o.label && t.type === 'payment' && t.status === 'success');
    const pays = s.audit.find((a) => a.order === o.label)!.actions.filter((a) => a === 'order.pay').length;
    if (order.status === 'paid') {
      expect(order.paidFen).toBe(o.amountFen);
      expect(trade.get(order.paidBy ?? '')?.amountFen).toBe(o.amountFen);
      expect(successes.map((t) => [t.amountFen, t.trade])).toEqual([[o.amountFen, order.paidBy]]);
      expect(pays).toBe(1);
    } else {
      expect(order).toMatchObject({ paidFen: 0, paidBy: null });
      expect(successes).toEqual([]);
      expect(pays).toBe(0);
    }
  }
  // Every platform trade that reached us is either an order's payment or an open exception: never lost, never both.
  const fates = new Map<string, number>();
  for (const o of s.orders) if (o.paidBy) fates.set(o.paidBy, (fates.get(o.paidBy) ?? 0) + 1);
  for (const e of s.exceptions) fates.set(e.trade, (fates.get(e.trade) ?? 0) + 1);
  const delivered = new Set(s.inbox.map((i) => i.trade));
  expect([...fates.keys()].sort()).toEqual([...delivered].sort());
  expect([...fates.values()].every((n) => n === 1)).toBe(true);
  // One inbox row per notification id, none left half-applied.
  expect(s.inbox.map((i) => i.trade).sort()).toEqual([...delivered].sort());
  expect(s.inbox.every((i) => i.status === 'applied' || i.status === 'exception')).toBe(true);
}

/**
 * The canonical delivery order of a multiset: by order (scenario order), then platform event, then
 * delivery attempt, then copy. Platform events are in label order, except that two genuine payments
 * of one order (right amount, order known and not cancelled) keep the order in which `shuffled`
 * first delivered them: that, and only that, may decide the outcome (the first pays the order, the
 * other becomes a duplicate_payment exception).
 */
function canonicalOrder(m: Mirror, shuffled: { key: string; copy: number }[]): { key: string; copy: number }[] {
  const pool = new Map(m.pool.map((p) => [p.key, p]));
  const firstSeen = new Map<string, number>();
  shuffled.forEach((x, i) => {
    const t = pool.get(x.key)!.trade;
    if (!firstSeen.has(t)) firstSeen.set(t, i);
  });
  const eventRank = new Map<string, number>();
  for (const o of m.orders) {
    const events = m.trades.filter((t) => t.order === o.label);
    events.forEach((t, j) => eventRank.set(t.label, j));
    const genuine = events.filter((t) => o.known && !o.cancelled && t.amountFen === o.amountFen);
    const byArrival = [...genuine].sort((x, y) => firstSeen.get(x.label)! - firstSeen.get(y.label)!);
    genuine.forEach((slot, k) => eventRank.set(byArrival[k]!.label, events.indexOf(slot)));
  }
  const rank = (x: { key: string; copy: number }) => {
    const p = pool.get(x.key)!;
    const t = m.trades.find((tr) => tr.label === p.trade)!;
    return [m.orders.findIndex((o) => o.label === t.order), eventRank.get(t.label)!, p.attempt, x.copy];
  };
  return [...shuffled].sort((x, y) => {
    const [rx, ry] = [rank(x), rank(y)];
    for (let i = 0; i < rx.length; i++) if (rx[i] !== ry[i]) return rx[i]! - ry[i]!;
    return 0;
  });
}

// ---------------------------------------------------------------- the suite

describe.each(STORE_KINDS)('any shuffle of any multiset of real platform notifications gives the same state, on %s', (kind) => {
  const clock = new TestClock();
  let sandbox: Sandbox;
  let receiver: CaptureReceiver;
  /** MariaDB: one database for all runs (each run has its own orders); SQLite: a fresh ':memory:' app per run. */
  let shared: { app: App; close(): Promise<void> } | undefined;
  let unknownSeq = 0;

  beforeAll(async () => {
    // The simulator and the app share the test clock, so WeChat's and the bank's 5-minute window always holds.
    sandbox = await startSandbox({ clock, timeScale: 0.0002 });
    receiver = await CaptureReceiver.start(sandbox.registry);
    if (kind === 'mysql') shared = await testApp(kind, { clock, gateways: sandbox.registry, callbackBaseUrl: () => receiver.url });
  }, 60_000);
  afterAll(async () => {
    await shared?.close();
    await receiver?.close();
    await sandbox?.stop();
  });

  /** The payer pays at the platform; returns the trade and every notification request the platform sent for it. */
  async function platformPays(platform: Platform, order: OrderFacts, ev: EventSpec, label: string, again: boolean): Promise<{ trade: TradeFacts; requests: CapturedRequest[] }> {
    clock.advance(1000); // distinct payment times, whole seconds (the platforms' wire formats)
    const sim = sandbox.simulator.get(platform);
    if (again) {
      // A second, different payment for the same order: the platform's books re-open the trade and
      // the payer pays it again under a new platform trade number.
      const t = sim.ledger.trades.get(order.orderNo)!;
      t.state = 'pending';
      delete t.paidAt;
      t.platformTradeNo = sim.ledger.nextNumber(clock.now());
    }
    if (ev.wrongAmount) sandbox.simulator.inject(platform, { kind: 'notify_amount_mismatch', operation: NOTIFY_OP[platform] });
    if (ev.platformDuplicate) sandbox.simulator.inject(platform, { kind: 'notify_duplicate', operation: NOTIFY_OP[platform] });
    receiver.refuseNext(ev.refusals);
    const paid = await sim.pay(order.orderNo);
    const facts = { tradeNo: paid.platformTradeNo, amountFen: paid.amountFen + (ev.wrongAmount ? 1 : 0), paidAt: paid.paidAt! };
    await sandbox.simulator.notifier.idle();
    expect(sim.faults.pending).toEqual([]);
    const requests = receiver.drain();
    expect(requests.map((r) => r.platform)).toEqual(Array<Platform>((ev.platformDuplicate ? 2 : 1) + ev.refusals).fill(platform));
    const ids = new Set(requests.map((r) => wireNotificationId(platform, r.body)));
    expect(ids.size).toBe(1);
    return { trade: { label, order: order.label, platform, notificationId: [...ids][0]!, ...facts }, requests };
  }

  /** Creates the scenario's orders in `app`, lets the platforms do their part, and captures what they send. */
  async function buildMirror(app: App, scenario: Scenario): Promise<Mirror> {
    const m: Mirror = { orders: [], trades: [], pool: [] };
    const events: [OrderFacts, EventSpec[]][] = [];
    for (const [i, spec] of scenario.orders.entries()) {
      const created = await app.orders.create(clerk, { amountFen: spec.amountFen, method: spec.platform, type: 'customer_order', relatedId: 'BK-shuffle', description: '乱序通知 定金', payerId: 'WX_shuffle' });
      await app.payments.start(clerk, { orderNo: created.orderNo, scene: SCENE[spec.platform] });
      if (spec.cancelledFirst) await app.orders.cancel(clerk, created.orderNo, 'user');
      const o: OrderFacts = { label: `o${i}`, orderNo: created.orderNo, platform: spec.platform, amountFen: spec.amountFen, known: true, cancelled: spec.cancelledFirst };
      m.orders.push(o);
      events.push([o, spec.payments]);
    }
    if (scenario.unknown) {
      const { platform, amountFen, event } = scenario.unknown;
      // Not a P-number, so it can never be one of ours; unique across runs (the platform keeps its books).
      const orderNo = `X${compactShanghai(clock.now())}${String(++unknownSeq).padStart(6, '0')}`;
      await sandbox.registry.get(platform).createPayment({ orderNo, amountFen, description: '不在本系统的订单', expireAt: clock.now() + 30 * MINUTE_MS, scene: SCENE[platform], notifyUrl: `${receiver.url}/api/payment/callback/${platform}` });
      const o: OrderFacts = { label: 'u', orderNo, platform, amountFen, known: false, cancelled: false };
      m.orders.push(o);
      events.push([o, [event]]);
    }
    for (const [o, evs] of events) {
      for (const [j, ev] of evs.entries()) {
        const { trade, requests } = await platformPays(o.platform, o, ev, `${o.label}.p${j}`, j > 0);
        m.trades.push(trade);
        m.pool.push(...requests.map((request, attempt) => ({ key: `${trade.label}#${attempt}`, trade: trade.label, attempt, request })));
      }
    }
    expect(new Set(m.trades.map((t) => t.notificationId)).size).toBe(m.trades.length);
    expect(new Set(m.trades.map((t) => `${t.platform}:${t.tradeNo}`)).size).toBe(m.trades.length);
    return m;
  }

  /** Delivers each request as the payment server would; every one must get the platform's success reply. */
  async function deliver(app: App, seq: PoolItem[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const { request } of seq) {
      const { reply, outcome } = await app.payments.handleNotification(request.platform, { headers: { ...request.headers }, body: request.body });
      expect(reply, `reply to ${request.platform} (${outcome})`).toEqual(sandbox.registry.get(request.platform).notificationReply(true));
      expect(IS_ACK[request.platform](reply)).toBe(true);
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /** Reads the final state of one mirror back from the store and writes it in scenario labels. */
  async function stateOf(app: App, m: Mirror): Promise<Canonical> {
    const byTradeNo = new Map(m.trades.map((t) => [`${t.platform}:${t.tradeNo}`, t.label]));
    const byNotification = new Map(m.trades.map((t) => [`${t.platform}:${t.notificationId}`, t.label]));
    const orderLabel = new Map(m.orders.map((o) => [o.orderNo, o.label]));
    const platformOf = new Map(m.orders.map((o) => [o.orderNo, o.platform]));
    const trade = (platform: string, no: string | null) => (no === null ? null : (byTradeNo.get(`${platform}:${no}`) ?? `?${platform}:${no}`));
    const s: Canonical = { orders: [], transactions: [], exceptions: [], inbox: [], audit: [] };
    for (const o of m.orders) {
      if (o.known) {
        const { order, transactions, history } = await app.orders.get(o.orderNo);
        const paidAtOf = order.paidAt === null ? null : (m.trades.find((t) => t.order === o.label && t.paidAt === order.paidAt)?.label ?? order.paidAt);
        s.orders.push({ order: o.label, status: order.status, paidFen: order.paidFen, paidBy: trade(o.platform, order.gatewayTradeNo), paidAtOf, cancelReason: order.cancelReason });
        for (const t of transactions) s.transactions.push({ order: o.label, type: t.type, status: t.status, method: t.method, amountFen: t.amountFen, trade: trade(o.platform, t.gatewayTradeNo) });
        s.audit.push({ order: o.label, actions: history.map((h) => h.action).sort() });
      } else {
        const history = await app.store.read((r) => r.audit.forEntity('order', o.orderNo));
        s.audit.push({ order: o.label, actions: history.map((h) => h.action).sort() });
      }
      for (const e of await app.store.read((r) => r.inbox.forRef(o.orderNo))) {
        s.inbox.push({ order: o.label, trade: byNotification.get(`${e.platform}:${e.notificationId}`) ?? `?${e.notificationId}`, platform: e.platform, eventKind: e.eventKind, status: e.status });
      }
    }
    const all = await app.payments.exceptions(undefined, 1, 100_000);
    for (const e of all.items) {
      const label = orderLabel.get(e.orderNo);
      if (label === undefined) continue; // another mirror's or another run's
      s.exceptions.push({ order: label, platform: e.platform, trade: trade(e.platform, e.platformTradeNo) ?? '', amountFen: e.amountFen, kind: e.kind, status: e.status });
      expect(e.platform).toBe(platformOf.get(e.orderNo));
    }
    s.orders = byJson(s.orders);
    s.transactions = byJson(s.transactions);
    s.exceptions = byJson(s.exceptions);
    s.inbox = byJson(s.inbox);
    s.audit = byJson(s.audit);
    return s;
  }

  it('delivering the multiset shuffled, in canonical order, and again: same state, every invariant', async () => {
    const started = Date.now();
    let runs = 0;
    let deliveries = 0;
    /** What the runs covered (printed at the end, so a run that stopped exercising a case shows). */
    const seen = new Map<string, number>();
    const tally = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.gen(), async (scenario, g) => {
        runs++;
        clock.advance(10 * MINUTE_MS); // fresh order numbers at the platforms, run after run
        const { app, close } = shared ? { app: shared.app, close: async () => {} } : await testApp(kind, { clock, gateways: sandbox.registry, callbackBaseUrl: () => receiver.url });
        try {
          const a = await buildMirror(app, scenario);
          const b = await buildMirror(app, scenario);
          expect(b.pool.map((p) => p.key)).toEqual(a.pool.map((p) => p.key));

          // The multiset: 1–3 copies of every captured request (retries and platform duplicates included).
          const copies = g(fc.array, weighted([1, 3], [2, 2], [3, 1]), { minLength: a.pool.length, maxLength: a.pool.length });
          const multiset = a.pool.flatMap((p, i) => Array.from({ length: copies[i] ?? 1 }, (_, copy) => ({ key: p.key, copy })));
          const indices = multiset.map((_, i) => i);
          const shuffled = g(fc.shuffledSubarray, indices, { minLength: indices.length, maxLength: indices.length }).map((i) => multiset[i]!);

          const poolA = new Map(a.pool.map((p) => [p.key, p]));
          const poolB = new Map(b.pool.map((p) => [p.key, p]));
          const canonical = canonicalOrder(a, shuffled);
          const seqA = shuffled.map((x) => poolA.get(x.key)!);
          const seqB = canonical.map((x) => poolB.get(x.key)!);
          const outcomesA = await deliver(app, seqA);
          const outcomesB = await deliver(app, seqB);
          deliveries += seqA.length + seqB.length;

          const stateA = await stateOf(app, a);
          const stateB = await stateOf(app, b);
          const wantA = expected(a, seqA);
          const wantB = expected(b, seqB);
          expect(outcomesA).toEqual(wantA.outcomes);
          expect(outcomesB).toEqual(wantB.outcomes);
          expect(stateA).toEqual(wantA.state);
          expect(stateB).toEqual(wantB.state);
          expect(stateA).toEqual(stateB);
          checkInvariants(a, stateA);
          for (const e of stateA.exceptions) tally(e.kind);
          for (const e of stateA.exceptions) if (e.kind === 'duplicate_payment' && e.trade.endsWith('.p0')) tally('two genuine payments, the second arrived first and paid');
          for (const p of a.pool) if (p.attempt > 0) tally('platform retry or duplicate');

          // Replaying the whole multiset again, in yet another order, answers "duplicate" and changes nothing.
          const replay = g(fc.shuffledSubarray, indices, { minLength: indices.length, maxLength: indices.length }).map((i) => poolA.get(multiset[i]!.key)!);
          const outcomesReplay = await deliver(app, replay);
          deliveries += replay.length;
          expect(outcomesReplay).toEqual(replay.map(() => 'duplicate'));
          expect(await stateOf(app, a)).toEqual(stateA);

          expect(await app.audit.verify()).toMatchObject({ ok: true });
        } finally {
          await close();
        }
      }),
      { numRuns: kind === 'mysql' ? 15 : 25 },
    );
    console.info(`[notification-shuffle ${kind}] ${runs} runs, ${deliveries} deliveries, ${Date.now() - started} ms; covered: ${[...seen].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  }, 300_000);
});
