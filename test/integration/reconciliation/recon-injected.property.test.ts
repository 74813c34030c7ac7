import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { addDays } from '../../../src-main/services/reconciliation/recon-service';
import { runReport } from '../../../src-main/services/reconciliation/recon-service';
import { STORE_KINDS, testApp } from '../../support/stores';
import { addLocal, at, bill, diffsOf, type LocalPayment, type LocalRefund, type PlatformLine } from './recon-world';

/** What is injected for one key, and the difference the run must report for it (null: none). */
const SCENARIOS = {
  match: null,
  amount: 'amount',
  status: 'status',
  missing_local: 'missing_local',
  missing_platform: 'missing_platform',
  duplicate_platform: 'duplicate_platform',
  duplicate_local: 'duplicate_local',
  closed_unbilled: null,
  refund_match: null,
  refund_fee: 'fee',
  refund_missing_platform: 'missing_platform',
  refund_missing_local: 'missing_local',
  refund_status: 'status',
} as const;
type Scenario = keyof typeof SCENARIOS;

const scenario = fc.record({
  kind: fc.constantFrom(...(Object.keys(SCENARIOS) as Scenario[])),
  amountFen: fc.integer({ min: 1, max: 5_000_000 }),
  delta: fc.integer({ min: 1, max: 10_000 }),
  /** Seconds after 01:00 Shanghai, up to 22:00: far from midnight, so nothing is held. */
  second: fc.integer({ min: 0, max: 21 * 3600 }),
});

/**
 * Property (issue 6 Tests): records generated on both sides with injected differences of every type;
 * the run over the store finds exactly those, and its summary counts them.
 */
describe.each(STORE_KINDS)('injected differences are found exactly, on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await testApp(kind));
  });
  afterAll(() => close());

  let day = 0;
  it('every injected difference and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(scenario, { maxLength: 14 }), async (keys) => {
        const date = addDays('2025-01-01', day++);
        const payments: LocalPayment[] = [];
        const refunds: LocalRefund[] = [];
        const lines: PlatformLine[] = [];
        const expected: Record<string, string> = {};
        keys.forEach((k, i) => {
          const key = `${k.kind.startsWith('refund') ? 'R' : 'P'}${date.replaceAll('-', '')}${String(i).padStart(3, '0')}`;
          const t = at(date, '01:00:00') + k.second * 1000;
          const ours = (p: Partial<LocalPayment> = {}) => payments.push({ orderNo: key, amountFen: k.amountFen, status: 'success', paidAt: t, ...p });
          const theirs = (l: Partial<PlatformLine> = {}) => lines.push({ key, amountFen: k.amountFen, at: t + 1000, ...l });
          const ourRefund = (r: Partial<LocalRefund> = {}) => refunds.push({ refundNo: key, orderNo: `P${key}`, amountFen: k.amountFen, feeFen: -7, state: 'success', succeededAt: t, ...r });
          const theirRefund = (l: Partial<PlatformLine> = {}) => theirs({ kind: 'refund', orderNo: `P${key}`, feeFen: -7, ...l });
          switch (k.kind) {
            case 'match': ours(); theirs(); break;
            case 'amount': ours(); theirs({ amountFen: k.amountFen + k.delta }); break;
            case 'status': ours({ status: 'pending', paidAt: null }); theirs(); break;
            case 'missing_local': theirs(); break;
            case 'missing_platform': ours(); break;
            case 'duplicate_platform': ours(); theirs({ platformNo: `a${key}` }); theirs({ platformNo: `b${key}` }); break;
            case 'duplicate_local': ours({ duplicates: 1 }); theirs(); break;
            case 'closed_unbilled': ours({ status: 'failed', paidAt: null }); break;
            case 'refund_match': ourRefund(); theirRefund(); break;
            case 'refund_fee': ourRefund(); theirRefund({ feeFen: -7 - k.delta }); break;
            case 'refund_missing_platform': ourRefund(); break;
            case 'refund_missing_local': theirRefund(); break;
            case 'refund_status': ourRefund({ state: 'processing', succeededAt: null }); theirRefund(); break;
          }
          const type = SCENARIOS[k.kind];
          if (type) expected[key] = type;
        });
        await addLocal(app, payments, refunds);
        const run = await app.recon.runDay({ id: null, name: '性质测试' }, { channel: 'wechat', date, bill: bill('wechat', date, lines) });
        expect(await diffsOf(app, run.id)).toEqual(expected);
        const report = runReport(run);
        expect(report.differenceCount).toBe(Object.keys(expected).length);
        expect(report.matched.count).toBe(keys.filter((k) => k.kind === 'match' || k.kind === 'refund_match').length);
        expect(report.held).toBe(0);
        for (const [type, n] of Object.entries(report.differences)) expect(n.count, type).toBe(Object.values(expected).filter((t) => t === type).length);
      }),
      { numRuns: 12 },
    );
  });
});
