import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToSummary, classifyKey, emptySummary, type DiffType, type KeyOutcome, type ReconRecord } from '../../../src-main/core/reconciliation/recon-diff';

const DAY_END = Date.UTC(2026, 10, 25, 16); // 2026-11-26 00:00 Asia/Shanghai
const HOLD = 10 * 60_000;
const ctx = { dayEnd: DAY_END, holdWindowMs: HOLD };
const rec = (over: Partial<ReconRecord> = {}): ReconRecord => ({ kind: 'payment', key: 'P1', amountFen: 12_300, feeFen: 74, state: 'success', at: DAY_END - 5 * 3_600_000, ...over });

describe('classifying one merchant number', () => {
  it('matches equal records; an unknown local fee is not a difference', () => {
    expect(classifyKey([rec()], [rec()], ctx)).toEqual({ outcome: 'matched' });
    expect(classifyKey([rec({ feeFen: null })], [rec()], ctx)).toEqual({ outcome: 'matched' });
  });

  it('names every differing field and picks the type the accountant acts on first', () => {
    expect(classifyKey([rec({ state: 'closed', amountFen: 100 })], [rec()], ctx)).toEqual({ outcome: 'diff', type: 'status', fields: ['state', 'amount'] });
    expect(classifyKey([rec({ amountFen: 12_299, feeFen: 70 })], [rec()], ctx)).toEqual({ outcome: 'diff', type: 'amount', fields: ['amount', 'fee'] });
    expect(classifyKey([rec({ feeFen: 73 })], [rec()], ctx)).toEqual({ outcome: 'diff', type: 'fee', fields: ['fee'] });
  });

  it('reports duplicates before anything else', () => {
    expect(classifyKey([rec()], [rec(), rec({ state: 'closed' })], ctx)).toEqual({ outcome: 'diff', type: 'duplicate_platform', fields: ['count'] });
    expect(classifyKey([rec(), rec({ amountFen: 1 })], [], ctx)).toMatchObject({ type: 'duplicate_local' });
  });

  it('reports one-sided money as 漏单 or 平台无此单, but a closed local order without a bill line is normal', () => {
    expect(classifyKey([], [rec()], ctx)).toMatchObject({ type: 'missing_local' });
    expect(classifyKey([rec()], [], ctx)).toMatchObject({ type: 'missing_platform' });
    expect(classifyKey([rec({ state: 'closed' })], [], ctx)).toEqual({ outcome: 'matched' });
  });

  it('holds one-sided records near midnight for the next day, once', () => {
    const late = rec({ at: DAY_END - 2_000 });
    const early = rec({ at: DAY_END + 1_000 });
    expect(classifyKey([late], [], ctx)).toEqual({ outcome: 'held', side: 'local' });
    expect(classifyKey([], [early], ctx)).toEqual({ outcome: 'held', side: 'platform' });
    expect(classifyKey([rec({ at: DAY_END - HOLD - 1 })], [], ctx)).toMatchObject({ type: 'missing_platform' });
    // Carried into the next day's run and still alone: reported there, not held a second time.
    expect(classifyKey([late], [], { ...ctx, dayEnd: DAY_END + 86_400_000, carried: () => true })).toMatchObject({ type: 'missing_platform' });
    expect(classifyKey([late], [], { ...ctx, carried: (r) => r === late })).toMatchObject({ type: 'missing_platform' });
  });

  it('refuses records of different keys or kinds in one group', () => {
    expect(() => classifyKey([rec()], [rec({ key: 'P2' })], ctx)).toThrow(/混入/);
    expect(() => classifyKey([rec()], [rec({ kind: 'refund' })], ctx)).toThrow(/混入/);
    expect(() => classifyKey([], [], ctx)).toThrow(/没有任何记录/);
  });
});

/** What a generated key was made to be: matched, or one injected difference. */
const INJECTED = ['matched', 'duplicate_local', 'duplicate_platform', 'missing_local', 'missing_platform', 'status', 'amount', 'fee'] as const;
type Injected = (typeof INJECTED)[number];

function build(kind: Injected, base: ReconRecord): { local: ReconRecord[]; platform: ReconRecord[] } {
  switch (kind) {
    case 'matched':
      return { local: [base], platform: [{ ...base }] };
    case 'duplicate_local':
      return { local: [base, { ...base }], platform: [{ ...base }] };
    case 'duplicate_platform':
      return { local: [base], platform: [{ ...base }, { ...base }] };
    case 'missing_local':
      return { local: [], platform: [base] };
    case 'missing_platform':
      return { local: [base], platform: [] };
    case 'status':
      return { local: [{ ...base, state: 'pending' }], platform: [base] };
    case 'amount':
      return { local: [{ ...base, amountFen: base.amountFen + 1 }], platform: [base] };
    case 'fee':
      return { local: [{ ...base, feeFen: (base.feeFen ?? 0) + 1 }], platform: [base] };
  }
}

describe('a day of records with injected differences', () => {
  it('finds exactly the injected differences, with their counts and amounts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            injected: fc.constantFrom(...INJECTED),
            kind: fc.constantFrom('payment' as const, 'refund' as const),
            amountFen: fc.integer({ min: 1, max: 10_000_000 }),
            feeFen: fc.integer({ min: 0, max: 60_000 }),
            // Far from midnight: holding is the example tests' business.
            at: fc.integer({ min: DAY_END - 86_400_000, max: DAY_END - HOLD - 1 }),
          }),
          { maxLength: 60 },
        ),
        (keys) => {
          const summary = emptySummary();
          const expected = new Map<DiffType, { count: number; amountFen: number }>();
          let matched = 0;
          keys.forEach((k, i) => {
            const base: ReconRecord = { kind: k.kind, key: `${k.kind === 'payment' ? 'P' : 'K'}${i}`, amountFen: k.amountFen, feeFen: k.feeFen, state: 'success', at: k.at };
            const { local, platform } = build(k.injected, base);
            const outcome: KeyOutcome = classifyKey(local, platform, ctx);
            if (k.injected === 'matched') {
              expect(outcome).toEqual({ outcome: 'matched' });
              matched++;
            } else {
              expect(outcome).toMatchObject({ outcome: 'diff', type: k.injected });
              const e = expected.get(k.injected) ?? { count: 0, amountFen: 0 };
              e.count++;
              e.amountFen += k.injected === 'amount' || k.injected === 'fee' ? 1 : k.amountFen;
              expected.set(k.injected, e);
            }
            addToSummary(summary, outcome, local, platform);
          });
          expect(summary.matchedCount).toBe(matched);
          for (const [type, d] of Object.entries(summary.diffs)) expect(d).toEqual(expected.get(type as DiffType) ?? { count: 0, amountFen: 0 });
        },
      ),
    );
  });
});
