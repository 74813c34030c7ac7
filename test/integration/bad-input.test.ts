import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { callers, type Caller } from '../support/callers';
import { STORE_KINDS, testApp } from '../support/stores';

const valid = { amount: '100.00', method: 'wechat', type: 'customer_order', relatedId: 'BK-1', description: '定金', payerId: 'WX_1' };
const page = { page: 1, pageSize: 10, sortBy: 'createdAt' as const, sortOrder: 'desc' as const };

describe.each(STORE_KINDS)('bad input is refused at the contract with a Chinese message and writes nothing, on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let clerk: Caller;
  beforeEach(async () => {
    ({ app, close } = await testApp(kind));
    clerk = await (await callers(app)).as('accountant');
  });
  afterEach(() => close());

  const auditCount = async () => (await app.audit.list({}, 1, 1)).total;

  it.each([
    [{ amount: '-1' }, '金额不能为负数'],
    [{ amount: '0' }, '金额必须大于 0'],
    [{ amount: '0.001' }, '金额最多保留两位小数'],
    [{ amount: '1.999' }, '金额最多保留两位小数'],
    [{ amount: 'NaN' }, '金额格式不正确，应为数字，例如 100.00'],
    [{ amount: 'abc' }, '金额格式不正确，应为数字，例如 100.00'],
    [{ amount: '' }, '金额格式不正确，应为数字，例如 100.00'],
    [{ amount: null }, '金额'],
    [{ amount: { fen: 1 } }, '金额'],
    [{ amount: '99999999999999999' }, '金额格式不正确，应为数字，例如 100.00'],
    [{ method: 'paypal' }, '支付方式必须是 微信支付/支付宝/银行卡 之一'],
    [{ type: 'loan' }, '订单类型不正确'],
    [{ description: '餐'.repeat(257) }, '订单描述：不能超过 256 个字符'],
    [{ relatedId: 'x'.repeat(65) }, '关联ID：不能超过 64 个字符'],
    [{ payerId: 'a\u0000b' }, '付款人：不能包含控制字符'],
    [{ extra: 1 }, ''],
  ])('orders.create with %j', async (patch, message) => {
    const before = await auditCount();
    const r = await clerk.raw('orders.create', { ...valid, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message.startsWith(message)).toBe(true);
      expect(r.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await app.orders.list({}, page)).total).toBe(0);
    expect(await auditCount()).toBe(before);
  });

  it('an amount over the configured single-order limit is refused by the domain', async () => {
    const r = await clerk.raw('orders.create', { ...valid, amount: '1000000.01' });
    expect(r).toEqual({ ok: false, error: { code: 'AMOUNT_TOO_LARGE', message: '金额超过单笔上限 ¥1,000,000.00' } });
    expect((await app.orders.list({}, page)).total).toBe(0);
  });

  it('injection strings are data, never SQL: stored verbatim and found only by themselves', async () => {
    const evil = "x' OR '1'='1'; DROP TABLE payment_orders; --";
    const r = await clerk.raw('orders.create', { ...valid, description: evil, payerId: "' OR 1=1 --" });
    expect(r.ok).toBe(true);
    const found = await clerk.ok('orders.list', { payerId: "' OR 1=1 --" });
    expect(found.total).toBe(1);
    expect(found.items[0]?.description).toBe(evil);
    expect((await clerk.ok('orders.list', { payerId: "x' OR '1'='1" })).total).toBe(0);
  });

  it('malformed and unknown order numbers get clear answers', async () => {
    const bad = await clerk.raw('orders.get', { orderNo: "P1' OR '1'='1" });
    expect(bad).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: '订单号格式不正确（应为 P 加 20 位数字）' } });
    const unknown = await clerk.raw('orders.get', { orderNo: 'P20240101000000123456' });
    expect(unknown).toEqual({ ok: false, error: { code: 'ORDER_NOT_FOUND', message: '订单 P20240101000000123456 不存在' } });
    const cancel = await clerk.raw('orders.cancel', { orderNo: 'P20240101000000123456', reason: 'admin' });
    expect(cancel.ok ? '' : cancel.error.code).toBe('ORDER_NOT_FOUND');
    const reason = await clerk.raw('orders.cancel', { orderNo: 'P20240101000000123456', reason: 'expired' });
    expect(reason.ok ? '' : reason.error.message).toBe('取消原因必须是 用户取消 或 管理员取消');
  });

  it('paging and sorting parameters are bounded', async () => {
    for (const input of [{ pageSize: 10_000 }, { page: 0 }, { sortBy: 'password' }, { sortOrder: 'sideways' }, { statuses: ['lost'] }]) {
      const r = await clerk.raw('orders.list', input);
      expect(r.ok ? 'ok' : r.error.code, JSON.stringify(input)).toBe('INVALID_INPUT');
    }
  });
});
