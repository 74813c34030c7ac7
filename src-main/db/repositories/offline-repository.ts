import type { EntityManager } from 'typeorm';
import type { DiffWorkState, OfflineEdit } from '../../core/offline/offline-edits';
import { insertedId } from '../bulk-update';
import { int, intOrNull } from '../bulk-insert';

/** Queued (waiting for the connection) or in conflict (waiting for its author's choice). */
export type OutboxState = 'pending' | 'conflict';

export interface OutboxEntry {
  id: number;
  authorId: number | null;
  authorName: string;
  diffId: number;
  edit: OfflineEdit;
  /** The difference as its author saw it when making the edit (the server's row, version included). */
  seen: DiffWorkState;
  state: OutboxState;
  /** In conflict: the server's version of the difference when the edit could not be sent. */
  theirs: DiffWorkState | null;
  conflictMessage: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface MirrorScope {
  id: number;
  key: string;
  channel: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  /** `updated_seq` cursors of the mirrored rows, their notes and their adjustments. */
  rowSeq: number;
  noteSeq: number;
  adjustmentSeq: number;
  openedAt: number;
  refreshedAt: number | null;
}

/** The central tables the desktop mirrors, row for row (same columns: the same migrations made both). */
export const MIRRORED_TABLES = ['recon_runs', 'recon_diffs', 'recon_diff_notes', 'recon_adjustments'] as const;
export type MirroredTable = (typeof MIRRORED_TABLES)[number];

type Raw = Record<string, unknown>;

function entryOf(r: Raw): OutboxEntry {
  return {
    id: int(r.id),
    authorId: intOrNull(r.author_id),
    authorName: String(r.author_name),
    diffId: int(r.diff_id),
    edit: JSON.parse(String(r.edit_json)) as OfflineEdit,
    seen: JSON.parse(String(r.seen_json)) as DiffWorkState,
    state: r.state as OutboxState,
    theirs: r.theirs_json ? (JSON.parse(String(r.theirs_json)) as DiffWorkState) : null,
    conflictMessage: r.conflict_message === null || r.conflict_message === undefined ? null : String(r.conflict_message),
    createdAt: int(r.created_at),
    updatedAt: int(r.updated_at),
  };
}

function scopeOf(r: Raw): MirrorScope {
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: int(r.id),
    key: String(r.scope_key),
    channel: s(r.channel),
    dateFrom: s(r.date_from),
    dateTo: s(r.date_to),
    rowSeq: int(r.row_seq),
    noteSeq: int(r.note_seq),
    adjustmentSeq: int(r.adjustment_seq),
    openedAt: int(r.opened_at),
    refreshedAt: intOrNull(r.refreshed_at),
  };
}

/** A value as better-sqlite3 binds it (mysql2 hands BIGINT back as strings, which SQLite's INTEGER columns take as numbers). */
function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) return JSON.stringify(v);
  return v;
}

/**
 * The offline cache's own storage (SQLite only: the desktop's cache file): the outbox of edits made
 * without a connection, the mirror scopes with their cursors, and the upsert that mirrors central
 * rows into the cache's copies of the reconciliation tables.
 */
export class OfflineRepository {
  constructor(private readonly em: EntityManager) {}

  private q(sql: string, params: readonly unknown[] = []): Promise<Raw[]> {
    return this.em.query(sql, [...params]) as Promise<Raw[]>;
  }

  // ───────────────────────────── outbox ─────────────────────────────

  async queue(e: { author: { id: number | null; name: string }; diffId: number; edit: OfflineEdit; seen: DiffWorkState; at: number }): Promise<OutboxEntry> {
    const id = insertedId(
      await this.em.query(
        `INSERT INTO offline_outbox (author_id, author_name, diff_id, edit_kind, edit_json, seen_json, state, created_at, updated_at, version, updated_seq) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, 1, 0)`,
        [e.author.id, e.author.name.slice(0, 64), e.diffId, e.edit.kind, JSON.stringify(e.edit), JSON.stringify(e.seen), e.at, e.at],
      ),
    );
    return (await this.entry(id))!;
  }

  async entry(id: number): Promise<OutboxEntry | null> {
    const [r] = await this.q(`SELECT * FROM offline_outbox WHERE id = ?`, [id]);
    return r ? entryOf(r) : null;
  }

  /** In the order they were made. */
  async entries(f: { authorId?: number | null; diffId?: number; states?: readonly OutboxState[] } = {}): Promise<OutboxEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.authorId !== undefined) {
      where.push(f.authorId === null ? 'author_id IS NULL' : 'author_id = ?');
      if (f.authorId !== null) params.push(f.authorId);
    }
    if (f.diffId !== undefined) {
      where.push('diff_id = ?');
      params.push(f.diffId);
    }
    if (f.states?.length) {
      where.push(`state IN (${f.states.map(() => '?').join(', ')})`);
      params.push(...f.states);
    }
    return (await this.q(`SELECT * FROM offline_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, params)).map(entryOf);
  }

  async counts(authorId: number | null): Promise<{ pending: number; conflicts: number; all: number }> {
    const rows = await this.q(`SELECT author_id, state, COUNT(*) AS n FROM offline_outbox GROUP BY author_id, state`);
    const mine = rows.filter((r) => intOrNull(r.author_id) === authorId);
    const n = (rs: Raw[], state: OutboxState) => rs.filter((r) => r.state === state).reduce((s, r) => s + int(r.n), 0);
    return { pending: n(mine, 'pending'), conflicts: n(mine, 'conflict'), all: rows.reduce((s, r) => s + int(r.n), 0) };
  }

  async markConflict(id: number, theirs: DiffWorkState, message: string, at: number): Promise<void> {
    await this.q(`UPDATE offline_outbox SET state = 'conflict', theirs_json = ?, conflict_message = ?, updated_at = ?, version = version + 1 WHERE id = ?`, [JSON.stringify(theirs), message.slice(0, 1000), at, id]);
  }

  async remove(id: number): Promise<void> {
    await this.q(`DELETE FROM offline_outbox WHERE id = ?`, [id]);
  }

  // ───────────────────────────── mirror scopes ─────────────────────────────

  async scopes(): Promise<MirrorScope[]> {
    return (await this.q(`SELECT * FROM offline_scopes ORDER BY id`)).map(scopeOf);
  }

  /** Starts mirroring a scope (once; opening it again changes nothing). */
  async openScope(s: { key: string; channel?: string | null; dateFrom?: string | null; dateTo?: string | null; at: number }): Promise<boolean> {
    const [known] = await this.q(`SELECT id FROM offline_scopes WHERE scope_key = ?`, [s.key]);
    if (known) return false;
    await this.q(`INSERT INTO offline_scopes (scope_key, channel, date_from, date_to, row_seq, note_seq, adjustment_seq, opened_at, version, updated_seq) VALUES (?, ?, ?, ?, 0, 0, 0, ?, 1, 0)`, [
      s.key,
      s.channel ?? null,
      s.dateFrom ?? null,
      s.dateTo ?? null,
      s.at,
    ]);
    return true;
  }

  async advance(id: number, c: { rowSeq: number; noteSeq: number; adjustmentSeq: number }, at: number): Promise<void> {
    await this.q(`UPDATE offline_scopes SET row_seq = ?, note_seq = ?, adjustment_seq = ?, refreshed_at = ?, version = version + 1 WHERE id = ?`, [c.rowSeq, c.noteSeq, c.adjustmentSeq, at, id]);
  }

  // ───────────────────────────── mirrored rows ─────────────────────────────

  /**
   * Central rows into the cache, by id. A row already cached is replaced only by the same or a newer
   * version of it, so an overlapping pull (see CacheMirror) never puts an older state back.
   */
  async mirror(table: MirroredTable, rows: readonly Raw[]): Promise<void> {
    if (!rows.length) return;
    if (!MIRRORED_TABLES.includes(table)) throw new Error(`not a mirrored table: ${table}`);
    const driver = this.em.connection.driver;
    const cols = Object.keys(rows[0]!);
    const names = cols.map((c) => driver.escape(c));
    const tuple = `(${cols.map(() => '?').join(', ')})`;
    const set = cols.filter((c) => c !== 'id').map((c) => `${driver.escape(c)} = excluded.${driver.escape(c)}`);
    const chunk = Math.max(1, Math.floor(20_000 / cols.length));
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      await this.em.query(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES ${Array(part.length).fill(tuple).join(', ')} ON CONFLICT(id) DO UPDATE SET ${set.join(', ')} WHERE excluded.version >= ${table}.version`,
        part.flatMap((r) => cols.map((c) => bindable(r[c]))),
      );
    }
  }

  /** Cached runs and differences (the indicator says how much is there to work on). */
  async mirroredCounts(): Promise<{ runs: number; diffs: number }> {
    const [r] = await this.q(`SELECT (SELECT COUNT(*) FROM recon_runs) AS runs, (SELECT COUNT(*) FROM recon_diffs) AS diffs`);
    return { runs: int(r!.runs), diffs: int(r!.diffs) };
  }
}
