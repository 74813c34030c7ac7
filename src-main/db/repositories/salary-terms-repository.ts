import type { EntityManager } from 'typeorm';
import type { Fen } from '../../core/money';
import { insertRows, int, intOrNull } from '../bulk-insert';
import { execute } from '../bulk-update';
import { SupplierTermAllocationEntity, SupplierTermRunEntity } from '../entities/salary-entities';

export type TermAllocationStatus = 'reserved' | 'paid' | 'released';

export interface TermAllocation {
  id: number;
  batchId: number;
  batchNo: string;
  payableId: number;
  supplierId: number;
  amountFen: Fen;
  status: TermAllocationStatus;
  settledAt: number | null;
  version: number;
}

export interface TermRun {
  runDate: string;
  batchId: number | null;
  batchNo: string | null;
  lineCount: number;
  amountFen: Fen;
  createdAt: number;
}

/**
 * The supplier batches drafted by contract payment terms: one run row per day of the automatic
 * drafting (its unique date decides which instance drafts), and the payable amounts each batch holds.
 */
export class SupplierTermsRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  /** Claims the day: a second instance inserting the same date waits for the first and then fails on the unique date. */
  async insertRun(runDate: string, at: number): Promise<void> {
    await this.em
      .createQueryBuilder()
      .insert()
      .into(SupplierTermRunEntity)
      .values({ run_date: runDate, batch_id: null, batch_no: null, line_count: 0, amount_fen: 0, created_at: at, version: 1, updated_seq: this.nextSeq() })
      .updateEntity(false)
      .execute();
  }

  async completeRun(runDate: string, batch: { batchId: number; batchNo: string } | null, lineCount: number, amountFen: Fen): Promise<void> {
    await execute(this.em, `UPDATE supplier_term_runs SET batch_id = ?, batch_no = ?, line_count = ?, amount_fen = ?, version = version + 1, updated_seq = ? WHERE run_date = ?`, [
      batch?.batchId ?? null, batch?.batchNo ?? null, lineCount, amountFen, this.nextSeq(), runDate,
    ]);
  }

  async findRun(runDate: string): Promise<TermRun | null> {
    const r = await this.em.createQueryBuilder(SupplierTermRunEntity, 'r').where('r.run_date = :runDate', { runDate }).getOne();
    return r ? { runDate: r.run_date, batchId: intOrNull(r.batch_id), batchNo: r.batch_no, lineCount: int(r.line_count), amountFen: int(r.amount_fen), createdAt: int(r.created_at) } : null;
  }

  async insertAllocations(batch: { batchId: number; batchNo: string }, rows: readonly { payableId: number; supplierId: number; amountFen: Fen }[], at: number): Promise<void> {
    const columns = ['batch_id', 'batch_no', 'payable_id', 'supplier_id', 'amount_fen', 'status', 'settled_at', 'created_at', 'version', 'updated_seq'];
    await insertRows(this.em, 'supplier_term_allocations', columns, rows.map((r) => [batch.batchId, batch.batchNo, r.payableId, r.supplierId, r.amountFen, 'reserved', null, at, 1, this.nextSeq()]));
  }

  /** The allocations of one batch item (its payables), locked while they are settled. */
  async allocationsOf(batchId: number, payableIds: readonly number[], opts: { forUpdate?: boolean } = {}): Promise<TermAllocation[]> {
    if (!payableIds.length) return [];
    const qb = this.em
      .createQueryBuilder(SupplierTermAllocationEntity, 'a')
      .where('a.batch_id = :batchId AND a.payable_id IN (:...payableIds)', { batchId, payableIds: [...new Set(payableIds)] })
      .orderBy('a.payable_id', 'ASC');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    return (await qb.getMany()).map((r) => ({
      id: int(r.id), batchId: int(r.batch_id), batchNo: r.batch_no, payableId: int(r.payable_id), supplierId: int(r.supplier_id), amountFen: int(r.amount_fen),
      status: r.status as TermAllocationStatus, settledAt: intOrNull(r.settled_at), version: int(r.version),
    }));
  }

  async settleAllocation(id: number, version: number, status: TermAllocationStatus, at: number): Promise<boolean> {
    const n = await execute(this.em, `UPDATE supplier_term_allocations SET status = ?, settled_at = ?, version = version + 1, updated_seq = ? WHERE id = ? AND version = ?`, [
      status, at, this.nextSeq(), id, version,
    ]);
    return n === 1;
  }

  /** Payables held by a supplier batch right now (for the payable's own page). */
  async reservedBatchOf(payableId: number): Promise<{ batchNo: string; amountFen: Fen } | null> {
    const r = await this.em.createQueryBuilder(SupplierTermAllocationEntity, 'a').where("a.payable_id = :payableId AND a.status = 'reserved'", { payableId }).getOne();
    return r ? { batchNo: r.batch_no, amountFen: int(r.amount_fen) } : null;
  }
}
