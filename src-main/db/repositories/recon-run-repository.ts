import type { EntityManager } from 'typeorm';
import { DIFF_TYPES, type ReconSummary } from '../../core/reconciliation/recon-diff';
import type { Page } from '../../core/orders/order';
import type { PaymentMethod } from '../../core/orders/order-types';
import { execute, insertedId } from '../bulk-update';
import { int, intOrNull } from '../bulk-insert';
import { ConcurrentUpdateError } from './concurrency';

export const RECON_PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type ReconPeriod = (typeof RECON_PERIODS)[number];
export const RECON_RUN_STATUSES = ['scheduled', 'running', 'done', 'failed'] as const;
export type ReconRunStatus = (typeof RECON_RUN_STATUSES)[number];

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

export interface RunFilter {
  channel?: PaymentMethod;
  period?: ReconPeriod;
  dateFrom?: string;
  dateTo?: string;
  statuses?: ReconRunStatus[];
  currentOnly?: boolean;
}

export type Raw = Record<string, unknown>;
export const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
export const bool = (v: unknown) => v === true || v === 1 || v === '1';

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

/** A WHERE clause built filter by filter: the conditions and their parameters, in order. */
export function conditions(): { where: string[]; params: unknown[]; add(condition: string, ...values: unknown[]): void } {
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

/** What the 对账 repositories share: the unit of work's EntityManager, the row-version clock, row locking. */
export class ReconStorage {
  constructor(
    protected readonly em: EntityManager,
    protected readonly nextSeq: () => number,
    /** MySQL: row locks (FOR UPDATE, SKIP LOCKED). SQLite's single writer serializes anyway. */
    protected readonly lockRows: boolean,
  ) {}

  protected q(sql: string, params: readonly unknown[] = []): Promise<Raw[]> {
    return this.em.query(sql, [...params]) as Promise<Raw[]>;
  }

  /** One row in, its generated id back (MySQL's insertId, better-sqlite3's rowid). */
  protected async insertOne(table: string, row: Record<string, unknown>): Promise<number> {
    const cols = Object.keys(row);
    return insertedId(await this.em.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => row[c])));
  }
}

/**
 * 对账 runs (recon_runs): daily per channel, weekly / monthly over the daily results; scheduled daily
 * runs claimed with SKIP LOCKED leases. ReconRepository (recon-repository.ts) is this plus the day's
 * records (recon-records-repository.ts) and the differences (recon-diff-repository.ts).
 */
export class ReconRunRepository extends ReconStorage {
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
}
