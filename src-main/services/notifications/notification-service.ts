import { fenToYuanString } from '../../core/money';
import { maskRecipient, renderTemplate, templateLabel } from '../../core/notifications/notification-templates';
import type { Order } from '../../core/orders/order';
import { formatShanghai, type Clock } from '../../core/time';
import type { NewOutboxItem, OutboxFilter } from '../../db/repositories/outbox-repository';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import { ordersPaid, type OrderEvents } from '../orders/order-service';

/**
 * The notification outbox (issue 4): a message is written in the same transaction as the event
 * that causes it — a rolled-back payment leaves no "支付成功" behind — and sent later by the
 * NotificationDispatcher. Other features enqueue through `enqueue(tx, …)` (meal-bill reminders…).
 */
export class NotificationService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Inside the caller's transaction. Returns null when the dedupe key was already enqueued. */
  enqueue(tx: Tx, item: NewOutboxItem): Promise<number | null> {
    return tx.outbox.enqueue(item, this.clock.now());
  }

  /** Several items inside the caller's transaction, in one insert; a dedupe key already enqueued is skipped. */
  /** Sent without waiting for the answer (Tx.defer): the paying transaction's COMMIT waits for it. */
  enqueueMany(tx: Tx, items: NewOutboxItem[]): void {
    tx.defer(tx.outbox.enqueueMany(items, this.clock.now()));
  }

  enqueueNow(item: NewOutboxItem): Promise<number | null> {
    return this.store.transaction((tx) => this.enqueue(tx, item));
  }

  /** 通知记录: the recipient is masked here, so the full address never reaches a screen. */
  async list(f: OutboxFilter, page: number, pageSize: number) {
    const p = await this.store.read((r) => r.outbox.list(f, page, pageSize));
    return {
      ...p,
      items: p.items.map(({ recipient, params, ...i }) => ({ ...i, recipient: maskRecipient(recipient), templateLabel: templateLabel(i.templateCode), content: renderTemplate(i.templateCode, params) })),
    };
  }

  counts(): Promise<Record<string, number>> {
    return this.store.read((r) => r.outbox.countByStatus());
  }
}

/**
 * "支付成功" to the payer when an order becomes paid, inside the paying transaction. The payer id is
 * what the order carries (the mini-program user); resolving it to an openid / phone is the real
 * provider's job. Orders without a payer (desk payments) send nothing.
 */
export class PaidNotice implements OrderEvents {
  constructor(private readonly notifications: NotificationService) {}

  async orderPaid(tx: Tx, order: Order, _actor: Actor, at: number): Promise<void> {
    if (!order.payerId) return;
    await this.notifications.enqueue(tx, paidMessage(order, at));
  }

  /** A batch of paid orders: their messages in one insert. */
  async ordersPaid(tx: Tx, orders: Order[], _actor: Actor, at: number): Promise<void> {
    this.notifications.enqueueMany(tx, orders.filter((o) => o.payerId).map((o) => paidMessage(o, at)));
  }

  async orderCancelled(): Promise<void> {}
}

const paidMessage = (order: Order, at: number): NewOutboxItem => ({
  channel: 'wechat_template',
  recipient: order.payerId,
  templateCode: 'payment_success',
  params: { orderNo: order.orderNo, amount: fenToYuanString(order.paidFen), paidAt: formatShanghai(order.paidAt ?? at) },
  orderNo: order.orderNo,
  dedupeKey: `paid:${order.orderNo}`,
});

/** Several listeners of order events, called in order inside the same transaction. */
export function allOrderEvents(...listeners: OrderEvents[]): OrderEvents {
  return {
    orderPaid: async (tx, order, actor, at) => {
      for (const l of listeners) await l.orderPaid(tx, order, actor, at);
    },
    ordersPaid: async (tx, orders, actor, at) => {
      for (const l of listeners) await ordersPaid(l, tx, orders, actor, at);
    },
    orderCancelled: async (tx, order, actor, at) => {
      for (const l of listeners) await l.orderCancelled(tx, order, actor, at);
    },
  };
}
