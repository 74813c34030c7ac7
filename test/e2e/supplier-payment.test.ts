import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, shanghaiDate } from '../../src-main/core/time';
import { SYSTEM_ACTOR } from '../../src-main/services/actor';
import { ADMIN_PASSWORD } from '../support/callers';
import { SHOTS_DIR, startE2E, type E2E } from './support/harness';

const ACCOUNT = '6222021234567890123';

/** Share of dark pixels in a binary PGM (P5) image, as pdftoppm -gray writes it. */
function inkShare(pgm: Buffer): { width: number; height: number; ink: number } {
  const header = /^P5\s+(?:#.*\s+)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 100).toString('latin1'));
  if (!header) throw new Error('not a PGM file');
  const [, w, h] = header.map(Number);
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark++;
  return { width: w!, height: h!, ink: dark / pixels.length };
}

/**
 * 供应商付款 through the real UI: the finance manager records a supplier (bank account masked,
 * revealed on request) and a payable, makes a 付款单 over it and submits it; a 会计 approves it in
 * the 审批中心; the payment is sent to the simulated bank and its notification marks it paid; the
 * 付款凭证 opens, is rendered to PDF, turned into PNG, and checked for its number and 大写金额.
 */
describe('供应商付款 end to end', () => {
  let e: E2E;
  let page: Page;
  let paymentNo = '';
  let voucherNo = '';

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('caiwu', '王财务', ADMIN_PASSWORD);
    await e.app.users.create(SYSTEM_ACTOR, { username: 'kuaiji', displayName: '李会计', password: ADMIN_PASSWORD, role: 'accountant' });
  });
  afterAll(() => e?.close());

  it('records a supplier; the account is masked in the list and revealed on request', async () => {
    await page.getByTestId('side-nav').getByText('供应商', { exact: true }).click();
    await page.getByTestId('create-supplier').click();
    const form = page.getByTestId('supplier-form');
    await form.getByLabel('供应商名称').fill('鲜丰食材有限公司');
    await form.getByLabel('收款户名').fill('鲜丰食材有限公司');
    await form.getByLabel('开户银行').fill('中国工商银行');
    await form.getByLabel('开户支行').fill('杭州西湖支行');
    await form.getByLabel('银行账号').fill(ACCOUNT);
    await form.getByLabel('联系电话（付款结果短信）').fill('13812345678');
    await page.getByRole('button', { name: '保存' }).click();
    const table = page.getByTestId('supplier-table');
    await expect.poll(() => table.textContent()).toContain('622202*********0123');
    expect(await table.textContent()).not.toContain(ACCOUNT);
    await table.getByRole('button', { name: '显示完整收款账号' }).click();
    await expect.poll(() => table.textContent()).toContain(ACCOUNT);
    await e.shot('supplier-list-revealed');
    const audit = await e.app.audit.list({ action: 'sensitive.reveal' }, 1, 5);
    expect(audit.items[0]).toMatchObject({ actorName: '王财务', entityType: 'supplier' });
    expect(audit.items[0]?.after).not.toContain(ACCOUNT);
  });

  it('records payables; the overdue one is highlighted', async () => {
    const supplier = (await e.app.suppliers.list({ name: '鲜丰' }, 1, 5)).items[0]!;
    const old = shanghaiDate(e.app.clock.now() - 60 * DAY_MS);
    await e.app.suppliers.createPayable(SYSTEM_ACTOR, { supplierId: supplier.id, referenceNo: 'XF-0930', description: '9月蔬菜', amountFen: 1_200_00, invoiceDate: old });
    await page.getByTestId('side-nav').getByText('应付款', { exact: true }).click();
    await page.getByTestId('create-payable').click();
    const form = page.getByTestId('payable-form');
    await form.getByLabel('供应商').click();
    await page.locator('.ant-select-dropdown').getByText('鲜丰食材有限公司').click();
    await form.getByLabel('发票 / 单据号').fill('XF-1101');
    await form.getByLabel('应付金额（元）').fill('8765.40');
    await form.getByLabel('摘要').fill('11月蔬菜、肉类');
    await form.getByLabel('发票日期').fill(shanghaiDate(e.app.clock.now()));
    // Enter picks the date and, the dialog being one form, submits it (keyboard first, as accountants work).
    await form.getByLabel('发票日期').press('Enter');
    const table = page.getByTestId('payable-table');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await table.locator('tr[data-overdue="true"]').textContent()).toContain('XF-0930');
    await expect.poll(() => page.getByTestId('overdue-payables').textContent()).toContain('1 笔应付款已逾期');
    expect(await table.textContent()).toContain('30 天后到期');
    await e.shot('payables-overdue');
  });

  it('makes a 付款单 over the payable and submits it for approval', async () => {
    await page.getByTestId('side-nav').getByText('付款单', { exact: true }).click();
    await page.getByTestId('create-payment').click();
    const modal = page.locator('.ant-modal', { hasText: '新建付款单' });
    await modal.getByTestId('payment-supplier').click();
    await page.locator('.ant-select-dropdown').getByText('鲜丰食材有限公司').click();
    await modal.locator('tr', { hasText: 'XF-1101' }).locator('input[type=checkbox]').check();
    await modal.getByTestId('payment-purpose').fill('11月蔬菜货款');
    await expect.poll(() => modal.getByTestId('payment-total').textContent()).toBe('¥8,765.40');
    await e.shot('payment-create');
    await modal.getByRole('button', { name: '保存草稿' }).click();
    await page.getByTestId('submit-payment').waitFor();
    paymentNo = /付款单 (S\d{20})/.exec((await page.locator('h4').first().textContent()) ?? '')?.[1] ?? '';
    expect(paymentNo).toMatch(/^S\d{20}$/);
    await page.getByTestId('submit-payment').click();
    await page.getByRole('button', { name: /^确\s*定$/ }).click();
    await expect.poll(() => page.getByText('审批中', { exact: true }).count()).toBeGreaterThan(0);
    await e.shot('payment-pending-approval');
  });

  it('a 会计 approves it in the 审批中心', async () => {
    const acc = await e.newPage();
    const form = acc.getByTestId('login-form');
    await form.getByLabel('用户名').fill('kuaiji');
    await form.getByLabel('密码').fill(ADMIN_PASSWORD);
    await acc.getByRole('button', { name: '登录', exact: true }).click();
    await acc.getByTestId('current-user').waitFor();
    await acc.getByTestId('side-nav').getByText('审批中心').click();
    await acc.getByText(paymentNo, { exact: false }).first().click();
    const detail = acc.getByTestId('approval-detail');
    await expect.poll(() => detail.getByTestId('approval-subject').textContent()).toContain('622202*********0123');
    await detail.getByTestId('approve').click();
    await acc.getByTestId('decision-ok').click();
    await expect.poll(async () => (await e.app.supplierPayments.get(paymentNo)).payment.status).toBe('approved');
    await e.shot('payment-approved-by-accountant', acc);
  });

  it('pays it by bank transfer on the simulator; the notification marks it paid and the payables follow', async () => {
    await page.reload();
    await page.getByTestId('execute-payment').click();
    await page.getByRole('button', { name: /^确\s*定$/ }).click();
    await expect.poll(() => page.getByText('付款中', { exact: true }).count()).toBeGreaterThan(0);
    await expect.poll(async () => (await e.app.supplierPayments.get(paymentNo)).payment.status, { timeout: 20_000, interval: 500 }).toBe('success');
    await page.reload();
    await expect.poll(() => page.getByTestId('open-voucher').count()).toBe(1);
    expect(await page.textContent('body')).toContain('已付清');
    await e.shot('payment-success');
  });

  it('opens the voucher, renders it to PDF and checks the PDF and its PNG', async () => {
    await page.getByTestId('open-voucher').click();
    const sheet = page.getByTestId('voucher-sheet');
    await expect.poll(() => sheet.textContent()).toContain('捌仟柒佰陆拾伍元肆角整');
    voucherNo = (await sheet.getByTestId('voucher-no').textContent()) ?? '';
    expect(voucherNo).toMatch(/^FK\d{4}-\d{6}$/);
    expect(await sheet.getByTestId('voucher-account').textContent()).toBe('622202*********0123');
    expect(await sheet.textContent()).toContain('李会计');
    expect(await sheet.textContent()).not.toContain(ACCOUNT);
    await e.shot('payment-voucher');

    const pdf = join(SHOTS_DIR, 'payment-voucher.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
    expect(text).toContain(voucherNo);
    expect(text.replace(/\s+/g, '')).toContain('捌仟柒佰陆拾伍元肆角整');
    expect(text).toContain('付');
    // One A5 landscape page: 210 × 148 mm is 595 × 420 pt.
    const info = execFileSync('pdfinfo', [pdf]).toString('utf8');
    expect(info).toMatch(/Pages:\s+1\b/);
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 4(19|20)(\.\d+)? pts/);

    const base = join(SHOTS_DIR, 'payment-voucher-pdf');
    execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', pdf, base]);
    const png = readFileSync(`${base}.png`);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    // 100 dpi A5 landscape ≈ 827 × 583 px.
    expect(width).toBeGreaterThan(800);
    expect(width).toBeLessThan(850);
    expect(height).toBeGreaterThan(560);
    expect(height).toBeLessThan(600);
    expect(statSync(`${base}.png`).size).toBeGreaterThan(20_000);
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-singlefile', pdf, base]);
    const { ink } = inkShare(readFileSync(`${base}.pgm`));
    // Text and table rules, not an empty page and not a black one.
    expect(ink).toBeGreaterThan(0.01);
    expect(ink).toBeLessThan(0.4);
  });

  it('fits a 1280 × 720 window: no list scrolls sideways, and every navigation entry is reachable above the collapse button', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    try {
      const nav = page.getByTestId('side-nav');
      const lists: [entry: string, table: string][] = [
        ['应付款', 'payable-table'],
        ['付款单', 'payment-table'],
        ['供应商', 'supplier-table'],
        ['付款凭证', 'voucher-table'],
        ['审批中心', 'approvals-table'],
      ];
      for (const [entry, testId] of lists) {
        await nav.getByText(entry, { exact: true }).click();
        if (entry === '审批中心') await page.getByTestId('approval-tabs').getByRole('tab', { name: '全部' }).click();
        const table = page.getByTestId(testId);
        await table.locator('tbody tr.ant-table-row').first().waitFor();
        await expect.poll(() => table.locator('.ant-spin-spinning').count()).toBe(0);
        // The last column (状态, 操作, 制单…) is on screen without scrolling the table sideways.
        const overflow = await table.locator('.ant-table-content').evaluate((el) => el.scrollWidth - el.clientWidth);
        expect(overflow, `${entry} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(1);
        await e.shot(`supplier-1280-${testId}`);
      }
      const trigger = nav.getByRole('button', { name: '收起导航' });
      const pinned = (await trigger.boundingBox())!;
      expect(pinned.y + pinned.height).toBeLessThanOrEqual(720);
      for (const last of ['审计日志', '支付渠道配置']) {
        const item = nav.getByRole('menuitem', { name: last });
        await item.scrollIntoViewIfNeeded();
        const box = (await item.boundingBox())!;
        expect(box.y + box.height, `${last} is under the collapse button`).toBeLessThanOrEqual(pinned.y + 1);
      }
      await nav.getByRole('menuitem', { name: '支付渠道配置' }).click();
      await page.waitForURL(/#\/channels$/);
      await e.shot('supplier-1280-navigation-bottom');
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});
