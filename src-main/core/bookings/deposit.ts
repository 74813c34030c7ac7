import { DomainError } from '../errors';
import { checkFen, type Fen } from '../money';

/**
 * 定金 (design document 2.1.3): a share of the booking's total price, set per service type by the
 * administrator. Ratios are integer basis points (1 bp = 0.01%) so no float ever touches money.
 *
 * Rounding to the fen: round half up (¥100.05 × 30% = ¥30.015 → ¥30.02), because that is how the
 * front desk rounds by hand; then at least 1 fen (a booking always asks for some deposit, and a
 * payment order cannot be for ¥0) and never more than the total price.
 */
export const SERVICE_TYPES = ['room', 'private_dining', 'meeting_room'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
export const SERVICE_TYPE_LABELS: Record<ServiceType, string> = {
  room: '客房',
  private_dining: '包间餐饮',
  meeting_room: '会议室',
};

export type DepositRatios = Record<ServiceType, number>;

export const BASIS_POINTS = 10_000;

export const DEFAULT_DEPOSIT_RATIOS: DepositRatios = {
  room: 3000,
  private_dining: 5000,
  meeting_room: 2000,
};

export function checkRatio(bp: number): number {
  if (!Number.isInteger(bp) || bp < 1 || bp > BASIS_POINTS) throw new DomainError('RATIO_INVALID', '定金比例必须在 0.01% 到 100% 之间');
  return bp;
}

export function depositFen(totalFen: Fen, ratioBp: number): Fen {
  checkFen(totalFen);
  checkRatio(ratioBp);
  // BigInt: total × ratio can pass 2^53 for large totals even though both fit.
  const scaled = BigInt(totalFen) * BigInt(ratioBp);
  const rounded = Number((scaled * 2n + BigInt(BASIS_POINTS)) / (2n * BigInt(BASIS_POINTS)));
  return Math.min(totalFen, Math.max(1, rounded));
}

/** 3000 → "30%", 1250 → "12.5%". */
export function formatRatio(bp: number): string {
  return `${String(bp / 100)}%`;
}
