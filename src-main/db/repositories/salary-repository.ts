import type { EntityManager } from 'typeorm';
import type { Page } from '../../core/orders/order';
import type { Employee, EmployeeFields } from '../../core/salary/employee';
import type { LinePayoutStatus, PayoutCounts, SalaryLine, SalarySheet, SheetStatus } from '../../core/salary/salary-sheet';
import type { PayeeChannel } from '../../core/suppliers/supplier-payment';
import { insertRows, int, intOrNull } from '../bulk-insert';
import { insertedId, updateRows } from '../bulk-update';
import { EmployeeEntity, type EmployeeRow } from '../entities/employee-entity';
import { SalaryLineEntity, SalarySheetEntity, type SalaryLineRow, type SalarySheetRow } from '../entities/salary-entities';
import { ConcurrentUpdateError } from './concurrency';

function employeeFromRow(r: EmployeeRow): Employee {
  return {
    id: int(r.id), employeeNo: r.employee_no, name: r.name, department: r.department, payeeChannel: r.payee_channel as PayeeChannel, account: r.account,
    bankName: r.bank_name, phone: r.phone, baseFen: int(r.base_fen), rateCfen: int(r.rate_cfen), active: int(r.active) === 1, createdAt: int(r.created_at),
    version: int(r.version),
  };
}

const employeeRow = (e: EmployeeFields) => ({
  employee_no: e.employeeNo, name: e.name, department: e.department, payee_channel: e.payeeChannel, account: e.account, bank_name: e.bankName, phone: e.phone,
  base_fen: e.baseFen, rate_cfen: e.rateCfen, active: e.active ? 1 : 0,
});

function sheetFromRow(r: SalarySheetRow): SalarySheet {
  return {
    id: int(r.id), month: r.month, status: r.status as SheetStatus, lineCount: int(r.line_count), grossFen: int(r.gross_fen), deductionFen: int(r.deduction_fen),
    netFen: int(r.net_fen), submittedBy: intOrNull(r.submitted_by), submittedByName: r.submitted_by_name, submittedAt: intOrNull(r.submitted_at),
    reviewedBy: intOrNull(r.reviewed_by), reviewedByName: r.reviewed_by_name, reviewedAt: intOrNull(r.reviewed_at), reviewComment: r.review_comment,
    batchId: intOrNull(r.batch_id), batchNo: r.batch_no, batchDraftedAt: intOrNull(r.batch_drafted_at), batchDraftedByName: r.batch_drafted_by_name,
    autoDrafted: int(r.auto_drafted) === 1, payoutCounts: countsOf(r), createdAt: int(r.created_at), version: int(r.version),
  };
}

function countsOf(r: SalarySheetRow): PayoutCounts {
  const c = { skipped: int(r.skipped_count), in_batch: int(r.in_batch_count), paid: int(r.paid_count), failed: int(r.failed_count), cancelled: int(r.cancelled_count) };
  return { ...c, unpaid: int(r.line_count) - c.skipped - c.in_batch - c.paid - c.failed - c.cancelled };
}

function lineFromRow(r: SalaryLineRow): SalaryLine {
  return {
    id: int(r.id), month: r.month, employeeId: int(r.employee_id), baseFen: int(r.base_fen), unitsMilli: int(r.units_milli), rateCfen: int(r.rate_cfen),
    workloadFen: int(r.workload_fen), allowanceFen: int(r.allowance_fen), deductionFen: int(r.deduction_fen), grossFen: int(r.gross_fen), netFen: int(r.net_fen),
    remark: r.remark, payoutStatus: r.payout_status as LinePayoutStatus, batchId: intOrNull(r.batch_id), batchNo: r.batch_no, batchItemId: intOrNull(r.batch_item_id),
    paidAt: intOrNull(r.paid_at), failReason: r.fail_reason, payslipOutboxId: intOrNull(r.payslip_outbox_id), updatedBy: intOrNull(r.updated_by),
    updatedByName: r.updated_by_name, updatedAt: int(r.updated_at), createdAt: int(r.created_at), version: int(r.version),
  };
}

export interface EmployeeFilter {
  /** Matches name, employee number or department. */
  keyword?: string;
  activeOnly?: boolean;
}

export type SheetPatch = Partial<Omit<SalarySheet, 'id' | 'month' | 'createdAt' | 'version' | 'payoutCounts'>> & { payoutCounts?: PayoutCounts };
const SHEET_COLUMNS: Record<Exclude<keyof SheetPatch, 'payoutCounts'>, keyof SalarySheetRow> = {
  status: 'status', lineCount: 'line_count', grossFen: 'gross_fen', deductionFen: 'deduction_fen', netFen: 'net_fen', submittedBy: 'submitted_by',
  submittedByName: 'submitted_by_name', submittedAt: 'submitted_at', reviewedBy: 'reviewed_by', reviewedByName: 'reviewed_by_name', reviewedAt: 'reviewed_at',
  reviewComment: 'review_comment', batchId: 'batch_id', batchNo: 'batch_no', batchDraftedAt: 'batch_drafted_at', batchDraftedByName: 'batch_drafted_by_name',
  autoDrafted: 'auto_drafted',
};

/** The computed and typed parts of a line (what an edit or an import writes). */
export type LineFigures = Pick<SalaryLine, 'baseFen' | 'unitsMilli' | 'rateCfen' | 'workloadFen' | 'allowanceFen' | 'deductionFen' | 'grossFen' | 'netFen' | 'remark'>;
export type LinePatch = Partial<Omit<SalaryLine, 'id' | 'month' | 'employeeId' | 'createdAt' | 'version'>>;
const LINE_COLUMNS: Record<keyof LinePatch, keyof SalaryLineRow> = {
  baseFen: 'base_fen', unitsMilli: 'units_milli', rateCfen: 'rate_cfen', workloadFen: 'workload_fen', allowanceFen: 'allowance_fen', deductionFen: 'deduction_fen',
  grossFen: 'gross_fen', netFen: 'net_fen', remark: 'remark', payoutStatus: 'payout_status', batchId: 'batch_id', batchNo: 'batch_no', batchItemId: 'batch_item_id',
  paidAt: 'paid_at', failReason: 'fail_reason', payslipOutboxId: 'payslip_outbox_id', updatedBy: 'updated_by', updatedByName: 'updated_by_name', updatedAt: 'updated_at',
};

function toColumns<P extends object>(patch: P, map: Record<keyof P, string>): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) set[map[k as keyof P]] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  return set;
}

/** 员工, 薪资表 and their lines. */
export class SalaryRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  // ─── employees ───
  async insertEmployee(e: EmployeeFields, createdBy: number | null, at: number): Promise<number> {
    const res = await this.em
      .createQueryBuilder()
      .insert()
      .into(EmployeeEntity)
      .values({ ...employeeRow(e), created_by: createdBy, created_at: at, version: 1, updated_seq: this.nextSeq() })
      .updateEntity(false)
      .execute();
    return insertedId(res.raw);
  }

  async updateEmployee(id: number, version: number, e: EmployeeFields): Promise<void> {
    const res = await this.em
      .createQueryBuilder()
      .update(EmployeeEntity)
      .set({ ...employeeRow(e), version: version + 1, updated_seq: this.nextSeq() })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async findEmployee(id: number, opts: { forUpdate?: boolean } = {}): Promise<Employee | null> {
    const qb = this.em.createQueryBuilder(EmployeeEntity, 'e').where('e.id = :id', { id });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? employeeFromRow(row) : null;
  }

  async findEmployeeByNo(employeeNo: string): Promise<Employee | null> {
    const row = await this.em.createQueryBuilder(EmployeeEntity, 'e').where('e.employee_no = :employeeNo', { employeeNo }).getOne();
    return row ? employeeFromRow(row) : null;
  }

  async employeesByIds(ids: readonly number[]): Promise<Map<number, Employee>> {
    if (!ids.length) return new Map();
    const rows = await this.em.createQueryBuilder(EmployeeEntity, 'e').where('e.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    return new Map(rows.map((r) => [int(r.id), employeeFromRow(r)]));
  }

  async employeesByNos(nos: readonly string[]): Promise<Map<string, Employee>> {
    if (!nos.length) return new Map();
    const out = new Map<string, Employee>();
    const unique = [...new Set(nos)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.em.createQueryBuilder(EmployeeEntity, 'e').where('e.employee_no IN (:...nos)', { nos: unique.slice(i, i + 500) }).getMany();
      for (const r of rows) out.set(r.employee_no, employeeFromRow(r));
    }
    return out;
  }

  async listEmployees(f: EmployeeFilter, page: number, pageSize: number): Promise<Page<Employee>> {
    const qb = this.em.createQueryBuilder(EmployeeEntity, 'e');
    if (f.keyword) {
      const like = `%${f.keyword.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(e.name LIKE :like OR e.employee_no LIKE :like OR e.department LIKE :like)', { like });
    }
    if (f.activeOnly) qb.andWhere('e.active = 1');
    const [rows, total] = await qb.orderBy('e.employee_no', 'ASC').addOrderBy('e.id', 'ASC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(employeeFromRow), total, page, pageSize };
  }

  async activeEmployees(): Promise<Employee[]> {
    const rows = await this.em.createQueryBuilder(EmployeeEntity, 'e').where('e.active = 1').orderBy('e.employee_no', 'ASC').getMany();
    return rows.map(employeeFromRow);
  }

  // ─── sheets ───
  async findSheet(month: string, opts: { forUpdate?: boolean } = {}): Promise<SalarySheet | null> {
    const qb = this.em.createQueryBuilder(SalarySheetEntity, 's').where('s.month = :month', { month });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? sheetFromRow(row) : null;
  }

  /** A new draft sheet; a concurrent creator of the same month hits the unique month. */
  async insertSheet(month: string, at: number): Promise<void> {
    await this.em
      .createQueryBuilder()
      .insert()
      .into(SalarySheetEntity)
      .values({
        month, status: 'draft', line_count: 0, gross_fen: 0, deduction_fen: 0, net_fen: 0, auto_drafted: 0, skipped_count: 0, in_batch_count: 0, paid_count: 0,
        failed_count: 0, cancelled_count: 0, created_at: at, version: 1, updated_seq: this.nextSeq(),
      })
      .updateEntity(false)
      .execute();
  }

  async updateSheet(month: string, version: number, patch: SheetPatch): Promise<void> {
    const { payoutCounts: c, ...rest } = patch;
    const counts = c
      ? { skipped_count: c.skipped, in_batch_count: c.in_batch, paid_count: c.paid, failed_count: c.failed, cancelled_count: c.cancelled }
      : {};
    const res = await this.em
      .createQueryBuilder()
      .update(SalarySheetEntity)
      .set({ ...toColumns(rest, SHEET_COLUMNS), ...counts, version: version + 1, updated_seq: this.nextSeq() })
      .where('month = :month AND version = :version', { month, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async listSheets(page: number, pageSize: number): Promise<Page<SalarySheet>> {
    const [rows, total] = await this.em.createQueryBuilder(SalarySheetEntity, 's').orderBy('s.month', 'DESC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(sheetFromRow), total, page, pageSize };
  }

  /** Reviewed sheets never drafted yet: candidates of the pay-day job (it checks each one's pay date). */
  async sheetsAwaitingFirstBatch(): Promise<string[]> {
    const rows = await this.em
      .createQueryBuilder(SalarySheetEntity, 's')
      .select('s.month', 'month')
      .where("s.status = 'approved' AND s.batch_id IS NULL")
      .orderBy('s.month', 'ASC')
      .getRawMany<{ month: string }>();
    return rows.map((r) => r.month);
  }

  // ─── lines ───
  async linesOf(month: string, opts: { forUpdate?: boolean } = {}): Promise<SalaryLine[]> {
    const qb = this.em.createQueryBuilder(SalaryLineEntity, 'l').where('l.month = :month', { month }).orderBy('l.id', 'ASC');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    return (await qb.getMany()).map(lineFromRow);
  }

  async findLine(month: string, employeeId: number, opts: { forUpdate?: boolean } = {}): Promise<SalaryLine | null> {
    const qb = this.em.createQueryBuilder(SalaryLineEntity, 'l').where('l.month = :month AND l.employee_id = :employeeId', { month, employeeId });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? lineFromRow(row) : null;
  }

  /** Many new lines in multi-row inserts (an import, 按员工档案生成). */
  async insertLines(month: string, lines: readonly (LineFigures & { employeeId: number })[], by: { id: number | null; name: string }, at: number): Promise<void> {
    const columns = [
      'month', 'employee_id', 'base_fen', 'units_milli', 'rate_cfen', 'workload_fen', 'allowance_fen', 'deduction_fen', 'gross_fen', 'net_fen', 'remark',
      'payout_status', 'updated_by', 'updated_by_name', 'updated_at', 'created_at', 'version', 'updated_seq',
    ];
    const rows = lines.map((l) => [
      month, l.employeeId, l.baseFen, l.unitsMilli, l.rateCfen, l.workloadFen, l.allowanceFen, l.deductionFen, l.grossFen, l.netFen, l.remark, 'unpaid', by.id, by.name,
      at, at, 1, this.nextSeq(),
    ]);
    await insertRows(this.em, 'salary_lines', columns, rows);
  }

  async updateLine(id: number, version: number, patch: LinePatch): Promise<void> {
    const res = await this.em
      .createQueryBuilder()
      .update(SalaryLineEntity)
      .set({ ...toColumns(patch, LINE_COLUMNS), version: version + 1, updated_seq: this.nextSeq() })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  /** Many lines changed alike in few statements (drafting a batch, an import); every row must still have its version. */
  async updateLines(rows: readonly { id: number; version: number; patch: LinePatch }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500).map((r) => ({ key: r.id, version: r.version, set: { ...toColumns(r.patch, LINE_COLUMNS), updated_seq: this.nextSeq() } }));
      if ((await updateRows(this.em, 'salary_lines', 'id', part)) !== part.length) throw new ConcurrentUpdateError();
    }
  }

  async deleteLine(id: number, version: number): Promise<void> {
    const res = await this.em.createQueryBuilder().delete().from(SalaryLineEntity).where('id = :id AND version = :version', { id, version }).execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  /** One employee's lines, newest month first (工资条 lookup). */
  async linesOfEmployee(employeeId: number, limit = 36): Promise<SalaryLine[]> {
    const rows = await this.em.createQueryBuilder(SalaryLineEntity, 'l').where('l.employee_id = :employeeId', { employeeId }).orderBy('l.month', 'DESC').take(limit).getMany();
    return rows.map(lineFromRow);
  }

  /** The status of 工资条 messages in the outbox (sent / pending / failed), by outbox id. */
  async outboxStatuses(ids: readonly number[]): Promise<Map<number, { status: string; sentAt: number | null; channel: string; params: Record<string, string> }>> {
    if (!ids.length) return new Map();
    const rows = (await this.em.query(
      `SELECT id, status, sent_at, channel, params_json FROM notification_outbox WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [...ids],
    )) as { id: unknown; status: string; sent_at: unknown; channel: string; params_json: string }[];
    return new Map(rows.map((r) => [int(r.id), { status: r.status, sentAt: intOrNull(r.sent_at), channel: r.channel, params: JSON.parse(r.params_json) as Record<string, string> }]));
  }
}
