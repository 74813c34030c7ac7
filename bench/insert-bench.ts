import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { openApp } from '../src-main/app';
import { openDataSource, type StoreConfig } from '../src-main/db/data-source';
import type { NewOrder } from '../src-main/db/repositories/order-repository';
import { createMysqlDatabase, DATA_DIR, dropMysqlDatabase } from './fixture';
import { ORDER_COLUMNS, insertOrdersSql, orderParams, seqSource, type OrderParam } from './order-rows';

/**
 * Bulk insert of 100k orders into an empty `payment_orders` (schema and indexes from the app's
 * migrations) — ours: `tx.orders.insertMany` in one `store.transaction`, which hands the rows to
 * `insertRows` (src-main/db/bulk-insert.ts): parameterized multi-row INSERTs of 500 rows with `?`
 * placeholders, sent through the transaction's `EntityManager.query`; raw: better-sqlite3 one
 * prepared single-row INSERT run per row in one transaction, and mysql2 multi-row INSERTs of the same
 * 500 rows in one transaction. Each run gets a fresh database.
 */
export type InsertSide = 'ours' | 'raw';
export const INSERT_SIDES: InsertSide[] = ['ours', 'raw'];

function expectRows(actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`插入后行数 ${actual}，应为 ${expected}`);
}

async function oursInto(store: StoreConfig, orders: NewOrder[]): Promise<number> {
  const app = await openApp({ store, auditKey: randomBytes(32), expiryIntervalMs: 0 });
  try {
    const t0 = performance.now();
    await app.store.transaction((tx) => tx.orders.insertMany(orders));
    const ms = performance.now() - t0;
    const stored = await app.orders.list({}, { page: 1, pageSize: 1, sortBy: 'createdAt', sortOrder: 'desc' });
    expectRows(stored.total, orders.length);
    return ms;
  } finally {
    await app.close();
  }
}

function freshSqlitePath(name: string): string {
  const path = join(DATA_DIR, `${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return path;
}

function removeSqlite(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** Milliseconds to insert `orders` on a fresh SQLite file. */
export async function sqliteInsert(side: InsertSide, orders: NewOrder[]): Promise<number> {
  const path = freshSqlitePath(`insert-${side}`);
  try {
    if (side === 'ours') return await oursInto({ kind: 'sqlite', path }, orders);
    await (await openDataSource({ kind: 'sqlite', path })).destroy();
    const db = new Database(path);
    try {
      // The same connection settings as the app (db/data-source.ts).
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const insert = db.prepare(insertOrdersSql(1));
      const seq = seqSource();
      const t0 = performance.now();
      db.transaction(() => {
        for (const o of orders) insert.run(...orderParams(o, seq()));
      })();
      const ms = performance.now() - t0;
      expectRows((db.prepare('SELECT COUNT(*) AS n FROM payment_orders').get() as { n: number }).n, orders.length);
      return ms;
    } finally {
      db.close();
    }
  } finally {
    removeSqlite(path);
  }
}

export const MYSQL_INSERT_CHUNK = 500;

/** Milliseconds to insert `orders` into a fresh MariaDB database. */
export async function mysqlInsert(side: InsertSide, orders: NewOrder[], baseUrl: string): Promise<number> {
  const database = `pay_bench_insert_${side}`;
  const url = await createMysqlDatabase(baseUrl, database);
  try {
    if (side === 'ours') return await oursInto({ kind: 'mysql', url }, orders);
    await (await openDataSource({ kind: 'mysql', url })).destroy();
    const conn = await mysql.createConnection(url);
    try {
      const sql = `INSERT INTO payment_orders (${ORDER_COLUMNS.join(',')}) VALUES ?`;
      const seq = seqSource();
      const t0 = performance.now();
      await conn.beginTransaction();
      for (let i = 0; i < orders.length; i += MYSQL_INSERT_CHUNK) {
        const rows: OrderParam[][] = orders.slice(i, i + MYSQL_INSERT_CHUNK).map((o) => orderParams(o, seq()));
        await conn.query(sql, [rows]);
      }
      await conn.commit();
      const ms = performance.now() - t0;
      const [count] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM payment_orders');
      expectRows(Number(count[0]?.n), orders.length);
      return ms;
    } finally {
      await conn.end();
    }
  } finally {
    await dropMysqlDatabase(baseUrl, database);
  }
}
