import { DomainError } from '../errors';
import { formatYuan, MAX_FEN, type Fen } from '../money';

/**
 * 薪资计算 (design document 2.3.2 step 1): one line per employee per month,
 *
 *   应发 (gross) = 基本工资 + 工作量 × 单价 + 津贴
 *   实发 (net)   = 应发 − 扣款
 *
 * all in integer fen. Workload may be fractional (12.5 工时, 0.375 吨) and so may a piece rate
 * (¥0.125 / 件), so both are kept as scaled integers:
 *   units  in thousandths of a unit   (UNITS_SCALE = 1000, up to 3 decimals)
 *   rate   in ten-thousandths of a yuan = hundredths of a fen (RATE_SCALE = 100 per fen, up to 4 decimals)
 * The product is exact (BigInt) and rounded once, per line, half up to whole fen (四舍五入, as the
 * payroll is done by hand); sums and the net are exact after that. There is no floating point.
 */
export const UNITS_DECIMALS = 3;
export const RATE_DECIMALS = 4;
/** Units × rate, in 1/100000 fen: thousandths of a unit × hundredths of a fen. */
const PRODUCT_PER_FEN = 100_000n;

/** Upper bounds that keep every figure of a line far inside MAX_FEN. */
export const MAX_UNITS_MILLI = 1_000_000_000; // 1,000,000 units
export const MAX_RATE_CFEN = 10_000_000_000; // ¥1,000,000 per unit
export const MAX_LINE_FEN = 100_000_000_000; // ¥1,000,000,000 per line and part

export interface SalaryInput {
  baseFen: Fen;
  /** Workload in thousandths of a unit (12.5 → 12500). */
  unitsMilli: number;
  /** Rate per unit in hundredths of a fen (¥35.5 → 355000). */
  rateCfen: number;
  allowanceFen: Fen;
  deductionFen: Fen;
}

export interface SalaryFigures extends SalaryInput {
  /** 工作量工资: units × rate, rounded half up to whole fen. */
  workloadFen: Fen;
  /** 应发 */
  grossFen: Fen;
  /** 实发 */
  netFen: Fen;
}

/** Half-up rounding of a non-negative quotient, exact for any size (四舍五入 to the fen). */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('roundHalfUp: non-negative numerator, positive denominator');
  const q = numerator / denominator;
  return (numerator % denominator) * 2n >= denominator ? q + 1n : q;
}

/** 工作量 × 单价 in whole fen. */
export function workloadFen(unitsMilli: number, rateCfen: number): Fen {
  return Number(roundHalfUp(BigInt(unitsMilli) * BigInt(rateCfen), PRODUCT_PER_FEN));
}

function checkPart(value: number, label: string, max: number): void {
  if (!Number.isSafeInteger(value)) throw new DomainError('SALARY_VALUE_INVALID', `${label}必须是有效数字`);
  if (value < 0) throw new DomainError('SALARY_VALUE_NEGATIVE', `${label}不能为负数`);
  if (value > max) throw new DomainError('SALARY_VALUE_TOO_LARGE', `${label}超过上限`);
}

/** Checks the parts (integers, not negative, bounded) and computes 工作量工资, 应发, 实发; a negative 实发 is refused. */
export function computeSalary(input: SalaryInput): SalaryFigures {
  checkPart(input.baseFen, '基本工资', MAX_LINE_FEN);
  checkPart(input.unitsMilli, '工作量', MAX_UNITS_MILLI);
  checkPart(input.rateCfen, '工作量单价', MAX_RATE_CFEN);
  checkPart(input.allowanceFen, '津贴', MAX_LINE_FEN);
  checkPart(input.deductionFen, '扣款', MAX_LINE_FEN);
  const workload = workloadFen(input.unitsMilli, input.rateCfen);
  if (workload > MAX_LINE_FEN) throw new DomainError('SALARY_VALUE_TOO_LARGE', '工作量工资超过上限，请核对工作量和单价');
  const grossFen = input.baseFen + workload + input.allowanceFen;
  const netFen = grossFen - input.deductionFen;
  if (netFen < 0) throw new DomainError('SALARY_NET_NEGATIVE', `实发工资不能为负：应发 ${formatYuan(grossFen)}，扣款 ${formatYuan(input.deductionFen)}`);
  return { ...input, workloadFen: workload, grossFen, netFen };
}

export interface SheetTotals {
  lineCount: number;
  baseFen: Fen;
  workloadFen: Fen;
  allowanceFen: Fen;
  grossFen: Fen;
  deductionFen: Fen;
  netFen: Fen;
}

export const EMPTY_TOTALS: SheetTotals = { lineCount: 0, baseFen: 0, workloadFen: 0, allowanceFen: 0, grossFen: 0, deductionFen: 0, netFen: 0 };

/** 合计: plain sums of the lines' (already rounded) figures; a sheet too large for MAX_FEN is refused. */
export function sheetTotals(lines: readonly Pick<SalaryFigures, 'baseFen' | 'workloadFen' | 'allowanceFen' | 'grossFen' | 'deductionFen' | 'netFen'>[]): SheetTotals {
  const t = { ...EMPTY_TOTALS };
  for (const l of lines) {
    t.lineCount += 1;
    t.baseFen += l.baseFen;
    t.workloadFen += l.workloadFen;
    t.allowanceFen += l.allowanceFen;
    t.grossFen += l.grossFen;
    t.deductionFen += l.deductionFen;
    t.netFen += l.netFen;
  }
  if (t.grossFen > MAX_FEN) throw new DomainError('SALARY_TOTAL_TOO_LARGE', '薪资表合计金额超过上限');
  return t;
}

// ─── decimals at the edge ───────────────────────────────────────────────────────────────────────

/**
 * "12.5" (or 12.5 from JSON / a spreadsheet cell) with at most `decimals` places → 12500 for 3
 * places. Goes through the number's shortest decimal text, which is what was typed.
 */
export function parseScaled(input: unknown, decimals: number, label: string): number {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new DomainError('SALARY_VALUE_INVALID', `${label}必须是有效数字`);
    text = String(input);
    // 1e-7 and 1e21 are not what anyone typed into a salary sheet.
    if (/e/i.test(text)) throw new DomainError('SALARY_VALUE_INVALID', `${label}格式不正确`);
  } else if (typeof input === 'string') text = input.trim();
  else throw new DomainError('SALARY_VALUE_INVALID', `${label}必须是数字`);
  if (text === '') return 0;
  if (text.startsWith('-')) throw new DomainError('SALARY_VALUE_NEGATIVE', `${label}不能为负数`);
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!m) throw new DomainError('SALARY_VALUE_INVALID', `${label}格式不正确，应为数字，例如 12.5`);
  const frac = m[2] ?? '';
  if (frac.length > decimals) throw new DomainError('SALARY_VALUE_PRECISION', `${label}最多保留 ${decimals} 位小数`);
  const scaled = Number(m[1]) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(scaled)) throw new DomainError('SALARY_VALUE_TOO_LARGE', `${label}超过上限`);
  return scaled;
}

/** 12500 → "12.5" (trailing zeros dropped): units and rates as the accountant typed them. */
export function formatScaled(value: number, decimals: number): string {
  const scale = 10 ** decimals;
  const whole = Math.trunc(value / scale);
  const frac = String(value % scale).padStart(decimals, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** Workload text → thousandths of a unit. */
export const parseUnits = (input: unknown) => parseScaled(input, UNITS_DECIMALS, '工作量');
/** Rate in yuan per unit → hundredths of a fen. */
export const parseRate = (input: unknown) => parseScaled(input, RATE_DECIMALS, '工作量单价');
export const formatUnits = (milli: number) => formatScaled(milli, UNITS_DECIMALS);
/** Hundredths of a fen → yuan text ("35.5", "0.125"). */
export const formatRate = (cfen: number) => formatScaled(cfen, RATE_DECIMALS);
