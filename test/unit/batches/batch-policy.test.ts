import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffMs, claimSize, confirmExpired, DEFAULT_RETRY_POLICY, mayRetryAutomatically, nextSlot, payoutArrival, validRate, type RetryPolicy,
} from '../../../src-main/core/batches/batch-policy';

const policy: RetryPolicy = { baseMs: 1_000, factor: 2, maxMs: 60_000, jitter: 0.25, maxAttempts: 3 };

describe('retry backoff', () => {
  it('doubles from the base up to the ceiling, minus at most the jitter', () => {
    expect([1, 2, 3, 4, 7, 8, 100].map((n) => backoffMs(n, policy, 0))).toEqual([1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000]);
    expect(backoffMs(1, policy, 0.999_999)).toBe(750);
    expect(backoffMs(1_000_000, policy, 0)).toBe(60_000);
  });

  it('retries a definite passing failure automatically only while attempts are left', () => {
    expect([1, 2, 3].map((a) => mayRetryAutomatically(a, policy))).toEqual([true, true, false]);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });

  it('property: bounded, at least base × (1 − jitter), and non-decreasing without jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (tries, r) => {
        const w = backoffMs(tries, policy, r);
        expect(w).toBeLessThanOrEqual(policy.maxMs);
        expect(w).toBeGreaterThanOrEqual(policy.baseMs * (1 - policy.jitter));
        expect(backoffMs(tries + 1, policy, 0)).toBeGreaterThanOrEqual(backoffMs(tries, policy, 0));
      }),
    );
  });
});

describe('the rate limit', () => {
  it('spaces calls 1000 / rate ms apart and saves up no burst after a pause', () => {
    expect(nextSlot(null, 5_000, 10)).toBe(5_000);
    expect(nextSlot(5_000, 5_010, 10)).toBe(5_100);
    expect(nextSlot(5_000, 9_000, 10)).toBe(9_000);
    expect(validRate(0.05)).toBe(false);
    expect(validRate(20)).toBe(true);
  });

  it('property: in any window of W ms at most ⌊W·rate/1000⌋ + 1 calls start, whatever the arrival times', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 200, noNaN: true }), fc.array(fc.nat({ max: 400 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 3_000 }), (rate, gaps, w) => {
        let now = 0;
        let prev: number | null = null;
        const slots: number[] = [];
        for (const g of gaps) {
          now += g;
          prev = nextSlot(prev, now, rate);
          slots.push(prev);
          now = Math.max(now, prev);
        }
        for (const start of slots) {
          const inWindow = slots.filter((s) => s >= start && s < start + w).length;
          expect(inWindow).toBeLessThanOrEqual(Math.floor((w * rate) / 1000) + 1);
        }
      }),
    );
  });

  it('claims no more than can be sent within half a lease, at least one', () => {
    expect(claimSize(20, 60_000, 200)).toBe(200);
    expect(claimSize(2, 60_000, 200)).toBe(60);
    expect(claimSize(0.1, 1_000, 200)).toBe(1);
  });
});

describe('expected arrival and the WeChat confirmation window', () => {
  it('is T+0 for WeChat and Alipay, the next working day for a bank transfer', () => {
    const friday = Date.UTC(2026, 10, 27, 2, 0, 0); // 2026-11-27 10:00 Shanghai, a Friday
    expect(payoutArrival('wechat', friday)).toEqual({ rule: 'T+0', date: '2026-11-27', text: '预计 2026-11-27 到账（T+0）' });
    expect(payoutArrival('alipay', friday).rule).toBe('T+0');
    expect(payoutArrival('bank', friday)).toEqual({ rule: 'T+1', date: '2026-11-30', text: '预计 2026-11-30 到账（T+1）' });
  });

  it('expires at the window’s end', () => {
    expect(confirmExpired(null, 10)).toBe(false);
    expect(confirmExpired(10, 9)).toBe(false);
    expect(confirmExpired(10, 10)).toBe(true);
  });
});
