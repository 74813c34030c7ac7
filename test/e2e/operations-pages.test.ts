import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src-main/services/actor';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

/**
 * 系统日志, 告警 and 通知记录 through the real UI: a paid order's "支付成功" message, a burst of
 * rejected notifications that raises an alert (badge in the header, acknowledged on 告警), and the
 * logs of it all, filtered by level and order number, with no secret on screen.
 */
describe('operations pages end to end', () => {
  let e: E2E;
  let page: Page;
  let orderNo = '';

  beforeAll(async () => {
    e = await startE2E('sqlite');
    page = e.page;
    const form = page.getByTestId('setup-form');
    await form.getByLabel('用户名').fill('admin');
    await form.getByLabel('姓名').fill('系统管理员');
    await form.getByLabel('密码', { exact: true }).fill(ADMIN_PASSWORD);
    await form.getByLabel('确认密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    await page.getByTestId('current-user').filter({ hasText: '系统管理员' }).waitFor();

    const { app } = e;
    const o = await app.orders.create(SYSTEM_ACTOR, { amountFen: 38_800, method: 'wechat', type: 'supplier_payment', relatedId: 'S-17', description: '蔬菜采购', payerId: '13812345678' });
    orderNo = o.orderNo;
    await app.orders.confirmPayment(SYSTEM_ACTOR, { orderNo, amountFen: 38_800, gatewayTradeNo: '4200001234202611261234567890', paidAt: app.clock.now() });
    await app.notifications.enqueueNow({ channel: 'email', recipient: 'finance@example.cn', templateCode: 'meal_bill_reminder', params: { billNo: 'B20261126001', amount: '256.00', dueAt: '2026-11-27 12:00' } });
    await app.operations.dispatcher.runOnce();
    await app.notifications.enqueueNow({ channel: 'sms', recipient: '13900001111', templateCode: 'meal_bill_reminder', params: { billNo: 'B20261126002', amount: '88.00', dueAt: '2026-11-27 18:00' } });
    const log = app.operations.logger;
    for (let i = 0; i < 6; i++) log.info('payment', 'notify.applied', 'wechat 支付通知：applied', { orderNo, fields: { platform: 'wechat', outcome: 'applied' } });
    for (let i = 0; i < 6; i++) log.warn('payment', 'notify.rejected', '拒绝了 alipay 的支付通知：签名验证失败', { fields: { platform: 'alipay', sign: 'QmFzZTY0U2lnbmF0dXJl', reason: 'bad_signature' } });
    log.error('error', 'gateway.error', '调用 bank 接口失败（queryPayment）：连接超时 card 6222021234567890123', { orderNo, fields: { platform: 'bank', apiKey: 'sk-live-123' } });
    await app.alerts.evaluate();
  });
  afterAll(() => e?.close());

  it('系统日志: counts per level, filters, redacted content', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('alert-badge').locator('.ant-badge-count').getAttribute('title')).toBe('1');
    await page.getByTestId('side-nav').getByText('系统日志').click();
    await expect.poll(() => page.getByTestId('log-levels').textContent()).toContain('错误');
    const table = page.getByTestId('logs-table');
    await expect.poll(() => table.textContent()).toContain('622202*********0123');
    expect(await table.textContent()).not.toContain('6222021234567890123');
    await e.shot('ops-logs');
    await page.getByTestId('log-levels').getByText('警告').click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(6);
    await page.getByTestId('log-filters').getByLabel('订单号').fill(orderNo);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('log-levels').getByText('全部').click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(6);
    await e.shot('ops-logs-order');
  });

  it('告警: the header badge leads to the open alert, which is acknowledged', async () => {
    await page.getByTestId('alert-badge').click();
    const table = page.getByTestId('alerts-table');
    await expect.poll(() => table.textContent()).toContain('回调通知拒绝率过高');
    await e.shot('ops-alerts');
    await table.getByRole('button', { name: '确认' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确认' }).click();
    await expect.poll(() => table.textContent()).toContain('没有未确认的告警');
    await page.getByTestId('alerts-state').getByText('全部').click();
    await expect.poll(() => table.textContent()).toContain('系统管理员');
    await e.shot('ops-alerts-acknowledged');
  });

  it('通知记录: masked recipients and sending states', async () => {
    await page.getByTestId('side-nav').getByText('通知记录').click();
    const table = page.getByTestId('notifications-table');
    await expect.poll(() => table.textContent()).toContain('138****5678');
    const text = (await table.textContent()) ?? '';
    expect(text).not.toContain('13812345678');
    expect(text).toContain('f***@example.cn');
    expect(text).toContain('已发送');
    expect(text).toContain('待发送');
    await e.shot('ops-notifications');
  });
});
