import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountInCapitals } from '../../src-main/core/money-capitals';
import { SYSTEM_ACTOR } from '../../src-main/services/actor';
import { ADMIN_PASSWORD } from '../support/callers';
import { SHOTS_DIR, startE2E, type E2E } from './support/harness';

const PAID_FEN = 8_000_00;
const REFUND_FEN = 5_432_10;
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

/** Share of dark pixels in a binary PGM (P5) image, as pdftoppm -gray writes it. */
function inkShare(pgm: Buffer): number {
  const header = /^P5\s+(?:#.*\s+)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 100).toString('latin1'));
  if (!header) throw new Error('not a PGM file');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark++;
  return dark / pixels.length;
}

/**
 * The end-to-end refund scenario, four people at four desks: a ¥8,000 order paid on the
 * simulated WeChat Pay; the 出纳 asks for a partial refund of ¥5,432.10 on the order page (over
 * ¥5,000: the default rules want 会计 → 审批人); in the 审批中心 the 出纳 is told they cannot
 * approve their own request; the 会计 approves level 1 and the 审批人 level 2, each in their own
 * session; the executor sends it to WeChat Pay and the REFUND.SUCCESS callback finishes it; the order
 * shows what was refunded and what is left, 交易记录 the refund transaction; the 退款凭证 opens from
 * the refund and is rendered to PDF, turned into PNG and read back.
 */
describe('退款审批 end to end (two levels, four users)', () => {
  let e: E2E;
  let cashier: Page;
  let orderNo = '';
  let refundNo = '';
  let approvalId = 0;
  let voucherNo = '';

  const signIn = async (username: string): Promise<Page> => {
    const page = await e.newPage();
    const form = page.getByTestId('login-form');
    await form.getByLabel('用户名').fill(username);
    await form.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('current-user').waitFor();
    return page;
  };
  /** Opens the refund's approval in the 审批中心 from the navigation, as each person would. */
  const openApproval = async (page: Page, tab: RegExp) => {
    await page.getByTestId('side-nav').getByText('审批中心').click();
    await page.getByTestId('approval-tabs').getByRole('tab', { name: tab }).click();
    await page.getByTestId(`approval-link-${approvalId}`).click();
    const detail = page.getByTestId('approval-detail');
    await expect.poll(() => detail.getByTestId('approval-subject').textContent()).toContain(refundNo);
    return detail;
  };
  const approveHere = async (page: Page, reason: string) => {
    const detail = page.getByTestId('approval-detail');
    await detail.getByTestId('approve').click();
    await page.getByTestId('decision-reason').fill(reason);
    await page.getByTestId('decision-ok').click();
  };

  beforeAll(async () => {
    e = await startE2E();
    await e.signInAsAdmin('admin', '周主管', ADMIN_PASSWORD);
    // The staff, created through the app's user service as the 用户管理 page does.
    await e.app.users.create(SYSTEM_ACTOR, { username: 'chuna', displayName: '王出纳', password: ADMIN_PASSWORD, role: 'cashier' });
    await e.app.users.create(SYSTEM_ACTOR, { username: 'kuaiji', displayName: '李会计', password: ADMIN_PASSWORD, role: 'accountant' });
    await e.app.users.create(SYSTEM_ACTOR, { username: 'shenpi', displayName: '陈经理', password: ADMIN_PASSWORD, role: 'approver' });
    // The administrator lets 出纳 follow their requests in the 审批中心 (deciding still needs approval:refund and the level's role).
    const admin = (await e.app.users.list()).find((u) => u.username === 'admin')!;
    const cashierRole = (await e.app.users.roles()).find((r) => r.code === 'cashier')!;
    await e.app.users.updatePermissions({ id: admin.id, name: admin.displayName }, [{ code: 'cashier', version: cashierRole.version, permissions: [...cashierRole.permissions, 'approval:view'] }]);

    const clerk = { id: null, name: '测试' };
    const o = await e.app.orders.create(clerk, { amountFen: PAID_FEN, method: 'wechat', type: 'customer_order', relatedId: '', description: '婚宴定金', payerId: OPENID });
    orderNo = o.orderNo;
    await e.app.payments.start(clerk, { orderNo, scene: 'wechat_native' });
    await e.sandbox.simulator.get('wechat').pay(orderNo);
    for (let i = 0; i < 150 && (await e.app.orders.get(orderNo)).order.status !== 'paid'; i++) await new Promise((r) => setTimeout(r, 100));
    cashier = await signIn('chuna');
  });
  afterAll(() => e?.close());

  it('the 出纳 asks for a partial refund of ¥5,432.10 on the order page', async () => {
    await cashier.goto(`${e.host.url}/#/orders/${orderNo}`);
    await cashier.getByTestId('request-refund').click();
    const form = cashier.getByTestId('request-refund-form');
    await expect.poll(() => form.getByLabel('退款金额（元）').inputValue()).toBe('8000.00');
    await form.getByLabel('退款金额（元）').fill('5432.10');
    await form.getByLabel('退款原因').fill('婚宴减少六桌');
    await e.shot('60-refund-request-form', cashier);
    await cashier.getByRole('button', { name: '提交审批' }).click();
    const section = cashier.getByTestId('order-refunds');
    await expect.poll(() => section.textContent()).toContain('待审批');
    const [refund] = (await e.app.refunds.forOrder(orderNo)).refunds;
    refundNo = refund!.refundNo;
    expect(refund).toMatchObject({ amountFen: REFUND_FEN, requestedByName: '王出纳', state: 'pending_approval' });
    const req = await e.app.store.read((tx) => tx.approvals.latestOf('refund', refundNo));
    approvalId = req!.id;
    expect(req!.levels).toEqual(['accountant', 'approver']);
    // ¥5,432.10 is held: only ¥2,567.90 may still be asked for.
    await expect.poll(() => section.textContent()).toContain('可退金额¥2,567.90');
    await e.shot('61-refund-requested', cashier);
  });

  it('the requester sees in the 审批中心 that they cannot approve their own request', async () => {
    const detail = await openApproval(cashier, /我发起的/);
    await expect.poll(() => detail.getByTestId('cannot-decide').textContent()).toContain('申请人不能审批自己提交的申请');
    expect(await detail.getByTestId('approve').count()).toBe(0);
    expect(await detail.getByTestId('approval-amount').textContent()).toBe('¥5,432.10');
    await e.shot('62-requester-cannot-approve', cashier);
  });

  it('the 会计 approves level 1 in the 审批中心; the request waits for the 审批人', async () => {
    const acc = await signIn('kuaiji');
    const detail = await openApproval(acc, /待我审批/);
    await expect.poll(() => detail.getByTestId('approval-subject').textContent()).toContain('婚宴减少六桌');
    await e.shot('63-accountant-before-approve', acc);
    await approveHere(acc, '订单已核对');
    const steps = detail.getByTestId('approval-steps');
    await expect.poll(() => steps.textContent()).toContain('李会计');
    await expect.poll(async () => (await e.app.store.read((tx) => tx.approvals.latestOf('refund', refundNo)))?.currentLevel).toBe(2);
    expect((await e.app.refunds.get(refundNo)).refund.state).toBe('pending_approval');
    await e.shot('64-accountant-approved-level-1', acc);
  });

  it('the 审批人 approves level 2; the refund goes to processing', async () => {
    const approver = await signIn('shenpi');
    const detail = await openApproval(approver, /待我审批/);
    await expect.poll(() => detail.getByTestId('approval-steps').textContent()).toContain('李会计');
    await approveHere(approver, '同意退款');
    await expect.poll(async () => (await e.app.refunds.get(refundNo)).refund.state).toBe('processing');
    await expect.poll(() => detail.getByTestId('approval-steps').textContent()).toContain('陈经理');
    await e.shot('65-approver-approved-level-2', approver);
  });

  it('the executor sends it to WeChat Pay; the REFUND.SUCCESS callback marks it succeeded and issues its voucher', async () => {
    await e.app.refunds.sendApproved();
    await expect.poll(async () => (await e.app.refunds.get(refundNo)).refund.state, { timeout: 20_000, interval: 250 }).toBe('success');
    const detail = await e.app.refunds.get(refundNo);
    expect(detail.history.map((h) => h.action)).toContain('refund.succeed');
    expect(detail.refund.platformRefundNo).toBeTruthy();
    voucherNo = detail.voucherNo ?? '';
    expect(voucherNo).toMatch(/^FK\d{4}-\d{6}$/);
  });

  it('the order shows what was refunded and what is left; 交易记录 lists the refund transaction', async () => {
    await cashier.goto(`${e.host.url}/#/orders/${orderNo}`);
    const section = cashier.getByTestId('order-refunds');
    await expect.poll(() => section.textContent()).toContain('退款成功');
    await expect.poll(() => section.textContent()).toContain('可退金额¥2,567.90');
    await expect.poll(() => cashier.getByTestId('order-detail').textContent()).toContain('已退款¥5,432.10');
    await e.shot('66-order-partially-refunded', cashier);

    await cashier.getByTestId('side-nav').getByText('交易记录').click();
    const table = cashier.getByTestId('transaction-table');
    const rows = table.locator('tr.ant-table-row', { hasText: orderNo });
    await expect.poll(() => rows.count()).toBe(2);
    const refundRow = table.locator('tr.ant-table-row', { hasText: '¥5,432.10' });
    await expect.poll(() => refundRow.textContent()).toContain('退款');
    expect(await refundRow.textContent()).toContain(orderNo);
    await e.shot('67-transactions-with-refund', cashier);
  });

  it('退款管理 shows the refund with its voucher; the 退款凭证 prints as a one-page PDF that reads right', async () => {
    await cashier.goto(`${e.host.url}/#/refunds?refundNo=${refundNo}&detail=${refundNo}`);
    const drawer = cashier.getByTestId('refund-drawer');
    await expect.poll(() => drawer.getByTestId('refund-detail').textContent()).toContain('退款成功');
    await expect.poll(() => drawer.textContent()).toContain('陈经理 同意');
    // The drawer holds its content: nothing sticks out on the right at 1440 × 900.
    const fits = await cashier.evaluate(() => {
      const body = document.querySelector('[data-testid="refund-drawer"] .ant-drawer-body') ?? document.querySelector('.ant-drawer-body');
      return body ? body.scrollWidth <= body.clientWidth + 1 : false;
    });
    expect(fits).toBe(true);
    await e.shot('68-refund-drawer-with-voucher', cashier);

    await drawer.getByTestId('refund-voucher').click();
    const sheet = cashier.getByTestId('voucher-sheet');
    await expect.poll(() => sheet.getByTestId('voucher-no').textContent()).toBe(voucherNo);
    const capitals = amountInCapitals(REFUND_FEN);
    expect(capitals).toBe('伍仟肆佰叁拾贰元壹角整');
    expect(await sheet.getByTestId('voucher-title').textContent()).toBe('退款凭证');
    const text = (await sheet.textContent()) ?? '';
    expect(text).toContain('业务类型：退款');
    expect(text).toContain(`退款单号：${refundNo}`);
    expect(await sheet.getByTestId('voucher-order').textContent()).toBe(orderNo);
    expect(await sheet.getByTestId('voucher-capitals').textContent()).toContain(capitals);
    expect(text).toContain('原路退回（微信支付）');
    expect(text).toContain('李会计');
    expect(text).toContain('陈经理');
    expect(text).toContain('制单：王出纳');
    expect(await sheet.getByTestId('voucher-account').textContent()).toBe(`oUp${'*'.repeat(OPENID.length - 7)}eS6o`);
    expect(text).not.toContain(OPENID);
    await e.shot('69-refund-voucher', cashier);

    const pdf = join(SHOTS_DIR, 'refund-voucher.pdf');
    await cashier.emulateMedia({ media: 'print' });
    await cashier.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await cashier.emulateMedia({ media: 'screen' });
    const pdfText = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
    const flat = pdfText.replace(/\s+/g, '');
    expect(pdfText).toContain(voucherNo);
    // The title is letter-spaced on paper: 退 款 凭 证.
    expect(flat).toContain('退款凭证');
    expect(flat).toContain(capitals);
    expect(flat).toContain(orderNo);
    expect(flat).not.toContain(OPENID);
    // One A5 landscape page (210 × 148 mm = 595 × 420 pt): nothing else under <body> adds a blank page.
    const info = execFileSync('pdfinfo', [pdf]).toString('utf8');
    expect(info).toMatch(/Pages:\s+1\b/);
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 4(19|20)(\.\d+)? pts/);

    const base = join(SHOTS_DIR, 'refund-voucher-pdf');
    execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', pdf, base]);
    const png = readFileSync(`${base}.png`);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThan(800);
    expect(statSync(`${base}.png`).size).toBeGreaterThan(20_000);
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-singlefile', pdf, base]);
    const ink = inkShare(readFileSync(`${base}.pgm`));
    expect(ink).toBeGreaterThan(0.01);
    expect(ink).toBeLessThan(0.4);
  });

  it('付款凭证 lists the refund voucher and filters by kind', async () => {
    await cashier.getByTestId('side-nav').getByText('付款凭证').click();
    const table = cashier.locator('.ant-table');
    await expect.poll(() => table.textContent()).toContain(voucherNo);
    await cashier.getByTestId('voucher-kind').click();
    await cashier.locator('.ant-select-dropdown').getByText('供应商付款', { exact: true }).click();
    await expect.poll(() => table.locator('tr.ant-table-row').count()).toBe(0);
    await cashier.getByTestId('voucher-kind').click();
    await cashier.locator('.ant-select-dropdown').getByText('退款', { exact: true }).click();
    await expect.poll(() => table.textContent()).toContain(voucherNo);
    expect(await table.textContent()).toContain(refundNo);
    await e.shot('70-vouchers-refund-kind', cashier);
  });
});
