import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { App } from '../app';
import { makeDispatcher, type SessionCarrier } from '../api/dispatch';
import { SessionStore } from '../security/sessions';

/**
 * The web host: the same dispatcher as the Electron host, over HTTP on loopback only, for driving
 * the real renderer in Chromium (tests, `npm run preview`). Access needs the per-run token printed
 * at start (exchanged once for an HttpOnly cookie); the login session rides in a second cookie that
 * page scripts cannot read. POSTs must carry `X-Pay-Request: 1`, which a cross-site form cannot send.
 */
export interface WebHostOptions {
  app: App;
  /** The built renderer (electron-vite's out/renderer). */
  staticDir: string;
  host?: string;
  port?: number;
  log?: (e: unknown, channel: string) => void;
}

export interface WebHost {
  url: string;
  /** The URL to open once: it carries the run token. */
  entryUrl: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const HOST_COOKIE = 'pay_host';
const SESSION_COOKIE = 'pay_session';
const MAX_BODY = 1 << 20;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

// antd writes its styles at run time (CSS-in-JS), hence 'unsafe-inline' for styles only.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string | string[]> = {}) {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`web host listens on loopback only, not ${host}`);
  const token = randomBytes(24).toString('base64url');
  const sessions = new SessionStore(opts.app.clock);
  const dispatch = makeDispatcher(opts.app, sessions, opts.log);
  const root = resolve(opts.staticDir);

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const jar = cookies(req);

      if (req.method === 'GET' && url.searchParams.has('token')) {
        if (!sameSecret(url.searchParams.get('token') ?? undefined, token)) return send(res, 403, '访问令牌无效');
        return send(res, 302, '', 'text/plain', {
          location: '/',
          'set-cookie': `${HOST_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        });
      }
      if (!sameSecret(jar[HOST_COOKIE], token)) return send(res, 403, '需要访问令牌：请使用启动时打印的地址打开。');

      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST' || req.headers['x-pay-request'] !== '1') return send(res, 400, 'bad request');
        let input: unknown;
        try {
          const body = await readBody(req);
          input = body ? JSON.parse(body) : {};
        } catch {
          return send(res, 400, JSON.stringify({ ok: false, error: { code: 'BAD_REQUEST', message: '请求格式不正确' } }), 'application/json');
        }
        let sessionToken: string | undefined = jar[SESSION_COOKIE];
        let changed = false;
        const carrier: SessionCarrier = {
          token: () => sessionToken,
          set: (t) => {
            sessionToken = t ?? undefined;
            changed = true;
          },
        };
        const result = await dispatch(decodeURIComponent(url.pathname.slice(5)), input, carrier);
        const extra: Record<string, string> = {};
        if (changed)
          extra['set-cookie'] = sessionToken
            ? `${SESSION_COOKIE}=${sessionToken}; HttpOnly; SameSite=Strict; Path=/`
            : `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
        return send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8', extra);
      }

      if (req.method !== 'GET') return send(res, 405, 'method not allowed');
      // Static files of the built renderer; anything unknown falls back to index.html (client routing).
      let file = normalize(join(root, decodeURIComponent(url.pathname)));
      if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'forbidden');
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
      if (!existsSync(file)) return send(res, 500, '界面尚未构建：请先运行 npm run build');
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      createReadStream(file).pipe(res);
    })().catch((e: unknown) => {
      opts.log?.(e, 'web');
      if (!res.headersSent) send(res, 500, 'internal error');
    });
  });

  await new Promise<void>((ok, ko) => server.once('error', ko).listen(opts.port ?? 0, host, ok));
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: base,
    entryUrl: `${base}/?token=${token}`,
    token,
    server,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
