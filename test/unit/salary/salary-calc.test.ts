import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src-main/core/errors';
import {
  computeSalary, formatRate, formatUnits, MAX_LINE_FEN, MAX_RATE_CFEN, MAX_UNITS_MILLI, parseRate, parseUnits, roundHalfUp, sheetTotals, workloadFen,
  type SalaryInput,
} from '../../../src-main/core/salary/salary-calc';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'NO_ERROR';
};

const line = (over: Partial<SalaryInput> = {}): SalaryInput => ({ baseFen: 500_000, unitsMilli: 0, rateCfen: 0, allowanceFen: 0, deductionFen: 0, ...over });

describe('薪资计算: 应发 = 基本工资 + 工作量 × 单价 + 津贴, 实发 = 应发 − 扣款, in fen', () => {
  it('computes a line with fractional workload and rate, rounded half up once', () => {
    // 12.5 工时 × ¥35.5 = ¥443.75; base ¥5,000, allowance ¥300, deductions ¥612.34.
    const f = computeSalary(line({ unitsMilli: parseUnits('12.5'), rateCfen: parseRate('35.5'), allowanceFen: 30_000, deductionFen: 61_234 }));
    expect(f).toMatchObject({ workloadFen: 44_375, grossFen: 574_375, netFen: 513_141 });
  });

  it.each([
    // units × rate in yuan → fen, half up: 3 × ¥0.125 = 0.375 → 38 fen; 1 × ¥0.0049 = 0.49 fen → 0; 1 × ¥0.005 = 0.5 fen → 1.
    ['3', '0.125', 38],
    ['1', '0.0049', 0],
    ['1', '0.005', 1],
    ['0.333', '3', 100],
    ['0.001', '0.0001', 0],
    ['100000', '9999.9999', 99_999_999_000],
  ])('%s × ¥%s = %d fen', (units, rate, fen) => expect(workloadFen(parseUnits(units), parseRate(rate))).toBe(fen));

  it('refuses a negative net pay, negative parts and fractions of a fen', () => {
    expect(() => computeSalary(line({ baseFen: 100, deductionFen: 101 }))).toThrow('实发工资不能为负：应发 ¥1.00，扣款 ¥1.01');
    expect(code(() => computeSalary(line({ baseFen: -1 })))).toBe('SALARY_VALUE_NEGATIVE');
    expect(code(() => computeSalary(line({ allowanceFen: 1.5 })))).toBe('SALARY_VALUE_INVALID');
    expect(code(() => computeSalary(line({ unitsMilli: MAX_UNITS_MILLI + 1 })))).toBe('SALARY_VALUE_TOO_LARGE');
    expect(computeSalary(line({ baseFen: 100, deductionFen: 100 })).netFen).toBe(0);
  });

  it('parses units and rates with their own precision, never through floating point sums', () => {
    expect(parseUnits(12.5)).toBe(12_500);
    expect(parseUnits('0.1')).toBe(100);
    expect(parseUnits('')).toBe(0);
    expect(parseRate(0.1)).toBe(1_000);
    expect(parseRate('35.1234')).toBe(351_234);
    expect(() => parseUnits('1.2345')).toThrow('工作量最多保留 3 位小数');
    expect(() => parseRate('0.00001')).toThrow('工作量单价最多保留 4 位小数');
    expect(() => parseUnits('-1')).toThrow('工作量不能为负数');
    expect(() => parseUnits('1,5')).toThrow('工作量格式不正确，应为数字，例如 12.5');
    expect(() => parseUnits(1e-7)).toThrow('工作量格式不正确');
    expect(() => parseUnits(Number.NaN)).toThrow('工作量必须是有效数字');
    expect(formatUnits(12_500)).toBe('12.5');
    expect(formatRate(351_234)).toBe('35.1234');
    expect(formatRate(0)).toBe('0');
  });

  it('rounds half up exactly for any size', () => {
    expect(roundHalfUp(5n, 10n)).toBe(1n);
    expect(roundHalfUp(4n, 10n)).toBe(0n);
    expect(roundHalfUp(10n ** 30n + 5n, 10n)).toBe(10n ** 29n + 1n);
  });
});

const arbLine = fc.record({
  baseFen: fc.integer({ min: 0, max: 10_000_000 }),
  unitsMilli: fc.integer({ min: 0, max: MAX_UNITS_MILLI }),
  rateCfen: fc.integer({ min: 0, max: MAX_RATE_CFEN }),
  allowanceFen: fc.integer({ min: 0, max: 10_000_000 }),
  deductionFen: fc.integer({ min: 0, max: 10_000_000 }),
});

describe('salary properties', () => {
  it('net = gross − deductions, gross = base + workload + allowances, workload within half a fen of the exact product', () => {
    fc.assert(
      fc.property(arbLine, (l) => {
        let f;
        try {
          f = computeSalary(l);
        } catch (e) {
          // Refused only when the net would be negative or the workload too large.
          expect(['SALARY_NET_NEGATIVE', 'SALARY_VALUE_TOO_LARGE']).toContain((e as DomainError).code);
          const exact = BigInt(l.unitsMilli) * BigInt(l.rateCfen);
          const w = Number(roundHalfUp(exact, 100_000n));
          expect(w > MAX_LINE_FEN || l.baseFen + w + l.allowanceFen - l.deductionFen < 0).toBe(true);
          return;
        }
        expect(f.grossFen).toBe(f.baseFen + f.workloadFen + f.allowanceFen);
        expect(f.netFen).toBe(f.grossFen - f.deductionFen);
        expect(f.netFen).toBeGreaterThanOrEqual(0);
        for (const v of [f.workloadFen, f.grossFen, f.netFen]) expect(Number.isSafeInteger(v)).toBe(true);
        // |workload × 100000 − units × rate| ≤ 50000 (half a fen), and exactly half rounds up.
        const diff = BigInt(f.workloadFen) * 100_000n - BigInt(l.unitsMilli) * BigInt(l.rateCfen);
        expect(diff <= 50_000n && diff > -50_000n).toBe(true);
      }),
    );
  });

  it('sheet totals equal the sums of the lines, and net total = gross total − deduction total', () => {
    fc.assert(
      fc.property(fc.array(arbLine.map((l) => ({ ...l, rateCfen: l.rateCfen % 10_000_000, deductionFen: 0 })), { maxLength: 40 }), (inputs) => {
        const lines = inputs.map(computeSalary);
        const t = sheetTotals(lines);
        const sum = (k: keyof (typeof lines)[number]) => lines.reduce((s, l) => s + l[k], 0);
        expect(t.lineCount).toBe(lines.length);
        expect(t.netFen).toBe(sum('netFen'));
        expect(t.grossFen).toBe(sum('grossFen'));
        expect(t.workloadFen).toBe(sum('workloadFen'));
        expect(t.netFen).toBe(t.grossFen - t.deductionFen);
        expect(t.grossFen).toBe(t.baseFen + t.workloadFen + t.allowanceFen);
      }),
    );
  });

  it('a decimal typed with at most the allowed places parses to the exact scaled integer and formats back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 999 }), (whole, frac) => {
        const text = `${whole}.${String(frac).padStart(3, '0')}`;
        const milli = parseUnits(text);
        expect(milli).toBe(whole * 1000 + frac);
        expect(parseUnits(formatUnits(milli))).toBe(milli);
      }),
    );
  });
});
