import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { HOUR_MS, MINUTE_MS } from '../../../src-main/core/time';
import type { Actor } from '../../../src-main/services/actor';
import { DEFAULT_PAYER_NAME } from '../../../src-main/services/suppliers/supplier-payment-service';
import { ADMIN_PASSWORD, callers } from '../../support/callers';
import type { ScriptedRefundGateway } from '../../support/scripted-refund-gateway';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { decide, paidOrder, scriptedRegistry, staff } from './refund-rig';

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

/**
 * 退款凭证 (issue 5): every refund that succeeds — by the platform's answer to the send, by an active
 * query, or by its notification — gets one numbered voucher in the succeeding transaction, from our
 * company to the customer (account masked), with the refund's reason and order and its approvals.
 * And the 取消预定 preview: the server's quote of the tier is what the cancellation then requests.
 */
describe.each(STORE_KINDS)('refund vouchers and cancellation quotes on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let clock: TestClock;
  let fake: ScriptedRefundGateway;
  let cashier: Awaited<ReturnType<typeof staff>>;
  let accountant: Awaited<ReturnType<typeof staff>>;
  let approver: Awaited<ReturnType<typeof staff>>;
  let c: Awaited<ReturnType<typeof callers>>;

  beforeEach(async () => {
    clock = new TestClock();
    const rig = scriptedRegistry(clock);
    fake = rig.fake;
    ({ app, close } = await testApp(kind, { clock, gateways: rig.registry }));
    c = await callers(app);
    cashier = await staff(app, 'cashier', 'cashier1', '李出纳');
    accountant = await staff(app, 'accountant', 'acc1', '张会计');
    approver = await staff(app, 'approver', 'appr1', '陈经理');
  });
  afterEach(() => close());

  const voucherOf = async (refundNo: string) => (await app.refunds.get(refundNo)).voucherNo;
  const refundVouchers = async () => (await app.vouchers.list({ kind: 'refund' }, 1, 50)).items;

  it('a partial refund over ¥5,000 confirmed by notification: one 退款凭证 with payer, masked payee, 大写, order and both approvals', async () => {
    const orderNo = await paidOrder(app, fake, 8_000_00, OPENID);
    const r = await app.refunds.request(cashier, { orderNo, amountFen: 6_123_45, reason: '宴会取消部分桌数' });
    await decide(app, r.refundNo, accountant);
    await decide(app, r.refundNo, approver);
    expect((await app.refunds.sendApproved()).sent).toEqual([r.refundNo]);
    // Still at the platform: no voucher for money that has not gone back yet.
    expect(await voucherOf(r.refundNo)).toBeNull();
    expect(await refundVouchers()).toEqual([]);

    clock.advance(3 * MINUTE_MS);
    const notification = fake.settle(r.refundNo)!;
    expect(await app.payments.apply(notification)).toBe('applied');
    const voucherNo = await voucherOf(r.refundNo);
    expect(voucherNo).toMatch(/^FK\d{4}-\d{6}$/);

    const v = await app.vouchers.get(voucherNo!);
    const refund = (await app.refunds.get(r.refundNo)).refund;
    expect(v).toMatchObject({
      kind: 'refund',
      kindLabel: '退款',
      subjectId: r.refundNo,
      relatedOrderNo: orderNo,
      payerName: DEFAULT_PAYER_NAME,
      payeeName: '客户',
      payeeChannel: 'wechat',
      payeeChannelLabel: '原路退回（微信支付）',
      amountFen: 6_123_45,
      amountInCapitals: '陆仟壹佰贰拾叁元肆角伍分',
      purpose: `退款：宴会取消部分桌数（原订单 ${orderNo}）`,
      referenceNo: refund.platformRefundNo,
      issuedAt: refund.succeededAt,
      requesterName: '李出纳',
    });
    expect(v.payeeAccountMasked).toBe(`oUp${'*'.repeat(OPENID.length - 7)}eS6o`);
    expect(JSON.stringify(v)).not.toContain(OPENID);
    expect(v.approvals.map((a) => [a.level, a.approverName, a.roleName, a.decision])).toEqual([
      [1, '张会计', '会计', '同意'],
      [2, '陈经理', '审批人', '同意'],
    ]);

    // A duplicate notification and a later query change nothing: still one voucher for the refund.
    expect(await app.payments.apply(fake.notification(r.refundNo)!)).toBe('ignored');
    await app.refunds.sync(r.refundNo).catch(() => undefined);
    expect((await refundVouchers()).map((x) => x.voucherNo)).toEqual([voucherNo]);
    const issued = await app.audit.list({ action: 'voucher.issue' }, 1, 10);
    expect(issued.items.map((a) => a.entityId)).toEqual([voucherNo]);
    expect(issued.items[0]?.after).not.toContain(OPENID);
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('success in the send answer and after a timeout by query both issue the voucher; a booking deposit names the guest; failures issue none', async () => {
    const clerk: Actor = { id: cashier.id, name: cashier.name };
    // A booking's deposit: the voucher is made out to the guest.
    const { booking, depositOrder } = await app.bookings.create(clerk, { payerId: OPENID, guestName: '陈女士', serviceType: 'room', appointmentAt: clock.t + 72 * HOUR_MS, totalFen: 1000_00, method: 'wechat', note: '' });
    await app.orders.confirmPayment(clerk, { orderNo: depositOrder.orderNo, amountFen: depositOrder.amountFen, gatewayTradeNo: `wx-${booking.bookingNo}`, paidAt: clock.t });
    fake.paid.set(depositOrder.orderNo, depositOrder.amountFen);
    const answered = await app.refunds.request(cashier, { orderNo: depositOrder.orderNo, amountFen: 100_00, reason: '少住一晚' });
    await decide(app, answered.refundNo, accountant);
    fake.next('success');
    expect((await app.refunds.sendApproved()).succeeded).toEqual([answered.refundNo]);
    const v1 = await app.vouchers.get((await voucherOf(answered.refundNo))!);
    expect(v1).toMatchObject({ payeeName: '陈女士', relatedOrderNo: depositOrder.orderNo, amountInCapitals: '壹佰元整' });

    // Timeout after the platform acted: the next run queries and learns of the success.
    const orderNo = await paidOrder(app, fake, 500_00, OPENID);
    const timedOut = await app.refunds.request(cashier, { orderNo, amountFen: 200_00, reason: '菜品质量问题' });
    await decide(app, timedOut.refundNo, accountant);
    fake.next('timeout_after');
    expect((await app.refunds.sendApproved()).unknown).toEqual([timedOut.refundNo]);
    expect(await voucherOf(timedOut.refundNo)).toBeNull();
    fake.books.get(timedOut.refundNo)!.state = 'success';
    fake.books.get(timedOut.refundNo)!.succeededAt = clock.t;
    clock.advance(10 * MINUTE_MS);
    expect((await app.refunds.sendApproved()).succeeded).toEqual([timedOut.refundNo]);
    expect(fake.sends.get(timedOut.refundNo)).toBe(1);
    const v2 = await app.vouchers.get((await voucherOf(timedOut.refundNo))!);
    expect(v2).toMatchObject({ subjectId: timedOut.refundNo, amountFen: 200_00, payeeName: '客户' });
    // Numbers follow each other within the year.
    expect(Number(v2.voucherNo.slice(-6))).toBe(Number(v1.voucherNo.slice(-6)) + 1);

    // A refused refund moved no money: no voucher.
    const refused = await app.refunds.request(cashier, { orderNo, amountFen: 50_00, reason: '再退一点' });
    await decide(app, refused.refundNo, accountant);
    fake.next('reject_final');
    expect((await app.refunds.sendApproved()).failed).toEqual([refused.refundNo]);
    expect(await voucherOf(refused.refundNo)).toBeNull();
    expect((await refundVouchers()).map((x) => x.subjectId).sort()).toEqual([answered.refundNo, timedOut.refundNo].sort());
    expect(fake.violations).toEqual([]);
  });

  it('vouchers.list filters refund vouchers by kind; vouchers.get prints them for voucher:view only', async () => {
    const cashierCaller = await c.as('cashier', 'cashier2');
    const orderNo = await paidOrder(app, fake, 100_00, OPENID);
    const r = await app.refunds.request(cashier, { orderNo, amountFen: 30_00, reason: '少上一道菜' });
    await decide(app, r.refundNo, accountant);
    fake.next('success');
    await app.refunds.sendApproved();
    const voucherNo = (await voucherOf(r.refundNo))!;
    expect((await c.admin.ok('refunds.get', { refundNo: r.refundNo })).voucherNo).toBe(voucherNo);
    expect((await c.admin.ok('vouchers.list', { kind: 'refund' })).items.map((v) => v.voucherNo)).toEqual([voucherNo]);
    expect((await c.admin.ok('vouchers.list', { kind: 'supplier_payment' })).items).toEqual([]);
    expect((await c.admin.ok('vouchers.list', {})).items.map((v) => [v.voucherNo, v.kindLabel])).toEqual([[voucherNo, '退款']]);
    expect(await cashierCaller.ok('vouchers.get', { voucherNo })).toMatchObject({ kind: 'refund', relatedOrderNo: orderNo, amountInCapitals: '叁拾元整' });
    const auditor = await c.as('auditor', 'auditor1');
    expect(await auditor.ok('vouchers.get', { voucherNo })).toMatchObject({ voucherNo });
  });

  it('bookings.cancellationQuote previews the tier the cancellation then applies (booking:manage only)', async () => {
    let front = await c.as('cashier', 'front');
    const auditor = await c.as('auditor', 'auditor1');
    const clerk: Actor = { id: cashier.id, name: cashier.name };
    const book = async (hoursAhead: number, pay = true) => {
      const { booking, depositOrder } = await app.bookings.create(clerk, { payerId: OPENID, guestName: '王先生', serviceType: 'room', appointmentAt: clock.t + hoursAhead * HOUR_MS, totalFen: 1000_01, method: 'wechat', note: '' });
      if (pay) await app.orders.confirmPayment(clerk, { orderNo: depositOrder.orderNo, amountFen: depositOrder.amountFen, gatewayTradeNo: `wx-${booking.bookingNo}`, paidAt: clock.t });
      return booking;
    };
    const early = await book(72);
    const middle = await book(30);
    const late = await book(10);
    const unpaid = await book(30, false);

    const q = (b: { bookingNo: string }) => front.ok('bookings.cancellationQuote', { bookingNo: b.bookingNo });
    expect(await q(early)).toMatchObject({ paidFen: 300_00, percent: 100, refundFen: 300_00, msBefore: 72 * HOUR_MS, tierText: '提前 48 小时及以上取消，退还定金 100%', at: clock.t });
    expect(await q(middle)).toMatchObject({ paidFen: 300_00, percent: 50, refundFen: 150_00, msBefore: 30 * HOUR_MS, tierText: '提前 24–48 小时取消，退还定金 50%' });
    expect(await q(late)).toMatchObject({ percent: 0, refundFen: 0, tierText: '提前不足 24 小时（含预约开始后）取消，退还定金 0%' });
    expect(await q(unpaid)).toMatchObject({ paidFen: 0, refundFen: 0, tierText: '定金未支付，无需退款' });
    // Exactly at the 48 h edge the earlier tier applies; one millisecond later it does not.
    clock.advance(24 * HOUR_MS);
    // A day later the session has expired: the front desk signs in again.
    front = c.fresh();
    await front.ok('auth.login', { username: 'front', password: ADMIN_PASSWORD });
    expect(await q(early)).toMatchObject({ percent: 100, refundFen: 300_00, msBefore: 48 * HOUR_MS });
    clock.advance(1);
    expect(await q(early)).toMatchObject({ percent: 50, refundFen: 150_00 });

    // The cancellation requests what the quote said, and the booking lists its refund.
    const quoted = await q(early);
    await front.ok('bookings.cancel', { bookingNo: early.bookingNo });
    const detail = await front.ok('bookings.get', { bookingNo: early.bookingNo });
    expect(detail.booking.status).toBe('cancelled');
    expect(detail.refunds).toMatchObject([{ amountFen: quoted.refundFen, source: 'booking_cancel', relatedRef: early.bookingNo, state: 'pending_approval' }]);
    expect(detail.refunds[0]!.reason).toContain(quoted.tierText);

    // Once cancelled there is nothing to quote; unknown bookings and other roles are refused.
    const again = await front.call('bookings.cancellationQuote', { bookingNo: early.bookingNo });
    expect(again.ok || again.error.message).toBe('预定已取消');
    const missing = await front.call('bookings.cancellationQuote', { bookingNo: 'K00000000000000000000' });
    expect(missing.ok || missing.error.code).toBe('BOOKING_NOT_FOUND');
    expect((await auditor.call('bookings.cancellationQuote', { bookingNo: middle.bookingNo })).ok).toBe(false);
  });
});
