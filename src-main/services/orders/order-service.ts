import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { checkFen, formatYuan, type Fen } from '../../core/money';
import type { Order, OrderFilter, OrderSortField, Page, PageRequest } from '../../core/orders/order';
import { expiresAt } from '../../core/orders/order-expiry';
import { applyOrderEvent } from '../../core/orders/order-state';
import type { CancelReason, OrderType, PaymentMethod } from '../../core/orders/order-types';
import type { Transaction } from '../../core/transactions/transaction';
import { assertTransactionTransition } from '../../core/transactions/transaction-types';
import type { Clock } from '../../core/time';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Store, Tx } from '../../db/store';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { NumberAllocator } from '../number-allocator';
import type { SettingsService } from '../settings/settings-service';

export interface CreateOrderInput {
  amountFen: Fen;
  method: PaymentMethod;
  type: OrderType;
  relatedId: string;
  description: string;
  payerId: string;
}

export interface OrderDetail {
  order: Order;
  transactions: Transaction[];
  history: AuditEntry[];
}

export interface PaymentConfirmation {
  orderNo: string;
  amountFen: Fen;
  gatewayTradeNo: string;
  paidAt: number;
}

const auditOrder = (o: Order) => snapshot({ ...o, version: undefined });

/**
 * What other domains need to hear about a payment order, inside the transaction that changed it:
 * a booking is confirmed by its paid deposit, meal bills are paid by their order. A listener that
 * throws rolls the whole change back, so an order and what hangs on it never disagree.
 */
export interface OrderEvents {
  orderPaid(tx: Tx, order: Order, actor: Actor, at: number): Promise<void>;
  orderCancelled(tx: Tx, order: Order, actor: Actor, at: number): Promise<void>;
  /** Several orders paid in one transaction (a batch of payment notifications); a listener without it gets `orderPaid` for each. */
  ordersPaid?(tx: Tx, orders: Order[], actor: Actor, at: number): Promise<void>;
}

/** Tells `events` about several paid orders: in one call when it takes batches, else one by one. */
export async function ordersPaid(events: OrderEvents, tx: Tx, orders: Order[], actor: Actor, at: number): Promise<void> {
  if (!orders.length) return;
  if (events.ordersPaid) return events.ordersPaid(tx, orders, actor, at);
  for (const o of orders) await events.orderPaid(tx, o, actor, at);
}

export const NO_ORDER_EVENTS: OrderEvents = { orderPaid: async () => {}, orderCancelled: async () => {} };

/**
 * Payment orders (支付订单, design document 4.1): creation with its pending payment transaction,
 * queries, cancellation by a person or by the expiry scheduler, and confirmation of a payment.
 * Each use case is one database transaction that also writes its audit entry.
 */
export class OrderService {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly numbers: NumberAllocator,
    private readonly clock: Clock,
    private readonly events: OrderEvents = NO_ORDER_EVENTS,
  ) {}

  async create(actor: Actor, input: CreateOrderInput): Promise<Order> {
    return this.store.transaction((tx) => this.createIn(tx, actor, input));
  }

  /** create inside the caller's transaction (a booking and its deposit order commit together). */
  async createIn(tx: Tx, actor: Actor, input: CreateOrderInput): Promise<Order> {
    const rules = await this.settings.orderSettings(tx);
    checkFen(input.amountFen);
    if (input.amountFen > rules.maxOrderAmountFen)
      throw new DomainError('AMOUNT_TOO_LARGE', `金额超过单笔上限 ${formatYuan(rules.maxOrderAmountFen)}`);
    const now = this.clock.now();
    const order = await this.numbers.insertWithFreshNumber('P', now, async (orderNo) => {
      const o: Order = {
        orderNo,
        amountFen: input.amountFen,
        paidFen: 0,
        refundedFen: 0,
        method: input.method,
        type: input.type,
        status: 'pending',
        relatedId: input.relatedId,
        description: input.description,
        payerId: input.payerId,
        createdBy: actor.id,
        createdAt: now,
        expireAt: expiresAt(input.type, now, rules.expiryMinutes),
        paidAt: null,
        cancelledAt: null,
        cancelReason: null,
        gatewayTradeNo: null,
        version: 1,
      };
      await tx.orders.insert(o);
      return o;
    });
    await this.numbers.insertWithFreshNumber('T', now, (transactionNo) =>
      tx.transactions.insert({
        transactionNo,
        orderNo: order.orderNo,
        method: order.method,
        amountFen: order.amountFen,
        status: 'pending',
        type: 'payment',
        gatewayTradeNo: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await this.audit(tx, actor, 'order.create', order.orderNo, null, auditOrder(order), now);
    return order;
  }

  async get(orderNo: string): Promise<OrderDetail> {
    return this.store.read(async (r) => {
      const order = await r.orders.findByNo(orderNo);
      if (!order) throw new DomainError('ORDER_NOT_FOUND', `订单 ${orderNo} 不存在`);
      const [transactions, history] = await Promise.all([r.transactions.findByOrder(orderNo), r.audit.forEntity('order', orderNo)]);
      return { order, transactions, history };
    });
  }

  list(filter: OrderFilter, page: PageRequest<OrderSortField>): Promise<Page<Order>> {
    return this.store.read((r) => r.orders.list(filter, page));
  }

  /** Cancels a pending order. `expectedVersion` guards against cancelling something that changed on screen. */
  async cancel(actor: Actor, orderNo: string, reason: CancelReason, expectedVersion?: number): Promise<Order> {
    return this.store.transaction((tx) => this.cancelIn(tx, actor, orderNo, reason, expectedVersion));
  }

  private async cancelIn(tx: Tx, actor: Actor, orderNo: string, reason: CancelReason, expectedVersion?: number): Promise<Order> {
    const order = await tx.orders.findByNo(orderNo, { forUpdate: true });
    if (!order) throw new DomainError('ORDER_NOT_FOUND', `订单 ${orderNo} 不存在`);
    if (expectedVersion !== undefined && expectedVersion !== order.version) throw new ConcurrentUpdateError();
    const next = applyOrderEvent(order, { kind: 'cancel', reason });
    const now = this.clock.now();
    await tx.orders.update(orderNo, order.version, { status: next.status, cancelledAt: now, cancelReason: reason });
    for (const t of await tx.transactions.findByOrder(orderNo)) {
      if (t.type !== 'payment' || t.status !== 'pending') continue;
      assertTransactionTransition(t.status, 'failed');
      await tx.transactions.updateStatus(t.transactionNo, t.version, 'failed', now);
    }
    const after: Order = { ...order, status: next.status, cancelledAt: now, cancelReason: reason, version: order.version + 1 };
    await this.audit(tx, actor, reason === 'expired' ? 'order.expire' : 'order.cancel', orderNo, auditOrder(order), auditOrder(after), now);
    await this.events.orderCancelled(tx, after, actor, now);
    return after;
  }

  /**
   * Cancels pending orders past their payment limit (design document 2.1.3). Each order is its own
   * transaction guarded by its version, so a payment arriving at the same moment wins cleanly and
   * two schedulers never cancel the same order twice. Returns the order numbers cancelled.
   */
  async expireOverdue(limit = 200): Promise<string[]> {
    const overdue = await this.store.read((r) => r.orders.findExpiredPending(this.clock.now(), limit));
    const cancelled: string[] = [];
    for (const o of overdue) {
      try {
        await this.store.transaction(async (tx) => {
          const current = await tx.orders.findByNo(o.orderNo, { forUpdate: true });
          if (!current || current.status !== 'pending' || current.expireAt > this.clock.now()) return;
          await this.cancelIn(tx, SYSTEM_ACTOR, o.orderNo, 'expired', current.version);
          cancelled.push(o.orderNo);
        });
      } catch (e) {
        if (!(e instanceof ConcurrentUpdateError)) throw e;
      }
    }
    return cancelled;
  }

  /**
   * Records that the platform collected the money. Idempotent: the same confirmation again changes
   * nothing and reports `applied: false`; a different amount or a second trade is refused.
   */
  async confirmPayment(actor: Actor, p: PaymentConfirmation): Promise<{ order: Order; applied: boolean }> {
    return this.store.transaction((tx) => this.confirmPaymentIn(tx, actor, p));
  }

  /** confirmPayment inside the caller's transaction (the notification inbox applies it with its own writes). */
  async confirmPaymentIn(tx: Tx, actor: Actor, p: PaymentConfirmation): Promise<{ order: Order; applied: boolean }> {
    const order = await tx.orders.findByNo(p.orderNo, { forUpdate: true });
    if (!order) throw new DomainError('ORDER_NOT_FOUND', `订单 ${p.orderNo} 不存在`);
    return (await this.confirmPaymentsIn(tx, [{ actor, confirmation: p, order }]))[0]!;
  }

  /**
   * Several payment confirmations in the caller's transaction with a few statements for all of them
   * (a batch of payment notifications): each `order` must have been read FOR UPDATE in this
   * transaction. They are decided in the given order, each against the state the earlier ones left,
   * so a second confirmation of the same trade is "not applied"; one that cannot pay its order
   * throws, before anything is written. Then one UPDATE for the orders, one read and one UPDATE
   * for their pending payment transactions, the audit entries and the order events.
   */
  /**
   * `pendingPayments`: the orders' pending payment transactions, already read FOR UPDATE in this
   * transaction by the caller (the batched notification path reads them with the orders, in one
   * round trip); read here otherwise.
   */
  async confirmPaymentsIn(tx: Tx, payments: readonly { actor: Actor; confirmation: PaymentConfirmation; order: Order }[], pendingPayments?: ReadonlyMap<string, Transaction>): Promise<{ order: Order; applied: boolean }[]> {
    const current = new Map<string, Order>();
    const paid: { actor: Actor; before: Order; after: Order }[] = [];
    const results = payments.map(({ actor, confirmation: p, order: read }) => {
      const order = current.get(p.orderNo) ?? read;
      if (order.status !== 'pending' && order.gatewayTradeNo === p.gatewayTradeNo && order.paidFen === p.amountFen) return { order, applied: false };
      const next = applyOrderEvent(order, { kind: 'pay', amountFen: p.amountFen });
      const after: Order = { ...order, status: next.status, paidFen: next.paidFen, paidAt: p.paidAt, gatewayTradeNo: p.gatewayTradeNo, version: order.version + 1 };
      current.set(p.orderNo, after);
      paid.push({ actor, before: order, after });
      return { order: after, applied: true };
    });
    if (!paid.length) return results;
    const now = this.clock.now();
    // Sent without waiting (Tx.defer): the locking read below goes out right behind it; COMMIT waits for both.
    tx.defer(tx.orders.updateMany(paid.map(({ before, after }) => ({ orderNo: before.orderNo, version: before.version, patch: { status: after.status, paidFen: after.paidFen, paidAt: after.paidAt, gatewayTradeNo: after.gatewayTradeNo } }))));
    const pending = pendingPayments ?? (await tx.transactions.pendingPayments(paid.map((x) => x.after.orderNo), { forUpdate: true }));
    const updates = [];
    for (const { after } of paid) {
      const t = pending.get(after.orderNo);
      if (t) {
        assertTransactionTransition(t.status, 'success');
        updates.push({ transactionNo: t.transactionNo, version: t.version, status: 'success' as const, at: now, gatewayTradeNo: after.gatewayTradeNo });
      } else {
        await this.numbers.insertWithFreshNumber('T', now, (transactionNo) =>
          tx.transactions.insert({
            transactionNo,
            orderNo: after.orderNo,
            method: after.method,
            amountFen: after.paidFen,
            status: 'success',
            type: 'payment',
            gatewayTradeNo: after.gatewayTradeNo,
            createdAt: now,
            updatedAt: now,
          }),
        );
      }
    }
    if (updates.length) tx.defer(tx.transactions.updateStatusMany(updates));
    for (const { actor, before, after } of paid) await this.audit(tx, actor, 'order.pay', after.orderNo, auditOrder(before), auditOrder(after), now);
    const byActor = new Map<string, { actor: Actor; orders: Order[] }>();
    for (const { actor, after } of paid) {
      const k = `${actor.id}:${actor.name}`;
      const group = byActor.get(k) ?? { actor, orders: [] };
      group.orders.push(after);
      byActor.set(k, group);
    }
    for (const { actor, orders } of byActor.values()) await ordersPaid(this.events, tx, orders, actor, now);
    return results;
  }

  /** Cancels inside the caller's transaction (e.g. after the platform confirmed the close). */
  cancelInTx(tx: Tx, actor: Actor, orderNo: string, reason: CancelReason, expectedVersion?: number): Promise<Order> {
    return this.cancelIn(tx, actor, orderNo, reason, expectedVersion);
  }

  private audit(tx: Tx, actor: Actor, action: string, orderNo: string, before: string | null, after: string | null, at: number) {
    return tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'order', entityId: orderNo, before, after }, at);
  }
}
