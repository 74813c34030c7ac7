import { DomainError } from '../../core/errors';
import { PAYMENT_METHOD_LABELS, type PaymentMethod } from '../../core/orders/order-types';
import type { BillRecord } from '../../core/reconciliation/bill-record';
import { diffAmountFen, RECORD_KINDS, type ReconSummary, type RecordKind } from '../../core/reconciliation/recon-diff';
import type { Clock } from '../../core/time';
import type { DayCursor, FoundDiff, LocalPage, StagedRow, TakeLocal } from '../../db/repositories/recon-repository';
import type { Store } from '../../db/store';
import { plainRecord } from '../../gateways/bill-stream';
import { DayJoin, type Emitted } from './recon-join';
import type { ReconBill } from './recon-service';

/** Keys per look-up statement batch (the repository splits them into IN lists of 500). */
const LOOKUP_KEYS = 5_000;
/** Differences / held records per writing transaction. */
const SAVE_ROWS = 500;

export interface DayInput {
  runId: number;
  channel: PaymentMethod;
  date: string;
  /** The next day (held records are for it). */
  next: string;
  dayStart: number;
  dayEnd: number;
  holdWindowMs: number;
  /** Rows per keyset page of our side of the day (one statement each). */
  pageRows: number;
}

export interface DayResult {
  totals: { count: number; paidFen: number; refundedFen: number; feeFen: number };
  summary: ReconSummary;
  carried: number;
  local: number;
}

const changed = () => new DomainError('RECON_BILL_CHANGED', '账单文件在对账过程中被修改（第二次读取与第一次不同），请重新导入');

/** A platform record as a difference shows it. */
function platformRow(r: BillRecord, seq: number): StagedRow {
  return { side: 'platform', kind: r.kind, seq, key: r.key, orderNo: r.orderNo, platformNo: r.platformNo || null, amountFen: r.amountFen, feeFen: r.feeFen, state: r.state, sourceState: null, at: r.at, line: r.line, raw: r.raw, carried: false };
}

/**
 * The join of one daily run (ReconService.execute), memory bounded by the compact join
 * (recon-join.ts: ≈ 100 bytes per key), never by the bill's lines:
 *  1. the platform records held by the previous day's run, the keys held on our side;
 *  2. our side of the day (money moved that day) in keyset pages — an order's unsuccessful payment
 *     attempts too, joining only if the bill has the order — and, at the same time,
 *  3. the bill, streamed once, each record checked (channel, day, key); a record that matches the one
 *     record of the other side its key has only closes the key, any other is kept;
 *  4. our records of the keys the bill has that are not ours that day (a pending order the platform
 *     says is paid → 状态差异; a payment the platform reports days late still matches) and of the
 *     held keys, looked up by key — a success of a LATER day is left to its own day;
 *  5. every key classified by the core rule; the differences and held records are then read in full
 *     (their bill lines by a second pass over the file, our rows by id) and written in chunks.
 */
export async function reconcileDay(store: Store, clock: Clock, input: DayInput, bill: ReconBill): Promise<DayResult> {
  const { channel, date, dayStart, dayEnd } = input;
  const join = new DayJoin({ dayEnd, holdWindowMs: input.holdWindowMs });

  // 1. What the previous day's run held for today.
  const { carriedRows, heldKeys } = await store.read(async (r) => ({ carriedRows: await r.recon.heldPlatform(channel, date), heldKeys: await r.recon.heldLocalKeys(channel, date) }));
  for (const h of heldKeys) join.holdLocalKey(h.kind, h.key);
  for (const row of carriedRows) join.addCarried(row);

  // 2–3. Our side of the day in keyset pages and the bill, streamed, at the same time: on MariaDB
  // the server works on our next page (on the other core) while the bill is parsed here. Each page
  // asks for the next one before it is taken in.
  let failed = false;
  const pages = async <C extends DayCursor>(read: (after: C | null) => Promise<LocalPage<C>>, take: TakeLocal) => {
    for (let pending: Promise<LocalPage<C>> | null = read(null); pending; ) {
      const page: LocalPage<C> = await pending;
      // Every page asked for is awaited: a stop takes effect before the next one is asked for.
      pending = !failed && page.more && page.next ? read(page.next) : null;
      // One turn of the event loop: the pool hands out a connection and the query is on its way.
      if (pending) await new Promise((turn) => setImmediate(turn));
      page.each(take);
    }
  };
  const ourSide = async () => {
    await pages(
      (after: DayCursor<string> | null) => store.read((r) => r.recon.paidPayments(channel, dayStart, dayEnd, after, input.pageRows)),
      (seq, key, amountFen, feeFen, state, at) => join.local('payment', seq, key, amountFen, feeFen, state, at, state !== 'success'),
    );
    await pages(
      (after: DayCursor<number> | null) => store.read((r) => r.recon.succeededRefunds(channel, dayStart, dayEnd, after, input.pageRows)),
      (seq, key, amountFen, feeFen, state, at) => join.local('refund', seq, key, amountFen, feeFen, state, at, false),
    );
  };

  const totals = { count: 0, paidFen: 0, refundedFen: 0, feeFen: 0 };
  const kept = bill.reread ? null : new Map<number, BillRecord>();
  const take = (r: BillRecord) => {
    if (r.platform !== channel) throw new DomainError('RECON_BILL_CHANNEL', `账单第 ${r.line} 行属于${PAYMENT_METHOD_LABELS[r.platform] ?? r.platform}，不是${PAYMENT_METHOD_LABELS[channel]}的账单`);
    if (r.billDate !== date) throw new DomainError('RECON_BILL_DATE', `账单第 ${r.line} 行的账单日期是 ${r.billDate}，不是 ${date}：导入的文件与对账日期不符`);
    if (!r.key || r.key.length > 64) throw new DomainError('RECON_BILL_KEY', `账单第 ${r.line} 行的商户单号为空或过长`);
    totals.count++;
    if (r.kind === 'payment') totals.paidFen += r.amountFen;
    else totals.refundedFen += r.amountFen;
    totals.feeFen += r.feeFen ?? 0;
    join.addPlatform(r.kind, r.key, totals.count, r.line, r.amountFen, r.feeFen, r.state, r.at);
    // No second pass over this bill (generated records): keep what a difference would show.
    kept?.set(r.line, plainRecord(r));
  };
  const theirSide = async () => {
    if (bill.batches) {
      for await (const batch of bill.batches) {
        if (failed) break;
        for (const r of batch) take(r);
      }
    } else {
      for await (const r of bill.records) {
        if (failed) break;
        take(r);
      }
    }
    if (bill.summary) await bill.summary;
  };
  // One side failing stops the other at its next page or chunk; the first error is the run's.
  let error: { first: unknown } | null = null;
  const stop = (e: unknown) => {
    error ??= { first: e };
    failed = true;
  };
  await Promise.all([ourSide().catch(stop), theirSide().catch(stop)]);
  if (error) throw (error as { first: unknown }).first;

  // 4. Our records of the bill's other keys and of the held keys, by key.
  for (const kind of RECORD_KINDS) {
    const keys = join.keysToLookUp(kind);
    for (let i = 0; i < keys.length; i += LOOKUP_KEYS) {
      const part = keys.slice(i, i + LOOKUP_KEYS);
      const rows = await store.read((r) => r.recon.recordsByKey(channel, kind, part, dayEnd));
      for (const row of rows) if (join.isHeldLocal(kind, row.key) || (join.isBilled(kind, row.key) && !row.laterSuccess)) join.addLocal(kind, row);
    }
  }

  // 5. Classify; write the differences and held records.
  const summary = join.classify();
  const reread = bill.reread ?? ((lines: readonly number[]) => keptLines(kept!, lines));
  await writeOutcomes(store, clock, input, join, reread);
  return { totals, summary, carried: carriedRows.length, local: join.localCount };
}

async function* keptLines(kept: Map<number, BillRecord>, lines: readonly number[]): AsyncGenerator<BillRecord> {
  for (const l of lines) {
    const r = kept.get(l);
    if (r) yield r;
  }
}

/**
 * The emitted keys in the order their last bill line comes in the file (keys without bill lines
 * first), so one pass over the file completes them one after another: only the lines of keys not
 * complete yet are kept, and a chunk is written as soon as it is full.
 */
async function writeOutcomes(store: Store, clock: Clock, input: DayInput, join: DayJoin, reread: (lines: readonly number[]) => AsyncIterable<BillRecord>): Promise<void> {
  const n = join.emittedCount;
  if (n === 0) return;
  const last = new Float64Array(n).fill(-1);
  const wanted: number[] = [];
  for (let i = 0; i < n; i++)
    join.billLines(i, (line) => {
      wanted.push(line);
      if (line > last[i]!) last[i] = line;
    });
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => last[a]! - last[b]!);
  const lines = [...new Set(wanted)].sort((a, b) => a - b);
  const records = new Map<number, BillRecord>();
  let chunk: Emitted[] = [];
  // One chunk is written while the file is read on for the next (the wait is the database's, on MySQL another process).
  let saving: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (!chunk.length) return;
    const part = chunk;
    chunk = [];
    await saving;
    saving = saveChunk(store, clock, input, join, part, records);
    // Handled here for now; the next flush (or the end) awaits it and throws its error.
    saving.catch(() => undefined);
  };
  let at = 0;
  const complete = async (upTo: number) => {
    while (at < n && last[order[at]!]! <= upTo) {
      chunk.push(join.emitted(order[at++]!));
      if (chunk.length >= SAVE_ROWS) await flush();
    }
  };
  await complete(-1);
  if (lines.length) {
    for await (const r of reread(lines)) {
      records.set(r.line, r);
      await complete(r.line);
    }
  }
  if (at < n) throw changed();
  await flush();
  await saving;
}

async function saveChunk(store: Store, clock: Clock, input: DayInput, join: DayJoin, chunk: readonly Emitted[], records: Map<number, BillRecord>): Promise<void> {
  const { channel, date, runId } = input;
  // Our rows of the chunk, in full, by id.
  const ours = new Map<string, StagedRow>();
  await store.read(async (r) => {
    for (const kind of RECORD_KINDS) {
      const ids = chunk.filter((e) => e.kind === kind).flatMap((e) => e.local.map((l) => l.seq));
      if (ids.length) for (const row of await r.recon.localRows(kind, ids)) ours.set(`${kind}:${row.seq}`, row);
    }
  });
  const found: FoundDiff[] = [];
  const held: StagedRow[] = [];
  for (const e of chunk) {
    const carried = join.isHeldLocal(e.kind, e.key);
    const local = e.local.map((l) => {
      const row = ours.get(`${e.kind}:${l.seq}`);
      // What the day was matched on must be what the difference shows: a record changed meanwhile fails the run (a re-run sees it as it is now).
      if (!row || row.key !== e.key || row.amountFen !== l.amountFen || row.state !== l.state)
        throw new DomainError('RECON_LOCAL_CHANGED', `本地记录 ${e.key} 在对账过程中被修改或删除，请重新对账`);
      return { ...row, carried };
    });
    const platform = e.platform.map((p) => {
      if ('carried' in p) return p.carried;
      const r = records.get(p.line);
      if (!r || r.key !== e.key || r.kind !== e.kind || r.amountFen !== p.amountFen) throw changed();
      return platformRow(r, p.seq);
    });
    if (e.outcome.outcome === 'held') held.push(...(e.outcome.side === 'local' ? local : platform));
    else
      found.push({
        identity: `${channel}:${e.kind}:${e.key}:${e.outcome.type}`,
        channel,
        kind: e.kind as RecordKind,
        key: e.key,
        orderNo: (platform[0] ?? local[0])!.orderNo,
        type: e.outcome.type,
        fields: e.outcome.fields,
        billDate: date,
        runId,
        local,
        platform,
        amountFen: diffAmountFen(e.outcome.type, local, platform),
      });
  }
  const now = clock.now();
  await store.transaction(async (tx) => {
    await tx.recon.upsertDiffs(found, now);
    if (held.length) await tx.recon.hold(channel, date, input.next, runId, held, now);
  });
  // Lines no key still waits for.
  for (const e of chunk) for (const p of e.platform) if (!('carried' in p)) records.delete(p.line);
}
