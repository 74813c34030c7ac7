import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/time';

/**
 * Authentication of the client apps (mini-program back end, web checkout) calling the REST API.
 * Each client has an id and a secret; a request carries
 *   X-Pay-Client: <id>   X-Pay-Timestamp: <epoch seconds>   X-Pay-Nonce: <16–64 chars>
 *   X-Pay-Signature: hex HMAC-SHA256(secret, METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n BODY)
 * (the same shape as WeChat Pay v3's request signature, with HMAC instead of RSA). A timestamp more
 * than 5 minutes off is refused, and so is a nonce seen within that window (replay).
 * The nonce memory is per process: with several server instances behind one balancer, pin clients
 * to an instance or move it to the database (noted for the deployment issue).
 */
export const CLIENT_SKEW_S = 300;

export interface ClientRequest {
  method: string;
  pathWithQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type ClientAuthResult = { ok: true; clientId: string } | { ok: false; message: string };

export function clientSigningString(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}`;
}

export function signClientRequest(secret: string, method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  return createHmac('sha256', secret).update(clientSigningString(method, pathWithQuery, timestamp, nonce, body)).digest('hex');
}

export class ApiClientAuth {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clients: ReadonlyMap<string, string>,
    private readonly clock: Clock,
  ) {}

  verify(req: ClientRequest): ClientAuthResult {
    const h = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const clientId = h('x-pay-client');
    const timestamp = h('x-pay-timestamp');
    const nonce = h('x-pay-nonce');
    const signature = h('x-pay-signature');
    if (!clientId || !timestamp || !nonce || !signature) return { ok: false, message: '缺少客户端认证信息' };
    const secret = this.clients.get(clientId);
    if (!secret) return { ok: false, message: '未知的客户端' };
    if (!/^\d{10}$/.test(timestamp) || Math.abs(this.clock.now() / 1000 - Number(timestamp)) > CLIENT_SKEW_S) return { ok: false, message: '请求时间戳无效或已过期' };
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return { ok: false, message: '随机串格式不正确' };
    const expected = Buffer.from(signClientRequest(secret, req.method, req.pathWithQuery, timestamp, nonce, req.body), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, message: '签名验证失败' };
    this.forgetOld();
    const key = `${clientId}:${nonce}`;
    if (this.seen.has(key)) return { ok: false, message: '重复的请求（随机串已使用）' };
    this.seen.set(key, this.clock.now());
    return { ok: true, clientId };
  }

  private forgetOld(): void {
    const cutoff = this.clock.now() - 2 * CLIENT_SKEW_S * 1000;
    for (const [k, at] of this.seen) {
      if (at >= cutoff) break; // insertion order is time order
      this.seen.delete(k);
    }
  }
}

/** `PAY_API_CLIENTS="miniapp:secret1,checkout:secret2"`: secrets of at least 32 characters. */
export function parseApiClients(spec: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    const id = part.slice(0, i);
    const secret = part.slice(i + 1);
    if (i <= 0 || secret.length < 32) throw new Error(`PAY_API_CLIENTS: "${id || part}" 的密钥至少 32 个字符`);
    out.set(id, secret);
  }
  return out;
}
