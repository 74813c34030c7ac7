import { fork, type ChildProcess } from 'node:child_process';
import { build } from 'esbuild';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { openApp } from '../src-main/app';
import { compactShanghai } from '../src-main/core/time';
import { openDataSource } from '../src-main/db/data-source';
import type { NewOrder } from '../src-main/db/repositories/order-repository';
import { cpuSnapshot, cpuUse, type CpuSnapshot } from './cpu-sample';
import { createMysqlDatabase, dropMysqlDatabase } from './fixture';
import { log, percentile } from './measure';
import { postAll, type LoadCursor, type LoadResult } from './notify-client';
import { deliveryPlan, makeNotifyKeys, noticeBodies, pendingOrders, signDeliveries, type Delivery, type NoticeBody, type NotifyKeys, type SignedRequest } from './notify-fixture';
import type { NotifyServerConfig, NotifyServerReady, NotifyServerStopped } from './notify-server';
import { summarizeProfile, type ProfileSummary } from './profile-summary';

/**
 * Notification ingest into MariaDB through the payment server (issue 4, "Benchmark"): N signed and
 * encrypted WeChat TRANSACTION.SUCCESS notifications (a share of them redeliveries, shuffled) posted
 * over loopback at a fixed concurrency to POST /api/payment/callback/wechat of startPaymentServer
 * (the whole app on MariaDB, in its own process), then proof from the database that every order was
 * applied exactly once. Next to it in the same run: (a) a bare node:http server doing only the
 * signature check and the decryption (same requests, same client, same concurrency); (b) raw
 * single-row INSERTs of inbox-sized rows through a mysql2 pool at the same concurrency.
 */
export interface NotifyOptions {
  /** MariaDB admin URL (must be able to create databases). */
  baseUrl: string;
  notifications: number;
  duplicateShare: number;
  concurrency: number;
  seed: number;
  /** A second, smaller end-to-end pass with the app server under --cpu-prof (0: none). */
  profileNotifications: number;
  /** No new request starts after this long in the end-to-end run (a slow system is measured on a prefix). */
  budgetSeconds: number;
  /** The same for the profiled pass. */
  profileBudgetSeconds: number;
  dataDir: string;
}

export interface LoadFigures {
  /** Requests in the stream, and those sent before the time budget ran out (all, normally). */
  planned: number;
  requests: number;
  wallMs: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Answered 200 with WeChat's exact success body. */
  succeeded: number;
  statusCounts: Record<string, number>;
  clientCpuMs: number;
  serverCpuMs: number | null;
  /** Of serverCpuMs, kernel time. */
  serverSystemMs: number | null;
  busyCores: number;
  mariadbCores: number | null;
  sockets: number;
}

export interface ProofCheck {
  what: string;
  expected: number;
  actual: number;
  ok: boolean;
}

export interface NotifySection {
  notifications: number;
  unique: number;
  duplicates: number;
  concurrency: number;
  setup: { ordersInsertMs: number; bodiesMs: number; signMs: number; signWorkers: number; signedAgo: { e2e: number; bare: number }; resignedDuringE2e: number };
  endToEnd: LoadFigures;
  bare: LoadFigures;
  rawInsert: LoadFigures & { rowBytes: number; connections: number };
  /** MariaDB GLOBAL STATUS deltas over each run. */
  dbStatus: { e2e: Record<string, number>; raw: Record<string, number> };
  serverMetrics: Record<string, number>;
  proof: ProofCheck[];
  auditChain: string;
  profile: ProfileSummary | null;
  profiledRun: LoadFigures | null;
  profileNotifications: number;
  /** Every statement the app sent during the end-to-end run, by kind: count and summed wall time. */
  sql: Record<string, { n: number; ms: number; example: string }>;
  /** The app's transactions during the end-to-end run, statement by statement, most frequent first. */
  transactions: { seq: string; n: number }[];
  /** How long the paying transactions held the audit head lock, and what they sent meanwhile. */
  auditLock: { n: number; p50: number; p99: number; mean: number; sequences: { seq: string; n: number }[] } | null;
}

const NOTIFY_DB = 'pay_bench_notify';
const RAW_DB = 'pay_bench_notify_raw';
const STATUS_VARS = ['Questions', 'Com_begin', 'Com_commit', 'Com_rollback', 'Com_insert', 'Com_select', 'Com_update', 'Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_os_log_fsyncs', 'Innodb_data_fsyncs', 'Handler_commit'];
/** Re-sign when the signatures are older than this: WeChat's window is ±300 s. */
const RESIGN_AFTER_MS = 200_000;

async function globalStatus(conn: mysql.Connection): Promise<Record<string, number>> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS_VARS.map(() => '?').join(',')})`, STATUS_VARS);
  return Object.fromEntries(rows.map((r) => [String(r.Variable_name), Number(r.Value)]));
}

function delta(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(b).map((k) => [k, (b[k] ?? 0) - (a[k] ?? 0)]));
}

function figures(r: Pick<LoadResult, 'wallMs' | 'latencyMs' | 'status' | 'successBodies' | 'clientCpuMs' | 'socketsUsed'>, before: CpuSnapshot, after: CpuSnapshot, server: NotifyServerStopped | null, planned: number): LoadFigures {
  const lat = Array.from(r.latencyMs);
  const statusCounts: Record<string, number> = {};
  for (const s of r.status) statusCounts[String(s)] = (statusCounts[String(s)] ?? 0) + 1;
  const use = cpuUse(before, after);
  return {
    planned,
    requests: lat.length,
    wallMs: r.wallMs,
    perSecond: lat.length / (r.wallMs / 1000),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.reduce((a, b) => (b > a ? b : a), 0),
    succeeded: r.successBodies,
    statusCounts,
    clientCpuMs: r.clientCpuMs,
    serverCpuMs: server?.cpuMs ?? null,
    serverSystemMs: server?.systemMs ?? null,
    busyCores: use.busyCores,
    mariadbCores: use.mariadbCores,
    sockets: r.socketsUsed,
  };
}

/**
 * notify-server.ts and the app bundled into one file with esbuild (packages stay in node_modules),
 * so the server process runs on plain node as a built server does, without the tsx loader that
 * runs the bench itself (its module hooks and source-map support cost the server CPU at run time).
 */
async function bundleServer(dataDir: string): Promise<string> {
  const outfile = join(dataDir, 'notify-server.mjs');
  await build({ entryPoints: [join(import.meta.dirname, 'notify-server.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
  return outfile;
}

/** Starts the bundled notify-server in a child process (plain node) and waits for its port. */
async function startServer(bundle: string, cfg: NotifyServerConfig, cpuProfDir?: string): Promise<{ url: string; stop(): Promise<NotifyServerStopped> }> {
  const execArgv = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const child: ChildProcess = fork(bundle, [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`notify-server exited (${code})`))));
  const ready = new Promise<NotifyServerReady>((resolve) => child.once('message', (m) => resolve(m as NotifyServerReady)));
  child.send(cfg);
  const { port } = await Promise.race([ready, exited]);
  return {
    url: `http://127.0.0.1:${port}/api/payment/callback/wechat`,
    stop: async () => {
      const stopped = new Promise<NotifyServerStopped>((resolve) => child.once('message', (m) => resolve(m as NotifyServerStopped)));
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      const s = await stopped;
      await gone;
      return s;
    },
  };
}

/** A fresh notification database: schema from the app's migrations, then the pending orders. */
async function prepareDatabase(baseUrl: string, auditKey: Buffer, orders: NewOrder[]): Promise<{ url: string; ordersInsertMs: number }> {
  const url = await createMysqlDatabase(baseUrl, NOTIFY_DB);
  const app = await openApp({ store: { kind: 'mysql', url }, auditKey, expiryIntervalMs: 0 });
  try {
    const t0 = performance.now();
    // One transaction, 500-row INSERTs (tx.orders.insertMany → insertRows), each order with the pending
    // payment transaction OrderService.create gives it (confirmPaymentIn turns that one to success).
    // No payment_requests rows: applying a payment notification never looks for one.
    const prefix = `T${compactShanghai(orders[0]?.createdAt ?? Date.now())}`;
    await app.store.transaction(async (tx) => {
      await tx.orders.insertMany(orders);
      await tx.transactions.insertMany(
        orders.map((o, i) => ({ transactionNo: `${prefix}${String(i).padStart(6, '0')}`, orderNo: o.orderNo, method: o.method, amountFen: o.amountFen, status: 'pending', type: 'payment', gatewayTradeNo: null, createdAt: o.createdAt, updatedAt: o.createdAt })),
      );
    });
    return { url, ordersInsertMs: performance.now() - t0 };
  } finally {
    await app.close();
  }
}

/** (b) raw single-row autocommit INSERTs into a copy of notification_inbox, mysql2 pool at `concurrency`. */
async function rawInserts(opts: NotifyOptions, bodies: readonly NoticeBody[], plan: readonly Delivery[], conn: mysql.Connection): Promise<{ figures: LoadFigures & { rowBytes: number; connections: number }; status: Record<string, number> }> {
  const url = await createMysqlDatabase(opts.baseUrl, RAW_DB);
  await (await openDataSource({ kind: 'mysql', url })).destroy(); // the app's schema and indexes
  const pool = mysql.createPool({ uri: url, connectionLimit: opts.concurrency, maxIdle: opts.concurrency });
  try {
    const sql = 'INSERT INTO notification_inbox (platform, notification_id, received_at, event_kind, ref_no, payload_json, status, outcome, applied_at, version, updated_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    // One row per delivery, every one a new key (the baseline measures inserts, not duplicate handling).
    const rows = plan.map((d) => {
      const b = bodies[d.index] as NoticeBody;
      return ['wechat', randomUUID(), Date.now(), 'payment', b.orderNo, b.plaintext, 'received', null, null, 1, 0] as const;
    });
    const rowBytes = Math.round(rows.reduce((a, r) => a + 6 + 36 + 8 + 7 + r[4].length + r[5].length + 8 + 1 + 8, 0) / rows.length);
    // Open every connection first: connection set-up is not what is measured.
    await Promise.all(Array.from({ length: opts.concurrency }, async () => (await pool.getConnection()).release()));
    const latencyMs = new Float64Array(rows.length);
    let next = 0;
    let seq = Date.now() * 1000;
    const s0 = await globalStatus(conn);
    const c0 = cpuSnapshot();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        for (;;) {
          const i = next++;
          const r = rows[i];
          if (!r) return;
          const s = performance.now();
          const params = [...r];
          params[10] = ++seq;
          await pool.query(sql, params);
          latencyMs[i] = performance.now() - s;
        }
      }),
    );
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const c1 = cpuSnapshot();
    const s1 = await globalStatus(conn);
    const [count] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM notification_inbox');
    if (Number(count[0]?.n) !== rows.length) throw new Error(`raw inserts: ${String(count[0]?.n)} rows, expected ${rows.length}`);
    const f = figures({ wallMs, latencyMs, status: new Uint16Array(rows.length).fill(200), successBodies: rows.length, clientCpuMs: (cpu.user + cpu.system) / 1000, socketsUsed: opts.concurrency }, c0, c1, null, rows.length);
    return { figures: { ...f, rowBytes, connections: opts.concurrency }, status: delta(s0, s1) };
  } finally {
    await pool.end();
    await dropMysqlDatabase(opts.baseUrl, RAW_DB);
  }
}

async function count(conn: mysql.Connection, sql: string): Promise<number> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(sql);
  return Number(rows[0]?.n ?? Number.NaN);
}

/**
 * What the database says after the run: every order whose notification was delivered is paid exactly
 * once, every delivered notification is stored once, redeliveries were answered success and changed
 * nothing. `delivered` is the prefix of the plan that was sent (all of it unless a time budget cut it).
 */
async function prove(url: string, auditKey: Buffer, totalUnique: number, delivered: readonly Delivery[], load: LoadResult, metrics: Record<string, number>): Promise<{ checks: ProofCheck[]; auditChain: string }> {
  const seen = new Set<number>();
  let redeliveries = 0;
  let redeliveriesOk = 0;
  delivered.forEach((d, i) => {
    if (seen.has(d.index)) {
      redeliveries++;
      if (load.status[i] === 200) redeliveriesOk++;
    }
    seen.add(d.index);
  });
  const unique = seen.size;
  const conn = await mysql.createConnection(url);
  const checks: ProofCheck[] = [];
  const check = (what: string, expected: number, actual: number) => checks.push({ what, expected, actual, ok: expected === actual });
  try {
    check('orders paid (paid_fen = amount, trade no set, version 2)', unique, await count(conn, "SELECT COUNT(*) AS n FROM payment_orders WHERE status = 'paid' AND paid_fen = amount_fen AND gateway_trade_no IS NOT NULL AND version = 2"));
    check('orders not paid (no notification delivered)', totalUnique - unique, await count(conn, "SELECT COUNT(*) AS n FROM payment_orders WHERE status <> 'paid'"));
    check('order.pay audit entries', unique, await count(conn, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'order.pay'"));
    check('orders with an order.pay audit entry', unique, await count(conn, "SELECT COUNT(DISTINCT entity_id) AS n FROM audit_log WHERE action = 'order.pay'"));
    check('orders with more than one order.pay entry', 0, await count(conn, "SELECT COUNT(*) AS n FROM (SELECT entity_id FROM audit_log WHERE action = 'order.pay' GROUP BY entity_id HAVING COUNT(*) > 1) x"));
    check('payment transactions turned success', unique, await count(conn, "SELECT COUNT(*) AS n FROM transactions WHERE type = 'payment' AND status = 'success'"));
    check('payment transactions still pending', totalUnique - unique, await count(conn, "SELECT COUNT(*) AS n FROM transactions WHERE type = 'payment' AND status = 'pending'"));
    check('orders with more than one payment transaction', 0, await count(conn, "SELECT COUNT(*) AS n FROM (SELECT order_no FROM transactions WHERE type = 'payment' GROUP BY order_no HAVING COUNT(*) > 1) x"));
    check('inbox rows (= distinct notifications delivered)', unique, await count(conn, "SELECT COUNT(*) AS n FROM notification_inbox WHERE platform = 'wechat'"));
    check('inbox rows applied', unique, await count(conn, "SELECT COUNT(*) AS n FROM notification_inbox WHERE status = 'applied'"));
    check('payment exceptions', 0, await count(conn, 'SELECT COUNT(*) AS n FROM payment_exceptions'));
  } finally {
    await conn.end();
  }
  check('deliveries answered 200 + {"code":"SUCCESS","message":"成功"}', delivered.length, load.successBodies);
  check('redeliveries answered 200', redeliveries, redeliveriesOk);
  check('server: notifications applied', unique, metrics['notify.applied.wechat'] ?? 0);
  check('server: duplicates recognised', redeliveries, metrics['notify.duplicate.wechat'] ?? 0);
  check('server: rejected', 0, metrics['notify.rejected.wechat'] ?? 0);
  // The audit log stays one unbroken hash chain under concurrent writers.
  const app = await openApp({ store: { kind: 'mysql', url }, auditKey, expiryIntervalMs: 0 });
  try {
    const v = await app.audit.verify();
    return { checks, auditChain: v.ok ? `intact: ${v.checked.toLocaleString('en-US')} entries, head seq ${v.headSeq.toLocaleString('en-US')}` : `BROKEN at seq ${v.brokenAtSeq}: ${v.reason}` };
  } finally {
    await app.close();
  }
}

/** Signed requests and when they were signed (their Wechatpay-Timestamp). */
interface Signed {
  requests: SignedRequest[];
  signedAt: number;
  signMs: number;
}

async function signAll(plan: readonly Delivery[], bodies: readonly NoticeBody[], keys: NotifyKeys, workers: number): Promise<Signed> {
  log(`  签名 ${plan.length.toLocaleString()} 条通知（平台私钥 RSA-2048，${workers} 个工作线程）`);
  const t0 = performance.now();
  const requests = await signDeliveries(plan, bodies, keys, workers);
  const signedAt = performance.now();
  log(`  签名用时 ${((signedAt - t0) / 1000).toFixed(1)} s`);
  return { requests, signedAt, signMs: signedAt - t0 };
}

/**
 * Posts the signed requests; when a run lasts long enough that the signatures not yet sent would
 * leave WeChat's ±300 s window, they are signed again (fresh timestamp, as WeChat signs each
 * attempt) on one worker thread while the run goes on.
 */
async function postFresh(url: string, signed: Signed, plan: readonly Delivery[], bodies: readonly NoticeBody[], keys: NotifyKeys, concurrency: number, budgetMs: number): Promise<{ load: LoadResult; resigned: number }> {
  const cursor: LoadCursor = { next: 0 };
  let oldest = signed.signedAt;
  let busy = false;
  let resigned = 0;
  const timer = setInterval(() => {
    if (busy || performance.now() - oldest < RESIGN_AFTER_MS) return;
    const from = Math.min(plan.length, cursor.next + 4 * concurrency);
    if (from >= plan.length) return;
    busy = true;
    const at = performance.now();
    void signDeliveries(plan.slice(from), bodies, keys, 1).then((fresh) => {
      fresh.forEach((r, k) => (signed.requests[from + k] = r));
      resigned += fresh.length;
      oldest = at;
      busy = false;
    });
  }, 2000);
  try {
    const load = await postAll(url, signed.requests, concurrency, { cursor, budgetMs });
    return { load, resigned };
  } finally {
    clearInterval(timer);
  }
}

export async function runNotifyIngest(opts: NotifyOptions): Promise<NotifySection> {
  const duplicates = Math.round(opts.notifications * opts.duplicateShare);
  const unique = opts.notifications - duplicates;
  const keys = makeNotifyKeys();
  const auditKey = randomBytes(32);
  const now = Date.now();
  const workers = availableParallelism();
  const admin = await mysql.createConnection(opts.baseUrl);
  try {
    log(`通知入库: 准备 ${unique.toLocaleString()} 笔待支付微信订单（${NOTIFY_DB}）`);
    const orders = pendingOrders(unique, now, opts.seed);
    const db = await prepareDatabase(opts.baseUrl, auditKey, orders);
    const t0 = performance.now();
    const bodies = noticeBodies(orders, keys.gateway, now);
    const bodiesMs = performance.now() - t0;
    const plan = deliveryPlan(unique, duplicates, opts.seed + 1);
    const bundle = await bundleServer(opts.dataDir);

    log(`通知入库 (b): 裸 mysql2 单行 INSERT ${plan.length.toLocaleString()} 行，并发 ${opts.concurrency}`);
    const raw = await rawInserts(opts, bodies, plan, admin);
    log(`  raw INSERT ${raw.figures.perSecond.toFixed(0)} 行/秒, p50 ${raw.figures.p50.toFixed(2)} ms, p99 ${raw.figures.p99.toFixed(2)} ms`);

    // ---- (a) bare verify + decrypt ------------------------------------------------------------------
    // First, while the signatures are fresh: it takes seconds, the end-to-end run minutes.
    const signed = await signAll(plan, bodies, keys, workers);
    const bareSigned = signed;
    const firstSignMs = signed.signMs;
    log('通知入库 (a): 裸 node:http 验签 + 解密，同一批请求');
    const bareServer = await startServer(bundle, { mode: 'bare', wechat: keys.gateway });
    const bareSignedAgo = performance.now() - bareSigned.signedAt;
    const b0 = cpuSnapshot();
    const bareLoad = await postAll(bareServer.url, bareSigned.requests, opts.concurrency);
    const b1 = cpuSnapshot();
    const bareStopped = await bareServer.stop();
    const bare = figures(bareLoad, b0, b1, bareStopped, plan.length);
    if (bare.succeeded !== plan.length) throw new Error(`bare server refused ${plan.length - bare.succeeded} notifications`);
    log(`  裸服务 ${bare.perSecond.toFixed(0)} 条/秒, p50 ${bare.p50.toFixed(2)} ms, p99 ${bare.p99.toFixed(2)} ms`);

    // ---- end to end -----------------------------------------------------------------------------
    log(`通知入库: 端到端 ${plan.length.toLocaleString()} 条（${duplicates.toLocaleString()} 条重复），并发 ${opts.concurrency}`);
    const logDir = join(opts.dataDir, 'notify-logs');
    rmSync(logDir, { recursive: true, force: true });
    const server = await startServer(bundle, { mode: 'app', mysqlUrl: db.url, auditKeyHex: auditKey.toString('hex'), wechat: keys.gateway, logDir });
    const e2eSignedAgo = performance.now() - signed.signedAt;
    const s0 = await globalStatus(admin);
    const c0 = cpuSnapshot();
    const { load, resigned } = await postFresh(server.url, signed, plan, bodies, keys, opts.concurrency, opts.budgetSeconds * 1000);
    const c1 = cpuSnapshot();
    const s1 = await globalStatus(admin);
    const stopped = await server.stop();
    const e2e = figures(load, c0, c1, stopped, plan.length);
    log(`  端到端 ${e2e.perSecond.toFixed(0)} 条/秒, p50 ${e2e.p50.toFixed(1)} ms, p99 ${e2e.p99.toFixed(1)} ms${resigned ? `（运行中重新签名 ${resigned} 条）` : ''}`);
    const proof = await prove(db.url, auditKey, unique, plan.slice(0, load.sent), load, stopped.metrics);
    log(`  校验: ${proof.checks.filter((c) => c.ok).length}/${proof.checks.length} 通过；审计链 ${proof.auditChain}`);

    // ---- a smaller end-to-end pass under --cpu-prof, on a fresh database -----------------------------
    let profile: ProfileSummary | null = null;
    let profiledRun: LoadFigures | null = null;
    if (opts.profileNotifications > 0) {
      const pDup = Math.round(opts.profileNotifications * opts.duplicateShare);
      const pUnique = opts.profileNotifications - pDup;
      const dir = join(opts.dataDir, 'notify-profile');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      log(`通知入库: 以 --cpu-prof 另跑 ${opts.profileNotifications.toLocaleString()} 条端到端（新库），看时间花在哪里`);
      const db2 = await prepareDatabase(opts.baseUrl, auditKey, orders.slice(0, pUnique));
      const pPlan = deliveryPlan(pUnique, pDup, opts.seed + 2);
      const pSigned = await signAll(pPlan, bodies, keys, workers);
      const p = await startServer(bundle, { mode: 'app', mysqlUrl: db2.url, auditKeyHex: auditKey.toString('hex'), wechat: keys.gateway, logDir }, dir);
      const p0 = cpuSnapshot();
      const pl = await postAll(p.url, pSigned.requests, opts.concurrency, { budgetMs: opts.profileBudgetSeconds * 1000 });
      const p1 = cpuSnapshot();
      const ps = await p.stop();
      profiledRun = figures(pl, p0, p1, ps, pPlan.length);
      // The main thread's profile is the biggest file (tsx may start a helper thread of its own).
      const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
      const main = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (main) profile = summarizeProfile(main);
      log(`  剖析运行 ${profiledRun.perSecond.toFixed(0)} 条/秒；剖析文件 ${main ?? '（无）'}`);
    }

    return {
      notifications: plan.length,
      unique,
      duplicates,
      concurrency: opts.concurrency,
      setup: { ordersInsertMs: db.ordersInsertMs, bodiesMs, signMs: firstSignMs, signWorkers: workers, signedAgo: { e2e: e2eSignedAgo, bare: bareSignedAgo }, resignedDuringE2e: resigned },
      endToEnd: e2e,
      bare,
      rawInsert: raw.figures,
      dbStatus: { e2e: delta(s0, s1), raw: raw.status },
      serverMetrics: stopped.metrics,
      proof: proof.checks,
      auditChain: proof.auditChain,
      profile,
      profiledRun,
      profileNotifications: opts.profileNotifications,
      sql: stopped.sql?.statements ?? {},
      transactions: Object.entries(stopped.sql?.transactions ?? {})
        .map(([seq, n]) => ({ seq, n }))
        .sort((a, b) => b.n - a.n),
      auditLock: stopped.sql?.lock.n
        ? {
            n: stopped.sql.lock.n,
            p50: percentile(stopped.sql.lock.holdMs, 50),
            p99: percentile(stopped.sql.lock.holdMs, 99),
            mean: stopped.sql.lock.holdMs.reduce((a, b) => a + b, 0) / stopped.sql.lock.n,
            sequences: Object.entries(stopped.sql.lock.sequences)
              .map(([seq, n]) => ({ seq, n }))
              .sort((a, b) => b.n - a.n),
          }
        : null,
    };
  } finally {
    await admin.end();
    await dropMysqlDatabase(opts.baseUrl, NOTIFY_DB);
  }
}
