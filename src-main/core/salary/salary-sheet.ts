import { DomainError } from '../errors';

/**
 * 薪资表 (design document 2.3.2 steps 1–3 and 8): the month's lines are filled (in the app or from
 * an Excel file) by one finance person and 审核 by another (maker-checker); a reviewed sheet is
 * drafted into a salary 批量付款 — automatically on the pay day, or by hand — and every line follows
 * its batch item to 已发放 / 发放失败.
 */
export const SHEET_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'batch_drafted', 'paid', 'partially_failed'] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number];
export const SHEET_STATUS_LABELS: Record<SheetStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  approved: '已审核',
  rejected: '已驳回',
  batch_drafted: '已生成批量',
  paid: '已发放',
  partially_failed: '部分失败',
};

export const LINE_PAYOUT_STATUSES = ['unpaid', 'skipped', 'in_batch', 'paid', 'failed', 'cancelled'] as const;
export type LinePayoutStatus = (typeof LINE_PAYOUT_STATUSES)[number];
export const LINE_PAYOUT_STATUS_LABELS: Record<LinePayoutStatus, string> = {
  unpaid: '未发放',
  skipped: '无需发放',
  in_batch: '发放中',
  paid: '已发放',
  failed: '发放失败',
  cancelled: '已取消',
};

/** Lines are written only while the sheet is being prepared; from submission on it is frozen. */
export const isSheetEditable = (s: SheetStatus) => s === 'draft' || s === 'rejected';

export function assertSheetEditable(s: SheetStatus): void {
  if (!isSheetEditable(s)) throw new DomainError('SALARY_SHEET_FROZEN', `薪资表${SHEET_STATUS_LABELS[s]}，不能修改（驳回后才能修改）`);
}

export function assertSubmittable(s: SheetStatus, lineCount: number): void {
  if (!isSheetEditable(s)) throw new DomainError('SALARY_SHEET_NOT_SUBMITTABLE', `薪资表${SHEET_STATUS_LABELS[s]}，不能提交审核`);
  if (lineCount === 0) throw new DomainError('SALARY_SHEET_EMPTY', '薪资表还没有任何员工的薪资，不能提交审核');
}

export function assertReviewable(s: SheetStatus): void {
  if (s !== 'submitted') throw new DomainError('SALARY_SHEET_NOT_SUBMITTED', `薪资表${SHEET_STATUS_LABELS[s]}，不在待审核状态`);
}

/**
 * Maker-checker (薪资审核): whoever filled a line of the sheet or submitted it cannot review it.
 * The system (an import by a job) is nobody, so it never blocks a person.
 */
export function assertReviewer(reviewerId: number | null, makers: ReadonlySet<number>): void {
  if (reviewerId === null) throw new DomainError('SALARY_REVIEWER_REQUIRED', '薪资审核须由财务人员本人操作');
  if (makers.has(reviewerId)) throw new DomainError('SALARY_SELF_REVIEW', '您填写或提交了这张薪资表，不能审核自己的薪资表，请由另一位财务人员审核');
}

/** Sheets a batch may be drafted from, and the lines it takes: not yet sent (or cancelled from a batch) with money to pay. */
export function assertDraftable(s: SheetStatus): void {
  if (s !== 'approved' && s !== 'partially_failed')
    throw new DomainError('SALARY_SHEET_NOT_APPROVED', s === 'batch_drafted' || s === 'paid' ? `薪资表${SHEET_STATUS_LABELS[s]}，不能重复生成批量付款` : `薪资表${SHEET_STATUS_LABELS[s]}，审核通过后才能生成批量付款`);
}
export const isLineDraftable = (l: { payoutStatus: LinePayoutStatus; netFen: number }) => l.netFen > 0 && (l.payoutStatus === 'unpaid' || l.payoutStatus === 'cancelled');

/** How many lines of a sheet are in each payout status (kept on the sheet row once a batch exists). */
export type PayoutCounts = Record<LinePayoutStatus, number>;

export function payoutCounts(lines: readonly { payoutStatus: LinePayoutStatus }[]): PayoutCounts {
  const c = Object.fromEntries(LINE_PAYOUT_STATUSES.map((s) => [s, 0])) as PayoutCounts;
  for (const l of lines) c[l.payoutStatus] += 1;
  return c;
}

/**
 * The sheet's status once a batch exists, from its lines: anything still in a batch → 已生成批量;
 * everything paid (or nothing to pay) → 已发放; nothing paid and everything cancelled → back to
 * 已审核 (the batch was cancelled: it may be drafted again); otherwise 部分失败.
 */
export function sheetStatusFromCounts(n: PayoutCounts): SheetStatus {
  if (n.in_batch > 0) return 'batch_drafted';
  if (n.failed + n.cancelled + n.unpaid === 0) return 'paid';
  if (n.paid === 0 && n.failed === 0) return 'approved';
  return 'partially_failed';
}

export const sheetStatusFromLines = (lines: readonly { payoutStatus: LinePayoutStatus }[]) => sheetStatusFromCounts(payoutCounts(lines));

/** Which line changes a batch item's settlement makes (2.3.2 step 8); a late answer for an older batch changes nothing. */
export function linePayoutAfter(current: LinePayoutStatus, state: 'success' | 'failed' | 'cancelled'): LinePayoutStatus {
  if (current === 'paid') return 'paid'; // paid is final: a replayed or reordered failure never undoes it
  return state === 'success' ? 'paid' : state === 'failed' ? 'failed' : 'cancelled';
}

// ─── months and the pay day ────────────────────────────────────────────────────────────────────

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function checkMonth(month: string): string {
  const m = MONTH.exec(month);
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2099) throw new DomainError('SALARY_MONTH_INVALID', `薪资月份格式应为 YYYY-MM（例如 2026-11）：${month}`);
  return month;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = checkMonth(month).split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

const daysInMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};

/** 发放规则: the salary of a month is paid on `payDay` of the following month (次月) or of the same month (当月). */
export interface SalarySchedule {
  /** 1–31; in a shorter month the last day. */
  payDay: number;
  payMonth: 'next' | 'same';
  /** Draft the batch automatically on the pay day (it still waits for approval). */
  autoDraft: boolean;
}

export const DEFAULT_SALARY_SCHEDULE: SalarySchedule = { payDay: 10, payMonth: 'next', autoDraft: true };
export const PAY_MONTH_LABELS: Record<SalarySchedule['payMonth'], string> = { next: '次月', same: '当月' };

export function validateSchedule(s: SalarySchedule): SalarySchedule {
  if (!Number.isInteger(s.payDay) || s.payDay < 1 || s.payDay > 31) throw new DomainError('SALARY_PAYDAY_INVALID', '发薪日应为每月 1 至 31 日');
  if (s.payMonth !== 'next' && s.payMonth !== 'same') throw new DomainError('SALARY_PAYDAY_INVALID', '发放月份应为 次月 或 当月');
  return { payDay: s.payDay, payMonth: s.payMonth, autoDraft: Boolean(s.autoDraft) };
}

/** The Asia/Shanghai date (YYYY-MM-DD) the salary of `month` is paid. */
export function payDateOf(month: string, s: Pick<SalarySchedule, 'payDay' | 'payMonth'>): string {
  const target = s.payMonth === 'next' ? addMonths(month, 1) : checkMonth(month);
  return `${target}-${String(Math.min(s.payDay, daysInMonth(target))).padStart(2, '0')}`;
}

/** 发放规则 as a sentence: "次月 10 日发放上月工资". */
export function describeSchedule(s: SalarySchedule): string {
  return s.payMonth === 'next' ? `每月 ${s.payDay} 日发放上月工资` : `每月 ${s.payDay} 日发放当月工资`;
}

// ─── the records ───────────────────────────────────────────────────────────────────────────────

export interface SalarySheet {
  id: number;
  month: string;
  status: SheetStatus;
  lineCount: number;
  grossFen: number;
  deductionFen: number;
  netFen: number;
  submittedBy: number | null;
  submittedByName: string | null;
  submittedAt: number | null;
  reviewedBy: number | null;
  reviewedByName: string | null;
  reviewedAt: number | null;
  reviewComment: string | null;
  /** The latest 批量付款 drafted from the sheet. */
  batchId: number | null;
  batchNo: string | null;
  batchDraftedAt: number | null;
  batchDraftedByName: string | null;
  /** Drafted by the pay-day job (once per month; a later draft is by hand). */
  autoDrafted: boolean;
  /** Lines by payout status (unpaid = lineCount − the others). */
  payoutCounts: PayoutCounts;
  createdAt: number;
  version: number;
}

export interface SalaryLine {
  id: number;
  month: string;
  employeeId: number;
  baseFen: number;
  unitsMilli: number;
  rateCfen: number;
  workloadFen: number;
  allowanceFen: number;
  deductionFen: number;
  grossFen: number;
  netFen: number;
  remark: string;
  payoutStatus: LinePayoutStatus;
  batchId: number | null;
  batchNo: string | null;
  batchItemId: number | null;
  paidAt: number | null;
  failReason: string | null;
  /** The 工资条 message in the notification outbox. */
  payslipOutboxId: number | null;
  updatedBy: number | null;
  updatedByName: string;
  updatedAt: number;
  createdAt: number;
  version: number;
}
