import type { EntityManager } from 'typeorm';

/**
 * Runs one write statement and returns how many rows it changed, on both stores (EntityManager.query
 * hands back the driver's raw result, which on better-sqlite3 is the last insert id, not the count).
 */
export async function execute(em: EntityManager, sql: string, params: readonly unknown[]): Promise<number> {
  const own = em.queryRunner ? null : em.connection.createQueryRunner();
  try {
    const result = await (em.queryRunner ?? own!).query(sql, [...params], true);
    return result.affected ?? 0;
  } finally {
    await own?.release();
  }
}

export interface RowUpdate {
  /** The value of the key column that picks the row. */
  key: string | number;
  /** The row's version as read: the row is changed only if it still has it, and gets version + 1. */
  version: number;
  /** Column → new value; every update of one call sets the same columns. */
  set: Record<string, unknown>;
}

/**
 * Many optimistic row updates in ONE statement (the batched paths, e.g. a batch of payment
 * notifications): each column is `CASE key WHEN ? THEN ? … END`, the version check the same per
 * row. Returns the rows changed: fewer than `rows.length` means someone changed a row since it was
 * read. Values are always bound parameters.
 */
export async function updateRows(em: EntityManager, table: string, keyColumn: string, rows: readonly RowUpdate[]): Promise<number> {
  if (!rows.length) return 0;
  const esc = (s: string) => em.connection.driver.escape(s);
  const key = esc(keyColumn);
  const columns = Object.keys(rows[0]!.set);
  const whenThen = (params: unknown[], value: (r: RowUpdate) => unknown) => {
    for (const r of rows) params.push(r.key, value(r));
    return `CASE ${key} ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END`;
  };
  const setParams: unknown[] = [];
  const sets = columns.map((c) => {
    if (rows.some((r) => !(c in r.set))) throw new Error(`updateRows: every row must set ${c}`);
    return `${esc(c)} = ${whenThen(setParams, (r) => r.set[c])}`;
  });
  sets.push(`${esc('version')} = ${esc('version')} + 1`);
  const versionParams: unknown[] = [];
  const versionCase = whenThen(versionParams, (r) => r.version);
  const sql = `UPDATE ${esc(table)} SET ${sets.join(', ')} WHERE ${key} IN (${rows.map(() => '?').join(', ')}) AND ${esc('version')} = ${versionCase}`;
  return execute(em, sql, [...setParams, ...rows.map((r) => r.key), ...versionParams]);
}

/**
 * The generated id of a one-row insert builder run with `updateEntity(false)` (which skips
 * TypeORM's read-back SELECT of generated columns): MySQL reports `insertId`, better-sqlite3 the rowid.
 */
export function insertedId(raw: unknown): number {
  const v = typeof raw === 'object' && raw !== null && 'insertId' in raw ? (raw as { insertId: unknown }).insertId : raw;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`no insert id in ${String(v)}`);
  return n;
}
