import { DomainError } from '../errors';
import { checkFen, type Fen } from '../money';
import { HOUR_MS } from '../time';

/**
 * Refund by cancellation time (design document 2.1.3: 预约取消时，根据取消时间计算退款金额).
 *
 * A tier table, edited by the administrator, listed from the earliest cancellation to the latest:
 * a tier applies when the time left before the appointment is at least its `minHoursBefore` and
 * less than the `minHoursBefore` of the tier above it. Boundaries are exact to the millisecond and
 * belong to the tier that starts there: exactly 48 h before is 100 %, 48 h minus 1 ms is 50 %.
 *
 * A valid table:
 *  - lists tiers with strictly decreasing whole `minHoursBefore` (no two tiers start at the same
 *    time, so nothing overlaps);
 *  - ends with a tier starting at 0 h (no gap at the end). That last tier also applies to a
 *    cancellation at or after the appointment time: late is never better than just in time, and
 *    the front desk always gets a number to work with;
 *  - has integer percents 0–100 that never grow as the appointment gets closer (otherwise a guest
 *    would gain by waiting to cancel).
 *
 * Rounding: the refund is rounded DOWN to the fen, so we never refund more than the tier allows
 * (¥100.01 × 50 % = ¥50.005 → ¥50.00). The deposit itself was rounded half up (deposit.ts); the
 * two are different promises: the deposit is what we ask for, the refund what the tier grants.
 */
export interface CancellationTier {
  /** Whole hours before the appointment at which this tier starts (inclusive). */
  minHoursBefore: number;
  /** Integer percent of the deposit refunded, 0–100. */
  percent: number;
}

export const DEFAULT_CANCELLATION_TIERS: readonly CancellationTier[] = [
  { minHoursBefore: 48, percent: 100 },
  { minHoursBefore: 24, percent: 50 },
  { minHoursBefore: 0, percent: 0 },
];

/** A year ahead is the longest booking horizon worth a tier; beyond that the number is a typo. */
export const MAX_TIER_HOURS = 24 * 366;

/** Every problem of a tier table, in Chinese, for the settings form; empty when the table is valid. */
export function validateCancellationTiers(tiers: readonly CancellationTier[]): string[] {
  const problems: string[] = [];
  if (tiers.length === 0) return ['退款档位不能为空，至少需要一个从 0 小时开始的档位'];
  tiers.forEach((t, i) => {
    const n = i + 1;
    if (!Number.isInteger(t.minHoursBefore) || t.minHoursBefore < 0 || t.minHoursBefore > MAX_TIER_HOURS)
      problems.push(`第 ${n} 档的提前小时数必须是 0 到 ${MAX_TIER_HOURS} 之间的整数`);
    if (!Number.isInteger(t.percent) || t.percent < 0 || t.percent > 100)
      problems.push(`第 ${n} 档的退款比例必须是 0 到 100 之间的整数`);
  });
  for (let i = 1; i < tiers.length; i++) {
    const above = tiers[i - 1]!;
    const t = tiers[i]!;
    if (t.minHoursBefore === above.minHoursBefore)
      problems.push(`第 ${i} 档与第 ${i + 1} 档的提前小时数相同（${t.minHoursBefore} 小时），档位重叠`);
    else if (t.minHoursBefore > above.minHoursBefore)
      problems.push(`退款档位须按提前小时数从大到小排列：第 ${i + 1} 档（${t.minHoursBefore} 小时）大于第 ${i} 档（${above.minHoursBefore} 小时）`);
    if (t.percent > above.percent)
      problems.push(`越晚取消退款比例不能越高：第 ${i + 1} 档（${t.percent}%）高于第 ${i} 档（${above.percent}%）`);
  }
  const last = tiers[tiers.length - 1]!;
  if (last.minHoursBefore !== 0)
    problems.push(`最后一档必须从 0 小时开始，否则提前不足 ${last.minHoursBefore} 小时的取消没有对应档位`);
  return problems;
}

export function assertValidCancellationTiers(tiers: readonly CancellationTier[]): void {
  const problems = validateCancellationTiers(tiers);
  if (problems.length > 0) throw new DomainError('CANCELLATION_TIERS_INVALID', problems.join('；'));
}

/** "提前 48 小时及以上", "提前 24–48 小时", "提前不足 24 小时" for tier `index` of a valid table. */
export function describeCancellationTier(tiers: readonly CancellationTier[], index: number): string {
  const t = tiers[index];
  if (!t) throw new RangeError(`no tier ${index}`);
  const above = tiers[index - 1];
  if (!above) return t.minHoursBefore === 0 ? '任何时间取消' : `提前 ${t.minHoursBefore} 小时及以上取消`;
  if (t.minHoursBefore === 0) return `提前不足 ${above.minHoursBefore} 小时（含预约开始后）取消`;
  return `提前 ${t.minHoursBefore}–${above.minHoursBefore} 小时取消`;
}

export interface CancellationRefund {
  percent: number;
  refundFen: Fen;
  /** Index of the tier applied, for display with describeCancellationTier. */
  tierIndex: number;
  /** Milliseconds between cancellation and appointment; negative when cancelled after it started. */
  msBefore: number;
}

export function refundForCancellation(
  depositFen: Fen,
  appointmentAt: number,
  cancelledAt: number,
  tiers: readonly CancellationTier[] = DEFAULT_CANCELLATION_TIERS,
): CancellationRefund {
  checkFen(depositFen);
  if (!Number.isSafeInteger(appointmentAt) || !Number.isSafeInteger(cancelledAt))
    throw new DomainError('TIME_INVALID', '预约时间或取消时间无效');
  assertValidCancellationTiers(tiers);
  const msBefore = appointmentAt - cancelledAt;
  // The table is sorted from the largest threshold down and ends at 0 h: the first tier reached applies.
  let tierIndex = tiers.length - 1;
  for (let i = 0; i < tiers.length; i++) {
    if (msBefore >= tiers[i]!.minHoursBefore * HOUR_MS) {
      tierIndex = i;
      break;
    }
  }
  const percent = tiers[tierIndex]!.percent;
  // deposit ≤ MAX_FEN (1e13) × 100 stays below 2^53: exact integers, then integer division rounding down.
  const scaled = depositFen * percent;
  const refundFen = (scaled - (scaled % 100)) / 100;
  return { percent, refundFen, tierIndex, msBefore };
}
