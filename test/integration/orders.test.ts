import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import type { OrderSortField, PageRequest } from '../../src-main/core/orders/order';
import { MINUTE_MS, HOUR_MS } from '../../src-main/core/time';
import type { Actor } from '../../src-main/services/actor';
import { STORE_KINDS, testApp } from '../support/stores';
import { TestClock } from '../support/test-clock';

const clerk: Actor = { id: 1, name: '张会计' };
const deposit = { amountFen: 50000, method: 'wechat' as const, type: 'customer_order' as const, relatedId: 'BK-1001', description: '豪华大床房 定金', payerId: 'WX_o7k2a9' };
const page: PageRequest<OrderSortField> = { page: 1, pageSize: 50, sortBy: 'createdAt', sortOrder: 'desc' };
const txPage = { ...page, sortBy: 'createdAt' as const };

describe.each(STORE_KINDS)('payment orders on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let clock: TestClock;

  beforeEach(async () => {
    clock = new TestClock();
    ({ app, close } = await testApp(kind, { clock }));
  });
  afterEach(() => close());

  it('creates a pending order with its expiry, a pending payment transaction and an audit entry', async () => {
    const order = await app.orders.create(clerk, deposit);
    expect(order.orderNo).toMatch(/^P20261126100000\d{6}$/);
    expect(order).toMatchObject({ status: 'pending', amountFen: 50000, paidFen: 0, expireAt: clock.t + 30 * MINUTE_MS });
    const detail = await app.orders.get(order.orderNo);
    expect(detail.order).toMatchObject({ ...deposit, status: 'pending', createdBy: 1 });
    expect(detail.transactions).toEqual([expect.objectContaining({ type: 'payment', status: 'pending', amountFen: 50000, method: 'wechat' })]);
    expect(detail.history.map((h) => [h.action, h.actorName])).toEqual([['order.create', '张会计']]);
    const meal = await app.orders.create(clerk, { ...deposit, type: 'meal_bill' });
    expect(meal.expireAt).toBe(clock.t + 24 * HOUR_MS);
  });

  it('uses the configured time limit and refuses amounts above the configured limit, writing nothing', async () => {
    const rules = await app.settings.orderSettings();
    await app.settings.updateOrderSettings(clerk, { expiryMinutes: { ...rules.expiryMinutes, customer_order: 15 }, maxOrderAmountFen: 100000 }, rules.version);
    expect((await app.orders.create(clerk, deposit)).expireAt).toBe(clock.t + 15 * MINUTE_MS);
    await expect(app.orders.create(clerk, { ...deposit, amountFen: 100001 })).rejects.toThrow('金额超过单笔上限 ¥1,000.00');
    expect((await app.orders.list({}, page)).total).toBe(1);
  });

  it('retries the order number on a collision, and a failure halfway leaves nothing behind', async () => {
    // Scripted digits: order 1 gets P…111111 and T…222222; order 2 draws P…222222 (free) then T…222222
    // five times (taken): the order row was already inserted when the transaction insert fails.
    const script = [...'111111222222', ...'222222'.repeat(6)].map(Number);
    let i = 0;
    const t = await testApp(kind, { clock, random: () => script[i++ % script.length]! });
    try {
      const first = await t.app.orders.create(clerk, deposit);
      expect(first.orderNo.endsWith('111111')).toBe(true);
      await expect(t.app.orders.create(clerk, deposit)).rejects.toThrow();
      const all = await t.app.orders.list({}, page);
      expect(all.items.map((o) => o.orderNo)).toEqual([first.orderNo]);
      expect((await t.app.transactions.list({}, txPage)).total).toBe(1);
      expect(await t.app.audit.verify()).toMatchObject({ ok: true, checked: 1 });
      // With fresh digits the next order goes through.
      i = 0;
      script.splice(0, script.length, ...'333333444444'.split('').map(Number));
      expect((await t.app.orders.create(clerk, deposit)).orderNo.endsWith('333333')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('cancels a pending order, fails its pending transaction, and refuses paid or cancelled ones', async () => {
    const order = await app.orders.create(clerk, deposit);
    const cancelled = await app.orders.cancel(clerk, order.orderNo, 'user', order.version);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'user', cancelledAt: clock.t });
    const detail = await app.orders.get(order.orderNo);
    expect(detail.transactions[0]?.status).toBe('failed');
    await expect(app.orders.cancel(clerk, order.orderNo, 'admin')).rejects.toThrow('订单已取消');

    const paid = await app.orders.create(clerk, deposit);
    await app.orders.confirmPayment(clerk, { orderNo: paid.orderNo, amountFen: 50000, gatewayTradeNo: 'wx-4200001', paidAt: clock.t });
    await expect(app.orders.cancel(clerk, paid.orderNo, 'admin')).rejects.toThrow('已支付订单不能取消，请走退款流程');
    expect((await app.orders.get(paid.orderNo)).order.status).toBe('paid');
  });

  it('refuses to cancel from a stale screen (optimistic lock)', async () => {
    const order = await app.orders.create(clerk, deposit);
    await expect(app.orders.cancel(clerk, order.orderNo, 'admin', order.version + 1)).rejects.toThrow('数据已被他人修改，请刷新后重试');
    expect((await app.orders.get(order.orderNo)).order.status).toBe('pending');
  });

  it('the expiry run cancels only overdue pending orders, as the system, once', async () => {
    const overdue = await app.orders.create(clerk, deposit);
    const meal = await app.orders.create(clerk, { ...deposit, type: 'meal_bill' });
    const paid = await app.orders.create(clerk, deposit);
    await app.orders.confirmPayment(clerk, { orderNo: paid.orderNo, amountFen: 50000, gatewayTradeNo: 'wx-1', paidAt: clock.t });
    clock.advance(30 * MINUTE_MS - 1);
    expect(await app.scheduler.tick()).toEqual([]);
    clock.advance(1);
    expect(await app.scheduler.tick()).toEqual([overdue.orderNo]);
    expect(await app.scheduler.tick()).toEqual([]);
    const d = await app.orders.get(overdue.orderNo);
    expect(d.order).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
    expect(d.history.at(-1)).toMatchObject({ action: 'order.expire', actorName: '系统', actorId: null });
    expect((await app.orders.get(meal.orderNo)).order.status).toBe('pending');
    expect((await app.orders.get(paid.orderNo)).order.status).toBe('paid');
  });

  it('two expiry runs at once cancel each order exactly once', async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => app.orders.create(clerk, deposit)));
    clock.advance(31 * MINUTE_MS);
    const [a, b] = await Promise.all([app.orders.expireOverdue(), app.orders.expireOverdue()]);
    expect([...a, ...b].sort()).toEqual(orders.map((o) => o.orderNo).sort());
    for (const o of orders) expect((await app.orders.get(o.orderNo)).history.filter((h) => h.action === 'order.expire')).toHaveLength(1);
  });

  it('confirming a payment is idempotent; a wrong amount changes nothing', async () => {
    const order = await app.orders.create(clerk, deposit);
    await expect(app.orders.confirmPayment(clerk, { orderNo: order.orderNo, amountFen: 49999, gatewayTradeNo: 'wx-9', paidAt: clock.t })).rejects.toThrow('支付金额与订单金额不一致');
    expect((await app.orders.get(order.orderNo)).order.status).toBe('pending');
    const first = await app.orders.confirmPayment(clerk, { orderNo: order.orderNo, amountFen: 50000, gatewayTradeNo: 'wx-9', paidAt: clock.t });
    const again = await app.orders.confirmPayment(clerk, { orderNo: order.orderNo, amountFen: 50000, gatewayTradeNo: 'wx-9', paidAt: clock.t });
    expect(first.applied).toBe(true);
    expect(again.applied).toBe(false);
    await expect(app.orders.confirmPayment(clerk, { orderNo: order.orderNo, amountFen: 50000, gatewayTradeNo: 'wx-other', paidAt: clock.t })).rejects.toThrow('订单已支付，不能重复支付');
    const d = await app.orders.get(order.orderNo);
    expect(d.order).toMatchObject({ status: 'paid', paidFen: 50000, gatewayTradeNo: 'wx-9' });
    expect(d.transactions).toEqual([expect.objectContaining({ status: 'success', gatewayTradeNo: 'wx-9' })]);
    expect(d.history.map((h) => h.action)).toEqual(['order.create', 'order.pay']);
  });

  it('queries by number, payer, status, method, type and period, paged and sorted in SQL', async () => {
    const made = [];
    for (let i = 0; i < 12; i++) {
      clock.advance(MINUTE_MS);
      made.push(
        await app.orders.create(clerk, {
          ...deposit,
          amountFen: 1000 * (i + 1),
          method: (['wechat', 'alipay', 'bank'] as const)[i % 3]!,
          type: i % 2 ? 'meal_bill' : 'customer_order',
          payerId: i < 4 ? 'WX_a' : 'WX_b',
        }),
      );
    }
    const list = (f: Parameters<App['orders']['list']>[0], p: Partial<typeof page> = {}) => app.orders.list(f, { ...page, ...p });
    expect((await list({ orderNo: made[3]!.orderNo })).items.map((o) => o.orderNo)).toEqual([made[3]!.orderNo]);
    expect((await list({ payerId: 'WX_a' })).total).toBe(4);
    expect((await list({ methods: ['alipay'] })).total).toBe(4);
    expect((await list({ types: ['meal_bill'], methods: ['wechat', 'bank'] })).total).toBe(4);
    const window = await list({ createdFrom: made[2]!.createdAt, createdTo: made[6]!.createdAt });
    expect(window.items.map((o) => o.orderNo)).toEqual(made.slice(2, 6).reverse().map((o) => o.orderNo));
    await app.orders.cancel(clerk, made[0]!.orderNo, 'admin');
    expect((await list({ statuses: ['cancelled'] })).items.map((o) => o.orderNo)).toEqual([made[0]!.orderNo]);
    const byAmount = await list({}, { sortBy: 'amount', sortOrder: 'asc', pageSize: 5, page: 2 });
    expect(byAmount.total).toBe(12);
    expect(byAmount.items.map((o) => o.amountFen)).toEqual([6000, 7000, 8000, 9000, 10000]);
    expect((await list({ payerId: 'nobody' })).items).toEqual([]);
  });

  it('transaction statistics for a period: amount, count, success rate, share by method', async () => {
    const mk = (amountFen: number, method: 'wechat' | 'alipay' | 'bank') => app.orders.create(clerk, { ...deposit, amountFen, method });
    const a = await mk(30000, 'wechat');
    const b = await mk(10000, 'alipay');
    const c = await mk(5000, 'bank');
    await mk(7000, 'wechat');
    for (const o of [a, b]) await app.orders.confirmPayment(clerk, { orderNo: o.orderNo, amountFen: o.amountFen, gatewayTradeNo: `g-${o.orderNo}`, paidAt: clock.t });
    await app.orders.cancel(clerk, c.orderNo, 'user');
    const s = await app.transactions.stats(clock.t - 1, clock.t + 1);
    expect(s).toMatchObject({ totalAmountFen: 40000, successCount: 2, failedCount: 1, pendingCount: 1, totalCount: 4 });
    expect(s.successRate).toBeCloseTo(2 / 3);
    expect(s.byMethod).toEqual([
      { method: 'wechat', amountFen: 30000, count: 1, share: 0.75 },
      { method: 'alipay', amountFen: 10000, count: 1, share: 0.25 },
    ]);
    expect((await app.transactions.stats(clock.t + 1, clock.t + 2)).successRate).toBeNull();
    await expect(app.transactions.stats(5, 5)).rejects.toThrow('统计区间的结束时间必须晚于开始时间');
  });

  it('daily trend: successful payments per Shanghai day, empty days as zero', async () => {
    // 2026-11-26 10:00 Shanghai; a payment 15 h later falls on the 27th in Shanghai (still the 26th in UTC).
    const a = await app.orders.create(clerk, { ...deposit, amountFen: 1000 });
    await app.orders.confirmPayment(clerk, { orderNo: a.orderNo, amountFen: 1000, gatewayTradeNo: 'd1', paidAt: clock.t });
    clock.advance(15 * HOUR_MS);
    const b = await app.orders.create(clerk, { ...deposit, amountFen: 2500 });
    await app.orders.confirmPayment(clerk, { orderNo: b.orderNo, amountFen: 2500, gatewayTradeNo: 'd2', paidAt: clock.t });
    await app.orders.create(clerk, { ...deposit, amountFen: 9999 }); // pending: not in the trend
    const from = Date.UTC(2026, 10, 24, 16); // 2026-11-25 00:00 Shanghai
    const trend = await app.transactions.trend(from, from + 3 * 24 * HOUR_MS);
    expect(trend).toEqual([
      { date: '2026-11-25', amountFen: 0, count: 0 },
      { date: '2026-11-26', amountFen: 1000, count: 1 },
      { date: '2026-11-27', amountFen: 2500, count: 1 },
    ]);
    await expect(app.transactions.trend(0, 400 * 24 * HOUR_MS)).rejects.toThrow('趋势统计区间最长一年');
  });

  it('finds transactions by id, order, status and time', async () => {
    const o = await app.orders.create(clerk, deposit);
    const [t] = (await app.orders.get(o.orderNo)).transactions;
    expect(await app.transactions.get(t!.transactionNo)).toMatchObject({ orderNo: o.orderNo, status: 'pending' });
    expect((await app.transactions.list({ orderNo: o.orderNo }, txPage)).total).toBe(1);
    expect((await app.transactions.list({ statuses: ['success'] }, txPage)).total).toBe(0);
    expect((await app.transactions.list({ createdFrom: clock.t, createdTo: clock.t + 1 }, txPage)).total).toBe(1);
    await expect(app.transactions.get('T20260101000000000000')).rejects.toThrow('交易 T20260101000000000000 不存在');
  });
});
