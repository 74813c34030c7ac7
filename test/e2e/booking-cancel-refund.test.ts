import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../src-main/core/time';
import { SYSTEM_ACTOR } from '../../src-main/services/actor';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

/**
 * 预约取消按时间退款 through the real UI (design document 2.1.3): a room booking whose ¥300.00 deposit
 * was paid is cancelled about 30 hours before the appointment; the confirmation previews what the
 * server computes (time left, the 24–48 h tier, 50 %, ¥150.00), the cancellation requests exactly
 * that refund, and the booking links to it in 退款管理.
 */
describe('取消已付定金的预定 end to end', () => {
  let e: E2E;
  let page: Page;
  let bookingNo = '';

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('zhao', '赵主管', ADMIN_PASSWORD);
    const clerk = { id: null, name: '前台' };
    // 30 h 10 min ahead: comfortably inside the 24–48 h tier whatever the test's pace.
    const { booking, depositOrder } = await e.app.bookings.create(clerk, {
      payerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', guestName: '陈女士', serviceType: 'room', appointmentAt: Date.now() + 30 * HOUR_MS + 10 * MINUTE_MS, totalFen: 1000_00, method: 'wechat', note: '',
    });
    await e.app.orders.confirmPayment(SYSTEM_ACTOR, { orderNo: depositOrder.orderNo, amountFen: depositOrder.amountFen, gatewayTradeNo: `wx-${booking.bookingNo}`, paidAt: Date.now() });
    bookingNo = booking.bookingNo;
  });
  afterAll(() => e?.close());

  it('previews the tier the server computes before cancelling', async () => {
    await page.goto(`${e.host.url}/#/bookings/${bookingNo}`);
    await expect.poll(() => page.getByTestId('booking-detail').textContent()).toContain('已确认');
    // Only a booking still awaiting its deposit has the plain 取消预定.
    expect(await page.getByTestId('cancel-booking').count()).toBe(0);
    await page.getByTestId('cancel-paid-booking').click();
    const quote = page.getByTestId('cancellation-quote');
    await expect.poll(() => quote.textContent()).toContain('提前 24–48 小时取消，退还定金 50%');
    const text = (await quote.textContent()) ?? '';
    expect(text).toMatch(/距预约还有 30 小时 \d+ 分钟/);
    expect(text).toContain('已付定金¥300.00');
    expect(text).toContain('退还比例50%');
    expect(text).toContain('退款金额¥150.00');
    expect(text).toContain('取消后将申请退款 ¥150.00');
    await e.shot('80-booking-cancel-quote');
  });

  it('cancels the booking, requests that refund and links to it', async () => {
    await page.getByTestId('confirm-cancel-booking').click();
    await expect.poll(() => page.getByTestId('booking-detail').textContent()).toContain('已取消');
    const refunds = page.getByTestId('booking-refunds');
    await expect.poll(() => refunds.textContent()).toContain('¥150.00');
    expect(await refunds.textContent()).toContain('待审批');
    expect(await refunds.textContent()).toContain('提前 24–48 小时取消，退还定金 50%');
    const [refund] = (await e.app.bookings.get(bookingNo)).refunds;
    expect(refund).toMatchObject({ amountFen: 150_00, source: 'booking_cancel', relatedRef: bookingNo });
    await expect.poll(() => page.getByText(`已申请退款 ${refund!.refundNo}`).count()).toBe(1);
    await e.shot('81-booking-cancelled-with-refund');

    await refunds.getByTestId('booking-refund-link').click();
    const drawer = page.getByTestId('refund-drawer');
    await expect.poll(() => drawer.getByTestId('refund-detail').textContent()).toContain(refund!.refundNo);
    expect(await drawer.getByTestId('refund-detail').textContent()).toContain('预定取消');
    await e.shot('82-booking-refund-drawer');
  });
});
