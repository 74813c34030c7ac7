import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { maskedInvoice, validateInvoiceRequest, type InvoiceRequest, type InvoiceRequestInput } from '../../core/meal-bills/invoice-request';
import { assertBillOpen, assertTotalMatches, billTotalFen, numberItems, type MealBill, type MealBillItem, type MealBillItemInput } from '../../core/meal-bills/meal-bill';
import type { Order, Page } from '../../core/orders/order';
import type { Clock } from '../../core/time';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { MealBillFilter } from '../../db/repositories/meal-bill-repository';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { NumberAllocator } from '../number-allocator';

export interface CreateMealBillInput {
  stayNo: string;
  roomNo: string;
  payerId: string;
  guestName: string;
  items: MealBillItemInput[];
}

/** A bill as lists show it: `overdue` when its payment limit has passed and it is still open. */
export type MealBillView = MealBill & { overdue: boolean };

export interface MealBillDetail {
  bill: MealBillView;
  items: MealBillItem[];
  invoice: InvoiceRequest | null;
  order: Order | null;
  history: AuditEntry[];
}

export const auditBill = (b: MealBill) => snapshot({ ...b, version: undefined });

export function isOverdue(b: Pick<MealBill, 'status' | 'dueAt'>, now: number): boolean {
  return b.status === 'open' && b.dueAt !== null && b.dueAt <= now;
}

/** Reads a bill under lock and checks that it is still the version the user saw. */
export async function lockBill(tx: Tx, billNo: string, expectedVersion?: number): Promise<MealBill> {
  const bill = await tx.mealBills.findByNo(billNo, { forUpdate: true });
  if (!bill) throw new DomainError('BILL_NOT_FOUND', `账单 ${billNo} 不存在`);
  if (expectedVersion !== undefined && expectedVersion !== bill.version) throw new ConcurrentUpdateError();
  return bill;
}

export function auditMealBill(tx: Tx, actor: Actor, action: string, billNo: string, before: string | null, after: string | null, at: number) {
  return tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'meal_bill', entityId: billNo, before, after }, at);
}

/**
 * 餐费账单 (design document 2.2): itemized bills of a stay, their invoice requests and the overdue
 * list. Payment (one bill, or every open bill of a stay at checkout) is MealBillPayments.
 */
export class MealBillService {
  constructor(
    private readonly store: Store,
    private readonly numbers: NumberAllocator,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: CreateMealBillInput): Promise<MealBill> {
    const items = numberItems(0, input.items);
    const totalFen = billTotalFen(items);
    return this.store.transaction(async (tx) => {
      const now = this.clock.now();
      const bill = await this.numbers.insertWithFreshNumber('M', now, async (billNo) => {
        const b: MealBill = {
          billNo, stayNo: input.stayNo, roomNo: input.roomNo, payerId: input.payerId, guestName: input.guestName, status: 'open', totalFen,
          orderNo: null, dueAt: null, createdBy: actor.id, createdAt: now, paidAt: null, cancelledAt: null, version: 1,
        };
        await tx.mealBills.insert(b);
        return b;
      });
      await tx.mealBills.insertItems(bill.billNo, items, now);
      await auditMealBill(tx, actor, 'mealbill.create', bill.billNo, null, snapshot({ ...bill, version: undefined, items }), now);
      return bill;
    });
  }

  /** Items can be added while the bill is open and no payment order is waiting for its amount. */
  async addItems(actor: Actor, billNo: string, inputs: MealBillItemInput[], expectedVersion?: number): Promise<MealBill> {
    return this.store.transaction(async (tx) => {
      const bill = await lockBill(tx, billNo, expectedVersion);
      assertBillOpen(bill);
      if (bill.orderNo) throw new DomainError('BILL_AWAITING_PAYMENT', `账单已生成待支付订单 ${bill.orderNo}，不能再添加明细；请先取消该订单`);
      const existing = await tx.mealBills.items(billNo);
      assertTotalMatches(bill, existing);
      const added = numberItems(existing.length, inputs);
      const totalFen = billTotalFen([...existing, ...added]);
      const now = this.clock.now();
      await tx.mealBills.insertItems(billNo, added, now);
      await tx.mealBills.update(billNo, bill.version, { totalFen });
      const after: MealBill = { ...bill, totalFen, version: bill.version + 1 };
      await auditMealBill(tx, actor, 'mealbill.addItems', billNo, auditBill(bill), snapshot({ ...after, version: undefined, items: added }), now);
      return after;
    });
  }

  /** Voids a bill entered by mistake (before any payment order). */
  async cancel(actor: Actor, billNo: string, expectedVersion?: number): Promise<MealBill> {
    return this.store.transaction(async (tx) => {
      const bill = await lockBill(tx, billNo, expectedVersion);
      assertBillOpen(bill);
      if (bill.orderNo) throw new DomainError('BILL_AWAITING_PAYMENT', `账单已生成待支付订单 ${bill.orderNo}，请先取消该订单`);
      const now = this.clock.now();
      await tx.mealBills.update(billNo, bill.version, { status: 'cancelled', cancelledAt: now });
      const after: MealBill = { ...bill, status: 'cancelled', cancelledAt: now, version: bill.version + 1 };
      await auditMealBill(tx, actor, 'mealbill.cancel', billNo, auditBill(bill), auditBill(after), now);
      return after;
    });
  }

  async requestInvoice(actor: Actor, billNo: string, input: InvoiceRequestInput): Promise<InvoiceRequest> {
    const valid = validateInvoiceRequest(input);
    return this.store.transaction(async (tx) => {
      const bill = await lockBill(tx, billNo);
      if (bill.status === 'cancelled') throw new DomainError('BILL_CANCELLED', `账单 ${billNo} 已作废，不能开票`);
      if (await tx.mealBills.invoice(billNo)) throw new DomainError('INVOICE_EXISTS', '该账单已申请过发票');
      const now = this.clock.now();
      const request: InvoiceRequest = { ...valid, billNo, status: 'requested', requestedBy: actor.id, requestedAt: now };
      await tx.mealBills.insertInvoice(request);
      await auditMealBill(tx, actor, 'mealbill.invoice', billNo, null, snapshot(maskedInvoice(request)), now);
      return maskedInvoice(request);
    });
  }

  async get(billNo: string): Promise<MealBillDetail> {
    const now = this.clock.now();
    return this.store.read(async (r) => {
      const bill = await r.mealBills.findByNo(billNo);
      if (!bill) throw new DomainError('BILL_NOT_FOUND', `账单 ${billNo} 不存在`);
      const [items, invoice, history] = await Promise.all([r.mealBills.items(billNo), r.mealBills.invoice(billNo), r.audit.forEntity('meal_bill', billNo)]);
      assertTotalMatches(bill, items);
      // A paid bill keeps the order that paid it; a cancelled order lets go of its bills.
      const order = bill.orderNo ? await r.orders.findByNo(bill.orderNo) : null;
      return { bill: { ...bill, overdue: isOverdue(bill, now) }, items, invoice: invoice && maskedInvoice(invoice), order, history };
    });
  }

  async list(filter: MealBillFilter, page: number, pageSize: number): Promise<Page<MealBillView>> {
    const now = this.clock.now();
    const p = await this.store.read((r) => r.mealBills.list(filter, page, pageSize));
    return { ...p, items: p.items.map((b) => ({ ...b, overdue: isOverdue(b, now) })) };
  }

  /**
   * Open bills past their 24-hour payment limit (design document 2.2.3): the reminder job hands
   * these to the notification outbox; the UI marks them 逾期.
   */
  async overdueMealBills(now: number, limit = 500): Promise<MealBillView[]> {
    const bills = await this.store.read((r) => r.mealBills.overdue(now, limit));
    return bills.map((b) => ({ ...b, overdue: true }));
  }
}
