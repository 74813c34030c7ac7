import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/callers';
import { join } from 'node:path';
import { SHOTS_DIR, startE2E, type E2E } from './support/harness';

/**
 * 餐费账单 through the real UI: a cashier records a stay's dinner bill item by item, the stay has a
 * second bill already, and at checkout one payment order for both opens on the 收款台. The printable
 * receipt is rendered too (test-results/screenshots/meal-bill-receipt.png and .pdf).
 */
describe('餐费账单 end to end', () => {
  let e: E2E;
  let page: Page;
  let billNo = '';

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('zhao', '赵出纳', ADMIN_PASSWORD);
    await e.app.mealBills.create({ id: null, name: '系统' }, { stayNo: 'S1203', roomNo: '1203', payerId: 'G1', guestName: '陈女士', items: [{ serviceDate: '2026-11-25', meal: 'breakfast', description: '自助早餐', quantity: 2, unitPriceFen: 48_00 }] });
  });
  afterAll(() => e?.close());

  it('creates a meal bill with two items and shows its computed total', async () => {
    await page.getByRole('menuitem', { name: '餐费账单' }).click();
    await page.getByTestId('create-meal-bill').click();
    const form = page.getByTestId('create-meal-bill-form');
    await form.getByLabel('住宿号').fill('S1203');
    await form.getByLabel('房间号').fill('1203');
    await form.getByLabel('客人姓名').fill('陈女士');
    const rows = form.getByTestId('bill-item-row');
    await rows.nth(0).getByLabel('项目').fill('中式晚餐套餐');
    await rows.nth(0).getByLabel('数量').fill('2');
    await rows.nth(0).getByLabel('单价').fill('68.00');
    await form.getByRole('button', { name: '添加一行' }).click();
    await rows.nth(1).getByLabel('项目').fill('果盘');
    await rows.nth(1).getByLabel('单价').fill('12.5');
    await page.getByRole('button', { name: '创建账单' }).click();
    await expect.poll(() => page.getByText(/^账单 M\d{20} 已创建，合计 ¥148\.50/).count()).toBe(1);
    await expect.poll(() => page.getByTestId('bill-items').locator('tbody tr.ant-table-row').count()).toBe(2);
    billNo = /餐费账单 (M\d{20})/.exec((await page.locator('h4').first().textContent()) ?? '')?.[1] ?? '';
    expect(billNo).toMatch(/^M\d{20}$/);
    await e.shot('meal-bill-detail');
  });

  it('renders the printable receipt', async () => {
    await page.getByRole('button', { name: '打印凭据' }).click();
    await expect.poll(() => page.getByTestId('receipt-sheet').textContent()).toContain('中式晚餐套餐');
    await e.shot('meal-bill-receipt');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: join(SHOTS_DIR, 'meal-bill-receipt.pdf'), format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
  });

  it('checks out all open bills of the stay in one order and opens it on the 收款台', async () => {
    await page.getByRole('menuitem', { name: '餐费账单' }).click();
    await page.getByTestId('stay-search').locator('input').fill('S1203');
    await page.getByTestId('stay-search').locator('input').press('Enter');
    await expect.poll(() => page.getByTestId('meal-bill-table').locator('tbody tr.ant-table-row').count()).toBe(2);
    await page.getByTestId('checkout').click();
    await page.getByTestId('pay-method-form').getByText('支付宝', { exact: true }).click();
    await page.getByRole('button', { name: '生成收款订单' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/cashier\/P\d{20}$/);
    await expect.poll(() => page.getByTestId('cashier-amount').textContent()).toContain('244.50');
    const orderNo = /P\d{20}/.exec(page.url())![0];
    const order = (await e.app.orders.get(orderNo)).order;
    expect(order).toMatchObject({ type: 'meal_bill', amountFen: 244_50, relatedId: 'S1203', method: 'alipay', status: 'pending' });
    expect((await e.app.mealBills.get(billNo)).bill.orderNo).toBe(orderNo);
    await e.shot('meal-bill-checkout-cashier');
  });
});
