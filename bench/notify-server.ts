import { createDecipheriv, createPublicKey, createVerify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApp, type App, type AppOptions } from '../src-main/app';
import { systemClock } from '../src-main/core/time';
import { makeTransport } from '../src-main/gateways/http';
import { WechatPayGateway, type WechatPayConfig } from '../src-main/gateways/wechat/wechat-gateway';
import { startPaymentServer } from '../src-main/hosts/server';
import { GatewayRegistry } from '../src-main/services/payments/gateway-registry';

/**
 * The server side of the notification-ingest bench, in its own process (as `npm run server` is),
 * so the load generator does not share its event loop. notify-ingest.ts bundles this file with
 * esbuild and runs the bundle on plain node (no tsx loader at run time, as a built server runs),
 * with an IPC channel; the first message configures it:
 *   { mode: 'app', … }  the whole app: openApp on MariaDB with a WechatPayGateway, startPaymentServer
 *       on loopback (POST /api/payment/callback/wechat), logging set up as server-cli.ts does (file
 *       + stdout; the parent points stdout at /dev/null). Its statements are counted and timed.
 *   { mode: 'bare', … }  a bare node:http server doing only what verification costs: timestamp
 *       window, SHA256withRSA over `TS\nNONCE\nBODY\n` with the platform public key, JSON.parse,
 *       AES-256-GCM decryption of the resource, JSON.parse of the plaintext; no app, no database.
 * It answers { port }; on 'stop' it closes (requests in flight finish) and answers
 * { cpuMs, metrics, … } — cpuMs is this process's CPU time from listening to stopping.
 */
export type NotifyServerConfig =
  | { mode: 'app'; mysqlUrl: string; auditKeyHex: string; wechat: WechatPayConfig; logDir: string }
  | { mode: 'bare'; wechat: WechatPayConfig };

export interface NotifyServerReady {
  port: number;
}

export interface NotifyServerStopped {
  cpuMs: number;
  /** Of cpuMs, the time spent in the kernel (system calls: sockets, files). */
  systemMs: number;
  metrics: Record<string, number>;
  /** App mode: every statement TypeORM sent, by kind and table (count, summed wall time), and the audit head lock. */
  sql?: SqlStats;
}

/** "SELECT notification_inbox FOR UPDATE", "INSERT audit_log", "COMMIT", "SET autocommit = 0", … */
function statementKind(sql: string): string {
  if (/^\s*SET\b/i.test(sql)) return sql.trim().replace(/\s+/g, ' ').slice(0, 40);
  const verb = /^\s*(\w+(?: TRANSACTION)?)/i.exec(sql)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+`?(\w+)`?/i.exec(sql)?.[1];
  return `${verb}${table ? ` ${table}` : ''}${/FOR UPDATE/i.test(sql) ? ' FOR UPDATE' : ''}`;
}

/** How long transactions held the audit head row lock, and what they did while holding it. */
export interface LockHold {
  n: number;
  /** From the lock being granted (the `SELECT … audit_head FOR UPDATE` result back in JavaScript) to COMMIT's result. */
  holdMs: number[];
  /** The statements sent while holding it, as "A → B → … → COMMIT", with how often each sequence occurred. */
  sequences: Record<string, number>;
}

export interface SqlStats {
  statements: Record<string, { n: number; ms: number; example: string }>;
  lock: LockHold;
  /** Whole transactions, from their first statement (`SET autocommit = 0`, or START TRANSACTION) to COMMIT, as "A → B → …", with how often each occurred. */
  transactions: Record<string, number>;
}

/**
 * Counts and times every statement the app's TypeORM query runners send (bench instrumentation on
 * this process's own objects: one performance.now() pair per statement). The time is the wall time
 * from TypeORM handing the statement to mysql2 until the result is back in JavaScript: waiting for
 * row locks, the round trip and this process's event-loop delay all show up in it. One query runner
 * serves one transaction, so it also follows each transaction from the audit head lock to COMMIT.
 */
async function instrumentQueries(app: App): Promise<SqlStats> {
  // Statement kinds cached by the statement's start and end (a batch's statements differ only in their placeholder lists): counting should not cost the server much CPU itself.
  const kinds = new Map<string, string>();
  const kindOf = (sql: string) => {
    const head = sql.length > 200 ? sql.slice(0, 160) + sql.slice(-40) : sql;
    let k = kinds.get(head);
    if (k === undefined) {
      k = statementKind(sql);
      if (kinds.size < 10_000) kinds.set(head, k);
    }
    return k;
  };
  const stats: SqlStats = { statements: {}, lock: { n: 0, holdMs: [], sequences: {} }, transactions: {} };
  const holding = new WeakMap<object, { since: number; seq: string[] }>();
  const inTx = new WeakMap<object, string[]>();
  const runner = app.store.dataSource.createQueryRunner();
  const proto = Object.getPrototypeOf(runner) as { query: (this: object, sql: string, ...rest: unknown[]) => Promise<unknown> };
  await runner.release();
  const original = proto.query;
  proto.query = async function (this: object, sql: string, ...rest: unknown[]) {
    const t0 = performance.now();
    try {
      return await original.call(this, sql, ...rest);
    } finally {
      const now = performance.now();
      const k = kindOf(sql);
      const e = (stats.statements[k] ??= { n: 0, ms: 0, example: sql.replace(/\s+/g, ' ').slice(0, 400) });
      e.n++;
      e.ms += now - t0;
      if (k === 'START TRANSACTION' || k === 'SET autocommit = 0') inTx.set(this, [k]);
      else {
        const t = inTx.get(this);
        t?.push(k);
        if (t && (k === 'COMMIT' || k === 'ROLLBACK')) {
          const key = t.join(' → ');
          stats.transactions[key] = (stats.transactions[key] ?? 0) + 1;
          inTx.delete(this);
        }
      }
      const h = holding.get(this);
      if (!h && k === 'SELECT audit_head FOR UPDATE') holding.set(this, { since: now, seq: [] });
      else if (h) {
        h.seq.push(k);
        if (k === 'COMMIT' || k === 'ROLLBACK') {
          stats.lock.n++;
          stats.lock.holdMs.push(now - h.since);
          const key = h.seq.join(' → ');
          stats.lock.sequences[key] = (stats.lock.sequences[key] ?? 0) + 1;
          holding.delete(this);
        }
      }
    }
  };
  return stats;
}

const SUCCESS = JSON.stringify({ code: 'SUCCESS', message: '成功' });
const FAIL = JSON.stringify({ code: 'FAIL', message: '失败' });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function bareServer(cfg: WechatPayConfig): Promise<Running> {
  const key = createPublicKey(cfg.platformKeys[0]?.publicKeyPem ?? '');
  const apiKey = Buffer.from(cfg.apiV3Key, 'utf8');
  let ok = 0;
  let refused = 0;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      let good = false;
      try {
        const ts = String(req.headers['wechatpay-timestamp']);
        const nonce = String(req.headers['wechatpay-nonce']);
        const signature = String(req.headers['wechatpay-signature']);
        if (Math.abs(Date.now() / 1000 - Number(ts)) <= 300) {
          const verifier = createVerify('sha256WithRSAEncryption');
          verifier.update(`${ts}\n${nonce}\n`);
          verifier.update(body);
          verifier.update('\n');
          if (verifier.verify(key, signature, 'base64')) {
            const r = (JSON.parse(body.toString('utf8')) as { resource: { ciphertext: string; nonce: string; associated_data?: string } }).resource;
            const data = Buffer.from(r.ciphertext, 'base64');
            const d = createDecipheriv('aes-256-gcm', apiKey, Buffer.from(r.nonce, 'utf8'));
            d.setAuthTag(data.subarray(data.length - 16));
            d.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'));
            const plain = Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]).toString('utf8');
            good = typeof (JSON.parse(plain) as { out_trade_no?: unknown }).out_trade_no === 'string';
          }
        }
      } catch {
        good = false;
      }
      if (good) ok++;
      else refused++;
      res.writeHead(good ? 200 : 500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(good ? SUCCESS : FAIL);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    metrics: () => ({ ok, refused }),
  };
}

interface Running {
  server: Server;
  close(): Promise<void>;
  metrics(): Record<string, number>;
  sql?: SqlStats;
}

async function appServer(cfg: Extract<NotifyServerConfig, { mode: 'app' }>): Promise<Running> {
  const gateway = new WechatPayGateway(cfg.wechat, makeTransport({ platform: 'wechat', sandbox: true }), systemClock);
  // Logging as `npm run server` sets it up (server-cli.ts): JSON lines to a rotating file and to stdout
  // (the parent points this process's stdout at /dev/null). Passed loosely: older trees have no such option.
  const operations = { logDir: cfg.logDir, logToStdout: true };
  const options: AppOptions = { store: { kind: 'mysql', url: cfg.mysqlUrl }, auditKey: Buffer.from(cfg.auditKeyHex, 'hex'), gateways: new GatewayRegistry({ wechat: gateway }), expiryIntervalMs: 0, ...({ operations } as Partial<AppOptions>) };
  const app: App = await openApp(options);
  const sql = await instrumentQueries(app);
  const s = await startPaymentServer({ app, host: '127.0.0.1', port: 0, clients: new Map() });
  return {
    server: s.server,
    close: async () => {
      await s.close();
      await app.close();
    },
    metrics: () => app.metrics.snapshot().counters,
    sql,
  };
}

process.once('message', (msg: NotifyServerConfig) => {
  void (async () => {
    const s = msg.mode === 'app' ? await appServer(msg) : await bareServer(msg.wechat);
    const cpu0 = process.cpuUsage();
    process.on('message', (m: unknown) => {
      if (m !== 'stop') return;
      void (async () => {
        const cpu = process.cpuUsage(cpu0);
        const metrics = s.metrics();
        await s.close();
        const stopped: NotifyServerStopped = { cpuMs: (cpu.user + cpu.system) / 1000, systemMs: cpu.system / 1000, metrics, sql: s.sql };
        process.send?.(stopped, () => process.exit(0));
      })();
    });
    const ready: NotifyServerReady = { port: (s.server.address() as AddressInfo).port };
    process.send?.(ready);
  })().catch((e: unknown) => {
    console.error('[notify-server]', e);
    process.exit(1);
  });
});
