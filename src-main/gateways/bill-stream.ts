import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { Fen } from '../core/money';
import type { PaymentMethod } from '../core/orders/order-types';
import type { BillRecord, BillSummary } from '../core/reconciliation/bill-record';
import type { RecordKind, RecordState } from '../core/reconciliation/recon-diff';
import { BillFormatError } from './bill-format-error';

/**
 * What every channel's bill reader returns (wechat/wechat-bill-reader.ts, alipay/alipay-bill-reader.ts,
 * bank/bank-bill-reader.ts). The file is read once, chunk by chunk, as the consumer pulls: a 1,000,000
 * line bill never sits in memory, only the chunk being parsed (≈1 MiB) and the records not yet consumed.
 *
 * How to consume: iterate EITHER `records` (one record at a time) OR `batches` (the records of one
 * decoded chunk at a time: far fewer awaits, for the bulk insert into the staging table) to the end,
 * then await `summary`. The bill's closing totals come last in every format, so a bill whose totals
 * disagree with its lines, or that is cut short, is only known at the end: the iteration then throws the
 * BillFormatError after the last record and `summary` rejects with the same error. Whatever was staged
 * from such a bill must be discarded (the consumer stages inside one transaction, or deletes the run).
 * `summary` never settles if nobody iterates; its rejection is pre-handled, so a consumer that only
 * iterates does not cause an unhandled rejection.
 *
 * The records are BillLine instances: every BillRecord field is an own data property except `raw`, a
 * getter that splits the line into named cells only when asked (the workbench's side panel asks for a
 * handful of lines; splitting a million lines nobody looks at would double the parse time). So
 * `r.raw` and `JSON.stringify(r)` (toJSON) carry the cells, `{ ...r }` and `structuredClone(r)` do not:
 * use `plainRecord(r)` for a plain object. Touching `raw` on every line of a million-line bill costs
 * ~5 µs a line (27 strings and an object each): stage the typed fields and `line`, and take `raw` only
 * for the lines someone looks at (a second pass over the file is cheap).
 */
export interface BillStream {
  fileName: string;
  records: AsyncIterable<BillRecord>;
  batches: AsyncIterable<BillRecord[]>;
  /** The bill's totals in record terms (Σ of the yielded records), checked against every total the file states. */
  summary: Promise<BillSummary>;
}

/** The file's bytes: a Buffer (already downloaded) or a stream (fs.createReadStream of a dropped or CLI file). */
export type BillSource = Buffer | Readable | AsyncIterable<Uint8Array>;

/**
 * A channel's format, line by line. `line` gets one line without its line break (a cell with an embedded
 * line break is the parser's business: it may keep the text and return null until the record is whole);
 * `end` checks what only the end can tell (summary present and agreeing) and returns the summary.
 */
export interface LineParser {
  line(text: string, n: number): BillRecord | null;
  end(lines: number): BillSummary;
}

/** Decoded text of the file, chunk by chunk. A decoding failure is thrown as DecodeFailure. */
export type TextChunks = AsyncIterable<string>;

/** Thrown by a chunk decoder; the driver turns it into a BillFormatError at the line where it happened. */
export class DecodeFailure extends Error {}

const CHUNK = 1 << 20;
/** Longer than any real bill line: a file without line breaks (binary, wrong format) stops here. */
const MAX_LINE = 1 << 20;

export async function* byteChunks(source: BillSource): AsyncGenerator<Uint8Array> {
  if (Buffer.isBuffer(source)) {
    for (let at = 0; at < source.length; at += CHUNK) yield source.subarray(at, at + CHUNK);
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/** UTF-8 (a leading BOM is dropped), strictly: a byte sequence that is not UTF-8 is an error, not U+FFFD. */
export async function* utf8Text(source: BillSource): TextChunks {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fail = () => new DecodeFailure('文件不是 UTF-8 编码（或在多字节字符中间被截断）');
  for await (const bytes of byteChunks(source)) {
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw fail();
    }
    if (text) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw fail();
  }
  if (rest) yield rest;
}

const TRUNCATED = '账单不完整：最后一行没有换行，文件可能被截断';

/** An error on the unterminated last line of a file, or at its end, most likely means a cut file. */
function truncated(fileName: string, e: unknown): unknown {
  return e instanceof BillFormatError ? new BillFormatError(fileName, e.line, `${TRUNCATED}（${e.reason}）`) : e;
}

/**
 * Splits the text into lines (LF or CRLF), hands them to the parser and yields the records of each
 * chunk. Errors carry the file name and line. An error on a last line without a line break, or at the
 * end of such a file, is reported as a probable truncation: that is what a cut download looks like.
 */
export async function* parseLines(fileName: string, text: TextChunks, parser: LineParser): AsyncGenerator<BillRecord[], BillSummary> {
  let rest = '';
  let n = 0;
  try {
    for await (const chunk of text) {
      const buf = rest ? rest + chunk : chunk;
      const out: BillRecord[] = [];
      let start = 0;
      for (;;) {
        const nl = buf.indexOf('\n', start);
        if (nl < 0) break;
        const end = nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        n++;
        const r = parser.line(buf.slice(start, end), n);
        if (r) out.push(r);
        start = nl + 1;
      }
      rest = start === 0 ? buf : buf.slice(start);
      if (rest.length > MAX_LINE) throw new BillFormatError(fileName, n + 1, '行过长（超过 1 MiB 没有换行）：不是账单文件');
      if (out.length > 0) yield out;
    }
  } catch (e) {
    if (e instanceof DecodeFailure) throw new BillFormatError(fileName, n + 1, e.message);
    throw e;
  }
  const terminated = rest.length === 0;
  try {
    if (!terminated) {
      n++;
      const r = parser.line(rest.endsWith('\r') ? rest.slice(0, -1) : rest, n);
      if (r) yield [r];
    }
    return parser.end(n);
  } catch (e) {
    throw terminated ? e : truncated(fileName, e);
  }
}

/**
 * The same on bytes, for the formats that are big (the WeChat bill: a million lines): lines are found
 * with memchr (Buffer.indexOf), each chunk's complete lines are checked as UTF-8 at once (isUtf8, native),
 * and the parser reads the cells it needs from the bytes and decodes only those.
 */
export interface ByteLineParser {
  /** The line is `buf[start, end)`, without its line break. */
  bytes(buf: Buffer, start: number, end: number, n: number): BillRecord | null;
  end(lines: number): BillSummary;
}

const NOT_UTF8 = '文件不是 UTF-8 编码（或在多字节字符中间被截断）';

export async function* parseByteLines(fileName: string, source: BillSource, parser: ByteLineParser): AsyncGenerator<BillRecord[], BillSummary> {
  let carry: Buffer | null = null;
  let n = 0;
  const lineEnd = (buf: Buffer, start: number, nl: number) => (nl > start && buf[nl - 1] === 13 ? nl - 1 : nl);
  /** Which line of buf[from, to) is not UTF-8 (called only when the region is not). */
  const badLine = (buf: Buffer, from: number, to: number): number => {
    let k = n;
    for (let pos = from; pos < to; ) {
      const nl = buf.indexOf(10, pos);
      const stop = nl < 0 || nl >= to ? to : nl + 1;
      k++;
      if (!isUtf8(buf.subarray(pos, stop))) return k;
      pos = stop;
    }
    return k;
  };
  for await (const bytes of byteChunks(source)) {
    const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: BillRecord[] = [];
    let pos = 0;
    if (carry) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
        if (carry.length > MAX_LINE) throw new BillFormatError(fileName, n + 1, '行过长（超过 1 MiB 没有换行）：不是账单文件');
        continue;
      }
      const line = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
      carry = null;
      if (!isUtf8(line)) throw new BillFormatError(fileName, n + 1, NOT_UTF8);
      n++;
      const r = parser.bytes(line, 0, lineEnd(line, 0, line.length - 1), n);
      if (r) out.push(r);
      pos = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= pos) {
      if (!isUtf8(chunk.subarray(pos, last + 1))) throw new BillFormatError(fileName, badLine(chunk, pos, last + 1), NOT_UTF8);
      while (pos <= last) {
        const nl = chunk.indexOf(10, pos);
        n++;
        const r = parser.bytes(chunk, pos, lineEnd(chunk, pos, nl), n);
        if (r) out.push(r);
        pos = nl + 1;
      }
    }
    if (pos < chunk.length) {
      carry = Buffer.from(chunk.subarray(pos));
      if (carry.length > MAX_LINE) throw new BillFormatError(fileName, n + 1, '行过长（超过 1 MiB 没有换行）：不是账单文件');
    }
    if (out.length > 0) yield out;
  }
  const terminated = !carry || carry.length === 0;
  try {
    if (carry && carry.length > 0) {
      n++;
      if (!isUtf8(carry)) throw new BillFormatError(fileName, n, NOT_UTF8);
      const r = parser.bytes(carry, 0, carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length, n);
      if (r) yield [r];
    }
    return parser.end(n);
  } catch (e) {
    throw terminated ? e : truncated(fileName, e);
  }
}

/** Where a record's `raw` cells come from, materialized on first access. */
export interface RawSource {
  raw(): Record<string, string>;
}

/** Cells already split (the CSV formats). */
export class SplitCells implements RawSource {
  constructor(
    private readonly names: readonly string[],
    private readonly cells: readonly string[],
  ) {}

  raw(): Record<string, string> {
    return rawCells(this.names, this.cells);
  }
}

/** A BillRecord with `raw` computed on demand (see BillStream). */
export class BillLine implements BillRecord {
  readonly platform: PaymentMethod;
  readonly kind: RecordKind;
  readonly key: string;
  readonly orderNo: string;
  readonly platformNo: string;
  readonly amountFen: Fen;
  readonly feeFen: Fen | null;
  readonly state: RecordState;
  readonly at: number;
  readonly billDate: string;
  readonly line: number;
  #source: RawSource | null;
  #raw: Record<string, string> | null = null;

  // Positional: one allocation per line, no options object (a million of them).
  constructor(platform: PaymentMethod, kind: RecordKind, key: string, orderNo: string, platformNo: string, amountFen: Fen, feeFen: Fen | null, state: RecordState, at: number, billDate: string, line: number, source: RawSource) {
    this.platform = platform;
    this.kind = kind;
    this.key = key;
    this.orderNo = orderNo;
    this.platformNo = platformNo;
    this.amountFen = amountFen;
    this.feeFen = feeFen;
    this.state = state;
    this.at = at;
    this.billDate = billDate;
    this.line = line;
    this.#source = source;
  }

  get raw(): Record<string, string> {
    if (!this.#raw) {
      this.#raw = this.#source!.raw();
      this.#source = null;
    }
    return this.#raw;
  }

  toJSON(): BillRecord {
    return plainRecord(this);
  }
}

/** A plain object copy of a record, `raw` included. */
export function plainRecord(r: BillRecord): BillRecord {
  return { platform: r.platform, kind: r.kind, key: r.key, orderNo: r.orderNo, platformNo: r.platformNo, amountFen: r.amountFen, feeFen: r.feeFen, state: r.state, at: r.at, billDate: r.billDate, line: r.line, raw: r.raw };
}

/** Wraps a generator of record batches that returns the checked summary (parseLines does) into a BillStream. */
export function billStream(fileName: string, make: () => AsyncGenerator<BillRecord[], BillSummary>): BillStream {
  let settle!: { ok: (s: BillSummary) => void; fail: (e: unknown) => void };
  const summary = new Promise<BillSummary>((ok, fail) => (settle = { ok, fail }));
  summary.catch(() => undefined);
  let started = false;
  async function* batches(): AsyncGenerator<BillRecord[]> {
    if (started) throw new Error(`账单 ${fileName} 只能读取一次`);
    started = true;
    try {
      settle.ok(yield* make());
    } catch (e) {
      settle.fail(e);
      throw e;
    } finally {
      // Stopped early (break, return): the totals were never checked.
      settle.fail(new BillFormatError(fileName, null, '账单没有读完，汇总未核对'));
    }
  }
  // A plain iterator over the batches rather than an async generator: one resolved promise per record
  // instead of a generator's request queue (the difference is ~1 s per million records).
  function records(): AsyncIterator<BillRecord> {
    const source = batches();
    let batch: BillRecord[] = [];
    let i = 0;
    return {
      async next(): Promise<IteratorResult<BillRecord>> {
        while (i >= batch.length) {
          const r = await source.next();
          if (r.done) return { done: true, value: undefined };
          batch = r.value;
          i = 0;
        }
        return { done: false, value: batch[i++]! };
      },
      async return(): Promise<IteratorResult<BillRecord>> {
        await source.return(undefined as never);
        return { done: true, value: undefined };
      },
    };
  }
  return {
    fileName,
    summary,
    batches: { [Symbol.asyncIterator]: () => batches() },
    records: { [Symbol.asyncIterator]: records },
  };
}

/** Throws the parser's error for the current line. */
export type Fail = (reason: string) => never;

/**
 * One RFC 4180 record of one line: cells split on commas, "…" cells unwrapped with "" as a quote.
 * Returns null when a quoted cell is still open at the end (it continues on the next line: the caller
 * joins the lines with "\n" and calls again).
 */
export function splitCsvLine(text: string, fail: Fail): string[] | null {
  if (!text.includes('"')) return text.split(',');
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let cell = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return null;
        cell += text.slice(from, q);
        if (text.charCodeAt(q + 1) === 34) {
          cell += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cells.push(cell);
      if (i === text.length) return cells;
      if (text.charCodeAt(i) !== 44) fail(`引号结束后还有其他字符（第 ${cells.length} 列）：CSV 格式错误`);
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const cell = comma < 0 ? text.slice(i) : text.slice(i, comma);
      if (cell.includes('"')) fail(`未加引号的单元格中有引号（第 ${cells.length + 1} 列）：CSV 格式错误`);
      cells.push(cell);
      if (comma < 0) return cells;
      i = comma + 1;
    }
  }
}

export interface AmountRule {
  /** Digits after the point the format allows (2 for yuan; WeChat writes fees with 5, the last 3 zero). */
  decimals?: number;
  negative?: boolean;
}

/** A yuan cell ("12.34", "-0.06000") → integer fen, exactly (no floating point on the way). */
export function yuanToFen(cell: string, column: string, fail: Fail, rule: AmountRule = {}): number {
  const max = rule.decimals ?? 2;
  const len = cell.length;
  let i = 0;
  let neg = false;
  if (len > 0 && cell.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  let int = 0;
  const intStart = i;
  for (; i < len; i++) {
    const c = cell.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    int = int * 10 + c;
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 13) fail(`「${column}」不是金额：${cell === '' ? '（空）' : cell}`);
  let frac = 0;
  let fd = 0;
  let subFen = false;
  if (i < len) {
    if (cell.charCodeAt(i) !== 46) fail(`「${column}」不是金额：${cell}`);
    for (i++; i < len; i++, fd++) {
      const c = cell.charCodeAt(i) - 48;
      if (c < 0 || c > 9) fail(`「${column}」不是金额：${cell}`);
      if (fd < 2) frac = frac * 10 + c;
      else if (c !== 0) subFen = true;
    }
    if (fd === 0) fail(`「${column}」不是金额：${cell}`);
    if (fd > max) fail(`「${column}」超过 ${max} 位小数：${cell}`);
    if (subFen) fail(`「${column}」不足一分的部分不为零：${cell}（应按分结算）`);
  }
  if (fd === 1) frac *= 10;
  const fen = int * 100 + frac;
  if (neg && fen !== 0 && !rule.negative) fail(`「${column}」不能为负数：${cell}`);
  return neg && fen !== 0 ? -fen : fen;
}

/** An integer fen cell (the bank's statement). */
export function fenCell(cell: string, column: string, fail: Fail, negative = false): number {
  if (!/^-?\d{1,15}$/.test(cell)) fail(`「${column}」不是整数分：${cell === '' ? '（空）' : cell}`);
  const fen = Number(cell);
  if (fen < 0 && !negative) fail(`「${column}」不能为负数：${cell}`);
  return fen === 0 ? 0 : fen;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** "2026-11-26 10:00:05" in Asia/Shanghai → epoch ms; impossible dates (02-30, 24:00) are refused. */
export function shanghaiTime(cell: string, column: string, fail: Fail): number {
  const m = TIME.exec(cell);
  if (!m) fail(`「${column}」不是 yyyy-MM-dd HH:mm:ss 格式的时间：${cell === '' ? '（空）' : cell}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || (d > 28 && new Date(utc).getUTCDate() !== d) || d < 1) fail(`「${column}」不是有效时间：${cell}`);
  return utc - SHANGHAI_OFFSET_MS;
}

/** Column positions by header name; names must not repeat and the required ones must be there. */
export function columnIndex(names: readonly string[], required: readonly string[], fail: Fail): Map<string, number> {
  const at = new Map<string, number>();
  names.forEach((name, i) => {
    if (at.has(name)) fail(`表头中「${name}」列重复`);
    at.set(name, i);
  });
  const missing = required.filter((r) => !at.has(r));
  if (missing.length > 0) fail(`表头缺少必需的列：${missing.map((m) => `「${m}」`).join('、')}`);
  return at;
}

/** A record's `raw`: its cells by header name. */
export function rawCells(names: readonly string[], cells: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) raw[names[i]!] = cells[i] ?? '';
  return raw;
}
