import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

const PHONE = '13800138000';

/** A full-page shot of a scrolled page would draw the sticky table header mid-page. */
const topOf = (p: Page) => p.evaluate(() => window.scrollTo(0, 0));

/**
 * 权限矩阵 and masked fields through the real UI: the administrator takes 餐费账单 away from 出纳
 * while a cashier is logged in at another desk; the cashier's next action is refused in plain words
 * and the menu entry goes. A paper invoice's phone is shown masked and revealed (audited) by the
 * administrator. Screenshots: permission-matrix*.png, sensitive-value-*.png.
 */
describe('权限矩阵 and sensitive fields end to end', () => {
  let e: E2E;
  let page: Page;
  let cashier: Page;
  let billNo = '';

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('admin', '系统管理员', ADMIN_PASSWORD);
    const system = { id: null, name: '系统' };
    await e.app.users.create(system, { username: 'qian', displayName: '钱出纳', password: ADMIN_PASSWORD, role: 'cashier' });
    const bill = await e.app.mealBills.create(system, { stayNo: 'S0808', roomNo: '808', payerId: 'G8', guestName: '陈女士', items: [{ serviceDate: '2026-11-25', meal: 'dinner', description: '中式晚餐', quantity: 1, unitPriceFen: 88_00 }] });
    billNo = bill.billNo;
    await e.app.mealBills.requestInvoice(system, billNo, { kind: 'paper', titleType: 'personal', title: '陈女士', taxId: '', email: '', postalAddress: '上海市浦东新区世纪大道 100 号', recipient: '陈女士', phone: PHONE });

    cashier = await e.newPage();
    const form = cashier.getByTestId('login-form');
    await form.getByLabel('用户名').fill('qian');
    await form.getByLabel('密码').fill(ADMIN_PASSWORD);
    await cashier.getByRole('button', { name: '登录', exact: true }).click();
    await cashier.getByTestId('current-user').waitFor();
  });
  afterAll(() => e?.close());

  it('shows roles as columns and grouped operations as rows, with the note that keys are never shown', async () => {
    await page.getByRole('menuitem', { name: '用户与角色' }).click();
    await page.getByRole('tab', { name: '权限矩阵' }).click();
    const matrix = page.getByTestId('permission-matrix');
    await expect.poll(() => matrix.locator('thead th').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('出纳'), expect.stringContaining('管理员')]));
    for (const group of ['订单与收款', '退款', '审批', '供应商付款', '系统管理']) await matrix.getByRole('cell', { name: group, exact: true }).waitFor();
    expect(await page.getByTestId('matrix-key-note').textContent()).toContain('任何角色（包括管理员）都不能查看原文');
    expect(await matrix.getByLabel('出纳：餐费账单（记账、结算、发票申请）').isChecked()).toBe(true);
    // Columns follow the core's order of roles.
    expect((await matrix.locator('thead th').allTextContents()).slice(1).map((t) => t.replace(/（我）|\d+ 项/g, ''))).toEqual(['管理员', '会计', '出纳', '审批人', '审计']);
    await e.shot('permission-matrix');
  });

  it('a cashier already at work sees 餐费账单 first', async () => {
    await cashier.getByRole('menuitem', { name: '餐费账单' }).click();
    await cashier.getByTestId('meal-bill-table').waitFor();
  });

  it('the administrator takes 餐费账单 from 出纳: dirty until saved, then saved and in force', async () => {
    const matrix = page.getByTestId('permission-matrix');
    await matrix.getByLabel('出纳：餐费账单（记账、结算、发票申请）').uncheck();
    expect(await page.getByTestId('matrix-dirty').textContent()).toBe('有 1 个角色的修改尚未保存：出纳');
    await topOf(page);
    await e.shot('permission-matrix-dirty');
    await page.getByTestId('matrix-save-all').click();
    await page.getByText('已保存出纳的权限，立即生效').waitFor();
    expect(await page.getByTestId('matrix-dirty').textContent()).toBe('勾选或取消勾选后保存，修改会记入审计日志。');
    expect(await matrix.getByLabel('出纳：餐费账单（记账、结算、发票申请）').isChecked()).toBe(false);
  });

  it('the cashier’s next action is refused in plain words and the menu entry disappears', async () => {
    await cashier.getByRole('button', { name: /刷\s*新/ }).first().click();
    await cashier.getByText('没有权限：餐费账单（记账、结算、发票申请）。请联系管理员开通。').first().waitFor();
    await expect.poll(() => cashier.getByRole('menuitem', { name: '餐费账单' }).count()).toBe(0);
    expect(await cashier.getByRole('menuitem', { name: '支付订单' }).count()).toBe(1);
    await e.shot('permission-refused-cashier', cashier);
  });

  it('the administrator cannot take 编辑权限矩阵 from their own role', async () => {
    await page.getByTestId('permission-matrix').getByLabel('管理员：编辑权限矩阵（角色 × 操作）').uncheck();
    await page.getByTestId('matrix-save-all').click();
    await page.getByText('不能从自己的角色（管理员）中移除“编辑权限矩阵”权限，否则您将无法再修改权限').waitFor();
    await page.getByRole('button', { name: '放弃全部修改' }).click();
    expect(await page.getByTestId('permission-matrix').getByLabel('管理员：编辑权限矩阵（角色 × 操作）').isChecked()).toBe(true);
  });

  it('an invoice phone is masked, and revealed for the administrator with an audit entry', async () => {
    await page.goto(`${new URL(page.url()).origin}/#/meal-bills/${billNo}`);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    const value = page.getByTestId('invoice-card').getByTestId('sensitive-value');
    await expect.poll(() => value.textContent()).toBe('138****8000');
    await e.shot('sensitive-value-masked');
    await value.getByRole('button', { name: '显示完整收件人电话' }).click();
    await expect.poll(() => value.textContent()).toBe(PHONE);
    await e.shot('sensitive-value-revealed');
    await value.getByRole('button', { name: '隐藏收件人电话' }).click();
    await expect.poll(() => value.textContent()).toBe('138****8000');
    const log = await e.app.audit.list({ action: 'sensitive.reveal' }, 1, 10);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ actorName: '系统管理员', entityType: 'meal_bill', entityId: billNo, after: '{"field":"invoicePhone"}' });
  });
});
