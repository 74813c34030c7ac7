import { describe, expect, it } from 'vitest';
import { classifyKey, diffAmountFen, type ReconRecord } from '../../../src-main/core/reconciliation/recon-diff';

const day = Date.UTC(2026, 10, 25, 16);
const ctx = { dayEnd: day + 86_400_000, holdWindowMs: 0 };
/** One record of the order's key; `_side` only says in the call which list it is meant for. */
const rec = (_side: 'local' | 'platform', state: ReconRecord['state'], amountFen = 10_000, at = day + 3_600_000): ReconRecord => ({ key: 'P20261126100000000001', kind: 'payment', state, amountFen, feeFen: null, at });

describe('an order with payment attempts that moved no money', () => {
  it('a failed attempt beside the paid one is not a 重复单: the paid one is matched against the bill', () => {
    expect(classifyKey([rec('local', 'failed'), rec('local', 'success')], [rec('platform', 'success')], ctx)).toEqual({ outcome: 'matched' });
  });

  it('two paid attempts are still a 重复单（本地）, for the second one’s amount', () => {
    const local = [rec('local', 'success', 10_000), rec('local', 'failed'), rec('local', 'success', 9_000)];
    expect(classifyKey(local, [rec('platform', 'success')], ctx)).toMatchObject({ outcome: 'diff', type: 'duplicate_local' });
    expect(diffAmountFen('duplicate_local', local, [rec('platform', 'success')])).toBe(9_000);
  });

  it('a failed attempt and a paid one against a bill with a different amount: 金额差异 on the paid one', () => {
    const local = [rec('local', 'failed', 500), rec('local', 'success', 10_000)];
    const platform = [rec('platform', 'success', 10_100)];
    expect(classifyKey(local, platform, ctx)).toMatchObject({ outcome: 'diff', type: 'amount' });
    expect(diffAmountFen('amount', local, platform)).toBe(100);
  });
});
