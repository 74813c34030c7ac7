import { createHash } from 'node:crypto';
import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, type PaymentMethod } from '../../core/orders/order-types';
import type { BillRecord, BillSummary } from '../../core/reconciliation/bill-record';
import { DIFF_TYPES, emptySummary, type DiffType, type ReconSummary } from '../../core/reconciliation/recon-diff';
import { DAY_MS, MINUTE_MS, shanghaiDate, shanghaiDayStart, type Clock } from '../../core/time';
import { isUniqueViolation } from '../../db/db-errors';
import type { ReconPeriod, ReconRun, RunFilter } from '../../db/repositories/recon-repository';
import type { Store } from '../../db/store';
import { BillFormatError } from '../../gateways/bill-format-error';
import { plainRecord, type BillStream } from '../../gateways/bill-stream';
import type { GatewayRegistry } from '../payments/gateway-registry';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { BillInput, OpenBill } from './bill-readers';
import { reconcileDay } from './recon-day';

/** What a run reads: a bill reader's stream (gateways/bill-stream.ts BillStream) or generated records in tests. */
export interface ReconBill {
  records: AsyncIterable<BillRecord>;
  /** The records a decoded chunk at a time (fewer awaits); used when present. */
  batches?: AsyncIterable<BillRecord[]>;
  /** The bill's own checked totals, settled once the records were read to the end. */
  summary?: Promise<BillSummary>;
  /**
   * A second pass over the same file: the records at these line numbers (ascending), in line order.
   * The run keeps only what the rule compares and reads the few lines that became differences again;
   * without it (generated records) every record is kept as it streams past.
   */
  reread?: (lines: readonly number[]) => AsyncIterable<BillRecord>;
}

/** The records of a fresh pass over a bill at the given lines (ascending), each a plain copy that holds none of the file's buffers. */
export async function* recordsAt(stream: BillStream, lines: readonly number[]): AsyncGenerator<BillRecord> {
  let i = 0;
  for await (const batch of stream.batches) {
    for (const r of batch) {
      while (i < lines.length && lines[i]! < r.line) i++;
      if (i === lines.length) return;
      if (lines[i] === r.line) yield plainRecord(r);
    }
  }
}

export interface RunDayInput {
  channel: PaymentMethod;
  /** The bill's business date, YYYY-MM-DD (Asia/Shanghai). */
  date: string;
  bill: ReconBill;
  fileName?: string | null;
  sha256?: string | null;
  /** A scheduled run claimed by this instance (runScheduled); otherwise a new run is created. */
  runId?: number;
}

export interface ReconOptions {
  /** One-sided records this close to midnight are carried to the next day (default 15 minutes). */
  holdWindowMs?: number;
  /** Asia/Shanghai time of day after which the previous day's bills are fetched and reconciled (default 10:00). */
  scheduleAt?: string;
  /** Orders (refunds) per keyset page when our side of the day is read (default 5,000: pages that die young keep the heap small). */
  chunk?: number;
  /** How long a run is held by its instance before another may take it over. */
  leaseMs?: number;
  /** Attempts of a scheduled run (bill not published yet, platform down) before it is left to a person. */
  maxAttempts?: number;
  /** First wait before a failed scheduled run is tried again; doubled each time. */
  retryMs?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD plus n days (calendar arithmetic in UTC: dates have no zone). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The week (Monday–Sunday) or calendar month containing `date`. */
export function periodRange(period: Exclude<ReconPeriod, 'daily'>, date: string): { from: string; to: string } {
  if (period === 'weekly') {
    const dow = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
    const from = addDays(date, -dow);
    return { from, to: addDays(from, 6) };
  }
  const from = `${date.slice(0, 8)}01`;
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return { from, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) };
}

function checkDate(date: string): void {
  if (!DATE.test(date) || addDays(date, 0) !== date) throw new DomainError('RECON_DATE_INVALID', `对账日期不正确：${date}（应为 YYYY-MM-DD）`);
}

/** The run's summary as columns of recon_runs. */
function summaryColumns(s: ReconSummary): Record<string, number> {
  const cols: Record<string, number> = { matched_count: s.matchedCount, matched_fen: s.matchedFen, held_count: s.heldCount };
  let total = 0;
  for (const t of DIFF_TYPES) {
    cols[`diff_${t}_count`] = s.diffs[t].count;
    cols[`diff_${t}_fen`] = s.diffs[t].amountFen;
    total += s.diffs[t].count;
  }
  cols.diff_count = total;
  return cols;
}

/** The JSON the CLI prints and the run list shows: counts and amounts per difference type. */
export function runReport(run: ReconRun) {
  return {
    runId: run.id,
    channel: run.channel,
    date: run.billDate,
    period: run.period,
    periodEnd: run.periodEnd,
    status: run.status,
    fileName: run.fileName,
    sha256: run.sha256,
    bill: { count: run.billCount, paidFen: run.billPaidFen, refundedFen: run.billRefundedFen, feeFen: run.platformFeeFen },
    localCount: run.localCount,
    matched: { count: run.summary.matchedCount, amountFen: run.summary.matchedFen },
    held: run.summary.heldCount,
    carried: run.carriedCount,
    differences: Object.fromEntries(DIFF_TYPES.map((t) => [t, run.summary.diffs[t]])) as Record<DiffType, { count: number; amountFen: number }>,
    differenceCount: run.diffCount,
    resolvedByRerun: run.rerunResolvedCount,
    error: run.error,
  };
}

/**
 * 对账 runs (design document 4.3, issue 6): a day's bill of one channel against our records of
 * that day, weekly / monthly sums over the daily results, and the scheduled daily runs.
 *
 * A daily run (recon-day.ts) joins the day in memory, compactly (recon-join.ts: a few numbers per
 * record, ≈ 100 bytes per matched key): the bill is streamed once and never stored, our side is read
 * in keyset pages at the same time, every key is classified by the pure rule
 * (core/reconciliation/recon-diff.ts classifyKey) — duplicates on either side stay apart instead of
 * multiplying as a SQL join would — and only the differences and the records held for the next day
 * are read again in full (their bill lines by a second pass over the file, our rows by id) and
 * written by identity in chunks (a re-run refreshes the machine's columns and keeps every human note
 * and decision). One last transaction settles differences the re-run no longer finds, replaces what
 * the day held, stores the summary and makes the run the day's current one, with its audit entry.
 * A failure marks the run failed and removes its held records; the differences of a failed run are
 * those of an incomplete day: running the day again puts them right (identities).
 */
export class ReconService {
  private readonly holdWindowMs: number;
  private readonly scheduleAtMs: number;
  private readonly chunk: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly retryMs: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly gateways: GatewayRegistry,
    private readonly readBill: OpenBill,
    /** Identifies this instance in run leases. */
    private readonly workerId: string,
    opts: ReconOptions = {},
  ) {
    this.holdWindowMs = opts.holdWindowMs ?? 15 * MINUTE_MS;
    const at = /^(\d{2}):(\d{2})$/.exec(opts.scheduleAt ?? '10:00');
    if (!at || Number(at[1]) > 23 || Number(at[2]) > 59) throw new DomainError('RECON_SCHEDULE_INVALID', `对账时间不正确：${opts.scheduleAt}（应为 HH:MM）`);
    this.scheduleAtMs = (Number(at[1]) * 60 + Number(at[2])) * MINUTE_MS;
    this.chunk = opts.chunk ?? 5_000;
    this.leaseMs = opts.leaseMs ?? 30 * MINUTE_MS;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.retryMs = opts.retryMs ?? 10 * MINUTE_MS;
  }

  /** Opens a bill file with its channel's reader and reconciles the day (import by upload, the CLI, the scheduler). */
  async importBill(actor: Actor, input: { channel: PaymentMethod; date: string; fileName: string; file: BillInput; sha256?: string; runId?: number }): Promise<ReconRun> {
    checkDate(input.date);
    const sha256 = input.sha256 ?? ('bytes' in input.file ? createHash('sha256').update(input.file.bytes).digest('hex') : null);
    const open = () => this.readBill(input.channel, input.file, input.fileName, input.date);
    const opened = open();
    // Without a reader's own second pass, a fresh pass through the reader picks the lines out.
    const bill: ReconBill = { ...opened, reread: opened.reread ?? ((lines) => recordsAt(open(), lines)) };
    return this.runDay(actor, { channel: input.channel, date: input.date, bill, fileName: input.fileName, sha256, runId: input.runId });
  }

  async runDay(actor: Actor, input: RunDayInput): Promise<ReconRun> {
    const { channel, date } = input;
    checkDate(date);
    if (!PAYMENT_METHODS.includes(channel)) throw new DomainError('RECON_CHANNEL_INVALID', `对账渠道不正确：${String(channel)}`);
    const runId = await this.startRun(actor, input);
    try {
      return await this.execute(actor, runId, input);
    } catch (e) {
      const message = e instanceof BillFormatError || e instanceof DomainError ? e.message : `对账失败：${(e as Error).message}`;
      await this.store.transaction(async (tx) => {
        const run = await tx.recon.run(runId, { forUpdate: true });
        await tx.recon.updateRun(runId, { status: 'failed', error: message.slice(0, 512), finished_at: this.clock.now(), lease_owner: null, lease_until: null, attempts: (run?.attempts ?? 0) + 1 }, this.clock.now());
        await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'recon.run.failed', entityType: 'recon_run', entityId: String(runId), before: null, after: snapshot({ channel, date, error: message }) }, this.clock.now());
      });
      await this.store.transaction((tx) => tx.recon.clearHeldOfRun(runId)).catch(() => undefined);
      if (e instanceof BillFormatError) throw new DomainError('RECON_BILL_MALFORMED', e.message);
      throw e;
    }
  }

  private async startRun(actor: Actor, input: RunDayInput): Promise<number> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const live = await tx.recon.liveRun(input.channel, input.date, now, input.runId ?? null);
      if (live) throw new DomainError('RECON_RUN_BUSY', `${PAYMENT_METHOD_LABELS[input.channel]} ${input.date} 的对账正在进行（第 ${live.id} 次运行），请稍后再试`);
      const fields = { started_by: actor.id, started_by_name: actor.name.slice(0, 64), started_at: now, file_name: input.fileName?.slice(0, 256) ?? null, sha256: input.sha256 ?? null, lease_owner: this.workerId, lease_until: now + this.leaseMs };
      if (input.runId !== undefined) {
        const run = await tx.recon.run(input.runId, { forUpdate: true });
        if (!run || run.channel !== input.channel || run.billDate !== input.date) throw new DomainError('RECON_RUN_NOT_FOUND', `对账运行 ${input.runId} 不存在`);
        await tx.recon.updateRun(run.id, { ...fields, status: 'running', error: null }, now);
        return run.id;
      }
      const id = await tx.recon.createRun({ channel: input.channel, billDate: input.date, period: 'daily', periodEnd: input.date, status: 'running', startedBy: actor.id, startedByName: actor.name, startedAt: now, fileName: input.fileName, sha256: input.sha256, leaseOwner: this.workerId, leaseUntil: now + this.leaseMs, at: now });
      await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'recon.run.start', entityType: 'recon_run', entityId: String(id), before: null, after: snapshot({ channel: input.channel, date: input.date, fileName: input.fileName ?? null, sha256: input.sha256 ?? null }) }, now);
      return id;
    });
  }

  private async execute(actor: Actor, runId: number, input: RunDayInput): Promise<ReconRun> {
    const { channel, date } = input;
    const dayStart = shanghaiDayStart(date);
    const day = { runId, channel, date, next: addDays(date, 1), dayStart, dayEnd: dayStart + DAY_MS, holdWindowMs: this.holdWindowMs, pageRows: this.chunk };
    // 1–4. The join of the day: the bill streamed once, our side in pages, differences and held records written in chunks.
    const { totals, summary, carried, local } = await reconcileDay(this.store, this.clock, day, input.bill);

    // 5. Settle, summarize, make current.
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      const vanished = await tx.recon.resolveVanished(channel, date, runId, now);
      await tx.recon.replaceHeld(channel, date, runId);
      await tx.recon.consumeHeld(channel, date, runId);
      await tx.recon.updateRun(
        runId,
        { ...summaryColumns(summary), bill_count: totals.count, bill_paid_fen: totals.paidFen, bill_refunded_fen: totals.refundedFen, platform_fee_fen: totals.feeFen, local_count: local, status: 'done', carried_count: carried, rerun_resolved_count: vanished, finished_at: now, error: null, lease_owner: null, lease_until: null },
        now,
      );
      await tx.recon.makeCurrent({ id: runId, channel, billDate: date, period: 'daily' });
      const diffCount = DIFF_TYPES.reduce((s, t) => s + summary.diffs[t].count, 0);
      await tx.audit.append(
        {
          actorId: actor.id,
          actorName: actor.name,
          action: 'recon.run',
          entityType: 'recon_run',
          entityId: String(runId),
          before: null,
          after: snapshot({ channel, date, bill: totals, local, carried, matched: summary.matchedCount, held: summary.heldCount, differences: diffCount, resolvedByRerun: vanished }),
        },
        now,
      );
    });
    return (await this.store.read((r) => r.recon.run(runId)))!;
  }

  /**
   * 周对账 / 月对账: the current daily results of a channel over the week (Monday–Sunday) or month
   * containing `date`, added up (no re-matching: the days were matched once, held records included).
   */
  async runPeriod(actor: Actor, input: { channel: PaymentMethod; period: Exclude<ReconPeriod, 'daily'>; date: string }): Promise<{ run: ReconRun; missingDays: string[] }> {
    checkDate(input.date);
    const { from, to } = periodRange(input.period, input.date);
    return this.store.transaction(async (tx) => {
      const days = await tx.recon.currentDailyRuns(input.channel, from, to);
      const s = emptySummary();
      const totals = { bill_count: 0, bill_paid_fen: 0, bill_refunded_fen: 0, platform_fee_fen: 0, local_count: 0, carried_count: 0 };
      for (const d of days) {
        s.matchedCount += d.summary.matchedCount;
        s.matchedFen += d.summary.matchedFen;
        s.heldCount += d.summary.heldCount;
        for (const t of DIFF_TYPES) {
          s.diffs[t].count += d.summary.diffs[t].count;
          s.diffs[t].amountFen += d.summary.diffs[t].amountFen;
        }
        totals.bill_count += d.billCount;
        totals.bill_paid_fen += d.billPaidFen;
        totals.bill_refunded_fen += d.billRefundedFen;
        totals.platform_fee_fen += d.platformFeeFen;
        totals.local_count += d.localCount;
        totals.carried_count += d.carriedCount;
      }
      const covered = new Set(days.map((d) => d.billDate));
      const missingDays: string[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) if (!covered.has(d)) missingDays.push(d);
      const now = this.clock.now();
      const id = await tx.recon.createRun({ channel: input.channel, billDate: from, period: input.period, periodEnd: to, status: 'done', startedBy: actor.id, startedByName: actor.name, startedAt: now, at: now });
      await tx.recon.updateRun(id, { ...summaryColumns(s), ...totals, days_covered: days.length, finished_at: now }, now);
      await tx.recon.makeCurrent({ id, channel: input.channel, billDate: from, period: input.period });
      await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'recon.period', entityType: 'recon_run', entityId: String(id), before: null, after: snapshot({ channel: input.channel, period: input.period, from, to, days: days.length, missingDays }) }, now);
      return { run: (await tx.recon.run(id))!, missingDays };
    });
  }

  /**
   * The scheduled daily runs (the server's periodic job): after `scheduleAt` Shanghai time, yesterday's
   * run of every configured channel is created once (unique schedule key), then due runs are claimed
   * with SKIP LOCKED leases, their bill downloaded and reconciled. A bill not published yet or a
   * platform that does not answer: the run is tried again later, with a growing wait.
   */
  async runScheduled(limit = 3): Promise<{ claimed: number[]; done: number[]; failed: number[] }> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    if (now - shanghaiDayStart(today) >= this.scheduleAtMs) {
      const date = addDays(today, -1);
      for (const channel of PAYMENT_METHODS) {
        if (!this.gateways.has(channel)) continue;
        const key = `daily:${channel}:${date}`;
        if (await this.store.read((r) => r.recon.runBySchedule(key))) continue;
        try {
          await this.store.transaction((tx) => tx.recon.createRun({ channel, billDate: date, period: 'daily', periodEnd: date, status: 'scheduled', scheduleKey: key, startedBy: null, startedByName: SYSTEM_ACTOR.name, startedAt: null, at: now }));
        } catch (e) {
          if (!isUniqueViolation(e)) throw e; // another instance created it first
        }
      }
    }
    const claimed = await this.store.transaction((tx) => tx.recon.claimScheduled(this.workerId, now, this.leaseMs, limit, this.maxAttempts));
    const done: number[] = [];
    const failed: number[] = [];
    for (const id of claimed) {
      const run = (await this.store.read((r) => r.recon.run(id)))!;
      try {
        const file = await this.gateways.get(run.channel).downloadBill({ date: run.billDate, type: 'all' });
        const fileName = `${run.channel}-${run.billDate}.${file.format === 'alipay-zip' ? 'zip' : 'csv'}`;
        await this.importBill(SYSTEM_ACTOR, { channel: run.channel, date: run.billDate, fileName, file: { bytes: file.bytes }, runId: id });
        done.push(id);
      } catch (e) {
        failed.push(id);
        const current = (await this.store.read((r) => r.recon.run(id)))!;
        const attempts = current.status === 'failed' ? current.attempts : current.attempts + 1;
        const wait = this.retryMs * 2 ** Math.min(attempts - 1, 6);
        await this.store.transaction((tx) =>
          tx.recon.updateRun(id, { status: 'failed', attempts, error: ((e as Error).message || String(e)).slice(0, 512), next_attempt_at: this.clock.now() + wait, lease_owner: null, lease_until: null }, this.clock.now()),
        );
      }
    }
    return { claimed, done, failed };
  }

  /** A clean stop gives back the scheduled runs this instance claimed but has not started. */
  releaseAll(): Promise<void> {
    return this.store.transaction((tx) => tx.recon.releaseRuns(this.workerId));
  }

  listRuns(f: RunFilter, page: number, pageSize: number) {
    return this.store.read((r) => r.recon.listRuns(f, page, pageSize));
  }

  async getRun(id: number) {
    const run = await this.store.read((r) => r.recon.run(id));
    if (!run) throw new DomainError('RECON_RUN_NOT_FOUND', `对账运行 ${id} 不存在`);
    const types = run.period === 'daily' ? null : await this.store.read((r) => r.recon.diffCounts(run.channel, run.billDate, run.periodEnd));
    return { run, report: runReport(run), diffsByStatus: types };
  }
}
