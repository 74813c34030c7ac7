import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../src-main/core/time';
import type { Actor } from '../../../src-main/services/actor';
import type { ScriptedRefundGateway } from '../../support/scripted-refund-gateway';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { decide, paidOrder, scriptedRegistry, staff } from './refund-rig';

describe.each(STORE_KINDS)('refunds on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let clock: TestClock;
  let fake: ScriptedRefundGateway;
  let cashier: Awaited<ReturnType<typeof staff>>;
  let accountant: Awaited<ReturnType<typeof staff>>;

  beforeEach(async () => {
    clock = new TestClock();
    const rig = scriptedRegistry(clock);
    fake = rig.fake;
    ({ app, close } = await testApp(kind, { clock, gateways: rig.registry }));
    cashier = await staff(app, 'cashier', 'cashier1', '李出纳');
    accountant = await staff(app, 'accountant', 'acc1', '张会计');
  });
  afterEach(() => close());

  const refund = (no: string) => app.refunds.get(no).then((d) => d.refund);
  const order = (no: string) => app.orders.get(no);

  it('two partial refunds: approved, sent, confirmed by notification or answer; the order ends 已退款 with its transactions', async () => {
    const orderNo = await paidOrder(app, fake, 100_00);
    const first = await app.refunds.request(cashier, { orderNo, amountFen: 30_00, reason: '菜品缺货退部分款' });
    expect(first).toMatchObject({ state: 'pending_approval', amountFen: 30_00, source: 'staff', requestedByName: '李出纳', attempts: 0 });
    expect(first.refundNo).toMatch(/^R\d{20}$/);
    // Nothing is sent before approval.
    expect((await app.refunds.sendApproved()).claimed).toEqual([]);
    expect(fake.sends.size).toBe(0);

    await decide(app, first.refundNo, accountant);
    expect(await refund(first.refundNo)).toMatchObject({ state: 'processing', approvedAt: clock.t });
    expect((await order(orderNo)).transactions.find((t) => t.type === 'payment')?.status).toBe('refunding');

    const report = await app.refunds.sendApproved();
    expect(report.sent).toEqual([first.refundNo]);
    expect(fake.sends.get(first.refundNo)).toBe(1);
    expect(await refund(first.refundNo)).toMatchObject({ state: 'processing', attempts: 1 });

    clock.advance(5_000);
    expect(await app.payments.apply(fake.settle(first.refundNo)!)).toBe('applied');
    const done = await app.refunds.get(first.refundNo);
    expect(done.refund).toMatchObject({ state: 'success', succeededAt: clock.t, feeFen: null, arrivalChannel: 'wechat_bank_card' });
    expect(done.refund.platformRefundNo).toMatch(/^5030/);
    expect(done.arrivalText).toMatch(/^预计 2026-11-27 至 2026-12-01 到账（T\+1～T\+3）$/);
    expect(done.approval).toMatchObject({ status: 'approved', decisions: [{ approverName: '张会计', decision: 'approve' }] });
    expect(done.history.map((h) => h.action)).toEqual(['refund.request', 'refund.approve', 'refund.succeed']);
    let o = await order(orderNo);
    expect(o.order).toMatchObject({ status: 'paid', paidFen: 100_00, refundedFen: 30_00 });
    expect(o.transactions.map((t) => [t.type, t.status, t.amountFen])).toEqual([['payment', 'success', 100_00], ['refund', 'success', 30_00]]);

    const summary = await app.refunds.forOrder(orderNo);
    expect(summary).toMatchObject({ paidFen: 100_00, refundedFen: 30_00, inProgressFen: 0, refundableFen: 70_00 });

    const second = await app.refunds.request(cashier, { orderNo, amountFen: 70_00, reason: '客人取消' });
    await decide(app, second.refundNo, accountant);
    fake.next('success');
    expect((await app.refunds.sendApproved()).succeeded).toEqual([second.refundNo]);
    o = await order(orderNo);
    expect(o.order).toMatchObject({ status: 'refunded', refundedFen: 100_00 });
    expect(o.transactions.map((t) => [t.type, t.status, t.amountFen])).toEqual([['payment', 'refunded', 100_00], ['refund', 'success', 30_00], ['refund', 'success', 70_00]]);
    // The late notification of the second refund changes nothing.
    expect(await app.payments.apply(fake.notification(second.refundNo)!)).toBe('ignored');
    await expect(app.refunds.request(cashier, { orderNo, amountFen: 1, reason: '再退' })).rejects.toThrow('订单已全额退款');

    const messages = await app.notifications.list({}, 1, 20);
    expect(messages.items.filter((m) => m.templateCode === 'refund_success').map((m) => m.content)).toEqual(
      expect.arrayContaining([expect.stringContaining('退款 70.00 元已成功'), expect.stringContaining('退款 30.00 元已成功')]),
    );
    expect(fake.violations).toEqual([]);
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('refuses more than what is left; a rejected request gives its amount back', async () => {
    const orderNo = await paidOrder(app, fake, 100_00);
    const held = await app.refunds.request(cashier, { orderNo, amountFen: 60_00, reason: '部分退款' });
    await expect(app.refunds.request(cashier, { orderNo, amountFen: 40_01, reason: '超额' })).rejects.toThrow('退款总额不能超过已支付金额，剩余可退 ¥40.00');
    await expect(app.refunds.request(cashier, { orderNo, amountFen: 0, reason: '零' })).rejects.toThrow();
    await expect(app.refunds.request(cashier, { orderNo, amountFen: 10_00, reason: '   ' })).rejects.toThrow('请填写退款原因');

    const pending = await app.orders.create(cashier, { amountFen: 5_00, method: 'wechat', type: 'customer_order', relatedId: '', description: '', payerId: '' });
    await expect(app.refunds.request(cashier, { orderNo: pending.orderNo, amountFen: 1_00, reason: '未付' })).rejects.toThrow('只有已支付订单可以退款');

    await decide(app, held.refundNo, accountant, 'reject', '金额不对，请重新申请');
    expect(await refund(held.refundNo)).toMatchObject({ state: 'rejected', failReason: '金额不对，请重新申请' });
    expect((await app.refunds.forOrder(orderNo)).refundableFen).toBe(100_00);
    await app.refunds.request(cashier, { orderNo, amountFen: 100_00, reason: '全额退款' });
    expect(fake.sends.size).toBe(0);
  });

  it('the requester cannot approve their own refund', async () => {
    const orderNo = await paidOrder(app, fake, 10_00);
    const r = await app.refunds.request(accountant, { orderNo, amountFen: 10_00, reason: '退款' });
    await expect(decide(app, r.refundNo, accountant)).rejects.toThrow();
    expect(await refund(r.refundNo)).toMatchObject({ state: 'pending_approval' });
  });

  it('two concurrent requests that together pass the paid amount: exactly one is accepted', async () => {
    for (let round = 0; round < 5; round++) {
      const orderNo = await paidOrder(app, fake, 100_00);
      const results = await Promise.allSettled([
        app.refunds.request(cashier, { orderNo, amountFen: 60_00, reason: '甲' }),
        app.refunds.request({ id: null, name: '接口客户端 mini' }, { orderNo, amountFen: 60_00, reason: '乙' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as Error).message).toContain('剩余可退 ¥40.00');
      expect((await app.refunds.forOrder(orderNo)).refunds).toHaveLength(1);
    }
  });

  it('a timeout is queried before anything is sent again, never sent twice; a lost request is resent under the same number', async () => {
    const orderNo = await paidOrder(app, fake, 50_00);
    const a = await app.refunds.request(cashier, { orderNo, amountFen: 20_00, reason: '超时后查询' });
    const b = await app.refunds.request(cashier, { orderNo, amountFen: 30_00, reason: '请求丢失' });
    await decide(app, a.refundNo, accountant);
    await decide(app, b.refundNo, accountant);

    fake.next('timeout_after', 'timeout_before');
    const first = await app.refunds.sendApproved();
    expect(first.unknown.sort()).toEqual([a.refundNo, b.refundNo].sort());
    expect(await refund(a.refundNo)).toMatchObject({ state: 'processing', attempts: 1 });
    // Not due yet: the backoff keeps the next run away.
    expect((await app.refunds.sendApproved()).claimed).toEqual([]);

    clock.advance(MINUTE_MS);
    fake.nextQuery('timeout');
    const second = await app.refunds.sendApproved();
    expect(second.sent).toEqual([b.refundNo]); // b: the platform never had it, so it was sent again (same number)
    expect(fake.sends.get(a.refundNo)).toBe(1); // a: the query timed out, so nothing was sent
    expect(fake.sends.get(b.refundNo)).toBe(2);

    clock.advance(5 * MINUTE_MS);
    await app.refunds.sendApproved(); // a: the query answers "processing" → wait, no resend
    expect(fake.sends.get(a.refundNo)).toBe(1);
    fake.settle(a.refundNo);
    const synced = await app.refunds.sync(a.refundNo); // 查询平台结果 by hand
    expect(synced).toMatchObject({ state: 'success' });
    await app.payments.apply(fake.settle(b.refundNo)!);
    expect((await order(orderNo)).order).toMatchObject({ status: 'refunded', refundedFen: 50_00 });
    expect([...fake.executions.values()]).toEqual([1, 1]);
    expect(fake.violations).toEqual([]);
    const history = (await app.refunds.get(a.refundNo)).history.map((h) => h.action);
    expect(history).toEqual(['refund.request', 'refund.approve', 'refund.send_unknown', 'refund.succeed']);
  });

  it('a refusal fails the refund: a retryable one is sent again after a check, a final one can only be closed', async () => {
    const orderNo = await paidOrder(app, fake, 80_00);
    const busy = await app.refunds.request(cashier, { orderNo, amountFen: 30_00, reason: '平台繁忙' });
    const broke = await app.refunds.request(cashier, { orderNo, amountFen: 50_00, reason: '余额不足' });
    await decide(app, busy.refundNo, accountant);
    await decide(app, broke.refundNo, accountant);
    fake.next('reject_retryable', 'reject_final');
    const r = await app.refunds.sendApproved();
    expect(r.failed.sort()).toEqual([busy.refundNo, broke.refundNo].sort());
    expect(await refund(busy.refundNo)).toMatchObject({ state: 'failed', retryable: true, failReason: '系统繁忙，请稍后重试（SYSTEM_ERROR）' });
    expect(await refund(broke.refundNo)).toMatchObject({ state: 'failed', retryable: false, failReason: '商户账户余额不足，不能退款（NOT_ENOUGH）' });
    // A failed refund holds nothing: the amount may be requested again meanwhile.
    expect((await app.refunds.forOrder(orderNo)).refundableFen).toBe(80_00);
    expect((await order(orderNo)).transactions.find((t) => t.type === 'payment')?.status).toBe('success');

    await expect(app.refunds.retry(accountant, broke.refundNo)).rejects.toThrow('该退款失败不可重试');
    const other = await app.refunds.request(cashier, { orderNo, amountFen: 60_00, reason: '另一笔' });
    // 30 + 60 > 80: the retry is checked against what is held now.
    await expect(app.refunds.retry(accountant, busy.refundNo)).rejects.toThrow('剩余可退 ¥20.00');
    await decide(app, other.refundNo, accountant, 'reject', '不退');
    const retried = await app.refunds.retry(accountant, busy.refundNo);
    expect(retried).toMatchObject({ state: 'processing', refundNo: busy.refundNo });
    fake.next('success');
    await app.refunds.sendApproved();
    expect(await refund(busy.refundNo)).toMatchObject({ state: 'success' });
    expect(fake.sends.get(busy.refundNo)).toBe(2);

    const closed = await app.refunds.close(accountant, broke.refundNo, '改为线下退款');
    expect(closed).toMatchObject({ state: 'closed', failReason: '改为线下退款' });
    await expect(app.refunds.close(accountant, busy.refundNo, '关')).rejects.toThrow('退款状态不能从「退款成功」变为「已关闭」');
    expect(fake.violations).toEqual([]);
  });

  it('notifications are harmless when repeated, late, for unknown refunds or with a wrong amount', async () => {
    const orderNo = await paidOrder(app, fake, 40_00);
    const r = await app.refunds.request(cashier, { orderNo, amountFen: 40_00, reason: '全额' });
    await decide(app, r.refundNo, accountant);
    await app.refunds.sendApproved();
    const good = fake.settle(r.refundNo)!;
    if (good.event.kind !== 'refund') throw new Error('refund notification expected');
    const event = good.event;
    const forged = { ...good, notificationId: 'X1', event: { ...event, amountFen: 41_00 } };
    expect(await app.payments.apply(forged)).toBe('exception');
    expect(await refund(r.refundNo)).toMatchObject({ state: 'processing' });
    expect(await app.payments.apply(good)).toBe('applied');
    expect(await app.payments.apply(good)).toBe('duplicate');
    expect(await app.payments.apply({ ...good, notificationId: 'X2' })).toBe('ignored');
    expect(await app.payments.apply({ ...good, notificationId: 'X3', event: { ...event, state: 'closed' as const } })).toBe('ignored');
    expect(await app.payments.apply({ ...good, notificationId: 'X4', event: { ...event, refundNo: 'R20261126100000999999' } })).toBe('exception');
    expect((await order(orderNo)).order).toMatchObject({ status: 'refunded', refundedFen: 40_00 });
    expect((await order(orderNo)).transactions.filter((t) => t.type === 'refund')).toHaveLength(1);
  });

  it('a platform ABNORMAL notification fails a refund under way; closing is refused while it may still be at the platform', async () => {
    const orderNo = await paidOrder(app, fake, 40_00);
    const r = await app.refunds.request(cashier, { orderNo, amountFen: 10_00, reason: '退' });
    await decide(app, r.refundNo, accountant);
    await expect(app.refunds.close(accountant, r.refundNo, '不退了')).resolves.toMatchObject({ state: 'closed' });

    const s = await app.refunds.request(cashier, { orderNo, amountFen: 10_00, reason: '退' });
    await decide(app, s.refundNo, accountant);
    await app.refunds.sendApproved();
    await expect(app.refunds.close(accountant, s.refundNo, '不退了')).rejects.toThrow('结果未知前不能关闭');
    expect(await app.payments.apply(fake.settle(s.refundNo, 'failed')!)).toBe('applied');
    expect(await refund(s.refundNo)).toMatchObject({ state: 'failed', retryable: false });
  });

  it('money recorded as a 支付异常 goes back through a refund of its own; the exception is resolved when all of it went back', async () => {
    const o = await app.orders.create(cashier, { amountFen: 25_00, method: 'wechat', type: 'customer_order', relatedId: '', description: '', payerId: '' });
    await app.orders.cancel(cashier, o.orderNo, 'admin');
    const late = { platform: 'wechat' as const, notificationId: 'PAY-LATE-1', payload: {}, event: { kind: 'payment' as const, orderNo: o.orderNo, state: 'paid' as const, amountFen: 25_00, platformTradeNo: '4200000099', paidAt: clock.t } };
    expect(await app.payments.apply(late)).toBe('exception');
    const [ex] = (await app.payments.exceptions('open', 1, 10)).items;
    expect(ex).toMatchObject({ orderNo: o.orderNo, kind: 'paid_after_close', amountFen: 25_00 });

    await expect(app.refunds.requestForException(cashier, { exceptionId: ex!.id, amountFen: 25_01, reason: '退回' })).rejects.toThrow('剩余可退 ¥25.00');
    const r = await app.refunds.requestForException(cashier, { exceptionId: ex!.id, amountFen: 25_00, reason: '订单已取消后到账，原路退回' });
    expect(r).toMatchObject({ state: 'pending_approval', source: 'exception', exceptionId: ex!.id, orderNo: o.orderNo });
    // An order refund of a cancelled order is still refused: the exception's money is not the order's.
    await expect(app.refunds.request(cashier, { orderNo: o.orderNo, amountFen: 1_00, reason: '退' })).rejects.toThrow('只有已支付订单可以退款');
    await decide(app, r.refundNo, accountant);
    fake.next('success');
    expect((await app.refunds.sendApproved()).succeeded).toEqual([r.refundNo]);
    expect(fake.books.get(r.refundNo)).toMatchObject({ orderNo: o.orderNo, amountFen: 25_00 });
    expect((await app.payments.exceptions('resolved', 1, 10)).items.map((e) => e.id)).toEqual([ex!.id]);
    expect((await order(o.orderNo)).order).toMatchObject({ status: 'cancelled', refundedFen: 0 });
    await expect(app.refunds.requestForException(cashier, { exceptionId: ex!.id, amountFen: 1, reason: '再退' })).rejects.toThrow('该支付异常已处理完毕');
  });

  it('a booking cancelled after its deposit was paid asks for the refund its tier grants', async () => {
    const clerk: Actor = { id: cashier.id, name: cashier.name };
    const book = async (hoursAhead: number) => {
      const { booking, depositOrder } = await app.bookings.create(clerk, { payerId: 'WX_1', guestName: '陈女士', serviceType: 'room', appointmentAt: clock.t + hoursAhead * HOUR_MS, totalFen: 1000_01, method: 'wechat', note: '' });
      await app.orders.confirmPayment(clerk, { orderNo: depositOrder.orderNo, amountFen: depositOrder.amountFen, gatewayTradeNo: `wx-${booking.bookingNo}`, paidAt: clock.t });
      return { booking, depositOrder };
    };
    const early = await book(72);
    const middle = await book(30);
    const late = await book(10);
    expect(early.depositOrder.amountFen).toBe(300_00);

    await app.bookings.cancel(clerk, early.booking.bookingNo);
    await app.bookings.cancel(clerk, middle.booking.bookingNo);
    await app.bookings.cancel(clerk, late.booking.bookingNo);
    const refundsOf = async (orderNo: string) => (await app.refunds.forOrder(orderNo)).refunds;
    expect(await refundsOf(early.depositOrder.orderNo)).toMatchObject([{ amountFen: 300_00, state: 'pending_approval', source: 'booking_cancel', relatedRef: early.booking.bookingNo }]);
    expect((await refundsOf(early.depositOrder.orderNo))[0]!.reason).toContain('提前 48 小时及以上取消，退还定金 100%');
    expect(await refundsOf(middle.depositOrder.orderNo)).toMatchObject([{ amountFen: 150_00 }]);
    expect(await refundsOf(late.depositOrder.orderNo)).toEqual([]);
    expect((await app.bookings.get(late.booking.bookingNo)).booking.status).toBe('cancelled');
    expect((await app.bookings.get(middle.booking.bookingNo)).history.at(-1)?.after).toContain('提前 24–48 小时取消，退还定金 50%');

    // The tiers are a setting; a bad table is refused with its problem.
    const { tiers, version } = await app.refunds.cancellationTiers();
    expect(tiers).toEqual([{ minHoursBefore: 48, percent: 100 }, { minHoursBefore: 24, percent: 50 }, { minHoursBefore: 0, percent: 0 }]);
    await expect(app.refunds.updateCancellationTiers(clerk, [{ minHoursBefore: 24, percent: 50 }, { minHoursBefore: 0, percent: 80 }], version)).rejects.toThrow('越晚取消退款比例不能越高');
    await app.refunds.updateCancellationTiers(clerk, [{ minHoursBefore: 12, percent: 100 }, { minHoursBefore: 0, percent: 20 }], version);
    const again = await book(10);
    await app.bookings.cancel(clerk, again.booking.bookingNo);
    expect(await refundsOf(again.depositOrder.orderNo)).toMatchObject([{ amountFen: 60_00 }]);
    clock.advance(DAY_MS);
  });
});
