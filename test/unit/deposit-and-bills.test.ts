import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASIS_POINTS, depositFen, formatRatio } from '../../src-main/core/bookings/deposit';
import { isTaxId, isUnifiedCreditCode, validateInvoiceRequest, type InvoiceRequestInput } from '../../src-main/core/meal-bills/invoice-request';
import { assertTotalMatches, billTotalFen, lineAmountFen, numberItems, type MealBillItemInput } from '../../src-main/core/meal-bills/meal-bill';
import { MAX_FEN } from '../../src-main/core/money';

describe('deposit: total × ratio, rounded half up to the fen, at least 1 fen, never above the total', () => {
  it.each([
    [10005, 3000, 3002], // ¥100.05 × 30% = 30.015 → 30.02
    [10001, 5000, 5001], // 50.005 → 50.01
    [10000, 2000, 2000],
    [1, 3000, 1], // 0.3 fen → at least 1 fen
    [3, 5000, 2], // 1.5 → 2
    [99, 10000, 99],
  ])('%i fen at %i bp → %i fen', (total, bp, expected) => expect(depositFen(total, bp)).toBe(expected));

  it('holds its rules for every total and ratio', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_FEN }), fc.integer({ min: 1, max: BASIS_POINTS }), (total, bp) => {
        const d = depositFen(total, bp);
        expect(Number.isSafeInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(1);
        expect(d).toBeLessThanOrEqual(total);
        // Exact check in integers: |d·10000 − total·bp| ≤ 5000, with ties (= 5000) going up, unless clamped to 1 fen.
        const diff = BigInt(d) * BigInt(BASIS_POINTS) - BigInt(total) * BigInt(bp);
        if (d > 1) expect(diff > -5000n && diff <= 5000n).toBe(true);
        else expect(BigInt(total) * BigInt(bp) < 15000n).toBe(true);
      }),
    );
  });

  it('never decreases when the total or the ratio grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: BASIS_POINTS - 1 }), (total, more, bp) => {
        expect(depositFen(total + more, bp)).toBeGreaterThanOrEqual(depositFen(total, bp));
        expect(depositFen(total, bp + 1)).toBeGreaterThanOrEqual(depositFen(total, bp));
      }),
    );
  });

  it('refuses a zero total and ratios outside 0.01%–100%', () => {
    expect(() => depositFen(0, 3000)).toThrow('金额必须大于 0');
    expect(() => depositFen(100, 0)).toThrow('定金比例必须在 0.01% 到 100% 之间');
    expect(() => depositFen(100, 10001)).toThrow('定金比例必须在 0.01% 到 100% 之间');
    expect(formatRatio(3000)).toBe('30%');
    expect(formatRatio(1250)).toBe('12.5%');
  });
});

const itemArb = fc.record({
  serviceDate: fc.constant('2026-11-26'),
  meal: fc.constantFrom('breakfast' as const, 'lunch' as const, 'dinner' as const, 'snack' as const),
  description: fc.constant('自助早餐'),
  quantity: fc.integer({ min: 1, max: 999 }),
  unitPriceFen: fc.integer({ min: 1, max: 10_000_000 }),
});

describe('meal bill totals', () => {
  it('line amount is quantity × unit price and the total is the sum of the lines, whatever the items', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 50 }), fc.array(itemArb, { minLength: 1, maxLength: 20 }), (first, more) => {
        const a = numberItems(0, first);
        const b = numberItems(a.length, more);
        const all = [...a, ...b];
        expect(all.map((i) => i.lineNo)).toEqual(all.map((_, k) => k + 1));
        for (const i of all) expect(i.amountFen).toBe(i.quantity * i.unitPriceFen);
        const total = billTotalFen(all);
        expect(total).toBe(all.reduce((s, i) => s + i.quantity * i.unitPriceFen, 0));
        expect(total).toBe(billTotalFen(a) + billTotalFen(b));
        expect(() => assertTotalMatches({ billNo: 'M1', totalFen: total }, all)).not.toThrow();
        expect(() => assertTotalMatches({ billNo: 'M1', totalFen: total + 1 }, all)).toThrow('账单 M1 合计与明细不符');
      }),
    );
  });

  it('refuses bad quantities, empty bills and totals past the ceiling', () => {
    expect(() => lineAmountFen(0, 100)).toThrow('数量必须是 1 到 999 的整数');
    expect(() => lineAmountFen(1.5, 100)).toThrow('数量必须是 1 到 999 的整数');
    expect(() => lineAmountFen(1, 0)).toThrow('金额必须大于 0');
    expect(() => numberItems(0, [])).toThrow('请至少添加一条消费明细');
    const huge: MealBillItemInput = { serviceDate: '2026-11-26', meal: 'dinner', description: '宴席', quantity: 999, unitPriceFen: MAX_FEN / 1000 };
    expect(() => billTotalFen(numberItems(0, [huge, huge]))).toThrow('账单金额超过上限');
  });
});

describe('invoice requests', () => {
  const base: InvoiceRequestInput = { kind: 'electronic', titleType: 'company', title: '某某科技有限公司', taxId: '91350100M000100Y43', email: 'finance@example.com', postalAddress: '', recipient: '', phone: '' };

  it('checks the unified social credit code by its check character', () => {
    expect(isUnifiedCreditCode('91350100M000100Y43')).toBe(true);
    expect(isUnifiedCreditCode('91350100M000100Y44')).toBe(false);
    expect(isTaxId('110108123456789')).toBe(true);
    expect(isTaxId('1101')).toBe(false);
  });

  it('accepts a valid request and normalizes it; refuses what is missing, in Chinese', () => {
    expect(validateInvoiceRequest({ ...base, taxId: '91350100m000100y43', postalAddress: 'x' })).toMatchObject({ taxId: '91350100M000100Y43', postalAddress: '' });
    expect(() => validateInvoiceRequest({ ...base, taxId: '' })).toThrow('单位抬头必须填写纳税人识别号');
    expect(() => validateInvoiceRequest({ ...base, taxId: '91350100M000100Y44' })).toThrow(/纳税人识别号不正确/);
    expect(() => validateInvoiceRequest({ ...base, email: 'not-mail' })).toThrow('电子发票须填写有效的接收邮箱');
    expect(validateInvoiceRequest({ ...base, titleType: 'personal', title: '张三', taxId: '' }).title).toBe('张三');
    const paper = { ...base, kind: 'paper' as const, email: '' };
    expect(() => validateInvoiceRequest(paper)).toThrow('纸质发票须填写完整的邮寄地址');
    expect(() => validateInvoiceRequest({ ...paper, postalAddress: '上海市浦东新区世纪大道 100 号' })).toThrow('纸质发票须填写收件人');
    expect(validateInvoiceRequest({ ...paper, postalAddress: '上海市浦东新区世纪大道 100 号', recipient: '李四', phone: '13800138000' }).recipient).toBe('李四');
  });
});
