import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { isDomainError } from '../../src-main/core/errors';
import type { Order } from '../../src-main/core/orders/order';
import { MINUTE_MS } from '../../src-main/core/time';
import { STORE_KINDS, testApp } from '../support/stores';
import { TestClock } from '../support/test-clock';

/**
 * ARCHITECTURE.md money invariants, as properties over random histories on each store:
 *  - an order is paid at most once, and only for exactly its amount;
 *  - every state change writes one audit record in the same transaction, and the chain verifies;
 *  - confirmations are idempotent: replaying any of them in any order changes nothing.
 */
const clerk = { id: 7, name: '性质测试' };

type Cmd =
  | { op: 'create'; amountFen: number; type: 'customer_order' | 'meal_bill' }
  | { op: 'confirm'; target: number; amountDelta: 0 | 1 | -1; trade: 0 | 1 }
  | { op: 'cancel'; target: number }
  | { op: 'wait'; minutes: number }
  | { op: 'expire' };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('create' as const), amountFen: fc.integer({ min: 1, max: 5_000_000 }), type: fc.constantFrom('customer_order' as const, 'meal_bill' as const) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('confirm' as const), target: fc.nat(20), amountDelta: fc.constantFrom(0 as const, 0 as const, 1 as const, -1 as const), trade: fc.constantFrom(0 as const, 1 as const) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('cancel' as const), target: fc.nat(20) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 40 }) }), weight: 1 },
  { arbitrary: fc.constant({ op: 'expire' as const }), weight: 1 },
);

describe.each(STORE_KINDS)('order money invariants on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  const clock = new TestClock();
  beforeAll(async () => {
    ({ app, close } = await testApp(kind, { clock }));
  });
  afterAll(() => close());

  const state = async (orders: Order[]) =>
    Promise.all(orders.map(async (o) => {
      const d = await app.orders.get(o.orderNo);
      return { order: d.order, transactions: d.transactions, audit: d.history.map((h) => h.seq) };
    }));

  it('random histories keep every invariant, and replays change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 25 }), fc.infiniteStream(fc.nat()), async (cmds, shuffle) => {
        const orders: Order[] = [];
        const confirmations: { orderNo: string; amountFen: number; gatewayTradeNo: string; paidAt: number }[] = [];
        for (const c of cmds) {
          try {
            if (c.op === 'create') orders.push(await app.orders.create(clerk, { amountFen: c.amountFen, method: 'wechat', type: c.type, relatedId: '', description: '', payerId: '' }));
            else if (c.op === 'confirm' && orders.length) {
              const o = orders[c.target % orders.length]!;
              const p = { orderNo: o.orderNo, amountFen: o.amountFen + c.amountDelta, gatewayTradeNo: `wx-${o.orderNo}-${c.trade}`, paidAt: clock.now() };
              confirmations.push(p);
              await app.orders.confirmPayment({ id: null, name: '微信支付通知' }, p);
            } else if (c.op === 'cancel' && orders.length) await app.orders.cancel(clerk, orders[c.target % orders.length]!.orderNo, 'admin');
            else if (c.op === 'wait') clock.advance(c.minutes * MINUTE_MS);
            else if (c.op === 'expire') await app.orders.expireOverdue();
          } catch (e) {
            if (!isDomainError(e)) throw e; // a refusal is fine; a crash is not
          }
        }

        const before = await state(orders);
        for (const { order, transactions, audit } of before) {
          const payments = transactions.filter((t) => t.type === 'payment');
          const successes = payments.filter((t) => t.status === 'success');
          if (order.status === 'paid') {
            expect(order.paidFen).toBe(order.amountFen);
            expect(successes).toHaveLength(1);
            expect(successes[0]!.amountFen).toBe(order.amountFen);
          } else {
            expect(order.paidFen).toBe(0);
            expect(successes).toHaveLength(0);
          }
          if (order.status === 'cancelled') expect(payments.every((t) => t.status === 'failed')).toBe(true);
          const changes = 1 + (order.status === 'paid' ? 1 : 0) + (order.status === 'cancelled' ? 1 : 0);
          expect(audit).toHaveLength(changes);
        }

        // Replay every confirmation again, shuffled: nothing may change.
        const replay = [...confirmations].sort(() => (shuffle.next().value % 3) - 1);
        for (const p of replay) await app.orders.confirmPayment({ id: null, name: '重放' }, p).catch((e: unknown) => {
          if (!isDomainError(e)) throw e;
        });
        expect(await state(orders)).toEqual(before);
      }),
      { numRuns: kind === 'mysql' ? 25 : 40 },
    );
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });
});
