import { type DiffType, type RecordKind } from '../../core/reconciliation/recon-diff';
import type { Page } from '../../core/orders/order';
import type { PaymentMethod } from '../../core/orders/order-types';
import { execute } from '../bulk-update';
import { insertRows, int, intOrNull } from '../bulk-insert';
import { ConcurrentUpdateError } from './concurrency';
import { ReconRecordsRepository, type StagedRow } from './recon-records-repository';
import { conditions, str, type Raw } from './recon-run-repository';

/** 待处理 / 处理中 / 已处理 / 已忽略. */
export const DIFF_STATUSES = ['open', 'in_progress', 'resolved', 'ignored'] as const;
export type DiffStatus = (typeof DIFF_STATUSES)[number];
/** How a difference was settled; `rerun`: it was gone when the day was reconciled again. */
export const DIFF_RESOLUTIONS = ['requery', 'accept_platform', 'keep_local', 'refund_duplicate', 'adjust', 'rerun', 'manual'] as const;
export type DiffResolution = (typeof DIFF_RESOLUTIONS)[number];

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

/** The list's columns (not the snapshots), read through the deferred join as d.<column>. */
const DIFF_LIST_COLUMNS = ['id', 'identity', 'channel', 'kind', 'match_key', 'order_no', 'diff_type', 'fields', 'bill_date', 'run_id', 'local_count', 'platform_count', 'local_amount_fen', 'platform_amount_fen', 'amount_fen', 'status', 'assignee_id', 'assignee_name', 'resolution', 'resolution_note', 'resolved_by_name', 'resolved_at', 'refund_no', 'first_found_at', 'last_found_at', 'updated_at', 'version']
  .map((c) => `d.${c}`)
  .join(', ');

/** LIMIT for "every row" that both engines take (2^63 - 1). */
const ALL_ROWS = '9223372036854775807';

const SORT_COLUMNS: Record<DiffSortField, string> = { billDate: 'bill_date', amount: 'amount_fen', type: 'diff_type', status: 'status', key: 'match_key' };

const sum = (xs: readonly { amountFen: number }[]) => xs.reduce((s, x) => s + x.amountFen, 0);

/** `|n1|n2|`: the platform numbers of a difference, searchable by prefix as `%|<prefix>%` (cut at a whole number to fit 255). */
function platformNos(rows: readonly StagedRow[]): string {
  let out = '|';
  for (const r of rows) {
    if (!r.platformNo) continue;
    if (out.length + r.platformNo.length + 1 > 255) break;
    out += `${r.platformNo}|`;
  }
  return out === '|' ? '' : out;
}

/**
 * 对账差异: the differences a run found, written by identity (channel, kind, key, type) so a re-run
 * refreshes the machine's columns and keeps every human note and decision, and their workflow
 * (status, assignee, notes, adjustments). The workbench's table is `listDiffs`: filter, sort, search
 * and paging in SQL (indexes: migrations 1764700000000-reconciliation and 1764820000000-recon-indexes).
 */
/**
 * The WHERE clause of the difference table's filter: the table (listDiffs) and a selection "all
 * matching the filter" (bulk actions, ReconReportRepository) count exactly the same rows.
 */
export function diffWhere(f: DiffFilter): { sql: string; params: unknown[] } {
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
    // Numbers are searched by prefix; the platform numbers are in `platform_nos` as |n1|n2|.
    // '!' as the LIKE escape: a backslash means something else in MySQL's string literals than in SQLite's.
    const like = `${f.search.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    add(`(match_key LIKE ? ESCAPE '!' OR order_no LIKE ? ESCAPE '!' OR platform_nos LIKE ? ESCAPE '!')`, like, like, `%|${like}`);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export class ReconDiffRepository extends ReconRecordsRepository {
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
      platform_nos: platformNos(d.platform),
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
    const { sql: w, params } = diffWhere(f);
    // A row carries both sides' snapshots (kilobytes). The count and the matching (id, sort column)
    // pairs come from ix_recon_diffs_list alone (every filter, sort and search column, led by the
    // run); the pairs are sorted in a derived table of their own (its LIMIT keeps the optimizer from
    // merging it away: MariaDB's filesort straight on the index would fetch every sorted row by its
    // primary key), and only the page's rows are read from the table.
    const dir = sortOrder === 'asc' ? 'ASC' : 'DESC';
    const sort = SORT_COLUMNS[sortBy];
    // Both at once: on MySQL two pooled connections (SQLite's one connection takes them in turn).
    const [[count], rows] = await Promise.all([
      this.q(`SELECT COUNT(*) AS n FROM recon_diffs ${w}`, params),
      this.q(
      `SELECT ${DIFF_LIST_COLUMNS} FROM (
         SELECT id, ${sort} FROM (SELECT id, ${sort} FROM recon_diffs ${w} LIMIT ${ALL_ROWS}) m
         ORDER BY ${sort} ${dir}, id ${dir} LIMIT ${Math.trunc(pageSize)} OFFSET ${Math.trunc((page - 1) * pageSize)}
       ) p JOIN recon_diffs d ON d.id = p.id ORDER BY p.${sort} ${dir}, p.id ${dir}`,
        params,
      ),
    ]);
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
