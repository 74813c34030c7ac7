import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { insertRows } from '../../../src-main/db/bulk-insert';
import { MONEY_FORMAT } from '../../../src-main/services/reconciliation/recon-report-excel';
import { ReconReportService } from '../../../src-main/services/reconciliation/recon-report';
import { callers, type Caller } from '../../support/callers';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { addLocal, at, bill } from './recon-world';

const MON = '2025-03-10';
const TUE = '2025-03-11';
const clerk = { id: null, name: '测试' };

/** A workbook's sheet as rows of plain values (row 1 first), with the cells for format checks. */
async function load(base64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  return wb;
}
const rowsOf = (ws: ExcelJS.Worksheet) => {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => out.push((row.values as unknown[]).slice(1)));
  return out;
};
const findRow = (ws: ExcelJS.Worksheet, first: unknown) => {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (!found && row.getCell(1).value === first) found = row;
  });
  if (!found) throw new Error(`no row starting with ${String(first)} in ${ws.name}`);
  return found;
};

describe.each(STORE_KINDS)('对账报表 (Excel and the printable report data) on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let accountant: Caller;
  let c: Awaited<ReturnType<typeof callers>>;
  const diffId = async (key: string) => (await accountant.ok('recon.listDiffs', { search: key })).items.find((d) => d.key === key)!.id;

  beforeEach(async () => {
    ({ app, close } = await testApp(kind, { clock: new TestClock(at('2025-03-12', '10:30:00')) }));
    c = await callers(app);
    accountant = await c.as('accountant');
    await addLocal(
      app,
      [
        { orderNo: 'P01', amountFen: 10000, status: 'success', paidAt: at(MON, '09:00:00') },
        { orderNo: 'P02', amountFen: 10000, status: 'success', paidAt: at(MON, '09:10:00') },
        { orderNo: 'P03', amountFen: 5000, status: 'pending', paidAt: null },
        { orderNo: 'P05', amountFen: 7000, status: 'success', paidAt: at(MON, '12:00:00') },
        { orderNo: 'P06', amountFen: 3000, status: 'success', paidAt: at(MON, '13:00:00'), tradeNo: '4200P06a' },
        { orderNo: 'P07', amountFen: 4000, status: 'success', paidAt: at(MON, '14:00:00'), duplicates: 1 },
        { orderNo: 'P21', amountFen: 20000, status: 'success', paidAt: at(TUE, '10:00:00') },
        { orderNo: 'P22', amountFen: 1500, status: 'success', paidAt: at(TUE, '11:00:00') },
        { orderNo: 'A01', amountFen: 6000, status: 'success', paidAt: at(MON, '10:00:00'), method: 'alipay' },
      ],
      [{ refundNo: 'R01', orderNo: 'P01', amountFen: 5000, feeFen: -30, state: 'success', succeededAt: at(MON, '15:10:00') }],
    );
    await app.recon.runDay(clerk, {
      channel: 'wechat',
      date: MON,
      bill: bill('wechat', MON, [
        { key: 'P01', amountFen: 10000, feeFen: 60, at: at(MON, '09:00:01') },
        { key: 'P02', amountFen: 9000, feeFen: 54, at: at(MON, '09:10:01') }, // 金额差异 ¥10.00
        { key: 'P03', amountFen: 5000, feeFen: 30, at: at(MON, '10:00:00') }, // 状态差异
        { key: 'P04', amountFen: 8800, feeFen: 53, at: at(MON, '11:00:00'), platformNo: '4200P04' }, // 漏单
        // P05: 平台无此单
        { key: 'P06', amountFen: 3000, feeFen: 18, at: at(MON, '13:00:00'), platformNo: '4200P06a' },
        { key: 'P06', amountFen: 3000, feeFen: 18, at: at(MON, '13:05:00'), platformNo: '4200P06b' }, // 重复单（平台）
        { key: 'P07', amountFen: 4000, feeFen: 24, at: at(MON, '14:00:00') }, // 重复单（本地）
        { kind: 'refund', key: 'R01', orderNo: 'P01', amountFen: 5000, feeFen: -31, at: at(MON, '15:10:00') }, // 手续费差异 ¥0.01
      ]),
    });
    await app.recon.runDay(clerk, { channel: 'wechat', date: TUE, bill: bill('wechat', TUE, [{ key: 'P21', amountFen: 20000, feeFen: 120, at: at(TUE, '10:00:00') }]) });
    await app.recon.runDay(clerk, { channel: 'alipay', date: MON, bill: bill('alipay', MON, [{ key: 'A01', amountFen: 6000, feeFen: 36, at: at(MON, '10:00:00') }]) });

    // Some human work for the detail sheet: an assignee and a note, a decision, an adjustment.
    const users = await c.admin.ok('users.list', {});
    const me = users.find((u) => u.username === 'accountant')!;
    const p02 = await diffId('P02');
    await accountant.ok('recon.assignDiff', { diffId: p02, assigneeId: me.id });
    await accountant.ok('recon.noteDiff', { diffId: p02, body: '平台少结算 10 元，已联系客服' });
    await accountant.ok('recon.actOnDiff', { diffId: await diffId('P05'), action: { kind: 'keep_local', reason: '平台次日补单' } });
    await accountant.ok('recon.actOnDiff', { diffId: await diffId('R01'), action: { kind: 'accept_platform', reason: '以微信账单为准' } });
  });
  afterEach(() => close());

  it('a weekly Excel report of one channel: 汇总, 按日 and every difference with both sides, in yuan with money formats', async () => {
    const file = await accountant.ok('recon.exportReport', { period: 'weekly', date: TUE, channel: 'wechat' });
    expect(file.fileName).toBe('对账周报_微信支付_2025-03-10_2025-03-16.xlsx');
    expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.differences).toBe(8);
    const wb = await load(file.content);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '按日', '差异明细']);

    const sum = wb.getWorksheet('汇总')!;
    expect(sum.getCell('A1').value).toBe('微信支付 对账周报（2025-03-10 至 2025-03-16）');
    // 渠道 | 天数 | 账单笔数 | 本地笔数 | 已匹配笔数 | 已匹配金额 | 差异笔数 | 差异金额 | 平台手续费 | 收款 | 退款 | 次日核对
    const wx = findRow(sum, '微信支付');
    expect((wx.values as unknown[]).slice(1, 13)).toEqual([
      '微信支付',
      2,
      9,
      expect.any(Number),
      2,
      300,
      8,
      // 10 + 50 + 88 + 70 + 15 + 30 + 40 + 0.01
      303.01,
      3.46,
      628,
      50,
      0,
    ]);
    expect(wx.getCell(6).numFmt).toBe(MONEY_FORMAT);
    expect(wx.getCell(9).numFmt).toBe(MONEY_FORMAT);
    expect((findRow(sum, '合计').values as unknown[]).slice(1, 9)).toEqual(['合计', 2, 9, expect.any(Number), 2, 300, 8, 303.01]);
    // By type, with where each stands now: P05 kept (已处理), R01 accepted (已处理), P02 assigned (处理中).
    const typeRow = (label: string) => (findRow(sum, label).values as unknown[]).slice(1, 8);
    expect(typeRow('金额差异')).toEqual(['金额差异', 1, 10, 0, 1, 0, 0]);
    expect(typeRow('平台无此单（本地有、平台无）')).toEqual(['平台无此单（本地有、平台无）', 2, 85, 1, 0, 1, 0]);
    expect(typeRow('手续费差异')).toEqual(['手续费差异', 1, 0.01, 0, 0, 1, 0]);
    expect(findRow(sum, '平台手续费').getCell(4).value).toBe(3.46);
    expect(rowsOf(sum).some((r) => r[0] === '微信支付' && r[1] === '手续费调整' && r[2] === 1 && r[3] === -0.01)).toBe(true);
    expect(sum.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });

    const days = wb.getWorksheet('按日')!;
    const dayRows = rowsOf(days);
    expect(dayRows[0]!.slice(0, 9)).toEqual(['账单日', '渠道', '账单笔数', '本地笔数', '已匹配笔数', '已匹配金额', '差异笔数', '差异金额', '平台手续费']);
    expect(dayRows.slice(1).map((r) => [r[0], r[1], r[4], r[5], r[6]])).toEqual([
      [MON, '微信支付', 1, 100, 7],
      [TUE, '微信支付', 1, 200, 1],
      ['合计', undefined, 2, 300, 8],
    ]);
    expect(days.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const detail = wb.getWorksheet('差异明细')!;
    const rows = rowsOf(detail);
    const head = rows[0] as string[];
    expect(head.slice(0, 9)).toEqual(['差异编号', '账单日', '渠道', '类别', '差异类型', '对账单号', '订单号', '差异字段', '差异金额']);
    expect(rows).toHaveLength(9);
    const byKey = (key: string) => Object.fromEntries(head.map((h, i) => [h, rows.find((r) => r[5] === key)![i]]));
    expect(byKey('P02')).toMatchObject({ 差异类型: '金额差异', 差异字段: '金额', 差异金额: 10, 本地金额: 100, 平台金额: 90, 平台手续费: 0.54, 本地状态: '成功', 平台状态: '成功', 处理状态: '处理中', 处理人: 'accountant 用户' });
    expect(String(byKey('P02')['备注'])).toMatch(/^accountant 用户 03-12 10:30：平台少结算 10 元，已联系客服$/);
    expect(byKey('P05')).toMatchObject({ 差异类型: '平台无此单（本地有、平台无）', 本地金额: 70, 平台状态: '无此记录', 处理状态: '已处理', 处理方式: '以本地记录为准', 处理说明: '平台次日补单' });
    expect(byKey('P06')).toMatchObject({ 平台笔数: 2, 平台金额: 60, 平台交易号: '4200P06a、4200P06b', 本地笔数: 1 });
    expect(byKey('P07')).toMatchObject({ 差异类型: '重复单（本地）', 本地笔数: 2, 本地金额: 80 });
    expect(byKey('R01')).toMatchObject({ 类别: '退款', 本地手续费: -0.3, 平台手续费: -0.31, 处理方式: '以平台记录为准', 调账: '手续费调整 -0.01：以平台记录为准：以微信账单为准' });
    expect(byKey('P22')).toMatchObject({ 账单日: TUE, 差异类型: '平台无此单（本地有、平台无）' });
    const p02 = detail.getRow(rows.findIndex((r) => r[5] === 'P02') + 1);
    expect(p02.getCell(9).numFmt).toBe(MONEY_FORMAT);
    expect(p02.getCell(11).numFmt).toBe(MONEY_FORMAT);
    expect(detail.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(detail.getColumn(6).width).toBe(24);
    expect(detail.autoFilter).toBeTruthy();

    const audit = await app.audit.list({ action: 'recon.report.export' }, 1, 10);
    expect(audit.items).toEqual([expect.objectContaining({ actorName: 'accountant 用户', entityId: 'weekly:wechat:2025-03-10_2025-03-16' })]);
  });

  it('a daily report of all channels: one row per channel and the total; no 按日 sheet', async () => {
    const file = await accountant.ok('recon.exportReport', { period: 'daily', date: MON });
    expect(file.fileName).toBe('对账日报_全部渠道_2025-03-10.xlsx');
    const wb = await load(file.content);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '差异明细']);
    const sum = wb.getWorksheet('汇总')!;
    expect((findRow(sum, '支付宝').values as unknown[]).slice(1, 9)).toEqual(['支付宝', 1, 1, 1, 1, 60, 0, 0]);
    expect((findRow(sum, '合计').values as unknown[]).slice(1, 8)).toEqual(['合计', 2, 9, expect.any(Number), 2, 160, 7]);
    expect(rowsOf(wb.getWorksheet('差异明细')!)).toHaveLength(8);
  });

  it('reads the differences a page at a time: every one exactly once across pages', async () => {
    const service = new ReconReportService(app.store, app.clock, 3);
    const file = await service.exportExcel(clerk, { period: 'weekly', date: MON, channel: 'wechat' });
    expect(file.differences).toBe(8);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const keys = rowsOf(wb.getWorksheet('差异明细')!).slice(1).map((r) => r[5]);
    expect([...keys].sort()).toEqual(['P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P22', 'R01']);
  });

  it('the printable report: figures per channel, by type and by day, the largest differences first', async () => {
    const r = await accountant.ok('recon.getReport', { period: 'weekly', date: MON });
    expect(r.title).toBe('全部渠道 对账周报（2025-03-10 至 2025-03-16）');
    expect(r.channels.map((t) => [t.channel, t.days, t.matchedCount, t.diffCount])).toEqual([
      ['wechat', 2, 2, 8],
      ['alipay', 1, 1, 0],
    ]);
    expect(r.total).toMatchObject({ days: 3, matchedCount: 3, matchedFen: 36000, diffCount: 8, diffFen: 30301 });
    expect(r.byType.find((t) => t.type === 'missing_platform')).toEqual({ type: 'missing_platform', count: 2, amountFen: 8500, statuses: { open: 1, in_progress: 0, resolved: 1, ignored: 0 } });
    expect(r.days.map((d) => [d.date, d.channel, d.diffCount])).toEqual([
      [MON, 'wechat', 7],
      [MON, 'alipay', 0],
      [TUE, 'wechat', 1],
    ]);
    expect(r.top.map((d) => d.key).slice(0, 3)).toEqual(['P04', 'P05', 'P03']);
    expect(r.missingDays).toEqual([
      { channel: 'wechat', dates: ['2025-03-12', '2025-03-13', '2025-03-14', '2025-03-15', '2025-03-16'] },
      { channel: 'alipay', dates: ['2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14', '2025-03-15', '2025-03-16'] },
    ]);
  });

  it('refuses a period without finished runs and a wrong date, in Chinese', async () => {
    expect(await accountant.call('recon.exportReport', { period: 'monthly', date: '2025-02-10', channel: 'wechat' })).toEqual({
      ok: false,
      error: { code: 'RECON_REPORT_EMPTY', message: '微信支付 2025-02-01 至 2025-02-28 还没有完成的对账，无法生成报表' },
    });
    expect(await accountant.call('recon.getReport', { period: 'daily', date: '2025-02-30' })).toMatchObject({ ok: false, error: { message: '报表日期不正确：2025-02-30（应为 YYYY-MM-DD）' } });
    const bad = await accountant.raw('recon.exportReport', { period: 'yearly', date: MON });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.stringify(bad)).toContain('报表周期必须是 日、周 或 月');
  });

  it('20,000 differences of one day: the workbook holds them all, written page by page', async () => {
    const run = (await accountant.ok('recon.listRuns', { channel: 'wechat', period: 'daily', dateFrom: TUE, dateTo: TUE })).items[0]!;
    const n = 20_000;
    const rows: unknown[][] = [];
    const rec = (side: string, key: string, amountFen: number) => JSON.stringify([{ side, kind: 'payment', seq: 1, key, orderNo: key, platformNo: `42${key}`, amountFen, feeFen: null, state: 'success', sourceState: null, at: at(TUE), line: 2, raw: null, carried: false }]);
    for (let i = 0; i < n; i++) {
      const key = `X${String(i).padStart(8, '0')}`;
      rows.push([`wechat:payment:${key}:missing_local`, 'wechat', 'payment', key, key, 'missing_local', 'presence', TUE, run.runId, 0, 1, null, 100 + i, 100 + i, '[]', rec('platform', key, 100 + i), 'open', 1, 1, 1, 1, 1, i + 1]);
    }
    await insertRows(
      app.store.dataSource.manager,
      'recon_diffs',
      ['identity', 'channel', 'kind', 'match_key', 'order_no', 'diff_type', 'fields', 'bill_date', 'run_id', 'local_count', 'platform_count', 'local_amount_fen', 'platform_amount_fen', 'amount_fen', 'local_json', 'platform_json', 'status', 'first_found_at', 'last_found_at', 'created_at', 'updated_at', 'version', 'updated_seq'],
      rows,
    );
    const file = await app.reconReports.exportExcel(clerk, { period: 'daily', date: TUE, channel: 'wechat' });
    expect(file.differences).toBe(n + 1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const detail = wb.getWorksheet('差异明细')!;
    expect(detail.rowCount).toBe(n + 2);
    const last = rowsOf(detail).find((r) => r[5] === 'X00019999')!;
    expect(last.slice(4, 9)).toEqual(['漏单（平台有、本地无）', 'X00019999', 'X00019999', '记录', 200.99]);
  });
});
