import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { DEFAULT_EXPIRY_MINUTES } from '../src-main/core/orders/order-expiry';
import { openDataSource } from '../src-main/db/data-source';
import type { NewOrder } from '../src-main/db/repositories/order-repository';
import { DemoDataGenerator } from '../src-main/tools/demo-data';
import { log, timed } from './measure';
import { insertOrdersSql, ORDER_COLUMNS, orderParams, seqSource, type OrderParam } from './order-rows';

/**
 * The million-order databases, built once through the fastest raw path and cached between runs:
 * a SQLite file under bench/.data/ and the MariaDB database `pay_bench`. The schema always comes
 * from the app's own migrations, so indexes are exactly what the app ships. A `bench_fixture` row
 * records which generator built the data; a changed generator or a wrong row count rebuilds.
 */

export interface OrderStreamSpec {
  seed: number;
  /** The data ends here (the demo generator's "now"). */
  now: number;
  days: number;
  rows: number;
}

/** A year of orders ending 2025-12-31 (Asia/Shanghai): a month holds about 83,000 of the million. */
export const FIXTURE: OrderStreamSpec = { seed: 1_000_000, now: Date.parse('2025-12-31T22:00:00+08:00'), days: 365, rows: 1_000_000 };

export const DATA_DIR = join(import.meta.dirname, '.data');

/** Exactly `spec.rows` orders in creation order, one business day per batch (the last day cut short). */
export function* orderBatches(spec: OrderStreamSpec): Generator<NewOrder[]> {
  const generator = new DemoDataGenerator({
    seed: spec.seed,
    now: spec.now,
    days: spec.days,
    // A little more than needed, so that the stream can stop at exactly `rows`.
    orders: Math.ceil(spec.rows * 1.003),
    expiryMinutes: DEFAULT_EXPIRY_MINUTES,
    withTransactions: false,
  });
  let left = spec.rows;
  for (const day of generator.days()) {
    const batch = day.slice(0, left).map((r) => r.order);
    left -= batch.length;
    if (batch.length) yield batch;
    if (left === 0) return;
  }
  throw new Error(`数据生成器只产生了 ${spec.rows - left} 行，少于 ${spec.rows}`);
}

export function collectOrders(spec: OrderStreamSpec): NewOrder[] {
  const all: NewOrder[] = [];
  for (const batch of orderBatches(spec)) for (const o of batch) all.push(o);
  return all;
}

/** Identifies the data: the generator's source and the spec. */
export function fixtureVersion(spec: OrderStreamSpec): string {
  const h = createHash('sha256');
  for (const f of ['../src-main/tools/demo-data.ts', './order-rows.ts', './fixture.ts']) h.update(readFileSync(join(import.meta.dirname, f)));
  h.update(JSON.stringify(spec));
  return h.digest('hex').slice(0, 16);
}

export interface FixtureInfo {
  built: boolean;
  buildSeconds: number | null;
  rows: number;
}

/** Rows per batch of the raw loaders: big multi-row statements, one transaction per ~50k rows. */
const SQLITE_ROWS_PER_STATEMENT = 100; // 1,900 parameters, well below SQLite's 32,766
const MYSQL_ROWS_PER_STATEMENT = 5000; // about 1.3 MB of SQL, below max_allowed_packet (16 MB)
const ROWS_PER_TRANSACTION = 50_000;

export async function ensureSqliteFixture(path: string, spec: OrderStreamSpec, rebuild: boolean): Promise<FixtureInfo> {
  const version = fixtureVersion(spec);
  if (!rebuild && existsSync(path)) {
    const db = new Database(path, { readonly: true });
    try {
      const meta = db.prepare('SELECT version, rows_count FROM bench_fixture').get() as { version: string; rows_count: number } | undefined;
      const n = (db.prepare('SELECT COUNT(*) AS n FROM payment_orders').get() as { n: number }).n;
      if (meta?.version === version && meta.rows_count === spec.rows && n === spec.rows) return { built: false, buildSeconds: null, rows: n };
      log(`SQLite 基准数据过期（${meta?.version ?? '无版本'}，${n} 行），重建`);
    } catch {
      log('SQLite 基准数据不完整，重建');
    } finally {
      db.close();
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  log(`构建 SQLite 基准数据 ${spec.rows.toLocaleString()} 行 → ${path}`);
  const ms = await timed(async () => {
    await (await openDataSource({ kind: 'sqlite', path })).destroy();
    const db = new Database(path);
    // Load-time settings of this connection only: the file is rebuilt from scratch if the load dies.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const many = db.prepare(insertOrdersSql(SQLITE_ROWS_PER_STATEMENT));
    const one = db.prepare(insertOrdersSql(1));
    const seq = seqSource();
    const load = db.transaction((orders: NewOrder[]) => {
      let i = 0;
      for (; i + SQLITE_ROWS_PER_STATEMENT <= orders.length; i += SQLITE_ROWS_PER_STATEMENT) {
        const params: OrderParam[] = [];
        for (let k = i; k < i + SQLITE_ROWS_PER_STATEMENT; k++) params.push(...orderParams(orders[k] as NewOrder, seq()));
        many.run(...params);
      }
      for (; i < orders.length; i++) one.run(...orderParams(orders[i] as NewOrder, seq()));
    });
    let buffer: NewOrder[] = [];
    let done = 0;
    for (const batch of orderBatches(spec)) {
      buffer.push(...batch);
      if (buffer.length >= ROWS_PER_TRANSACTION) {
        load(buffer);
        done += buffer.length;
        buffer = [];
        if (done % 200_000 < ROWS_PER_TRANSACTION) log(`  SQLite 已写入 ${done.toLocaleString()} 行`);
      }
    }
    load(buffer);
    db.exec('CREATE TABLE bench_fixture (version TEXT NOT NULL, rows_count INTEGER NOT NULL, built_at INTEGER NOT NULL)');
    db.prepare('INSERT INTO bench_fixture VALUES (?, ?, ?)').run(version, spec.rows, Date.now());
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  });
  return { built: true, buildSeconds: ms / 1000, rows: spec.rows };
}

export function mysqlUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createMysqlDatabase(baseUrl: string, database: string): Promise<string> {
  const admin = await mysql.createConnection(baseUrl);
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return mysqlUrl(baseUrl, database);
}

export async function dropMysqlDatabase(baseUrl: string, database: string): Promise<void> {
  const admin = await mysql.createConnection(baseUrl);
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await admin.end();
  }
}

export async function ensureMysqlFixture(baseUrl: string, database: string, spec: OrderStreamSpec, rebuild: boolean): Promise<FixtureInfo & { url: string }> {
  const version = fixtureVersion(spec);
  const url = mysqlUrl(baseUrl, database);
  if (!rebuild) {
    const admin = await mysql.createConnection(baseUrl);
    try {
      const [meta] = await admin.query<mysql.RowDataPacket[]>(`SELECT version, rows_count FROM \`${database}\`.bench_fixture`);
      const [count] = await admin.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${database}\`.payment_orders`);
      const n = Number(count[0]?.n);
      if (meta[0]?.version === version && Number(meta[0]?.rows_count) === spec.rows && n === spec.rows) return { built: false, buildSeconds: null, rows: n, url };
      log(`MariaDB 基准数据过期（${String(meta[0]?.version ?? '无版本')}，${n} 行），重建`);
    } catch {
      log(`MariaDB 基准库 ${database} 不存在或不完整，重建`);
    } finally {
      await admin.end();
    }
  }
  log(`构建 MariaDB 基准数据 ${spec.rows.toLocaleString()} 行 → ${database}`);
  const ms = await timed(async () => {
    await createMysqlDatabase(baseUrl, database);
    await (await openDataSource({ kind: 'mysql', url })).destroy();
    const conn = await mysql.createConnection(url);
    try {
      const seq = seqSource();
      const sql = `INSERT INTO payment_orders (${ORDER_COLUMNS.join(',')}) VALUES ?`;
      let rows: OrderParam[][] = [];
      let inTransaction = 0;
      let done = 0;
      const flush = async () => {
        if (!rows.length) return;
        if (inTransaction === 0) await conn.beginTransaction();
        await conn.query(sql, [rows]);
        inTransaction += rows.length;
        done += rows.length;
        rows = [];
        if (inTransaction >= ROWS_PER_TRANSACTION) {
          await conn.commit();
          inTransaction = 0;
          if (done % 200_000 < ROWS_PER_TRANSACTION) log(`  MariaDB 已写入 ${done.toLocaleString()} 行`);
        }
      };
      for (const batch of orderBatches(spec))
        for (const o of batch) {
          rows.push(orderParams(o, seq()));
          if (rows.length === MYSQL_ROWS_PER_STATEMENT) await flush();
        }
      await flush();
      if (inTransaction) await conn.commit();
      // Fresh statistics, as InnoDB's background recalculation would produce shortly anyway.
      await conn.query('ANALYZE TABLE payment_orders');
      await conn.query('CREATE TABLE bench_fixture (version VARCHAR(32) NOT NULL, rows_count BIGINT NOT NULL, built_at BIGINT NOT NULL)');
      await conn.query('INSERT INTO bench_fixture VALUES (?, ?, ?)', [version, spec.rows, Date.now()]);
    } finally {
      await conn.end();
    }
  });
  return { built: true, buildSeconds: ms / 1000, rows: spec.rows, url };
}
