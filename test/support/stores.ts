import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { openApp, type App, type AppOptions } from '../../src-main/app';
import type { StoreConfig } from '../../src-main/db/data-source';

/** Every integration suite runs on both stores. MariaDB being down is a failure, never a skip. */
export const STORE_KINDS = ['sqlite', 'mysql'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const MYSQL_BASE_URL = process.env.PAY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface TestStore {
  config: StoreConfig;
  drop(): Promise<void>;
}

/** A brand-new empty database: an in-memory SQLite, or a freshly created MariaDB schema. */
export async function freshStore(kind: StoreKind, opts: { sqliteFile?: boolean } = {}): Promise<TestStore> {
  if (kind === 'sqlite' && !opts.sqliteFile) return { config: { kind: 'sqlite', path: ':memory:' }, drop: async () => {} };
  if (kind === 'sqlite') {
    // A real file, for tests that reopen the store or open a second connection to it.
    const path = join(tmpdir(), `pay-test-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
    return { config: { kind: 'sqlite', path }, drop: async () => ['', '-wal', '-shm'].forEach((x) => rmSync(path + x, { force: true })) };
  }
  const name = `pay_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(MYSQL_BASE_URL).catch((e: Error) => {
    throw new Error(`MariaDB 不可用 (${MYSQL_BASE_URL}): ${e.message}. 集成测试需要 MariaDB；请先启动它。`);
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(MYSQL_BASE_URL);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'mysql', url: url.toString() },
    drop: async () => {
      const c = await mysql.createConnection(MYSQL_BASE_URL);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export const TEST_AUDIT_KEY = Buffer.alloc(32, 7);

/** The whole app on a fresh store, through the same start-up path as the hosts. */
export async function testApp(kind: StoreKind, opts: Partial<AppOptions> = {}): Promise<{ app: App; close(): Promise<void> }> {
  const store = await freshStore(kind);
  const app = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, ...opts });
  return {
    app,
    close: async () => {
      await app.close();
      await store.drop();
    },
  };
}
