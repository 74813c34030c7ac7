import type { EntityManager } from 'typeorm';
import type { BillRecord } from '../../core/reconciliation/bill-record';
import { DIFF_TYPES, type DiffType, type RecordKind, type RecordState, type ReconSummary } from '../../core/reconciliation/recon-diff';
import type { Page } from '../../core/orders/order';
import type { PaymentMethod } from '../../core/orders/order-types';
import { execute, insertedId } from '../bulk-update';
import { insertRows, int, intOrNull } from '../bulk-insert';
import { ConcurrentUpdateError } from './concurrency';

export const RECON_PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type ReconPeriod = (typeof RECON_PERIODS)[number];
export const RECON_RUN_STATUSES = ['scheduled', 'running', 'done', 'failed'] as const;
export type ReconRunStatus = (typeof RECON_RUN_STATUSES)[number];
/** 待处理 / 处理中 / 已处理 / 已忽略. */
export const DIFF_STATUSES = ['open', 'in_progress', 'resolved', 'ignored'] as const;
export type DiffStatus = (typeof DIFF_STATUSES)[number];
/** How a difference was settled; `rerun`: it was gone when the day was reconciled again. */
export const DIFF_RESOLUTIONS = ['requery', 'accept_platform', 'keep_local', 'refund_duplicate', 'adjust', 'rerun', 'manual'] as const;
export type DiffResolution = (typeof DIFF_RESOLUTIONS)[number];

export interface ReconRun {
  id: number;
  channel: PaymentMethod;
  billDate: string;
  period: ReconPeriod;
  periodEnd: string;
  status: ReconRunStatus;
  isCurrent: boolean;
  scheduleKey: string | null;
  startedBy: number | null;
  startedByName: string;
  startedAt: number | null;
  finishedAt: number | null;
  fileName: string | null;
  sha256: string | null;
  billCount: number;
  billPaidFen: number;
  billRefundedFen: number;
  localCount: number;
  platformFeeFen: number;
  carriedCount: number;
  diffCount: number;
  rerunResolvedCount: number;
  daysCovered: number;
  summary: ReconSummary;
  error: string | null;
  attempts: number;
  createdAt: number;
  version: number;
}

/** One staged row of either side, as the join reads it back. */
export interface StagedRow {
  side: 'platform' | 'local';
  kind: RecordKind;
  seq: number;
  key: string;
  orderNo: string;
  platformNo: string | null;
  amountFen: number;
  feeFen: number | null;
  state: RecordState;
  sourceState: string | null;
  at: number;
  line: number | null;
  raw: Record<string, string> | null;
  carried: boolean;
}

export interface ReconDiff {
  id: number;
  identity: string;
  channel: PaymentMethod;
  kind: RecordKind;
  key: string;
  orderNo: string;
  type: DiffType;
  fields: string[];
  billDate: string;
  runId: number;
  localCount: number;
  platformCount: number;
  localAmountFen: number | null;
  platformAmountFen: number | null;
  amountFen: number;
  status: DiffStatus;
  assigneeId: number | null;
  assigneeName: string | null;
  resolution: DiffResolution | null;
  resolutionNote: string | null;
  resolvedByName: string | null;
  resolvedAt: number | null;
  refundNo: string | null;
  firstFoundAt: number;
  lastFoundAt: number;
  updatedAt: number;
  version: number;
}

export interface ReconDiffDetail extends ReconDiff {
  local: StagedRow[];
  platform: StagedRow[];
}

/** A difference as the run found it: the machine's columns, written or refreshed by identity. */
export interface FoundDiff {
  identity: string;
  channel: PaymentMethod;
  kind: RecordKind;
  key: string;
  orderNo: string;
  type: DiffType;
  fields: string[];
  billDate: string;
  runId: number;
  local: StagedRow[];
  platform: StagedRow[];
  amountFen: number;
}

export interface RunFilter {
  channel?: PaymentMethod;
  period?: ReconPeriod;
  dateFrom?: string;
  dateTo?: string;
  statuses?: ReconRunStatus[];
  currentOnly?: boolean;
}

export interface DiffFilter {
  channel?: PaymentMethod;
  runId?: number;
  dateFrom?: string;
  dateTo?: string;
  types?: DiffType[];
  statuses?: DiffStatus[];
  kind?: RecordKind;
  assigneeId?: number;
  /** A merchant number, order number or platform number (prefix), or part of one. */
  search?: string;
}
export const DIFF_SORT_FIELDS = ['billDate', 'amount', 'type', 'status', 'key'] as const;
export type DiffSortField = (typeof DIFF_SORT_FIELDS)[number];

export interface DiffNote {
  id: number;
  diffId: number;
  authorId: number | null;
  authorName: string;
  body: string;
  createdAt: number;
}

export interface Adjustment {
  id: number;
  diffId: number;
  channel: PaymentMethod;
  billDate: string;
  kind: RecordKind;
  key: string;
  account: string;
  amountFen: number;
  reason: string;
  createdBy: number | null;
  createdByName: string;
  createdAt: number;
}

const STAGE_COLUMNS = ['run_id', 'side', 'kind', 'seq', 'match_key', 'order_no', 'platform_no', 'amount_fen', 'fee_fen', 'state', 'source_state', 'at', 'line', 'raw_json', 'carried'] as const;

type Raw = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const bool = (v: unknown) => v === true || v === 1 || v === '1';

function runFromRow(r: Raw): ReconRun {
  const diffs = Object.fromEntries(DIFF_TYPES.map((t) => [t, { count: int(r[`diff_${t}_count`]), amountFen: int(r[`diff_${t}_fen`]) }])) as ReconSummary['diffs'];
  return {
    id: int(r.id),
    channel: r.channel as PaymentMethod,
    billDate: String(r.bill_date),
    period: r.period as ReconPeriod,
    periodEnd: String(r.period_end),
    status: r.status as ReconRunStatus,
    isCurrent: bool(r.is_current),
    scheduleKey: str(r.schedule_key),
    startedBy: intOrNull(r.started_by),
    startedByName: String(r.started_by_name),
    startedAt: intOrNull(r.started_at),
    finishedAt: intOrNull(r.finished_at),
    fileName: str(r.file_name),
    sha256: str(r.sha256),
    billCount: int(r.bill_count),
    billPaidFen: int(r.bill_paid_fen),
    billRefundedFen: int(r.bill_refunded_fen),
    localCount: int(r.local_count),
    platformFeeFen: int(r.platform_fee_fen),
    carriedCount: int(r.carried_count),
    diffCount: int(r.diff_count),
    rerunResolvedCount: int(r.rerun_resolved_count),
    daysCovered: int(r.days_covered),
    summary: { matchedCount: int(r.matched_count), matchedFen: int(r.matched_fen), heldCount: int(r.held_count), diffs },
    error: str(r.error),
    attempts: int(r.attempts),
    createdAt: int(r.created_at),
    version: int(r.version),
  };
}

function stagedFromRow(r: Raw): StagedRow {
  return {
    side: r.side as StagedRow['side'],
    kind: r.kind as RecordKind,
    seq: int(r.seq),
    key: String(r.match_key),
    orderNo: String(r.order_no),
    platformNo: str(r.platform_no),
    amountFen: int(r.amount_fen),
    feeFen: intOrNull(r.fee_fen),
    state: r.state as RecordState,
    sourceState: str(r.source_state),
    at: int(r.at),
    line: intOrNull(r.line),
    raw: r.raw_json ? (JSON.parse(String(r.raw_json)) as Record<string, string>) : null,
    carried: bool(r.carried),
  };
}

function diffFromRow(r: Raw): ReconDiff {
  return {
    id: int(r.id),
    identity: String(r.identity),
    channel: r.channel as PaymentMethod,
    kind: r.kind as RecordKind,
    key: String(r.match_key),
    orderNo: String(r.order_no),
    type: r.diff_type as DiffType,
    fields: String(r.fields).split(',').filter(Boolean),
    billDate: String(r.bill_date),
    runId: int(r.run_id),
    localCount: int(r.local_count),
    platformCount: int(r.platform_count),
    localAmountFen: intOrNull(r.local_amount_fen),
    platformAmountFen: intOrNull(r.platform_amount_fen),
    amountFen: int(r.amount_fen),
    status: r.status as DiffStatus,
    assigneeId: intOrNull(r.assignee_id),
    assigneeName: str(r.assignee_name),
    resolution: str(r.resolution) as DiffResolution | null,
    resolutionNote: str(r.resolution_note),
    resolvedByName: str(r.resolved_by_name),
    resolvedAt: intOrNull(r.resolved_at),
    refundNo: str(r.refund_no),
    firstFoundAt: int(r.first_found_at),
    lastFoundAt: int(r.last_found_at),
    updatedAt: int(r.updated_at),
    version: int(r.version),
  };
}

const DIFF_LIST_COLUMNS = `id, identity, channel, kind, match_key, order_no, diff_type, fields, bill_date, run_id, local_count, platform_count, local_amount_fen,
  platform_amount_fen, amount_fen, status, assignee_id, assignee_name, resolution, resolution_note, resolved_by_name, resolved_at, refund_no,
  first_found_at, last_found_at, updated_at, version`;

const SORT_COLUMNS: Record<DiffSortField, string> = { billDate: 'bill_date', amount: 'amount_fen', type: 'diff_type', status: 'status', key: 'match_key' };

const sum = (xs: readonly { amountFen: number }[]) => xs.reduce((s, x) => s + x.amountFen, 0);

/**
 * 对账 storage: runs, the staging rows of a run (both sides), differences and their workflow, held
 * records. The hot paths (staging a million bill rows, the local side of a day, the ordered scan)
 * are multi-row statements and INSERT … SELECT in SQL, never an ORM loop (ARCHITECTURE.md, Data).
 */
export class ReconRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    /** MySQL: row locks (FOR UPDATE, SKIP LOCKED). SQLite's single writer serializes anyway. */
    private readonly lockRows: boolean,
  ) {}

  private q(sql: string, params: readonly unknown[] = []): Promise<Raw[]> {
    return this.em.query(sql, [...params]) as Promise<Raw[]>;
  }

  /** One row in, its generated id back (MySQL's insertId, better-sqlite3's rowid). */
  private async insertOne(table: string, row: Record<string, unknown>): Promise<number> {
    const cols = Object.keys(row);
    return insertedId(await this.em.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => row[c])));
  }

  // ───────────────────────────── runs ─────────────────────────────

  async createRun(r: { channel: PaymentMethod; billDate: string; period: ReconPeriod; periodEnd: string; status: ReconRunStatus; scheduleKey?: string | null; startedBy: number | null; startedByName: string; startedAt: number | null; fileName?: string | null; sha256?: string | null; leaseOwner?: string | null; leaseUntil?: number | null; at: number }): Promise<number> {
    return this.insertOne('recon_runs', {
      channel: r.channel,
      bill_date: r.billDate,
      period: r.period,
      period_end: r.periodEnd,
      status: r.status,
      is_current: false,
      schedule_key: r.scheduleKey ?? null,
      started_by: r.startedBy,
      started_by_name: r.startedByName.slice(0, 64),
      started_at: r.startedAt,
      file_name: r.fileName?.slice(0, 256) ?? null,
      sha256: r.sha256 ?? null,
      lease_owner: r.leaseOwner ?? null,
      lease_until: r.leaseUntil ?? null,
      created_at: r.at,
      updated_at: r.at,
      version: 1,
      updated_seq: this.nextSeq(),
    });
  }

  async run(id: number, opts: { forUpdate?: boolean } = {}): Promise<ReconRun | null> {
    const [row] = await this.q(`SELECT * FROM recon_runs WHERE id = ?${opts.forUpdate && this.lockRows ? ' FOR UPDATE' : ''}`, [id]);
    return row ? runFromRow(row) : null;
  }

  async runBySchedule(scheduleKey: string): Promise<ReconRun | null> {
    const [row] = await this.q(`SELECT * FROM recon_runs WHERE schedule_key = ?`, [scheduleKey]);
    return row ? runFromRow(row) : null;
  }

  /** Sets run columns (snake_case) with the version bumped; `expectedVersion` makes it optimistic. */
  async updateRun(id: number, set: Record<string, unknown>, at: number, expectedVersion?: number): Promise<void> {
    const cols = Object.keys(set);
    const sql = `UPDATE recon_runs SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ?, version = version + 1, updated_seq = ? WHERE id = ?${expectedVersion === undefined ? '' : ' AND version = ?'}`;
    const params = [...cols.map((c) => set[c]), at, this.nextSeq(), id, ...(expectedVersion === undefined ? [] : [expectedVersion])];
    if ((await execute(this.em, sql, params)) !== 1) throw new ConcurrentUpdateError();
  }

  /** Another live run of the same day and channel (a person's run, or a scheduled one holding its lease). */
  async liveRun(channel: PaymentMethod, billDate: string, now: number, exceptId: number | null): Promise<ReconRun | null> {
    const [row] = await this.q(
      `SELECT * FROM recon_runs WHERE channel = ? AND bill_date = ? AND period = 'daily' AND status = 'running' AND lease_until >= ? AND id <> ? LIMIT 1`,
      [channel, billDate, now, exceptId ?? 0],
    );
    return row ? runFromRow(row) : null;
  }

  /** The finished run becomes the day's current one; the earlier runs of the day stay listed, not current. */
  async makeCurrent(run: Pick<ReconRun, 'id' | 'channel' | 'billDate' | 'period'>): Promise<void> {
    await this.q(`UPDATE recon_runs SET is_current = ? WHERE channel = ? AND bill_date = ? AND period = ? AND id <> ? AND is_current = ?`, [false, run.channel, run.billDate, run.period, run.id, true]);
    await this.q(`UPDATE recon_runs SET is_current = ? WHERE id = ?`, [true, run.id]);
  }

  async listRuns(f: RunFilter, page: number, pageSize: number): Promise<Page<ReconRun>> {
    const { where, params, add } = conditions();
    if (f.channel) add('channel = ?', f.channel);
    if (f.period) add('period = ?', f.period);
    if (f.dateFrom) add('bill_date >= ?', f.dateFrom);
    if (f.dateTo) add('bill_date <= ?', f.dateTo);
    if (f.statuses?.length) add(`status IN (${f.statuses.map(() => '?').join(', ')})`, ...f.statuses);
    if (f.currentOnly) add('is_current = ?', true);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.q(`SELECT COUNT(*) AS n FROM recon_runs ${w}`, params);
    const rows = await this.q(`SELECT * FROM recon_runs ${w} ORDER BY bill_date DESC, id DESC LIMIT ${Math.trunc(pageSize)} OFFSET ${Math.trunc((page - 1) * pageSize)}`, params);
    return { items: rows.map(runFromRow), total: int(count!.n), page, pageSize };
  }

  /** The current finished daily runs of a channel over a period (weekly / monthly runs add them up). */
  async currentDailyRuns(channel: PaymentMethod, from: string, to: string): Promise<ReconRun[]> {
    const rows = await this.q(`SELECT * FROM recon_runs WHERE channel = ? AND period = 'daily' AND status = 'done' AND is_current = ? AND bill_date >= ? AND bill_date <= ? ORDER BY bill_date`, [channel, true, from, to]);
    return rows.map(runFromRow);
  }

  /**
   * Scheduled daily runs due now, leased to `owner` until now + leaseMs. Inside a transaction: on
   * MySQL the rows are locked FOR UPDATE SKIP LOCKED, so two server instances never take the same
   * (channel, date); a crashed instance's lease runs out and another takes the run over.
   */
  async claimScheduled(owner: string, now: number, leaseMs: number, limit: number, maxAttempts: number): Promise<number[]> {
    const rows = await this.q(
      `SELECT id FROM recon_runs WHERE schedule_key IS NOT NULL AND status IN ('scheduled', 'failed', 'running') AND attempts < ?
       AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND (lease_until IS NULL OR lease_until < ?)
       ORDER BY id LIMIT ${Math.trunc(limit)}${this.lockRows ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      [maxAttempts, now, now],
    );
    if (!rows.length) return [];
    const ids = rows.map((r) => int(r.id));
    await this.q(`UPDATE recon_runs SET lease_owner = ?, lease_until = ?, updated_seq = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [owner, now + leaseMs, this.nextSeq(), ...ids]);
    return ids;
  }

  async releaseRuns(owner: string): Promise<void> {
    await this.q(`UPDATE recon_runs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND status <> 'running'`, [owner]);
  }

  // ───────────────────────────── staging and the join ─────────────────────────────

  /** Bill lines of a run (one multi-row INSERT per 500 rows). */
  async stageBill(runId: number, rows: readonly { seq: number; record: BillRecord }[]): Promise<void> {
    await insertRows(
      this.em,
      'recon_bill_rows',
      STAGE_COLUMNS,
      rows.map(({ seq, record: r }) => [runId, 'platform', r.kind, seq, r.key, r.orderNo, r.platformNo || null, r.amountFen, r.feeFen, r.state, null, r.at, r.line, JSON.stringify(r.raw), false]),
    );
  }

  /** The platform records held by the previous day's run, copied into this run's staging (in SQL). */
  async stageCarriedPlatform(runId: number, channel: PaymentMethod, billDate: string): Promise<number> {
    const held = await this.q(`SELECT id, kind, record_json FROM recon_held WHERE channel = ? AND to_date = ? AND side = 'platform'`, [channel, billDate]);
    const rows = held.map((h) => {
      const r = JSON.parse(String(h.record_json)) as StagedRow;
      // Negative sequence numbers: never the ordinal of a line of today's bill.
      return [runId, 'platform', r.kind, -int(h.id), r.key, r.orderNo, r.platformNo, r.amountFen, r.feeFen, r.state, r.sourceState, r.at, r.line, r.raw ? JSON.stringify(r.raw) : null, true];
    });
    await insertRows(this.em, 'recon_bill_rows', STAGE_COLUMNS, rows);
    return rows.length;
  }

  /**
   * Our side of the day, copied into the staging table by INSERT … SELECT (the rows never pass
   * through JS). A local record belongs to day D's join when
   *  (a) its money moved on D (success in [dayStart, dayEnd)), or
   *  (b) its key is on D's platform side and it is not a success of a LATER day (a pending order the
   *      platform says is paid → 状态差异; a payment the platform reports days late still matches), or
   *  (c) it was held by D-1's run (marked carried: never held again).
   * A success later than D is left to its own day: D's platform record is held for it instead, so
   * neither side is ever reported twice. UNION (not UNION ALL) removes a row picked by two branches.
   * Payments are the order's payment transactions (their success time is the order's paid_at, the
   * platform's time); refunds are the refunds rows.
   */
  async stageLocal(runId: number, channel: PaymentMethod, billDate: string, dayStart: number, dayEnd: number): Promise<number> {
    const payState = `CASE WHEN t.status IN ('success', 'refunding', 'refunded') THEN 'success' WHEN t.status = 'failed' THEN 'closed' ELSE 'pending' END`;
    const paySelect = (where: string) =>
      `SELECT t.id AS seq, t.order_no AS k, t.order_no AS o, t.gateway_trade_no AS p, t.amount_fen AS a, ${payState} AS st, t.status AS ss, COALESCE(o.paid_at, t.updated_at) AS at_
       FROM transactions t JOIN payment_orders o ON o.order_no = t.order_no WHERE t.type = 'payment' AND o.payment_method = ? AND ${where}`;
    const platformKeys = (kind: RecordKind) => `(SELECT s.match_key FROM recon_bill_rows s WHERE s.run_id = ? AND s.side = 'platform' AND s.kind = '${kind}')`;
    const heldKeys = (kind: RecordKind) => `(SELECT h.match_key FROM recon_held h WHERE h.channel = ? AND h.to_date = ? AND h.side = 'local' AND h.kind = '${kind}')`;
    const before = await this.countStaged(runId, 'local');
    await this.q(
      `INSERT INTO recon_bill_rows (run_id, side, kind, seq, match_key, order_no, platform_no, amount_fen, fee_fen, state, source_state, at, line, raw_json, carried)
       SELECT ?, 'local', 'payment', u.seq, u.k, u.o, u.p, u.a, NULL, u.st, u.ss, u.at_, NULL, NULL, ? FROM (
         ${paySelect(`t.status IN ('success', 'refunding', 'refunded') AND o.paid_at >= ? AND o.paid_at < ?`)}
         UNION ${paySelect(`t.order_no IN ${platformKeys('payment')} AND NOT (t.status IN ('success', 'refunding', 'refunded') AND COALESCE(o.paid_at, 0) >= ?)`)}
         UNION ${paySelect(`t.order_no IN ${heldKeys('payment')}`)}
       ) u`,
      [runId, false, channel, dayStart, dayEnd, channel, runId, dayEnd, channel, channel, billDate],
    );
    const refState = `CASE r.state WHEN 'success' THEN 'success' WHEN 'failed' THEN 'failed' WHEN 'closed' THEN 'closed' WHEN 'rejected' THEN 'closed' ELSE 'pending' END`;
    const refSelect = (where: string) =>
      `SELECT r.id AS seq, r.refund_no AS k, r.order_no AS o, r.platform_refund_no AS p, r.amount_fen AS a, r.fee_fen AS f, ${refState} AS st, r.state AS ss, COALESCE(r.succeeded_at, r.updated_at) AS at_
       FROM refunds r WHERE r.platform = ? AND ${where}`;
    await this.q(
      `INSERT INTO recon_bill_rows (run_id, side, kind, seq, match_key, order_no, platform_no, amount_fen, fee_fen, state, source_state, at, line, raw_json, carried)
       SELECT ?, 'local', 'refund', u.seq, u.k, u.o, u.p, u.a, u.f, u.st, u.ss, u.at_, NULL, NULL, ? FROM (
         ${refSelect(`r.state = 'success' AND r.succeeded_at >= ? AND r.succeeded_at < ?`)}
         UNION ${refSelect(`r.refund_no IN ${platformKeys('refund')} AND NOT (r.state = 'success' AND COALESCE(r.succeeded_at, 0) >= ?)`)}
         UNION ${refSelect(`r.refund_no IN ${heldKeys('refund')}`)}
       ) u`,
      [runId, false, channel, dayStart, dayEnd, channel, runId, dayEnd, channel, channel, billDate],
    );
    for (const kind of ['payment', 'refund'] as const)
      await this.q(`UPDATE recon_bill_rows SET carried = ? WHERE run_id = ? AND side = 'local' AND kind = ? AND match_key IN ${heldKeys(kind)}`, [true, runId, kind, channel, billDate]);
    return (await this.countStaged(runId, 'local')) - before;
  }

  async countStaged(runId: number, side: 'platform' | 'local'): Promise<number> {
    const [r] = await this.q(`SELECT COUNT(*) AS n FROM recon_bill_rows WHERE run_id = ? AND side = ?`, [runId, side]);
    return int(r!.n);
  }

  /**
   * The next staged rows of `kind` after `afterKey`, ordered by key: one index range scan per page.
   * A full page may end inside a key: that key's remaining rows are fetched too, so every key is
   * returned whole.
   */
  async nextKeys(runId: number, kind: RecordKind, afterKey: string, limit: number): Promise<{ rows: StagedRow[]; lastKey: string | null; more: boolean }> {
    const rows = (await this.q(`SELECT * FROM recon_bill_rows WHERE run_id = ? AND kind = ? AND match_key > ? ORDER BY match_key, side, seq LIMIT ${Math.trunc(limit)}`, [runId, kind, afterKey])).map(stagedFromRow);
    if (!rows.length) return { rows, lastKey: null, more: false };
    const lastKey = rows[rows.length - 1]!.key;
    if (rows.length < limit) return { rows, lastKey, more: false };
    const whole = rows.filter((r) => r.key !== lastKey);
    const tail = (await this.q(`SELECT * FROM recon_bill_rows WHERE run_id = ? AND kind = ? AND match_key = ? ORDER BY side, seq`, [runId, kind, lastKey])).map(stagedFromRow);
    return { rows: [...whole, ...tail], lastKey, more: true };
  }

  /** Drops a run's staging rows (in slices on MySQL, so no single statement holds a million row locks). */
  async clearStaging(runId: number): Promise<void> {
    if (!this.lockRows) {
      await this.q(`DELETE FROM recon_bill_rows WHERE run_id = ?`, [runId]);
      return;
    }
    while ((await execute(this.em, `DELETE FROM recon_bill_rows WHERE run_id = ? LIMIT 20000`, [runId])) > 0);
  }

  // ───────────────────────────── held records ─────────────────────────────

  async hold(channel: PaymentMethod, fromDate: string, toDate: string, runId: number, rows: readonly StagedRow[], at: number): Promise<void> {
    await insertRows(
      this.em,
      'recon_held',
      ['channel', 'side', 'kind', 'match_key', 'from_date', 'to_date', 'from_run_id', 'record_json', 'created_at', 'version', 'updated_seq'],
      rows.map((r) => [channel, r.side, r.kind, r.key, fromDate, toDate, runId, JSON.stringify(r), at, 1, this.nextSeq()]),
    );
  }

  /** The day's held records of earlier runs give way to this run's (at its end, in its last transaction). */
  async replaceHeld(channel: PaymentMethod, fromDate: string, runId: number): Promise<void> {
    await this.q(`DELETE FROM recon_held WHERE channel = ? AND from_date = ? AND from_run_id <> ?`, [channel, fromDate, runId]);
  }

  /** A failed run's held records are dropped with it. */
  async clearHeldOfRun(runId: number): Promise<void> {
    await this.q(`DELETE FROM recon_held WHERE from_run_id = ?`, [runId]);
  }

  async consumeHeld(channel: PaymentMethod, toDate: string, runId: number): Promise<number> {
    return execute(this.em, `UPDATE recon_held SET consumed_run_id = ?, version = version + 1, updated_seq = ? WHERE channel = ? AND to_date = ?`, [runId, this.nextSeq(), channel, toDate]);
  }

  // ───────────────────────────── differences ─────────────────────────────

  /** Writes a chunk of found differences by identity: new ones inserted, known ones refreshed (human columns kept). */
  async upsertDiffs(found: readonly FoundDiff[], at: number): Promise<{ inserted: number; refreshed: number }> {
    if (!found.length) return { inserted: 0, refreshed: 0 };
    const known = new Map<string, { id: number; status: DiffStatus; resolution: string | null }>();
    for (let i = 0; i < found.length; i += 500) {
      const part = found.slice(i, i + 500);
      const rows = await this.q(`SELECT id, identity, status, resolution FROM recon_diffs WHERE identity IN (${part.map(() => '?').join(', ')})`, part.map((d) => d.identity));
      for (const r of rows) known.set(String(r.identity), { id: int(r.id), status: r.status as DiffStatus, resolution: str(r.resolution) });
    }
    const machine = (d: FoundDiff) => ({
      channel: d.channel,
      kind: d.kind,
      match_key: d.key,
      order_no: d.orderNo.slice(0, 64),
      diff_type: d.type,
      fields: d.fields.join(','),
      bill_date: d.billDate,
      run_id: d.runId,
      local_count: d.local.length,
      platform_count: d.platform.length,
      local_amount_fen: d.local.length ? sum(d.local) : null,
      platform_amount_fen: d.platform.length ? sum(d.platform) : null,
      amount_fen: d.amountFen,
      local_json: JSON.stringify(d.local),
      platform_json: JSON.stringify(d.platform),
      last_found_at: at,
    });
    const fresh = found.filter((d) => !known.has(d.identity));
    if (fresh.length) {
      const cols = Object.keys(machine(fresh[0]!));
      await insertRows(
        this.em,
        'recon_diffs',
        ['identity', ...cols, 'status', 'first_found_at', 'created_at', 'updated_at', 'version', 'updated_seq'],
        fresh.map((d) => [d.identity, ...Object.values(machine(d)), 'open', at, at, at, 1, this.nextSeq()]),
        200,
      );
    }
    for (const d of found) {
      const k = known.get(d.identity);
      if (!k) continue;
      const set: Record<string, unknown> = machine(d);
      // Gone at an earlier re-run and back now: open again. A person's decision is never undone by the machine.
      if (k.resolution === 'rerun') Object.assign(set, { status: 'open', resolution: null, resolution_note: null, resolved_by_name: null, resolved_at: null });
      const cols = Object.keys(set);
      await this.q(`UPDATE recon_diffs SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ?, version = version + 1, updated_seq = ? WHERE id = ?`, [...cols.map((c) => set[c]), at, this.nextSeq(), k.id]);
    }
    return { inserted: fresh.length, refreshed: found.length - fresh.length };
  }

  /**
   * After a re-run: the day's differences this run did not find again are settled by the re-run
   * (still open or in progress ones only: what a person decided stays).
   */
  async resolveVanished(channel: PaymentMethod, billDate: string, runId: number, at: number): Promise<number> {
    return execute(
      this.em,
      `UPDATE recon_diffs SET status = 'resolved', resolution = 'rerun', resolution_note = ?, resolved_by_name = ?, resolved_at = ?, updated_at = ?, version = version + 1, updated_seq = ?
       WHERE channel = ? AND bill_date = ? AND run_id <> ? AND status IN ('open', 'in_progress')`,
      [`重新对账（第 ${runId} 次运行）时差异已不存在`, '系统', at, at, this.nextSeq(), channel, billDate, runId],
    );
  }

  async diff(id: number, opts: { forUpdate?: boolean } = {}): Promise<ReconDiffDetail | null> {
    const [row] = await this.q(`SELECT * FROM recon_diffs WHERE id = ?${opts.forUpdate && this.lockRows ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) return null;
    return { ...diffFromRow(row), local: JSON.parse(String(row.local_json)) as StagedRow[], platform: JSON.parse(String(row.platform_json)) as StagedRow[] };
  }

  async listDiffs(f: DiffFilter, sortBy: DiffSortField, sortOrder: 'asc' | 'desc', page: number, pageSize: number): Promise<Page<ReconDiff>> {
    const { where, params, add } = conditions();
    if (f.channel) add('channel = ?', f.channel);
    if (f.runId) add('run_id = ?', f.runId);
    if (f.dateFrom) add('bill_date >= ?', f.dateFrom);
    if (f.dateTo) add('bill_date <= ?', f.dateTo);
    if (f.kind) add('kind = ?', f.kind);
    if (f.assigneeId) add('assignee_id = ?', f.assigneeId);
    if (f.types?.length) add(`diff_type IN (${f.types.map(() => '?').join(', ')})`, ...f.types);
    if (f.statuses?.length) add(`status IN (${f.statuses.map(() => '?').join(', ')})`, ...f.statuses);
    if (f.search) {
      // Numbers are searched by prefix (an index range); the platform number is inside the snapshot text.
      // '!' as the LIKE escape: a backslash means something else in MySQL's string literals than in SQLite's.
      const like = `${f.search.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      where.push(`(match_key LIKE ? ESCAPE '!' OR order_no LIKE ? ESCAPE '!' OR platform_json LIKE ? ESCAPE '!')`);
      params.push(like, like, `%"platformNo":"${like}`);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.q(`SELECT COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS s FROM recon_diffs ${w}`, params);
    const dir = sortOrder === 'asc' ? 'ASC' : 'DESC';
    const rows = await this.q(
      `SELECT ${DIFF_LIST_COLUMNS} FROM recon_diffs ${w} ORDER BY ${SORT_COLUMNS[sortBy]} ${dir}, id ${dir} LIMIT ${Math.trunc(pageSize)} OFFSET ${Math.trunc((page - 1) * pageSize)}`,
      params,
    );
    return { items: rows.map(diffFromRow), total: int(count!.n), page, pageSize };
  }

  /** Open differences per type over a period (the weekly / monthly report). */
  async diffCounts(channel: PaymentMethod, from: string, to: string): Promise<{ type: DiffType; status: DiffStatus; count: number; amountFen: number }[]> {
    const rows = await this.q(
      `SELECT diff_type, status, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS s FROM recon_diffs WHERE channel = ? AND bill_date >= ? AND bill_date <= ? GROUP BY diff_type, status`,
      [channel, from, to],
    );
    return rows.map((r) => ({ type: r.diff_type as DiffType, status: r.status as DiffStatus, count: int(r.n), amountFen: int(r.s) }));
  }

  /** A person's change of a difference's workflow columns, optimistic on `version`. */
  async updateDiff(id: number, version: number, set: Record<string, unknown>, at: number): Promise<void> {
    const cols = Object.keys(set);
    const n = await execute(
      this.em,
      `UPDATE recon_diffs SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ?, version = version + 1, updated_seq = ? WHERE id = ? AND version = ?`,
      [...cols.map((c) => set[c]), at, this.nextSeq(), id, version],
    );
    if (n !== 1) throw new ConcurrentUpdateError();
  }

  async addNote(diffId: number, author: { id: number | null; name: string }, body: string, at: number): Promise<DiffNote> {
    const id = await this.insertOne('recon_diff_notes', { diff_id: diffId, author_id: author.id, author_name: author.name.slice(0, 64), body, created_at: at, version: 1, updated_seq: this.nextSeq() });
    return { id, diffId, authorId: author.id, authorName: author.name.slice(0, 64), body, createdAt: at };
  }

  async notes(diffId: number): Promise<DiffNote[]> {
    const rows = await this.q(`SELECT * FROM recon_diff_notes WHERE diff_id = ? ORDER BY created_at, id`, [diffId]);
    return rows.map((r) => ({ id: int(r.id), diffId: int(r.diff_id), authorId: intOrNull(r.author_id), authorName: String(r.author_name), body: String(r.body), createdAt: int(r.created_at) }));
  }

  async addAdjustment(a: Omit<Adjustment, 'id'>): Promise<Adjustment> {
    const id = await this.insertOne('recon_adjustments', {
      diff_id: a.diffId,
      channel: a.channel,
      bill_date: a.billDate,
      kind: a.kind,
      match_key: a.key,
      account: a.account,
      amount_fen: a.amountFen,
      reason: a.reason,
      created_by: a.createdBy,
      created_by_name: a.createdByName.slice(0, 64),
      created_at: a.createdAt,
      version: 1,
      updated_seq: this.nextSeq(),
    });
    return { ...a, id };
  }

  async adjustments(diffId: number): Promise<Adjustment[]> {
    const rows = await this.q(`SELECT * FROM recon_adjustments WHERE diff_id = ? ORDER BY id`, [diffId]);
    return rows.map((r) => ({
      id: int(r.id),
      diffId: int(r.diff_id),
      channel: r.channel as PaymentMethod,
      billDate: String(r.bill_date),
      kind: r.kind as RecordKind,
      key: String(r.match_key),
      account: String(r.account),
      amountFen: int(r.amount_fen),
      reason: String(r.reason),
      createdBy: intOrNull(r.created_by),
      createdByName: String(r.created_by_name),
      createdAt: int(r.created_at),
    }));
  }

  /** The 支付异常 row recorded for a platform trade (to refund a duplicate payment through it). */
  async exceptionId(platform: string, platformTradeNo: string, kind: string): Promise<number | null> {
    const [row] = await this.q(`SELECT id FROM payment_exceptions WHERE platform = ? AND platform_trade_no = ? AND kind = ?`, [platform, platformTradeNo, kind]);
    return row ? int(row.id) : null;
  }
}

/** A WHERE clause built filter by filter: the conditions and their parameters, in order. */
function conditions(): { where: string[]; params: unknown[]; add(condition: string, ...values: unknown[]): void } {
  const where: string[] = [];
  const params: unknown[] = [];
  return {
    where,
    params,
    add(condition, ...values) {
      where.push(condition);
      params.push(...values);
    },
  };
}
