import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callers, type Caller } from '../../support/callers';
import { STORE_KINDS, testApp } from '../../support/stores';
import type { App } from '../../../src-main/app';

const HEADER = ['收款人姓名', '收款方式', '收款账号', '开户银行', '金额（元）', '备注', '手机号'];

async function xlsx(rows: unknown[][], header: unknown[] = HEADER): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('收款明细');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe.each(STORE_KINDS)('batch import on %s: every row checked, errors by row, nothing created while one is wrong', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let acc: Caller;
  let cashier: Caller;
  beforeEach(async () => {
    ({ app, close } = await testApp(kind, { batches: { autoRun: false } }));
    const c = await callers(app);
    acc = await c.as('accountant', 'acc1');
    cashier = await c.as('cashier', 'cash1');
  });
  afterEach(() => close());

  const count = async () => (await acc.ok('batches.list', {})).total;

  it('the downloaded template imports once filled in; its drop-down offers the channel labels', async () => {
    const t = await acc.ok('batches.template', {});
    expect(t.fileName).toBe('批量付款导入模板.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(t.content, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('收款明细')!;
    expect(ws.getRow(1).values).toEqual([undefined, ...HEADER]);
    expect(ws.getCell('B2').dataValidation.formulae).toEqual(['"银行转账,微信转账,支付宝转账"']);
    expect(wb.getWorksheet('填写说明')).toBeTruthy();
    ['张三', '银行转账', '6222 0212 3456 7890 123', '中国工商银行', 5000.5, '11月工资', '13812345678'].forEach((v, i) => (ws.getRow(2).getCell(i + 1).value = v));
    ws.getCell('A3').value = '李四';
    ws.getCell('B3').value = '微信转账';
    ws.getCell('C3').value = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
    ws.getCell('E3').value = { formula: 'E2/2', result: 2500.25 };
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const r = await acc.ok('batches.importFile', { batchType: 'salary', title: '2026年11月工资', fileName: '工资.xlsx', content });
    expect(r).toMatchObject({ blockedBy: null, rowCount: 2, totalFen: 750_075, errorCount: 0, warningCount: 0 });
    expect(r.created).toMatchObject({ status: 'draft', totalCount: 2, totalFen: 750_075, sourceKind: 'import', statusLabel: '草稿' });
    const items = await acc.ok('batches.items', { batchNo: r.created!.batchNo });
    expect(items.items.map((i) => [i.seq, i.payeeName, i.channel, i.accountMasked, i.amountFen])).toEqual([
      [1, '张三', 'bank', '622202*********0123', 500_050],
      [2, '李四', 'wechat', 'oUp*********************eS6o', 250_025],
    ]);
  });

  it('lists every problem by spreadsheet row and creates nothing; a preview creates nothing either', async () => {
    const content = await xlsx([
      ['张三', '银行转账', '6222021234567890123', '中国工商银行', '100.00'],
      ['', '支付宝', 'zhangsan@example.com', '', '10'],
      ['王五', '现金', '123', '', '10'],
      ['赵六', '银行转账', '12ab', '', '10.123'],
      [],
      ['钱七', '微信', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', '', '-5'],
      ['孙八', '支付宝', 'not-a-login', '', '0'],
      ['周九', 'bank', 6.222021234567891e18, '农业银行', 20],
    ]);
    const r = await acc.ok('batches.importFile', { batchType: 'salary', title: '错误的文件', fileName: 'bad.xlsx', content });
    expect(r.created).toBeNull();
    expect(r.blockedBy).toBe('errors');
    expect(r.errors.map((e) => [e.rowNo, e.field, e.message])).toEqual([
      [3, 'payeeName', '请填写收款人姓名'],
      [4, 'channel', '收款方式「现金」不正确，应为 银行转账 / 微信转账 / 支付宝转账'],
      [5, 'account', '银行账号应为 8 至 32 位数字'],
      [5, 'bankName', '银行转账需填写开户银行'],
      [5, 'amount', '金额最多保留两位小数'],
      [7, 'amount', '金额不能为负数'],
      [8, 'account', '支付宝账号应为邮箱、手机号或 2088 开头的 16 位用户号'],
      [8, 'amount', '金额必须大于 0'],
      [9, 'account', '收款账号被 Excel 存成了数字，末几位已丢失：请把该列设为“文本”后重新填写'],
    ]);
    expect(await count()).toBe(0);

    const good = await xlsx([['张三', '银行转账', '6222021234567890123', '中国工商银行', '100.00']]);
    const preview = await acc.ok('batches.importFile', { batchType: 'salary', title: '预览', fileName: 'ok.xlsx', content: good, preview: true });
    expect(preview).toMatchObject({ created: null, blockedBy: 'preview', rowCount: 1, totalFen: 10_000, byChannel: [{ channel: 'bank', channelLabel: '银行转账', count: 1, fen: 10_000 }] });
    expect(await count()).toBe(0);
  });

  it('flags a payee twice in the file and one already in an open batch; creates only when confirmed', async () => {
    const rows = [
      ['张三', '银行转账', '6222021234567890123', '中国工商银行', '100'],
      ['张三', '银行转账', '6222 0212 3456 7890 123', '中国工商银行', '100'],
    ];
    const first = await acc.ok('batches.importFile', { batchType: 'salary', title: '第一批', fileName: 'a.xlsx', content: await xlsx(rows), confirmDuplicates: false });
    expect(first.blockedBy).toBe('duplicates');
    expect(first.warnings).toEqual([{ rowNo: 3, field: 'account', message: '与第 2 行的收款账号重复（银行转账，张三 ¥100.00）' }]);
    expect(await count()).toBe(0);
    const confirmed = await acc.ok('batches.importFile', { batchType: 'salary', title: '第一批', fileName: 'a.xlsx', content: await xlsx(rows), confirmDuplicates: true });
    const batchNo = confirmed.created!.batchNo;

    const again = await acc.ok('batches.create', { batchType: 'supplier', title: '再付一次', lines: [{ payeeName: '张三', channel: 'bank', account: '6222021234567890123', bankName: '工行', amount: '50' }] });
    expect(again.blockedBy).toBe('duplicates');
    expect(again.warnings[0]!.message).toBe(`该收款账号已在未完成的批量任务中：${batchNo}（¥100.00）、${batchNo}（¥100.00）`);
    // Once that batch is cancelled, the payee is free again.
    await acc.ok('batches.cancel', { batchNo });
    const typed = await acc.ok('batches.create', { batchType: 'supplier', title: '再付一次', lines: [{ payeeName: '张三', channel: '银行转账', account: '6222021234567890123', bankName: '工行', amount: 50 }] });
    expect(typed.blockedBy).toBeNull();
    // Lines typed in the app are 手工录入 (a file is 文件导入, the REST API 接口创建).
    expect(typed.created).toMatchObject({ sourceKind: 'manual', sourceLabel: '手工录入' });
    expect(confirmed.created).toMatchObject({ sourceKind: 'import', sourceLabel: '文件导入' });
  });

  it('reads a GBK CSV as Excel saves it on Chinese Windows, and refuses a file without the columns', async () => {
    const csv = '收款人姓名,收款方式,收款账号,开户银行,金额（元）,备注\r\n"王, 小明",支付宝转账,wang@example.com,,"1,234.50",奖金\r\n';
    const r = await acc.ok('batches.importFile', { batchType: 'supplier', title: 'CSV', fileName: 'pay.csv', content: iconv.encode(csv, 'gbk').toString('base64') });
    expect(r.created).toMatchObject({ totalCount: 1, totalFen: 123_450 });
    const items = await acc.ok('batches.items', { batchNo: r.created!.batchNo });
    expect(items.items[0]).toMatchObject({ payeeName: '王, 小明', remark: '奖金' });

    const noColumns = await acc.ok('batches.importFile', { batchType: 'supplier', title: 'x', fileName: 'x.csv', content: Buffer.from('姓名,金额\n张三,1\n').toString('base64') });
    expect(noColumns.errors).toEqual([{ rowNo: 1, field: 'row', message: '表头缺少列：收款方式、收款账号（请使用下载的模板）' }]);
    const broken = await acc.call('batches.importFile', { batchType: 'supplier', title: 'x', fileName: 'x.xlsx', content: Buffer.from('PK\u0003\u0004garbage').toString('base64') });
    expect(broken).toEqual({ ok: false, error: { code: 'FILE_UNREADABLE', message: '无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏' } });
  });

  it('only roles with batch:create may import; input is checked at the edge in Chinese', async () => {
    const denied = await cashier.call('batches.importFile', { batchType: 'salary', title: 'x', fileName: 'a.csv', content: 'YQ==' });
    expect(denied.ok || denied.error.code).toBe('FORBIDDEN');
    const bad = await acc.call('batches.importFile', { batchType: 'bonus' as never, title: 'x', fileName: 'a.csv', content: 'YQ==' });
    expect(bad.ok || bad.error.message).toBe('批量类型应为 salary（员工薪资）或 supplier（供应商付款）');
    const notBase64 = await acc.call('batches.importFile', { batchType: 'salary', title: 'x', fileName: 'a.csv', content: '%%%' });
    expect(notBase64.ok || notBase64.error.message).toMatch(/base64/);
    expect(await cashier.ok('batches.list', {})).toMatchObject({ total: 0 });
  });
});
