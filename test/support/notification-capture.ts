import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InboundRequest, Platform } from '../../src-main/gateways/gateway';
import type { GatewayRegistry } from '../../src-main/services/payments/gateway-registry';

/**
 * A stand-in for the merchant's callback endpoints that only records: the simulated platforms post
 * their real notifications (signed, encrypted, with their own headers) to it, it keeps each request
 * exactly as the payment server would hand it to `payments.handleNotification` (same header map as
 * hosts/server.ts, raw body bytes), and answers with the platform's own success reply — or with its
 * failure reply for the next `refuseNext(n)` requests, so the platform retries and the retry (same
 * notification id, fresh timestamp and signature) is captured too. Nothing is applied here; the test
 * delivers the captured requests itself, in whatever order it likes.
 */
export interface CapturedRequest extends InboundRequest {
  platform: Platform;
  /** The reply the platform got at capture time (false: refused, so the platform retried). */
  acknowledged: boolean;
}

const CALLBACK = /^\/api\/payment\/callback\/(wechat|alipay|bank)$/;

/** The same header map as hosts/server.ts builds for a callback. */
function headerMap(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export class CaptureReceiver {
  private captured: CapturedRequest[] = [];
  private refusals = 0;
  private readonly server: Server;
  /** Base URL to give as the app's callbackBaseUrl: `${url}/api/payment/callback/<platform>`. */
  url = '';

  private constructor(private readonly registry: GatewayRegistry) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const m = CALLBACK.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
        if (!m || req.method !== 'POST') {
          res.writeHead(404).end();
          return;
        }
        const platform = m[1] as Platform;
        const accept = this.refusals === 0;
        if (!accept) this.refusals--;
        this.captured.push({ platform, headers: headerMap(req), body: Buffer.concat(chunks), acknowledged: accept });
        const reply = this.registry.get(platform).notificationReply(accept, accept ? undefined : 'capture: refused on purpose');
        res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
      });
    });
  }

  /** Listens on a free loopback port; replies are the registry's adapters' own success/failure answers. */
  static async start(registry: GatewayRegistry): Promise<CaptureReceiver> {
    const r = new CaptureReceiver(registry);
    await new Promise<void>((ok, ko) => r.server.once('error', ko).listen(0, '127.0.0.1', ok));
    r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
    return r;
  }

  /** The next `n` notifications are answered with the platform's failure reply (the platform retries). */
  refuseNext(n: number): void {
    this.refusals = n;
  }

  /** Everything captured since the last drain, in arrival order. */
  drain(): CapturedRequest[] {
    const out = this.captured;
    this.captured = [];
    return out;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}

/**
 * The platform's own notification id, read straight from the wire (not through our adapters): WeChat's
 * envelope `id`, Alipay's `notify_id` form field, the bank's `notify_id` JSON field.
 */
export function wireNotificationId(platform: Platform, body: Buffer): string {
  const text = body.toString('utf8');
  const id = platform === 'alipay' ? new URLSearchParams(text).get('notify_id') : (JSON.parse(text) as { id?: string; notify_id?: string })[platform === 'wechat' ? 'id' : 'notify_id'];
  if (!id) throw new Error(`captured ${platform} notification without an id: ${text.slice(0, 200)}`);
  return id;
}
