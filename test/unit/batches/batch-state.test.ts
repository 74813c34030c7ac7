import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { progressOf, type StatusSum } from '../../../src-main/core/batches/batch-progress';
import {
  assertBatch, BATCH_STATUSES, canBatch, finishedStatus, ITEM_STATUSES, itemRefOf, MAX_ATTEMPTS, parseItemRef, parseTransferNo, transferNoOf, type BatchStatus,
} from '../../../src-main/core/batches/batch-state';

const BATCH = 'B20261126100000123456';

describe('the batch state machine', () => {
  it('allows each action only from its states, with the accountant’s sentence otherwise', () => {
    expect(canBatch('submit', 'draft')).toBe(true);
    expect(canBatch('submit', 'rejected')).toBe(true);
    expect(canBatch('submit', 'approved')).toBe(false);
    expect(canBatch('pause', 'running')).toBe(true);
    expect(canBatch('resume', 'running')).toBe(false);
    expect(() => assertBatch('cancel', 'pending_approval')).toThrow('批量任务待审批，不能取消，请先撤回审批');
    expect(() => assertBatch('resume', 'cancelled')).toThrow('批量任务已取消，不能继续执行');
    for (const s of ['completed', 'partial_failed', 'failed', 'cancelled'] as BatchStatus[]) expect(canBatch('cancel', s)).toBe(false);
  });

  it('finishes a batch only when no item owes an outcome', () => {
    expect(finishedStatus('running', { success: 3, pending: 1 })).toBeNull();
    expect(finishedStatus('running', { success: 3, resend_approval: 1 })).toBeNull();
    expect(finishedStatus('running', { success: 3 })).toBe('completed');
    expect(finishedStatus('running', { success: 3, failed: 1 })).toBe('partial_failed');
    expect(finishedStatus('paused', { failed: 2 })).toBe('failed');
    expect(finishedStatus('running', { failed: 2, cancelled: 1 })).toBe('partial_failed');
    expect(finishedStatus('cancelled', { success: 1 })).toBeNull();
  });

  it('property: a finished status is reached exactly when every item is success, failed or cancelled', () => {
    const counts = fc.dictionary(fc.constantFrom(...ITEM_STATUSES), fc.nat({ max: 5 }));
    fc.assert(
      fc.property(counts, fc.constantFrom(...BATCH_STATUSES), (c, status) => {
        const active = ['pending', 'sending', 'processing', 'wait_confirm', 'resend_approval'].some((s) => (c[s as keyof typeof c] ?? 0) > 0);
        const r = finishedStatus(status, c);
        expect(r === null).toBe(active || status === 'cancelled');
      }),
    );
  });
});

describe('item references and request ids', () => {
  it('are letters and digits only, at most 32 characters, and parse back', () => {
    expect(itemRefOf(BATCH, 42)).toBe(`${BATCH}I00042`);
    const no = transferNoOf(BATCH, 42, 3);
    expect(no).toBe(`${BATCH}I00042T3`);
    expect(parseTransferNo(no)).toEqual({ batchNo: BATCH, seq: 42, attempt: 3 });
    expect(parseItemRef(`${BATCH}I00042`)).toEqual({ batchNo: BATCH, seq: 42 });
    expect(parseTransferNo('S20261126100000123456T1')).toBeNull();
    expect(() => transferNoOf(BATCH, 1, MAX_ATTEMPTS + 1)).toThrow(RangeError);
  });

  it('property: distinct (item, attempt) pairs never share a request id, and every id fits every platform', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 1, max: MAX_ATTEMPTS }), fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 1, max: MAX_ATTEMPTS }), (s1, a1, s2, a2) => {
        const x = transferNoOf(BATCH, s1, a1);
        const y = transferNoOf(BATCH, s2, a2);
        expect(x === y).toBe(s1 === s2 && a1 === a2);
        expect(x).toMatch(/^[0-9A-Za-z]{1,32}$/);
        expect(parseTransferNo(x)).toEqual({ batchNo: BATCH, seq: s1, attempt: a1 });
      }),
    );
  });
});

describe('progress', () => {
  it('sums counts and amounts per result', () => {
    const p = progressOf([
      { status: 'success', count: 3, fen: 300 },
      { status: 'failed', count: 1, fen: 50 },
      { status: 'wait_confirm', count: 1, fen: 7 },
      { status: 'pending', count: 5, fen: 500 },
    ]);
    expect(p).toMatchObject({ totalCount: 10, totalFen: 857, doneCount: 4, doneFen: 350, inFlightCount: 1, waitConfirmCount: 1, pendingCount: 5, percent: 40 });
  });

  it('property: the parts always add up to the total, and 100% only when all are done', () => {
    const sums = fc.array(fc.record({ status: fc.constantFrom(...ITEM_STATUSES), count: fc.nat({ max: 1000 }), fen: fc.nat({ max: 10_000_000 }) }));
    fc.assert(
      fc.property(sums, (s: StatusSum[]) => {
        const p = progressOf(s);
        expect(p.totalCount).toBe(s.reduce((a, x) => a + x.count, 0));
        expect(p.totalFen).toBe(s.reduce((a, x) => a + x.fen, 0));
        expect(p.doneCount + p.inFlightCount + p.pendingCount).toBe(p.totalCount);
        expect(p.doneFen + p.inFlightFen + p.pendingFen).toBe(p.totalFen);
        expect(p.successFen + p.failedFen + p.cancelledFen).toBe(p.doneFen);
        expect(p.percent === 100).toBe(p.totalCount > 0 && p.doneCount === p.totalCount);
      }),
    );
  });
});
