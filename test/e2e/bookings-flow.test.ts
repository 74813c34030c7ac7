import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

/**
 * 客户预定定金 through the real UI (issue 4): the administrator sets the room deposit ratio, a
 * booking is made for 09:30 Shanghai time from a browser in New York (where it is still the evening
 * before), its deposit is collected on the 收款台 with a WeChat QR code paid on the simulated
 * platform's page, and the booking turns 已确认 when the payment notification arrives.
 */
describe('客户预定定金 end to end', () => {
  let e: E2E;
  let page: Page;
  let bookingNo = '';
  // 2030-11-03 09:30 in Shanghai is 01:30 UTC, and 21:30 on 2 November in New York.
  const appointment = '2030-11-03 09:30';
  const appointmentAt = Date.UTC(2030, 10, 3, 1, 30);

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('zhao', '赵出纳', ADMIN_PASSWORD);
  });
  afterAll(() => e?.close());

  it('sets the room deposit ratio in 系统设置, and shows the server refusing 0%', async () => {
    await page.getByTestId('side-nav').getByText('系统设置').click();
    const card = page.getByTestId('deposit-rules');
    const room = card.getByLabel('客房');
    await expect.poll(() => room.inputValue()).toBe('30');
    await room.fill('0');
    await card.getByTestId('save-deposit-rules').click();
    await expect.poll(() => card.getByTestId('deposit-rules-error').textContent()).toContain('定金比例至少 0.01%');
    await room.fill('35');
    await card.getByTestId('save-deposit-rules').click();
    await expect.poll(() => page.getByText('定金比例已保存').count()).toBe(1);
    await expect.poll(async () => (await e.app.bookings.depositRules()).ratios.room).toBe(3500);
    await expect.poll(() => card.getByLabel('客房').inputValue()).toBe('35');
    await e.shot('30-settings-deposit-rules');
  });

  it('creates a booking for a Shanghai time and shows that time and the computed deposit', async () => {
    await page.getByTestId('side-nav').getByText('客户预定').click();
    await page.getByTestId('create-booking').click();
    const form = page.getByTestId('create-booking-form');
    await form.getByLabel('客人姓名').fill('陈女士');
    await form.getByLabel('付款人').fill('G2030');
    const picker = form.getByLabel('预约时间');
    await picker.click();
    await picker.fill(appointment);
    await page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await expect.poll(() => picker.inputValue()).toBe(appointment);
    await expect.poll(() => form.getByTestId('appointment-shanghai').textContent()).toContain(`上海时间 ${appointment}`);
    await form.getByLabel('总价').fill('1288.88');
    // 1288.88 × 35% = 451.108, rounded half up to the fen.
    await expect.poll(() => form.getByTestId('deposit-quote').textContent()).toBe('¥451.11（35%）');
    await e.shot('31-create-booking');
    await page.getByRole('button', { name: '创建预定并生成定金订单' }).click();

    await expect.poll(() => page.url()).toMatch(/#\/bookings\/K\d{20}$/);
    bookingNo = /K\d{20}/.exec(page.url())![0];
    const booking = (await e.app.bookings.get(bookingNo)).booking;
    expect(booking).toMatchObject({ appointmentAt, totalFen: 1288_88, depositFen: 451_11, depositRatioBp: 3500, status: 'awaiting_deposit', guestName: '陈女士' });
    const detail = page.getByTestId('booking-detail');
    await expect.poll(() => detail.getByTestId('booking-appointment').textContent()).toContain(appointment);
    expect(await detail.getByTestId('booking-deposit').textContent()).toContain('¥451.11');
    expect(await detail.getByTestId('booking-deposit').textContent()).toContain('35%');
    expect(await detail.locator('[data-status]').getAttribute('data-status')).toBe('awaiting_deposit');
    expect(await page.getByTestId('deposit-order-link').textContent()).toBe(booking.depositOrderNo);
    expect(await page.getByTestId('booking-history').textContent()).toContain('创建客户预定');
    await e.shot('32-booking-detail-awaiting');
  });

  it('collects the deposit on the 收款台 with a WeChat QR code paid on the simulator page', async () => {
    await page.getByTestId('collect-deposit').click();
    await expect.poll(() => page.url()).toMatch(/#\/cashier\/P\d{20}$/);
    await expect.poll(() => page.getByTestId('cashier-amount').textContent()).toContain('451.11');
    await page.getByTestId('cashier-start').click();
    const qr = page.getByTestId('cashier-qr');
    await expect.poll(() => qr.getAttribute('data-content')).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    await e.shot('33-booking-cashier-qr');

    const link = await page.getByTestId('cashier-sandbox-pay').getAttribute('href');
    const payer = await e.browser.newPage();
    await payer.goto(link!);
    expect(await payer.textContent('body')).toContain('¥451.11');
    await payer.getByRole('button', { name: '确认支付' }).click();
    await expect.poll(() => payer.textContent('body')).toContain('支付成功');
    await payer.close();
    await expect.poll(() => page.getByTestId('cashier-paid').isVisible(), { timeout: 15_000 }).toBe(true);
  });

  it('the booking is 已确认 on its detail page, with the confirmation in its history', async () => {
    await page.getByTestId('side-nav').getByText('客户预定').click();
    const row = page.getByTestId('booking-table').locator('tbody tr.ant-table-row', { hasText: bookingNo });
    await expect.poll(() => row.textContent()).toContain('已确认');
    await row.getByText('陈女士').click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/bookings/${bookingNo}$`));
    const status = page.getByTestId('booking-detail').locator('[data-status]');
    await expect.poll(() => status.getAttribute('data-status')).toBe('confirmed');
    expect(await status.textContent()).toBe('已确认');
    expect(await page.getByTestId('deposit-order').textContent()).toContain('已支付');
    await expect.poll(() => page.getByTestId('booking-history').textContent()).toContain('定金已付，预定确认');
    // The confirmation's change, in the accountants' words (status labels, not codes).
    await page.getByTestId('booking-history').locator('tr.ant-table-row', { hasText: '定金已付' }).click();
    await expect.poll(() => page.getByTestId('booking-history').textContent()).toMatch(/待付定金[\s\S]*已确认/);
    expect(await page.getByTestId('collect-deposit').count()).toBe(0);
    expect(await page.getByTestId('cancel-booking').count()).toBe(0);
    await e.shot('34-booking-detail-confirmed');
    expect((await e.app.bookings.get(bookingNo)).booking.status).toBe('confirmed');
  });
});
