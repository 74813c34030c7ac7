import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

/**
 * Payments in, as a person sees them (issue 4): create an order in the app, collect it on the
 * 收款台 with a WeChat QR code, "pay" it on the simulated platform's page, and watch the 收款台, the
 * order list and the 数据统计 dashboard show it paid — the notification travelling through the real
 * callback endpoint.
 */
describe('收款台 end to end with the simulated WeChat Pay', () => {
  let e: E2E;
  let page: Page;
  let orderNo = '';

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('zhao', '赵出纳', ADMIN_PASSWORD);
  });
  afterAll(() => e?.close());

  it('creates an order and opens it on the 收款台 from its detail page', async () => {
    await page.getByTestId('create-order').click();
    const form = page.getByTestId('create-order-form');
    await form.getByLabel('金额').fill('388.00');
    await form.getByText('微信支付', { exact: true }).click();
    await form.getByLabel('订单类型').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('客户预定定金', { exact: true }).click();
    await form.getByLabel('订单描述').fill('豪华大床房 定金');
    await page.getByRole('button', { name: '创建订单' }).click();
    await expect.poll(() => page.getByText(/^订单 P\d{20} 已创建/).count()).toBe(1);
    orderNo = (await e.app.orders.list({}, { page: 1, pageSize: 1, sortBy: 'createdAt', sortOrder: 'desc' })).items[0]!.orderNo;
    await page.getByTestId('order-table').locator('tbody tr.ant-table-row').first().click();
    await page.getByTestId('collect-order').click();
    await expect.poll(() => page.getByTestId('cashier-amount').textContent()).toContain('388.00');
  });

  it('shows the WeChat QR code for the order', async () => {
    await page.getByTestId('cashier-start').click();
    const qr = page.getByTestId('cashier-qr');
    await expect.poll(() => qr.getAttribute('data-content')).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(await qr.locator('img').count()).toBe(1);
    await e.shot('20-cashier-qr');
  });

  it('the payer pays on the platform page; the 收款台 turns to 收款成功 by itself', async () => {
    const link = await page.getByTestId('cashier-sandbox-pay').getAttribute('href');
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const payer = await e.browser.newPage();
    await payer.goto(link!);
    expect(await payer.textContent('body')).toContain('¥388.00');
    await payer.getByRole('button', { name: '确认支付' }).click();
    await expect.poll(() => payer.textContent('body')).toContain('支付成功');
    await e.shot('21-simulator-pay-page', payer);
    await payer.close();
    await expect.poll(() => page.getByTestId('cashier-paid').isVisible(), { timeout: 15_000 }).toBe(true);
    await e.shot('22-cashier-paid');
    const detail = await e.app.orders.get(orderNo);
    expect(detail.order).toMatchObject({ status: 'paid', paidFen: 38_800 });
    expect(detail.history.map((h) => [h.action, h.actorName])).toEqual([
      ['order.create', '赵出纳'],
      ['payment.start', '赵出纳'],
      ['order.pay', 'wechat 支付通知'],
    ]);
  });

  it('the order list and the dashboard show it paid', async () => {
    await page.getByTestId('side-nav').getByText('支付订单').click();
    const row = page.getByTestId('order-table').locator('tbody tr.ant-table-row', { hasText: orderNo });
    await expect.poll(() => row.textContent()).toContain('已支付');
    await page.getByTestId('side-nav').getByText('数据统计').click();
    await expect.poll(() => page.getByTestId('kpi-amount').textContent()).toContain('388.00');
    await expect.poll(() => page.getByTestId('dashboard-trend').locator('svg').count()).toBeGreaterThan(0);
    await e.shot('23-dashboard');
  });
});
