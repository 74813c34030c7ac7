import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import type { EntitySubscriberInterface } from 'typeorm';
import type { App } from '../src-main/app';
import type { OrderFilter, OrderSortField, PageRequest } from '../src-main/core/orders/order';
import { mulberry32 } from '../src-main/tools/demo-data';
import { summarize, type Summary } from './measure';
import { ORDER_COLUMNS } from './order-rows';

/**
 * The order list screen's query on a million orders: three filters (status, method, a month of
 * creation time), newest first, a page of 50 plus the total count. "Ours" is the whole app path
 * (OrderService.list → Store.read → OrderRepository.list: TypeORM query builder with explicit
 * columns, getRawMany, rows mapped straight into domain objects by orderFromRow); "raw" is the same
 * two statements as prepared statements on the bare driver.
 */

export interface ListCase {
  filter: OrderFilter & { createdFrom: number; createdTo: number };
  page: PageRequest<OrderSortField>;
}

export const PAGE_SIZE = 50;

/** Months of the fixture (Asia/Shanghai), pages 1–10, drawn reproducibly. */
export function listCases(n: number, seed: number, year = 2025): ListCase[] {
  const rand = mulberry32(seed);
  const monthStart = (y: number, m: number) => Date.parse(`${y}-${String(m).padStart(2, '0')}-01T00:00:00+08:00`);
  return Array.from({ length: n }, () => {
    const m = 1 + Math.floor(rand() * 12);
    return {
      filter: {
        statuses: ['paid'],
        methods: ['wechat'],
        createdFrom: monthStart(year, m),
        createdTo: m === 12 ? monthStart(year + 1, 1) : monthStart(year, m + 1),
      },
      page: { page: 1 + Math.floor(rand() * 10), pageSize: PAGE_SIZE, sortBy: 'createdAt', sortOrder: 'desc' },
    };
  });
}

const WHERE = 'status IN (?) AND payment_method IN (?) AND created_at >= ? AND created_at < ?';
/** The same 19 columns OrderRepository.list selects (every column but the surrogate id). */
export const RAW_ROWS_SQL = `SELECT ${ORDER_COLUMNS.join(', ')} FROM payment_orders WHERE ${WHERE} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`;
export const RAW_COUNT_SQL = `SELECT COUNT(*) AS n FROM payment_orders WHERE ${WHERE}`;

const whereParams = (c: ListCase) => [c.filter.statuses?.[0] ?? '', c.filter.methods?.[0] ?? '', c.filter.createdFrom, c.filter.createdTo];
const pageParams = (c: ListCase) => [c.page.pageSize, (c.page.page - 1) * c.page.pageSize];

export interface ListResult {
  orderNos: string[];
  total: number;
}

export interface RawLister {
  list(c: ListCase): Promise<ListResult>;
  rowsOnly(c: ListCase): Promise<unknown>;
  countOnly(c: ListCase): Promise<unknown>;
  /** Plan of each statement, as the database explains it. */
  explain(sql: string, params: unknown[]): Promise<string[]>;
  close(): Promise<void>;
}

export function sqliteRaw(path: string): RawLister {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare(RAW_ROWS_SQL);
  const count = db.prepare(RAW_COUNT_SQL);
  return {
    async list(c) {
      const r = rows.all(...whereParams(c), ...pageParams(c)) as { order_no: string }[];
      const n = (count.get(...whereParams(c)) as { n: number }).n;
      return { orderNos: r.map((x) => x.order_no), total: n };
    },
    async rowsOnly(c) {
      return rows.all(...whereParams(c), ...pageParams(c));
    },
    async countOnly(c) {
      return count.get(...whereParams(c));
    },
    async explain(sql, params) {
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    },
    async close() {
      db.close();
    },
  };
}

/**
 * mysql2 on a pool; the two statements run concurrently on two connections, exactly as
 * OrderRepository.list runs them (Promise.all). `prepared`: server-side prepared statements
 * (`execute`, binary protocol); `text`: client-side escaped `query`, the protocol TypeORM uses.
 */
export function mysqlRaw(url: string, protocol: 'prepared' | 'text'): RawLister {
  const pool = mysql.createPool({ uri: url, connectionLimit: 4, supportBigNumbers: true, bigNumberStrings: true });
  const run = async (sql: string, params: (string | number)[]) =>
    (protocol === 'prepared' ? await pool.execute<mysql.RowDataPacket[]>(sql, params) : await pool.query<mysql.RowDataPacket[]>(sql, params))[0];
  // LIMIT/OFFSET go as strings to `execute`: MySQL 8.0.22+ refuses numbers there; MariaDB takes both.
  const rows = (c: ListCase) => run(RAW_ROWS_SQL, [...whereParams(c), ...(protocol === 'prepared' ? pageParams(c).map(String) : pageParams(c))]);
  const count = (c: ListCase) => run(RAW_COUNT_SQL, whereParams(c));
  return {
    async list(c) {
      const [r, n] = await Promise.all([rows(c), count(c)]);
      return { orderNos: r.map((x) => String(x.order_no)), total: Number(n[0]?.n) };
    },
    rowsOnly: rows,
    countOnly: count,
    async explain(sql, params) {
      const [plan] = await pool.query<mysql.RowDataPacket[]>(`ANALYZE ${sql}`, params);
      return plan.map(
        (r) =>
          `type=${String(r.type)} key=${String(r.key)} key_len=${String(r.key_len)} rows=${String(r.rows)} r_rows=${String(r.r_rows)} Extra=${String(r.Extra)}`,
      );
    },
    async close() {
      await pool.end();
    },
  };
}

/** The SQL our layer sends for one case, caught with a TypeORM query subscriber. */
export async function captureOurSql(app: App, c: ListCase): Promise<{ sql: string; params: unknown[] }[]> {
  const captured: { sql: string; params: unknown[] }[] = [];
  const spy: EntitySubscriberInterface = {
    beforeQuery: (e) => {
      captured.push({ sql: e.query, params: Array.isArray(e.parameters) ? e.parameters : [] });
    },
  };
  app.store.dataSource.subscribers.push(spy);
  try {
    await app.orders.list(c.filter, c.page);
  } finally {
    app.store.dataSource.subscribers.splice(app.store.dataSource.subscribers.indexOf(spy), 1);
  }
  return captured;
}

export interface ListBenchResult {
  ours: Summary;
  /** Per baseline, in the order given; the first is the primary baseline. */
  raw: Record<string, Summary>;
  /** The primary baseline's two statements timed alone. */
  rawRowsOnly: Summary;
  rawCountOnly: Summary;
  matchedRows: { min: number; max: number };
}

/**
 * Ours and each baseline take turns (rotating who goes first) in every iteration with the same
 * case, so drift in the machine's state (caches, CPU frequency, other load) hits all sides alike.
 */
export async function benchList(app: App, raws: Record<string, RawLister>, cases: ListCase[], warmup: number): Promise<ListBenchResult> {
  const names = Object.keys(raws);
  const primary = raws[names[0] ?? ''];
  if (!primary) throw new Error('no baseline');
  // Same answers on every side, or the comparison means nothing.
  for (const c of cases.slice(0, 12)) {
    const a = await app.orders.list(c.filter, c.page);
    for (const [name, raw] of Object.entries(raws)) {
      const b = await raw.list(c);
      if (a.total !== b.total || a.items.map((o) => o.orderNo).join() !== b.orderNos.join())
        throw new Error(`结果不一致: ours total=${a.total}, ${name} total=${b.total} (${JSON.stringify(c)})`);
    }
  }
  const measured = cases.slice(warmup);
  for (const c of cases.slice(0, warmup)) {
    await app.orders.list(c.filter, c.page);
    for (const raw of Object.values(raws)) await raw.list(c);
  }
  const times: Record<string, number[]> = { ours: [] };
  for (const n of names) times[n] = [];
  const totals: number[] = [];
  for (const [i, c] of measured.entries()) {
    const sides: [string, () => Promise<unknown>][] = [
      ['ours', async () => totals.push((await app.orders.list(c.filter, c.page)).total)],
      ...Object.entries(raws).map(([n, raw]): [string, () => Promise<unknown>] => [n, () => raw.list(c)]),
    ];
    for (let k = 0; k < sides.length; k++) {
      const [name, run] = sides[(i + k) % sides.length] as [string, () => Promise<unknown>];
      const t0 = performance.now();
      await run();
      times[name]?.push(performance.now() - t0);
    }
  }
  // Where the raw time goes: the page of rows versus the count.
  const rowsOnly: number[] = [];
  const countOnly: number[] = [];
  for (const c of measured.slice(0, 100)) {
    let t0 = performance.now();
    await primary.rowsOnly(c);
    rowsOnly.push(performance.now() - t0);
    t0 = performance.now();
    await primary.countOnly(c);
    countOnly.push(performance.now() - t0);
  }
  return {
    ours: summarize(times.ours ?? []),
    raw: Object.fromEntries(names.map((n) => [n, summarize(times[n] ?? [])])),
    rawRowsOnly: summarize(rowsOnly),
    rawCountOnly: summarize(countOnly),
    matchedRows: { min: Math.min(...totals), max: Math.max(...totals) },
  };
}
