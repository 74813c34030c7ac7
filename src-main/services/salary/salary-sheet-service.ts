import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { formatYuan, type Fen } from '../../core/money';
import { defaultLineOf, maskEmployeeAccount, type Employee } from '../../core/salary/employee';
import { computeSalary, sheetTotals, type SalaryInput, type SheetTotals } from '../../core/salary/salary-calc';
import {
  assertReviewable, assertReviewer, assertSheetEditable, assertSubmittable, checkMonth, describeSchedule, payDateOf, SHEET_STATUS_LABELS,
  type SalaryLine, type SalarySheet, type SheetStatus,
} from '../../core/salary/salary-sheet';
import type { Clock } from '../../core/time';
import { isUniqueViolation } from '../../db/db-errors';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { LineFigures } from '../../db/repositories/salary-repository';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { SettingsService } from '../settings/settings-service';

/** A line as the 薪资表 shows it: the employee beside the figures, the account masked. */
export interface SheetLineView extends SalaryLine {
  employeeNo: string;
  employeeName: string;
  department: string;
  payeeChannel: Employee['payeeChannel'];
  accountMasked: string;
  employeeActive: boolean;
}

export interface SheetView {
  month: string;
  /** False until the first line is saved (the sheet is shown as an empty draft). */
  exists: boolean;
  status: SheetStatus;
  statusLabel: string;
  sheet: SalarySheet | null;
  lines: SheetLineView[];
  /** Active employees without a line this month (to be filled, or generated from their defaults). */
  missing: { employeeId: number; employeeNo: string; name: string; department: string; baseFen: Fen; rateCfen: number }[];
  totals: SheetTotals;
  payDate: string;
  schedule: string;
  /** Whether the caller filled or submitted the sheet (and so may not review it). */
  filledByYou: boolean;
  history: AuditEntry[];
}

export interface LineInput extends SalaryInput {
  month: string;
  employeeId: number;
  remark: string;
  /** The line's version as read; 0 when it was not on the sheet; absent to write whatever is there. */
  version?: number;
}

/** Audit actions that make someone a maker of the sheet (maker-checker on 薪资审核). */
const MAKER_ACTIONS = new Set(['salary.line.save', 'salary.line.remove', 'salary.sheet.generate', 'salary.sheet.import', 'salary.sheet.submit']);

export const lineFigures = (f: ReturnType<typeof computeSalary>, remark: string): LineFigures => ({
  baseFen: f.baseFen, unitsMilli: f.unitsMilli, rateCfen: f.rateCfen, workloadFen: f.workloadFen, allowanceFen: f.allowanceFen, deductionFen: f.deductionFen,
  grossFen: f.grossFen, netFen: f.netFen, remark,
});

/**
 * 薪资表 (design document 2.3.2 steps 1–2): lines filled in the app (one at a time) or generated
 * from the employees' defaults, submitted, and reviewed by someone else. Every change locks the
 * sheet row first (then lines), so totals, status and maker-checker are decided on current data.
 * Imports and batches live in salary-import.ts and salary-batches.ts.
 */
export class SalarySheetService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
  ) {}

  audit(tx: Tx, actor: Actor, action: string, month: string, before: unknown, after: unknown) {
    return tx.audit.append(
      { actorId: actor.id, actorName: actor.name, action, entityType: 'salary_sheet', entityId: month, before: before === null ? null : snapshot(before), after: after === null ? null : snapshot(after) },
      this.clock.now(),
    );
  }

  /** The month's sheet, locked; created as a draft on first use (a concurrent creator wins the unique month, then we lock theirs). */
  async lockSheet(tx: Tx, month: string, create: boolean): Promise<SalarySheet> {
    checkMonth(month);
    const found = await tx.salary.findSheet(month, { forUpdate: true });
    if (found) return found;
    if (!create) throw new DomainError('SALARY_SHEET_NOT_FOUND', `${month} 的薪资表还没有填写`);
    try {
      await tx.salary.insertSheet(month, this.clock.now());
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    return (await tx.salary.findSheet(month, { forUpdate: true }))!;
  }

  /** Totals of the lines as stored now, written onto the sheet row. */
  async refreshTotals(tx: Tx, sheet: SalarySheet): Promise<{ totals: SheetTotals; version: number }> {
    const totals = sheetTotals(await tx.salary.linesOf(sheet.month));
    await tx.salary.updateSheet(sheet.month, sheet.version, { lineCount: totals.lineCount, grossFen: totals.grossFen, deductionFen: totals.deductionFen, netFen: totals.netFen });
    return { totals, version: sheet.version + 1 };
  }

  async sheet(month: string, viewer: Actor): Promise<SheetView> {
    checkMonth(month);
    const { salary: schedule } = await this.settings.payoutSchedule();
    return this.store.read(async (tx) => {
      const sheet = await tx.salary.findSheet(month);
      const lines = await tx.salary.linesOf(month);
      const employees = await tx.salary.employeesByIds(lines.map((l) => l.employeeId));
      const active = await tx.salary.activeEmployees();
      const have = new Set(lines.map((l) => l.employeeId));
      const history = sheet ? await tx.audit.forEntity('salary_sheet', month) : [];
      const status = sheet?.status ?? 'draft';
      return {
        month,
        exists: sheet !== null,
        status,
        statusLabel: SHEET_STATUS_LABELS[status],
        sheet,
        lines: lines.map((l) => lineView(l, employees.get(l.employeeId))).sort((a, b) => a.employeeNo.localeCompare(b.employeeNo)),
        missing: active.filter((e) => !have.has(e.id)).map((e) => ({ employeeId: e.id, employeeNo: e.employeeNo, name: e.name, department: e.department, baseFen: e.baseFen, rateCfen: e.rateCfen })),
        totals: sheetTotals(lines),
        payDate: payDateOf(month, schedule),
        schedule: describeSchedule(schedule),
        filledByYou: viewer.id !== null && makersOf(history).has(viewer.id),
        history,
      };
    });
  }

  async listSheets(page: number, pageSize: number) {
    const { salary: schedule } = await this.settings.payoutSchedule();
    const p = await this.store.read((tx) => tx.salary.listSheets(page, pageSize));
    return { ...p, items: p.items.map((s) => ({ ...s, statusLabel: SHEET_STATUS_LABELS[s.status], payDate: payDateOf(s.month, schedule) })) };
  }

  /** One line filled or corrected in the app. */
  async saveLine(actor: Actor, input: LineInput): Promise<{ line: SheetLineView; totals: SheetTotals }> {
    const figures = computeSalary(input);
    const remark = input.remark.trim();
    return this.store.transaction(async (tx) => {
      const sheet = await this.lockSheet(tx, input.month, true);
      assertSheetEditable(sheet.status);
      const employee = await tx.salary.findEmployee(input.employeeId);
      if (!employee) throw new DomainError('EMPLOYEE_NOT_FOUND', `员工 #${input.employeeId} 不存在`);
      const before = await tx.salary.findLine(input.month, employee.id, { forUpdate: true });
      if (before && input.version !== undefined && before.version !== input.version) throw new ConcurrentUpdateError();
      if (!before && !employee.active) throw new DomainError('EMPLOYEE_INACTIVE', `员工 ${employee.name}（${employee.employeeNo}）已停用，不能新增薪资`);
      const now = this.clock.now();
      const values = { ...lineFigures(figures, remark), updatedBy: actor.id, updatedByName: actor.name, updatedAt: now };
      if (before) await tx.salary.updateLine(before.id, before.version, values);
      else await tx.salary.insertLines(input.month, [{ ...values, employeeId: employee.id }], actor, now);
      const { totals } = await this.refreshTotals(tx, sheet);
      await this.audit(tx, actor, 'salary.line.save', input.month, before ? { employeeNo: employee.employeeNo, ...lineFigures(before, before.remark) } : null, {
        employeeNo: employee.employeeNo, name: employee.name, ...lineFigures(figures, remark),
      });
      const line = (await tx.salary.findLine(input.month, employee.id))!;
      return { line: lineView(line, employee), totals };
    });
  }

  async removeLine(actor: Actor, month: string, employeeId: number, version: number): Promise<SheetTotals> {
    return this.store.transaction(async (tx) => {
      const sheet = await this.lockSheet(tx, month, false);
      assertSheetEditable(sheet.status);
      const line = await tx.salary.findLine(month, employeeId, { forUpdate: true });
      if (!line) throw new DomainError('SALARY_LINE_NOT_FOUND', '该员工本月没有薪资行');
      if (line.version !== version) throw new ConcurrentUpdateError();
      await tx.salary.deleteLine(line.id, line.version);
      const employee = await tx.salary.findEmployee(employeeId);
      const { totals } = await this.refreshTotals(tx, sheet);
      await this.audit(tx, actor, 'salary.line.remove', month, { employeeNo: employee?.employeeNo, name: employee?.name, ...lineFigures(line, line.remark) }, null);
      return totals;
    });
  }

  /** 按员工档案生成: a line for every active employee without one, from the employee's base pay and rate (no workload yet). */
  async generate(actor: Actor, month: string): Promise<{ created: number; totals: SheetTotals }> {
    return this.store.transaction(async (tx) => {
      const sheet = await this.lockSheet(tx, month, true);
      assertSheetEditable(sheet.status);
      const have = new Set((await tx.salary.linesOf(month)).map((l) => l.employeeId));
      const todo = (await tx.salary.activeEmployees()).filter((e) => !have.has(e.id));
      const now = this.clock.now();
      await tx.salary.insertLines(month, todo.map((e) => ({ ...lineFigures(defaultLineOf(e), ''), employeeId: e.id })), actor, now);
      const { totals } = await this.refreshTotals(tx, sheet);
      if (todo.length) await this.audit(tx, actor, 'salary.sheet.generate', month, null, { lineCount: todo.length, employees: todo.map((e) => e.employeeNo) });
      return { created: todo.length, totals };
    });
  }

  /** 提交审核: the sheet freezes; the reviewer must be someone who did not fill it. */
  async submit(actor: Actor, month: string, version?: number): Promise<SalarySheet> {
    return this.store.transaction(async (tx) => {
      const sheet = await this.lockSheet(tx, month, false);
      if (version !== undefined && version !== sheet.version) throw new ConcurrentUpdateError();
      const { totals, version: v } = await this.refreshTotals(tx, sheet);
      assertSubmittable(sheet.status, totals.lineCount);
      const now = this.clock.now();
      const patch = { status: 'submitted' as const, submittedBy: actor.id, submittedByName: actor.name, submittedAt: now, reviewedBy: null, reviewedByName: null, reviewedAt: null };
      await tx.salary.updateSheet(month, v, patch);
      await this.audit(tx, actor, 'salary.sheet.submit', month, { status: sheet.status }, { status: 'submitted', lineCount: totals.lineCount, grossFen: totals.grossFen, netFen: totals.netFen });
      return { ...sheet, ...patch, lineCount: totals.lineCount, grossFen: totals.grossFen, deductionFen: totals.deductionFen, netFen: totals.netFen, version: v + 1 };
    });
  }

  /** 薪资审核: approve, or reject with a reason (back to the makers for correction); never by a maker of the sheet. */
  async review(actor: Actor, month: string, decision: 'approve' | 'reject', comment: string, version?: number): Promise<SalarySheet> {
    const text = comment.trim();
    if (decision === 'reject' && !text) throw new DomainError('SALARY_REJECT_REASON_REQUIRED', '驳回薪资表请填写原因');
    return this.store.transaction(async (tx) => {
      const sheet = await this.lockSheet(tx, month, false);
      if (version !== undefined && version !== sheet.version) throw new ConcurrentUpdateError();
      assertReviewable(sheet.status);
      assertReviewer(actor.id, makersOf(await tx.audit.forEntity('salary_sheet', month)));
      const now = this.clock.now();
      const status = decision === 'approve' ? ('approved' as const) : ('rejected' as const);
      const patch = { status, reviewedBy: actor.id, reviewedByName: actor.name, reviewedAt: now, reviewComment: text || null };
      await tx.salary.updateSheet(month, sheet.version, patch);
      await this.audit(tx, actor, decision === 'approve' ? 'salary.sheet.approve' : 'salary.sheet.reject', month, { status: sheet.status }, {
        status, comment: text, netFen: sheet.netFen, lineCount: sheet.lineCount,
      });
      return { ...sheet, ...patch, version: sheet.version + 1 };
    });
  }
}

/** Everyone who filled, imported, generated or submitted the sheet (from its audit history). */
export function makersOf(history: readonly AuditEntry[]): Set<number> {
  return new Set(history.filter((h) => MAKER_ACTIONS.has(h.action) && h.actorId !== null).map((h) => h.actorId!));
}

export function lineView(l: SalaryLine, e: Employee | undefined): SheetLineView {
  return {
    ...l, employeeNo: e?.employeeNo ?? '', employeeName: e?.name ?? `#${l.employeeId}`, department: e?.department ?? '', payeeChannel: e?.payeeChannel ?? 'bank',
    accountMasked: e ? maskEmployeeAccount(e) : '', employeeActive: e?.active ?? false,
  };
}

/** "3 人，实发合计 ¥12,345.00" */
export const describeTotals = (count: number, netFen: Fen) => `${count} 人，实发合计 ${formatYuan(netFen)}`;
