import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../core/time';
import type { Platform } from '../gateway';
import type { Fault } from './faults';
import { Notifier } from './notifier';
import { payPage } from './pay-page';
import { send, type SimContext, type SimPlatform, type SimRequest } from './sim-http';

/**
 * The local stand-in for all three payment platforms (ARCHITECTURE.md): one loopback HTTP server
 * with each platform's own paths, signatures and encryption, plus a control surface under /__sim/
 * for the pay page, tests and fault injection. Sandbox mode and every test use it; nothing here
 * ever talks to a real platform.
 */
export interface SimulatorOptions {
  clock?: Clock;
  /** 1 = the platforms' real retry timing; 0.001 turns WeChat's 15 s into 15 ms. */
  timeScale?: number;
  port?: number;
}

export class Simulator {
  readonly clock: Clock;
  readonly notifier: Notifier;
  private readonly platforms = new Map<Platform, SimPlatform>();
  private server: Server | null = null;
  private address = '';

  constructor(opts: SimulatorOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.notifier = new Notifier(opts.timeScale ?? 1, () => this.clock.now());
  }

  /** What a platform module needs; pass it to the platform's constructor. */
  get context(): SimContext {
    return { clock: this.clock, notifier: this.notifier, baseUrl: () => this.address };
  }

  add(platform: SimPlatform): this {
    this.platforms.set(platform.platform, platform);
    return this;
  }

  get(platform: Platform): SimPlatform {
    const p = this.platforms.get(platform);
    if (!p) throw new Error(`simulator has no ${platform} platform`);
    return p;
  }

  get url(): string {
    return this.address;
  }

  inject(platform: Platform, ...faults: Fault[]): void {
    this.get(platform).faults.inject(...faults);
  }

  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const sreq: SimRequest = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', this.address || 'http://127.0.0.1'), headers: req.headers, body: Buffer.concat(chunks) };
        this.route(sreq, res).catch((e: unknown) => {
          if (!res.headersSent) send(res, 500, JSON.stringify({ code: 'SYSTEM_ERROR', message: (e as Error).message }));
        });
      });
    });
    await new Promise<void>((ok, ko) => server.once('error', ko).listen(port, '127.0.0.1', ok));
    this.server = server;
    this.address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.address;
  }

  private async route(req: SimRequest, res: ServerResponse): Promise<void> {
    if (req.url.pathname.startsWith('/__sim/')) return this.control(req, res);
    for (const p of this.platforms.values()) if (await p.handle(req, res)) return;
    send(res, 404, JSON.stringify({ code: 'NOT_FOUND', message: `simulator: no route ${req.method} ${req.url.pathname}` }));
  }

  private async control(req: SimRequest, res: ServerResponse): Promise<void> {
    const path = req.url.pathname;
    if (path === '/__sim/pay-page') {
      // GET shows the order; POST (the button) pays it. Form-encoded, no script: works under any CSP.
      const params = req.method === 'POST' ? new URLSearchParams(req.body.toString('utf8')) : req.url.searchParams;
      const platform = params.get('platform') as Platform;
      const orderNo = params.get('orderNo') ?? '';
      const sim = this.platforms.get(platform);
      let message: string | undefined;
      if (req.method === 'POST' && sim) {
        try {
          await sim.pay(orderNo);
          message = '支付成功，已通知商户';
        } catch (e) {
          message = `支付失败：${(e as Error).message}`;
        }
      }
      return send(res, sim ? 200 : 404, payPage(platform, sim?.ledger.trades.get(orderNo), message), { 'content-type': 'text/html; charset=utf-8' });
    }
    if (path === '/__sim/pay' && req.method === 'POST') {
      const { platform, orderNo } = JSON.parse(req.body.toString('utf8')) as { platform: Platform; orderNo: string };
      try {
        const trade = await this.get(platform).pay(orderNo);
        return send(res, 200, JSON.stringify({ ok: true, trade }));
      } catch (e) {
        return send(res, 409, JSON.stringify({ ok: false, message: (e as Error).message }));
      }
    }
    if (path === '/__sim/faults' && req.method === 'POST') {
      const { platform, faults } = JSON.parse(req.body.toString('utf8')) as { platform: Platform; faults: Fault[] };
      this.inject(platform, ...faults);
      return send(res, 200, JSON.stringify({ ok: true }));
    }
    if (path === '/__sim/deliveries') return send(res, 200, JSON.stringify(this.notifier.log));
    send(res, 404, JSON.stringify({ code: 'NOT_FOUND' }));
  }

  /** The pay page for a trade: what the sandbox QR code and redirect links open. */
  payPageUrl(platform: Platform, orderNo: string): string {
    return `${this.address}/__sim/pay-page?platform=${platform}&orderNo=${encodeURIComponent(orderNo)}`;
  }

  async stop(): Promise<void> {
    this.notifier.stop();
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
  }
}
