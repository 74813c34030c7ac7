/**
 * The live totals of the 薪资表 while the accountant types: the same arithmetic as the main process
 * (core/salary/salary-calc.ts) on scaled integers — workload in thousandths of a unit, rates in
 * hundredths of a fen, the product rounded half up once to the fen — so the preview never shows a
 * figure the saved line will not have. What is saved is always computed again by the main process.
 */

/** "12.5" with at most `decimals` places → 12500 for 3; '' → 0; null when not such a number. */
export function scaled(text: string, decimals: number): number | null {
  const t = text.trim();
  if (t === '') return 0;
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(t);
  if (!m || (m[2] ?? '').length > decimals) return null;
  const v = Number(m[1]) * 10 ** decimals + Number((m[2] ?? '').padEnd(decimals, '0') || '0');
  return Number.isSafeInteger(v) ? v : null;
}

export const yuanToFen = (text: string) => scaled(text, 2);
export const unitsToMilli = (text: string) => scaled(text, 3);
export const rateToCfen = (text: string) => scaled(text, 4);

/** 12500 → "12.5", trailing zeros dropped. */
export function unscaled(value: number, decimals: number): string {
  const scale = 10 ** decimals;
  const frac = String(value % scale).padStart(decimals, '0').replace(/0+$/, '');
  return frac ? `${Math.trunc(value / scale)}.${frac}` : String(Math.trunc(value / scale));
}

export interface LineDraft {
  base: string;
  units: string;
  rate: string;
  allowance: string;
  deduction: string;
  remark: string;
}

export interface LinePreview {
  baseFen: number;
  workloadFen: number;
  allowanceFen: number;
  grossFen: number;
  deductionFen: number;
  netFen: number;
  /** Why the line cannot be saved as typed (shown beside it); null when it can. */
  problem: string | null;
}

export function previewLine(d: LineDraft): LinePreview {
  const base = yuanToFen(d.base);
  const units = unitsToMilli(d.units);
  const rate = rateToCfen(d.rate);
  const allowance = yuanToFen(d.allowance);
  const deduction = yuanToFen(d.deduction);
  const problem =
    base === null ? '基本工资格式不正确（最多 2 位小数）'
    : units === null ? '工作量格式不正确（最多 3 位小数）'
    : rate === null ? '单价格式不正确（最多 4 位小数）'
    : allowance === null ? '津贴格式不正确（最多 2 位小数）'
    : deduction === null ? '扣款格式不正确（最多 2 位小数）'
    : null;
  if (problem) return { baseFen: 0, workloadFen: 0, allowanceFen: 0, grossFen: 0, deductionFen: 0, netFen: 0, problem };
  const p = BigInt(units!) * BigInt(rate!);
  const workloadFen = Number(p / 100_000n + ((p % 100_000n) * 2n >= 100_000n ? 1n : 0n));
  const grossFen = base! + workloadFen + allowance!;
  const netFen = grossFen - deduction!;
  return { baseFen: base!, workloadFen, allowanceFen: allowance!, grossFen, deductionFen: deduction!, netFen, problem: netFen < 0 ? '实发工资不能为负' : null };
}
