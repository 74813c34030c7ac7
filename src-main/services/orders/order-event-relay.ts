import type { Order } from '../../core/orders/order';
import type { OrderType } from '../../core/orders/order-types';
import type { Tx } from '../../db/store';
import type { Actor } from '../actor';
import { ordersPaid, type OrderEvents } from './order-service';

/**
 * Hands each order event to the domain that owns orders of its type (booking deposits, meal bills).
 * Built before the services that listen, because they need the OrderService that reports to it.
 */
export class OrderEventRelay implements OrderEvents {
  private readonly listeners = new Map<OrderType, OrderEvents>();

  listen(type: OrderType, listener: OrderEvents): void {
    if (this.listeners.has(type)) throw new Error(`order events for ${type} already have a listener`);
    this.listeners.set(type, listener);
  }

  async orderPaid(tx: Tx, order: Order, actor: Actor, at: number): Promise<void> {
    await this.listeners.get(order.type)?.orderPaid(tx, order, actor, at);
  }

  async ordersPaid(tx: Tx, orders: Order[], actor: Actor, at: number): Promise<void> {
    const byType = new Map<OrderType, Order[]>();
    for (const o of orders) byType.set(o.type, [...(byType.get(o.type) ?? []), o]);
    for (const [type, some] of byType) {
      const listener = this.listeners.get(type);
      if (listener) await ordersPaid(listener, tx, some, actor, at);
    }
  }

  async orderCancelled(tx: Tx, order: Order, actor: Actor, at: number): Promise<void> {
    await this.listeners.get(order.type)?.orderCancelled(tx, order, actor, at);
  }
}
