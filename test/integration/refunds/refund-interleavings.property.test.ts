import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../../src-main/app';
import { isDomainError } from '../../../src-main/core/errors';
import { MINUTE_MS } from '../../../src-main/core/time';
import { GatewayRegistry } from '../../../src-main/services/payments/gateway-registry';
import { ScriptedRefundGateway, SimulatedCrash, type SendBehaviour } from '../../support/scripted-refund-gateway';
import { freshStore, STORE_KINDS, TEST_AUDIT_KEY, type TestStore } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { decide, paidOrder, staff } from './refund-rig';

/**
 * Issue 5's property: random interleavings of refund requests, approvals, rejections, gateway
 * successes / refusals / timeouts, notifications (duplicated, late) and crashes (the process dies,
 * mid-call too, and the app is opened again on the same store) never refund more than was paid and
 * never execute one refund twice. The scripted platform counts sends and executions per
 * out_refund_no and flags a resend that was not preceded by a query after an unknown outcome.
 */
type Op =
  /** A share of the order's paid amount, so several fit and some together pass it. */
  | { k: 'request'; order: number; pct: number }
  | { k: 'approve'; r: number }
  | { k: 'reject'; r: number }
  | { k: 'script'; b: SendBehaviour }
  | { k: 'queryTimeout' }
  | { k: 'run' }
  | { k: 'settle'; r: number; state: 'success' | 'failed' | 'closed' }
  | { k: 'redeliver'; r: number }
  | { k: 'retry'; r: number }
  | { k: 'close'; r: number }
  | { k: 'sync'; r: number }
  | { k: 'advance'; ms: number }
  | { k: 'crash' };

const idx = fc.nat({ max: 7 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('request' as const), order: fc.nat({ max: 1 }), pct: fc.integer({ min: 1, max: 70 }) }) },
  { weight: 7, arbitrary: fc.record({ k: fc.constant('approve' as const), r: idx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reject' as const), r: idx }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('script' as const), b: fc.constantFrom<SendBehaviour>('success', 'processing', 'reject_retryable', 'reject_final', 'timeout_after', 'timeout_before', 'crash_before', 'crash_after') }) },
  { weight: 1, arbitrary: fc.constant({ k: 'queryTimeout' as const }) },
  { weight: 6, arbitrary: fc.constant({ k: 'run' as const }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('settle' as const), r: idx, state: fc.constantFrom('success' as const, 'success' as const, 'failed' as const, 'closed' as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('redeliver' as const), r: idx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('retry' as const), r: idx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('close' as const), r: idx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('sync' as const), r: idx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 10 * MINUTE_MS }) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'crash' as const }) },
);

describe.each(STORE_KINDS)('refund interleavings on %s', (kind) => {
  let store: TestStore;
  const clock = new TestClock();
  const registry = new GatewayRegistry({});
  let app: App;
  const open = async () => {
    app = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, clock, gateways: registry, expiryIntervalMs: 0 });
  };

  beforeAll(async () => {
    store = await freshStore(kind, { sqliteFile: true });
    await open();
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('never refunds more than was paid and never executes a refund twice', async () => {
    const cashier = await staff(app, 'cashier', 'prop_cashier', '李出纳');
    const accountant = await staff(app, 'accountant', 'prop_acc', '张会计');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: kind === 'mysql' ? 30 : 45 }), fc.integer({ min: 1, max: 100_00 }), fc.integer({ min: 100, max: 100_00 }), async (ops, paidA, paidB) => {
        run++;
        const fake = new ScriptedRefundGateway(() => clock.now());
        registry.set('wechat', fake);
        const orders = [await paidOrder(app, fake, paidA, `P${run}`), await paidOrder(app, fake, paidB)];
        const refunds: string[] = [];
        const pick = (i: number) => (refunds.length ? refunds[i % refunds.length]! : null);
        const tolerate = async (work: () => Promise<unknown>) => {
          try {
            await work();
          } catch (e) {
            if (e instanceof SimulatedCrash) {
              await app.close();
              await open();
              return;
            }
            if (!isDomainError(e)) throw e;
          }
        };

        for (const o of ops) {
          switch (o.k) {
            case 'request':
              await tolerate(async () => {
                const orderNo = orders[o.order]!;
                const amountFen = Math.max(1, Math.round((fake.paid.get(orderNo)! * o.pct) / 100));
                refunds.push((await app.refunds.request(cashier, { orderNo, amountFen, reason: '属性测试' })).refundNo);
              });
              break;
            case 'approve':
            case 'reject': {
              const no = pick(o.r);
              if (no) await tolerate(() => decide(app, no, accountant, o.k, o.k === 'reject' ? '驳回' : undefined).catch((e: Error) => {
                if (/no pending approval/.test(e.message)) return;
                throw e;
              }));
              break;
            }
            case 'script':
              fake.next(o.b);
              break;
            case 'queryTimeout':
              fake.nextQuery('timeout');
              break;
            case 'run':
              await tolerate(() => app.refunds.sendApproved());
              break;
            case 'settle': {
              const no = pick(o.r);
              const n = no ? fake.settle(no, o.state) : null;
              if (n) await app.payments.apply(n);
              break;
            }
            case 'redeliver': {
              const no = pick(o.r);
              const n = no ? fake.notification(no) : null;
              if (n) await app.payments.apply(n);
              break;
            }
            case 'retry': {
              const no = pick(o.r);
              if (no) await tolerate(() => app.refunds.retry(accountant, no));
              break;
            }
            case 'close': {
              const no = pick(o.r);
              if (no) await tolerate(() => app.refunds.close(accountant, no, '放弃'));
              break;
            }
            case 'sync': {
              const no = pick(o.r);
              if (no) await tolerate(() => app.refunds.sync(no));
              break;
            }
            case 'advance':
              clock.advance(o.ms);
              break;
            case 'crash':
              await app.close();
              await open();
              break;
          }
          await assertInvariants(app, fake, orders);
        }

        // Drain: the platform behaves from now on; everything under way must end, and both books must agree.
        fake.defaultSend = 'success';
        fake.clearScripts();
        for (let i = 0; i < 6; i++) {
          clock.advance(2 * 60 * MINUTE_MS);
          await tolerate(() => app.refunds.sendApproved());
          for (const no of refunds) {
            const n = fake.settle(no, 'success');
            if (n) await app.payments.apply(n);
          }
        }
        const all = (await Promise.all(orders.map((o) => app.refunds.forOrder(o)))).flatMap((s) => s.refunds);
        expect(all.filter((r) => r.state === 'processing')).toEqual([]);
        const localSuccess = all.filter((r) => r.state === 'success').map((r) => r.refundNo).sort();
        const platformSuccess = [...fake.books.values()].filter((r) => r.state === 'success').map((r) => r.refundNo).sort();
        expect(localSuccess).toEqual(platformSuccess);
        await assertInvariants(app, fake, orders);
      }),
      { numRuns: kind === 'mysql' ? 12 : 40, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}) },
    );
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  }, 300_000);
});

async function assertInvariants(app: App, fake: ScriptedRefundGateway, orders: string[]): Promise<void> {
  expect(fake.violations).toEqual([]);
  for (const [no, n] of fake.executions) expect(n, `${no} executed ${n} times`).toBe(1);
  for (const orderNo of orders) {
    const paid = fake.paid.get(orderNo)!;
    const { order, transactions } = await app.orders.get(orderNo);
    const { refunds } = await app.refunds.forOrder(orderNo);
    const atPlatform = [...fake.books.values()].filter((r) => r.orderNo === orderNo && r.state !== 'failed' && r.state !== 'closed').reduce((s, r) => s + r.amountFen, 0);
    expect(atPlatform).toBeLessThanOrEqual(paid);
    const held = refunds.filter((r) => ['pending_approval', 'processing', 'success'].includes(r.state)).reduce((s, r) => s + r.amountFen, 0);
    expect(held).toBeLessThanOrEqual(paid);
    const succeeded = refunds.filter((r) => r.state === 'success');
    const refundedFen = succeeded.reduce((s, r) => s + r.amountFen, 0);
    expect(order.refundedFen).toBe(refundedFen);
    expect(order.status).toBe(refundedFen === paid ? 'refunded' : 'paid');
    // Every success here is a success at the platform, with its one refund transaction.
    for (const r of succeeded) expect(fake.books.get(r.refundNo)?.state).toBe('success');
    expect(transactions.filter((t) => t.type === 'refund').map((t) => t.amountFen).sort()).toEqual(succeeded.map((r) => r.amountFen).sort());
    // The out_refund_no is always our refund number.
    for (const no of fake.sends.keys()) if (fake.books.get(no)?.orderNo === orderNo) expect(refunds.map((r) => r.refundNo)).toContain(no);
  }
}
