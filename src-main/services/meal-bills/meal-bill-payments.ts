import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { assertBillOpen, assertTotalMatches, billTotalFen, type MealBill } from '../../core/meal-bills/meal-bill';
import type { Order } from '../../core/orders/order';
import type { PaymentMethod } from '../../core/orders/order-types';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { OrderEvents, OrderService } from '../orders/order-service';
import { auditBill, auditMealBill, lockBill } from './meal-bill-service';

/**
 * Paying meal bills (design document 2.2.2): one bill, or every open bill of a stay together at
 * checkout, each through ONE meal_bill payment order. The bills point at the order (`order_no`);
 * when the order is paid every bill on it is paid in the same transaction; when it is cancelled or
 * expires the bills are let go, stay open, and keep their due time (so they show as 逾期).
 * While an order waits, its bills take no new items: the order's amount is their sum.
 */
export class MealBillPayments implements OrderEvents {
  constructor(
    private readonly store: Store,
    private readonly orders: OrderService,
  ) {}

  /** The payment order for one bill; asking again while it waits returns the same order. */
  async payOne(actor: Actor, billNo: string, method: PaymentMethod): Promise<Order> {
    return this.store.transaction(async (tx) => {
      const bill = await lockBill(tx, billNo);
      assertBillOpen(bill);
      if (bill.orderNo) return this.waitingOrder(tx, bill.orderNo);
      return this.issue(tx, actor, [bill], method, billNo, `餐费账单 ${billNo}（房间 ${bill.roomNo}）`);
    });
  }

  /** One payment order for every open bill of the stay (退房结算). */
  async checkout(actor: Actor, stayNo: string, method: PaymentMethod): Promise<Order> {
    return this.store.transaction(async (tx) => {
      const open = (await tx.mealBills.findByStay(stayNo, { forUpdate: true })).filter((b) => b.status === 'open');
      if (!open.length) throw new DomainError('NO_OPEN_BILLS', `住宿 ${stayNo} 没有待结算的餐费账单`);
      const waiting = [...new Set(open.map((b) => b.orderNo).filter((n): n is string => n !== null))];
      if (waiting.length === 1 && open.every((b) => b.orderNo === waiting[0])) return this.waitingOrder(tx, waiting[0]!);
      if (waiting.length)
        throw new DomainError('BILL_AWAITING_PAYMENT', `账单 ${open.find((b) => b.orderNo)!.billNo} 已有待支付订单 ${waiting[0]!}，请先在收款台完成或取消该订单后再合并结算`);
      const rooms = [...new Set(open.map((b) => b.roomNo))].join('、');
      return this.issue(tx, actor, open, method, stayNo, `退房结算：${open.length} 张餐费账单（房间 ${rooms}）`);
    });
  }

  private async waitingOrder(tx: Tx, orderNo: string): Promise<Order> {
    const order = await tx.orders.findByNo(orderNo);
    if (!order) throw new Error(`meal bill points at missing order ${orderNo}`);
    return order;
  }

  private async issue(tx: Tx, actor: Actor, bills: MealBill[], method: PaymentMethod, relatedId: string, description: string): Promise<Order> {
    for (const b of bills) assertTotalMatches(b, await tx.mealBills.items(b.billNo));
    const amountFen = billTotalFen(bills.map((b) => ({ amountFen: b.totalFen })));
    const payers = [...new Set(bills.map((b) => b.payerId))];
    const order = await this.orders.createIn(tx, actor, { amountFen, method, type: 'meal_bill', relatedId, description, payerId: payers.length === 1 ? payers[0]! : '' });
    for (const b of bills) {
      const dueAt = b.dueAt ?? order.expireAt;
      await tx.mealBills.update(b.billNo, b.version, { orderNo: order.orderNo, dueAt });
      const after: MealBill = { ...b, orderNo: order.orderNo, dueAt, version: b.version + 1 };
      await auditMealBill(tx, actor, bills.length > 1 ? 'mealbill.checkout' : 'mealbill.order', b.billNo, auditBill(b), auditBill(after), order.createdAt);
    }
    return order;
  }

  async orderPaid(tx: Tx, order: Order, actor: Actor, at: number): Promise<void> {
    for (const b of await tx.mealBills.findByOrder(order.orderNo)) {
      if (b.status !== 'open') continue;
      const paidAt = order.paidAt ?? at;
      await tx.mealBills.update(b.billNo, b.version, { status: 'paid', paidAt });
      await auditMealBill(tx, actor, 'mealbill.paid', b.billNo, auditBill(b), auditBill({ ...b, status: 'paid', paidAt }), at);
    }
  }

  async orderCancelled(tx: Tx, order: Order, actor: Actor, at: number): Promise<void> {
    for (const b of await tx.mealBills.findByOrder(order.orderNo)) {
      if (b.status !== 'open') continue;
      await tx.mealBills.update(b.billNo, b.version, { orderNo: null });
      await auditMealBill(tx, actor, 'mealbill.release', b.billNo, auditBill(b), snapshot({ ...b, orderNo: null, version: undefined, cancelledOrder: order.orderNo }), at);
    }
  }
}
