import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { BillRecord } from '../../../src-main/core/reconciliation/bill-record';
import { readAlipayBill } from '../../../src-main/gateways/alipay/alipay-bill-reader';
import { writeBankBill, type BankBillRow } from '../../../src-main/gateways/bank/bank-bill';
import { readBankBill } from '../../../src-main/gateways/bank/bank-bill-reader';
import { BillFormatError } from '../../../src-main/gateways/bill-format-error';
import { plainRecord, type BillStream } from '../../../src-main/gateways/bill-stream';
import { alipayBillFiles, alipayBillZip } from '../../../src-main/gateways/simulator/alipay-bill';
import { writeZip } from '../../../src-main/gateways/simulator/alipay-zip';
import type { SimRefund, SimTrade } from '../../../src-main/gateways/simulator/ledger';
import { writeTradeBill, type TradeBillLine } from '../../../src-main/gateways/wechat/wechat-bill';
import { readWechatBill } from '../../../src-main/gateways/wechat/wechat-bill-reader';

/**
 * The three channels' bill readers: golden records from the fixtures in test/fixtures/bills (written by
 * the simulators' writers, see make-fixtures.ts, plus hand-made edge cases), every refusal with its file
 * line, and round trips writer → reader for arbitrary product names.
 */
const DAY = '2026-11-26';
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/bills/${name}`, import.meta.url));
const at = (hms: string) => Date.parse(`${DAY}T${hms}+08:00`);

async function readAll(bill: BillStream): Promise<{ records: BillRecord[]; summary: Awaited<BillStream['summary']> }> {
  const records: BillRecord[] = [];
  for await (const r of bill.records) records.push(plainRecord(r));
  return { records, summary: await bill.summary };
}

async function refusal(bill: BillStream): Promise<BillFormatError> {
  const error = await readAll(bill).then(
    () => new Error('the bill was accepted'),
    (e: unknown) => e,
  );
  if (!(error instanceof BillFormatError)) throw error;
  // The summary rejects with the same error.
  await expect(bill.summary).rejects.toBe(error);
  return error;
}

const strip = ({ raw: _raw, ...r }: BillRecord) => r;
const wx = (text: string) => readWechatBill(Buffer.from(text, 'utf8'), 'wx.csv', DAY);
const wxText = () => fixture('wechat-all.csv').toString('utf8');

describe('WeChat trade bill reader', () => {
  const golden = [
    { platform: 'wechat', kind: 'payment', key: 'P202611260001', orderNo: 'P202611260001', platformNo: '4200000925202611260000000001', amountFen: 9900, feeFen: 59, state: 'success', at: at('09:15:02'), billDate: DAY, line: 2 },
    { platform: 'wechat', kind: 'payment', key: 'P202611260002', orderNo: 'P202611260002', platformNo: '4200000925202611260000000002', amountFen: 100, feeFen: 1, state: 'success', at: at('12:00:00'), billDate: DAY, line: 3 },
    { platform: 'wechat', kind: 'refund', key: 'R202611260001', orderNo: 'P202611260001', platformNo: '50300807092026112600000000001', amountFen: 2500, feeFen: -15, state: 'success', at: at('18:30:45'), billDate: DAY, line: 4 },
  ];

  it('reads payments and refunds by header name, in fen, with the checked summary (BOM, LF)', async () => {
    const { records, summary } = await readAll(readWechatBill(fixture('wechat-all.csv'), 'wechat-all.csv', DAY));
    expect(records.map(strip)).toEqual(golden);
    expect(summary).toEqual({ count: 3, paidFen: 10000, refundedFen: 2500, feeFen: 45 });
    expect(records[0]!.raw).toMatchObject({ 商品名称: '豪华大床房, 含早 "双人"', 交易类型: 'NATIVE', 手续费: '0.59000', 订单金额: '99.00' });
    expect(Object.keys(records[2]!.raw)).toHaveLength(27);
  });

  it('reads the same from a stream in tiny chunks, from a file saved without BOM and with CRLF', async () => {
    const bytes = fixture('wechat-all.csv');
    const chunks = Readable.from(Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7)));
    expect((await readAll(readWechatBill(chunks, 'x.csv', DAY))).records.map(strip)).toEqual(golden);
    const crlf = await readAll(readWechatBill(fixture('wechat-crlf-no-bom.csv'), 'x.csv', DAY));
    expect(crlf.records.map(strip)).toEqual(golden);
    expect(crlf.records[1]!.raw['费率备注']).toBe('');
  });

  it('SUCCESS and REFUND bills: fewer or more columns, same records', async () => {
    const success = await readAll(readWechatBill(fixture('wechat-success.csv'), 'x.csv', DAY));
    expect(success.records.map(strip)).toEqual(golden.slice(0, 2).map((r) => r));
    expect(success.summary).toEqual({ count: 2, paidFen: 10000, refundedFen: 0, feeFen: 60 });
    const refund = await readAll(readWechatBill(fixture('wechat-refund.csv'), 'x.csv', DAY));
    expect(refund.records.map(strip)).toEqual([{ ...golden[2], line: 2 }]);
    expect(refund.records[0]!.raw['退款成功时间']).toBe('2026-11-26 18:30:47');
  });

  it('a v2 bill (24 columns, 总金额, summary 总交易额…)', async () => {
    const { records, summary } = await readAll(readWechatBill(fixture('wechat-v2.csv'), 'wechat-v2.csv', DAY));
    expect(records.map(strip)).toEqual([
      { platform: 'wechat', kind: 'payment', key: 'P202611260011', orderNo: 'P202611260011', platformNo: '4200000001202611260000000011', amountFen: 5000, feeFen: 30, state: 'success', at: at('10:00:00'), billDate: DAY, line: 2 },
      { platform: 'wechat', kind: 'refund', key: 'R202611260011', orderNo: 'P202611260011', platformNo: '50000000012026112600000000011', amountFen: 1000, feeFen: -6, state: 'success', at: at('11:00:00'), billDate: DAY, line: 3 },
    ]);
    expect(summary).toEqual({ count: 2, paidFen: 5000, refundedFen: 1000, feeFen: 24 });
  });

  it('an empty day: header, no lines, a zero summary', async () => {
    expect(await readAll(readWechatBill(fixture('wechat-empty-day.csv'), 'x.csv', DAY))).toEqual({ records: [], summary: { count: 0, paidFen: 0, refundedFen: 0, feeFen: 0 } });
  });

  it('refuses a truncated file, a summary that disagrees, a GBK file', async () => {
    const cut = await refusal(readWechatBill(fixture('wechat-truncated.csv'), 'wechat-truncated.csv', DAY));
    expect(cut).toMatchObject({ fileName: 'wechat-truncated.csv', line: 4 });
    expect(cut.message).toMatch(/^账单文件 wechat-truncated\.csv 第 4 行：账单不完整：最后一行没有换行，文件可能被截断/);
    expect(await refusal(readWechatBill(fixture('wechat-totals-mismatch.csv'), 'm.csv', DAY))).toMatchObject({
      line: 6,
      reason: '汇总「应结订单总金额」为 100.00 元，明细「应结订单金额」合计为 101.00 元，不符',
    });
    expect(await refusal(readWechatBill(fixture('wechat-gbk.csv'), 'g.csv', DAY))).toMatchObject({ line: 1, reason: expect.stringMatching(/不是 UTF-8 编码/) });
  });

  it.each([
    ['more than 2 decimals', (t: string) => t.replace('`1.00,`0.00,`0,', '`1.001,`0.00,`0,'), 3, '「应结订单金额」超过 2 位小数：1.001'],
    ['not a number', (t: string) => t.replace('`1.00,`0.00,`0,', '`1.0O,`0.00,`0,'), 3, '「应结订单金额」不是金额：1.0O'],
    ['a negative amount', (t: string) => t.replace('`99.00,`0.00,`0,', '`-99.00,`0.00,`0,'), 2, '「应结订单金额」不能为负数：-99.00'],
    ['a fee below the fen', (t: string) => t.replace('`0.59000', '`0.59400'), 2, '「手续费」不足一分的部分不为零：0.59400（应按分结算）'],
    ['an impossible time', (t: string) => t.replace('2026-11-26 12:00:00', '2026-11-26 24:00:00'), 3, '「交易时间」不是有效时间：2026-11-26 24:00:00'],
    ['a time that is not a time', (t: string) => t.replace('2026-11-26 12:00:00', '2026/11/26 12:00'), 3, '「交易时间」不是 yyyy-MM-dd HH:mm:ss 格式的时间：2026/11/26 12:00'],
    ['a line from another day', (t: string) => t.replace('2026-11-26 12:00:00', '2026-11-27 12:00:00'), 3, '交易时间 2026-11-27 12:00:00 不在账单日 2026-11-26：是否选错了日期或文件？'],
    ['a missing column', (t: string) => t.replace(',商户订单号,', ',商户单号,'), 1, '表头缺少必需的列：「商户订单号」'],
    ['a repeated column', (t: string) => t.replace(',设备号,', ',商户号,'), 1, '表头中「商户号」列重复'],
    ['not a bill', () => 'hello,world\n', 1, '不是微信支付交易账单：第一行应为表头（交易时间,公众账号ID,商户号,…）'],
    ['a line with a cell missing', (t: string) => t.replace(',`矿泉水,`', ',`'), 3, '有 26 列，表头有 27 列（单元格中不能有 ",`"，也可能是文件被截断）'],
    ['an unknown trade state', (t: string) => t.replace('`JSAPI,`SUCCESS,', '`JSAPI,`PAID,'), 3, '未知的交易状态：PAID'],
    ['an unknown refund state', (t: string) => t.replace('`ORIGINAL,`SUCCESS,', '`ORIGINAL,`DONE,'), 4, '未知的退款状态：DONE'],
    ['a refund without its number', (t: string) => t.replace('`R202611260001,', '`,'), 4, '退款行的「商户退款单号」为空'],
    ['a count that disagrees', (t: string) => t.replace('`3,`100.00', '`4,`100.00'), 6, '汇总「总交易单数」为 4，明细有 3 行，不符'],
    ['fees that disagree', (t: string) => t.replace('`0.45000,', '`0.46000,'), 6, '汇总「手续费总金额」为 0.46 元，明细「手续费」合计为 0.45 元，不符'],
    ['lines after the summary', (t: string) => `${t}\`1,\`2\n`, 7, '汇总行之后还有内容：文件格式不对或被拼接'],
  ])('refuses %s, with the line', async (_what, edit, line, reason) => {
    const text = edit(wxText());
    expect(text).not.toBe(wxText());
    expect(await refusal(wx(text))).toMatchObject({ fileName: 'wx.csv', line, reason });
  });

  it('refuses a bill without its summary (cut at a line end) and an empty file', async () => {
    const text = wxText();
    expect(await refusal(wx(text.slice(0, text.indexOf('总交易单数'))))).toMatchObject({ line: null, reason: '账单不完整：缺少汇总行（总交易单数,…），文件可能被截断' });
    expect(await refusal(wx(''))).toMatchObject({ line: null, reason: '文件是空的' });
  });

  it('the summary is only settled once the records were read to the end', async () => {
    const bill = readWechatBill(fixture('wechat-all.csv'), 'x.csv', DAY);
    for await (const r of bill.records) {
      expect(r.key).toBe('P202611260001');
      break;
    }
    await expect(bill.summary).rejects.toMatchObject({ reason: '账单没有读完，汇总未核对' });
  });
});

describe('Alipay bill reader', () => {
  const golden = [
    { platform: 'alipay', kind: 'payment', key: 'P202611260101', orderNo: 'P202611260101', platformNo: '2026112622001400000000000101', amountFen: 6600, feeFen: 40, state: 'success', at: at('09:00:00'), billDate: DAY, line: 6 },
    { platform: 'alipay', kind: 'payment', key: 'P202611260102', orderNo: 'P202611260102', platformNo: '2026112622001400000000000102', amountFen: 1234, feeFen: 7, state: 'success', at: at('10:30:00'), billDate: DAY, line: 7 },
    { platform: 'alipay', kind: 'refund', key: 'R202611260101', orderNo: 'P202611260101', platformNo: '2026112622001400000000000101', amountFen: 600, feeFen: -4, state: 'success', at: at('20:00:01'), billDate: DAY, line: 8 },
  ];
  const DETAIL = 'alipay-day.zip › 20880000000000010156_20261126_业务明细.csv';

  it('reads the GBK detail file inside the ZIP: payments, refunds by out_request_no, fees in our sign, checked against both totals', async () => {
    const { records, summary } = await readAll(readAlipayBill(fixture('alipay-day.zip'), 'alipay-day.zip', DAY));
    expect(records.map(strip)).toEqual(golden);
    expect(summary).toEqual({ count: 3, paidFen: 7834, refundedFen: 600, feeFen: 43 });
    expect(records[0]!.raw).toMatchObject({ 商品名称: '客房预订订金, 含"早餐"', 支付宝交易号: '2026112622001400000000000101', '商家实收（元）': '66.00', '服务费（元）': '-0.40' });
    expect(records[2]!.raw).toMatchObject({ 业务类型: '退款', '退款批次号/请求号': 'R202611260101', '商家实收（元）': '-6.00', 备注: '少住一晚' });
  });

  it('reads an archive from a path, and an empty day', async () => {
    const path = new URL('../../fixtures/bills/alipay-day.zip', import.meta.url).pathname;
    expect((await readAll(readAlipayBill(path, 'alipay-day.zip', DAY))).records.map(strip)).toEqual(golden);
    expect(await readAll(readAlipayBill(fixture('alipay-empty-day.zip'), 'e.zip', DAY))).toEqual({ records: [], summary: { count: 0, paidFen: 0, refundedFen: 0, feeFen: 0 } });
  });

  it('refuses totals that disagree, a cut archive, a detail file cut before its trailer, a UTF-8 file, another day', async () => {
    expect(await refusal(readAlipayBill(fixture('alipay-totals-mismatch.zip'), 'alipay-day.zip', DAY))).toMatchObject({
      fileName: DETAIL,
      line: 10,
      reason: '交易合计商家实收为 78.34 元，明细合计为 79.34 元，不符',
    });
    const cut = await refusal(readAlipayBill(fixture('alipay-truncated.zip'), 'cut.zip', DAY));
    expect(cut).toMatchObject({ fileName: 'cut.zip', line: null });
    expect(cut.reason).toMatch(/^不是有效的 ZIP 压缩包，或文件不完整/);
    expect(await refusal(readAlipayBill(fixture('alipay-truncated-csv.zip'), 'alipay-day.zip', DAY))).toMatchObject({
      fileName: DETAIL,
      line: null,
      reason: '账单不完整：缺少「业务明细列表结束」和合计行，文件可能被截断',
    });
    expect(await refusal(readAlipayBill(fixture('alipay-utf8.zip'), 'u.zip', DAY))).toMatchObject({ line: 1, reason: '文件是 UTF-8 编码（有 BOM），支付宝账单应为 GBK 编码' });
    expect(await refusal(readAlipayBill(fixture('alipay-day.zip'), 'a.zip', '2026-11-27'))).toMatchObject({ line: null, reason: '这是 2026-11-26 的账单，不是 2026-11-27 的：是否选错了日期或文件？' });
  });

  const input = { pid: '2088000000000001', date: DAY, trades: [] as SimTrade[], refunds: [] as SimRefund[], exportedAt: at('23:00:00'), feeRatePpm: 6000, type: 'all' as const };
  const trade: SimTrade = { orderNo: 'P1', amountFen: 1000, description: '房费', scene: 'alipay_precreate', state: 'paid', platformTradeNo: 'T1', createdAt: at('08:00:00'), expireAt: at('09:00:00'), paidAt: at('08:01:00'), notifyUrl: '', payer: 'p', refundedFen: 0 };
  const rezip = (edit: (name: string, text: string) => string | null, encode = (s: string) => iconv.encode(s, 'gbk')) =>
    writeZip(alipayBillFiles({ ...input, trades: [trade] }).files.flatMap((f) => {
      const text = edit(f.name, f.text);
      return text === null ? [] : [{ name: iconv.encode(f.name, 'gbk'), data: encode(text), modified: input.exportedAt }];
    }));
  const detailOnly = (fn: (t: string) => string) => (name: string, text: string) => (name.endsWith('_业务明细.csv') ? fn(text) : text);

  it.each([
    ['a bad amount', detailOnly((t) => t.replace(',10.00,10.00,', ',10.00,10.005,')), 6, '「商家实收（元）」超过 2 位小数：10.005'],
    ['a bad time', detailOnly((t) => t.replace('2026-11-26 08:01:00', '2026-11-26 8:01')), 6, '「完成时间」不是 yyyy-MM-dd HH:mm:ss 格式的时间：2026-11-26 8:01'],
    ['a missing column', detailOnly((t) => t.replace(',服务费（元）,', ',手续费（元）,')), 5, '表头缺少必需的列：「服务费（元）」'],
    ['an unknown business type', detailOnly((t) => t.replace(',交易,', ',冻结,')), 6, '未知的业务类型：冻结（应为「交易」或「退款」）'],
    ['a trade outside the bill day', detailOnly((t) => t.replace('2026-11-26 08:01:00', '2026-11-27 08:01:00')), 6, '完成时间 2026-11-27 08:01:00 不在账单日 2026-11-26'],
    ['a row after the trailer', detailOnly((t) => `${t}x,y\r\n`), 11, '明细列表结束之后还有数据行'],
  ])('refuses %s, with the line', async (_what, edit, line, reason) => {
    expect(await refusal(readAlipayBill(rezip(edit), 'a.zip', DAY))).toMatchObject({ line, reason });
  });

  it('refuses an archive without its 汇总 file, a 汇总 that disagrees, a corrupted entry, bytes that are not GBK', async () => {
    expect(await refusal(readAlipayBill(rezip((name, text) => (name.includes('汇总') ? null : text)), 'a.zip', DAY))).toMatchObject({ line: null, reason: '压缩包中没有业务明细汇总文件（…_业务明细(汇总).csv）' });
    expect(await refusal(readAlipayBill(rezip((name, text) => (name.includes('汇总') ? text.replace(/,-0\.06,/g, ',-0.07,') : text)), 'a.zip', DAY))).toMatchObject({
      fileName: 'a.zip › 20880000000000010156_20261126_业务明细(汇总).csv',
      line: 7,
      reason: '汇总「服务费（元）」为 -0.07 元，明细合计为 -0.06 元，不符',
    });
    const zip = alipayBillZip({ ...input, trades: [trade] });
    const broken = Buffer.from(zip);
    // A byte inside the first entry's deflated data (after the 30-byte local header and the name).
    const data = 30 + zip.readUInt16LE(26) + 10;
    broken[data] = broken[data]! ^ 0xff;
    expect((await refusal(readAlipayBill(broken, 'b.zip', DAY))).reason).toMatch(/^压缩包中的文件(已损坏或不完整|校验失败)/);
    const notGbk = rezip(detailOnly((t) => t), (s) => Buffer.concat([iconv.encode(s.slice(0, 20), 'gbk'), Buffer.from([0x81, 0x20]), iconv.encode(s.slice(20), 'gbk')]));
    expect(await refusal(readAlipayBill(notGbk, 'g.zip', DAY))).toMatchObject({ reason: '文件不是 GBK 编码：有无法解码的字节' });
  });
});

describe('bank statement reader', () => {
  const golden = [
    { platform: 'bank', kind: 'payment', key: 'P202611260201', orderNo: 'P202611260201', platformNo: 'B2026112600000201', amountFen: 10000, feeFen: 60, state: 'success', at: at('09:00:00'), billDate: DAY, line: 2 },
    { platform: 'bank', kind: 'payment', key: 'P202611260202', orderNo: 'P202611260202', platformNo: 'B2026112600000202', amountFen: 2050, feeFen: 12, state: 'success', at: at('10:00:05'), billDate: DAY, line: 3 },
    { platform: 'bank', kind: 'refund', key: 'R202611260201', orderNo: 'P202611260201', platformNo: 'BR2026112600000201', amountFen: 2500, feeFen: -15, state: 'success', at: at('15:00:00'), billDate: DAY, line: 4 },
  ];

  it('reads PAY and REFUND rows (quoted subjects with commas and quotes) against the SUMMARY trailer', async () => {
    const { records, summary } = await readAll(readBankBill(fixture('bank-day.csv'), 'bank-day.csv', DAY));
    expect(records.map(strip)).toEqual(golden);
    expect(summary).toEqual({ count: 3, paidFen: 12050, refundedFen: 2500, feeFen: 57 });
    expect(records[0]!.raw).toMatchObject({ subject: '客房餐费-1208房, "加床"', pay_type: 'ONLINE', refund_amt: '' });
    expect(await readAll(readBankBill(fixture('bank-empty-day.csv'), 'e.csv', DAY))).toEqual({ records: [], summary: { count: 0, paidFen: 0, refundedFen: 0, feeFen: 0 } });
  });

  it('refuses a cut file, totals that disagree, another day, bad cells', async () => {
    expect(await refusal(readBankBill(fixture('bank-truncated.csv'), 'b.csv', DAY))).toMatchObject({ line: 5, reason: '账单不完整：最后一行没有换行，文件可能被截断（SUMMARY 汇总行应有 9 列，实际 2 列）' });
    expect(await refusal(readBankBill(fixture('bank-totals-mismatch.csv'), 'b.csv', DAY))).toMatchObject({ line: 5, reason: 'SUMMARY pay_amt 为 12000，明细合计为 12050，不符' });
    expect(await refusal(readBankBill(fixture('bank-day.csv'), 'b.csv', '2026-11-25'))).toMatchObject({ line: 2, reason: 'finish_time 2026-11-26 09:00:00 不在账单日 2026-11-25' });
    const text = fixture('bank-day.csv').toString('utf8');
    const bank = (t: string) => readBankBill(Buffer.from(t), 'b.csv', DAY);
    expect(await refusal(bank(text.replace(',10000,,60,', ',100.00,,60,')))).toMatchObject({ line: 2, reason: '「txn_amt」不是整数分：100.00' });
    expect(await refusal(bank(text.replace('PAY,P202611260202', 'PAID,P202611260202')))).toMatchObject({ line: 3, reason: '未知的记录类型：PAID（应为 PAY 或 REFUND）' });
    expect(await refusal(bank(text.replace('SUMMARY,20261126,3,2,12050,72,1,2500,15\r\n', '')))).toMatchObject({ line: null, reason: '账单不完整：缺少 SUMMARY 汇总行，文件可能被截断' });
    expect(await refusal(bank(text.replace(',fee_amt,', ',fee,')))).toMatchObject({ line: 1, reason: '表头缺少必需的列：「fee_amt」' });
    expect(await refusal(bank(text.replace('"客房餐费-1208房, ""加床"""', '"客房餐费-1208房, ""加床"""x')))).toMatchObject({ line: 2, reason: '引号结束后还有其他字符（第 12 列）：CSV 格式错误' });
  });
});

describe('writer → reader round trips (arbitrary product names: commas, quotes, backticks, CJK, emoji)', () => {
  const name = fc.oneof(
    fc.string({ unit: fc.constantFrom(',', '"', '`', ' ', '房', '早餐', '😀', '🏨', 'a', '，', '\t') , maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
  ).map((s) => s.replace(/[\r\n]/g, ''));
  const second = fc.integer({ min: 0, max: 86_399 });
  const fen = fc.integer({ min: 1, max: 100_000_000 });
  const dayStart = at('00:00:00');
  const hms = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);

  it('WeChat: every line comes back, the product name as the writer wrote it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ s: second, fen, refund: fc.boolean(), name }), { maxLength: 8 }), async (rows) => {
        const lines: TradeBillLine[] = rows.map((r, i) => ({
          time: hms(dayStart + r.s * 1000), appid: 'wx1', mchid: '1', transactionId: `T${i}`, outTradeNo: `P${i}`, openid: 'o', tradeType: 'NATIVE',
          kind: r.refund ? 'refund' : 'payment', orderFen: r.fen, description: r.name, attach: '', rateBp: 60,
          refund: r.refund ? { refundId: `RF${i}`, outRefundNo: `R${i}`, amountFen: r.fen, status: 'SUCCESS', appliedAt: hms(dayStart + r.s * 1000), succeededAt: '' } : undefined,
        }));
        const { records, summary } = await readAll(readWechatBill(writeTradeBill('ALL', lines), 'p.csv', DAY));
        expect(records.map((r) => [r.kind, r.key, r.orderNo, r.amountFen, r.at, r.raw['商品名称']])).toEqual(
          rows.map((r, i) => [r.refund ? 'refund' : 'payment', r.refund ? `R${i}` : `P${i}`, `P${i}`, r.fen, dayStart + r.s * 1000, r.name.replace(/,`/g, ', ')]),
        );
        expect(summary.count).toBe(rows.length);
      }),
      { numRuns: 60 },
    );
  });

  it('Alipay: every line comes back (GBK keeps what GBK can hold: an emoji becomes "?")', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ s: second, fen, name }), { maxLength: 6 }), async (rows) => {
        const trades: SimTrade[] = rows.map((r, i) => ({ orderNo: `P${i}`, amountFen: r.fen, description: r.name, scene: 'alipay_page', state: 'paid', platformTradeNo: `T${i}`, createdAt: dayStart, expireAt: dayStart, paidAt: dayStart + r.s * 1000, notifyUrl: '', payer: '', refundedFen: 0 }));
        const refunds: SimRefund[] = rows.filter((_, i) => i % 2 === 0).map((r, i) => ({ refundNo: `R${i * 2}`, orderNo: `P${i * 2}`, amountFen: r.fen, reason: r.name, state: 'success', platformRefundNo: '', createdAt: dayStart, succeededAt: dayStart + 86_399_000, notifyUrl: '' }));
        const zip = alipayBillZip({ pid: '2088', date: DAY, trades, refunds, exportedAt: dayStart + 86_400_000, feeRatePpm: 6000, type: 'all' });
        const { records, summary } = await readAll(readAlipayBill(zip, 'p.zip', DAY));
        // GBK holds no emoji (the writer's encoder puts "?"); a trailing TAB is Alipay's digits-as-text marker, removed.
        const gbk = (s: string) => iconv.decode(iconv.encode(s, 'gbk'), 'gbk').replace(/\t+$/, '');
        const payments = records.filter((r) => r.kind === 'payment');
        expect(payments.map((r) => [r.key, r.amountFen, r.at, r.raw['商品名称']]).sort()).toEqual(rows.map((r, i) => [`P${i}`, r.fen, dayStart + r.s * 1000, gbk(r.name)]).sort());
        expect(records.filter((r) => r.kind === 'refund').map((r) => [r.key, r.orderNo, r.amountFen, r.raw['备注']])).toEqual(refunds.map((r) => [r.refundNo, r.orderNo, r.amountFen, gbk(r.reason)]));
        expect(summary.count).toBe(rows.length + refunds.length);
      }),
      { numRuns: 40 },
    );
  });

  it('bank: every row comes back, subjects exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ s: second, fen, refund: fc.boolean(), name }), { maxLength: 8 }), async (rows) => {
        const bankRows: BankBillRow[] = rows.map((r, i) => ({
          recordType: r.refund ? 'REFUND' : 'PAY', orderNo: `P${i}`, tradeNo: `T${i}`, refundNo: r.refund ? `R${i}` : '', refundTradeNo: r.refund ? `RT${i}` : '', payType: 'ONLINE',
          txnFen: r.fen, refundFen: r.refund ? r.fen : 0, feeFen: 1, createTime: hms(dayStart), finishTime: hms(dayStart + r.s * 1000), subject: r.name,
        }));
        const { records } = await readAll(readBankBill(writeBankBill('20261126', bankRows), 'p.csv', DAY));
        expect(records.map((r) => [r.kind, r.key, r.amountFen, r.feeFen, r.at, r.raw['subject']])).toEqual(
          rows.map((r, i) => [r.refund ? 'refund' : 'payment', r.refund ? `R${i}` : `P${i}`, r.fen, r.refund ? -1 : 1, dayStart + r.s * 1000, r.name]),
        );
      }),
      { numRuns: 60 },
    );
  });
});
