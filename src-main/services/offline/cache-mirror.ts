import type { Clock } from '../../core/time';
import type { MirroredTable, MirrorScope } from '../../db/repositories/offline-repository';
import type { OfflineCache } from './offline-cache';

type Raw = Record<string, unknown>;
/** A raw query on the central store (its DataSource). */
export type CentralQuery = (sql: string, params: unknown[]) => Promise<Raw[]>;

/**
 * `updated_seq` is an epoch-µs clock per process (db/store.ts SeqClock): a row written by another
 * server instance may commit with a smaller value after a bigger one was already pulled. Each pull
 * therefore starts five minutes of sequence before its cursor; the cache takes a row only at the
 * same or a newer version, so pulling a row twice changes nothing.
 */
const OVERLAP_SEQ = 5 * 60 * 1_000_000;
const PAGE = 1000;
const RUNS_SCOPE = 'runs';

export interface RunDays {
  channel: string;
  billDate: string;
  periodEnd: string;
}

/**
 * Keeps the cache's copy of what the desktop has opened: every run (a small table), and for each
 * run opened, the differences of its day(s) with their notes and adjustments; refreshed by
 * `updated_seq` while the central store answers.
 */
export class CacheMirror {
  private stopped = false;

  constructor(
    private readonly central: CentralQuery,
    private readonly cache: OfflineCache,
    private readonly clock: Clock,
  ) {}

  /** Mirrors a run's differences from now on (opening the run in the workbench). True when new. */
  trackRun(run: RunDays): Promise<boolean> {
    const key = `days:${run.channel}:${run.billDate}:${run.periodEnd}`;
    return this.cache.write((r) => r.offline.openScope({ key, channel: run.channel, dateFrom: run.billDate, dateTo: run.periodEnd, at: this.clock.now() }));
  }

  /** Pulls everything changed since the cursors of every scope. */
  async refresh(): Promise<void> {
    await this.cache.write((r) => r.offline.openScope({ key: RUNS_SCOPE, at: this.clock.now() }));
    for (const scope of await this.cache.read((r) => r.offline.scopes())) await this.refreshScope(scope);
  }

  private async refreshScope(s: MirrorScope): Promise<void> {
    if (s.key === RUNS_SCOPE) {
      const rowSeq = await this.pull('recon_runs', '1 = 1', [], s.rowSeq);
      await this.cache.write((r) => r.offline.advance(s.id, { rowSeq, noteSeq: 0, adjustmentSeq: 0 }, this.clock.now()));
      return;
    }
    const day = [s.channel, s.dateFrom, s.dateTo];
    const rowSeq = await this.pull('recon_diffs', 't.channel = ? AND t.bill_date >= ? AND t.bill_date <= ?', day, s.rowSeq);
    const noteSeq = await this.pull('recon_diff_notes', 't.diff_id IN (SELECT d.id FROM recon_diffs d WHERE d.channel = ? AND d.bill_date >= ? AND d.bill_date <= ?)', day, s.noteSeq);
    const adjustmentSeq = await this.pull('recon_adjustments', 't.channel = ? AND t.bill_date >= ? AND t.bill_date <= ?', day, s.adjustmentSeq);
    await this.cache.write((r) => r.offline.advance(s.id, { rowSeq, noteSeq, adjustmentSeq }, this.clock.now()));
  }

  /** Copies the rows of `table` matching `where` changed since `since`, a page at a time; returns the new cursor. */
  private async pull(table: MirroredTable, where: string, params: unknown[], since: number): Promise<number> {
    let seq = Math.max(0, since - OVERLAP_SEQ);
    let id = 0;
    let cursor = since;
    for (;;) {
      const rows = await this.central(`SELECT t.* FROM ${table} t WHERE ${where} AND (t.updated_seq > ? OR (t.updated_seq = ? AND t.id > ?)) ORDER BY t.updated_seq, t.id LIMIT ${PAGE}`, [...params, seq, seq, id]);
      if (!rows.length) return cursor;
      await this.cache.write((r) => r.offline.mirror(table, rows));
      const last = rows[rows.length - 1]!;
      seq = Number(last.updated_seq);
      id = Number(last.id);
      cursor = Math.max(cursor, seq);
      if (rows.length < PAGE || this.stopped) return cursor;
    }
  }

  /** The app is closing: a long first pull stops after its current page (its cursor says how far it got). */
  stop(): void {
    this.stopped = true;
  }

  /** One difference as it is now, with its notes and adjustments (opened in the side panel, or just changed). */
  async mirrorDiff(diffId: number): Promise<void> {
    const [diffs, notes, adjustments] = await Promise.all([
      this.central(`SELECT * FROM recon_diffs WHERE id = ?`, [diffId]),
      this.central(`SELECT * FROM recon_diff_notes WHERE diff_id = ?`, [diffId]),
      this.central(`SELECT * FROM recon_adjustments WHERE diff_id = ?`, [diffId]),
    ]);
    await this.cache.write(async (r) => {
      await r.offline.mirror('recon_diffs', diffs);
      await r.offline.mirror('recon_diff_notes', notes);
      await r.offline.mirror('recon_adjustments', adjustments);
    });
  }

  /** One run as it is now. */
  async mirrorRun(runId: number): Promise<void> {
    const rows = await this.central(`SELECT * FROM recon_runs WHERE id = ?`, [runId]);
    await this.cache.write((r) => r.offline.mirror('recon_runs', rows));
  }
}
