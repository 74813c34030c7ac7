import type { EntityManager } from 'typeorm';
import type { Page } from '../../core/orders/order';
import { int } from '../bulk-insert';
import { VoucherEntity, type VoucherRow } from '../entities/supplier-entities';

export const VOUCHER_KINDS = ['supplier_payment', 'refund', 'payout'] as const;
export type VoucherKind = (typeof VOUCHER_KINDS)[number];

export interface Voucher {
  voucherNo: string;
  year: number;
  seq: number;
  kind: VoucherKind;
  subjectId: string;
  payerName: string;
  payeeName: string;
  payeeChannel: string;
  /** Full account: masked by VoucherService before it leaves the main process. */
  payeeAccount: string;
  payeeBank: string;
  amountFen: number;
  purpose: string;
  /** The platform's transfer / refund number. */
  referenceNo: string;
  issuedAt: number;
}

function fromRow(r: VoucherRow): Voucher {
  return {
    voucherNo: r.voucher_no, year: int(r.year), seq: int(r.seq), kind: r.kind as VoucherKind, subjectId: r.subject_id, payerName: r.payer_name,
    payeeName: r.payee_name, payeeChannel: r.payee_channel, payeeAccount: r.payee_account, payeeBank: r.payee_bank, amountFen: int(r.amount_fen),
    purpose: r.purpose, referenceNo: r.reference_no, issuedAt: int(r.issued_at),
  };
}

export interface VoucherFilter {
  kind?: VoucherKind;
  voucherNo?: string;
  subjectId?: string;
  from?: number;
  to?: number;
}

export class VoucherRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  /**
   * The next number of `year`, under the year's counter row lock (held to the end of the issuing
   * transaction: numbers are gap-free, and a rolled-back payment gives its number back).
   */
  async nextSeqOf(year: number): Promise<number> {
    const sqlite = !this.lockRows;
    await this.em.query(sqlite ? `INSERT OR IGNORE INTO voucher_counters (year, last_seq) VALUES (?, 0)` : `INSERT IGNORE INTO voucher_counters (year, last_seq) VALUES (?, 0)`, [year]);
    const rows = (await this.em.query(`SELECT last_seq FROM voucher_counters WHERE year = ?${sqlite ? '' : ' FOR UPDATE'}`, [year])) as { last_seq: number }[];
    const next = Number(rows[0]?.last_seq ?? 0) + 1;
    await this.em.query(`UPDATE voucher_counters SET last_seq = ? WHERE year = ?`, [next, year]);
    return next;
  }

  async insert(v: Voucher): Promise<void> {
    await this.em
      .createQueryBuilder()
      .insert()
      .into(VoucherEntity)
      .values({
        voucher_no: v.voucherNo, year: v.year, seq: v.seq, kind: v.kind, subject_id: v.subjectId, payer_name: v.payerName, payee_name: v.payeeName,
        payee_channel: v.payeeChannel, payee_account: v.payeeAccount, payee_bank: v.payeeBank, amount_fen: v.amountFen, purpose: v.purpose,
        reference_no: v.referenceNo, issued_at: v.issuedAt, version: 1, updated_seq: this.nextSeq(),
      })
      .execute();
  }

  async findBySubject(kind: VoucherKind, subjectId: string): Promise<Voucher | null> {
    const row = await this.em.createQueryBuilder(VoucherEntity, 'v').where('v.kind = :kind AND v.subject_id = :subjectId', { kind, subjectId }).getOne();
    return row ? fromRow(row) : null;
  }

  async findByNo(voucherNo: string): Promise<Voucher | null> {
    const row = await this.em.createQueryBuilder(VoucherEntity, 'v').where('v.voucher_no = :voucherNo', { voucherNo }).getOne();
    return row ? fromRow(row) : null;
  }

  async list(f: VoucherFilter, page: number, pageSize: number): Promise<Page<Voucher>> {
    const qb = this.em.createQueryBuilder(VoucherEntity, 'v');
    if (f.kind) qb.andWhere('v.kind = :kind', { kind: f.kind });
    if (f.voucherNo) qb.andWhere('v.voucher_no = :no', { no: f.voucherNo });
    if (f.subjectId) qb.andWhere('v.subject_id = :sid', { sid: f.subjectId });
    if (f.from !== undefined) qb.andWhere('v.issued_at >= :from', { from: f.from });
    if (f.to !== undefined) qb.andWhere('v.issued_at < :to', { to: f.to });
    const [rows, total] = await qb.orderBy('v.issued_at', 'DESC').addOrderBy('v.id', 'DESC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(fromRow), total, page, pageSize };
  }
}
