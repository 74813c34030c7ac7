import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src-main/core/errors';
import { applyOrderEvent, type OrderMoney } from '../../../src-main/core/orders/order-state';
import {
  applyRefundEvent,
  assertRefundable,
  assertRefundTransition,
  canRefundTransition,
  isFinalRefundState,
  newRefund,
  REFUND_STATES,
  refundableRemainingFen,
  reservedRefundFen,
  type RefundAmount,
  type RefundEvent,
  type RefundMoney,
  type RefundState,
} from '../../../src-main/core/refunds/refund-state';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'NO_ERROR';
};

const inState = (state: RefundState, amountFen = 1000, retryable = false): RefundMoney => ({
  state,
  amountFen,
  reason: state === 'failed' || state === 'rejected' || state === 'closed' ? '原因' : null,
  retryable,
});

describe('refund state machine: transitions', () => {
  const expected: Record<RefundState, RefundState[]> = {
    pending_approval: ['processing', 'rejected', 'closed'],
    processing: ['success', 'failed', 'closed'],
    failed: ['processing', 'closed'],
    rejected: [],
    success: [],
    closed: [],
  };

  it.each(REFUND_STATES.flatMap((from) => REFUND_STATES.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    const allowed = expected[from].includes(to);
    expect(canRefundTransition(from, to)).toBe(allowed);
    if (allowed) expect(() => assertRefundTransition(from, to)).not.toThrow();
    else expect(code(() => assertRefundTransition(from, to))).toBe('REFUND_ILLEGAL_TRANSITION');
  });

  it('names both states in Chinese when a transition is refused', () => {
    expect(() => assertRefundTransition('success', 'processing')).toThrow('退款状态不能从「退款成功」变为「退款中」');
    expect(() => assertRefundTransition('rejected', 'processing')).toThrow('退款状态不能从「已驳回」变为「退款中」');
  });

  it('final states are rejected, success and closed', () => {
    expect(REFUND_STATES.filter(isFinalRefundState)).toEqual(['rejected', 'success', 'closed']);
  });

  it('a new refund waits for approval and needs a positive whole amount of fen', () => {
    expect(newRefund(1)).toEqual({ state: 'pending_approval', amountFen: 1, reason: null, retryable: false });
    expect(() => newRefund(0)).toThrow('退款金额必须是大于 0 的整数分');
    expect(() => newRefund(-1)).toThrow('退款金额必须是大于 0 的整数分');
    expect(() => newRefund(1.5)).toThrow('退款金额必须是大于 0 的整数分');
  });

  it('approve sends a pending refund to processing; nothing else can be approved', () => {
    expect(applyRefundEvent(inState('pending_approval'), { kind: 'approve' }).state).toBe('processing');
    expect(() => applyRefundEvent(inState('failed', 1000, true), { kind: 'approve' })).toThrow('只有待审批的退款可以审批通过');
    expect(() => applyRefundEvent(inState('processing'), { kind: 'approve' })).toThrow('退款状态不能从「退款中」变为「退款中」');
  });

  it('reject needs a reason and only applies before approval', () => {
    const r = applyRefundEvent(inState('pending_approval'), { kind: 'reject', reason: '  重复申请 ' });
    expect(r).toMatchObject({ state: 'rejected', reason: '重复申请' });
    expect(() => applyRefundEvent(inState('pending_approval'), { kind: 'reject', reason: '  ' })).toThrow('驳回退款必须填写原因');
    expect(() => applyRefundEvent(inState('processing'), { kind: 'reject', reason: 'x' })).toThrow('退款状态不能从「退款中」变为「已驳回」');
  });

  it('success only from processing, and a duplicate success is recognisable', () => {
    expect(applyRefundEvent(inState('processing'), { kind: 'succeed' }).state).toBe('success');
    expect(code(() => applyRefundEvent(inState('success'), { kind: 'succeed' }))).toBe('REFUND_ALREADY_SUCCESS');
    expect(() => applyRefundEvent(inState('pending_approval'), { kind: 'succeed' })).toThrow('退款状态不能从「待审批」变为「退款成功」');
  });

  it('a failure records its reason and whether a retry can help', () => {
    const f = applyRefundEvent(inState('processing'), { kind: 'fail', reason: '用户银行卡已注销', retryable: false });
    expect(f).toMatchObject({ state: 'failed', reason: '用户银行卡已注销', retryable: false });
    expect(() => applyRefundEvent(inState('processing'), { kind: 'fail', reason: '', retryable: true })).toThrow('退款失败必须记录失败原因');
    expect(() => applyRefundEvent(f, { kind: 'retry', paidFen: 10000, otherRefunds: [] })).toThrow(
      '该退款失败不可重试（用户银行卡已注销），请关闭后重新申请',
    );
  });

  it('a retryable failure is sent again only if the order still has room for it', () => {
    const failed: RefundMoney = { state: 'failed', amountFen: 6000, reason: '系统繁忙', retryable: true };
    expect(applyRefundEvent(failed, { kind: 'retry', paidFen: 10000, otherRefunds: [{ amountFen: 4000, state: 'success' }] })).toEqual({
      state: 'processing',
      amountFen: 6000,
      reason: null,
      retryable: false,
    });
    // While it was failed, another refund took ¥40.01 of the order.
    expect(() => applyRefundEvent(failed, { kind: 'retry', paidFen: 10000, otherRefunds: [{ amountFen: 4001, state: 'pending_approval' }] })).toThrow(
      '退款总额不能超过已支付金额，剩余可退 ¥59.99',
    );
    expect(() => applyRefundEvent(inState('pending_approval'), { kind: 'retry', paidFen: 10000, otherRefunds: [] })).toThrow('只有退款失败的退款可以重试');
  });

  it('close needs a reason, and works before approval, while processing and after a failure', () => {
    for (const s of ['pending_approval', 'processing', 'failed'] as const)
      expect(applyRefundEvent(inState(s), { kind: 'close', reason: '申请人撤回' })).toMatchObject({ state: 'closed', reason: '申请人撤回' });
    expect(() => applyRefundEvent(inState('processing'), { kind: 'close', reason: '' })).toThrow('关闭退款必须填写原因');
    expect(() => applyRefundEvent(inState('success'), { kind: 'close', reason: 'x' })).toThrow('退款状态不能从「退款成功」变为「已关闭」');
  });
});

describe('assertRefundable: pending approval + processing + success never exceed what was paid', () => {
  const history: RefundAmount[] = [
    { amountFen: 3000, state: 'pending_approval' },
    { amountFen: 2000, state: 'processing' },
    { amountFen: 1000, state: 'success' },
    { amountFen: 5000, state: 'failed' },
    { amountFen: 4000, state: 'rejected' },
    { amountFen: 4000, state: 'closed' },
  ];

  it('counts only the reserving states', () => {
    expect(reservedRefundFen(history)).toBe(6000);
    expect(refundableRemainingFen(10000, history)).toBe(4000);
  });

  it('the remaining amount exactly is accepted, one fen more is refused with the remaining amount', () => {
    expect(() => assertRefundable(10000, history, 4000)).not.toThrow();
    expect(() => assertRefundable(10000, history, 3999)).not.toThrow();
    expect(() => assertRefundable(10000, history, 4001)).toThrow('退款总额不能超过已支付金额，剩余可退 ¥40.00');
    expect(code(() => assertRefundable(10000, history, 4001))).toBe('REFUND_EXCEEDS_PAID');
  });

  it('a fully refunded order has nothing left', () => {
    expect(() => assertRefundable(10000, [{ amountFen: 10000, state: 'success' }], 1)).toThrow('剩余可退 ¥0.00');
  });

  it('refuses zero, negative and fractional requests and orders without a paid amount', () => {
    expect(() => assertRefundable(10000, [], 0)).toThrow('退款金额必须是大于 0 的整数分');
    expect(() => assertRefundable(10000, [], -100)).toThrow('退款金额必须是大于 0 的整数分');
    expect(() => assertRefundable(10000, [], 0.5)).toThrow('退款金额必须是大于 0 的整数分');
    expect(() => assertRefundable(0, [], 1)).toThrow('订单没有已支付金额，不能退款');
  });

  it('the whole paid amount in one refund is allowed', () => {
    expect(() => assertRefundable(10000, [], 10000)).not.toThrow();
    expect(() => assertRefundable(10000, [], 10001)).toThrow('剩余可退 ¥100.00');
  });
});

type Command =
  /** 'rest': what the screen offers as 剩余可退, the way an order gets fully refunded. */
  | { kind: 'request'; amountFen: number | 'rest' }
  | { kind: 'approve' | 'succeed'; pick: number }
  | { kind: 'reject' | 'close'; pick: number; reason: string }
  | { kind: 'fail'; pick: number; retryable: boolean }
  | { kind: 'retry'; pick: number };

function toEvent(c: Exclude<Command, { kind: 'request' }>, paidFen: number, otherRefunds: RefundMoney[]): RefundEvent {
  switch (c.kind) {
    case 'approve':
    case 'succeed':
      return { kind: c.kind };
    case 'reject':
    case 'close':
      return { kind: c.kind, reason: c.reason };
    case 'fail':
      return { kind: 'fail', reason: '平台返回失败', retryable: c.retryable };
    case 'retry':
      return { kind: 'retry', paidFen, otherRefunds };
  }
}

describe('property: refund histories never refund more than was paid', () => {
  const command = (paid: number): fc.Arbitrary<Command> =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('request' as const),
          amountFen: fc.oneof(fc.integer({ min: 1, max: Math.max(1, Math.ceil(paid / 3)) }), fc.integer({ min: -2, max: paid + 2 }), fc.constant('rest' as const)),
        }),
      },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('approve' as const), pick: fc.nat(3) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('succeed' as const), pick: fc.nat(3) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('fail' as const), pick: fc.nat(3), retryable: fc.boolean() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat(3) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('reject' as const, 'close' as const), pick: fc.nat(3), reason: fc.constantFrom('', '客户要求', '  ') }) },
    );

  const scenario = fc.integer({ min: 1, max: 100_000 }).chain((paid) => fc.tuple(fc.constant(paid), fc.array(command(paid), { minLength: 5, maxLength: 80, size: 'medium' })));

  it('sum of pending approval + processing + success ≤ paid after every step; the order follows the successes', () => {
    // What the runs reached, so a generator that never gets anywhere fails the test instead of passing it.
    const seen = new Map<string, number>();
    const see = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    fc.assert(
      fc.property(scenario, ([paid, commands]) => {
        let refunds: RefundMoney[] = [];
        let order: OrderMoney = { status: 'paid', amountFen: paid, paidFen: paid, refundedFen: 0 };
        for (const c of commands) {
          const before = refunds;
          try {
            if (c.kind === 'request') {
              const amountFen = c.amountFen === 'rest' ? refundableRemainingFen(paid, refunds) : c.amountFen;
              assertRefundable(paid, refunds, amountFen);
              refunds = [...refunds, newRefund(amountFen)];
            } else if (refunds.length > 0) {
              const i = c.pick % refunds.length;
              const r = refunds[i]!;
              const others = refunds.filter((_, j) => j !== i);
              const next = applyRefundEvent(r, toEvent(c, paid, others));
              expect(canRefundTransition(r.state, next.state)).toBe(true);
              expect(next.amountFen).toBe(r.amountFen);
              refunds = refunds.map((x, j) => (j === i ? next : x));
              see(`${r.state}→${next.state}`);
              // The service applies every success to the order: that must always be accepted.
              if (next.state === 'success') order = applyOrderEvent(order, { kind: 'refund', amountFen: next.amountFen });
            }
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
            expect(refunds).toBe(before);
            see((e as DomainError).code);
          }
          expect(reservedRefundFen(refunds)).toBeLessThanOrEqual(paid);
          const succeeded = refunds.filter((r) => r.state === 'success').reduce((s, r) => s + r.amountFen, 0);
          expect(order.refundedFen).toBe(succeeded);
          expect(order.status).toBe(succeeded === paid ? 'refunded' : 'paid');
          if (order.status === 'refunded') see('order_fully_refunded');
          for (const r of refunds) {
            if (r.state === 'rejected' || r.state === 'failed' || r.state === 'closed') expect(r.reason).toBeTruthy();
            expect(Number.isSafeInteger(r.amountFen) && r.amountFen > 0).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
    for (const k of ['pending_approval→processing', 'processing→success', 'processing→failed', 'failed→processing', 'pending_approval→rejected', 'order_fully_refunded', 'REFUND_EXCEEDS_PAID', 'REFUND_NOT_RETRYABLE'])
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
  });
});
