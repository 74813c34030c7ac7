import { GatewayOutcomeUnknown } from './gateway-errors';

/**
 * The adapters' one door to the network. Outside sandbox mode only https:// endpoints are allowed
 * (design document 5.1.1); a timeout or a dropped connection becomes GatewayOutcomeUnknown, because
 * the platform may have acted on the request.
 */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type HttpTransport = (req: HttpRequest) => Promise<HttpResponse>;

export interface TransportOptions {
  platform: string;
  /** Sandbox (simulators on loopback) may use plain http; production must use https. */
  sandbox: boolean;
  defaultTimeoutMs?: number;
}

export function assertEndpointAllowed(url: string, sandbox: boolean): void {
  const u = new URL(url);
  if (u.protocol === 'https:') return;
  if (sandbox && u.protocol === 'http:') return;
  throw new Error(`支付网关地址必须使用 https：${u.origin}`);
}

export function makeTransport(opts: TransportOptions): HttpTransport {
  return async (req) => {
    assertEndpointAllowed(req.url, opts.sandbox);
    let res: Response;
    try {
      res = await fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: typeof req.body === 'string' || req.body === undefined ? req.body : new Uint8Array(req.body),
        signal: AbortSignal.timeout(req.timeoutMs ?? opts.defaultTimeoutMs ?? 10_000),
        redirect: 'manual',
      });
    } catch (e) {
      throw new GatewayOutcomeUnknown(opts.platform, `支付平台无响应或连接中断（结果未知，需先查询）：${(e as Error).message}`, e);
    }
    let body: Buffer;
    try {
      body = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw new GatewayOutcomeUnknown(opts.platform, '读取支付平台响应时连接中断（结果未知，需先查询）', e);
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    if (res.status >= 500) throw new GatewayOutcomeUnknown(opts.platform, `支付平台返回 ${res.status}（结果未知，需先查询）`);
    return { status: res.status, headers, body };
  };
}
