import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPIRY_MINUTES, expiresAt } from '../../src-main/core/orders/order-expiry';
import { applyOrderEvent, canTransition, type OrderEvent, type OrderMoney } from '../../src-main/core/orders/order-state';
import { ORDER_STATUSES } from '../../src-main/core/orders/order-types';
import { assertTransactionTransition } from '../../src-main/core/transactions/transaction-types';

const pending: OrderMoney = { status: 'pending', amountFen: 10000, paidFen: 0, refundedFen: 0 };

describe('order state machine', () => {
  it('pays a pending order for exactly its amount', () => {
    expect(applyOrderEvent(pending, { kind: 'pay', amountFen: 10000 })).toMatchObject({ status: 'paid', paidFen: 10000 });
    expect(() => applyOrderEvent(pending, { kind: 'pay', amountFen: 9999 })).toThrow('支付金额与订单金额不一致');
  });

  it('refuses to cancel a paid order and points to the refund process', () => {
    const paid = applyOrderEvent(pending, { kind: 'pay', amountFen: 10000 });
    expect(() => applyOrderEvent(paid, { kind: 'cancel', reason: 'admin' })).toThrow('已支付订单不能取消，请走退款流程');
  });

  it('refuses to pay twice or pay a cancelled order', () => {
    const paid = applyOrderEvent(pending, { kind: 'pay', amountFen: 10000 });
    expect(() => applyOrderEvent(paid, { kind: 'pay', amountFen: 10000 })).toThrow('订单已支付，不能重复支付');
    const cancelled = applyOrderEvent(pending, { kind: 'cancel', reason: 'user' });
    expect(() => applyOrderEvent(cancelled, { kind: 'pay', amountFen: 10000 })).toThrow('订单已取消，不能再支付');
    expect(() => applyOrderEvent(cancelled, { kind: 'cancel', reason: 'user' })).toThrow('订单已取消');
  });

  it('partial refunds keep the order paid; the last one makes it refunded', () => {
    let o = applyOrderEvent(pending, { kind: 'pay', amountFen: 10000 });
    o = applyOrderEvent(o, { kind: 'refund', amountFen: 3000 });
    expect(o).toMatchObject({ status: 'paid', refundedFen: 3000 });
    o = applyOrderEvent(o, { kind: 'refund', amountFen: 7000 });
    expect(o).toMatchObject({ status: 'refunded', refundedFen: 10000 });
    expect(() => applyOrderEvent(o, { kind: 'refund', amountFen: 1 })).toThrow('只有已支付订单可以退款');
  });

  it('a refund can never exceed what was paid', () => {
    const paid = applyOrderEvent(pending, { kind: 'pay', amountFen: 10000 });
    expect(() => applyOrderEvent(paid, { kind: 'refund', amountFen: 10001 })).toThrow('退款总额不能超过已支付金额');
  });

  it('property: any event sequence keeps 0 ≤ refunded ≤ paid ≤ amount and only allowed transitions', () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('pay' as const), amountFen: fc.constantFrom(10000, 9999, 1) }),
      fc.record({ kind: fc.constant('cancel' as const), reason: fc.constantFrom('user' as const, 'admin' as const, 'expired' as const) }),
      fc.record({ kind: fc.constant('refund' as const), amountFen: fc.integer({ min: -5, max: 12000 }) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events: OrderEvent[]) => {
        let o = pending;
        for (const e of events) {
          try {
            const next = applyOrderEvent(o, e);
            expect(next.status === o.status || canTransition(o.status, next.status)).toBe(true);
            o = next;
          } catch {
            // refused events change nothing
          }
          expect(o.refundedFen).toBeGreaterThanOrEqual(0);
          expect(o.refundedFen).toBeLessThanOrEqual(o.paidFen);
          expect(o.paidFen === 0 || o.paidFen === o.amountFen).toBe(true);
          expect(ORDER_STATUSES).toContain(o.status);
          if (o.status === 'refunded') expect(o.refundedFen).toBe(o.paidFen);
        }
      }),
    );
  });
});

describe('payment time limits', () => {
  it('booking deposits expire after 30 minutes, meal bills after 24 hours', () => {
    expect(expiresAt('customer_order', 0, DEFAULT_EXPIRY_MINUTES)).toBe(30 * 60_000);
    expect(expiresAt('meal_bill', 0, DEFAULT_EXPIRY_MINUTES)).toBe(24 * 3600_000);
  });
});

describe('transaction state machine', () => {
  it('allows the life of a payment and refuses the rest with a clear message', () => {
    expect(() => assertTransactionTransition('pending', 'success')).not.toThrow();
    expect(() => assertTransactionTransition('success', 'refunding')).not.toThrow();
    expect(() => assertTransactionTransition('refunding', 'refunded')).not.toThrow();
    expect(() => assertTransactionTransition('failed', 'success')).toThrow('交易状态不能从「失败」变为「成功」');
    expect(() => assertTransactionTransition('refunded', 'pending')).toThrow('交易状态不能从「已退款」变为「待处理」');
  });
});
