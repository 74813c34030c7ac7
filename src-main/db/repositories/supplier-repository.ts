import type { EntityManager } from 'typeorm';
import type { Page } from '../../core/orders/order';
import type {
  Allocation, Payable, PayableStatus, PayeeChannel, Supplier, SupplierFields, SupplierPayment, SupplierPaymentStatus, TransferState,
} from '../../core/suppliers/supplier-payment';
import { int, intOrNull } from '../bulk-insert';
import {
  PayableEntity, SupplierEntity, SupplierPaymentEntity, SupplierPaymentPayableEntity,
  type PayableRow, type SupplierPaymentRow, type SupplierRow,
} from '../entities/supplier-entities';
import { ConcurrentUpdateError } from './concurrency';

function supplierFromRow(r: SupplierRow): Supplier {
  return {
    id: int(r.id), name: r.name, payeeChannel: r.payee_channel as PayeeChannel, bankName: r.bank_name, bankBranch: r.bank_branch, accountNo: r.account_no,
    accountName: r.account_name, wechatOpenId: r.wechat_openid, alipayLogin: r.alipay_login, contactPhone: r.contact_phone,
    paymentTermDays: int(r.payment_term_days), active: int(r.active) === 1, createdAt: int(r.created_at), version: int(r.version),
  };
}

function payableFromRow(r: PayableRow): Payable {
  return {
    id: int(r.id), supplierId: int(r.supplier_id), referenceNo: r.reference_no, description: r.description, amountFen: int(r.amount_fen),
    paidFen: int(r.paid_fen), reservedFen: int(r.reserved_fen), invoiceDate: r.invoice_date, dueDate: r.due_date, status: r.status as PayableStatus,
    createdAt: int(r.created_at), version: int(r.version),
  };
}

function paymentFromRow(r: SupplierPaymentRow): SupplierPayment {
  return {
    paymentNo: r.payment_no, supplierId: int(r.supplier_id), status: r.status as SupplierPaymentStatus, amountFen: int(r.amount_fen), purpose: r.purpose,
    payeeChannel: r.payee_channel as PayeeChannel | null, payeeAccount: r.payee_account, payeeName: r.payee_name, payeeBank: r.payee_bank,
    transferNo: r.transfer_no, attempt: int(r.attempt), platformTransferNo: r.platform_transfer_no, transferState: r.transfer_state as TransferState | null,
    failReason: r.fail_reason, retryable: r.retryable === null ? null : int(r.retryable) === 1, voucherNo: r.voucher_no, createdBy: intOrNull(r.created_by),
    createdByName: r.created_by_name, createdAt: int(r.created_at), submittedAt: intOrNull(r.submitted_at), approvedAt: intOrNull(r.approved_at),
    sentAt: intOrNull(r.sent_at), finishedAt: intOrNull(r.finished_at), nextCheckAt: intOrNull(r.next_check_at), version: int(r.version),
  };
}

const supplierRow = (s: SupplierFields) => ({
  name: s.name, payee_channel: s.payeeChannel, bank_name: s.bankName, bank_branch: s.bankBranch, account_no: s.accountNo, account_name: s.accountName,
  wechat_openid: s.wechatOpenId, alipay_login: s.alipayLogin, contact_phone: s.contactPhone, payment_term_days: s.paymentTermDays, active: s.active ? 1 : 0,
});

export interface SupplierFilter {
  name?: string;
  activeOnly?: boolean;
}

export interface PayableFilter {
  supplierId?: number;
  statuses?: PayableStatus[];
  dueTo?: string;
  referenceNo?: string;
}

export interface SupplierPaymentFilter {
  supplierId?: number;
  statuses?: SupplierPaymentStatus[];
  paymentNo?: string;
}

export type PayablePatch = Partial<Pick<Payable, 'referenceNo' | 'description' | 'amountFen' | 'invoiceDate' | 'dueDate' | 'status' | 'paidFen' | 'reservedFen'>>;
const PAYABLE_COLUMNS: Record<keyof PayablePatch, keyof PayableRow> = {
  referenceNo: 'reference_no', description: 'description', amountFen: 'amount_fen', invoiceDate: 'invoice_date', dueDate: 'due_date', status: 'status',
  paidFen: 'paid_fen', reservedFen: 'reserved_fen',
};

export type SupplierPaymentPatch = Partial<Omit<SupplierPayment, 'paymentNo' | 'supplierId' | 'createdBy' | 'createdByName' | 'createdAt' | 'version'>>;
const PAYMENT_COLUMNS: Record<keyof SupplierPaymentPatch, keyof SupplierPaymentRow> = {
  status: 'status', amountFen: 'amount_fen', purpose: 'purpose', payeeChannel: 'payee_channel', payeeAccount: 'payee_account', payeeName: 'payee_name',
  payeeBank: 'payee_bank', transferNo: 'transfer_no', attempt: 'attempt', platformTransferNo: 'platform_transfer_no', transferState: 'transfer_state',
  failReason: 'fail_reason', retryable: 'retryable', voucherNo: 'voucher_no', submittedAt: 'submitted_at', approvedAt: 'approved_at', sentAt: 'sent_at',
  finishedAt: 'finished_at', nextCheckAt: 'next_check_at',
};

/** Suppliers, their payables and 付款单 (with the payables each one pays). */
export class SupplierRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  // ─── suppliers ───
  async insertSupplier(s: SupplierFields, createdBy: number | null, at: number): Promise<number> {
    const res = await this.em
      .createQueryBuilder()
      .insert()
      .into(SupplierEntity)
      .values({ ...supplierRow(s), created_by: createdBy, created_at: at, version: 1, updated_seq: this.nextSeq() })
      .execute();
    return Number(res.identifiers[0]?.id ?? (res.raw as { insertId?: number }).insertId);
  }

  async updateSupplier(id: number, version: number, s: SupplierFields): Promise<void> {
    const res = await this.em
      .createQueryBuilder()
      .update(SupplierEntity)
      .set({ ...supplierRow(s), version: version + 1, updated_seq: this.nextSeq() })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async findSupplier(id: number, opts: { forUpdate?: boolean } = {}): Promise<Supplier | null> {
    const qb = this.em.createQueryBuilder(SupplierEntity, 's').where('s.id = :id', { id });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? supplierFromRow(row) : null;
  }

  async findSupplierByName(name: string): Promise<Supplier | null> {
    const row = await this.em.createQueryBuilder(SupplierEntity, 's').where('s.name = :name', { name }).getOne();
    return row ? supplierFromRow(row) : null;
  }

  async suppliersByIds(ids: readonly number[]): Promise<Map<number, Supplier>> {
    if (!ids.length) return new Map();
    const rows = await this.em.createQueryBuilder(SupplierEntity, 's').where('s.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    return new Map(rows.map((r) => [int(r.id), supplierFromRow(r)]));
  }

  async listSuppliers(f: SupplierFilter, page: number, pageSize: number): Promise<Page<Supplier>> {
    const qb = this.em.createQueryBuilder(SupplierEntity, 's');
    if (f.name) qb.andWhere('s.name LIKE :name', { name: `%${f.name.replace(/[%_\\]/g, (c) => `\\${c}`)}%` });
    if (f.activeOnly) qb.andWhere('s.active = 1');
    const [rows, total] = await qb.orderBy('s.name', 'ASC').addOrderBy('s.id', 'ASC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(supplierFromRow), total, page, pageSize };
  }

  // ─── payables ───
  async insertPayable(p: Omit<Payable, 'id' | 'version'>, createdBy: number | null): Promise<number> {
    const res = await this.em
      .createQueryBuilder()
      .insert()
      .into(PayableEntity)
      .values({
        supplier_id: p.supplierId, reference_no: p.referenceNo, description: p.description, amount_fen: p.amountFen, paid_fen: p.paidFen,
        reserved_fen: p.reservedFen, invoice_date: p.invoiceDate, due_date: p.dueDate, status: p.status, created_by: createdBy, created_at: p.createdAt,
        version: 1, updated_seq: this.nextSeq(),
      })
      .execute();
    return Number(res.identifiers[0]?.id ?? (res.raw as { insertId?: number }).insertId);
  }

  async findPayable(id: number, opts: { forUpdate?: boolean } = {}): Promise<Payable | null> {
    const qb = this.em.createQueryBuilder(PayableEntity, 'p').where('p.id = :id', { id });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? payableFromRow(row) : null;
  }

  /** Locks in id order (every writer locks payables in the same order: no deadlock between two 付款单). */
  async payablesByIds(ids: readonly number[], opts: { forUpdate?: boolean } = {}): Promise<Map<number, Payable>> {
    if (!ids.length) return new Map();
    const qb = this.em.createQueryBuilder(PayableEntity, 'p').where('p.id IN (:...ids)', { ids: [...new Set(ids)] }).orderBy('p.id', 'ASC');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    return new Map((await qb.getMany()).map((r) => [int(r.id), payableFromRow(r)]));
  }

  async listPayables(f: PayableFilter, page: number, pageSize: number): Promise<Page<Payable>> {
    const qb = this.em.createQueryBuilder(PayableEntity, 'p');
    if (f.supplierId) qb.andWhere('p.supplier_id = :sid', { sid: f.supplierId });
    if (f.statuses?.length) qb.andWhere('p.status IN (:...statuses)', { statuses: f.statuses });
    if (f.dueTo) qb.andWhere('p.due_date <= :dueTo', { dueTo: f.dueTo });
    if (f.referenceNo) qb.andWhere('p.reference_no = :ref', { ref: f.referenceNo });
    const [rows, total] = await qb.orderBy('p.due_date', 'ASC').addOrderBy('p.id', 'ASC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(payableFromRow), total, page, pageSize };
  }

  async updatePayable(id: number, version: number, patch: PayablePatch): Promise<void> {
    const set: Record<string, unknown> = { version: version + 1, updated_seq: this.nextSeq() };
    for (const [k, v] of Object.entries(patch)) set[PAYABLE_COLUMNS[k as keyof PayablePatch]] = v;
    const res = await this.em.createQueryBuilder().update(PayableEntity).set(set).where('id = :id AND version = :version', { id, version }).execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  // ─── 付款单 ───
  async insertPayment(p: Omit<SupplierPayment, 'version'>): Promise<void> {
    await this.em
      .createQueryBuilder()
      .insert()
      .into(SupplierPaymentEntity)
      .values({
        payment_no: p.paymentNo, supplier_id: p.supplierId, status: p.status, amount_fen: p.amountFen, purpose: p.purpose, payee_channel: p.payeeChannel,
        payee_account: p.payeeAccount, payee_name: p.payeeName, payee_bank: p.payeeBank, transfer_no: p.transferNo, attempt: p.attempt,
        platform_transfer_no: p.platformTransferNo, transfer_state: p.transferState, fail_reason: p.failReason, retryable: p.retryable === null ? null : p.retryable ? 1 : 0,
        voucher_no: p.voucherNo, created_by: p.createdBy, created_by_name: p.createdByName, created_at: p.createdAt, submitted_at: p.submittedAt,
        approved_at: p.approvedAt, sent_at: p.sentAt, finished_at: p.finishedAt, next_check_at: p.nextCheckAt, lease_owner: null, lease_until: null,
        version: 1, updated_seq: this.nextSeq(),
      })
      .execute();
  }

  async findPayment(paymentNo: string, opts: { forUpdate?: boolean } = {}): Promise<SupplierPayment | null> {
    const qb = this.em.createQueryBuilder(SupplierPaymentEntity, 'p').where('p.payment_no = :paymentNo', { paymentNo });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? paymentFromRow(row) : null;
  }

  async paymentsByNos(nos: readonly string[]): Promise<SupplierPayment[]> {
    if (!nos.length) return [];
    const rows = await this.em.createQueryBuilder(SupplierPaymentEntity, 'p').where('p.payment_no IN (:...nos)', { nos: [...new Set(nos)] }).getMany();
    return rows.map(paymentFromRow);
  }

  async listPayments(f: SupplierPaymentFilter, page: number, pageSize: number): Promise<Page<SupplierPayment>> {
    const qb = this.em.createQueryBuilder(SupplierPaymentEntity, 'p');
    if (f.supplierId) qb.andWhere('p.supplier_id = :sid', { sid: f.supplierId });
    if (f.statuses?.length) qb.andWhere('p.status IN (:...statuses)', { statuses: f.statuses });
    if (f.paymentNo) qb.andWhere('p.payment_no = :no', { no: f.paymentNo });
    const [rows, total] = await qb.orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(paymentFromRow), total, page, pageSize };
  }

  async updatePayment(paymentNo: string, version: number, patch: SupplierPaymentPatch): Promise<void> {
    const set: Record<string, unknown> = { version: version + 1, updated_seq: this.nextSeq() };
    for (const [k, v] of Object.entries(patch)) {
      const col = PAYMENT_COLUMNS[k as keyof SupplierPaymentPatch];
      set[col] = k === 'retryable' ? (v === null || v === undefined ? null : v ? 1 : 0) : v;
    }
    const res = await this.em
      .createQueryBuilder()
      .update(SupplierPaymentEntity)
      .set(set)
      .where('payment_no = :paymentNo AND version = :version', { paymentNo, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async allocations(paymentNo: string): Promise<Allocation[]> {
    const rows = await this.em.createQueryBuilder(SupplierPaymentPayableEntity, 'a').where('a.payment_no = :paymentNo', { paymentNo }).orderBy('a.payable_id', 'ASC').getMany();
    return rows.map((r) => ({ payableId: int(r.payable_id), amountFen: int(r.amount_fen) }));
  }

  async replaceAllocations(paymentNo: string, allocations: readonly Allocation[]): Promise<void> {
    await this.em.createQueryBuilder().delete().from(SupplierPaymentPayableEntity).where('payment_no = :paymentNo', { paymentNo }).execute();
    if (!allocations.length) return;
    await this.em
      .createQueryBuilder()
      .insert()
      .into(SupplierPaymentPayableEntity)
      .values(allocations.map((a) => ({ payment_no: paymentNo, payable_id: a.payableId, amount_fen: a.amountFen, version: 1, updated_seq: this.nextSeq() })))
      .execute();
  }

  /** 付款单 that paid (or are paying) a payable, newest first. */
  async paymentsOfPayable(payableId: number): Promise<{ paymentNo: string; amountFen: number }[]> {
    const rows = await this.em.createQueryBuilder(SupplierPaymentPayableEntity, 'a').where('a.payable_id = :payableId', { payableId }).orderBy('a.id', 'DESC').getMany();
    return rows.map((r) => ({ paymentNo: r.payment_no, amountFen: int(r.amount_fen) }));
  }
}

/**
 * Leases on 付款单 for the executor: approved ones to send, processing ones whose check is due.
 * Like OrderClaims: candidates are locked FOR UPDATE SKIP LOCKED on MySQL, so instances sharing the
 * database never take the same 付款单; the lease outlives a crashed instance by at most `leaseMs`.
 */
export class SupplierPaymentClaims {
  constructor(
    private readonly em: EntityManager,
    private readonly skipLocked: boolean,
  ) {}

  async claim(owner: string, now: number, leaseMs: number, limit: number, only?: string): Promise<string[]> {
    const due = `(status = 'approved' OR (status = 'processing' AND (next_check_at IS NULL OR next_check_at <= ?)))`;
    const params: unknown[] = [now, now];
    let where = `${due} AND (lease_until IS NULL OR lease_until < ?)`;
    if (only) {
      // An explicit "付款 / 查询" of one 付款单 does not wait for its check time.
      where = `payment_no = ? AND status IN ('approved', 'processing') AND (lease_until IS NULL OR lease_until < ?)`;
      params.splice(0, params.length, only, now);
    }
    const rows = (await this.em.query(
      `SELECT id, payment_no FROM supplier_payments WHERE ${where} ORDER BY id LIMIT ${Math.trunc(limit)}${this.skipLocked ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      params,
    )) as { id: number; payment_no: string }[];
    if (!rows.length) return [];
    const ids = rows.map((r) => Number(r.id));
    await this.em.query(`UPDATE supplier_payments SET lease_owner = ?, lease_until = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [owner, now + leaseMs, ...ids]);
    return rows.map((r) => r.payment_no);
  }

  async release(owner: string, paymentNo?: string): Promise<void> {
    if (paymentNo) await this.em.query(`UPDATE supplier_payments SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND payment_no = ?`, [owner, paymentNo]);
    else await this.em.query(`UPDATE supplier_payments SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?`, [owner]);
  }
}
