import { compactShanghai } from './time';

/**
 * Business numbers the accountants read and quote on the phone: a letter for the kind, the
 * Asia/Shanghai time stamp, then random digits (design document 4.1.1). Uniqueness is enforced by a
 * unique index; the caller retries with a fresh number on a collision.
 *   P: payment order (支付订单)   R: refund (退款)   B: batch (批量付款)   T: transaction (交易)
 *   K: booking (客户预定)         M: meal bill (餐费账单)
 *   S: supplier payment order (付款单)
 */
export type NumberKind = 'P' | 'R' | 'B' | 'T' | 'K' | 'M' | 'S';

export const RANDOM_DIGITS = 6;

/** Random source returning an integer in [0, bound). Injected so tests can force collisions. */
export type RandomInt = (bound: number) => number;

export function businessNumber(kind: NumberKind, epochMs: number, randomInt: RandomInt): string {
  let digits = '';
  for (let i = 0; i < RANDOM_DIGITS; i++) digits += String(randomInt(10));
  return `${kind}${compactShanghai(epochMs)}${digits}`;
}

export const BUSINESS_NUMBER_PATTERN = /^[PRBTKMS]\d{14}\d{6}$/;
