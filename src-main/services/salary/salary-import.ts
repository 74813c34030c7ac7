import ExcelJS from 'exceljs';
import { isDomainError } from '../../core/errors';
import { fenToYuanString, parseYuan } from '../../core/money';
import type { Employee } from '../../core/salary/employee';
import { computeSalary, formatRate, formatUnits, parseRate, parseUnits, type SheetTotals } from '../../core/salary/salary-calc';
import { assertSheetEditable, checkMonth } from '../../core/salary/salary-sheet';
import type { Clock } from '../../core/time';
import type { LineFigures } from '../../db/repositories/salary-repository';
import type { Store } from '../../db/store';
import type { Actor } from '../actor';
import { lineFigures, type SalarySheetService } from './salary-sheet-service';

/**
 * 薪资表 from Excel (issue 7): a downloadable template (one row per active employee, with this
 * month's figures where there are some, else the employee's defaults) and its import. Every row is
 * checked — the employee exists under that number and name, every amount and quantity is a valid
 * number, the net pay is not negative, no employee twice — and the errors are listed by row; nothing
 * is saved while any row is wrong. A valid file replaces the lines of the employees it lists.
 */
export const TEMPLATE_COLUMNS = ['工号', '姓名', '部门', '基本工资（元）', '工作量', '单价（元/单位）', '津贴（元）', '扣款（元）', '备注'] as const;
export const MAX_IMPORT_ROWS = 5000;

export interface ImportRowError {
  /** The spreadsheet row number as Excel shows it. */
  row: number;
  employeeNo: string;
  message: string;
}

export interface ImportResult {
  ok: boolean;
  created: number;
  updated: number;
  errors: ImportRowError[];
  totals: SheetTotals | null;
}

type Cell = ExcelJS.CellValue;

/** A cell as text: formulas by their result, rich text joined, dates refused by the caller's parse. */
function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('result' in v) return cellText((v as { result?: Cell }).result ?? null);
    if ('richText' in v) return (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    if (v instanceof Date) return 'DATE';
    return '';
  }
  return String(v).trim();
}

/** A cell as a number or text for the decimal parsers (a numeric cell stays a number: its shortest decimal text is what was typed). */
function cellNumber(v: Cell): unknown {
  if (v !== null && typeof v === 'object' && 'result' in v) return cellNumber((v as { result?: Cell }).result ?? null);
  if (typeof v === 'number') return v;
  return cellText(v);
}

const yuanOrZero = (v: unknown, label: string): number => {
  if (v === '' || v === null || v === undefined) return 0;
  try {
    return parseYuan(v, { allowZero: true });
  } catch (e) {
    throw new RowError(`${label}：${isDomainError(e) ? e.message : '金额格式不正确'}`);
  }
};

class RowError extends Error {}

export class SalaryImport {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sheets: SalarySheetService,
  ) {}

  /** 下载模板 (.xlsx): filled with this month's lines, or every active employee's defaults. */
  async template(month: string): Promise<{ fileName: string; content: Buffer }> {
    checkMonth(month);
    const { employees, lines } = await this.store.read(async (tx) => {
      const lines = await tx.salary.linesOf(month);
      const employees = await tx.salary.activeEmployees();
      const byId = await tx.salary.employeesByIds(lines.map((l) => l.employeeId));
      for (const e of byId.values()) if (!employees.some((x) => x.id === e.id)) employees.push(e);
      return { employees, lines: new Map(lines.map((l) => [l.employeeId, l])) };
    });
    const wb = new ExcelJS.Workbook();
    wb.creator = '支付中心';
    const ws = wb.addWorksheet(`${month} 薪资表`);
    ws.addRow([...TEMPLATE_COLUMNS]);
    ws.getRow(1).font = { bold: true };
    ws.columns.forEach((c, i) => (c.width = [12, 12, 14, 16, 10, 16, 12, 12, 24][i] ?? 12));
    for (const e of employees.sort((a, b) => a.employeeNo.localeCompare(b.employeeNo))) {
      const l = lines.get(e.id);
      const yuan = (fen: number) => Number(fenToYuanString(fen));
      ws.addRow([
        e.employeeNo, e.name, e.department, yuan(l?.baseFen ?? e.baseFen), Number(formatUnits(l?.unitsMilli ?? 0)), Number(formatRate(l?.rateCfen ?? e.rateCfen)),
        yuan(l?.allowanceFen ?? 0), yuan(l?.deductionFen ?? 0), l?.remark ?? '',
      ]);
    }
    ws.addRow([]);
    ws.addRow(['说明：工号、姓名须与员工档案一致；金额单位为元（最多 2 位小数），工作量最多 3 位小数，单价最多 4 位小数；实发 = 基本工资 + 工作量 × 单价 + 津贴 − 扣款，不能为负。']);
    const content = Buffer.from(await wb.xlsx.writeBuffer());
    return { fileName: `薪资表-${month}.xlsx`, content };
  }

  /** 导入: all rows valid → the lines are written in one transaction; otherwise nothing, and the errors by row. */
  async importSheet(actor: Actor, month: string, bytes: Buffer): Promise<ImportResult> {
    checkMonth(month);
    const rows = await readRows(bytes);
    if ('error' in rows) return { ok: false, created: 0, updated: 0, errors: [{ row: 0, employeeNo: '', message: rows.error }], totals: null };
    const { employees, onSheet } = await this.store.read(async (tx) => ({
      employees: await tx.salary.employeesByNos(rows.rows.map((r) => r.employeeNo).filter(Boolean)),
      onSheet: new Set((await tx.salary.linesOf(month)).map((l) => l.employeeId)),
    }));
    const { lines, errors } = checkRows(rows.rows, employees, onSheet);
    if (errors.length) return { ok: false, created: 0, updated: 0, errors, totals: null };
    return this.store.transaction(async (tx) => {
      const sheet = await this.sheets.lockSheet(tx, month, true);
      assertSheetEditable(sheet.status);
      // Checked again in the transaction: an employee disabled or renumbered since the check above.
      const current = await tx.salary.employeesByNos(lines.map((l) => l.employeeNo));
      const existing = new Map((await tx.salary.linesOf(month, { forUpdate: true })).map((l) => [l.employeeId, l]));
      const again = checkRows(rows.rows, current, new Set(existing.keys()));
      if (again.errors.length) return { ok: false, created: 0, updated: 0, errors: again.errors, totals: null };
      const now = this.clock.now();
      const by = { updatedBy: actor.id, updatedByName: actor.name, updatedAt: now };
      const updates = again.lines.filter((l) => existing.has(l.employeeId));
      const creates = again.lines.filter((l) => !existing.has(l.employeeId));
      await tx.salary.updateLines(updates.map((l) => {
        const old = existing.get(l.employeeId)!;
        return { id: old.id, version: old.version, patch: { ...l.figures, ...by } };
      }));
      await tx.salary.insertLines(month, creates.map((l) => ({ ...l.figures, employeeId: l.employeeId })), actor, now);
      const { totals } = await this.sheets.refreshTotals(tx, sheet);
      await this.sheets.audit(tx, actor, 'salary.sheet.import', month, null, { created: creates.length, updated: updates.length, lineCount: totals.lineCount, netFen: totals.netFen });
      return { ok: true, created: creates.length, updated: updates.length, errors: [], totals };
    });
  }
}

interface RawRow {
  row: number;
  employeeNo: string;
  name: string;
  cells: Cell[];
}

async function readRows(bytes: Buffer): Promise<{ rows: RawRow[] } | { error: string }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { error: '无法读取文件：请上传由模板填写的 Excel 文件（.xlsx）' };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { error: '文件中没有工作表' };
  const header = (ws.getRow(1).values as Cell[]).slice(1).map(cellText);
  const missing = TEMPLATE_COLUMNS.filter((c, i) => c !== '备注' && c !== '部门' && header[i] !== c);
  if (missing.length) return { error: `表头与模板不一致（第 1 行应为：${TEMPLATE_COLUMNS.join('、')}），请下载模板后填写` };
  const rows: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const cells = (r.values as Cell[]).slice(1);
    const employeeNo = cellText(cells[0] ?? null);
    const name = cellText(cells[1] ?? null);
    // The template's closing note and blank rows are not employees.
    if (!employeeNo && !name && cells.slice(3, 8).every((c) => cellText(c ?? null) === '')) return;
    if (!employeeNo && name.startsWith('说明')) return;
    rows.push({ row: n, employeeNo, name, cells });
  });
  if (!rows.length) return { error: '文件中没有薪资数据（从第 2 行起每行一位员工）' };
  if (rows.length > MAX_IMPORT_ROWS) return { error: `一次最多导入 ${MAX_IMPORT_ROWS} 行，文件有 ${rows.length} 行` };
  return { rows };
}

interface CheckedLine {
  employeeId: number;
  employeeNo: string;
  figures: LineFigures;
}

/** Every row checked on its own; the first problem of a row is its message. */
/** An employee no longer active may still be corrected on a sheet they are already on, not added to one. */
function checkRows(rows: readonly RawRow[], employees: ReadonlyMap<string, Employee>, onSheet: ReadonlySet<number>): { lines: CheckedLine[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const lines: CheckedLine[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    try {
      if (!r.employeeNo) throw new RowError('工号为空');
      const first = seen.get(r.employeeNo);
      if (first !== undefined) throw new RowError(`工号 ${r.employeeNo} 在第 ${first} 行已出现，同一员工只能有一行`);
      seen.set(r.employeeNo, r.row);
      const e = employees.get(r.employeeNo);
      if (!e) throw new RowError(`工号 ${r.employeeNo} 不存在，请先在「员工」中登记`);
      if (r.name !== e.name) throw new RowError(`姓名「${r.name}」与工号 ${r.employeeNo} 的员工「${e.name}」不一致`);
      if (!e.active && !onSheet.has(e.id)) throw new RowError(`员工 ${e.name} 已停用，不能加入薪资表`);
      const c = (i: number) => r.cells[i] ?? null;
      const baseFen = yuanOrZero(cellNumber(c(3)), '基本工资');
      const unitsMilli = parse(() => parseUnits(cellNumber(c(4))));
      const rateCfen = parse(() => parseRate(cellNumber(c(5))));
      const allowanceFen = yuanOrZero(cellNumber(c(6)), '津贴');
      const deductionFen = yuanOrZero(cellNumber(c(7)), '扣款');
      const remark = cellText(c(8));
      if (remark.length > 128) throw new RowError('备注不能超过 128 个字符');
      const figures = parse(() => computeSalary({ baseFen, unitsMilli, rateCfen, allowanceFen, deductionFen }));
      lines.push({ employeeId: e.id, employeeNo: e.employeeNo, figures: lineFigures(figures, remark) });
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      errors.push({ row: r.row, employeeNo: r.employeeNo, message: err.message });
    }
  }
  return { lines, errors };
}

function parse<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isDomainError(e)) throw new RowError(e.message);
    throw e;
  }
}
