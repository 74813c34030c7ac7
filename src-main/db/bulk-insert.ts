import type { EntityManager } from 'typeorm';

/**
 * Multi-row INSERT for the bulk paths (demo data, imports, batch items). TypeORM's insert builder
 * costs a few µs per value, which makes a 100k-row load several times slower than the driver
 * (bench/RESULTS.md); here one parameterized statement carries `chunk` rows. Values are always
 * bound parameters, never spliced into the SQL.
 */
export async function insertRows(em: EntityManager, table: string, columns: readonly string[], rows: readonly unknown[][], chunk = 500): Promise<void> {
  const driver = em.connection.driver;
  const head = `INSERT INTO ${driver.escape(table)} (${columns.map((c) => driver.escape(c)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await em.query(head + Array(part.length).fill(tuple).join(', '), part.flat());
  }
}

/** BIGINT/INT read through a raw query: mysql2 hands BIGINT back as a string. */
export function int(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${String(v)}`);
  return n;
}

export const intOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : int(v));
