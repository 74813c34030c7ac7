import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

/**
 * 退款 through the real UI against the simulated WeChat Pay: an order paid on the simulator, a
 * partial refund asked for on the order's page, approved by an accountant, sent by the executor,
 * confirmed by WeChat's REFUND.SUCCESS callback; 退款管理 shows it with its platform number and
 * expected arrival, and the order shows what was refunded and what is left.
 */
describe('退款 end to end', () => {
  let e: E2E;
  let page: Page;
  let orderNo = '';

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('zhao', '赵出纳', ADMIN_PASSWORD);
    const clerk = { id: null, name: '测试' };
    const o = await e.app.orders.create(clerk, { amountFen: 100_00, method: 'wechat', type: 'customer_order', relatedId: '', description: '包间餐饮定金', payerId: 'WX_e2e' });
    orderNo = o.orderNo;
    await e.app.payments.start(clerk, { orderNo, scene: 'wechat_native' });
    await e.sandbox.simulator.get('wechat').pay(orderNo);
    for (let i = 0; i < 150 && (await e.app.orders.get(orderNo)).order.status !== 'paid'; i++) await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => e?.close());

  it('asks for a partial refund on the order page; an over-refund is refused under the amount', async () => {
    await page.goto(`${e.host.url}/#/orders/${orderNo}`);
    await page.getByTestId('request-refund').click();
    const form = page.getByTestId('request-refund-form');
    await expect.poll(() => form.getByLabel('退款金额（元）').inputValue()).toBe('100.00');
    await form.getByLabel('退款金额（元）').fill('100.01');
    await form.getByLabel('退款原因').fill('客人少点了两道菜');
    await page.getByRole('button', { name: '提交审批' }).click();
    await expect.poll(() => form.textContent()).toContain('剩余可退 ¥100.00');
    await form.getByLabel('退款金额（元）').fill('30');
    await page.getByRole('button', { name: '提交审批' }).click();
    await expect.poll(() => page.getByTestId('order-refunds').textContent()).toContain('待审批');
    await e.shot('50-order-refund-requested');
  });

  it('approved by an accountant, sent, confirmed by the WeChat callback: 退款管理 shows it succeeded', async () => {
    const admin = (await e.app.users.list()).find((u) => u.username === 'zhao')!;
    const acc = await e.app.users.create({ id: admin.id, name: admin.displayName }, { username: 'qian', displayName: '钱会计', password: ADMIN_PASSWORD, role: 'accountant' });
    const [refund] = (await e.app.refunds.forOrder(orderNo)).refunds;
    const req = await e.app.store.read((tx) => tx.approvals.latestOf('refund', refund!.refundNo));
    await e.app.approvals.decide({ id: acc.id, name: acc.displayName, roles: ['accountant'] }, req!.id, { decision: 'approve', level: 1 });
    expect((await e.app.refunds.sendApproved()).sent).toEqual([refund!.refundNo]);
    await expect.poll(async () => (await e.app.refunds.get(refund!.refundNo)).refund.state, { timeout: 20_000 }).toBe('success');

    await page.getByTestId('side-nav').getByText('退款管理').click();
    const table = page.getByTestId('refund-table');
    await expect.poll(() => table.textContent()).toContain(refund!.refundNo);
    await expect.poll(() => table.textContent()).toContain('退款成功');
    await table.getByText(refund!.refundNo).click();
    const drawer = page.getByTestId('refund-detail');
    await expect.poll(() => drawer.textContent()).toContain('¥30.00');
    await expect.poll(() => drawer.textContent()).toMatch(/平台退款单号503/);
    await expect.poll(() => drawer.textContent()).toMatch(/预计到账预计 \d{4}-\d{2}-\d{2}/);
    await expect.poll(() => page.getByTestId('refund-drawer').textContent()).toContain('钱会计 同意');
    await e.shot('51-refund-drawer');

    await page.goto(`${e.host.url}/#/orders/${orderNo}`);
    const section = page.getByTestId('order-refunds');
    await expect.poll(() => section.textContent()).toContain('退款成功');
    await expect.poll(() => section.textContent()).toContain('可退金额¥70.00');
    await expect.poll(() => page.getByTestId('order-detail').textContent()).toContain('已退款¥30.00');
  });
});
