import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { insertRows } from '../src-main/db/bulk-insert';
import { openDataSource, type StoreConfig } from '../src-main/db/data-source';
import { createMysqlDatabase, mysqlUrl } from './fixture';
import { log, timed } from './measure';
import { checkBillWriter, eachChunk, ORDER_COLUMNS, reconDataVersion, REFUND_COLUMNS, TRANSACTION_COLUMNS, writeReconFiles, type ReconExpected, type ReconSpec } from './recon-data';

/**
 * The reconciliation benchmark's inputs, built once per size and reused while the generator is
 * unchanged: the bill and DuckDB's CSVs of our records under bench/.data/, and the stores (a SQLite
 * file, a MariaDB database) seeded with the same records by multi-row INSERTs (insertRows,
 * src-main/db/bulk-insert.ts) on the app's own schema. Seeding is never part of a measured time.
 */

export interface ReconFiles {
  bill: string;
  localPayments: string;
  localRefunds: string;
}

export interface ReconInputs {
  files: ReconFiles;
  expected: ReconExpected;
  built: { files: boolean; sqlite?: boolean; mysql?: boolean };
  buildSeconds: Record<string, number>;
}

export const reconFiles = (dir: string, spec: ReconSpec): ReconFiles => ({
  bill: join(dir, `recon-${spec.rows}-wechat-${spec.date}.csv`),
  localPayments: join(dir, `recon-${spec.rows}-local-payments.csv`),
  localRefunds: join(dir, `recon-${spec.rows}-local-refunds.csv`),
});

export const reconSqlitePath = (dir: string, spec: ReconSpec) => join(dir, `recon-${spec.rows}.sqlite`);
export const reconMysqlDatabase = (spec: ReconSpec) => `pay_bench_recon_${spec.rows}`;

/** The bill, the CSVs and the expected outcome (recon-<rows>.json says which generator wrote them). */
export async function ensureReconFiles(dir: string, spec: ReconSpec, rebuild: boolean): Promise<{ files: ReconFiles; expected: ReconExpected; built: boolean; seconds: number }> {
  const files = reconFiles(dir, spec);
  const meta = join(dir, `recon-${spec.rows}.json`);
  const version = reconDataVersion(spec);
  if (!rebuild && existsSync(meta) && Object.values(files).every((f) => existsSync(f))) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { version: string; expected: ReconExpected };
    if (m.version === version) return { files, expected: m.expected, built: false, seconds: 0 };
  }
  await checkBillWriter(dir);
  log(`生成对账基准文件：${spec.rows.toLocaleString()} 行微信账单 → ${files.bill}`);
  let expected!: ReconExpected;
  const ms = await timed(async () => {
    expected = await writeReconFiles(spec, files);
  });
  writeFileSync(meta, JSON.stringify({ version, expected }, null, 1));
  return { files, expected, built: true, seconds: ms / 1000 };
}

const FIXTURE_TABLE = 'bench_recon_fixture';

/** Our records of the day in the store's own tables, one transaction per generated chunk. */
async function seed(ds: DataSource, spec: ReconSpec): Promise<void> {
  let done = 0;
  await eachChunk(spec, async (c) => {
    await ds.transaction(async (em) => {
      await insertRows(em, 'payment_orders', ORDER_COLUMNS, c.orders);
      await insertRows(em, 'transactions', TRANSACTION_COLUMNS, c.transactions);
      await insertRows(em, 'refunds', REFUND_COLUMNS, c.refunds);
    });
    done += c.transactions.length + c.refunds.length;
    if (done % 200_000 < c.transactions.length + c.refunds.length) log(`  已写入本地记录 ${done.toLocaleString()} 条`);
  });
}

export async function ensureReconSqlite(dir: string, spec: ReconSpec, rebuild: boolean): Promise<{ config: StoreConfig; built: boolean; seconds: number }> {
  const path = reconSqlitePath(dir, spec);
  const version = reconDataVersion(spec);
  const config: StoreConfig = { kind: 'sqlite', path };
  if (!rebuild && existsSync(path)) {
    const db = new Database(path, { readonly: true });
    try {
      const m = db.prepare(`SELECT version FROM ${FIXTURE_TABLE}`).get() as { version: string } | undefined;
      if (m?.version === version) return { config, built: false, seconds: 0 };
    } catch {
      // not built completely
    } finally {
      db.close();
    }
  }
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  log(`构建对账基准 SQLite 数据 → ${path}`);
  const ms = await timed(async () => {
    const ds = await openDataSource(config);
    try {
      await seed(ds, spec);
      await ds.query(`CREATE TABLE ${FIXTURE_TABLE} (version VARCHAR(32) NOT NULL)`);
      await ds.query(`INSERT INTO ${FIXTURE_TABLE} VALUES (?)`, [version]);
      await ds.query('ANALYZE');
      await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      await ds.destroy();
    }
  });
  return { config, built: true, seconds: ms / 1000 };
}

export async function ensureReconMysql(baseUrl: string, spec: ReconSpec, rebuild: boolean): Promise<{ config: StoreConfig; built: boolean; seconds: number }> {
  const database = reconMysqlDatabase(spec);
  const url = mysqlUrl(baseUrl, database);
  const version = reconDataVersion(spec);
  const config: StoreConfig = { kind: 'mysql', url };
  if (!rebuild) {
    const admin = await mysql.createConnection(baseUrl);
    try {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT version FROM \`${database}\`.${FIXTURE_TABLE}`);
      if (rows[0]?.version === version) return { config, built: false, seconds: 0 };
    } catch {
      // not there yet
    } finally {
      await admin.end();
    }
  }
  log(`构建对账基准 MariaDB 数据 → ${database}`);
  const ms = await timed(async () => {
    await createMysqlDatabase(baseUrl, database);
    const ds = await openDataSource(config);
    try {
      await seed(ds, spec);
      for (const t of ['payment_orders', 'transactions', 'refunds']) await ds.query(`ANALYZE TABLE ${t}`);
      await ds.query(`CREATE TABLE ${FIXTURE_TABLE} (version VARCHAR(32) NOT NULL)`);
      await ds.query(`INSERT INTO ${FIXTURE_TABLE} VALUES (?)`, [version]);
    } finally {
      await ds.destroy();
    }
  });
  return { config, built: true, seconds: ms / 1000 };
}

/** Every measured run starts from the same state: no runs, no differences, nothing held. */
export async function resetRecon(config: StoreConfig): Promise<void> {
  const ds = await openDataSource(config);
  try {
    for (const t of ['recon_bill_rows', 'recon_diff_notes', 'recon_adjustments', 'recon_diffs', 'recon_held', 'recon_runs']) await ds.query(`DELETE FROM ${t}`);
    if (config.kind === 'sqlite') await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await ds.destroy();
  }
}
