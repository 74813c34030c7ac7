import type { EntityManager } from 'typeorm';
import type { DiffType, RecordKind } from '../../core/reconciliation/recon-diff';
import type { PaymentMethod } from '../../core/orders/order-types';
import { updateRows } from '../bulk-update';
import { insertRows, int, intOrNull } from '../bulk-insert';
import { ConcurrentUpdateError } from './concurrency';
import { diffWhere } from './recon-diff-repository';
import type { DiffFilter, DiffNote, DiffResolution, DiffStatus, StagedRow } from './recon-repository';

type Raw = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** A difference as the reports and the bulk actions read it: the list columns and both sides' records. */
export interface ReportDiff {
  id: number;
  channel: PaymentMethod;
  kind: RecordKind;
  key: string;
  orderNo: string;
  type: DiffType;
  fields: string[];
  billDate: string;
  runId: number;
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
  version: number;
  updatedSeq: number;
  local: StagedRow[];
  platform: StagedRow[];
}

/** The workflow columns of a difference, for the bulk actions' checks and audit snapshots (no record JSON). */
export type BulkDiffRow = Omit<ReportDiff, 'local' | 'platform' | 'fields' | 'localAmountFen' | 'platformAmountFen'>;

const WORKFLOW_COLUMNS = `id, channel, kind, match_key, order_no, diff_type, bill_date, run_id, amount_fen, status, assignee_id, assignee_name, resolution,
  resolution_note, resolved_by_name, resolved_at, refund_no, version, updated_seq`;

function workflowFromRow(r: Raw): BulkDiffRow {
  return {
    id: int(r.id),
    channel: r.channel as PaymentMethod,
    kind: r.kind as RecordKind,
    key: String(r.match_key),
    orderNo: String(r.order_no),
    type: r.diff_type as DiffType,
    billDate: String(r.bill_date),
    runId: int(r.run_id),
    amountFen: int(r.amount_fen),
    status: r.status as DiffStatus,
    assigneeId: intOrNull(r.assignee_id),
    assigneeName: str(r.assignee_name),
    resolution: str(r.resolution) as DiffResolution | null,
    resolutionNote: str(r.resolution_note),
    resolvedByName: str(r.resolved_by_name),
    resolvedAt: intOrNull(r.resolved_at),
    refundNo: str(r.refund_no),
    version: int(r.version),
    updatedSeq: int(r.updated_seq),
  };
}

function reportFromRow(r: Raw): ReportDiff {
  return {
    ...workflowFromRow(r),
    fields: String(r.fields).split(',').filter(Boolean),
    localAmountFen: intOrNull(r.local_amount_fen),
    platformAmountFen: intOrNull(r.platform_amount_fen),
    local: JSON.parse(String(r.local_json)) as StagedRow[],
    platform: JSON.parse(String(r.platform_json)) as StagedRow[],
  };
}

const inList = (n: number) => `(${Array(n).fill('?').join(', ')})`;

/**
 * 对账报表 and the workbench's bulk actions: read-only report queries over the current runs'
 * differences (paged by id, so a run with 100,000 differences is never in memory at once) and the
 * set-based writes of a bulk action. Beside ReconRepository, which owns the runs and the matching.
 */
export class ReconReportRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  private q(sql: string, params: readonly unknown[] = []): Promise<Raw[]> {
    return this.em.query(sql, [...params]) as Promise<Raw[]>;
  }

  // ───────────────────────────── reports ─────────────────────────────

  /** Differences of the given runs by type and status (the report's 处理进度). */
  async statusCounts(runIds: readonly number[]): Promise<{ runId: number; type: DiffType; status: DiffStatus; count: number; amountFen: number }[]> {
    if (!runIds.length) return [];
    const rows = await this.q(
      `SELECT run_id, diff_type, status, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS s FROM recon_diffs WHERE run_id IN ${inList(runIds.length)} GROUP BY run_id, diff_type, status`,
      runIds,
    );
    return rows.map((r) => ({ runId: int(r.run_id), type: r.diff_type as DiffType, status: r.status as DiffStatus, count: int(r.n), amountFen: int(r.s) }));
  }

  /** The next page of a run's differences after `afterId`, in id order (one index range of ix_recon_diffs_run). */
  async diffPage(runId: number, afterId: number, limit: number): Promise<ReportDiff[]> {
    const rows = await this.q(`SELECT * FROM recon_diffs WHERE run_id = ? AND id > ? ORDER BY id LIMIT ${Math.trunc(limit)}`, [runId, afterId]);
    return rows.map(reportFromRow);
  }

  /** The largest differences of the given runs (the printed report's table). */
  async topDiffs(runIds: readonly number[], limit: number): Promise<ReportDiff[]> {
    if (!runIds.length) return [];
    const rows = await this.q(`SELECT * FROM recon_diffs WHERE run_id IN ${inList(runIds.length)} ORDER BY amount_fen DESC, id LIMIT ${Math.trunc(limit)}`, runIds);
    return rows.map(reportFromRow);
  }

  async notesOf(diffIds: readonly number[]): Promise<Map<number, DiffNote[]>> {
    const out = new Map<number, DiffNote[]>();
    if (!diffIds.length) return out;
    const rows = await this.q(`SELECT * FROM recon_diff_notes WHERE diff_id IN ${inList(diffIds.length)} ORDER BY diff_id, created_at, id`, diffIds);
    for (const r of rows) {
      const n: DiffNote = { id: int(r.id), diffId: int(r.diff_id), authorId: intOrNull(r.author_id), authorName: String(r.author_name), body: String(r.body), createdAt: int(r.created_at) };
      const list = out.get(n.diffId);
      if (list) list.push(n);
      else out.set(n.diffId, [n]);
    }
    return out;
  }

  /** Adjustment entries of the given differences, as "account amount" per difference. */
  async adjustmentsOf(diffIds: readonly number[]): Promise<Map<number, { account: string; amountFen: number; reason: string }[]>> {
    const out = new Map<number, { account: string; amountFen: number; reason: string }[]>();
    if (!diffIds.length) return out;
    const rows = await this.q(`SELECT diff_id, account, amount_fen, reason FROM recon_adjustments WHERE diff_id IN ${inList(diffIds.length)} ORDER BY id`, diffIds);
    for (const r of rows) {
      const a = { account: String(r.account), amountFen: int(r.amount_fen), reason: String(r.reason) };
      const id = int(r.diff_id);
      const list = out.get(id);
      if (list) list.push(a);
      else out.set(id, [a]);
    }
    return out;
  }

  /** 调账 of a period by channel and account. */
  async adjustmentTotals(from: string, to: string, channel?: PaymentMethod): Promise<{ channel: PaymentMethod; account: string; count: number; amountFen: number }[]> {
    const rows = await this.q(
      `SELECT channel, account, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS s FROM recon_adjustments WHERE bill_date >= ? AND bill_date <= ?${channel ? ' AND channel = ?' : ''} GROUP BY channel, account`,
      channel ? [from, to, channel] : [from, to],
    );
    return rows.map((r) => ({ channel: r.channel as PaymentMethod, account: String(r.account), count: int(r.n), amountFen: int(r.s) }));
  }

  // ───────────────────────────── bulk actions ─────────────────────────────

  /** What "all matching the filter" selects now: how many, how much, and the change mark it was taken at. */
  async selection(f: DiffFilter): Promise<{ count: number; amountFen: number; seq: number }> {
    const w = diffWhere(f);
    const [row] = await this.q(`SELECT COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS s, COALESCE(MAX(updated_seq), 0) AS m FROM recon_diffs ${w.sql}`, w.params);
    return { count: int(row!.n), amountFen: int(row!.s), seq: int(row!.m) };
  }

  /**
   * The rows a bulk action works on, locked until the transaction ends (FOR UPDATE on MySQL; SQLite's
   * single writer serializes anyway), in id order so two bulk actions never wait on each other in a
   * cycle. At most `limit` rows: the caller refuses a larger selection.
   */
  async lockByFilter(f: DiffFilter, limit: number): Promise<BulkDiffRow[]> {
    const w = diffWhere(f);
    const rows = await this.q(`SELECT ${WORKFLOW_COLUMNS} FROM recon_diffs ${w.sql} ORDER BY id LIMIT ${Math.trunc(limit)}${this.lockRows ? ' FOR UPDATE' : ''}`, w.params);
    return rows.map(workflowFromRow);
  }

  async lockByIds(ids: readonly number[]): Promise<BulkDiffRow[]> {
    const out: BulkDiffRow[] = [];
    const sorted = [...ids].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i += 500) {
      const part = sorted.slice(i, i + 500);
      const rows = await this.q(`SELECT ${WORKFLOW_COLUMNS} FROM recon_diffs WHERE id IN ${inList(part.length)} ORDER BY id${this.lockRows ? ' FOR UPDATE' : ''}`, part);
      out.push(...rows.map(workflowFromRow));
    }
    return out;
  }

  /**
   * The same workflow change of many differences, a few hundred rows per statement, each row checked
   * against the version it was read with and given its own change mark; a row changed in between
   * fails the whole unit of work.
   */
  async updateMany(rows: readonly { id: number; version: number; set: Record<string, unknown> }[], at: number): Promise<void> {
    for (let i = 0; i < rows.length; i += 300) {
      const part = rows.slice(i, i + 300);
      const n = await updateRows(
        this.em,
        'recon_diffs',
        'id',
        part.map((r) => ({ key: r.id, version: r.version, set: { ...r.set, updated_at: at, updated_seq: this.nextSeq() } })),
      );
      if (n !== part.length) throw new ConcurrentUpdateError();
    }
  }

  async addNotes(diffIds: readonly number[], author: { id: number | null; name: string }, body: string, at: number): Promise<void> {
    const name = author.name.slice(0, 64);
    await insertRows(
      this.em,
      'recon_diff_notes',
      ['diff_id', 'author_id', 'author_name', 'body', 'created_at', 'version', 'updated_seq'],
      diffIds.map((id) => [id, author.id, name, body, at, 1, this.nextSeq()]),
    );
  }
}
