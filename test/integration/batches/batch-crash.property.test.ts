import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway, Platform, TransferRequest } from '../../../src-main/gateways/gateway';
import type { Fault } from '../../../src-main/gateways/simulator/faults';
import type { Store } from '../../../src-main/db/store';
import { BatchService } from '../../../src-main/services/batches/batch-service';
import { NumberAllocator } from '../../../src-main/services/number-allocator';
import { GatewayRegistry } from '../../../src-main/services/payments/gateway-registry';
import { batchRig, type BatchRig } from '../../support/batch-rig';
import { STORE_KINDS } from '../../support/stores';
import { TestClock } from '../../support/test-clock';

const LEASE_MS = 1_000;

class Died extends Error {}

/**
 * An executor instance that can die: from the moment `die()` is called its store refuses every
 * unit of work (what it committed stays, what it had not is lost, its leases stay held until they
 * lapse) and its gateways fail — like a process killed at that instant.
 */
function mortalInstance(rig: BatchRig, clock: TestClock, workerId: string, crashAtCall: number | null, crashAfterEffect: boolean) {
  let dead = false;
  let calls = 0;
  const die = () => {
    dead = true;
    return new Died('instance died');
  };
  const base = rig.app.store;
  const store = Object.create(base) as Store;
  store.transaction = (work) => (dead ? Promise.reject(new Died('dead')) : base.transaction(work));
  store.read = (work) => (dead ? Promise.reject(new Died('dead')) : base.read(work));
  const wrap = (g: Gateway): Gateway => {
    const call = async <T>(act: () => Promise<T>): Promise<T> => {
      if (dead) throw new Died('dead');
      const n = ++calls;
      if (n === crashAtCall && !crashAfterEffect) throw die();
      const r = await act();
      if (n === crashAtCall && crashAfterEffect) throw die();
      if (dead) throw new Died('dead');
      return r;
    };
    return Object.assign(Object.create(g) as Gateway, {
      transfer: (req: TransferRequest) => call(() => g.transfer(req)),
      queryTransfer: (no: string) => call(() => g.queryTransfer(no)),
      cancelTransfer: g.cancelTransfer ? (no: string) => call(() => g.cancelTransfer!(no)) : undefined,
    });
  };
  const gateways = new GatewayRegistry(Object.fromEntries((['wechat', 'alipay', 'bank'] as Platform[]).map((p) => [p, wrap(rig.sandbox.registry.get(p))])));
  const batches = new BatchService(store, gateways, new NumberAllocator(), clock, rig.app.notifications, rig.app.vouchers, workerId, () => rig.server.url, {
    autoRun: false, leaseMs: LEASE_MS, recheckMs: 0, checkDelayMs: 0, confirmPollMs: 0, concurrency: 2, retry: { baseMs: 1, maxMs: 5, jitter: 0, maxAttempts: 3 }, log: () => undefined,
  });
  return { batches, isDead: () => dead };
}

const channel = fc.constantFrom('bank' as const, 'wechat' as const, 'alipay' as const);
const fault = fc.oneof(
  fc.record({ platform: fc.constantFrom<Platform>('wechat', 'alipay', 'bank'), fault: fc.constantFrom<Fault>(
    { kind: 'timeout_after_effect', operation: 'transfer' },
    { kind: 'timeout_before_effect', operation: 'transfer' },
    { kind: 'server_error', operation: 'transfer' },
    { kind: 'timeout_after_effect', operation: 'query_transfer' },
    { kind: 'server_error', operation: 'query_transfer' },
    { kind: 'notify_duplicate', operation: 'transfer' },
    { kind: 'notify_delay_ms', operation: 'transfer', ms: 40 },
  ) }),
  fc.record({ platform: fc.constant<Platform>('bank'), fault: fc.constant<Fault>({ kind: 'transfer_fail', operation: 'transfer', code: 'BANK_UNAVAILABLE' }) }),
  fc.record({ platform: fc.constant<Platform>('wechat'), fault: fc.constant<Fault>({ kind: 'transfer_fail', operation: 'transfer', code: 'NAME_NOT_CORRECT' }) }),
);
const crash = fc.record({ atCall: fc.integer({ min: 1, max: 8 }), afterEffect: fc.boolean() });

/**
 * The property of issue 7: whatever crashes, timeouts, platform errors and duplicate or late
 * notifications happen, no item is ever paid twice (the platforms' own books hold at most one
 * successful transfer per item, for its amount), none is lost (an item is 成功 exactly when the
 * platform paid it, and every item ends), and the batch's totals always equal the sum of its items.
 */
describe.each(STORE_KINDS)('random crashes, timeouts and duplicate notifications on %s', (kind) => {
  let rig: BatchRig;
  const clock = new TestClock(Date.now());
  beforeAll(async () => {
    rig = await batchRig(kind, { app: { clock }, sandbox: { clock, timeoutMs: 150 } });
  });
  afterAll(() => rig.close());

  it('never pay an item twice, never lose one; totals equal the sum of the items', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ channel, fen: fc.integer({ min: 1, max: 500_000 }) }), { minLength: 2, maxLength: 6 }),
        fc.array(fault, { maxLength: 4 }),
        fc.array(crash, { maxLength: 4 }),
        async (items, faults, crashes) => {
          run++;
          const lines = items.map((it, i) => ({
            payeeName: `收款人${run}_${i}`, channel: it.channel, bankName: it.channel === 'bank' ? '工商银行' : undefined, amountFen: it.fen,
            account: it.channel === 'bank' ? `62220200${String(run).padStart(4, '0')}${String(i).padStart(3, '0')}1` : it.channel === 'wechat' ? `oProp${run}x${i}xxxxxxxxxxxx` : `p${run}_${i}@example.com`,
          }));
          const batchNo = await rig.submitted(lines);
          await rig.approve(batchNo);
          for (const f of faults) rig.sandbox.simulator.inject(f.platform, f.fault);

          // Instances die one after the other at their crash point; each successor finds the leases lapsed.
          for (const [k, c] of crashes.entries()) {
            const instance = mortalInstance(rig, clock, `mortal-${run}-${k}`, c.atCall, c.afterEffect);
            for (let round = 0; round < 20 && !instance.isDead(); round++) {
              // A dead instance's round fails where it touches the store again; that is the crash.
              const n = await instance.batches.runDue().catch((e: unknown) => {
                if (instance.isDead()) return -1;
                throw e;
              });
              if (n === 0) break;
              clock.advance(10);
            }
            await rig.sandbox.simulator.notifier.idle();
            clock.advance(LEASE_MS + 1);
          }
          // Then a healthy instance (the app itself) finishes, with the faults used up or cleared.
          for (const p of ['wechat', 'alipay', 'bank'] as const) rig.sandbox.simulator.get(p).faults.clear();
          for (let i = 0; i < 30; i++) {
            await rig.settle(3);
            clock.advance(50);
            const p = await rig.app.batches.progress(batchNo);
            if (p.pendingCount + p.inFlightCount === 0) break;
          }

          const detail = await rig.app.batches.get(batchNo);
          const all = (await rig.app.batches.items(batchNo, {}, 1, 50)).items;
          const ledger = rig.ledgerByItem();
          expect(detail.batch.totalFen).toBe(lines.reduce((s, l) => s + l.amountFen, 0));
          expect(detail.progress.totalFen).toBe(detail.batch.totalFen);
          expect(detail.progress.totalCount).toBe(lines.length);
          for (const i of all) {
            const paid = (ledger.get(i.itemRef) ?? []).filter((t) => t.state === 'success');
            expect(paid.length, `${i.itemRef} paid ${paid.length} times`).toBeLessThanOrEqual(1);
            expect(['success', 'failed'], `${i.itemRef} ended ${i.status}`).toContain(i.status);
            if (i.status === 'success') expect(paid.map((t) => [t.transferNo, t.amountFen])).toEqual([[i.transferNo, i.amountFen]]);
            else expect(paid).toEqual([]);
          }
          expect(detail.progress.successFen).toBe(all.filter((i) => i.status === 'success').reduce((s, i) => s + i.amountFen, 0));
          expect(['completed', 'partial_failed', 'failed']).toContain(detail.batch.status);
        },
      ),
      { numRuns: 8, endOnFailure: true },
    );
  }, 120_000);
});
