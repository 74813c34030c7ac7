import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { formatYuan } from '../../core/money';
import { ORDER_TYPE_LABELS } from '../../core/orders/order-types';
import { MINUTE_MS, type Clock } from '../../core/time';
import { SCENES_BY_PLATFORM, type CreatePaymentResult, type InboundRequest, type NotificationReply, type PayScene, type Platform, type TradeStatus, type VerifiedNotification } from '../../gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected, NotificationRejected } from '../../gateways/gateway-errors';
import type { Store, Tx } from '../../db/store';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import { isDeadlock, isUniqueViolation } from '../../db/db-errors';
import type { PaymentException } from '../../db/repositories/payment-repository';
import type { Order } from '../../core/orders/order';
import type { SettledInboxEntry } from '../../db/repositories/inbox-repository';
import { GroupCommit, type BatchResult } from '../group-commit';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { OrderService } from '../orders/order-service';
import type { GatewayRegistry } from './gateway-registry';
import type { PaymentMetrics } from './payment-metrics';

export interface StartPaymentInput {
  orderNo: string;
  scene: PayScene;
  payerOpenId?: string;
  returnUrl?: string;
  bankCardToken?: string;
}

export interface StartedPayment {
  orderNo: string;
  scene: PayScene;
  expireAt: number;
  result: CreatePaymentResult;
  /** Sandbox only: a link a desk browser can open to "pay" on the simulator (a weixin:// QR cannot be opened there). */
  sandboxPayLink?: string;
}

/** Sandbox mode's link to the simulator's pay page for a started payment. */
export type SandboxPayLink = (platform: Platform, orderNo: string, result: CreatePaymentResult) => string | null;

export type ApplyOutcome = 'applied' | 'duplicate' | 'exception' | 'ignored' | 'deferred';

type NonPaymentEvent = Exclude<VerifiedNotification['event'], { kind: 'payment' }>;
/**
 * Applies a refund or transfer notification inside the inbox entry's transaction (the refund and
 * payout services register one each), so the entry is settled exactly when its effect commits.
 */
export type InboxEventHandler<K extends NonPaymentEvent['kind']> = (
  tx: Tx,
  platform: Platform,
  event: Extract<NonPaymentEvent, { kind: K }>,
  source: string,
) => Promise<{ kind: 'applied' | 'exception' | 'ignored'; detail: string }>;

type PaymentEvent = Extract<VerifiedNotification['event'], { kind: 'payment' }>;
type Outcome = { kind: 'applied' | 'exception' | 'ignored'; detail: string };

/** Notifications applied in one transaction at most (group commit), so a batch's locks stay short. */
const MAX_BATCH = 200;
/**
 * Batches applied at the same time on MySQL (group commit), and how many notifications must be
 * waiting before a batch starts beside a running one. Measured with `npm run bench -- --only notify`
 * (64 callbacks in flight; bench/RESULTS.md §3): one batch at a time leaves the server and the
 * database waiting on each other's round trips; overlapping small batches costs more CPU per
 * notification (the same statements for fewer notifications) than it saves waiting — two at a time,
 * the second only once 32 wait, did best (≈2,600/s against ≈2,300/s for three batches or a
 * threshold of 16–24, with 0.27–0.30 ms of server CPU per notification against 0.31–0.36 ms).
 * PAY_NOTIFY_BATCHES_IN_FLIGHT / PAY_NOTIFY_MIN_OVERLAP override them (for measuring).
 */
const BATCHES_IN_FLIGHT = Number(process.env.PAY_NOTIFY_BATCHES_IN_FLIGHT) || 2;
const MIN_OVERLAP_BATCH = Number(process.env.PAY_NOTIFY_MIN_OVERLAP) || 32;

/**
 * What money reported paid means for `order` (null: not ours): an exception for refund, or "pay it"
 * (which may turn out to be the payment the order already records).
 */
function paymentVerdict(platform: Platform, t: PaidTrade, order: Order | null): { kind: 'pay' } | { kind: 'exception'; exception: PaymentException['kind']; detail: string } {
  const ex = (exception: PaymentException['kind'], detail: string) => ({ kind: 'exception' as const, exception, detail });
  if (!order) return ex('unknown_order', `平台收款 ${formatYuan(t.amountFen)}，但本系统没有订单 ${t.orderNo}，待退款`);
  // Money collected on another platform than the order's (a trade number reused across channels) must not pay it:
  // the order's transaction would carry a foreign trade number and reconciliation would never match it.
  if (order.method !== platform) return ex('wrong_channel', `订单应通过 ${order.method} 支付，却收到 ${platform} 的付款 ${formatYuan(t.amountFen)}，待退款`);
  if (t.amountFen !== order.amountFen) return ex('amount_mismatch', `平台收款 ${formatYuan(t.amountFen)} 与订单金额 ${formatYuan(order.amountFen)} 不一致，待核实退款`);
  if (order.status === 'cancelled') return ex('paid_after_close', `订单已取消后收到付款 ${formatYuan(t.amountFen)}，待退款`);
  if (order.status !== 'pending' && order.gatewayTradeNo && order.gatewayTradeNo !== t.platformTradeNo)
    return ex('duplicate_payment', `订单已由 ${order.gatewayTradeNo} 支付，又收到 ${t.platformTradeNo} 的付款，待退款`);
  return { kind: 'pay' };
}

type PaidTrade = TradeStatus & { platformTradeNo: string; amountFen: number };
/** The trade when the platform reports it paid (with its trade number and amount), else null. */
const paidTrade = (t: TradeStatus): PaidTrade | null => (t.state === 'paid' && t.platformTradeNo && t.amountFen !== undefined ? (t as PaidTrade) : null);

/** A failure that trying the same work again can get past: another transaction got there first. */
const isCollision = (e: unknown) => e instanceof ConcurrentUpdateError || isUniqueViolation(e) || isDeadlock(e);

/** WeChat refuses to close a trade in its first five minutes (its close API documentation). */
const MIN_AGE_BEFORE_CLOSE_MS = 5 * MINUTE_MS;
/** How long a claimed order stays with one instance if it dies mid-work. */
const LEASE_MS = MINUTE_MS;

/**
 * Payments in (design document 2.1, 2.2, 5.2): asking a platform for a payment, taking its
 * notifications, querying it when a notification is late, and closing trades past their limit.
 * Invariants (ARCHITECTURE.md): an order is paid at most once and only for its exact amount; money
 * that arrives where it cannot be taken (a cancelled order, a wrong amount, a second payment) is
 * recorded as a payment exception for refund, never lost and never silently applied.
 */
export class PaymentService {
  constructor(
    private readonly store: Store,
    private readonly orders: OrderService,
    private readonly gateways: GatewayRegistry,
    private readonly clock: Clock,
    private readonly metrics: PaymentMetrics,
    /** Where the platforms call us back; a function because a test server's port is known only once it listens. */
    private readonly callbackBaseUrl: () => string,
    /** Identifies this instance in work leases (host, process, random). */
    private readonly workerId: string,
    private readonly sandboxPayLink?: SandboxPayLink,
  ) {
    this.ingest = new GroupCommit((vs) => this.applyMany(vs), MAX_BATCH, store.kind === 'mysql' ? BATCHES_IN_FLIGHT : 1, MIN_OVERLAP_BATCH);
  }

  /**
   * The callbacks' notifications, applied in batches (group commit), each answered after its batch
   * commits. On MySQL up to BATCHES_IN_FLIGHT batches overlap (one does its round trips while another
   * waits for the database; the order row locks order any they share); SQLite has one writer.
   */
  private readonly ingest: GroupCommit<VerifiedNotification, ApplyOutcome>;

  private readonly eventHandlers: { refund?: InboxEventHandler<'refund'>; transfer?: InboxEventHandler<'transfer'> } = {};

  /** Registers the service that applies refund (or transfer) notifications taken by the callbacks. */
  onInboxEvent<K extends NonPaymentEvent['kind']>(kind: K, handler: InboxEventHandler<K>): void {
    (this.eventHandlers as Record<string, unknown>)[kind] = handler;
  }

  private applyOtherEvent(tx: Tx, platform: Platform, event: NonPaymentEvent, source: string): Promise<{ kind: 'applied' | 'exception' | 'ignored'; detail: string }> | null {
    if (event.kind === 'refund') return this.eventHandlers.refund?.(tx, platform, event, source) ?? null;
    return this.eventHandlers.transfer?.(tx, platform, event, source) ?? null;
  }

  private withSandboxLink(p: StartedPayment, platform: Platform): StartedPayment {
    const link = this.sandboxPayLink?.(platform, p.orderNo, p.result);
    return link ? { ...p, sandboxPayLink: link } : p;
  }

  /** Asks the order's platform for a payment in `scene`. Asking again returns the same credentials. */
  async start(actor: Actor, input: StartPaymentInput): Promise<StartedPayment> {
    const order = await this.store.read((r) => r.orders.findByNo(input.orderNo));
    if (!order) throw new DomainError('ORDER_NOT_FOUND', `订单 ${input.orderNo} 不存在`);
    if (order.status !== 'pending') throw new DomainError('ORDER_NOT_PAYABLE', '只有待支付订单可以发起支付');
    const now = this.clock.now();
    if (order.expireAt <= now) throw new DomainError('ORDER_EXPIRED', '订单已超过支付时限，请重新下单');
    const platform: Platform = order.method;
    if (!SCENES_BY_PLATFORM[platform].includes(input.scene))
      throw new DomainError('SCENE_MISMATCH', '支付场景与订单的支付方式不一致');
    if (input.scene === 'wechat_jsapi' && !input.payerOpenId) throw new DomainError('OPENID_REQUIRED', '小程序支付需要付款人的 openid');
    if (input.scene === 'bank_quick' && !input.bankCardToken) throw new DomainError('CARD_REQUIRED', '快捷支付需要已绑定的银行卡');

    const existing = await this.store.read((r) => r.payments.findRequest(order.orderNo, input.scene));
    if (existing) return this.withSandboxLink({ orderNo: order.orderNo, scene: input.scene, expireAt: order.expireAt, result: existing.result as CreatePaymentResult }, platform);

    let result: CreatePaymentResult;
    try {
      result = await this.gateways.get(platform).createPayment({
        orderNo: order.orderNo,
        amountFen: order.amountFen,
        description: order.description || ORDER_TYPE_LABELS[order.type],
        expireAt: order.expireAt,
        scene: input.scene,
        notifyUrl: `${this.callbackBaseUrl()}/api/payment/callback/${platform}`,
        returnUrl: input.returnUrl,
        payerOpenId: input.payerOpenId,
        bankCardToken: input.bankCardToken,
      });
    } catch (e) {
      this.metrics.gatewayError(platform, { op: 'createPayment', error: e, orderNo: order.orderNo });
      // Creating again with the same order number is safe on every platform: nothing is charged yet.
      if (e instanceof GatewayOutcomeUnknown) throw new DomainError('GATEWAY_UNAVAILABLE', '支付平台暂时无响应，请稍后重试');
      if (e instanceof GatewayRejected) throw new DomainError('GATEWAY_REJECTED', `支付平台拒绝了请求：${e.message}（${e.code}）`);
      throw e;
    }
    this.metrics.gatewayOk(platform, 'createPayment', order.orderNo);
    await this.store.transaction(async (tx) => {
      if (await tx.payments.findRequest(order.orderNo, input.scene)) return;
      await tx.payments.saveRequest(order.orderNo, platform, input.scene, result, now);
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action: 'payment.start', entityType: 'order', entityId: order.orderNo, before: null, after: snapshot({ scene: input.scene, kind: result.kind }) },
        now,
      );
    });
    return this.withSandboxLink({ orderNo: order.orderNo, scene: input.scene, expireAt: order.expireAt, result }, platform);
  }

  /**
   * A platform's callback: verify, store in the inbox, apply in one transaction, answer exactly as
   * the platform expects. A refused notification changes nothing; an unexpected failure answers
   * "fail" so the platform delivers it again.
   */
  async handleNotification(platform: Platform, req: InboundRequest): Promise<{ reply: NotificationReply; outcome: ApplyOutcome | 'rejected' | 'error' }> {
    const gateway = this.gateways.get(platform);
    const started = performance.now();
    this.metrics.received(platform);
    let verified: VerifiedNotification;
    try {
      verified = await gateway.verifyNotification(req);
    } catch (e) {
      const reason = e instanceof NotificationRejected ? e.reason : 'malformed';
      this.metrics.rejected(platform, reason);
      return { reply: gateway.notificationReply(false, reason), outcome: 'rejected' };
    }
    try {
      const outcome = await this.ingest.submit(verified);
      this.metrics.applied(platform, outcome, performance.now() - started);
      return { reply: gateway.notificationReply(true), outcome };
    } catch (e) {
      this.metrics.applyFailed(platform, e);
      return { reply: gateway.notificationReply(false, (e as Error).message), outcome: 'error' };
    }
  }

  /** Applies a verified notification exactly once (the inbox key), whatever order they come in. */
  async apply(v: VerifiedNotification): Promise<ApplyOutcome> {
    const refNo = v.event.kind === 'transfer' ? v.event.transferNo : v.event.kind === 'refund' ? v.event.refundNo : v.event.orderNo;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store.transaction(async (tx) => {
          const { entry } = await tx.inbox.receive({ platform: v.platform, notificationId: v.notificationId, eventKind: v.event.kind, refNo, payload: v.payload, at: this.clock.now() });
          if (entry.status !== 'received') return 'duplicate';
          let outcome: { kind: 'applied' | 'exception' | 'ignored'; detail: string };
          if (v.event.kind === 'payment') outcome = await this.applyTradeStatus(tx, v.platform, { ...v.event }, `通知 ${v.notificationId}`);
          else {
            // No service registered for this kind: the entry stays 'received', a later delivery applies it.
            const other = this.applyOtherEvent(tx, v.platform, v.event, `通知 ${v.notificationId}`);
            if (!other) return 'deferred';
            outcome = await other;
          }
          await tx.inbox.settle(entry.id, entry.version, outcome.kind, outcome.detail, this.clock.now());
          return outcome.kind;
        });
      } catch (e) {
        // Two deliveries of the same payment racing each other: the loser retries and sees "applied".
        if (!(e instanceof ConcurrentUpdateError) || attempt >= 3) throw e;
      }
    }
  }

  /**
   * Applies verified notifications that arrived together (the callbacks' group commit), with the
   * same outcome each would have had on its own in this order. The payment notifications go in ONE
   * transaction with a few statements for all of them (applyPaymentsIn). If that transaction fails
   * for any reason (one notification that cannot be applied, a deadlock, the database), it is
   * rolled back and each notification is applied on its own (`apply`, one transaction each), so one
   * bad notification never holds back the others; it alone gets the error (the platform's failure
   * reply, and the platform delivers it again). Refund and transfer notifications go on their own.
   */
  async applyMany(vs: VerifiedNotification[]): Promise<BatchResult<ApplyOutcome>[]> {
    const started = performance.now();
    const results: (BatchResult<ApplyOutcome> | undefined)[] = vs.map(() => undefined);
    const payments = vs.flatMap((v, i) => (v.event.kind === 'payment' ? [i] : []));
    // A batch can collide with another batch or instance (the same notification taken twice, a deadlock): it is tried once more.
    let attempts = 0;
    for (let attempt = 1; payments.length && attempt <= 2; attempt++) {
      attempts = attempt;
      try {
        const outcomes = await this.store.transaction((tx) => this.applyPaymentsIn(tx, payments.map((i) => vs[i]!)));
        payments.forEach((i, k) => (results[i] = { ok: true, value: outcomes[k]! }));
        break;
      } catch (e) {
        if (attempt === 1 && isCollision(e)) {
          this.metrics.batchRetry(e);
          continue;
        }
        if (payments.length > 1) this.metrics.batchFallback(payments.length, e);
        break;
      }
    }
    const out: BatchResult<ApplyOutcome>[] = [];
    for (const [i, v] of vs.entries()) {
      let r = results[i];
      if (!r) {
        try {
          r = { ok: true, value: await this.apply(v) };
        } catch (error) {
          r = { ok: false, error };
        }
      }
      out.push(r);
    }
    this.metrics.batchApplied(vs.map((v) => v.platform), out.map((r) => (r.ok ? r.value : 'error')), performance.now() - started, attempts);
    return out;
  }

  /**
   * Payment notifications applied together in the caller's transaction, in arrival order, each with
   * exactly the outcome `apply` gives it: their inbox entries read at once (a notification id seen
   * before, or twice in the batch, is a duplicate), their orders read at once FOR UPDATE, each
   * decided against the state the earlier ones left, then one write per table for all of them
   * (OrderService.confirmPaymentsIn) and the new inbox entries written already settled. Anything
   * unexpected throws and the caller rolls the whole batch back.
   */
  private async applyPaymentsIn(tx: Tx, vs: VerifiedNotification[]): Promise<ApplyOutcome[]> {
    const key = (v: VerifiedNotification) => `${v.platform}:${v.notificationId}`;
    // The orders paid by the batch are locked first (FOR UPDATE, in order-number order), then the inbox
    // is read — sent together, one round trip. A batch that had to wait for another one's locks on the
    // same orders thus reads the inbox after that one committed and sees its notifications as
    // duplicates, instead of applying them again (which the order state would turn into "ignored")
    // and colliding on the inbox key. The order of a notification seen before is locked needlessly, harmlessly.
    const orderNos = vs.flatMap((v) => {
      const t = paidTrade(v.event as PaymentEvent);
      return t ? [t.orderNo] : [];
    });
    // Their pending payment transactions are locked in the same round trip (after the orders, as every path locks them).
    const [locked, known, pending] = await Promise.all([
      tx.orders.findManyByNo(orderNos, { forUpdate: true }),
      tx.inbox.states(vs.map((v) => ({ platform: v.platform, notificationId: v.notificationId }))),
      tx.transactions.pendingPayments(orderNos, { forUpdate: true }),
    ]);
    const seen = new Set<string>();
    const todo: { i: number; v: VerifiedNotification; t: PaymentEvent }[] = [];
    const outcomes: ApplyOutcome[] = vs.map(() => 'duplicate');
    for (const [i, v] of vs.entries()) {
      const entry = known.get(key(v));
      if (seen.has(key(v)) || (entry && entry.status !== 'received')) continue;
      seen.add(key(v));
      todo.push({ i, v, t: v.event as PaymentEvent });
    }
    const now = this.clock.now();
    const state = new Map(locked);
    const results: (Outcome | { confirmation: number })[] = [];
    const confirmations: Parameters<OrderService['confirmPaymentsIn']>[1][number][] = [];
    for (const { v, t: event } of todo) {
      const t = paidTrade(event);
      if (!t) {
        results.push({ kind: 'ignored', detail: `平台状态 ${event.state}，无需处理` });
        continue;
      }
      const order = state.get(t.orderNo) ?? null;
      const verdict = paymentVerdict(v.platform, t, order);
      if (verdict.kind === 'exception') {
        results.push(await this.recordException(tx, v.platform, t, verdict.exception, verdict.detail, `通知 ${v.notificationId}`, now));
        continue;
      }
      const paidAt = t.paidAt ?? now;
      results.push({ confirmation: confirmations.length });
      confirmations.push({ actor: { id: null, name: `${v.platform} 支付通知` }, confirmation: { orderNo: t.orderNo, amountFen: t.amountFen, gatewayTradeNo: t.platformTradeNo, paidAt }, order: locked.get(t.orderNo)! });
      if (order!.status === 'pending') state.set(t.orderNo, { ...order!, status: 'paid', paidFen: t.amountFen, paidAt, gatewayTradeNo: t.platformTradeNo });
    }
    const confirmed = await this.orders.confirmPaymentsIn(tx, confirmations, pending);
    const fresh: SettledInboxEntry[] = [];
    for (const [k, { i, v, t }] of todo.entries()) {
      const r = results[k]!;
      const source = `通知 ${v.notificationId}`;
      const outcome: Outcome = 'confirmation' in r ? (confirmed[r.confirmation]!.applied ? { kind: 'applied', detail: `${source}：支付成功` } : { kind: 'ignored', detail: `${source}：已是已支付` }) : r;
      outcomes[i] = outcome.kind;
      const entry = known.get(key(v));
      if (entry) tx.defer(tx.inbox.settle(entry.id, entry.version, outcome.kind, outcome.detail, now));
      else fresh.push({ platform: v.platform, notificationId: v.notificationId, eventKind: 'payment', refNo: t.orderNo, payload: v.payload, receivedAt: now, status: outcome.kind, outcome: outcome.detail, appliedAt: now });
    }
    // Sent without waiting (Tx.defer); a notification id someone else stored meanwhile fails it, and with it the batch.
    if (fresh.length) tx.defer(tx.inbox.insertSettled(fresh));
    return outcomes;
  }

  /** Money that cannot be taken: an open payment exception for refund (once per platform trade), audited. */
  private async recordException(tx: Tx, platform: Platform, t: PaidTrade, kind: PaymentException['kind'], detail: string, source: string, now: number): Promise<Outcome> {
    const recorded = await tx.payments.recordException({ orderNo: t.orderNo, platform, platformTradeNo: t.platformTradeNo, amountFen: t.amountFen, kind, detail, createdAt: now });
    if (recorded)
      await tx.audit.append({ actorId: null, actorName: SYSTEM_ACTOR.name, action: 'payment.exception', entityType: 'order', entityId: t.orderNo, before: null, after: snapshot({ kind, platform, platformTradeNo: t.platformTradeNo, amountFen: t.amountFen, source }) }, now);
    this.metrics.exception(platform, kind, t.orderNo);
    return { kind: 'exception', detail };
  }

  /** What a paid/closed trade at the platform means for our order, inside the caller's transaction. */
  private async applyTradeStatus(tx: Tx, platform: Platform, status: TradeStatus, source: string): Promise<Outcome> {
    const t = paidTrade(status);
    if (!t) return { kind: 'ignored', detail: `平台状态 ${status.state}，无需处理` };
    const order = await tx.orders.findByNo(t.orderNo, { forUpdate: true });
    const now = this.clock.now();
    const verdict = paymentVerdict(platform, t, order);
    if (verdict.kind === 'exception') return this.recordException(tx, platform, t, verdict.exception, verdict.detail, source, now);
    const [confirmed] = await this.orders.confirmPaymentsIn(tx, [{ actor: { id: null, name: `${platform} 支付通知` }, confirmation: { orderNo: order!.orderNo, amountFen: t.amountFen, gatewayTradeNo: t.platformTradeNo, paidAt: t.paidAt ?? now }, order: order! }]);
    const applied = confirmed!.applied;
    return { kind: applied ? 'applied' : 'ignored', detail: applied ? `${source}：支付成功` : `${source}：已是已支付` };
  }

  /** Asks the platform about an order whose notification has not come (active query, design document 5.2.3). */
  async sync(orderNo: string): Promise<TradeStatus | null> {
    const order = await this.store.read((r) => r.orders.findByNo(orderNo));
    if (!order) throw new DomainError('ORDER_NOT_FOUND', `订单 ${orderNo} 不存在`);
    if (!(await this.store.read((r) => r.payments.hasRequest(orderNo)))) return null;
    let status: TradeStatus;
    try {
      status = await this.gateways.get(order.method).queryPayment(orderNo);
    } catch (e) {
      // Alipay page/wap trades exist only once the payer opens the cashier: "no such trade" means not paid yet.
      if (e instanceof GatewayRejected && /NOT_EXIST|NOT_FOUND/.test(e.code)) return { orderNo, state: 'pending' };
      this.metrics.gatewayError(order.method, { op: 'queryPayment', error: e, orderNo });
      if (e instanceof GatewayOutcomeUnknown) throw new DomainError('GATEWAY_UNAVAILABLE', '支付平台暂时无响应，请稍后再查');
      if (e instanceof GatewayRejected) throw new DomainError('GATEWAY_REJECTED', `支付平台拒绝了查询：${e.message}（${e.code}）`);
      throw e;
    }
    this.metrics.queried(order.method, status.state, orderNo);
    if (status.state === 'paid') await this.store.transaction((tx) => this.applyTradeStatus(tx, order.method, status, '主动查询'));
    return status;
  }

  /**
   * Closes pending orders past their limit: first at the platform (so the payer can no longer pay),
   * then locally. A trade the platform reports as paid is applied instead of cancelled. Orders never
   * sent to a platform are simply cancelled. Orders are claimed with leases (OrderClaims), so
   * several server instances on one database never work on the same order.
   */
  async closeOverdue(limit = 100): Promise<{ cancelled: string[]; paid: string[]; claimed: string[] }> {
    const now = this.clock.now();
    const claimed = await this.store.transaction((tx) => tx.claims.claim('close_overdue', this.workerId, now, LEASE_MS, limit));
    const cancelled: string[] = [];
    const paid: string[] = [];
    for (const orderNo of claimed) {
      try {
        const o = await this.store.read((r) => r.orders.findByNo(orderNo));
        if (!o || o.status !== 'pending') continue;
        if (await this.store.read((r) => r.payments.hasRequest(orderNo))) {
          if (now - o.createdAt < MIN_AGE_BEFORE_CLOSE_MS) continue;
          const closed = await this.gateways.get(o.method).closePayment(orderNo);
          if (!closed.closed) {
            await this.store.transaction((tx) => this.applyTradeStatus(tx, o.method, closed.alreadyPaid, '关单时发现已支付'));
            paid.push(orderNo);
            continue;
          }
        }
        await this.store.transaction(async (tx) => {
          const current = await tx.orders.findByNo(orderNo, { forUpdate: true });
          if (!current || current.status !== 'pending') return;
          await this.orders.cancelInTx(tx, SYSTEM_ACTOR, orderNo, 'expired', current.version);
          cancelled.push(orderNo);
        });
      } catch (e) {
        // One order's trouble (platform down, a concurrent payment) must not stop the others; its lease runs out and a later run retries.
        if (!(e instanceof ConcurrentUpdateError || e instanceof GatewayOutcomeUnknown || e instanceof GatewayRejected || e instanceof DomainError)) throw e;
        continue;
      }
      await this.store.transaction((tx) => tx.claims.release(this.workerId, orderNo));
    }
    return { cancelled, paid, claimed };
  }

  /**
   * Active query (design document 5.2.3): unpaid orders sent to a platform more than a minute ago
   * whose notification has not come are asked about, each at most once a minute across instances.
   */
  async syncUnpaid(limit = 50): Promise<string[]> {
    const now = this.clock.now();
    const claimed = await this.store.transaction((tx) => tx.claims.claim('sync_unpaid', this.workerId, now, LEASE_MS, limit));
    const paid: string[] = [];
    for (const orderNo of claimed) {
      try {
        if ((await this.sync(orderNo))?.state === 'paid') paid.push(orderNo);
      } catch (e) {
        if (!(e instanceof GatewayOutcomeUnknown || e instanceof GatewayRejected || e instanceof DomainError)) throw e;
      }
      await this.store.transaction(async (tx) => {
        await tx.claims.markSynced(orderNo, this.clock.now());
        await tx.claims.release(this.workerId, orderNo);
      });
    }
    return paid;
  }

  /**
   * Before a person cancels a pending order that was sent to a platform, the platform trade is
   * closed so the payer can no longer pay. If the payer already paid, the payment is applied and the
   * cancel is refused (the money is there: refund it instead). If the platform cannot be reached or
   * refuses to close yet (WeChat: not in the first five minutes), the order is cancelled anyway: a
   * payment arriving later becomes a 已取消后到账 exception for refund, never a lost payment.
   */
  async closeBeforeCancel(orderNo: string): Promise<'closed' | 'not_sent' | 'not_closed'> {
    const order = await this.store.read((r) => r.orders.findByNo(orderNo));
    if (!order || order.status !== 'pending') return 'not_sent';
    if (!(await this.store.read((r) => r.payments.hasRequest(orderNo)))) return 'not_sent';
    let closed;
    try {
      closed = await this.gateways.get(order.method).closePayment(orderNo);
    } catch (e) {
      if (e instanceof GatewayOutcomeUnknown || e instanceof GatewayRejected || e instanceof DomainError) {
        this.metrics.gatewayError(order.method);
        return 'not_closed';
      }
      throw e;
    }
    if (closed.closed) return 'closed';
    await this.store.transaction((tx) => this.applyTradeStatus(tx, order.method, closed.alreadyPaid, '取消前关单时发现已支付'));
    throw new DomainError('ORDER_PAID_AT_PLATFORM', '付款人已在支付平台完成支付，订单已更新为已支付，不能取消；如需退款请走退款流程');
  }

  /** A person cancels a pending order: close at the platform first (closeBeforeCancel), then cancel here. */
  async cancel(actor: Actor, orderNo: string, reason: 'user' | 'admin', expectedVersion?: number) {
    await this.closeBeforeCancel(orderNo);
    return this.orders.cancel(actor, orderNo, reason, expectedVersion);
  }

  /** A clean stop gives back every order this instance still holds. */
  releaseAll(): Promise<void> {
    return this.store.transaction((tx) => tx.claims.release(this.workerId));
  }

  hasGateway(platform: Platform): boolean {
    return this.gateways.has(platform);
  }

  exceptions(status: 'open' | 'resolved' | undefined, page: number, pageSize: number) {
    return this.store.read((r) => r.payments.exceptions(status, page, pageSize));
  }
}
