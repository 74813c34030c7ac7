import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform, PayScene } from '../../../src-main/gateways/gateway';
import type { PaymentMethod } from '../../../src-main/core/orders/order-types';
import { callers } from '../../support/callers';
import { paymentRig, type PaymentRig } from '../../support/payment-rig';
import { STORE_KINDS } from '../../support/stores';

const cashier = { id: 1, name: '李出纳' };

describe.each(STORE_KINDS)('payments in, end to end through the simulators, on %s', (kind) => {
  let rig: PaymentRig;
  beforeAll(async () => {
    rig = await paymentRig(kind);
  }, 60_000);
  afterAll(() => rig?.close());

  const newOrder = (method: PaymentMethod, amountFen = 12_800) =>
    rig.app.orders.create(cashier, { amountFen, method, type: 'customer_order', relatedId: 'BK-9', description: '豪华大床房 定金', payerId: 'WX_o7k2' });

  /** Polls until `check` holds (the platforms notify asynchronously, on their scaled retry schedules). */
  const eventually = async <T,>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 8000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await read();
      if (check(v) || Date.now() > deadline) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const orderOf = async (orderNo: string) => (await rig.app.orders.get(orderNo)).order;
  const waitPaid = (orderNo: string) => eventually(() => orderOf(orderNo), (o) => o.status === 'paid');
  const openExceptions = async (orderNo: string) => (await rig.app.payments.exceptions(undefined, 1, 200)).items.filter((e) => e.orderNo === orderNo);

  it.each<[Platform, PayScene]>([
    ['wechat', 'wechat_native'],
    ['wechat', 'wechat_jsapi'],
    ['alipay', 'alipay_precreate'],
    ['alipay', 'alipay_page'],
    ['bank', 'bank_online'],
  ])('%s %s: start → the payer pays → the notification marks the order paid once', async (platform, scene) => {
    const order = await newOrder(platform);
    const started = await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene, payerOpenId: 'o7k2-openid' });
    if (scene === 'wechat_jsapi') {
      expect(started.result.kind).toBe('jsapi');
      if (started.result.kind === 'jsapi') expect(started.result.payParams).toMatchObject({ signType: 'RSA', package: `prepay_id=${started.result.prepayId}` });
    } else expect(['qr', 'redirect']).toContain(started.result.kind);
    // Page and wap pay start at the platform when the payer's browser opens the signed link.
    if (started.result.kind === 'redirect') expect((await fetch(started.result.url)).status).toBeLessThan(400);
    // Asking again returns the same credentials without a second platform call.
    expect(await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene, payerOpenId: 'o7k2-openid' })).toEqual(started);

    await rig.sandbox.simulator.get(platform).pay(order.orderNo);
    const paid = await waitPaid(order.orderNo);
    expect(paid).toMatchObject({ status: 'paid', paidFen: 12_800 });
    expect(paid.gatewayTradeNo).toBeTruthy();
    const detail = await rig.app.orders.get(order.orderNo);
    expect(detail.transactions).toEqual([expect.objectContaining({ status: 'success', gatewayTradeNo: paid.gatewayTradeNo })]);
    expect(detail.history.map((h) => h.action)).toEqual(['order.create', 'payment.start', 'order.pay']);
  });

  it('a duplicated notification is applied once', async () => {
    const order = await newOrder('wechat');
    await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'wechat_native' });
    rig.sandbox.simulator.inject('wechat', { kind: 'notify_duplicate' });
    const acked = () => rig.sandbox.simulator.notifier.log.filter((d) => d.platform === 'wechat' && d.acknowledged).length;
    const before = acked();
    await rig.sandbox.simulator.get('wechat').pay(order.orderNo);
    await waitPaid(order.orderNo);
    expect(await eventually(async () => acked() - before, (n) => n >= 2)).toBe(2);
    const detail = await rig.app.orders.get(order.orderNo);
    expect(detail.history.filter((h) => h.action === 'order.pay')).toHaveLength(1);
  });

  it('a forged notification is refused with the platform failure answer and changes nothing; the genuine retry is applied', async () => {
    const order = await newOrder('alipay');
    await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'alipay_precreate' });
    rig.sandbox.simulator.inject('alipay', { kind: 'notify_bad_signature' });
    const before = rig.app.metrics.snapshot().counters['notify.rejected.alipay'] ?? 0;
    await rig.sandbox.simulator.get('alipay').pay(order.orderNo);
    expect((await waitPaid(order.orderNo)).status).toBe('paid');
    expect(rig.app.metrics.snapshot().counters['notify.rejected.alipay']).toBe(before + 1);
  });

  it('a notification with a different amount is never applied: it becomes a payment exception', async () => {
    const order = await newOrder('bank', 5_000);
    await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'bank_online' });
    rig.sandbox.simulator.inject('bank', { kind: 'notify_amount_mismatch' });
    await rig.sandbox.simulator.get('bank').pay(order.orderNo);
    const mine = await eventually(() => openExceptions(order.orderNo), (x) => x.length > 0);
    expect(mine.map((e) => [e.kind, e.amountFen])).toEqual([['amount_mismatch', 5_001]]);
    expect((await orderOf(order.orderNo)).status).toBe('pending');
  });

  it('closing an overdue order at the platform; money paid after the close becomes an exception for refund', async () => {
    const order = await newOrder('wechat');
    await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'wechat_native' });
    // Make it overdue (and old enough for WeChat to accept a close) by moving its times back.
    await rig.app.store.dataSource.query('UPDATE payment_orders SET expire_at = ?, created_at = ? WHERE order_no = ?', [Date.now() - 1000, Date.now() - 40 * 60_000, order.orderNo]);
    rig.sandbox.simulator.inject('wechat', { kind: 'pay_after_close' });
    const run = await rig.app.payments.closeOverdue();
    expect(run.cancelled).toContain(order.orderNo);
    expect((await rig.app.orders.get(order.orderNo)).order).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
    await rig.sandbox.simulator.get('wechat').pay(order.orderNo);
    const mine = await eventually(() => openExceptions(order.orderNo), (x) => x.length > 0);
    expect(mine.map((e) => [e.kind, e.amountFen])).toEqual([['paid_after_close', 12_800]]);
    expect((await orderOf(order.orderNo)).status).toBe('cancelled');
  });

  it('an order paid at the platform but never notified is found by the active query', async () => {
    const order = await newOrder('alipay');
    await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'alipay_precreate' });
    // The notification is held back far beyond the test (a lost notification).
    rig.sandbox.simulator.inject('alipay', { kind: 'notify_delay_ms', ms: 10_000_000 });
    await rig.sandbox.simulator.get('alipay').pay(order.orderNo);
    expect((await rig.app.orders.get(order.orderNo)).order.status).toBe('pending');
    const status = await rig.app.payments.sync(order.orderNo);
    expect(status?.state).toBe('paid');
    expect((await rig.app.orders.get(order.orderNo)).order.status).toBe('paid');
  });

  it('money for an order this system never made is kept as an exception for refund, and acknowledged', async () => {
    const stranger = 'P20260101000000999999';
    await rig.sandbox.registry.get('bank').createPayment({ orderNo: stranger, amountFen: 777, description: '来历不明', expireAt: Date.now() + 600_000, scene: 'bank_online', notifyUrl: `${rig.server.url}/api/payment/callback/bank` });
    await rig.sandbox.simulator.get('bank').pay(stranger);
    const mine = await eventually(() => openExceptions(stranger), (x) => x.length > 0);
    expect(mine.map((e) => [e.kind, e.amountFen])).toEqual([['unknown_order', 777]]);
    const acked = rig.sandbox.simulator.notifier.log.filter((d) => d.platform === 'bank' && d.acknowledged);
    expect(acked.length).toBeGreaterThan(0);
  });

  it('a person cancelling a collected order closes the platform trade first: the payer can no longer pay', async () => {
    const order = await newOrder('alipay');
    await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'alipay_precreate' });
    await rig.app.payments.cancel(cashier, order.orderNo, 'user');
    expect((await orderOf(order.orderNo)).status).toBe('cancelled');
    expect(rig.sandbox.simulator.get('alipay').ledger.trades.get(order.orderNo)?.state).toBe('closed');
    await expect(rig.sandbox.simulator.get('alipay').pay(order.orderNo)).rejects.toThrow();
  });

  it('cancelling an order the payer has just paid is refused, and the payment is applied', async () => {
    const order = await newOrder('bank');
    await rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'bank_online' });
    rig.sandbox.simulator.inject('bank', { kind: 'notify_delay_ms', ms: 10_000_000 });
    await rig.sandbox.simulator.get('bank').pay(order.orderNo);
    await expect(rig.app.payments.cancel(cashier, order.orderNo, 'admin')).rejects.toThrow('付款人已在支付平台完成支付，订单已更新为已支付，不能取消；如需退款请走退款流程');
    expect(await orderOf(order.orderNo)).toMatchObject({ status: 'paid', paidFen: 12_800 });
  });

  it('cancelling a booking from a stale screen is refused before its deposit trade is closed', async () => {
    const admin = (await callers(rig.app)).admin;
    const { booking } = await admin.ok('bookings.create', { payerId: 'WX_g1', guestName: '陈女士', serviceType: 'room', appointmentAt: Date.now() + 72 * 3_600_000, total: '1000.00', method: 'wechat' });
    await rig.app.payments.start(cashier, { orderNo: booking.depositOrderNo, scene: 'wechat_native' });
    const stale = await admin.call('bookings.cancel', { bookingNo: booking.bookingNo, version: booking.version + 1 });
    expect(stale.ok ? '' : stale.error.message).toBe('数据已被他人修改，请刷新后重试');
    expect(rig.sandbox.simulator.get('wechat').ledger.trades.get(booking.depositOrderNo)?.state).toBe('pending');
    await admin.ok('bookings.cancel', { bookingNo: booking.bookingNo, version: booking.version });
    expect((await rig.app.bookings.get(booking.bookingNo)).booking.status).toBe('cancelled');
  });

  it('refuses to start a payment for a scene of another method, or a cancelled order', async () => {
    const order = await newOrder('wechat');
    await expect(rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'alipay_precreate' })).rejects.toThrow('支付场景与订单的支付方式不一致');
    await rig.app.orders.cancel(cashier, order.orderNo, 'user');
    await expect(rig.app.payments.start(cashier, { orderNo: order.orderNo, scene: 'wechat_native' })).rejects.toThrow('只有待支付订单可以发起支付');
  });
});
