import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEmployee, type EmployeeFields } from '../../../src-main/core/salary/employee';
import {
  addMonths, assertDraftable, assertReviewer, assertSheetEditable, assertSubmittable, checkMonth, describeSchedule, isLineDraftable, linePayoutAfter,
  LINE_PAYOUT_STATUSES, payDateOf, sheetStatusFromLines, validateSchedule, type LinePayoutStatus,
} from '../../../src-main/core/salary/salary-sheet';
import { allocationAfter, planTermsBatch } from '../../../src-main/core/salary/supplier-terms';
import type { Payable } from '../../../src-main/core/suppliers/supplier-payment';

describe('薪资表 states', () => {
  it('is edited only as a draft or after rejection, submitted only with lines', () => {
    expect(() => assertSheetEditable('draft')).not.toThrow();
    expect(() => assertSheetEditable('rejected')).not.toThrow();
    expect(() => assertSheetEditable('submitted')).toThrow('薪资表待审核，不能修改（驳回后才能修改）');
    expect(() => assertSheetEditable('approved')).toThrow('薪资表已审核，不能修改');
    expect(() => assertSubmittable('draft', 0)).toThrow('薪资表还没有任何员工的薪资，不能提交审核');
    expect(() => assertSubmittable('submitted', 3)).toThrow('薪资表待审核，不能提交审核');
  });

  it('maker-checker: whoever filled or submitted the sheet cannot review it', () => {
    expect(() => assertReviewer(7, new Set([7, 8]))).toThrow('您填写或提交了这张薪资表，不能审核自己的薪资表，请由另一位财务人员审核');
    expect(() => assertReviewer(9, new Set([7, 8]))).not.toThrow();
    expect(() => assertReviewer(null, new Set())).toThrow('薪资审核须由财务人员本人操作');
  });

  it('a batch is drafted from a reviewed sheet, once', () => {
    expect(() => assertDraftable('approved')).not.toThrow();
    expect(() => assertDraftable('submitted')).toThrow('薪资表待审核，审核通过后才能生成批量付款');
    expect(() => assertDraftable('batch_drafted')).toThrow('薪资表已生成批量，不能重复生成批量付款');
    expect(isLineDraftable({ payoutStatus: 'unpaid', netFen: 1 })).toBe(true);
    expect(isLineDraftable({ payoutStatus: 'cancelled', netFen: 1 })).toBe(true);
    expect(isLineDraftable({ payoutStatus: 'failed', netFen: 1 })).toBe(false);
    expect(isLineDraftable({ payoutStatus: 'unpaid', netFen: 0 })).toBe(false);
  });

  it('the sheet follows its lines after the batch', () => {
    const s = (...l: LinePayoutStatus[]) => sheetStatusFromLines(l.map((payoutStatus) => ({ payoutStatus })));
    expect(s('paid', 'in_batch')).toBe('batch_drafted');
    expect(s('paid', 'paid', 'skipped')).toBe('paid');
    expect(s('paid', 'failed')).toBe('partially_failed');
    expect(s('paid', 'cancelled')).toBe('partially_failed');
    expect(s('cancelled', 'cancelled', 'skipped')).toBe('approved');
    expect(s('failed', 'failed')).toBe('partially_failed');
  });

  it('a paid line stays paid whatever arrives later (replayed or reordered results)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('success', 'failed', 'cancelled' as const), { minLength: 1, maxLength: 10 }), (events) => {
        let st: LinePayoutStatus = 'in_batch';
        let seenSuccess = false;
        for (const e of events) {
          st = linePayoutAfter(st, e);
          seenSuccess ||= e === 'success';
          expect(LINE_PAYOUT_STATUSES).toContain(st);
          if (seenSuccess) expect(st).toBe('paid');
        }
      }),
    );
  });
});

describe('months and the pay day', () => {
  it('validates months', () => {
    expect(checkMonth('2026-11')).toBe('2026-11');
    for (const bad of ['2026-13', '2026-1', '26-11', '2026/11', '1999-12', ''])
      expect(() => checkMonth(bad)).toThrow(`薪资月份格式应为 YYYY-MM（例如 2026-11）：${bad}`);
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
  });

  it('pays on the configured day of the next (or same) month, the last day of a short month', () => {
    expect(payDateOf('2026-10', { payDay: 10, payMonth: 'next' })).toBe('2026-11-10');
    expect(payDateOf('2026-12', { payDay: 10, payMonth: 'next' })).toBe('2027-01-10');
    expect(payDateOf('2027-01', { payDay: 31, payMonth: 'next' })).toBe('2027-02-28');
    expect(payDateOf('2028-02', { payDay: 30, payMonth: 'same' })).toBe('2028-02-29');
    expect(describeSchedule({ payDay: 10, payMonth: 'next', autoDraft: true })).toBe('每月 10 日发放上月工资');
    expect(() => validateSchedule({ payDay: 0, payMonth: 'next', autoDraft: true })).toThrow('发薪日应为每月 1 至 31 日');
  });
});

describe('员工 payee data', () => {
  const e = (over: Partial<EmployeeFields> = {}): EmployeeFields => ({
    employeeNo: 'E001', name: '张三', department: '厨房', payeeChannel: 'bank', account: '6222 0212 3456 7890', bankName: '中国工商银行', phone: '138 1234 5678',
    baseFen: 500_000, rateCfen: 0, active: true, ...over,
  });
  it('normalises accounts and phones and checks them by channel', () => {
    expect(validateEmployee(e())).toMatchObject({ account: '6222021234567890', phone: '13812345678' });
    expect(() => validateEmployee(e({ account: '12ab' }))).toThrow('银行账号应为 8 至 32 位数字');
    expect(() => validateEmployee(e({ bankName: ' ' }))).toThrow('银行转账需填写开户银行');
    expect(() => validateEmployee(e({ payeeChannel: 'alipay', account: 'not-a-login' }))).toThrow('支付宝账号应为手机号或电子邮箱');
    expect(validateEmployee(e({ payeeChannel: 'alipay', account: 'zhangsan@example.com' })).bankName).toBe('');
    expect(() => validateEmployee(e({ payeeChannel: 'wechat', account: 'o#1' }))).toThrow(/OpenID/);
    expect(() => validateEmployee(e({ employeeNo: '工号1' }))).toThrow('工号应为 1 至 32 位字母、数字、下划线或横线');
    expect(() => validateEmployee(e({ phone: '12345' }))).toThrow('手机号应为 11 位数字（用于发送工资条短信）');
  });
});

describe('supplier batch by payment terms', () => {
  const p = (id: number, supplierId: number, dueDate: string, amountFen: number, over: Partial<Payable> = {}): Payable => ({
    id, supplierId, referenceNo: `INV-${id}`, description: '', amountFen, invoiceDate: '2026-10-01', dueDate, status: 'open', paidFen: 0, reservedFen: 0, createdAt: 0, version: 1, ...over,
  });
  it('takes open, unblocked payables of active suppliers due by the date, one line per supplier, partial payments by what is still open', () => {
    const lines = planTermsBatch(
      [
        p(5, 2, '2026-11-20', 1000),
        p(1, 1, '2026-11-01', 3000),
        p(2, 1, '2026-11-26', 2000, { paidFen: 500 }),
        p(3, 1, '2026-11-27', 9999), // not due yet
        p(4, 1, '2026-11-02', 4000, { reservedFen: 4000, status: 'in_payment' }), // held by a 付款单
        p(6, 2, '2026-11-02', 700), // in a draft 付款单
        p(7, 3, '2026-11-02', 800), // supplier inactive
        p(8, 2, '2026-11-02', 100, { paidFen: 100, status: 'paid' }),
      ],
      '2026-11-26',
      new Set([6]),
      new Set([1, 2]),
    );
    expect(lines).toEqual([
      { supplierId: 1, allocations: [{ payableId: 1, amountFen: 3000 }, { payableId: 2, amountFen: 1500 }], amountFen: 4500 },
      { supplierId: 2, allocations: [{ payableId: 5, amountFen: 1000 }], amountFen: 1000 },
    ]);
  });

  it('a line is the sum of its allocations and never takes a payable twice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ supplierId: fc.integer({ min: 1, max: 4 }), day: fc.integer({ min: 1, max: 28 }), amount: fc.integer({ min: 1, max: 1_000_000 }), paid: fc.nat(1_000_000), reserved: fc.boolean() }), { maxLength: 30 }),
        (rows) => {
          const payables = rows.map((r, i) => {
            const paidFen = Math.min(r.paid, r.amount);
            return p(i + 1, r.supplierId, `2026-11-${String(r.day).padStart(2, '0')}`, r.amount, { paidFen, reservedFen: r.reserved ? 1 : 0, status: paidFen >= r.amount ? 'paid' : r.reserved ? 'in_payment' : 'open' });
          });
          const lines = planTermsBatch(payables, '2026-11-15', new Set(), new Set([1, 2, 3, 4]));
          const seen = new Set<number>();
          for (const l of lines) {
            expect(l.amountFen).toBe(l.allocations.reduce((s, a) => s + a.amountFen, 0));
            for (const a of l.allocations) {
              expect(seen.has(a.payableId)).toBe(false);
              seen.add(a.payableId);
              const pb = payables[a.payableId - 1]!;
              expect(pb.supplierId).toBe(l.supplierId);
              expect(a.amountFen).toBe(pb.amountFen - pb.paidFen);
              expect(pb.reservedFen).toBe(0);
              expect(pb.dueDate <= '2026-11-15').toBe(true);
            }
          }
        },
      ),
    );
  });

  it('a reservation is paid on success, given back on cancel and held on failure', () => {
    expect([allocationAfter('success'), allocationAfter('cancelled'), allocationAfter('failed')]).toEqual(['paid', 'released', 'reserved']);
  });
});
