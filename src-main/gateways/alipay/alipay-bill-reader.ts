import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { fenToYuanString } from '../../core/money';
import type { BillRecord, BillSummary } from '../../core/reconciliation/bill-record';
import { shanghaiDayStart } from '../../core/time';
import { BillFormatError } from '../bill-format-error';
import { BillLine, billStream, columnIndex, DecodeFailure, parseLines, shanghaiTime, SplitCells, splitCsvLine, yuanToFen, type BillStream, type Fail, type LineParser, type TextChunks } from '../bill-stream';

/**
 * Reads an Alipay trade bill archive (alipay.data.dataservice.bill.downloadurl.query, bill_type=trade;
 * format: simulator/alipay-bill.ts and PROTOCOLS.md §3) as a stream of BillRecords.
 *  - A ZIP (names in GBK bytes without the UTF-8 flag, or UTF-8 with it) holding `…_业务明细.csv` and
 *    `…_业务明细(汇总).csv`. The 汇总 file is read first (a few lines), then the detail file is streamed
 *    entry → inflate → CRC-32 check → GB18030 decoder (a superset of GBK: every GBK file decodes the
 *    same, and a 4-byte character such as an emoji in a product name is not mistaken for a bad byte);
 *    a byte sequence that is not GBK is refused as a wrong encoding, not replaced.
 *  - `#` lines are comments: the preface (账号, 起始日期/终止日期 — the bill's day, checked against the day
 *    asked for — and the 业务明细列表 marker), then the header and rows as RFC 4180 CSV (product names
 *    may be quoted and hold commas, quotes and line breaks), then the trailer: 业务明细列表结束,
 *    `#交易合计：N笔，商家实收共X元…`, `#退款合计：M笔，商家实收退款共Y元…`, 导出时间.
 *  - Ids carry a trailing TAB so spreadsheets keep the digits: cells lose trailing TABs (in `raw` too).
 *  - 业务类型 交易 is a payment: key and orderNo 商户订单号, amount 订单金额（元）. 退款 is a refund:
 *    key 退款批次号/请求号 (our out_request_no; Alipay uses the out_trade_no when a refund was sent
 *    without one — unverified, so an empty cell falls back to 商户订单号), amount −商家实收（元）
 *    (negative in the file). Every line is money that moved: state success. 服务费（元） is negative
 *    when charged and positive when returned on a refund: its sign is flipped to BillRecord's.
 *  - Checks at the end: the 交易合计 / 退款合计 counts and 商家实收 sums, and the 汇总 file's 合计 row
 *    (交易订单总笔数, 退款订单总笔数, 商家实收, 服务费, 实收净额 = 商家实收 + 服务费). 汇总's 订单金额 is
 *    not checked (its meaning with discounts is unverified).
 */
export function readAlipayBill(zip: Buffer | string, fileName: string, billDate: string): BillStream {
  return billStream(fileName, () => readArchive(zip, fileName, billDate));
}

export const DETAIL_SUFFIX = '_业务明细.csv';
const SUMMARY_SUFFIXES = ['_业务明细(汇总).csv', '_业务明细（汇总）.csv'];

const REQUIRED_DETAIL = ['支付宝交易号', '商户订单号', '业务类型', '完成时间', '订单金额（元）', '商家实收（元）', '退款批次号/请求号', '服务费（元）'];
const REQUIRED_SUMMARY = ['门店编号', '交易订单总笔数', '退款订单总笔数', '商家实收（元）', '服务费（元）', '实收净额（元）'];

function openZip(zip: Buffer | string): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, decodeStrings: false, autoClose: false, validateEntrySizes: true };
  return new Promise((ok, fail) => {
    const done = (err: Error | null, z?: yauzl.ZipFile) => (err || !z ? fail(err ?? new Error('no zip')) : ok(z));
    if (typeof zip === 'string') yauzl.open(zip, options, done);
    else yauzl.fromBuffer(zip, options, done);
  });
}

function listEntries(z: yauzl.ZipFile): Promise<{ name: string; entry: yauzl.Entry }[]> {
  return new Promise((ok, fail) => {
    const out: { name: string; entry: yauzl.Entry }[] = [];
    z.on('entry', (entry: yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      out.push({ name: entry.generalPurposeBitFlag & 0x800 ? raw.toString('utf8') : iconv.decode(raw, 'gbk'), entry });
      z.readEntry();
    });
    z.once('end', () => ok(out));
    z.once('error', fail);
    z.readEntry();
  });
}

/** The entry's text, chunk by chunk; CRC-32 and size checked at the end; not GBK → DecodeFailure. */
async function* gbkText(z: yauzl.ZipFile, entry: yauzl.Entry, where: string): TextChunks {
  let stream: Readable;
  try {
    stream = await z.openReadStreamPromise(entry);
  } catch (e) {
    throw new BillFormatError(where, null, `压缩包中的文件无法读取（${(e as Error).message}）`);
  }
  const decoder = iconv.getDecoder('gb18030');
  let crc = 0;
  let first = true;
  const bad = (text: string) => text.includes('\ufffd');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) throw new DecodeFailure('文件是 UTF-8 编码（有 BOM），支付宝账单应为 GBK 编码');
      first = false;
      crc = crc32(chunk, crc);
      const text = decoder.write(chunk);
      if (bad(text)) throw new DecodeFailure('文件不是 GBK 编码：有无法解码的字节');
      if (text) yield text;
    }
  } catch (e) {
    if (e instanceof DecodeFailure) throw e;
    throw new BillFormatError(where, null, `压缩包中的文件已损坏或不完整（${(e as Error).message}）`);
  } finally {
    stream.destroy();
  }
  if ((crc >>> 0) !== entry.crc32) throw new BillFormatError(where, null, '压缩包中的文件校验失败（CRC-32 不符）：文件已损坏');
  const rest = decoder.end() ?? '';
  if (bad(rest)) throw new DecodeFailure('文件不是 GBK 编码：结尾有不完整的字符');
  if (rest) yield rest;
}

async function* readArchive(zip: Buffer | string, fileName: string, billDate: string): AsyncGenerator<BillRecord[], BillSummary> {
  let z: yauzl.ZipFile;
  try {
    z = await openZip(zip);
  } catch (e) {
    throw new BillFormatError(fileName, null, `不是有效的 ZIP 压缩包，或文件不完整（${(e as Error).message}）`);
  }
  try {
    let entries: { name: string; entry: yauzl.Entry }[];
    try {
      entries = await listEntries(z);
    } catch (e) {
      throw new BillFormatError(fileName, null, `压缩包目录已损坏（${(e as Error).message}）`);
    }
    const detail = entries.find((e) => e.name.endsWith(DETAIL_SUFFIX));
    const summary = entries.find((e) => SUMMARY_SUFFIXES.some((s) => e.name.endsWith(s)));
    if (!detail) throw new BillFormatError(fileName, null, `压缩包中没有业务明细文件（…${DETAIL_SUFFIX}）`);
    if (!summary) throw new BillFormatError(fileName, null, '压缩包中没有业务明细汇总文件（…_业务明细(汇总).csv）');
    const day = /_(\d{4})(\d{2})(\d{2})_业务明细/.exec(detail.name);
    if (day && `${day[1]}-${day[2]}-${day[3]}` !== billDate) throw new BillFormatError(fileName, null, `这是 ${day[1]}-${day[2]}-${day[3]} 的账单，不是 ${billDate} 的：是否选错了日期或文件？`);
    const summaryName = `${fileName} › ${summary.name}`;
    const totals = new AlipaySummaryParser(summaryName);
    for await (const none of parseLines(summaryName, gbkText(z, summary.entry, summaryName), totals)) void none;
    const detailName = `${fileName} › ${detail.name}`;
    return yield* parseLines(detailName, gbkText(z, detail.entry, detailName), new AlipayDetailParser(detailName, billDate, totals));
  } finally {
    z.close();
  }
}

const stripTab = (s: string) => (s.endsWith('\t') ? s.replace(/\t+$/, '') : s);
const cn = (ms: string) => ms.replace(/^(\d{4})年(\d{2})月(\d{2})日/, '$1-$2-$3');

/** Lines and RFC 4180 records with a cell spanning lines: returns the cells once the record is whole. */
class CsvRecords {
  private pending: string | null = null;
  start = 0;

  constructor(private readonly fail: Fail) {}

  push(text: string, n: number): string[] | null {
    const joined = this.pending === null ? text : `${this.pending}\n${text}`;
    if (this.pending === null) this.start = n;
    const cells = splitCsvLine(joined, this.fail);
    this.pending = cells ? null : joined;
    return cells && cells.map(stripTab);
  }

  get open(): boolean {
    return this.pending !== null;
  }
}

interface StatedTotals {
  line: number;
  payCount: number;
  refundCount: number;
  receivedFen: number;
  serviceFen: number;
  netFen: number;
}

class AlipaySummaryParser implements LineParser {
  private n = 0;
  private col: Map<string, number> | null = null;
  private names: string[] = [];
  private ended = false;
  totals: StatedTotals | null = null;
  private readonly fail: Fail;
  private readonly csv: CsvRecords;

  constructor(readonly fileName: string) {
    this.fail = (reason) => {
      throw new BillFormatError(this.fileName, this.n, reason);
    };
    this.csv = new CsvRecords(this.fail);
  }

  line(text: string, n: number): null {
    this.n = n;
    if (text.startsWith('#') && !this.csv.open) {
      if (text.includes('业务汇总列表结束')) this.ended = true;
      return null;
    }
    if (text.length === 0) return null;
    if (this.ended) this.fail('汇总列表结束之后还有数据');
    const cells = this.csv.push(text, n);
    if (!cells) return null;
    if (!this.col) {
      this.names = cells;
      this.col = columnIndex(cells, REQUIRED_SUMMARY, this.fail);
      return null;
    }
    if (cells.length !== this.names.length) this.fail(`有 ${cells.length} 列，表头有 ${this.names.length} 列`);
    const cell = (name: string) => cells[this.col!.get(name)!]!;
    if (cell('门店编号').trim() !== '合计') return null;
    const count = (name: string) => {
      const v = cell(name);
      if (!/^\d+$/.test(v)) this.fail(`「${name}」不是整数：${v}`);
      return Number(v);
    };
    const yuan = (name: string) => yuanToFen(cell(name), name, this.fail, { negative: true });
    this.totals = {
      line: n,
      payCount: count('交易订单总笔数'),
      refundCount: count('退款订单总笔数'),
      receivedFen: yuan('商家实收（元）'),
      serviceFen: yuan('服务费（元）'),
      netFen: yuan('实收净额（元）'),
    };
    return null;
  }

  end(): BillSummary {
    if (this.csv.open) throw new BillFormatError(this.fileName, this.csv.start, '引号没有闭合：文件可能被截断');
    if (!this.col) throw new BillFormatError(this.fileName, null, '没有汇总表头：文件是空的或被截断');
    if (!this.totals || !this.ended) throw new BillFormatError(this.fileName, null, '账单不完整：缺少「合计」行或「业务汇总列表结束」，文件可能被截断');
    return { count: 0, paidFen: 0, refundedFen: 0, feeFen: null };
  }
}

const TRADE_TOTAL = /^#交易合计：(\d+)笔，商家实收共(-?\d+(?:\.\d+)?)元/;
const REFUND_TOTAL = /^#退款合计：(\d+)笔，商家实收退款共(-?\d+(?:\.\d+)?)元/;
const RANGE = /起始日期：\[(\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}:\d{2})\]\s*终止日期：\[(\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}:\d{2})\]/;

class AlipayDetailParser implements LineParser {
  private n = 0;
  private stage: 'preface' | 'rows' | 'trailer' = 'preface';
  private names: string[] = [];
  private col = new Map<string, number>();
  private range: { start: number; end: number } | null = null;
  private pays = { count: 0, received: 0, amount: 0 };
  private refunds = { count: 0, received: 0, amount: 0 };
  private service = 0;
  private trade: { line: number; count: number; received: number } | null = null;
  private refund: { line: number; count: number; received: number } | null = null;
  private readonly fail: Fail;
  private readonly csv: CsvRecords;
  private iOrder = 0;
  private iTradeNo = 0;
  private iType = 0;
  private iDone = 0;
  private iAmount = 0;
  private iReceived = 0;
  private iRequest = 0;
  private iService = 0;

  constructor(
    private readonly fileName: string,
    private readonly billDate: string,
    private readonly totals: AlipaySummaryParser,
  ) {
    this.fail = (reason) => {
      throw new BillFormatError(this.fileName, this.n, reason);
    };
    this.csv = new CsvRecords(this.fail);
  }

  line(text: string, n: number): BillRecord | null {
    this.n = n;
    if (this.csv.open) return this.row(text);
    if (text.length === 0) return null;
    if (text.startsWith('#')) {
      this.comment(text);
      return null;
    }
    if (this.stage === 'trailer') this.fail('明细列表结束之后还有数据行');
    if (this.stage === 'preface') {
      const cells = this.csv.push(text, n);
      if (!cells) this.fail('表头的引号没有闭合');
      this.names = cells;
      if (!cells.includes('支付宝交易号')) this.fail('不是支付宝业务明细：找不到表头（支付宝交易号,商户订单号,…），或文件不是 GBK 编码');
      this.col = columnIndex(cells, REQUIRED_DETAIL, this.fail);
      const at = (name: string) => this.col.get(name)!;
      [this.iTradeNo, this.iOrder, this.iType, this.iDone, this.iAmount, this.iReceived, this.iRequest, this.iService] = REQUIRED_DETAIL.map(at) as [number, number, number, number, number, number, number, number];
      if (!this.range) {
        const start = shanghaiDayStart(this.billDate);
        this.range = { start, end: start + 86_400_000 };
      }
      this.stage = 'rows';
      return null;
    }
    return this.row(text);
  }

  private comment(text: string): void {
    if (this.stage === 'preface') {
      const m = RANGE.exec(text);
      if (m) {
        const start = shanghaiTime(cn(m[1]!), '起始日期', this.fail);
        const end = shanghaiTime(cn(m[2]!), '终止日期', this.fail);
        const day = cn(m[1]!).slice(0, 10);
        if (day !== this.billDate) this.fail(`这是 ${day} 的账单，不是 ${this.billDate} 的：是否选错了日期或文件？`);
        this.range = { start, end };
      }
      return;
    }
    if (this.stage === 'rows') {
      if (!text.includes('业务明细列表结束')) this.fail('明细中间出现了注释行');
      this.stage = 'trailer';
      return;
    }
    const total = (re: RegExp, what: string) => {
      const m = re.exec(text);
      if (!m) return null;
      return { line: this.n, count: Number(m[1]), received: yuanToFen(m[2]!, `${what}商家实收`, this.fail, { negative: true }) };
    };
    this.trade ??= total(TRADE_TOTAL, '交易合计');
    this.refund ??= total(REFUND_TOTAL, '退款合计');
  }

  private row(text: string): BillRecord | null {
    const cells = this.csv.push(text, this.n);
    if (!cells) return null;
    const line = this.csv.start;
    const fail: Fail = (reason) => {
      throw new BillFormatError(this.fileName, line, reason);
    };
    if (cells.length !== this.names.length) fail(`有 ${cells.length} 列，表头有 ${this.names.length} 列`);
    const orderNo = cells[this.iOrder]!;
    if (!orderNo) fail('「商户订单号」为空');
    const type = cells[this.iType]!;
    const doneCell = cells[this.iDone]!;
    const at = shanghaiTime(doneCell, '完成时间', fail);
    if (at < this.range!.start || at >= this.range!.end) fail(`完成时间 ${doneCell} 不在账单日 ${this.billDate}`);
    const received = yuanToFen(cells[this.iReceived]!, '商家实收（元）', fail, { negative: true });
    const service = yuanToFen(cells[this.iService]!, '服务费（元）', fail, { negative: true });
    this.service += service;
    const feeFen = service === 0 ? 0 : -service;
    const tradeNo = cells[this.iTradeNo]!;
    const raw = new SplitCells(this.names, cells);
    if (type === '交易') {
      if (received < 0) fail('交易行的「商家实收（元）」不能为负数');
      const amountFen = yuanToFen(cells[this.iAmount]!, '订单金额（元）', fail);
      this.pays.count++;
      this.pays.received += received;
      this.pays.amount += amountFen;
      return new BillLine('alipay', 'payment', orderNo, orderNo, tradeNo, amountFen, feeFen, 'success', at, this.billDate, line, raw);
    }
    if (type === '退款') {
      if (received > 0) fail('退款行的「商家实收（元）」应为负数');
      const amountFen = received === 0 ? 0 : -received;
      this.refunds.count++;
      this.refunds.received += received;
      this.refunds.amount += amountFen;
      return new BillLine('alipay', 'refund', cells[this.iRequest] || orderNo, orderNo, tradeNo, amountFen, feeFen, 'success', at, this.billDate, line, raw);
    }
    return fail(`未知的业务类型：${type || '（空）'}（应为「交易」或「退款」）`);
  }

  end(): BillSummary {
    const whole = (reason: string, line: number | null = null) => new BillFormatError(this.fileName, line, reason);
    if (this.csv.open) throw whole('引号没有闭合：文件可能被截断', this.csv.start);
    if (this.stage === 'preface') throw whole('没有业务明细表头：文件是空的或被截断');
    if (this.stage === 'rows') throw whole('账单不完整：缺少「业务明细列表结束」和合计行，文件可能被截断');
    if (!this.trade || !this.refund) throw whole('账单不完整：缺少「#交易合计」或「#退款合计」行，文件可能被截断');
    const yuan = fenToYuanString;
    const check = (line: number, what: string, stated: number, counted: number, unit: 'count' | 'fen', file = this.fileName) => {
      if (stated === counted) return;
      const show = (v: number) => (unit === 'count' ? `${v} 笔` : `${yuan(v)} 元`);
      throw new BillFormatError(file, line, `${what}为 ${show(stated)}，明细合计为 ${show(counted)}，不符`);
    };
    check(this.trade.line, '交易合计笔数', this.trade.count, this.pays.count, 'count');
    check(this.trade.line, '交易合计商家实收', this.trade.received, this.pays.received, 'fen');
    check(this.refund.line, '退款合计笔数', this.refund.count, this.refunds.count, 'count');
    check(this.refund.line, '退款合计商家实收', this.refund.received, this.refunds.received, 'fen');
    const t = this.totals.totals!;
    const file = this.totals.fileName;
    const received = this.pays.received + this.refunds.received;
    check(t.line, '汇总「交易订单总笔数」', t.payCount, this.pays.count, 'count', file);
    check(t.line, '汇总「退款订单总笔数」', t.refundCount, this.refunds.count, 'count', file);
    check(t.line, '汇总「商家实收（元）」', t.receivedFen, received, 'fen', file);
    check(t.line, '汇总「服务费（元）」', t.serviceFen, this.service, 'fen', file);
    check(t.line, '汇总「实收净额（元）」', t.netFen, received + this.service, 'fen', file);
    return { count: this.pays.count + this.refunds.count, paidFen: this.pays.amount, refundedFen: this.refunds.amount, feeFen: this.service === 0 ? 0 : -this.service };
  }
}
