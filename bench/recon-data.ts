import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fenToYuanString } from '../src-main/core/money';
import { DIFF_TYPES, type DiffType } from '../src-main/core/reconciliation/recon-diff';
import { DAY_MS, formatShanghai, shanghaiDayStart } from '../src-main/core/time';
import { BILL_SUMMARY_HEADER, TRADE_BILL_HEADER, writeTradeBill, type TradeBillLine } from '../src-main/gateways/wechat/wechat-bill';

/**
 * The reconciliation benchmark's day (issue 6 Benchmark): `rows` lines of a WeChat Pay trade bill
 * (bill_type ALL: payments and refunds, the summary rows at the end) and our records of the same day,
 * with about 0.5% of the keys carrying an injected difference of one of the seven types. Generated
 * from a seed, in time order, a chunk at a time, so the million lines never sit in memory; every
 * consumer (the bill file, DuckDB's CSV of our records, the SQLite and MariaDB seeders) runs its own
 * pass over the same generator and sees the same data.
 *
 * Per key (out_trade_no / out_refund_no):
 *  - 97% payments, 3% refunds (a refund of an earlier payment of the day, its fee returned: negative);
 *  - 0.5% injected, the seven types in turn: 金额差异 (the platform's amount differs), 状态差异 (our order
 *    still pending, the platform says paid), 漏单 (bill line only), 平台无此单 (our payment only), 重复单
 *    (本地: two successful payment transactions of one order; 平台: two bill lines with one key), 手续费差异
 *    (a refund whose fee we recorded differently);
 *  - besides the day: 0.5% orders paid the day before (never in this bill: the day filter must leave them
 *    out) and 0.3% closed orders (never paid: not a difference).
 * A one-sided record in the last 15 minutes of the day is held for the next day (the hold rule): the
 * expected tally counts it as held, as the engine must.
 */

export interface ReconSpec {
  /** Detail lines of the bill. */
  rows: number;
  seed: number;
  /** The bill's day, Asia/Shanghai. */
  date: string;
}

export const RECON_DATE = '2025-11-30';
export const HOLD_WINDOW_MS = 15 * 60_000;

export const specFor = (rows: number): ReconSpec => ({ rows, seed: 20251130, date: RECON_DATE });

/** Identifies the generated data: this file and the bill writer it uses, and the spec. */
export function reconDataVersion(spec: ReconSpec): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(import.meta.dirname, 'recon-data.ts')));
  h.update(readFileSync(join(import.meta.dirname, '../src-main/gateways/wechat/wechat-bill.ts')));
  h.update(JSON.stringify(spec));
  return h.digest('hex').slice(0, 16);
}

/** Column lists of the local tables, in the order the generator gives the values. */
export const ORDER_COLUMNS = ['order_no', 'amount_fen', 'paid_fen', 'refunded_fen', 'payment_method', 'order_type', 'status', 'description', 'created_at', 'expire_at', 'paid_at', 'gateway_trade_no', 'version', 'updated_seq'] as const;
export const TRANSACTION_COLUMNS = ['transaction_no', 'order_no', 'payment_method', 'amount_fen', 'status', 'type', 'gateway_trade_no', 'created_at', 'updated_at', 'version', 'updated_seq'] as const;
export const REFUND_COLUMNS = ['refund_no', 'order_no', 'platform', 'amount_fen', 'reason', 'state', 'source', 'requested_by_name', 'platform_refund_no', 'fee_fen', 'succeeded_at', 'created_at', 'updated_at', 'version', 'updated_seq'] as const;

export interface ReconChunk {
  bill: TradeBillLine[];
  orders: unknown[][];
  transactions: unknown[][];
  refunds: unknown[][];
}

/** What a correct engine must report for the day, known by construction. */
export interface ReconExpected {
  billLines: number;
  localPayments: number;
  localRefunds: number;
  matched: { count: number; amountFen: number };
  held: number;
  diffs: Record<DiffType, { count: number; amountFen: number }>;
}

const INJECTED_SHARE = 0.005;
const REFUND_SHARE = 0.03;
const PREVIOUS_DAY_SHARE = 0.005;
const CLOSED_SHARE = 0.003;
const RATE_BP = 60;
const CHUNK = 20_000;
const INJECTED: DiffType[] = ['amount', 'status', 'missing_local', 'missing_platform', 'duplicate_local', 'duplicate_platform', 'fee'];
const DESCRIPTIONS = ['客房预订-豪华大床房 2晚', '会议室租用（半天）', '餐饮 · 自助晚餐', '定金：婚宴 12 桌', '洗衣服务', '停车费 3 小时', 'SPA 套餐 · 双人'];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The bill writer's fee for a line (wechat-bill.ts feeFen): rounded half up, negative on a refund. */
export const wechatFee = (kind: 'payment' | 'refund', amountFen: number) => (kind === 'refund' ? -1 : 1) * Math.floor((amountFen * RATE_BP) / 10000 + 0.5);

/**
 * The day in chunks; returns the expected outcome. `rows` bill lines exactly: the last key is never
 * a two-line duplicate when only one line is left.
 */
export function* reconDay(spec: ReconSpec): Generator<ReconChunk, ReconExpected> {
  const rand = prng(spec.seed);
  const ymd = spec.date.replaceAll('-', '');
  const dayStart = shanghaiDayStart(spec.date);
  const dayEnd = dayStart + DAY_MS;
  const diffs = Object.fromEntries(DIFF_TYPES.map((t) => [t, { count: 0, amountFen: 0 }])) as ReconExpected['diffs'];
  const expected: ReconExpected = { billLines: 0, localPayments: 0, localRefunds: 0, matched: { count: 0, amountFen: 0 }, held: 0, diffs };
  const diff = (t: DiffType, fen: number) => {
    diffs[t].count++;
    diffs[t].amountFen += fen;
  };
  let chunk: ReconChunk = { bill: [], orders: [], transactions: [], refunds: [] };
  let seq = 0;
  let txSeq = 0;
  let injectedTurn = 0;
  let lastPaidOrder = '';
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const order = (orderNo: string, amountFen: number, status: string, createdAt: number, paidAt: number | null, tradeNo: string | null) => {
    chunk.orders.push([orderNo, amountFen, paidAt === null ? 0 : amountFen, 0, 'wechat', 'customer_order', status, DESCRIPTIONS[seq % DESCRIPTIONS.length], createdAt, createdAt + 30 * 60_000, paidAt, tradeNo, 2, 0]);
  };
  const transaction = (orderNo: string, amountFen: number, status: string, createdAt: number, updatedAt: number, tradeNo: string | null) => {
    txSeq++;
    chunk.transactions.push([`T${ymd}${pad(txSeq, 12)}`, orderNo, 'wechat', amountFen, status, 'payment', tradeNo, createdAt, updatedAt, 2, 0]);
    expected.localPayments++;
  };
  const refund = (refundNo: string, orderNo: string, amountFen: number, platformNo: string, feeFen: number, at: number) => {
    chunk.refunds.push([refundNo, orderNo, 'wechat', amountFen, '客人取消', 'success', 'staff', '前台', platformNo, feeFen, at, at - 60_000, at, 3, 0]);
    expected.localRefunds++;
  };
  const line = (kind: 'payment' | 'refund', at: number, orderNo: string, amountFen: number, transactionId: string, refundNo?: string, refundId?: string): void => {
    const time = formatShanghai(at);
    chunk.bill.push({
      time,
      appid: 'wx2421b1c4370ec43b',
      mchid: '1900000109',
      transactionId,
      outTradeNo: orderNo,
      openid: `oUpF8uMuAJO_M2pxb1Q9z${pad(seq % 10_000_000, 7)}`,
      tradeType: 'JSAPI',
      kind,
      orderFen: amountFen,
      ...(kind === 'refund' ? { refund: { refundId: refundId!, outRefundNo: refundNo!, amountFen, status: 'SUCCESS', appliedAt: time, succeededAt: formatShanghai(at + 5000) } } : {}),
      description: DESCRIPTIONS[seq % DESCRIPTIONS.length]!,
      attach: '',
      rateBp: RATE_BP,
    });
    expected.billLines++;
  };
  /** A one-sided record in the last 15 minutes is held for the next day, otherwise it is the difference. */
  const oneSided = (type: DiffType, at: number, fen: number) => (at >= dayEnd - HOLD_WINDOW_MS ? expected.held++ : diff(type, fen));

  while (expected.billLines < spec.rows) {
    seq++;
    const at = dayStart + Math.floor((expected.billLines / spec.rows) * (DAY_MS / 1000)) * 1000;
    const amountFen = 100 + Math.floor(rand() * 200_000);
    const orderNo = `P${ymd}${pad(seq, 10)}`;
    const tradeNo = `42000${ymd}${pad(seq, 15)}`;
    const r = rand();
    // Besides the day's bill: orders of the previous day and closed orders.
    if (r < PREVIOUS_DAY_SHARE) {
      const paidAt = at - DAY_MS;
      order(orderNo, amountFen, 'paid', paidAt - 120_000, paidAt, tradeNo);
      transaction(orderNo, amountFen, 'success', paidAt - 120_000, paidAt, tradeNo);
    } else if (r < PREVIOUS_DAY_SHARE + CLOSED_SHARE) {
      order(orderNo, amountFen, 'cancelled', at - 120_000, null, null);
      transaction(orderNo, amountFen, 'failed', at - 120_000, at, null);
    } else if (r < PREVIOUS_DAY_SHARE + CLOSED_SHARE + INJECTED_SHARE) {
      let type = INJECTED[injectedTurn++ % INJECTED.length]!;
      if (type === 'duplicate_platform' && expected.billLines + 2 > spec.rows) type = 'amount';
      if (type === 'fee') {
        if (!lastPaidOrder) type = 'amount';
        else {
          const refundNo = `R${ymd}${pad(seq, 10)}`;
          const fee = wechatFee('refund', amountFen);
          const delta = 1 + Math.floor(rand() * 10);
          refund(refundNo, lastPaidOrder, amountFen, `50300${ymd}${pad(seq, 15)}`, fee + delta, at);
          line('refund', at, lastPaidOrder, amountFen, `42000${ymd}${pad(seq, 15)}`, refundNo, `50300${ymd}${pad(seq, 15)}`);
          diff('fee', delta);
          continue;
        }
      }
      switch (type) {
        case 'amount': {
          const theirs = amountFen + 1 + Math.floor(rand() * 5000);
          order(orderNo, amountFen, 'paid', at - 120_000, at, tradeNo);
          transaction(orderNo, amountFen, 'success', at - 120_000, at, tradeNo);
          line('payment', at, orderNo, theirs, tradeNo);
          diff('amount', theirs - amountFen);
          break;
        }
        case 'status':
          order(orderNo, amountFen, 'pending', at - 120_000, null, null);
          transaction(orderNo, amountFen, 'pending', at - 120_000, at - 120_000, null);
          line('payment', at, orderNo, amountFen, tradeNo);
          diff('status', amountFen);
          break;
        case 'missing_local':
          line('payment', at, orderNo, amountFen, tradeNo);
          oneSided('missing_local', at, amountFen);
          break;
        case 'missing_platform':
          order(orderNo, amountFen, 'paid', at - 120_000, at, tradeNo);
          transaction(orderNo, amountFen, 'success', at - 120_000, at, tradeNo);
          oneSided('missing_platform', at, amountFen);
          break;
        case 'duplicate_local':
          order(orderNo, amountFen, 'paid', at - 120_000, at, tradeNo);
          transaction(orderNo, amountFen, 'success', at - 120_000, at, tradeNo);
          transaction(orderNo, amountFen, 'success', at - 60_000, at, `${tradeNo.slice(0, -1)}X`);
          line('payment', at, orderNo, amountFen, tradeNo);
          diff('duplicate_local', amountFen);
          break;
        case 'duplicate_platform':
          order(orderNo, amountFen, 'paid', at - 120_000, at, tradeNo);
          transaction(orderNo, amountFen, 'success', at - 120_000, at, tradeNo);
          line('payment', at, orderNo, amountFen, tradeNo);
          line('payment', at, orderNo, amountFen, `${tradeNo.slice(0, -1)}Y`);
          diff('duplicate_platform', amountFen);
          break;
        default:
          throw new Error(type);
      }
    } else if (r < PREVIOUS_DAY_SHARE + CLOSED_SHARE + INJECTED_SHARE + REFUND_SHARE && lastPaidOrder) {
      const refundNo = `R${ymd}${pad(seq, 10)}`;
      const refundId = `50300${ymd}${pad(seq, 15)}`;
      refund(refundNo, lastPaidOrder, amountFen, refundId, wechatFee('refund', amountFen), at);
      line('refund', at, lastPaidOrder, amountFen, `42000${ymd}${pad(seq, 15)}`, refundNo, refundId);
      expected.matched.count++;
      expected.matched.amountFen += amountFen;
    } else {
      order(orderNo, amountFen, 'paid', at - 120_000, at, tradeNo);
      transaction(orderNo, amountFen, 'success', at - 120_000, at, tradeNo);
      line('payment', at, orderNo, amountFen, tradeNo);
      expected.matched.count++;
      expected.matched.amountFen += amountFen;
      lastPaidOrder = orderNo;
    }
    if (chunk.bill.length >= CHUNK) {
      yield chunk;
      chunk = { bill: [], orders: [], transactions: [], refunds: [] };
    }
  }
  if (chunk.bill.length || chunk.orders.length) yield chunk;
  return expected;
}

/** Runs the generator to its end, handing each chunk over; returns the expected outcome. */
export async function eachChunk(spec: ReconSpec, take: (c: ReconChunk) => Promise<void> | void): Promise<ReconExpected> {
  const gen = reconDay(spec);
  for (;;) {
    const next = gen.next();
    if (next.done) return next.value;
    await take(next.value);
  }
}

/**
 * The detail lines of `lines` exactly as the simulator's writer (writeTradeBill, bill_type ALL) writes
 * them: the writer runs on each chunk and its header and summary lines are cut off, so a million lines
 * can be written a chunk at a time.
 */
function detailText(lines: readonly TradeBillLine[]): string {
  const text = writeTradeBill('ALL', lines).toString('utf8');
  const first = text.indexOf('\n') + 1;
  let end = text.length - 1; // the final line break
  for (let k = 0; k < 2; k++) end = text.lastIndexOf('\n', end - 1);
  return text.slice(first, end + 1);
}

const feeCell = (fen: number) => `${fenToYuanString(fen)}000`;

/** Streams the bill to `path` and writes our records as CSV for DuckDB; returns the expected outcome. */
export async function writeReconFiles(spec: ReconSpec, paths: { bill: string; localPayments: string; localRefunds: string }): Promise<ReconExpected> {
  const bill = openSync(paths.bill, 'w');
  const pay = openSync(paths.localPayments, 'w');
  const ref = openSync(paths.localRefunds, 'w');
  try {
    writeSync(bill, `\ufeff${TRADE_BILL_HEADER.join(',')}\n`);
    writeSync(pay, 'seq,order_no,trade_no,amount_fen,status,paid_at,updated_at,payment_method\n');
    writeSync(ref, 'seq,refund_no,order_no,platform_refund_no,amount_fen,fee_fen,state,succeeded_at,updated_at,platform\n');
    const totals = { count: 0, settle: 0, refunded: 0, fees: 0 };
    const orderPaidAt = new Map<string, number | null>();
    let txId = 0;
    let refundId = 0;
    const expected = await eachChunk(spec, (c) => {
      writeSync(bill, detailText(c.bill));
      for (const l of c.bill) {
        totals.count++;
        if (l.kind === 'refund') totals.refunded += l.refund!.amountFen;
        else totals.settle += l.orderFen;
        totals.fees += wechatFee(l.kind, l.kind === 'refund' ? l.refund!.amountFen : l.orderFen);
      }
      // paid_at is the order's: the transactions of a chunk belong to orders of the same chunk.
      orderPaidAt.clear();
      for (const o of c.orders) orderPaidAt.set(o[0] as string, o[10] as number | null);
      const out: string[] = [];
      for (const t of c.transactions) {
        const paidAt = orderPaidAt.get(t[1] as string);
        out.push(`${++txId},${t[1]},${t[6] ?? ''},${t[3]},${t[4]},${paidAt ?? ''},${t[8]},${t[2]}`);
      }
      if (out.length) writeSync(pay, `${out.join('\n')}\n`);
      const refunds = c.refunds.map((r) => `${++refundId},${r[0]},${r[1]},${r[8]},${r[3]},${r[9]},${r[5]},${r[10]},${r[12]},${r[2]}`);
      if (refunds.length) writeSync(ref, `${refunds.join('\n')}\n`);
    });
    const s = totals;
    writeSync(bill, `${BILL_SUMMARY_HEADER.join(',')}\n\`${[String(s.count), fenToYuanString(s.settle), fenToYuanString(s.refunded), '0.00', feeCell(s.fees), fenToYuanString(s.settle), fenToYuanString(s.refunded)].join(',`')}\n`);
    return expected;
  } finally {
    closeSync(bill);
    closeSync(pay);
    closeSync(ref);
  }
}

/** The streamed writer must produce exactly what the simulator's writer produces: checked on a small day. */
export async function checkBillWriter(dir: string): Promise<void> {
  const spec: ReconSpec = { rows: 3000, seed: 7, date: RECON_DATE };
  const lines: TradeBillLine[] = [];
  for (const c of reconDay(spec)) lines.push(...c.bill);
  const whole = writeTradeBill('ALL', lines);
  const paths = { bill: join(dir, 'recon-writer-check.csv'), localPayments: join(dir, 'recon-writer-check-p.csv'), localRefunds: join(dir, 'recon-writer-check-r.csv') };
  await writeReconFiles(spec, paths);
  const written = readFileSync(paths.bill);
  for (const p of Object.values(paths)) rmSync(p, { force: true });
  if (!written.equals(whole)) throw new Error('bench/recon-data.ts: the streamed bill differs from writeTradeBill');
}
