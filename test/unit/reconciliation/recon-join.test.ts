import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToSummary, classifyKey, emptySummary, RECORD_STATES, type RecordKind, type RecordState, type ReconRecord } from '../../../src-main/core/reconciliation/recon-diff';
import type { StagedRow } from '../../../src-main/db/repositories/recon-repository';
import { DayJoin } from '../../../src-main/services/reconciliation/recon-join';
import { KeyTable } from '../../../src-main/services/reconciliation/recon-keys';

describe('the key table of a reconciliation day', () => {
  it('numbers keys densely per kind, finds them again and gives them back', () => {
    const t = new KeyTable();
    expect(t.add(0, 'P1')).toBe(0);
    expect(t.add(1, 'P1')).toBe(1); // the same number as a refund is another key
    expect(t.add(0, 'P2')).toBe(2);
    expect(t.add(0, 'P1')).toBe(0);
    expect(t.find(1, 'P1')).toBe(1);
    expect(t.find(0, 'P3')).toBe(-1);
    expect([t.keyOf(0), t.kindOf(1), t.keyOf(2), t.count]).toEqual(['P1', 1, 'P2', 3]);
  });

  it('keeps keys beyond Latin-1 and very long keys exactly', () => {
    const t = new KeyTable();
    const wide = ['订单-1', 'Ü'.repeat(300), 'x'.repeat(255), 'x'.repeat(256), ''];
    const slots = wide.map((k) => t.add(0, k));
    expect(slots).toEqual([0, 1, 2, 3, 4]);
    expect(wide.map((k) => t.find(0, k))).toEqual(slots);
    expect(slots.map((s) => t.keyOf(s))).toEqual(wide);
    expect(t.find(0, '订单-2')).toBe(-1);
  });

  it('holds a quarter of a million keys across its growth (no key lost or merged)', () => {
    const t = new KeyTable();
    const n = 250_000;
    for (let i = 0; i < n; i++) expect(t.add(i % 2, `P${i}`)).toBe(i);
    for (let i = 0; i < n; i += 997) {
      expect(t.find(i % 2, `P${i}`)).toBe(i);
      expect(t.find(1 - (i % 2), `P${i}`)).toBe(-1);
      expect(t.keyOf(i)).toBe(`P${i}`);
    }
    expect(t.count).toBe(n);
  });
});

const DAY_END = Date.UTC(2025, 2, 10, 16);
const HOLD = 15 * 60_000;

interface GenKey {
  kind: RecordKind;
  key: string;
  local: { state: RecordState; amountFen: number; feeFen: number | null; at: number; ifBilled: boolean }[];
  platform: { state: RecordState; amountFen: number; feeFen: number | null; at: number }[];
  carried: { state: RecordState; amountFen: number; feeFen: number | null; at: number }[];
  heldLocal: boolean;
}

const figures = {
  state: fc.constantFrom<RecordState>(...RECORD_STATES, 'success', 'success'),
  amountFen: fc.constantFrom(100, 100, 100, 250),
  feeFen: fc.constantFrom<number | null>(null, 1, 1, 2),
  at: fc.constantFrom(DAY_END - 6 * 3_600_000, DAY_END - 60_000, DAY_END + 60_000),
};
const genKey = fc.record({
  kind: fc.constantFrom<RecordKind>('payment', 'refund'),
  key: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'),
  local: fc.array(fc.record({ ...figures, ifBilled: fc.boolean() }), { maxLength: 3 }),
  platform: fc.array(fc.record(figures), { maxLength: 3 }),
  carried: fc.array(fc.record(figures), { maxLength: 1 }),
  heldLocal: fc.boolean(),
});

/**
 * The join must classify exactly as the core rule applied to each key's records in sequence order
 * (the engine before the compact join did just that in SQL): generated keys with any number of
 * records on each side, unsuccessful attempts that join only when billed, held keys and carried lines.
 */
describe('the compact join of a day', () => {
  it('gives every key the outcome classifyKey gives its records, and the same summary', () => {
    fc.assert(
      fc.property(fc.uniqueArray(genKey, { selector: (k) => `${k.kind}:${k.key}`, maxLength: 12 }), fc.array(fc.integer(), { minLength: 40, maxLength: 40 }), (keys, order) => {
        const join = new DayJoin({ dayEnd: DAY_END, holdWindowMs: HOLD });
        let localSeq = 1000;
        let lineSeq = 0;
        let heldSeq = 0;
        const localRows: { kind: RecordKind; key: string; seq: number; r: GenKey['local'][number] }[] = [];
        const platformRows: { kind: RecordKind; key: string; seq: number; line: number; r: GenKey['platform'][number] }[] = [];
        for (const k of keys) {
          if (k.heldLocal) join.holdLocalKey(k.kind, k.key);
          for (const c of k.carried) {
            const row: StagedRow = { side: 'platform', kind: k.kind, seq: -++heldSeq, key: k.key, orderNo: k.key, platformNo: null, ...c, sourceState: null, line: 7, raw: null, carried: true };
            join.addCarried(row);
          }
          for (const l of k.local) localRows.push({ kind: k.kind, key: k.key, seq: localSeq--, r: l });
          for (const p of k.platform) platformRows.push({ kind: k.kind, key: k.key, seq: 0, line: 0, r: p });
        }
        // Our rows (pages, any order) and bill lines (ordinals rising as they come) interleaved at random.
        const events = [...localRows.map((l) => ({ l })), ...platformRows.map((p) => ({ p }))]
          .map((e, i) => ({ e, rank: order[i % order.length]! * 64 + i }))
          .sort((a, b) => a.rank - b.rank)
          .map((x) => x.e);
        for (const e of events) {
          if ('l' in e) join.local(e.l.kind, e.l.seq, e.l.key, e.l.r.amountFen, e.l.r.feeFen, e.l.r.state, e.l.r.at, e.l.r.ifBilled);
          else {
            const p = e.p;
            p.seq = ++lineSeq;
            p.line = p.seq + 1;
            join.addPlatform(p.kind, p.key, p.seq, p.line, p.r.amountFen, p.r.feeFen, p.r.state, p.r.at);
          }
        }
        const summary = join.classify();

        // The rule, key by key, on the records in sequence order.
        const expected = emptySummary();
        const outcomes = new Map<string, string>();
        const ctx = { dayEnd: DAY_END, holdWindowMs: HOLD, carried: (r: ReconRecord) => (r as ReconRecord & { carried: boolean }).carried };
        for (const k of keys) {
          const billed = k.platform.length + k.carried.length > 0;
          const local = localRows
            .filter((l) => l.kind === k.kind && l.key === k.key && (!l.r.ifBilled || billed || k.heldLocal))
            .sort((a, b) => a.seq - b.seq)
            .map((l) => ({ kind: k.kind, key: k.key, ...l.r, carried: k.heldLocal }));
          const platform = [
            ...k.carried.map((c, i) => ({ seq: -1000 + i, kind: k.kind, key: k.key, ...c, carried: true })),
            ...platformRows.filter((p) => p.kind === k.kind && p.key === k.key).map((p) => ({ seq: p.seq, kind: k.kind, key: k.key, ...p.r, carried: false })),
          ].sort((a, b) => a.seq - b.seq);
          if (!local.length && !platform.length) continue;
          const o = classifyKey(local, platform, ctx);
          addToSummary(expected, o, local, platform);
          if (o.outcome !== 'matched') outcomes.set(`${k.kind}:${k.key}`, JSON.stringify(o));
        }
        expect(summary).toEqual(expected);
        const emitted = new Map(Array.from({ length: join.emittedCount }, (_, i) => join.emitted(i)).map((e) => [`${e.kind}:${e.key}`, e]));
        expect(new Map([...emitted].map(([k, e]) => [k, JSON.stringify(e.outcome)]))).toEqual(outcomes);
        // Each emitted key names its records: our rows by id in order, its bill lines (the closing one too).
        for (const [id, e] of emitted) {
          const [kind, key] = id.split(':') as [RecordKind, string];
          const k = keys.find((x) => x.kind === kind && x.key === key)!;
          const billed = k.platform.length + k.carried.length > 0;
          const ours = localRows.filter((l) => l.kind === kind && l.key === key && (!l.r.ifBilled || billed || k.heldLocal)).sort((a, b) => a.seq - b.seq);
          expect(e.local).toEqual(ours.map((l) => ({ seq: l.seq, amountFen: l.r.amountFen, state: l.r.state })));
          const lines = e.platform.map((p) => ('carried' in p ? 'carried' : p.line));
          expect(lines).toEqual([...k.carried.map(() => 'carried'), ...platformRows.filter((p) => p.kind === kind && p.key === key).sort((a, b) => a.seq - b.seq).map((p) => p.line)]);
          // Each line's amount is the line's own (the closing line's too: its partner's figures are equal).
          for (const p of e.platform) if (!('carried' in p)) expect(p.amountFen).toBe(platformRows.find((x) => x.line === p.line)!.r.amountFen);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('closes a key when our record comes after its bill line, and opens it again for a second record of ours', () => {
    const join = new DayJoin({ dayEnd: DAY_END, holdWindowMs: HOLD });
    join.addPlatform('refund', 'R1', 1, 2, 500, -3, 'success', DAY_END - 3_600_000);
    join.local('refund', 40, 'R1', 500, null, 'success', DAY_END - 3_600_000, false);
    join.local('refund', 30, 'R1', 700, -4, 'success', DAY_END - 3_600_000, false);
    const s = join.classify();
    // Our two records, in id order: 30 (700) first, so the duplicate's amount is the closing record's 500.
    expect(s.diffs.duplicate_local).toEqual({ count: 1, amountFen: 500 });
    expect(join.localCount).toBe(2);
    expect(join.emitted(0)).toMatchObject({
      key: 'R1',
      local: [
        { seq: 30, amountFen: 700, state: 'success' },
        { seq: 40, amountFen: 500, state: 'success' },
      ],
      platform: [{ seq: 1, line: 2, amountFen: 500 }],
    });
  });

  it('closes a key whose only bill line matches our only record, and opens it again for a second line', () => {
    const join = new DayJoin({ dayEnd: DAY_END, holdWindowMs: HOLD });
    join.local('payment', 5, 'P1', 300, null, 'success', DAY_END - 3_600_000, false);
    join.local('payment', 6, 'P2', 300, null, 'success', DAY_END - 3_600_000, false);
    join.addPlatform('payment', 'P1', 1, 2, 300, 2, 'success', DAY_END - 3_600_000);
    join.addPlatform('payment', 'P2', 2, 3, 300, 2, 'success', DAY_END - 3_600_000);
    join.addPlatform('payment', 'P2', 3, 4, 300, 2, 'success', DAY_END - 3_600_000);
    const s = join.classify();
    expect(s.matchedCount).toBe(1);
    expect(s.diffs.duplicate_platform).toEqual({ count: 1, amountFen: 300 });
    expect(join.emittedCount).toBe(1);
    expect(join.emitted(0)).toEqual({
      kind: 'payment',
      key: 'P2',
      outcome: { outcome: 'diff', type: 'duplicate_platform', fields: ['count'] },
      local: [{ seq: 6, amountFen: 300, state: 'success' }],
      platform: [
        { seq: 2, line: 3, amountFen: 300 },
        { seq: 3, line: 4, amountFen: 300 },
      ],
    });
    expect(join.localCount).toBe(2);
  });
});
