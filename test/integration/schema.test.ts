import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDataSource, openDataSource, SchemaTooNewError } from '../../src-main/db/data-source';
import { freshStore, STORE_KINDS } from '../support/stores';

/**
 * Schema guard (after actualbudget's schema-guard): the schema that the migrations produce is
 * compared with the committed snapshot. A dropped or changed column fails; an added column fails
 * until the snapshot is regenerated with UPDATE_SCHEMA_SNAPSHOT=1, so every change is reviewed.
 */
const SNAPSHOT = join(import.meta.dirname, '../fixtures/schema-snapshot.json');

type Columns = Record<string, Record<string, string>>;

describe.each(STORE_KINDS)('schema on %s', (kind) => {
  it('matches the committed snapshot: no column dropped or changed', async () => {
    const store = await freshStore(kind);
    const ds = await openDataSource(store.config);
    try {
      // Only this database's tables (TypeORM's getTables() on MySQL would list every schema).
      const names = ((await ds.query(
        kind === 'sqlite'
          ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
          : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()`,
      )) as { name: string }[]).map((r) => r.name);
      const qr = ds.createQueryRunner();
      const tables = await qr.getTables(names);
      await qr.release();
      const actual: Columns = {};
      for (const t of tables.filter((t) => t.name !== 'migrations').sort((a, b) => a.name.localeCompare(b.name))) {
        const name = t.name.split('.').pop()!.replace(/`/g, '');
        actual[name] = {};
        for (const c of t.columns)
          actual[name][c.name] = `${c.type}${c.length ? `(${c.length})` : ''}${c.isNullable ? ' NULL' : ''}${c.isPrimary ? ' PK' : ''}`;
        for (const i of t.indices) actual[name][`index:${i.name}`] = `${i.isUnique ? 'UNIQUE ' : ''}(${i.columnNames.join(',')})`;
      }
      const all = existsSync(SNAPSHOT) ? (JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, Columns>) : {};
      if (!all[kind] && process.env.CI) throw new Error(`schema snapshot for ${kind} is missing: run the test locally and commit it`);
      if (process.env.UPDATE_SCHEMA_SNAPSHOT === '1' || !all[kind]) {
        all[kind] = actual;
        writeFileSync(SNAPSHOT, JSON.stringify(all, null, 2) + '\n');
      }
      const expected = all[kind]!;
      for (const [table, cols] of Object.entries(expected))
        for (const [col, def] of Object.entries(cols)) expect(actual[table]?.[col], `${table}.${col}`).toBe(def);
      expect(actual).toEqual(expected);
    } finally {
      await ds.destroy();
      await store.drop();
    }
  });

  it('refuses a database migrated by a newer build', async () => {
    const store = await freshStore(kind, { sqliteFile: true });
    const ds = await openDataSource(store.config);
    await ds.query(`INSERT INTO migrations (timestamp, name) VALUES (1900000000000, 'FromTheFuture1900000000000')`);
    await ds.destroy();
    try {
      await expect(openDataSource(store.config)).rejects.toBeInstanceOf(SchemaTooNewError);
      await expect(openDataSource(store.config)).rejects.toThrow('数据库由更新版本的支付中心创建');
    } finally {
      await store.drop();
    }
  });

  it('migrations run once: opening an up-to-date store changes nothing', async () => {
    const store = await freshStore(kind, { sqliteFile: true });
    await (await openDataSource(store.config)).destroy();
    const ds = makeDataSource(store.config);
    await ds.initialize();
    expect(await ds.showMigrations()).toBe(false);
    await ds.destroy();
    await store.drop();
  });
});
