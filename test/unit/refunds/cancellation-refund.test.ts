import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FEN } from '../../../src-main/core/money';
import {
  assertValidCancellationTiers,
  DEFAULT_CANCELLATION_TIERS,
  describeCancellationTier,
  refundForCancellation,
  validateCancellationTiers,
  type CancellationTier,
} from '../../../src-main/core/refunds/cancellation-refund';
import { HOUR_MS } from '../../../src-main/core/time';

const appointment = Date.UTC(2024, 5, 1, 10, 0, 0);
const cancelAt = (msBefore: number) => appointment - msBefore;

describe('refund by cancellation time: default tiers (≥48h 100%, 24–48h 50%, <24h 0%)', () => {
  it.each([
    ['a month ahead', 30 * 24 * HOUR_MS, 100],
    ['48h + 1 ms', 48 * HOUR_MS + 1, 100],
    ['exactly 48h', 48 * HOUR_MS, 100],
    ['48h − 1 ms', 48 * HOUR_MS - 1, 50],
    ['24h + 1 ms', 24 * HOUR_MS + 1, 50],
    ['exactly 24h', 24 * HOUR_MS, 50],
    ['24h − 1 ms', 24 * HOUR_MS - 1, 0],
    ['1 ms before', 1, 0],
    ['exactly at the appointment', 0, 0],
    ['after the appointment started', -2 * HOUR_MS, 0],
  ])('%s → %d%%', (_label, msBefore, percent) => {
    const r = refundForCancellation(20000, appointment, cancelAt(msBefore));
    expect(r.percent).toBe(percent);
    expect(r.refundFen).toBe((20000 * percent) / 100);
    expect(r.msBefore).toBe(msBefore);
  });

  it('rounds down to the fen so the refund never exceeds the tier', () => {
    expect(refundForCancellation(10001, appointment, cancelAt(30 * HOUR_MS)).refundFen).toBe(5000);
    expect(refundForCancellation(1, appointment, cancelAt(30 * HOUR_MS)).refundFen).toBe(0);
    expect(refundForCancellation(3, appointment, cancelAt(30 * HOUR_MS)).refundFen).toBe(1);
    expect(refundForCancellation(10001, appointment, cancelAt(50 * HOUR_MS)).refundFen).toBe(10001);
    expect(refundForCancellation(MAX_FEN, appointment, cancelAt(50 * HOUR_MS)).refundFen).toBe(MAX_FEN);
    const tiers = [{ minHoursBefore: 1, percent: 33 }, { minHoursBefore: 0, percent: 0 }];
    // 999 × 33% = 329.67 fen → 329 fen.
    expect(refundForCancellation(999, appointment, cancelAt(HOUR_MS), tiers).refundFen).toBe(329);
  });

  it('refuses an invalid deposit, invalid times and an invalid table', () => {
    expect(() => refundForCancellation(0, appointment, appointment)).toThrow('金额必须大于 0');
    expect(() => refundForCancellation(1.5, appointment, appointment)).toThrow('金额必须是整数分');
    expect(() => refundForCancellation(100, Number.NaN, appointment)).toThrow('预约时间或取消时间无效');
    expect(() => refundForCancellation(100, appointment, appointment, [])).toThrow('退款档位不能为空');
  });

  it('describes the tiers as the settings page shows them', () => {
    const t = DEFAULT_CANCELLATION_TIERS;
    expect([0, 1, 2].map((i) => describeCancellationTier(t, i))).toEqual([
      '提前 48 小时及以上取消',
      '提前 24–48 小时取消',
      '提前不足 24 小时（含预约开始后）取消',
    ]);
    expect(describeCancellationTier([{ minHoursBefore: 0, percent: 100 }], 0)).toBe('任何时间取消');
  });
});

describe('custom tier tables: every boundary is exact', () => {
  const tiers: CancellationTier[] = [
    { minHoursBefore: 72, percent: 100 },
    { minHoursBefore: 24, percent: 80 },
    { minHoursBefore: 2, percent: 30 },
    { minHoursBefore: 0, percent: 0 },
  ];

  it.each(tiers.slice(0, -1).map((t, i) => [t.minHoursBefore, t.percent, tiers[i + 1]!.percent] as const))(
    'at %dh: exactly → %d%%, one ms later → %d%%',
    (hours, atPercent, belowPercent) => {
      expect(refundForCancellation(10000, appointment, cancelAt(hours * HOUR_MS), tiers).percent).toBe(atPercent);
      expect(refundForCancellation(10000, appointment, cancelAt(hours * HOUR_MS + 1), tiers).percent).toBe(atPercent);
      expect(refundForCancellation(10000, appointment, cancelAt(hours * HOUR_MS - 1), tiers).percent).toBe(belowPercent);
    },
  );

  it('a single 0h tier applies to every cancellation', () => {
    const flat = [{ minHoursBefore: 0, percent: 100 }];
    expect(refundForCancellation(500, appointment, cancelAt(-HOUR_MS), flat)).toMatchObject({ percent: 100, refundFen: 500, tierIndex: 0 });
  });
});

describe('validating a tier table', () => {
  it('the default table is valid', () => {
    expect(validateCancellationTiers(DEFAULT_CANCELLATION_TIERS)).toEqual([]);
  });

  it.each<[string, CancellationTier[], string]>([
    ['empty', [], '退款档位不能为空'],
    ['not sorted', [{ minHoursBefore: 24, percent: 50 }, { minHoursBefore: 48, percent: 50 }, { minHoursBefore: 0, percent: 0 }], '退款档位须按提前小时数从大到小排列'],
    ['two tiers starting at the same hour (overlap)', [{ minHoursBefore: 24, percent: 50 }, { minHoursBefore: 24, percent: 40 }, { minHoursBefore: 0, percent: 0 }], '档位重叠'],
    ['no 0h tier (gap)', [{ minHoursBefore: 48, percent: 100 }, { minHoursBefore: 24, percent: 50 }], '最后一档必须从 0 小时开始，否则提前不足 24 小时的取消没有对应档位'],
    ['percent above 100', [{ minHoursBefore: 0, percent: 101 }], '第 1 档的退款比例必须是 0 到 100 之间的整数'],
    ['negative percent', [{ minHoursBefore: 0, percent: -1 }], '第 1 档的退款比例必须是 0 到 100 之间的整数'],
    ['fractional percent', [{ minHoursBefore: 24, percent: 50.5 }, { minHoursBefore: 0, percent: 0 }], '第 1 档的退款比例必须是 0 到 100 之间的整数'],
    ['fractional hours', [{ minHoursBefore: 1.5, percent: 50 }, { minHoursBefore: 0, percent: 0 }], '第 1 档的提前小时数必须是 0 到 8784 之间的整数'],
    ['negative hours', [{ minHoursBefore: 24, percent: 50 }, { minHoursBefore: -1, percent: 0 }], '第 2 档的提前小时数必须是 0 到 8784 之间的整数'],
    ['later cancellation refunded more', [{ minHoursBefore: 48, percent: 50 }, { minHoursBefore: 0, percent: 100 }], '越晚取消退款比例不能越高'],
  ])('%s is refused', (_label, tiers, message) => {
    expect(validateCancellationTiers(tiers).join('；')).toContain(message);
    expect(() => assertValidCancellationTiers(tiers)).toThrow(message);
  });
});

/** A valid table: distinct hours descending ending at 0, percents non-increasing. */
const validTiers: fc.Arbitrary<CancellationTier[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 24 * 30 }), { maxLength: 5 })
  .chain((hours) => {
    const starts = [...hours.sort((a, b) => b - a), 0];
    return fc.array(fc.integer({ min: 0, max: 100 }), { minLength: starts.length, maxLength: starts.length }).map((ps) => {
      const percents = ps.sort((a, b) => b - a);
      return starts.map((minHoursBefore, i) => ({ minHoursBefore, percent: percents[i]! }));
    });
  });

describe('properties of refund by cancellation time', () => {
  it('any valid table: 0 ≤ refund ≤ deposit × percent, rounded down, and the tier is the one whose window holds the time', () => {
    fc.assert(
      fc.property(validTiers, fc.integer({ min: 1, max: MAX_FEN }), fc.integer({ min: -48 * HOUR_MS, max: 40 * 24 * HOUR_MS }), (tiers, deposit, msBefore) => {
        expect(validateCancellationTiers(tiers)).toEqual([]);
        const r = refundForCancellation(deposit, appointment, cancelAt(msBefore), tiers);
        const t = tiers[r.tierIndex]!;
        expect(r.percent).toBe(t.percent);
        expect(Math.max(0, msBefore) >= t.minHoursBefore * HOUR_MS).toBe(true);
        const above = tiers[r.tierIndex - 1];
        if (above) expect(msBefore < above.minHoursBefore * HOUR_MS).toBe(true);
        expect(Number.isSafeInteger(r.refundFen)).toBe(true);
        expect(r.refundFen * 100).toBeLessThanOrEqual(deposit * r.percent);
        expect((r.refundFen + 1) * 100).toBeGreaterThan(deposit * r.percent);
        expect(r.refundFen).toBeGreaterThanOrEqual(0);
        expect(r.refundFen).toBeLessThanOrEqual(deposit);
      }),
    );
  });

  it('cancelling earlier never refunds less', () => {
    fc.assert(
      fc.property(validTiers, fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: -HOUR_MS, max: 800 * HOUR_MS }), fc.nat(100 * HOUR_MS), (tiers, deposit, later, extra) => {
        const lateRefund = refundForCancellation(deposit, appointment, cancelAt(later), tiers).refundFen;
        const earlyRefund = refundForCancellation(deposit, appointment, cancelAt(later + extra), tiers).refundFen;
        expect(earlyRefund).toBeGreaterThanOrEqual(lateRefund);
      }),
    );
  });

  it('exactly at each boundary the tier starting there applies; one ms less, the next', () => {
    fc.assert(
      fc.property(validTiers, (tiers) => {
        tiers.forEach((t, i) => {
          expect(refundForCancellation(10000, appointment, cancelAt(t.minHoursBefore * HOUR_MS), tiers).tierIndex).toBe(i);
          if (i < tiers.length - 1)
            expect(refundForCancellation(10000, appointment, cancelAt(t.minHoursBefore * HOUR_MS - 1), tiers).tierIndex).toBe(i + 1);
        });
      }),
    );
  });
});
