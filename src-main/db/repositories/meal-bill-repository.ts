import type { EntityManager } from 'typeorm';
import type { InvoiceKind, InvoiceRequest, InvoiceStatus, InvoiceTitleType } from '../../core/meal-bills/invoice-request';
import type { Meal, MealBill, MealBillItem, MealBillStatus } from '../../core/meal-bills/meal-bill';
import type { Page } from '../../core/orders/order';
import { int, intOrNull } from '../bulk-insert';
import { MealBillEntity, MealBillInvoiceEntity, MealBillItemEntity, type MealBillInvoiceRow, type MealBillItemRow, type MealBillRow } from '../entities/meal-bill-entities';
import { ConcurrentUpdateError } from './concurrency';

function billFromRow(r: MealBillRow): MealBill {
  return {
    billNo: r.bill_no, stayNo: r.stay_no, roomNo: r.room_no, payerId: r.payer_id, guestName: r.guest_name, status: r.status as MealBillStatus,
    totalFen: int(r.total_fen), orderNo: r.order_no, dueAt: intOrNull(r.due_at), createdBy: intOrNull(r.created_by), createdAt: int(r.created_at),
    paidAt: intOrNull(r.paid_at), cancelledAt: intOrNull(r.cancelled_at), version: int(r.version),
  };
}

function itemFromRow(r: MealBillItemRow): MealBillItem {
  return {
    lineNo: int(r.line_no), serviceDate: r.service_date, meal: r.meal as Meal, description: r.description, quantity: int(r.quantity),
    unitPriceFen: int(r.unit_price_fen), amountFen: int(r.amount_fen),
  };
}

function invoiceFromRow(r: MealBillInvoiceRow): InvoiceRequest {
  return {
    billNo: r.bill_no, kind: r.kind as InvoiceKind, titleType: r.title_type as InvoiceTitleType, title: r.title, taxId: r.tax_id, email: r.email,
    postalAddress: r.postal_address, recipient: r.recipient, phone: r.phone, status: r.status as InvoiceStatus,
    requestedBy: intOrNull(r.requested_by), requestedAt: int(r.requested_at),
  };
}

export interface MealBillFilter {
  stayNo?: string;
  roomNo?: string;
  billNo?: string;
  statuses?: MealBillStatus[];
}

export type MealBillPatch = Partial<Pick<MealBill, 'status' | 'totalFen' | 'orderNo' | 'dueAt' | 'paidAt' | 'cancelledAt'>>;

const PATCH_COLUMNS: Record<keyof MealBillPatch, keyof MealBillRow> = {
  status: 'status', totalFen: 'total_fen', orderNo: 'order_no', dueAt: 'due_at', paidAt: 'paid_at', cancelledAt: 'cancelled_at',
};

export class MealBillRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  async insert(b: Omit<MealBill, 'version'>): Promise<void> {
    const row: Omit<MealBillRow, 'id'> = {
      bill_no: b.billNo, stay_no: b.stayNo, room_no: b.roomNo, payer_id: b.payerId, guest_name: b.guestName, status: b.status, total_fen: b.totalFen,
      order_no: b.orderNo, due_at: b.dueAt, created_by: b.createdBy, created_at: b.createdAt, paid_at: b.paidAt, cancelled_at: b.cancelledAt,
      version: 1, updated_seq: this.nextSeq(),
    };
    await this.em.createQueryBuilder().insert().into(MealBillEntity).values(row).execute();
  }

  async insertItems(billNo: string, items: readonly MealBillItem[], at: number): Promise<void> {
    if (!items.length) return;
    const rows: Omit<MealBillItemRow, 'id'>[] = items.map((i) => ({
      bill_no: billNo, line_no: i.lineNo, service_date: i.serviceDate, meal: i.meal, description: i.description, quantity: i.quantity,
      unit_price_fen: i.unitPriceFen, amount_fen: i.amountFen, created_at: at, version: 1, updated_seq: this.nextSeq(),
    }));
    await this.em.createQueryBuilder().insert().into(MealBillItemEntity).values(rows).execute();
  }

  async findByNo(billNo: string, opts: { forUpdate?: boolean } = {}): Promise<MealBill | null> {
    const qb = this.em.createQueryBuilder(MealBillEntity, 'b').where('b.bill_no = :billNo', { billNo });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? billFromRow(row) : null;
  }

  /** Bills of a stay (all statuses), oldest first; `forUpdate` locks them for a checkout. */
  async findByStay(stayNo: string, opts: { forUpdate?: boolean } = {}): Promise<MealBill[]> {
    const qb = this.em.createQueryBuilder(MealBillEntity, 'b').where('b.stay_no = :stayNo', { stayNo }).orderBy('b.created_at', 'ASC').addOrderBy('b.id', 'ASC');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    return (await qb.getMany()).map(billFromRow);
  }

  async findByOrder(orderNo: string): Promise<MealBill[]> {
    const qb = this.em.createQueryBuilder(MealBillEntity, 'b').where('b.order_no = :orderNo', { orderNo }).orderBy('b.id', 'ASC');
    if (this.lockRows) qb.setLock('pessimistic_write');
    return (await qb.getMany()).map(billFromRow);
  }

  async items(billNo: string): Promise<MealBillItem[]> {
    const rows = await this.em.createQueryBuilder(MealBillItemEntity, 'i').where('i.bill_no = :billNo', { billNo }).orderBy('i.line_no', 'ASC').getMany();
    return rows.map(itemFromRow);
  }

  async list(f: MealBillFilter, page: number, pageSize: number): Promise<Page<MealBill>> {
    const qb = this.em.createQueryBuilder(MealBillEntity, 'b');
    if (f.stayNo) qb.andWhere('b.stay_no = :stayNo', { stayNo: f.stayNo });
    if (f.roomNo) qb.andWhere('b.room_no = :roomNo', { roomNo: f.roomNo });
    if (f.billNo) qb.andWhere('b.bill_no = :billNo', { billNo: f.billNo });
    if (f.statuses?.length) qb.andWhere('b.status IN (:...statuses)', { statuses: f.statuses });
    const [rows, total] = await qb.orderBy('b.created_at', 'DESC').addOrderBy('b.id', 'DESC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(billFromRow), total, page, pageSize };
  }

  /** Open bills whose payment limit has passed, most overdue first. */
  async overdue(now: number, limit: number): Promise<MealBill[]> {
    const rows = await this.em
      .createQueryBuilder(MealBillEntity, 'b')
      .where('b.status = :status AND b.due_at IS NOT NULL AND b.due_at <= :now', { status: 'open', now })
      .orderBy('b.due_at', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map(billFromRow);
  }

  async update(billNo: string, version: number, patch: MealBillPatch): Promise<void> {
    const set: Record<string, unknown> = { version: version + 1, updated_seq: this.nextSeq() };
    for (const [k, v] of Object.entries(patch)) set[PATCH_COLUMNS[k as keyof MealBillPatch]] = v;
    const res = await this.em.createQueryBuilder().update(MealBillEntity).set(set).where('bill_no = :billNo AND version = :version', { billNo, version }).execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async insertInvoice(i: InvoiceRequest): Promise<void> {
    const row: Omit<MealBillInvoiceRow, 'id'> = {
      bill_no: i.billNo, kind: i.kind, title_type: i.titleType, title: i.title, tax_id: i.taxId, email: i.email, postal_address: i.postalAddress,
      recipient: i.recipient, phone: i.phone, status: i.status, requested_by: i.requestedBy, requested_at: i.requestedAt, version: 1, updated_seq: this.nextSeq(),
    };
    await this.em.createQueryBuilder().insert().into(MealBillInvoiceEntity).values(row).execute();
  }

  async invoice(billNo: string): Promise<InvoiceRequest | null> {
    const row = await this.em.createQueryBuilder(MealBillInvoiceEntity, 'i').where('i.bill_no = :billNo', { billNo }).getOne();
    return row ? invoiceFromRow(row) : null;
  }
}
