import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src-main/core/time';
import type { Actor } from '../../src-main/services/actor';
import { callers } from '../support/callers';
import { STORE_KINDS, testApp } from '../support/stores';
import { TestClock } from '../support/test-clock';

const clerk: Actor = { id: 1, name: '王前台' };
const page = { page: 1, pageSize: 50, sortBy: 'createdAt' as const, sortOrder: 'desc' as const };
const item = (unitPriceFen: number, quantity = 1) => ({ serviceDate: '2026-11-26', meal: 'dinner' as const, description: '中式晚餐', quantity, unitPriceFen });

describe.each(STORE_KINDS)('booking deposits and meal bills on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let clock: TestClock;
  const booking = () => ({ payerId: 'WX_o7k2a9', guestName: '陈女士', serviceType: 'room' as const, appointmentAt: clock.t + 3 * DAY_MS, totalFen: 100_05, method: 'wechat' as const, note: '' });

  beforeEach(async () => {
    clock = new TestClock();
    ({ app, close } = await testApp(kind, { clock }));
  });
  afterEach(() => close());

  it('a booking creates its deposit order (30%, half up, 30 minutes) in the same transaction, and the paid deposit confirms it', async () => {
    const { booking: b, depositOrder } = await app.bookings.create(clerk, booking());
    expect(b).toMatchObject({ status: 'awaiting_deposit', depositFen: 30_02, depositRatioBp: 3000, depositOrderNo: depositOrder.orderNo });
    expect(b.bookingNo).toMatch(/^K\d{20}$/);
    expect(depositOrder).toMatchObject({ type: 'customer_order', amountFen: 30_02, relatedId: b.bookingNo, status: 'pending', expireAt: clock.t + 30 * MINUTE_MS });
    await app.orders.confirmPayment(clerk, { orderNo: depositOrder.orderNo, amountFen: 30_02, gatewayTradeNo: 'wx-420001', paidAt: clock.t });
    const detail = await app.bookings.get(b.bookingNo);
    expect(detail.booking).toMatchObject({ status: 'confirmed', confirmedAt: clock.t, version: 2 });
    expect(detail.history.map((h) => h.action)).toEqual(['booking.create', 'booking.confirm']);
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('uses the configured ratio per service type', async () => {
    const rules = await app.bookings.depositRules();
    expect(rules.ratios).toEqual({ room: 3000, private_dining: 5000, meeting_room: 2000 });
    await app.bookings.updateDepositRules(clerk, { ...rules.ratios, meeting_room: 2500 }, rules.version);
    const { booking: b } = await app.bookings.create(clerk, { ...booking(), serviceType: 'meeting_room', totalFen: 80_000 });
    expect(b).toMatchObject({ depositFen: 20_000, depositRatioBp: 2500 });
  });

  it('an expired deposit cancels the booking; a guest cancellation cancels the deposit order', async () => {
    const first = await app.bookings.create(clerk, booking());
    clock.advance(31 * MINUTE_MS);
    expect(await app.orders.expireOverdue()).toEqual([first.depositOrder.orderNo]);
    expect((await app.bookings.get(first.booking.bookingNo)).booking).toMatchObject({ status: 'cancelled', cancelledAt: clock.t });
    await expect(app.orders.confirmPayment(clerk, { orderNo: first.depositOrder.orderNo, amountFen: 30_02, gatewayTradeNo: 'wx-late', paidAt: clock.t })).rejects.toThrow('订单已取消，不能再支付');

    const second = await app.bookings.create(clerk, booking());
    const cancelled = await app.bookings.cancel(clerk, second.booking.bookingNo, 1);
    expect(cancelled.status).toBe('cancelled');
    expect((await app.orders.get(second.depositOrder.orderNo)).order).toMatchObject({ status: 'cancelled', cancelReason: 'user' });
    await expect(app.bookings.cancel(clerk, second.booking.bookingNo)).rejects.toThrow('预定已取消');
  });

  it('refuses bad bookings with Chinese messages and writes nothing, not even the deposit order', async () => {
    const c = await callers(app);
    const bad = await c.admin.call('bookings.create', { payerId: 'WX_1', guestName: '陈女士', serviceType: 'spa' as 'room', appointmentAt: clock.t + DAY_MS, total: '100', method: 'wechat' });
    expect(bad.ok ? '' : bad.error.message).toBe('服务类型必须是 客房/包间餐饮/会议室 之一');
    const past = await c.admin.call('bookings.create', { payerId: 'WX_1', guestName: '陈女士', serviceType: 'room', appointmentAt: clock.t - 1, total: '100', method: 'wechat' });
    expect(past.ok ? '' : past.error.message).toBe('预约时间必须晚于当前时间');
    const rules = await app.settings.orderSettings();
    await app.settings.updateOrderSettings(clerk, { ...rules, maxOrderAmountFen: 1000 }, rules.version);
    await expect(app.bookings.create(clerk, booking())).rejects.toThrow('金额超过单笔上限 ¥10.00');
    expect((await app.bookings.list({}, 1, 10)).total).toBe(0);
    expect((await app.orders.list({}, page)).total).toBe(0);
  });

  it('checkout pays every open bill of the stay once, through one order', async () => {
    const a = await app.mealBills.create(clerk, { stayNo: 'S1203', roomNo: '1203', payerId: 'G1', guestName: '陈女士', items: [item(68_00, 2), item(12_50)] });
    const b = await app.mealBills.create(clerk, { stayNo: 'S1203', roomNo: '1203', payerId: 'G1', guestName: '陈女士', items: [item(35_00)] });
    const other = await app.mealBills.create(clerk, { stayNo: 'S0808', roomNo: '808', payerId: 'G2', guestName: '', items: [item(10_00)] });
    expect(a.totalFen).toBe(148_50);
    await app.mealBills.addItems(clerk, b.billNo, [item(5_00, 3)], 1);
    const order = await app.mealBillPayments.checkout(clerk, 'S1203', 'alipay');
    expect(order).toMatchObject({ type: 'meal_bill', amountFen: 148_50 + 50_00, relatedId: 'S1203', expireAt: clock.t + 24 * HOUR_MS });
    expect((await app.mealBillPayments.checkout(clerk, 'S1203', 'alipay')).orderNo).toBe(order.orderNo);
    await expect(app.mealBills.addItems(clerk, a.billNo, [item(1_00)])).rejects.toThrow(/不能再添加明细/);
    await app.orders.confirmPayment(clerk, { orderNo: order.orderNo, amountFen: 198_50, gatewayTradeNo: 'ali-1', paidAt: clock.t });
    await app.orders.confirmPayment(clerk, { orderNo: order.orderNo, amountFen: 198_50, gatewayTradeNo: 'ali-1', paidAt: clock.t });
    for (const no of [a.billNo, b.billNo]) {
      const d = await app.mealBills.get(no);
      expect(d.bill).toMatchObject({ status: 'paid', orderNo: order.orderNo, paidAt: clock.t });
      expect(d.history.filter((h) => h.action === 'mealbill.paid')).toHaveLength(1);
    }
    expect((await app.mealBills.get(other.billNo)).bill.status).toBe('open');
    await expect(app.mealBillPayments.checkout(clerk, 'S1203', 'alipay')).rejects.toThrow('住宿 S1203 没有待结算的餐费账单');
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('an unpaid bill order expires after 24 hours: the bill stays open, is overdue, and can be paid again', async () => {
    const bill = await app.mealBills.create(clerk, { stayNo: 'S1203', roomNo: '1203', payerId: 'G1', guestName: '', items: [item(88_00)] });
    const first = await app.mealBillPayments.payOne(clerk, bill.billNo, 'wechat');
    expect(await app.mealBills.overdueMealBills(clock.t)).toEqual([]);
    clock.advance(24 * HOUR_MS);
    await app.orders.expireOverdue();
    const overdue = await app.mealBills.overdueMealBills(clock.t);
    expect(overdue.map((b) => [b.billNo, b.overdue, b.orderNo])).toEqual([[bill.billNo, true, null]]);
    // The guest is reminded once a day, however often the job runs.
    expect(await app.mealBillReminders.run()).toBe(1);
    expect(await app.mealBillReminders.run()).toBe(0);
    const reminders = (await app.notifications.list({}, 1, 50)).items.filter((m) => m.templateCode === 'meal_bill_reminder');
    expect(reminders.map((m) => [m.recipient, m.content.includes(bill.billNo), m.content.includes('88.00')])).toEqual([['G***', true, true]]);
    clock.advance(24 * HOUR_MS);
    expect(await app.mealBillReminders.run()).toBe(1);
    const again = await app.mealBillPayments.payOne(clerk, bill.billNo, 'bank');
    expect(again.orderNo).not.toBe(first.orderNo);
    await app.orders.confirmPayment(clerk, { orderNo: again.orderNo, amountFen: 88_00, gatewayTradeNo: 'bank-1', paidAt: clock.t });
    expect(await app.mealBills.overdueMealBills(clock.t)).toEqual([]);
  });

  it('records one invoice request per bill and refuses bad bills and requests in Chinese, writing nothing', async () => {
    const c = await callers(app);
    const empty = await c.admin.call('mealbills.create', { stayNo: 'S1', roomNo: '101', items: [] });
    expect(empty.ok ? '' : empty.error.message).toBe('消费明细：请至少添加一条消费明细');
    const badDate = await c.admin.call('mealbills.create', { stayNo: 'S1', roomNo: '101', items: [{ serviceDate: '2026-02-30', meal: 'lunch', description: '套餐', quantity: 1, unitPrice: '10' }] });
    expect(badDate.ok ? '' : badDate.error.message).toBe('消费日期：日期不存在');
    const badQty = await c.admin.call('mealbills.create', { stayNo: 'S1', roomNo: '101', items: [{ serviceDate: '2026-11-26', meal: 'lunch', description: '套餐', quantity: 0, unitPrice: '10' }] });
    expect(badQty.ok ? '' : badQty.error.message).toBe('数量至少为 1');
    expect((await app.mealBills.list({}, 1, 10)).total).toBe(0);

    const bill = await c.admin.ok('mealbills.create', { stayNo: 'S1', roomNo: '101', items: [{ serviceDate: '2026-11-26', meal: 'lunch', description: '套餐', quantity: 2, unitPrice: '38.5' }] });
    expect(bill.totalFen).toBe(77_00);
    const badTax = await c.admin.call('mealbills.requestInvoice', { billNo: bill.billNo, kind: 'electronic', titleType: 'company', title: '某公司', taxId: '91350100M000100Y44', email: 'a@b.cn' });
    expect(badTax.ok ? '' : badTax.error.message).toMatch(/^纳税人识别号不正确/);
    const ok = await c.admin.ok('mealbills.requestInvoice', { billNo: bill.billNo, kind: 'paper', titleType: 'personal', title: '陈女士', postalAddress: '上海市浦东新区世纪大道 100 号', recipient: '陈女士', phone: '13800138000' });
    expect(ok).toMatchObject({ status: 'requested', kind: 'paper' });
    const twice = await c.admin.call('mealbills.requestInvoice', { billNo: bill.billNo, kind: 'electronic', titleType: 'personal', title: '陈女士', email: 'a@b.cn' });
    expect(twice.ok ? '' : twice.error.message).toBe('该账单已申请过发票');
    const detail = await c.admin.ok('mealbills.get', { billNo: bill.billNo });
    expect(detail.invoice).toMatchObject({ title: '陈女士', recipient: '陈女士' });
    expect(detail.history.map((h) => h.action)).toEqual(['mealbill.create', 'mealbill.invoice']);
  });
});
