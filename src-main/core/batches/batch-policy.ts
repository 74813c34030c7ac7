import { plusWorkingDays, WEEKDAY_CALENDAR, type WorkingDayCalendar } from '../refunds/arrival';
import type { PayeeChannel } from '../suppliers/supplier-payment';
import { HOUR_MS, MINUTE_MS, shanghaiDate } from '../time';

/**
 * How batch items are paced and retried (issue 7). Pure arithmetic; the executor supplies the clock
 * and the randomness.
 */

// ─── retries ──────────────────────────────────────────────────────────────────────────────────────

export interface RetryPolicy {
  /** Wait before the second try. */
  baseMs: number;
  /** Each further try waits this many times longer … */
  factor: number;
  /** … but never longer than this. */
  maxMs: number;
  /** Up to this share of the wait is taken off at random, so thousands of items do not retry in step. */
  jitter: number;
  /**
   * New attempts (new request ids) after the platform definitely failed an attempt for a passing
   * reason (receiving bank unavailable, payer balance): the first send counts as attempt 1.
   */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5_000, factor: 2, maxMs: 10 * MINUTE_MS, jitter: 0.2, maxAttempts: 3 };

/**
 * The wait before try `tries + 1` after `tries` tries (≥ 1) ended without an outcome (timeout,
 * platform busy — the same request id is queried, then resent) or in a passing failure. `random01`
 * is in [0, 1). Bounded by `maxMs`, at least `baseMs × (1 − jitter)`, growing with `tries` apart
 * from the jitter.
 */
export function backoffMs(tries: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random01 = 0): number {
  const n = Math.max(1, Math.floor(tries));
  // Capped before exponentiation so a large `tries` cannot overflow to Infinity.
  const exp = Math.min(n - 1, 60);
  const raw = Math.min(policy.maxMs, policy.baseMs * policy.factor ** exp);
  const r = Math.min(Math.max(random01, 0), 0.999_999);
  return Math.round(raw * (1 - policy.jitter * r));
}

/** Whether a definite but passing failure of attempt `attempt` is retried with attempt + 1 automatically. */
export const mayRetryAutomatically = (attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY) => attempt < policy.maxAttempts;

// ─── pacing ───────────────────────────────────────────────────────────────────────────────────────

export const MIN_RATE_PER_SECOND = 0.1;
export const MAX_RATE_PER_SECOND = 500;
export const DEFAULT_RATE_PER_SECOND = 20;

export function validRate(rate: number): boolean {
  return Number.isFinite(rate) && rate >= MIN_RATE_PER_SECOND && rate <= MAX_RATE_PER_SECOND;
}

/**
 * The instant of the next platform call under a limit of `ratePerSecond`: one call every
 * 1000 / rate ms, never earlier than now. A pacer that was idle does not save up a burst: the slot
 * after a long pause is `now`, so in any window of W ms at most ⌊W · rate / 1000⌋ + 1 calls start.
 */
export function nextSlot(previousSlot: number | null, now: number, ratePerSecond: number): number {
  if (previousSlot === null) return now;
  return Math.max(now, previousSlot + 1000 / ratePerSecond);
}

/**
 * How many items one instance claims at a time: no more than it can send within half its lease at
 * the configured rate (an item claimed and not yet touched when the lease ends would be taken by
 * another instance, which is safe but wasteful), at least 1, at most `max`.
 */
export function claimSize(ratePerSecond: number, leaseMs: number, max: number): number {
  const withinHalfLease = Math.floor((ratePerSecond * leaseMs) / 2000);
  return Math.max(1, Math.min(max, withinHalfLease));
}

// ─── WeChat's payee confirmation ──────────────────────────────────────────────────────────────────

/**
 * A WeChat transfer bill waits in WAIT_USER_CONFIRM for the payee to accept it in WeChat; WeChat
 * closes bills left unconfirmed (24 hours per its merchant documentation — unverified here, hence
 * configurable). After this window we ask WeChat to cancel the bill (撤销转账) so the money is not
 * held open-ended, and the item goes to the failure list to be sent again once the payee is reached.
 */
export const DEFAULT_CONFIRM_WINDOW_MS = 24 * HOUR_MS;

export const confirmExpired = (expiresAt: number | null, now: number) => expiresAt !== null && now >= expiresAt;

// ─── expected arrival ─────────────────────────────────────────────────────────────────────────────

/**
 * 到账时间 T+0 or T+1 (design document 2.3.3): a WeChat transfer lands in the payee's 零钱 and an
 * Alipay one in the payee's balance at once (T+0); a bank transfer goes through the receiving bank,
 * which settles inter-bank payments by the next working day (T+1, the promise we make).
 */
export const PAYOUT_ARRIVAL_DAYS: Record<PayeeChannel, 0 | 1> = { wechat: 0, alipay: 0, bank: 1 };

export interface PayoutArrival {
  rule: 'T+0' | 'T+1';
  /** Asia/Shanghai date, YYYY-MM-DD. */
  date: string;
  text: string;
}

export const arrivalRuleOf = (channel: PayeeChannel): PayoutArrival['rule'] => (PAYOUT_ARRIVAL_DAYS[channel] === 0 ? 'T+0' : 'T+1');

export function payoutArrival(channel: PayeeChannel, succeededAt: number, calendar: WorkingDayCalendar = WEEKDAY_CALENDAR): PayoutArrival {
  const days = PAYOUT_ARRIVAL_DAYS[channel];
  const date = plusWorkingDays(shanghaiDate(succeededAt), days, calendar);
  const rule = arrivalRuleOf(channel);
  return { rule, date, text: `预计 ${date} 到账（${rule}）` };
}
