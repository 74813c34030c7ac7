import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../src-main/core/time';
import { billLines } from '../../src-main/gateways/simulator/wechat-sim-bill';
import type { WechatPlatform } from '../../src-main/gateways/simulator/wechat-platform';
import { writeTradeBill } from '../../src-main/gateways/wechat/wechat-bill';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

/**
 * 对账工作台 through the real UI: four orders paid today on the simulated WeChat Pay, the day's
 * trade bill taken from the simulator with differences injected (one amount changed, one of our
 * payments left out, a payment we never had, one payment billed twice), imported by file upload;
 * the run shows its summary and the differences, one opens beside the table with both records and
 * the differing field marked, a note is added and a difference is resolved.
 */
describe('对账工作台 end to end', () => {
  let e: E2E;
  let page: Page;
  let date = '';
  let billPath = '';
  const orders: string[] = [];

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('zhao', '赵会计', ADMIN_PASSWORD);
    const clerk = { id: null, name: '测试' };
    const wx = e.sandbox.simulator.get('wechat') as WechatPlatform;
    for (const amountFen of [100_00, 250_00, 88_00, 66_00]) {
      const o = await e.app.orders.create(clerk, { amountFen, method: 'wechat', type: 'customer_order', relatedId: '', description: '包间餐费', payerId: 'WX_e2e' });
      await e.app.payments.start(clerk, { orderNo: o.orderNo, scene: 'wechat_native' });
      await wx.pay(o.orderNo);
      orders.push(o.orderNo);
    }
    for (const no of orders)
      for (let i = 0; i < 150 && (await e.app.orders.get(no)).order.status !== 'paid'; i++) await new Promise((r) => setTimeout(r, 100));
    date = shanghaiDate(Date.now());
    const [a, b, c, d] = orders as [string, string, string, string];
    const lines = billLines(wx.core, date);
    const line = (no: string) => lines.find((l) => l.outTradeNo === no)!;
    const billed = [
      line(a),
      { ...line(b), orderFen: 250_10 }, // 金额差异: the platform settled ¥0.10 more
      line(c),
      { ...line(c), transactionId: `${line(c).transactionId.slice(0, -4)}9999` }, // 重复单（平台）: the payer paid twice
      { ...line(a), outTradeNo: 'P20990101000000009999', transactionId: '4200000000209901010001', orderFen: 12_34 }, // 漏单: not ours
      // d is left out: 平台无此单
    ];
    void d;
    billPath = join(mkdtempSync(join(tmpdir(), 'recon-e2e-')), `wechat-tradebill-${date}.csv`);
    writeFileSync(billPath, writeTradeBill('ALL', billed));
  });
  afterAll(() => e?.close());
  /** Screenshots once no table is still loading (a loading table is drawn faded) and the toasts are gone. */
  const shot = async (name: string) => {
    await expect.poll(() => page.locator('.ant-spin-blur').count()).toBe(0);
    await expect.poll(() => page.locator('.ant-message-notice').count()).toBe(0);
    await expect.poll(() => page.locator('.ant-modal[class*="-active"], .ant-drawer-content-wrapper[class*="-active"]').count()).toBe(0);
    await e.shot(name);
  };

  it('imports the day’s bill by upload and shows the summary and the differences', async () => {
    await page.getByTestId('side-nav').getByText('对账工作台').click();
    await expect.poll(() => page.getByTestId('recon-runs').textContent()).toContain('还没有对账记录');
    await page.getByTestId('start-recon').click();
    const form = page.getByTestId('start-recon-form');
    await form.locator('input[type=file]').setInputFiles(billPath);
    await expect.poll(() => form.getByTestId('bill-file-name').textContent()).toContain(`wechat-tradebill-${date}.csv`);
    await expect.poll(() => form.getByLabel('账单日期').inputValue()).toBe(date);
    await shot('60-recon-start');
    await page.getByRole('button', { name: '导入并对账' }).click();

    const summary = page.getByTestId('recon-summary');
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toContain('已匹配');
    const text = (await summary.textContent()) ?? '';
    expect(text).toMatch(/已匹配1笔¥100\.00/);
    expect(text).toMatch(/差异4笔/);
    expect(text).toContain('金额差异1 笔 · ¥0.10');
    expect(text).toContain('平台无此单1 笔 · ¥66.00');
    expect(text).toContain('漏单1 笔 · ¥12.34');
    expect(text).toContain('重复单·平台1 笔 · ¥88.00');
    const table = page.getByTestId('diff-table');
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(4);
    for (const no of [orders[1]!, orders[2]!, orders[3]!, 'P20990101000000009999']) expect(await table.textContent()).toContain(no);
    expect(await table.textContent()).toContain('¥250.10');
    await shot('61-recon-run');

    await page.getByTestId('side-nav').getByText('对账工作台').click();
    const runs = page.getByTestId('recon-runs');
    await expect.poll(() => runs.textContent()).toContain(date);
    expect(await runs.textContent()).toContain('已完成');
    expect(await runs.textContent()).toContain('¥100.00');
    await shot('62-recon-runs');
    await runs.getByText(date).click();
    await expect.poll(() => page.getByTestId('diff-table').locator('.ant-table-row').count()).toBe(4);
  });

  it('searches, opens a difference with both records, adds a note and resolves another from the keyboard', async () => {
    const table = page.getByTestId('diff-table');
    await page.getByTestId('diff-search').locator('input').fill(orders[1]!);
    await page.getByTestId('diff-search').locator('input').press('Enter');
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(1);
    await table.getByText(orders[1]!).first().click();
    const drawer = page.getByTestId('diff-drawer');
    const compare = drawer.getByTestId('diff-compare');
    await expect.poll(() => compare.textContent()).toContain('¥250.10');
    expect(await compare.textContent()).toContain('¥250.00');
    // The amount is the differing field, marked; the order number is not.
    await expect.poll(() => compare.locator('tr[data-differs="true"]').allTextContents()).toEqual([expect.stringMatching(/^金额¥250\.00¥250\.10$/)]);
    await drawer.getByRole('button', { name: '分配给我' }).click();
    await expect.poll(() => drawer.textContent()).toContain('处理人赵会计');
    await drawer.getByLabel('备注').fill('已联系微信支付客服核实，平台多结算 0.10 元');
    await drawer.getByRole('button', { name: '添加备注' }).click();
    await expect.poll(() => drawer.getByTestId('diff-notes').textContent()).toContain('已联系微信支付客服核实');
    expect(await drawer.getByTestId('diff-notes').textContent()).toContain('赵会计');
    await shot('63-recon-diff-drawer');
    await page.locator('.ant-drawer-close').click();
    await expect.poll(() => table.textContent()).toContain('赵会计');

    // Back to all differences, by amount: 88.00, 66.00, 12.34, 0.10 (the one just opened, still selected);
    // ↑ ↑ to 平台无此单, Enter opens it.
    await page.getByTestId('diff-search').locator('input').fill('');
    await page.getByTestId('diff-search').locator('input').press('Enter');
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(4);
    await page.getByTestId('diff-table-wrap').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('diff-drawer').textContent()).toContain(orders[3]!);
    const drawer2 = page.getByTestId('diff-drawer');
    expect(await drawer2.getByTestId('diff-compare').textContent()).toContain('无此记录');
    await drawer2.getByRole('button', { name: '以本地记录为准' }).click();
    const reason = page.getByTestId('diff-reason-form');
    await reason.getByLabel('保留本地记录的原因').fill('平台次日补记，已在商户后台查到该笔');
    await page.getByRole('button', { name: '确认保留本地' }).click();
    await expect.poll(() => drawer2.getByTestId('diff-status').textContent()).toBe('已处理');
    expect(await drawer2.textContent()).toContain('以本地记录为准：平台次日补记');
    await shot('64-recon-diff-resolved');
    await page.locator('.ant-drawer-close').click();
    const row = table.locator('.ant-table-row', { hasText: orders[3]! });
    await expect.poll(() => row.textContent()).toContain('已处理');
    await shot('65-recon-run-after');
  });
});
