import { open } from 'node:fs/promises';
import type { BillRecord, BillSummary } from '../../core/reconciliation/bill-record';
import type { RecordState } from '../../core/reconciliation/recon-diff';
import { BillFormatError } from '../bill-format-error';
import { fenToYuanString } from '../../core/money';
import { shanghaiDayStart } from '../../core/time';
import { BillLine, billStream, byteChunks, columnIndex, parseByteLines, plainRecord, rawCells, shanghaiTime, SplitCells, yuanToFen, type AmountRule, type BillSource, type BillStream, type ByteLineParser, type Fail, type RawSource } from '../bill-stream';

/**
 * Reads a WeChat Pay trade bill (format: wechat/wechat-bill.ts) as a stream of BillRecords.
 *  - UTF-8, BOM optional, LF or CRLF. Line 1 is the header (plain names); detail lines have every cell
 *    prefixed with a backtick, so a line is split on ",`" after its first backtick (a product name may
 *    hold commas and quotes: they are plain text here, WeChat never quotes).
 *  - Columns by NAME: v3 ALL (27), SUCCESS (20, no refund columns), REFUND (29), and v2 bills (24
 *    columns, 总金额 / 代金券或立减优惠金额 / 子商户号). Extra columns are kept in `raw`.
 *  - A line with 交易状态 REFUND is a refund: key 商户退款单号, orderNo 商户订单号, amount 申请退款金额
 *    (what we asked to refund; v2: 退款金额), state from 退款状态. Other lines are payments: key and
 *    orderNo 商户订单号, amount 订单金额 (v2: 总金额), state from 交易状态.
 *  - 手续费 is yuan with 5 decimals, per line, rounded to the fen (the last 3 decimals must be 0), negative
 *    on refund lines: exactly BillRecord's sign convention.
 *  - The summary header (总交易单数,…) and its one backticked line close the file; every total it states
 *    is checked against the sum of its column over the lines (a column absent from the detail sums to 0:
 *    a SUCCESS bill states 退款总金额 0.00). Nothing but blank lines may follow.
 *  - 交易时间 (payment success, refund acceptance) is on the bill's day, Asia/Shanghai: a line from
 *    another day means the wrong file was imported for this date.
 * Speed: a detail line is read from its bytes (cell bounds by scanning for ",`", amounts and the time
 * parsed from the digits, only the numbers and states decoded to strings); any line that is not plainly
 * valid goes through the string path, which finds and words the error. The issue-6 benchmark reads a
 * million lines this way.
 */
export function readWechatBill(source: BillSource, fileName: string, billDate: string): BillStream {
  return billStream(fileName, () => parseByteLines(fileName, source, new WechatBillParser(fileName, billDate)));
}

/**
 * The records at `lines` (line numbers, ascending) of a WeChat bill already read in full by
 * readWechatBill: a second pass that finds lines by their line breaks (memchr) and parses only the
 * header and the wanted lines, each record a plain copy (cells included) that keeps none of the
 * file's buffers. For the few lines a reconciliation shows in full; it checks nothing the first pass
 * checked (encoding, totals), and a wanted line that is not a detail line yields nothing.
 */
export async function* rereadWechatBill(source: BillSource | { path: string }, fileName: string, billDate: string, lines: readonly number[]): AsyncGenerator<BillRecord> {
  const parser = new WechatBillParser(fileName, billDate);
  let want = 0;
  let n = 0;
  let carry: Buffer | null = null;
  const take = (buf: Buffer, start: number, nl: number): BillRecord | null => {
    n++;
    if (n !== 1 && n !== lines[want]) return null;
    if (n === lines[want]) want++;
    const r = parser.bytes(buf, start, nl > start && buf[nl - 1] === 13 ? nl - 1 : nl, n);
    return r && plainRecord(r);
  };
  for await (const bytes of 'path' in source ? reusedChunks(source.path) : byteChunks(source)) {
    if (want >= lines.length) return;
    const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    if (carry) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const line = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
      carry = null;
      const r = take(line, 0, line.length - 1);
      if (r) yield r;
      pos = nl + 1;
    }
    for (let nl = chunk.indexOf(10, pos); nl >= 0 && want < lines.length; nl = chunk.indexOf(10, pos)) {
      const r = take(chunk, pos, nl);
      if (r) yield r;
      pos = nl + 1;
    }
    if (pos < chunk.length) carry = Buffer.from(chunk.subarray(pos));
  }
  if (carry && want < lines.length) {
    const r = take(carry, 0, carry.length);
    if (r) yield r;
  }
}

/**
 * A file's bytes a MiB at a time in ONE buffer, read again for every chunk: the second pass keeps
 * nothing of a chunk (it copies what it keeps), so a 300 MB file leaves no 300 MB of buffers for the
 * garbage collector to find.
 */
async function* reusedChunks(path: string): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/** A detail line's cells, split only when the workbench asks. */
class LineCells implements RawSource {
  constructor(
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly end: number,
    private readonly names: readonly string[],
  ) {}

  raw(): Record<string, string> {
    return rawCells(this.names, this.buf.toString('utf8', this.start + 1, this.end).split(',`'));
  }
}

const BAD = Number.NaN;

/** A yuan amount from bytes (same rules as yuanToFen); NaN when anything is off (the string path then says what). */
function fenFromBytes(b: Buffer, s: number, e: number, decimals: number, negative: boolean): number {
  let i = s;
  let neg = false;
  if (i < e && b[i] === 45) {
    if (!negative) return BAD;
    neg = true;
    i++;
  }
  const intStart = i;
  let int = 0;
  for (; i < e; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    int = int * 10 + c;
  }
  if (i === intStart || i - intStart > 13) return BAD;
  let frac = 0;
  if (i < e) {
    if (b[i] !== 46) return BAD;
    const fd = e - i - 1;
    if (fd < 1 || fd > decimals) return BAD;
    for (let k = 1; k <= fd; k++) {
      const c = b[i + k]! - 48;
      if (c < 0 || c > 9) return BAD;
      if (k <= 2) frac = frac * 10 + c;
      else if (c !== 0) return BAD;
    }
    if (fd === 1) frac *= 10;
  }
  const fen = int * 100 + frac;
  return neg ? -fen : fen;
}

/** Two decimal digits at b[i], b[i+1]; NaN when they are not digits. */
function twoDigits(b: Buffer, i: number): number {
  const hi = b[i]! - 48;
  const lo = b[i + 1]! - 48;
  return hi >= 0 && hi <= 9 && lo >= 0 && lo <= 9 ? hi * 10 + lo : BAD;
}

/** Cell k of the line whose cell starts are in `starts` (the next cell starts 2 bytes after its ",`"). */
function cellText(b: Buffer, starts: Int32Array, k: number): string {
  return b.toString('utf8', starts[k]!, starts[k + 1]! - 2);
}

/** Summary total → the detail column it adds up (v3 names, then v2 names). */
const TOTALS: Record<string, string> = {
  应结订单总金额: '应结订单金额',
  退款总金额: '退款金额',
  充值券退款总金额: '充值券退款金额',
  手续费总金额: '手续费',
  订单总金额: '订单金额',
  申请退款总金额: '申请退款金额',
  总交易额: '总金额',
  总退款金额: '退款金额',
  总代金券或立减优惠退款金额: '代金券或立减优惠退款金额',
};
const COUNT = '总交易单数';
const SUMMED = [...new Set(Object.values(TOTALS))];
const FEE = '手续费';
const FEE_RULE: AmountRule = { decimals: 5, negative: true };

const PAYMENT_STATES: Record<string, RecordState> = {
  SUCCESS: 'success',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'failed',
};
const REFUND_STATES: Record<string, RecordState> = {
  SUCCESS: 'success',
  PROCESSING: 'pending',
  CLOSED: 'closed',
  REFUNDCLOSE: 'closed',
  ABNORMAL: 'failed',
  CHANGE: 'failed',
  FAIL: 'failed',
};

const NOT_A_BILL = '不是微信支付交易账单：第一行应为表头（交易时间,公众账号ID,商户号,…）';

class WechatBillParser implements ByteLineParser {
  private n = 0;
  private stage: 'header' | 'detail' | 'summary' | 'done' = 'header';
  private names: string[] = [];
  private col = new Map<string, number>();
  /** Amount columns present in the header: [column name, index, running sum in fen]. */
  private summed: { name: string; at: number; sum: number }[] = [];
  private amounts: number[] = [];
  private summaryNames: string[] = [];
  private rows = 0;
  private paid = 0;
  private refunded = 0;
  private fees = 0;
  private readonly fail: Fail;
  /** Fast path: cell starts of the current line (one past the end for the last+1). */
  private starts = new Int32Array(0);
  private readonly dayStart: number;
  private readonly ymd: number;
  private iTime = 0;
  private iOrder = 0;
  private iTxn = 0;
  private iStatus = 0;
  private iRefundNo = -1;
  private iRefundId = -1;
  private iRefundStatus = -1;
  /** Positions in `summed` of the payment amount, the refund amount and the fee. */
  private sPay = -1;
  private sRefund = -1;
  private sFee = -1;
  private readonly rules: { decimals: number; negative: boolean }[] = [];

  constructor(
    private readonly fileName: string,
    private readonly billDate: string,
  ) {
    this.fail = (reason) => {
      throw new BillFormatError(this.fileName, this.n, reason);
    };
    this.dayStart = shanghaiDayStart(billDate);
    this.ymd = Number(billDate.replace(/-/g, ''));
  }

  bytes(b: Buffer, s: number, e: number, n: number): BillRecord | null {
    // Detail lines start with "`2" (the year of 交易时间); everything else is read as text.
    if (this.stage === 'detail' && e - s > 2 && b[s] === 96 && b[s + 1] === 50) {
      const r = this.fast(b, s, e, n);
      if (r) return r;
    }
    return this.line(b.toString('utf8', s, e), n);
  }

  /** A plainly valid detail line from its bytes, or null (the string path then handles it, error included). */
  private fast(b: Buffer, s: number, e: number, n: number): BillRecord | null {
    const cols = this.names.length;
    const starts = this.starts;
    let k = 0;
    starts[0] = s + 1;
    for (let i = s + 1; i < e - 1; i++) {
      if (b[i] === 44 && b[i + 1] === 96) {
        if (++k >= cols) return null;
        starts[k] = i + 2;
      }
    }
    if (k !== cols - 1) return null;
    starts[cols] = e + 2;
    const amounts = this.amounts;
    for (let j = 0; j < this.summed.length; j++) {
      const at = this.summed[j]!.at;
      const rule = this.rules[j]!;
      const v = fenFromBytes(b, starts[at]!, starts[at + 1]! - 2, rule.decimals, rule.negative);
      if (v !== v) return null;
      amounts[j] = v === 0 ? 0 : v;
    }
    const t = starts[this.iTime]!;
    if (starts[this.iTime + 1]! - 2 - t !== 19 || b[t + 4] !== 45 || b[t + 7] !== 45 || b[t + 10] !== 32 || b[t + 13] !== 58 || b[t + 16] !== 58) return null;
    const ymd = twoDigits(b, t) * 1_000_000 + twoDigits(b, t + 2) * 10_000 + twoDigits(b, t + 5) * 100 + twoDigits(b, t + 8);
    const h = twoDigits(b, t + 11);
    const mi = twoDigits(b, t + 14);
    const sec = twoDigits(b, t + 17);
    if (ymd !== this.ymd || !(h < 24 && mi < 60 && sec < 60)) return null;
    const at = this.dayStart + (h * 3600 + mi * 60 + sec) * 1000;
    const orderNo = cellText(b, starts, this.iOrder);
    const status = cellText(b, starts, this.iStatus);
    if (!orderNo) return null;
    const feeFen = amounts[this.sFee]!;
    let record: BillLine;
    if (status === 'REFUND') {
      if (this.sRefund < 0 || this.iRefundNo < 0 || this.iRefundStatus < 0) return null;
      const key = cellText(b, starts, this.iRefundNo);
      const state = REFUND_STATES[cellText(b, starts, this.iRefundStatus)];
      if (!key || key === '0' || !state) return null;
      const amountFen = amounts[this.sRefund]!;
      record = new BillLine('wechat', 'refund', key, orderNo, this.iRefundId < 0 ? '' : cellText(b, starts, this.iRefundId), amountFen, feeFen, state, at, this.billDate, n, new LineCells(b, s, e, this.names));
      this.refunded += amountFen;
    } else {
      const state = PAYMENT_STATES[status];
      if (!state) return null;
      const amountFen = amounts[this.sPay]!;
      record = new BillLine('wechat', 'payment', orderNo, orderNo, cellText(b, starts, this.iTxn), amountFen, feeFen, state, at, this.billDate, n, new LineCells(b, s, e, this.names));
      this.paid += amountFen;
    }
    for (let j = 0; j < this.summed.length; j++) this.summed[j]!.sum += amounts[j]!;
    this.rows++;
    this.fees += feeFen;
    return record;
  }

  line(text: string, n: number): BillRecord | null {
    this.n = n;
    if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0 || text === '\ufeff') return null;
    switch (this.stage) {
      case 'header':
        this.header(text);
        return null;
      case 'detail':
        if (text.startsWith(COUNT) || text.startsWith(`\`${COUNT}`)) {
          this.summaryHeader(text);
          return null;
        }
        return this.detail(text);
      case 'summary':
        this.summary(text);
        return null;
      default:
        return this.fail('汇总行之后还有内容：文件格式不对或被拼接');
    }
  }

  private header(text: string): void {
    this.names = text.split(',').map((h) => h.replace(/^`/, '').trim());
    if (this.names[0] !== '交易时间') this.fail(NOT_A_BILL);
    this.col = columnIndex(this.names, ['交易时间', '微信订单号', '商户订单号', '交易状态', FEE], this.fail);
    if (!['订单金额', '总金额', '应结订单金额'].some((c) => this.col.has(c))) this.fail('表头缺少金额列：「订单金额」（v2 账单为「总金额」）');
    this.summed = SUMMED.filter((c) => this.col.has(c)).map((name) => ({ name, at: this.col.get(name)!, sum: 0 }));
    this.amounts = this.summed.map(() => 0);
    this.rules.push(...this.summed.map((c) => (c.name === FEE ? { decimals: 5, negative: true } : { decimals: 2, negative: false })));
    const slot = (name: string) => this.summed.findIndex((c) => c.name === name);
    this.sFee = slot(FEE);
    this.sPay = [slot('订单金额'), slot('总金额'), slot('应结订单金额')].find((i) => i >= 0)!;
    this.sRefund = [slot('申请退款金额'), slot('退款金额')].find((i) => i >= 0) ?? -1;
    const at = (name: string) => this.col.get(name) ?? -1;
    [this.iTime, this.iOrder, this.iTxn, this.iStatus, this.iRefundNo, this.iRefundId, this.iRefundStatus] = ['交易时间', '商户订单号', '微信订单号', '交易状态', '商户退款单号', '微信退款单号', '退款状态'].map(at) as [number, number, number, number, number, number, number];
    this.starts = new Int32Array(this.names.length + 1);
    this.stage = 'detail';
  }

  private cell(cells: readonly string[], name: string): string {
    const at = this.col.get(name);
    return at === undefined ? '' : cells[at]!;
  }

  private amount(name: string): number | undefined {
    const i = this.summed.findIndex((s) => s.name === name);
    return i < 0 ? undefined : this.amounts[i];
  }

  private detail(text: string): BillRecord {
    if (text.charCodeAt(0) !== 96) this.fail('明细行的单元格应以反引号 ` 开头');
    const cells = text.slice(1).split(',`');
    if (cells.length !== this.names.length) this.fail(`有 ${cells.length} 列，表头有 ${this.names.length} 列（单元格中不能有 ",\`"，也可能是文件被截断）`);
    for (let i = 0; i < this.summed.length; i++) {
      const s = this.summed[i]!;
      const fen = yuanToFen(cells[s.at]!, s.name, this.fail, s.name === FEE ? FEE_RULE : undefined);
      this.amounts[i] = fen;
      s.sum += fen;
    }
    const timeCell = this.cell(cells, '交易时间');
    const at = shanghaiTime(timeCell, '交易时间', this.fail);
    if (!timeCell.startsWith(this.billDate)) this.fail(`交易时间 ${timeCell} 不在账单日 ${this.billDate}：是否选错了日期或文件？`);
    const orderNo = this.cell(cells, '商户订单号');
    if (!orderNo) this.fail('「商户订单号」为空');
    const status = this.cell(cells, '交易状态');
    const feeFen = this.amount(FEE)!;
    this.rows++;
    this.fees += feeFen;
    const raw = new SplitCells(this.names, cells);
    if (status === 'REFUND') {
      const amountFen = this.amount('申请退款金额') ?? this.amount('退款金额');
      if (amountFen === undefined || !this.col.has('商户退款单号') || !this.col.has('退款状态')) this.fail('退款行需要「商户退款单号」「退款状态」「退款金额」列，表头中没有');
      const key = this.cell(cells, '商户退款单号');
      if (!key || key === '0') this.fail('退款行的「商户退款单号」为空');
      const refundStatus = this.cell(cells, '退款状态');
      const state = REFUND_STATES[refundStatus];
      if (!state) this.fail(`未知的退款状态：${refundStatus || '（空）'}`);
      this.refunded += amountFen;
      return new BillLine('wechat', 'refund', key, orderNo, this.cell(cells, '微信退款单号'), amountFen, feeFen, state, at, this.billDate, this.n, raw);
    }
    const state = PAYMENT_STATES[status];
    if (!state) this.fail(`未知的交易状态：${status || '（空）'}`);
    const amountFen = this.amount('订单金额') ?? this.amount('总金额') ?? this.amount('应结订单金额')!;
    this.paid += amountFen;
    return new BillLine('wechat', 'payment', orderNo, orderNo, this.cell(cells, '微信订单号'), amountFen, feeFen, state, at, this.billDate, this.n, raw);
  }

  private summaryHeader(text: string): void {
    this.summaryNames = text.split(',').map((h) => h.replace(/^`/, '').trim());
    const unknown = this.summaryNames.filter((h) => h !== COUNT && !(h in TOTALS));
    if (unknown.length > 0) this.fail(`汇总表头有未知的列：${unknown.map((u) => `「${u}」`).join('、')}`);
    columnIndex(this.summaryNames, [COUNT, '手续费总金额'], this.fail);
    this.stage = 'summary';
  }

  private summary(text: string): void {
    if (text.charCodeAt(0) !== 96) this.fail('汇总行的单元格应以反引号 ` 开头');
    const cells = text.slice(1).split(',`');
    if (cells.length !== this.summaryNames.length) this.fail(`汇总行有 ${cells.length} 列，汇总表头有 ${this.summaryNames.length} 列`);
    this.summaryNames.forEach((name, i) => {
      const cell = cells[i]!;
      if (name === COUNT) {
        if (!/^\d+$/.test(cell)) this.fail(`汇总「${COUNT}」不是整数：${cell}`);
        if (Number(cell) !== this.rows) this.fail(`汇总「${COUNT}」为 ${cell}，明细有 ${this.rows} 行，不符`);
        return;
      }
      const column = TOTALS[name]!;
      const stated = yuanToFen(cell, `汇总 ${name}`, this.fail, column === FEE ? FEE_RULE : undefined);
      const sum = this.summed.find((s) => s.name === column)?.sum ?? 0;
      if (stated !== sum) this.fail(`汇总「${name}」为 ${fenToYuanString(stated)} 元，明细「${column}」合计为 ${fenToYuanString(sum)} 元，不符`);
    });
    this.stage = 'done';
  }

  end(): BillSummary {
    if (this.stage === 'header') throw new BillFormatError(this.fileName, null, '文件是空的');
    if (this.stage !== 'done') throw new BillFormatError(this.fileName, null, `账单不完整：缺少汇总行（${COUNT},…），文件可能被截断`);
    return { count: this.rows, paidFen: this.paid, refundedFen: this.refunded, feeFen: this.fees };
  }
}
