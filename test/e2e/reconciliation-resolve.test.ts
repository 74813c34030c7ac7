import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghai, shanghaiDate } from '../../src-main/core/time';
import { billLines } from '../../src-main/gateways/simulator/wechat-sim-bill';
import type { WechatPlatform } from '../../src-main/gateways/simulator/wechat-platform';
import { writeTradeBill, type TradeBillLine } from '../../src-main/gateways/wechat/wechat-bill';
import { MONEY_FORMAT } from '../../src-main/services/reconciliation/recon-report-excel';
import { ADMIN_PASSWORD } from '../support/callers';
import { addLocal } from '../integration/reconciliation/recon-world';
import { SHOTS_DIR, startE2E, type E2E } from './support/harness';

/** Share of dark pixels in a binary PGM (P5) image, as pdftoppm -gray writes it. */
function inkShare(pgm: Buffer): number {
  const header = /^P5\s+(?:#.*\s+)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 100).toString('latin1'));
  if (!header) throw new Error('not a PGM file');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark++;
  return dark / pixels.length;
}

const UNKNOWN = 'P20990101000000009999';
const DUP = 'P20990102000000000001';
const RFO = 'P20990102000000000002';
const RF1 = 'R20990102000000000001';

/**
 * 对账 of one day end to end, as the accountant works it: five orders paid on the simulated WeChat
 * Pay (one whose notification never reached us), a payment recorded twice here, a refund whose
 * fee we booked differently and twenty payments the platform does not know (more than a page of the
 * table); the day's bill from the simulator with a difference of every type
 * injected. The run is imported in the workbench, all differences are assigned in one bulk action
 * ("all matching the filter"), each type is resolved with the action that fits it — 调账 for an
 * amount, 重新查询 then 以平台记录为准 for a status, 以平台记录为准 for a 漏单 (a 支付异常 for
 * refund) and a fee, 以本地记录为准 with a reason, 重复付款退款 into approval, a bulk 以本地记录为准
 * for our own duplicate — then the day's Excel report is downloaded and read back, and the printable
 * report is rendered to PDF and checked; the weekly report opens from the run list.
 */
describe('对账: resolve a difference of each type, bulk actions, reports', () => {
  let e: E2E;
  let page: Page;
  let date = '';
  let billPath = '';
  let feeFen = 0;
  let runUrl = '';
  const o: Record<'A' | 'B' | 'C' | 'D' | 'S', string> = { A: '', B: '', C: '', D: '', S: '' };

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('zhao', '赵会计', ADMIN_PASSWORD);
    const clerk = { id: null, name: '测试' };
    const wx = e.sandbox.simulator.get('wechat') as WechatPlatform;
    for (const [name, amountFen] of [['A', 100_00], ['B', 250_00], ['C', 88_00], ['D', 66_00], ['S', 45_00]] as const) {
      const order = await e.app.orders.create(clerk, { amountFen, method: 'wechat', type: 'customer_order', relatedId: '', description: '包间餐费', payerId: 'WX_e2e' });
      await e.app.payments.start(clerk, { orderNo: order.orderNo, scene: 'wechat_native' });
      // S: the payer pays, but the platform's notification is held back for an hour: we still think it unpaid.
      if (name === 'S') wx.core.faults.inject({ kind: 'notify_delay_ms', operation: 'pay', ms: 3_600_000 });
      await wx.pay(order.orderNo);
      o[name] = order.orderNo;
    }
    for (const no of [o.A, o.B, o.C, o.D])
      for (let i = 0; i < 150 && (await e.app.orders.get(no)).order.status !== 'paid'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await e.app.orders.get(o.S)).order.status).toBe('pending');

    // Our own books: a payment recorded twice, and a paid order with a refund whose fee we booked at ¥0.31.
    const now = Date.now();
    await addLocal(
      e.app,
      [
        { orderNo: DUP, amountFen: 30_00, status: 'success', paidAt: now - 120_000, duplicates: 1 },
        { orderNo: RFO, amountFen: 200_00, status: 'success', paidAt: now - 180_000 },
        // Twenty more of ours the platform does not know (平台无此单): more differences than a page shows.
        ...Array.from({ length: 20 }, (_, i) => ({ orderNo: `P2099010300000000${String(i).padStart(4, '0')}`, amountFen: 10_00, status: 'success', paidAt: now - 300_000 })),
      ],
      [{ refundNo: RF1, orderNo: RFO, amountFen: 50_00, feeFen: -31, state: 'success', succeededAt: now - 60_000 }],
    );

    date = shanghaiDate(now);
    const lines = billLines(wx.core, date);
    const line = (no: string) => lines.find((l) => l.outTradeNo === no)!;
    const like = (no: string, orderFen: number, at: number, id: string): TradeBillLine => ({ ...line(o.A), outTradeNo: no, transactionId: id, orderFen, time: formatShanghai(at) });
    const billed: TradeBillLine[] = [
      line(o.A),
      { ...line(o.B), orderFen: 250_10 }, // 金额差异: the platform settled ¥0.10 more
      line(o.C),
      { ...line(o.C), transactionId: `${line(o.C).transactionId.slice(0, -4)}9999` }, // 重复单（平台）: paid twice
      line(o.S), // 状态差异: paid at the platform, pending here
      like(UNKNOWN, 12_34, now - 240_000, '4200000000209901010001'), // 漏单: an order we never had
      like(DUP, 30_00, now - 120_000, '4200000000209901020001'), // 重复单（本地）: once at the platform
      like(RFO, 200_00, now - 180_000, '4200000000209901020002'),
      {
        ...like(RFO, 200_00, now - 60_000, '4200000000209901020002'),
        kind: 'refund',
        refund: { refundId: '50300000002099010200001', outRefundNo: RF1, amountFen: 50_00, status: 'SUCCESS', appliedAt: formatShanghai(now - 60_000), succeededAt: formatShanghai(now - 60_000) },
      }, // 手续费差异: the platform returned ¥0.30 of fee, we booked ¥0.31
      // D is left out: 平台无此单
    ];
    // The bill's fee per line, as WeChat computes it (wechat-bill.ts): rounded half up, negative for a refund.
    for (const l of billed) {
      const base = l.kind === 'refund' ? l.refund!.amountFen : l.orderFen;
      const fee = Math.floor((base * l.rateBp) / 10000 + 0.5);
      feeFen += l.kind === 'refund' ? -fee : fee;
    }
    billPath = join(mkdtempSync(join(tmpdir(), 'recon-resolve-')), `wechat-tradebill-${date}.csv`);
    writeFileSync(billPath, writeTradeBill('ALL', billed));
  });
  afterAll(() => e?.close());

  /** Screenshots once nothing is loading and no toast, dialog or drawer is on its way in or out. */
  const shot = async (name: string) => {
    await page.mouse.move(0, 0); // no hover tooltip in the picture
    await expect.poll(() => page.locator('.ant-spin-blur').count()).toBe(0);
    await expect.poll(() => page.locator('.ant-message-notice').count()).toBe(0);
    await expect.poll(() => page.locator('.ant-modal[class*="-active"], .ant-drawer-content-wrapper[class*="-active"]').count()).toBe(0);
    return e.shot(name);
  };
  /** The app routes in the URL's hash: moving there is what a link does, without reloading the app. */
  const go = (path: string) => page.evaluate((h) => void (window.location.hash = h), path);
  const table = () => page.getByTestId('diff-table');
  const rows = () => table().locator('.ant-table-row');

  it('imports the day’s bill: one difference of every type', async () => {
    await page.getByTestId('side-nav').getByText('对账工作台').click();
    await page.getByTestId('start-recon').click();
    const form = page.getByTestId('start-recon-form');
    await form.locator('input[type=file]').setInputFiles(billPath);
    await expect.poll(() => form.getByLabel('账单日期').inputValue()).toBe(date);
    await page.getByRole('button', { name: '导入并对账' }).click();
    const summary = page.getByTestId('recon-summary');
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toContain('已匹配');
    const text = (await summary.textContent()) ?? '';
    expect(text).toMatch(/已匹配2笔¥300\.00/);
    expect(text).toMatch(/差异27笔/);
    for (const t of ['金额差异1 笔 · ¥0.10', '状态差异1 笔 · ¥45.00', '漏单1 笔 · ¥12.34', '平台无此单21 笔 · ¥266.00', '重复单·平台1 笔 · ¥88.00', '重复单·本地1 笔 · ¥30.00', '手续费差异1 笔 · ¥0.01']) expect(text).toContain(t);
    await expect.poll(() => rows().count()).toBeGreaterThan(5);
    runUrl = new URL(page.url()).hash.slice(1);
    expect(runUrl).toMatch(/^\/reconciliation\/\d+$/);
  });

  it('bulk: ticks a page, widens the selection to all matching the filter and assigns them in one call', async () => {
    await go(`${runUrl}?pageSize=20`);
    await expect.poll(() => page.locator('.ant-pagination-item-2').count()).toBe(1);
    await table().locator('.ant-table-thead .ant-checkbox-input').check();
    const bar = page.getByTestId('bulk-bar');
    await expect.poll(() => bar.getByTestId('bulk-count').textContent()).toContain('已选择 20 条');
    await bar.getByTestId('select-all-matching').click();
    await expect.poll(() => bar.getByTestId('bulk-count').textContent()).toContain('已选择全部符合条件的 27 条');
    expect(await bar.textContent()).toMatch(/合计\s*¥441\.45/);
    await shot('70-recon-bulk-selection');
    await bar.getByTestId('bulk-assign').click();
    await page.getByRole('menuitem', { name: '分配给我' }).click();
    await expect.poll(() => page.locator('.ant-message-notice').textContent()).toContain('已分配处理人 27 条');
    await expect.poll(() => page.getByTestId('bulk-bar').count()).toBe(0);
    await expect.poll(() => table().textContent()).not.toContain('未分配');
    expect(await table().textContent()).toContain('赵会计');
    const all = await e.app.reconDiffs.list({}, 'key', 'asc', 1, 100);
    expect(all.items.map((d) => [d.assigneeName, d.status])).toEqual(Array(27).fill(['赵会计', 'in_progress']));
    expect((await e.app.audit.list({ action: 'recon.diff.assign' }, 1, 50)).total).toBe(27);
    expect((await e.app.audit.list({ action: 'recon.diff.bulk' }, 1, 5)).total).toBe(1);
    await go(runUrl);
    await expect.poll(() => page.locator('.ant-pagination-item-2').count()).toBe(0);
  });

  const search = async (text: string) => {
    const box = page.getByTestId('diff-search').locator('input');
    await box.fill(text);
    await box.press('Enter');
  };
  const open = async (key: string) => {
    await search(key);
    await expect.poll(() => rows().count()).toBe(1);
    await table().getByText(key).first().click();
    const drawer = page.getByTestId('diff-drawer');
    await expect.poll(() => drawer.getByTestId('diff-compare').count()).toBe(1);
    return drawer;
  };
  const close = async () => {
    await page.locator('.ant-drawer-close').click();
    await search('');
    await expect.poll(() => rows().count()).toBeGreaterThan(1);
  };
  const decide = async (button: string, label: string, reason: string, ok: string) => {
    const drawer = page.getByTestId('diff-drawer');
    await drawer.getByRole('button', { name: button, exact: true }).click();
    await page.getByTestId('diff-reason-form').getByLabel(label).fill(reason);
    await page.getByRole('button', { name: ok }).click();
  };

  it('resolves a difference of each type with the action that fits it', async () => {
    // 金额差异: the platform settled ¥0.10 more — an adjustment entry.
    let drawer = await open(o.B);
    await drawer.getByRole('button', { name: '调账', exact: true }).click();
    const adjust = page.getByTestId('diff-adjust-form');
    await expect.poll(() => adjust.getByLabel('金额（元）').inputValue()).toBe('0.10');
    await adjust.getByLabel('调账原因').fill('微信多结算 0.10 元，计入其他收入');
    await page.getByRole('button', { name: '确认调账' }).click();
    await expect.poll(() => drawer.getByTestId('diff-status').textContent()).toBe('已处理');
    expect(await drawer.textContent()).toContain('金额调整 ¥0.10 · 微信多结算 0.10 元');
    await close();

    // 状态差异: ask the platform again; it confirms the payment, the order becomes paid; then accept it.
    drawer = await open(o.S);
    await drawer.getByRole('button', { name: '重新查询' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '查询' }).click();
    await expect.poll(() => drawer.getByTestId('diff-notes').textContent()).toContain('重新查询支付平台 — 平台状态：paid');
    await expect.poll(async () => (await e.app.orders.get(o.S)).order.status).toBe('paid');
    await decide('以平台记录为准', '说明（为何以平台为准）', '平台已收款，通知延迟', '确认以平台为准');
    await expect.poll(() => drawer.getByTestId('diff-status').textContent()).toBe('已处理');
    expect(await drawer.textContent()).toContain('订单已按平台记录更新为已支付');
    await close();

    // 漏单: money the platform collected for an order we never had — it can only go back (支付异常, refunded through approval).
    drawer = await open(UNKNOWN);
    await decide('以平台记录为准', '说明（为何以平台为准）', '平台确有收款，本系统无此订单', '确认以平台为准');
    await expect.poll(() => drawer.getByTestId('diff-status').textContent()).toBe('已处理');
    expect(await drawer.textContent()).toContain('已登记为支付异常待退款');
    expect((await e.app.payments.exceptions('open', 1, 10)).items).toEqual([expect.objectContaining({ orderNo: UNKNOWN, amountFen: 12_34, kind: 'unknown_order' })]);
    await close();

    // 平台无此单: ours is right, with the reason on record.
    drawer = await open(o.D);
    await decide('以本地记录为准', '保留本地记录的原因', '平台次日补记，已在商户后台查到该笔', '确认保留本地');
    await expect.poll(() => drawer.getByTestId('diff-status').textContent()).toBe('已处理');
    await close();

    // 重复单（平台）: the payer paid twice — a refund of the second payment, waiting for approval.
    drawer = await open(o.C);
    await decide('重复付款退款', '退款原因（提交审批）', '客户重复扣款，原路退回', '提交退款审批');
    // Already 处理中 since the bulk assignment: wait for the decision itself.
    await expect.poll(() => drawer.textContent()).toContain('重复付款退款：客户重复扣款');
    expect(await drawer.getByTestId('diff-status').textContent()).toBe('处理中');
    const text = (await drawer.textContent()) ?? '';
    const refundNo = /退款单 (R\d{20})/.exec(text)?.[1];
    expect(refundNo).toBeTruthy();
    expect(text).toContain('已提交审批');
    const refund = await e.app.refunds.get(refundNo!);
    expect(refund.refund).toMatchObject({ state: 'pending_approval', amountFen: 88_00, source: 'exception' });
    await close();

    // 手续费差异: the platform's fee figure is taken — a fee adjustment of −¥0.01.
    drawer = await open(RF1);
    await decide('以平台记录为准', '说明（为何以平台为准）', '以微信账单手续费为准', '确认以平台为准');
    await expect.poll(() => drawer.getByTestId('diff-status').textContent()).toBe('已处理');
    expect(await drawer.textContent()).toContain('手续费调整 ¥0.01');
    await close();

    // 重复单（本地）: our own double booking — ticked from the keyboard (Space) and kept in a bulk action.
    await page.getByTestId('recon-summary').locator('button[data-type="duplicate_local"]').click();
    await expect.poll(() => rows().count()).toBe(1);
    await page.getByTestId('diff-table-wrap').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(' ');
    const bar = page.getByTestId('bulk-bar');
    await expect.poll(() => bar.getByTestId('bulk-count').textContent()).toContain('已选择 1 条');
    await bar.getByTestId('bulk-keep-local').click();
    await page.getByTestId('bulk-ask-form').getByLabel('保留本地记录的原因').fill('同一笔付款记了两次交易，已冲销多记的一笔');
    await page.getByRole('button', { name: '确认保留本地' }).click();
    await expect.poll(() => page.locator('.ant-message-notice').textContent()).toContain('已以本地记录为准 1 条');
    await expect.poll(() => rows().first().textContent()).toContain('已处理');

    await go(runUrl);
    const all = await e.app.reconDiffs.list({}, 'key', 'asc', 1, 100);
    const statusOf = (key: string) => all.items.find((d) => d.key === key)!.status;
    expect([o.A, o.B, o.S, UNKNOWN, o.D, o.C, RF1, DUP].map((k) => (all.items.some((d) => d.key === k) ? statusOf(k) : null))).toEqual([null, 'resolved', 'resolved', 'resolved', 'resolved', 'in_progress', 'resolved', 'resolved']);
    await expect.poll(() => table().textContent()).toContain('已处理');
    await shot('71-recon-resolved');
  });

  it('exports the day’s Excel report and its figures read back right', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
    expect(download.suggestedFilename()).toBe(`对账日报_微信支付_${date}.xlsx`);
    const file = join(SHOTS_DIR, 'recon-daily-report.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '差异明细']);
    const sum = wb.getWorksheet('汇总')!;
    const rowOf = (first: string) => {
      let found: unknown[] | undefined;
      sum.eachRow((r) => {
        if (!found && r.getCell(1).value === first) found = (r.values as unknown[]).slice(1);
      });
      return found!;
    };
    expect(sum.getCell('A1').value).toBe(`微信支付 对账日报（${date}）`);
    // 渠道 | 天数 | 账单笔数 | 本地笔数 | 已匹配笔数 | 已匹配金额 | 差异笔数 | 差异金额 | 平台手续费 | 收款 | 退款 | 次日核对
    const wx = rowOf('微信支付');
    expect([wx[0], wx[1], wx[2], wx[4], wx[5], wx[6], wx[7], wx[8], wx[10]]).toEqual(['微信支付', 1, 9, 2, 300, 27, 441.45, feeFen / 100, 50]);
    expect(rowOf('平台无此单（本地有、平台无）').slice(0, 7)).toEqual(['平台无此单（本地有、平台无）', 21, 266, 0, 20, 1, 0]);
    expect(rowOf('金额差异').slice(0, 7)).toEqual(['金额差异', 1, 0.1, 0, 0, 1, 0]);
    expect(rowOf('重复单（平台）').slice(0, 7)).toEqual(['重复单（平台）', 1, 88, 0, 1, 0, 0]);
    expect(rowOf('合计').slice(0, 7)).toEqual(['合计', 1, 9, expect.any(Number), 2, 300, 27]);
    let money = '';
    sum.eachRow((r) => {
      if (!money && r.getCell(1).value === '微信支付') money = String(r.getCell(8).numFmt);
    });
    expect(money).toBe(MONEY_FORMAT);

    const detail = wb.getWorksheet('差异明细')!;
    const values: unknown[][] = [];
    detail.eachRow((r) => values.push((r.values as unknown[]).slice(1)));
    const head = values[0] as string[];
    expect(values).toHaveLength(28);
    const row = (key: string) => Object.fromEntries(head.map((h, i) => [h, values.find((v) => v[5] === key)![i]]));
    expect(row(o.B)).toMatchObject({ 差异类型: '金额差异', 本地金额: 250, 平台金额: 250.1, 差异金额: 0.1, 处理状态: '已处理', 处理人: '赵会计', 处理方式: '调账' });
    expect(String(row(o.B)['调账'])).toBe('金额调整 0.10：微信多结算 0.10 元，计入其他收入');
    expect(row(o.C)).toMatchObject({ 差异类型: '重复单（平台）', 平台笔数: 2, 处理状态: '处理中', 处理方式: '重复付款退款', 退款单号: expect.stringMatching(/^R\d{20}$/) });
    expect(row(o.S)).toMatchObject({ 差异类型: '状态差异', 本地状态: expect.stringContaining('未完成'), 平台状态: expect.stringContaining('成功'), 处理方式: '以平台记录为准' });
    expect(String(row(o.S)['备注'])).toContain('重新查询支付平台');
    expect(row(DUP)).toMatchObject({ 差异类型: '重复单（本地）', 本地笔数: 2, 处理方式: '以本地记录为准', 处理说明: '同一笔付款记了两次交易，已冲销多记的一笔' });
    expect(row(RF1)).toMatchObject({ 类别: '退款', 本地手续费: -0.31, 平台手续费: -0.3, 调账: '手续费调整 0.01：以平台记录为准：以微信账单手续费为准' });
    expect(values.slice(1).every((v) => v[head.indexOf('处理人')] === '赵会计')).toBe(true);
  });

  it('renders the printable report with its chart to PDF', async () => {
    await page.getByTestId('print-report').click();
    const sheet = page.getByTestId('recon-report-sheet');
    await expect.poll(() => sheet.textContent()).toContain('差异金额最大的');
    expect(await page.getByTestId('recon-report-title').textContent()).toBe(`微信支付 对账日报（${date}）`);
    expect(await page.getByTestId('recon-report-channels').textContent()).toContain('¥441.45');
    expect(await page.getByTestId('recon-report-type-chart').locator('svg').count()).toBe(1);
    expect(await page.getByTestId('recon-report-type-chart').textContent()).toContain('1 笔 ¥88.00');
    await shot('72-recon-report');

    const pdf = join(SHOTS_DIR, 'recon-daily-report.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`微信支付对账日报（${date}）`);
    expect(flat).toContain('¥441.45');
    expect(flat).toContain('重复单（平台）');
    // The chart's own text is in the PDF as text: it was drawn as vectors, not left out or blank.
    expect(flat).toContain('1笔¥88.00');
    expect(flat).toContain(o.C);
    expect(text).not.toContain('对账工作台');
    const info = execFileSync('pdfinfo', [pdf]).toString('utf8');
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);

    const base = join(SHOTS_DIR, 'recon-daily-report-pdf');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-singlefile', pdf, base]);
    expect(statSync(`${base}.png`).size).toBeGreaterThan(20_000);
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-singlefile', pdf, base]);
    const ink = inkShare(readFileSync(`${base}.pgm`));
    expect(ink).toBeGreaterThan(0.01);
    expect(ink).toBeLessThan(0.4);
  });

  it('opens the weekly report from the run list: the days of the week, with a chart per day', async () => {
    await page.getByTestId('side-nav').getByText('对账工作台').click();
    await page.getByTestId('open-recon-report').click();
    const modal = page.getByTestId('recon-report-modal');
    await modal.getByText('对账周报').click();
    await modal.getByLabel('日期').fill(date);
    await modal.getByRole('button', { name: '打印报表' }).click();
    const sheet = page.getByTestId('recon-report-sheet');
    await expect.poll(() => sheet.textContent()).toContain('差异金额最大的');
    expect(await page.getByTestId('recon-report-title').textContent()).toMatch(/^全部渠道 对账周报（\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}）$/);
    expect(await page.getByTestId('recon-report-day-chart').locator('svg').count()).toBe(1);
    expect(await page.getByTestId('recon-report-day-chart').textContent()).toContain(date.slice(5));
    // Six days of the week were not reconciled: the report says which.
    expect(await page.getByTestId('recon-report-missing').textContent()).toMatch(/未完成对账：微信支付 6 天/);
    await shot('73-recon-weekly-report');
  });
});
