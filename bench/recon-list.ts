import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, type App } from '../src-main/app';
import type { ChannelInput } from '../src-main/api/contract';
import { DIFF_TYPES } from '../src-main/core/reconciliation/recon-diff';
import { insertRows } from '../src-main/db/bulk-insert';
import type { StoreConfig } from '../src-main/db/data-source';
import { callers } from '../test/support/callers';
import { createMysqlDatabase, dropMysqlDatabase } from './fixture';
import { log, percentile } from './measure';
import { RECON_DATE } from './recon-data';

/**
 * The 对账工作台's difference table on a run with 100,000 differences (issue 6: "filter, sort and
 * search answer in under 200 ms"): the channel the table calls, `recon.listDiffs`, through the
 * contract's dispatcher (session, permission, zod, service, repository) exactly as the renderer calls
 * it, a page of 50 sorted by amount, with type / status filters, a search by order number and by
 * platform number, and a deep page. The differences are written straight into `recon_diffs` (multi-
 * row INSERTs) with snapshots shaped like the engine's (a platform line with its 27 cells), on a fresh
 * database of the app's schema (migrations included), so the indexes measured are the shipped ones.
 */

export interface ListCaseResult {
  name: string;
  input: Record<string, unknown>;
  total: number;
  p50: number;
  p95: number;
  max: number;
}

export interface ListBenchResult {
  store: 'SQLite' | 'MariaDB';
  diffs: number;
  runs: number;
  cases: ListCaseResult[];
  plans: { name: string; plan: string[] }[];
}

const WEIGHTED_STATUSES = ['open', 'open', 'open', 'open', 'open', 'open', 'open', 'in_progress', 'in_progress', 'resolved', 'ignored'] as const;

/** Differences `from` … `from + n - 1` of one run, deterministic (mulberry32, seeded per slice). */
function diffRows(runId: number, from: number, n: number, at: number): unknown[][] {
  const rows: unknown[][] = [];
  let a = 77 + from;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ymd = RECON_DATE.replaceAll('-', '');
  for (let i = from; i < from + n; i++) {
    const type = DIFF_TYPES[i % DIFF_TYPES.length]!;
    const kind = type === 'fee' ? 'refund' : 'payment';
    const key = `${kind === 'refund' ? 'R' : 'P'}${ymd}${String(i * 37 + 11).padStart(10, '0')}`;
    const orderNo = `P${ymd}${String(i * 37 + 11).padStart(10, '0')}`;
    const platformNo = `42000${ymd}${String(i * 53 + 7).padStart(15, '0')}`;
    const amount = 100 + Math.floor(rand() * 500_000);
    const at0 = Date.parse(`${RECON_DATE}T00:00:00+08:00`) + Math.floor(rand() * 86_400) * 1000;
    const local = type === 'missing_local' ? [] : [{ side: 'local', kind, seq: i + 1, key, orderNo, platformNo, amountFen: amount, feeFen: kind === 'refund' ? -Math.round(amount * 0.006) : null, state: 'success', sourceState: 'success', at: at0, line: null, raw: null, carried: false }];
    const raw = Object.fromEntries(['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'].map((h, k) => [h, k === 6 ? orderNo : k === 5 ? platformNo : k === 20 ? '客房预订-豪华大床房 2晚' : String(k)]));
    const platform = type === 'missing_platform' ? [] : [{ side: 'platform', kind, seq: i + 1, key, orderNo, platformNo, amountFen: amount + (type === 'amount' ? 100 : 0), feeFen: Math.round(amount * 0.006), state: 'success', sourceState: null, at: at0 + 1000, line: i + 2, raw, carried: false }];
    const status = WEIGHTED_STATUSES[Math.floor(rand() * WEIGHTED_STATUSES.length)]!;
    rows.push([
      `wechat:${kind}:${key}:${type}`,
      'wechat',
      kind,
      key,
      orderNo,
      type,
      type === 'amount' ? 'amount' : type === 'fee' ? 'fee' : type === 'status' ? 'state' : type.startsWith('missing') ? 'presence' : 'count',
      RECON_DATE,
      runId,
      local.length,
      platform.length,
      local.length ? amount : null,
      platform.length ? amount : null,
      amount,
      JSON.stringify(local),
      JSON.stringify(platform),
      platform.length ? `|${platformNo}|` : '',
      status,
      status === 'in_progress' ? 1 : null,
      status === 'in_progress' ? '会计' : null,
      status === 'resolved' || status === 'ignored' ? 'manual' : null,
      at,
      at,
      at,
      at,
      1,
      i + 1,
    ]);
  }
  return rows;
}

const DIFF_COLUMNS = ['identity', 'channel', 'kind', 'match_key', 'order_no', 'diff_type', 'fields', 'bill_date', 'run_id', 'local_count', 'platform_count', 'local_amount_fen', 'platform_amount_fen', 'amount_fen', 'local_json', 'platform_json', 'platform_nos', 'status', 'assignee_id', 'assignee_name', 'resolution', 'first_found_at', 'last_found_at', 'created_at', 'updated_at', 'version', 'updated_seq'];

export async function seedDiffRun(app: App, n: number): Promise<number> {
  const at = Date.parse('2025-12-01T10:30:00+08:00');
  const runId = await app.store.transaction((tx) =>
    tx.recon.createRun({ channel: 'wechat', billDate: RECON_DATE, period: 'daily', periodEnd: RECON_DATE, status: 'done', startedBy: null, startedByName: '基准', startedAt: at, at }),
  );
  await app.store.transaction(async (tx) => {
    await tx.recon.updateRun(runId, { diff_count: n, is_current: true }, at);
  });
  for (let i = 0; i < n; i += 10_000) {
    const rows = diffRows(runId, i, Math.min(10_000, n - i), at);
    await app.store.dataSource.transaction((tx) => insertRows(tx, 'recon_diffs', DIFF_COLUMNS, rows, 200));
  }
  if (app.store.kind === 'mysql') await app.store.dataSource.query('ANALYZE TABLE recon_diffs');
  else await app.store.dataSource.query('ANALYZE');
  return runId;
}

/** The table's queries: what an accountant does on a 100,000-difference run. */
function listCases(runId: number, n: number): { name: string; input: ChannelInput<'recon.listDiffs'> }[] {
  const ymd = RECON_DATE.replaceAll('-', '');
  const base = { runId, sortBy: 'amount' as const, sortOrder: 'desc' as const, page: 1, pageSize: 50 };
  return [
    { name: 'all, by amount', input: base },
    { name: 'type 金额差异', input: { ...base, types: ['amount'] } },
    { name: 'status 待处理', input: { ...base, statuses: ['open'] } },
    { name: 'two types × two statuses, ascending', input: { ...base, types: ['missing_local', 'missing_platform'], statuses: ['open', 'in_progress'], sortOrder: 'asc' } },
    // Numbers of rows in the middle of the run, their last two digits cut: a prefix matching a few rows.
    { name: 'search order number (prefix)', input: { ...base, search: `P${ymd}${String(Math.floor(n / 2) * 37 + 11).padStart(10, '0')}`.slice(0, -2) } },
    { name: 'search platform number (prefix)', input: { ...base, search: `42000${ymd}${String(Math.floor(n / 3) * 53 + 7).padStart(15, '0')}`.slice(0, -2) } },
    { name: `status 待处理, page ${Math.max(1, Math.floor((n * 0.5) / 50))}`, input: { ...base, statuses: ['open'], page: Math.max(1, Math.floor((n * 0.5) / 50)) } },
    { name: 'all, by number, last page', input: { ...base, sortBy: 'key', sortOrder: 'asc', page: Math.ceil(n / 50) } },
  ];
}

export async function benchDiffList(kind: 'sqlite' | 'mysql', opts: { dataDir: string; mysqlBase: string; diffs: number; runs: number }): Promise<ListBenchResult> {
  const label = kind === 'sqlite' ? 'SQLite' : 'MariaDB';
  const sqlitePath = join(opts.dataDir, 'recon-list.sqlite');
  const database = 'pay_bench_recon_list';
  let store: StoreConfig;
  if (kind === 'sqlite') {
    for (const s of ['', '-wal', '-shm']) rmSync(sqlitePath + s, { force: true });
    store = { kind: 'sqlite', path: sqlitePath };
  } else store = { kind: 'mysql', url: await createMysqlDatabase(opts.mysqlBase, database) };
  const app = await openApp({ store, auditKey: Buffer.alloc(32, 3), expiryIntervalMs: 0 });
  try {
    log(`${label}: 写入 ${opts.diffs.toLocaleString()} 条差异（一次对账）`);
    const runId = await seedDiffRun(app, opts.diffs);
    const { admin } = await callers(app);
    const cases = listCases(runId, opts.diffs);
    const samples = cases.map(() => [] as number[]);
    const totals = cases.map(() => 0);
    // Warm-up, then the cases in turn, so no case always meets a warmer cache.
    for (const c of cases) await admin.ok('recon.listDiffs', c.input);
    for (let round = 0; round < opts.runs; round++)
      for (const [i, c] of cases.entries()) {
        const t0 = performance.now();
        const page = await admin.ok('recon.listDiffs', c.input);
        samples[i]!.push(performance.now() - t0);
        totals[i] = page.total;
        if (page.items.length === 0 && page.total > 0 && c.input.page === 1) throw new Error(`${c.name}: 有 ${page.total} 条却没有返回第一页`);
      }
    const results = cases.map((c, i) => ({ name: c.name, input: { ...c.input } as Record<string, unknown>, total: totals[i]!, p50: percentile(samples[i]!, 50), p95: percentile(samples[i]!, 95), max: Math.max(...samples[i]!) }));
    for (const r of results) log(`${label} 差异列表 ${r.name}: ${r.total.toLocaleString()} 条，p50 ${r.p50.toFixed(1)} ms，p95 ${r.p95.toFixed(1)} ms`);
    const plans = await explainCases(app, kind, runId);
    return { store: label, diffs: opts.diffs, runs: opts.runs, cases: results, plans };
  } finally {
    await app.close();
    if (kind === 'sqlite') for (const s of ['', '-wal', '-shm']) rmSync(sqlitePath + s, { force: true });
    else await dropMysqlDatabase(opts.mysqlBase, database);
  }
}

/** The plans of the page statement for two typical cases (the SQL as the repository builds it). */
async function explainCases(app: App, kind: 'sqlite' | 'mysql', runId: number): Promise<{ name: string; plan: string[] }[]> {
  // The statements ReconDiffRepository.listDiffs sends for the table's default view filtered to 待处理.
  const where = `WHERE run_id = ? AND status IN (?)`;
  const statements = [
    { name: 'count, status 待处理', sql: `SELECT COUNT(*) AS n FROM recon_diffs ${where}`, params: [runId, 'open'] },
    {
      name: 'page, status 待处理, by amount',
      sql: `SELECT d.id, d.amount_fen FROM (SELECT id, amount_fen FROM (SELECT id, amount_fen FROM recon_diffs ${where} LIMIT 9223372036854775807) m ORDER BY amount_fen DESC, id DESC LIMIT 50 OFFSET 0) p JOIN recon_diffs d ON d.id = p.id ORDER BY p.amount_fen DESC, p.id DESC`,
      params: [runId, 'open'],
    },
  ];
  const out: { name: string; plan: string[] }[] = [];
  for (const s of statements) {
    const rows = (await app.store.dataSource.query(kind === 'sqlite' ? `EXPLAIN QUERY PLAN ${s.sql}` : `EXPLAIN ${s.sql}`, s.params)) as Record<string, unknown>[];
    out.push({ name: s.name, plan: rows.map((r) => (kind === 'sqlite' ? String(r.detail) : `${String(r.table)}: ${String(r.type)} ${String(r.key ?? '')} rows=${String(r.rows)} ${String(r.Extra ?? '')}`.trim())) });
  }
  return out;
}

