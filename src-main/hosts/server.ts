import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { App } from '../app';
import { routeOrders } from '../api/rest/orders-rest';
import { routeRefunds } from '../api/rest/refunds-rest';
import { routeBatches } from '../api/rest/batch-rest';
import { fail, type RestReply } from '../api/rest/rest-envelope';
import type { Platform } from '../gateways/gateway';
import { ApiClientAuth } from '../security/api-client-auth';

/**
 * The headless payment server (ARCHITECTURE.md, hosts/server.ts): the platforms' callback endpoints
 * and the REST API of design document section 6, next to the central database. Plain HTTP only on
 * loopback (behind a TLS-terminating proxy on the same machine); anything else needs a certificate.
 */
export interface ServerOptions {
  app: App;
  host?: string;
  port?: number;
  /** PEM certificate and key: the server speaks HTTPS. */
  tls?: { cert: string; key: string };
  /** Client app id → HMAC secret for the REST API. */
  clients: ReadonlyMap<string, string>;
  /** An extra tap of the server's events; they always go to the app's structured logger (services/logs). */
  log?: (event: Record<string, unknown>) => void;
}

export interface PaymentServer {
  url: string;
  server: Server;
  /** Stops accepting, lets requests in flight finish (notifications included), then resolves. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const PLATFORMS: readonly Platform[] = ['wechat', 'alipay', 'bank'];
const MAX_BODY = 256 * 1024;
const CALLBACK_PREFIX = '/api/payment/callback/';
const CALLBACK_PLATFORMS = new Map<string, Platform>(PLATFORMS.map((p) => [p, p]));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerMap(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const h = req.headers;
  for (const k in h) {
    const v = h[k];
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function reply(res: ServerResponse, r: RestReply): void {
  res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(r.body));
}

export async function startPaymentServer(opts: ServerOptions): Promise<PaymentServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!opts.tls && !LOOPBACK.has(host)) throw new Error(`没有证书时支付服务只能监听本机地址（127.0.0.1），不能监听 ${host}；请配置 PAY_SERVER_CERT / PAY_SERVER_KEY`);
  const { app } = opts;
  const logger = app.operations.logger;
  const tap = opts.log ?? (() => undefined);
  const auth = new ApiClientAuth(opts.clients, app.clock);
  let inFlight = 0;
  let closing = false;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.on('close', () => inFlight--);
    void (async () => {
      const target = req.url ?? '/';
      const q = target.indexOf('?');
      const path = q < 0 ? target : target.slice(0, q);
      if (closing) return reply(res, fail(503, '服务正在停止'));
      const body = await readBody(req);

      // The platforms' callbacks: the hot path (thousands a second), so no URL object and no log line per request.
      const platform = req.method === 'POST' && path.startsWith(CALLBACK_PREFIX) ? CALLBACK_PLATFORMS.get(path.slice(CALLBACK_PREFIX.length)) : undefined;
      if (platform) {
        const { reply: r, outcome } = await app.payments.handleNotification(platform, { headers: headerMap(req), body });
        // Outcomes are counted and logged by PaymentMetrics (a line per batch, rejections and failures one by one);
        // the HTTP exchange is written to the file only when it was not a success.
        if (r.status !== 200) logger.log({ level: 'debug', category: 'payment', event: 'callback.http', message: `POST ${path} → ${r.status}（${outcome}）`, fields: { platform, outcome, status: r.status } });
        tap({ op: 'notify', platform, outcome, status: r.status });
        res.writeHead(r.status, { 'content-type': r.contentType });
        return res.end(r.body);
      }
      const url = new URL(target, 'http://localhost');

      if (path === '/healthz') {
        let database = 'ok';
        try {
          await app.store.dataSource.query('SELECT 1');
        } catch (e) {
          database = `error: ${(e as Error).message}`;
        }
        // Open alerts and the outbox backlog: what an operator looks at first (issue 4, health and metrics).
        const [openAlerts, outbox] = database === 'ok' ? await Promise.all([app.alerts.openCount(), app.notifications.counts()]) : [null, null];
        const healthy = database === 'ok';
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' });
        return res.end(JSON.stringify({ status: healthy ? 'ok' : 'degraded', database, store: app.store.kind, gateways: Object.fromEntries(PLATFORMS.map((p) => [p, app.payments.hasGateway(p) ? 'configured' : 'missing'])), openAlerts, outbox, metrics: app.metrics.snapshot() }));
      }

      if (path.startsWith('/api/payment/')) {
        const text = body.toString('utf8');
        const who = auth.verify({ method: req.method ?? 'GET', pathWithQuery: url.pathname + url.search, headers: req.headers, body: text });
        if (!who.ok) return reply(res, fail(401, who.message));
        let input: unknown = {};
        if (text) {
          try {
            input = JSON.parse(text);
          } catch {
            return reply(res, fail(400, '请求体不是有效的 JSON'));
          }
        }
        const call = { method: req.method ?? 'GET', path, query: url.searchParams, body: input, clientId: who.clientId };
        const r = (await routeOrders(app, call)) ?? (await routeRefunds(app, call)) ?? (await routeBatches(app, call));
        const status = r?.status ?? 404;
        logger.log({ level: status >= 500 ? 'error' : 'info', category: 'operation', event: 'rest.call', message: `${req.method ?? 'GET'} ${path} → ${status}`, fields: { client: who.clientId, method: req.method, path, status } });
        tap({ op: 'rest', client: who.clientId, method: req.method, path, status });
        return reply(res, r ?? fail(404, '接口不存在'));
      }
      reply(res, fail(404, '接口不存在'));
    })().catch((e: unknown) => {
      logger.error('error', 'server.error', `处理请求失败：${(e as Error).message}`, { fields: { error: e, path: req.url?.split('?')[0] } });
      tap({ op: 'error', level: 'error', message: (e as Error).message });
      if (!res.headersSent) reply(res, fail(500, '系统错误'));
    });
  };

  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttpServer(handler);
  await new Promise<void>((ok, ko) => server.once('error', ko).listen(opts.port ?? 8080, host, ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    close: async () => {
      closing = true;
      await new Promise<void>((ok) => server.close(() => ok()));
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
    },
  };
}
