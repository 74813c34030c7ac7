import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghai } from '../../src-main/core/time';
import { SYSTEM_ACTOR } from '../../src-main/services/actor';
import { ADMIN_PASSWORD } from '../support/callers';
import { SHOTS_DIR, startE2E, type E2E } from './support/harness';

const HEADER = ['收款人姓名', '收款方式', '收款账号', '开户银行', '金额（元）', '备注'];
const OPENID_LI = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS7x';
const OPENID_LIU = 'oUpF8uPwK3xQ7mZ2bN5vR8tY1aLc';
/** The month's salaries: 李娜's name is misspelt (李那), so WeChat's real-name check fails her transfer. */
const ROWS: (string | number)[][] = [
  ['张伟', '银行转账', '6222021234567890123', '中国工商银行杭州西湖支行', 8500, '2026年11月工资'],
  ['李那', '微信转账', OPENID_LI, '', 6200.5, '2026年11月工资'],
  ['王芳', '支付宝转账', 'wangfang@example.com', '', 7300, '2026年11月工资'],
  ['刘洋', '微信转账', OPENID_LIU, '', 5800, '2026年11月工资'],
  ['陈静', '银行转账', '6217001234567890', '中国建设银行杭州分行', 9100.25, '2026年11月工资'],
  ['杨磊', '支付宝转账', '13912345678', '', 4999.99, '2026年11月工资'],
];
const TOTAL = '¥41,900.74';

async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('收款明细');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  ws.getColumn(3).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csvOf = (rows: (string | number)[][]) => `\uFEFF${[HEADER, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;

/** Drops a file on an antd Upload.Dragger the way a file manager does (a DataTransfer on the drop event). */
async function dropFile(page: Page, input: ReturnType<Page['getByTestId']>, name: string, bytes: Buffer, type: string) {
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name, type }) => {
      const bin = atob(b64);
      const arr = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([arr], name, { type }));
      return dt;
    },
    { b64: bytes.toString('base64'), name, type },
  );
  const zone = input.locator('xpath=..');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/**
 * 批量付款 through the real UI against the simulated platforms: a salary file with a wrong row is
 * dropped and refused row by row, the corrected file creates the draft; a typed batch shows a row
 * error and a duplicate payee to confirm, and is cancelled; the salary batch is submitted, the maker
 * may not approve it, a 会计 and an 审批人 do; it runs with live progress, is paused (the rest is held)
 * and resumed; WeChat's payee confirmation is shown; one payee fails WeChat's real-name check, is
 * corrected in 失败明细 and re-sent through approval; the Excel report is read back and the printable
 * report rendered to PDF.
 */
describe('批量付款 end to end', () => {
  let e: E2E;
  let page: Page;
  let batchNo = '';

  const signIn = async (username: string): Promise<Page> => {
    const p = await e.newPage();
    const form = p.getByTestId('login-form');
    await form.getByLabel('用户名').fill(username);
    await form.getByLabel('密码').fill(ADMIN_PASSWORD);
    await p.getByRole('button', { name: '登录', exact: true }).click();
    await p.getByTestId('current-user').waitFor();
    return p;
  };
  const confirmOk = (p: Page) => p.locator('.ant-modal-confirm').getByTestId('confirm-ok').click();
  /** The batch's status as its page shows it (the tag beside the title). */
  const status = (p: Page) => p.getByTestId('batch-status').first().getAttribute('data-status');
  const progress = () => e.app.batches.progress(batchNo);

  /** Approves one request in the 审批中心 as `username` (a fresh session, as at another desk). */
  const approveAs = async (username: string, subject: string, shot: string) => {
    const p = await signIn(username);
    await p.getByTestId('side-nav').getByText('审批中心').click();
    await p.getByTestId('approvals-table').getByText(subject, { exact: false }).first().click();
    const detail = p.getByTestId('approval-detail');
    await detail.getByTestId('approve').click();
    await p.getByTestId('decision-ok').click();
    await expect.poll(() => detail.getByTestId('approval-history').textContent()).toContain('同意');
    await e.shot(shot, p);
    await p.context().close();
  };

  beforeAll(async () => {
    e = await startE2E('sqlite');
    page = e.page;
    await e.signInAsAdmin('caiwu', '王财务', ADMIN_PASSWORD);
    await e.app.users.create(SYSTEM_ACTOR, { username: 'kuaiji', displayName: '李会计', password: ADMIN_PASSWORD, role: 'accountant' });
    await e.app.users.create(SYSTEM_ACTOR, { username: 'shenpi', displayName: '赵审批', password: ADMIN_PASSWORD, role: 'approver' });
    // One transfer every two seconds: slow enough to watch (and to pause) a six-item batch.
    const s = await e.app.batches.settings();
    await e.app.batches.updateSettings(SYSTEM_ACTOR, { ratePerSecond: 0.5, financeRecipients: ['13900001111'], confirmWindowHours: 24 }, s.version);
  }, 60_000);
  afterAll(() => e?.close());

  it('shows the empty list with the way to start', async () => {
    await page.getByTestId('side-nav').getByText('批量付款', { exact: true }).click();
    await expect.poll(() => page.getByTestId('batch-table').textContent()).toContain('暂无批量付款任务');
    await e.shot('batch-list-empty');
  });

  it('a dropped salary file with a wrong row is refused row by row, and nothing is created', async () => {
    await page.getByTestId('create-batch').click();
    await page.waitForURL(/#\/batches\/new$/);
    await page.getByTestId('batch-header').getByLabel('任务名称').fill('2026年11月工资');
    const bad = ROWS.map((r) => [...r]);
    bad[4] = ['陈静', '银行转账', '6217001234567890', '', '9100.255', '2026年11月工资'];
    await dropFile(page, page.getByTestId('batch-file'), '11月工资.xlsx', await xlsxOf(bad), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const errors = page.getByTestId('import-errors');
    await expect.poll(() => errors.textContent()).toContain('第 6 行');
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('开户银行');
    expect(text).toContain('银行转账需填写开户银行');
    expect(text).toContain('金额');
    expect(await errors.locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await page.getByTestId('import-errors-summary').textContent()).toContain('有 2 处错误，未创建批量任务');
    // Every row with its verdict: five pass, row 6 must be fixed (its amount shown as written).
    const preview = page.getByTestId('import-preview');
    expect(await preview.locator('tr[data-result="ok"]').count()).toBe(5);
    expect(await preview.locator('tr[data-result="error"]').textContent()).toContain('9100.255');
    expect(await page.getByTestId('create-from-file').isDisabled()).toBe(true);
    expect((await e.app.batches.list({}, 1, 10)).total).toBe(0);
    await e.shot('batch-import-errors');
  });

  it('the corrected file (CSV, picked) passes every row and creates the draft', async () => {
    const file = join(SHOTS_DIR, '11月工资-改正.csv');
    writeFileSync(file, csvOf(ROWS));
    await page.getByTestId('batch-file').setInputFiles(file);
    const ok = page.getByTestId('import-ok-summary');
    await expect.poll(() => ok.textContent()).toContain(`共 6 行全部通过校验，合计 ${TOTAL}`);
    expect(await ok.textContent()).toContain('银行转账 2 笔 ¥17,600.25');
    expect(await page.getByTestId('import-errors').count()).toBe(0);
    expect(await page.getByTestId('import-preview').locator('tr[data-result="ok"]').count()).toBe(6);
    expect(await page.getByTestId('import-preview').textContent()).toContain('oUp*********************eS7x');
    await e.shot('batch-import-ok');
    await page.getByTestId('create-from-file').click();
    await page.waitForURL(/#\/batches\/B\d{20}$/);
    batchNo = /B\d{20}/.exec(page.url())![0];
    await expect.poll(() => status(page)).toBe('draft');
    expect(await page.getByTestId('batch-summary').textContent()).toContain('6 笔 · ' + TOTAL);
    expect(await page.getByTestId('batch-summary').textContent()).toContain('来源文件导入');
    const items = page.getByTestId('item-table');
    await expect.poll(() => items.textContent()).toContain('622202*********0123');
    expect(await items.textContent()).not.toContain('6222021234567890123');
    await e.shot('batch-draft');
  });

  it('typed lines: a row error and a duplicate payee are shown on their lines; confirmed, created, then cancelled', async () => {
    await page.goto(`${e.host.url}/#/batches/new`);
    await page.getByTestId('batch-header').getByLabel('任务名称').fill('补发 11 月加班费');
    await page.getByTestId('batch-source-tabs').getByRole('tab', { name: '手工录入' }).click();
    const grid = page.getByTestId('manual-lines');
    const row = (n: number) => grid.locator('.ant-table').first().locator('tbody tr.ant-table-row').nth(n);
    await row(0).getByLabel('收款人姓名').fill('张伟');
    await row(0).getByLabel('银行账号').fill('6222 0212 3456 7890 123');
    await row(0).getByLabel('开户银行').fill('中国工商银行');
    await row(0).getByLabel('金额（元）').fill('300');
    await row(1).getByLabel('收款人姓名').fill('赵六');
    await row(1).getByLabel('收款方式').click();
    await page.locator('.ant-select-dropdown:visible').getByText('支付宝转账', { exact: true }).click();
    await row(1).getByLabel('支付宝账号').fill('not-an-account');
    await row(1).getByLabel('金额（元）').fill('120.5');
    await page.getByTestId('create-from-lines').click();
    await expect.poll(() => row(1).textContent()).toContain('支付宝账号应为邮箱、手机号或 2088 开头的 16 位用户号');
    expect(await row(0).textContent()).toContain(`该收款账号已在未完成的批量任务中：${batchNo}`);
    expect(await row(2).count()).toBe(0); // the blank third line was dropped before checking
    await e.shot('batch-manual-errors');

    await row(1).getByLabel('支付宝账号').fill('zhaoliu@example.com');
    await page.getByTestId('create-from-lines').click();
    const confirm = page.getByTestId('confirm-duplicates');
    await confirm.waitFor();
    expect(await page.getByTestId('create-from-lines').isDisabled()).toBe(true);
    await e.shot('batch-manual-duplicates');
    await confirm.click();
    await page.getByTestId('create-from-lines').click();
    await page.waitForURL(/#\/batches\/B\d{20}$/);
    const second = /B\d{20}/.exec(page.url())![0];
    expect(second).not.toBe(batchNo);
    await expect.poll(() => status(page)).toBe('draft');
    expect(await page.getByTestId('batch-summary').textContent()).toContain('来源手工录入');
    await page.getByTestId('cancel-batch').click();
    await confirmOk(page);
    await expect.poll(() => status(page)).toBe('cancelled');
  });

  it('submitted; the maker may not approve it; a 会计 and an 审批人 do, in the 审批中心', async () => {
    await page.goto(`${e.host.url}/#/batches/${batchNo}`);
    await page.getByTestId('submit-batch').click();
    await confirmOk(page);
    await expect.poll(() => status(page)).toBe('pending_approval');
    await expect.poll(() => page.getByTestId('batch-approval').textContent()).toContain('审批中');
    await e.shot('batch-pending-approval');
    // The maker opens the request: no 同意 for them.
    await page.getByTestId('open-approval').click();
    await page.getByTestId('cannot-decide').waitFor();
    expect(await page.getByTestId('approve').count()).toBe(0);
    await e.shot('batch-maker-cannot-approve');

    await approveAs('kuaiji', batchNo, 'batch-approved-level1');
    // 李那's transfer is refused by WeChat's real-name check (NAME_NOT_CORRECT: not retryable).
    e.sandbox.simulator.inject('wechat', { kind: 'transfer_fail', operation: 'transfer', code: 'NAME_NOT_CORRECT' });
    await approveAs('shenpi', batchNo, 'batch-approved-level2');
    await expect.poll(async () => (await progress()).status, { timeout: 10_000 }).toBe('running');
  });

  it('runs with live progress; 暂停 holds the rest (also as seen after reopening); 继续执行 sends it', async () => {
    await page.goto(`${e.host.url}/#/batches/${batchNo}`);
    await expect.poll(() => status(page)).toBe('running');
    await page.getByTestId('pause-batch').click();
    await confirmOk(page);
    await expect.poll(() => status(page)).toBe('paused');
    // What was sent finishes; nothing more leaves while paused.
    const held = await progress();
    expect(held.pendingCount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 5_000));
    const later = await progress();
    expect(later.pendingCount).toBe(held.pendingCount);
    expect(later.status).toBe('paused');
    await expect.poll(() => page.getByTestId('progress-pending').textContent()).toContain(`${held.pendingCount} 笔`);
    await e.shot('batch-paused');

    // Reopening the app (a new session) shows the same state: it is the server's.
    const other = await signIn('caiwu');
    await other.getByTestId('side-nav').getByText('批量付款', { exact: true }).click();
    const listed = other.getByTestId('batch-table').locator('tr', { hasText: batchNo });
    await expect.poll(() => listed.getByTestId('batch-status').getAttribute('data-status')).toBe('paused');
    expect(Number(await listed.getByRole('progressbar').getAttribute('aria-valuenow'))).toBe(later.percent);
    await e.shot('batch-list-paused', other);
    await listed.getByRole('link', { name: batchNo }).click();
    await expect.poll(() => status(other)).toBe('paused');
    expect(await other.getByTestId('progress-pending').textContent()).toContain(`${held.pendingCount} 笔`);
    await other.context().close();

    await page.getByTestId('resume-batch').click();
    await confirmOk(page);
    await expect.poll(() => status(page)).toBe('running');
    // 刘洋's WeChat transfer waits for him to accept it (the simulated payee confirms after 10 s).
    const items = page.getByTestId('item-table');
    await expect.poll(() => items.locator('[data-status="wait_confirm"]').count(), { timeout: 30_000, interval: 500 }).toBeGreaterThan(0);
    // The confirmation window (24 h by default) from the send, in Shanghai time.
    const liu = (await e.app.batches.items(batchNo, { keyword: '刘洋' }, 1, 5)).items[0]!;
    expect(liu.confirmExpiresAt! - liu.sentAt!).toBe(24 * 3600_000);
    expect(await items.getByTestId('confirm-expiry').first().textContent()).toBe(`确认截止 ${formatShanghai(liu.confirmExpiresAt!).slice(5, 16)}`);
    expect(await page.getByTestId('batch-progress').textContent()).toContain('待收款确认');
    await e.shot('batch-running-wait-confirm');

    // Every item ends: five paid, 李那 failed for good.
    await expect.poll(() => status(page), { timeout: 60_000, interval: 1000 }).toBe('partial_failed');
    await expect.poll(() => page.getByTestId('batch-progress-percent').first().textContent()).toBe('100%');
    expect(await page.getByTestId('progress-success').textContent()).toContain('5 笔');
    expect(await page.getByTestId('progress-failed').textContent()).toContain('1 笔');
    expect(await page.getByTestId('progress-failed').textContent()).toContain('¥6,200.50');
    expect(await page.getByTestId('failures-alert').textContent()).toContain('1 笔付款失败');
    await e.shot('batch-partial-failed');
  });

  it('失败明细: the payee is corrected and re-sent through approval; the batch completes', async () => {
    await page.getByTestId('failures-tab').click();
    const failures = page.getByTestId('failure-table');
    await expect.poll(() => failures.textContent()).toContain('李那');
    expect(await failures.getByTestId('fail-reason').first().textContent()).toContain('收款人姓名与账户不一致（NAME_NOT_CORRECT）');
    await failures.getByTestId('fix-item-2').click();
    const form = page.getByTestId('fix-item-form');
    await form.getByLabel('收款人姓名').fill('李娜');
    await form.getByLabel('收款账号').fill(OPENID_LI);
    await e.shot('batch-fix-item');
    await page.getByRole('button', { name: '保存' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => failures.textContent()).toContain('李娜');
    await failures.getByTestId('resend-item-2').click();
    await confirmOk(page);
    await expect.poll(() => failures.textContent()).toContain('重发审批中');
    await e.shot('batch-resend-approval');

    const ref = `${batchNo}I00002`;
    await approveAs('kuaiji', ref, 'batch-resend-approved-level1');
    await approveAs('shenpi', ref, 'batch-resend-approved-level2');
    await expect.poll(() => status(page), { timeout: 40_000, interval: 1000 }).toBe('completed');
    await expect.poll(() => failures.textContent()).toContain('没有失败的明细');
    const p = await progress();
    expect(p).toMatchObject({ successCount: 6, failedCount: 0, successFen: 4_190_074 });
    const item = (await e.app.batches.items(batchNo, { keyword: '2' }, 1, 5)).items.find((i) => i.seq === 2)!;
    expect(item).toMatchObject({ status: 'success', attempt: 2, payeeName: '李娜', transferNo: `${ref}T2` });
    await page.getByTestId('batch-tabs').getByRole('tab', { name: /付款明细/ }).click();
    await e.shot('batch-completed');

    // The item's own page: both request ids, the fix (account masked) and its re-send approval.
    await page.getByTestId('item-table').locator('tr[data-seq="2"]').click();
    const drawer = page.getByTestId('item-drawer');
    await expect.poll(() => drawer.textContent()).toContain(`${ref}T2（第 2 次发送）`);
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain('修改收款信息');
    expect(text).not.toContain(OPENID_LI);
    expect(await drawer.getByTestId('item-resend-approval').textContent()).toContain('已通过');
    await new Promise((r) => setTimeout(r, 500)); // the drawer's slide-in
    await e.shot('batch-item-drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('downloads the Excel result report; its totals are the batch’s', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-batch-report').click()]);
    expect(download.suggestedFilename()).toBe(`批量付款结果_${batchNo}.xlsx`);
    const file = join(SHOTS_DIR, `batch-report-${batchNo}.xlsx`);
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const summary = new Map<string, unknown>();
    wb.getWorksheet('汇总')!.eachRow((r) => summary.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(summary.get('总笔数')).toBe(6);
    expect(summary.get('总金额（元）')).toBe(41900.74);
    expect(summary.get('成功笔数')).toBe(6);
    expect(summary.get('失败笔数')).toBe(0);
    const detail = wb.getWorksheet('明细')!;
    const amounts: number[] = [];
    detail.eachRow((r, n) => {
      if (n > 1 && typeof r.getCell(1).value === 'number') amounts.push(r.getCell(7).value as number);
    });
    expect(amounts).toHaveLength(6);
    expect(amounts.reduce((s, a) => s + Math.round(a * 100), 0)).toBe(4_190_074);
  });

  it('prints the result report: PDF with the totals, turned into PNG', async () => {
    await page.getByTestId('print-batch-report').click();
    const sheet = page.getByTestId('batch-report-sheet');
    await expect.poll(() => sheet.getByTestId('batch-report-items').locator('tbody tr').count()).toBe(6);
    expect(await sheet.getByTestId('batch-report-no').textContent()).toBe(batchNo);
    expect(await sheet.getByTestId('batch-report-channels').textContent()).toContain('¥17,600.25');
    await expect.poll(() => page.getByTestId('print-report').isEnabled()).toBe(true);
    await page.mouse.move(600, 500); // off the toolbar the previous click left it on
    await e.shot('batch-report');

    const pdf = join(SHOTS_DIR, 'batch-report.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
    expect(text).toContain(batchNo);
    expect(text).toContain('批量付款结果报表');
    expect(text).toContain(TOTAL);
    expect(text).toContain('¥17,600.25'); // the two bank transfers
    for (const name of ['张伟', '李娜', '王芳', '刘洋', '陈静', '杨磊']) expect(text).toContain(name);
    expect(text).not.toContain('6222021234567890123');
    const info = execFileSync('pdfinfo', [pdf]).toString('utf8');
    expect(info).toMatch(/Pages:\s+1\b/);
    // A4 landscape: 297 × 210 mm is 842 × 595 pt.
    expect(info).toMatch(/Page size:\s+84[12](\.\d+)? x 59[45](\.\d+)? pts/);
    const base = join(SHOTS_DIR, 'batch-report-pdf');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-singlefile', pdf, base]);
    const png = readFileSync(`${base}.png`);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThan(600);
  });

  it('lists both batches with their status and progress', async () => {
    await page.getByTestId('side-nav').getByText('批量付款', { exact: true }).click();
    const table = page.getByTestId('batch-table');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(2);
    const row = table.locator('tr', { hasText: batchNo });
    expect(await row.getByTestId('batch-status').getAttribute('data-status')).toBe('completed');
    expect(await row.getByTestId('batch-progress-percent').textContent()).toBe('100%');
    expect(await row.textContent()).toContain(TOTAL);
    expect(await table.locator('[data-status="cancelled"]').count()).toBe(1);
    await e.shot('batch-list');
  });
});
