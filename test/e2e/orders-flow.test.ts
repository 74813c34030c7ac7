import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghai } from '../../src-main/core/time';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

/**
 * An accountant's day through the real UI: first-run set-up → log in → create an order (after a
 * refused one) → find it with filters → open it → cancel it → see the audit entry; then a colleague
 * whose role lacks a permission gets a clear refusal. Screenshots of every page go to
 * test-results/screenshots/.
 */
describe('支付订单 end to end', () => {
  let e: E2E;
  let page: Page;
  let orderNo = '';

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
  });
  afterAll(() => e?.close());

  const select = async (scope: string, label: string, option: string) => {
    await page.getByTestId(scope).getByLabel(label).click();
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
  };

  it('first run asks for the administrator, with no default password', async () => {
    await expect.poll(() => page.getByTestId('setup-form').isVisible()).toBe(true);
    await e.shot('01-setup');
    const form = page.getByTestId('setup-form');
    await form.getByLabel('用户名').fill('wang');
    await form.getByLabel('姓名').fill('王会计');
    await form.getByLabel('密码', { exact: true }).fill('short');
    await form.getByLabel('确认密码').fill('short');
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    await expect.poll(() => form.textContent()).toMatch(/至少 10 位/);
    await form.getByLabel('密码', { exact: true }).fill(ADMIN_PASSWORD);
    await form.getByLabel('确认密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    await expect.poll(() => page.getByTestId('current-user').textContent()).toBe('王会计');
  });

  it('logs out and back in; a wrong password is refused', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    const form = page.getByTestId('login-form');
    await form.getByLabel('用户名').fill('wang');
    await form.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await e.shot('02-login-error');
    await form.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.getByTestId('order-table').isVisible()).toBe(true);
  });

  it('refuses a malformed amount with the contract message, then creates the order', async () => {
    await page.getByTestId('create-order').click();
    const form = page.getByTestId('create-order-form');
    await form.getByLabel('金额').fill('1288.505');
    await form.getByText('微信支付', { exact: true }).click();
    await select('create-order-form', '订单类型', '餐费账单');
    await form.getByLabel('付款人').fill('WX_e2e_guest');
    await form.getByLabel('关联ID').fill('ROOM-1208');
    await form.getByLabel('订单描述').fill('餐费账单 1208 房');
    await page.getByRole('button', { name: '创建订单' }).click();
    await expect.poll(() => form.textContent()).toContain('金额最多保留两位小数');
    await e.shot('03-create-order-refused');
    expect((await e.app.orders.list({}, { page: 1, pageSize: 5, sortBy: 'createdAt', sortOrder: 'desc' })).total).toBe(0);

    await form.getByLabel('金额').fill('1288.50');
    await page.getByRole('button', { name: '创建订单' }).click();
    await expect.poll(() => page.getByText(/^订单 P\d{20} 已创建/).count()).toBe(1);
    const created = await e.app.orders.list({ payerId: 'WX_e2e_guest' }, { page: 1, pageSize: 5, sortBy: 'createdAt', sortOrder: 'desc' });
    expect(created.items).toHaveLength(1);
    expect(created.items[0]).toMatchObject({ amountFen: 128850, method: 'wechat', type: 'meal_bill', status: 'pending', relatedId: 'ROOM-1208' });
    orderNo = created.items[0]!.orderNo;
  });

  it('finds the order with filters; money in yuan and times in Shanghai', async () => {
    // Some other orders so the filters have something to filter out.
    const clerk = { id: 1, name: '王会计' };
    for (const method of ['alipay', 'bank'] as const)
      await e.app.orders.create(clerk, { amountFen: 5000, method, type: 'customer_order', relatedId: '', description: '定金', payerId: 'WX_other' });
    await page.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => page.getByTestId('order-table').locator('tbody tr.ant-table-row').count()).toBe(3);

    const filters = page.getByTestId('order-filters');
    await filters.getByLabel('付款人').fill('WX_e2e_guest');
    await select('order-filters', '状态', '待支付');
    await page.keyboard.press('Escape');
    await filters.getByRole('button', { name: '查询' }).click();
    const rows = page.getByTestId('order-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    const row = await rows.first().textContent();
    const order = (await e.app.orders.get(orderNo)).order;
    expect(row).toContain(orderNo);
    expect(row).toContain('¥1,288.50');
    expect(row).toContain('餐费账单');
    expect(row).toContain(formatShanghai(order.createdAt)); // the browser runs in New York time
    await e.shot('04-orders-filtered');
  });

  it('opens the detail and cancels the order after confirming', async () => {
    await page.getByTestId('order-table').locator('tbody tr.ant-table-row').first().click();
    const detail = page.getByTestId('order-detail');
    await expect.poll(() => detail.textContent()).toContain(orderNo);
    expect(await detail.textContent()).toContain('¥1,288.50');
    expect(await page.getByTestId('order-transactions').textContent()).toContain('待处理');
    await e.shot('05-order-detail');

    await page.getByTestId('cancel-order').click();
    const form = page.getByTestId('cancel-order-form');
    await form.getByText('管理员取消').click();
    await e.shot('06-cancel-confirm');
    await page.getByRole('button', { name: '确认取消' }).click();
    await expect.poll(() => page.getByText(`订单 ${orderNo} 已取消`).count()).toBe(1);
    await expect.poll(() => detail.locator('[data-status]').first().getAttribute('data-status')).toBe('cancelled');
    expect(await page.getByTestId('cancel-order').count()).toBe(0);
    expect((await e.app.orders.get(orderNo)).order).toMatchObject({ status: 'cancelled', cancelReason: 'admin' });
    await expect.poll(() => page.getByTestId('order-transactions').textContent()).toContain('失败');
    await e.shot('07-order-cancelled');
  });

  it('the audit log shows who cancelled it, and the chain verifies', async () => {
    await page.getByTestId('side-nav').getByText('审计日志').click();
    const table = page.getByTestId('audit-table');
    await expect.poll(() => table.textContent()).toContain('取消订单');
    const cancelRow = table.locator('tbody tr.ant-table-row', { hasText: '取消订单' }).first();
    expect(await cancelRow.textContent()).toContain('王会计');
    expect(await cancelRow.textContent()).toContain(orderNo);
    await cancelRow.click();
    await expect.poll(() => page.getByTestId('audit-diff').first().textContent()).toContain('已取消');
    await page.getByTestId('verify-audit-chain').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').getAttribute('data-ok')).toBe('true');
    await e.shot('08-audit');
  });

  it('交易记录 shows the period statistics', async () => {
    const other = (await e.app.orders.list({ payerId: 'WX_other' }, { page: 1, pageSize: 5, sortBy: 'createdAt', sortOrder: 'desc' })).items[0]!;
    await e.app.orders.confirmPayment({ id: null, name: '支付平台回调' }, { orderNo: other.orderNo, amountFen: other.amountFen, gatewayTradeNo: 'e2e-1', paidAt: Date.now() });
    await page.getByTestId('side-nav').getByText('交易记录').click();
    await expect.poll(() => page.getByTestId('stat-total-amount').textContent()).toContain('¥50.00');
    expect(await page.getByTestId('stat-success-rate').textContent()).toContain('50.0%'); // 1 success, 1 failed (cancelled)
    expect(await page.getByTestId('transaction-table').locator('tbody tr.ant-table-row').count()).toBe(3);
    await e.shot('09-transactions');
  });

  it('users and settings pages render for the administrator', async () => {
    await page.getByTestId('side-nav').getByText('用户与角色').click();
    await expect.poll(() => page.getByTestId('user-table').textContent()).toContain('wang');
    await page.getByTestId('create-user').click();
    const form = page.getByTestId('create-user-form');
    await form.getByLabel('用户名').fill('li.shen');
    await form.getByLabel('姓名').fill('李审批');
    await select('create-user-form', '角色', '审批人');
    await form.getByLabel('初始密码').fill(ADMIN_PASSWORD);
    await form.getByLabel('确认密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '创建用户' }).click();
    await expect.poll(() => page.getByTestId('user-table').textContent()).toContain('李审批');
    await e.shot('10-users');
    await page.getByTestId('side-nav').getByText('系统设置').click();
    await expect.poll(() => page.getByTestId('order-rules-form').isVisible()).toBe(true);
    await e.shot('11-settings');
  });

  it('a role without the permission sees a clear refusal and cannot act', async () => {
    const approver = await e.newPage();
    const form = approver.getByTestId('login-form');
    await form.getByLabel('用户名').fill('li.shen');
    await form.getByLabel('密码').fill(ADMIN_PASSWORD);
    await approver.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => approver.getByTestId('current-user').textContent()).toBe('李审批');
    const nav = await approver.getByTestId('side-nav').textContent();
    expect(nav).toContain('支付订单');
    expect(nav).not.toContain('审计日志');
    expect(nav).not.toContain('用户与角色');
    await expect.poll(() => approver.getByTestId('order-table').isVisible()).toBe(true);
    expect(await approver.getByTestId('create-order').count()).toBe(0);
    await approver.goto(`${e.host.url}/#/audit`);
    await expect.poll(() => approver.getByTestId('forbidden').textContent()).toContain('没有权限：查看审计日志');
    await e.shot('12-forbidden', approver);
    await approver.goto(`${e.host.url}/#/orders/${orderNo}`);
    await expect.poll(() => approver.getByTestId('order-detail').textContent()).toContain(orderNo);
    expect(await approver.getByTestId('cancel-order').count()).toBe(0);
  });
});
