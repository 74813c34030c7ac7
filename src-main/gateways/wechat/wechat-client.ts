import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../core/time';
import { GatewayRejected, ResponseUnverified } from '../gateway-errors';
import type { HttpResponse, HttpTransport } from '../http';
import { checkPlatformSignature, headerLookup, type PlatformKeyRing } from './wechat-platform-keys';
import { signRequest } from './wechat-signature';
import { wxErrorSchema } from './wechat-wire';

/**
 * One signed APIv3 call: sign with the merchant key, send through the shared transport (which turns
 * timeouts and 5xx into GatewayOutcomeUnknown), then trust nothing that the platform key does not vouch for.
 *  - 2xx must carry a valid platform signature within 5 minutes, or it is ResponseUnverified (the caller
 *    treats it as an unknown outcome and queries).
 *  - 4xx is a business answer (GatewayRejected with WeChat's code). When it carries signature headers they
 *    must verify too; WeChat cannot sign the answer to a request it could not authenticate (401 SIGN_ERROR),
 *    and the official SDKs (wechatpay-go core, wechatpay-axios-plugin responseVerifier) do not verify
 *    non-2xx answers, so an unsigned 4xx is accepted as a rejection. Every operation that moves money keeps
 *    its number (out_trade_no / out_refund_no / out_bill_no) for the resend, so a rejection never doubles it.
 */
export interface WechatClientConfig {
  endpoint: string;
  mchid: string;
  merchantSerialNo: string;
  merchantKey: KeyObject;
  timeoutMs?: number;
}

export interface WechatReply {
  status: number;
  json: unknown;
}

const RETRYABLE_CODES = new Set(['FREQUENCY_LIMITED', 'SYSTEM_ERROR', 'NOT_ENOUGH', 'USERPAYING', 'USER_PAYING']);

export class WechatApiClient {
  constructor(
    private readonly cfg: WechatClientConfig,
    private readonly ring: PlatformKeyRing,
    private readonly transport: HttpTransport,
    private readonly clock: Clock,
    private readonly nonce: () => string,
  ) {}

  async call(method: 'GET' | 'POST', pathAndQuery: string, body?: object, extraHeaders: Record<string, string> = {}): Promise<WechatReply> {
    const res = await this.send(method, new URL(pathAndQuery, this.cfg.endpoint).toString(), body === undefined ? '' : JSON.stringify(body), extraHeaders);
    const header = headerLookup(res.headers);
    const signed = header('Wechatpay-Signature') !== undefined;
    const ok = res.status >= 200 && res.status < 300;
    if (ok || signed) {
      const check = checkPlatformSignature(header, res.body, this.ring, this.clock.now());
      if (!check.ok) throw new ResponseUnverified('wechat', `微信支付应答未通过验签（${check.detail}），结果未知，需先查询`);
    }
    const text = res.body.toString('utf8');
    let json: unknown = undefined;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        if (ok) throw new ResponseUnverified('wechat', '微信支付应答不是有效的 JSON，结果未知，需先查询');
      }
    }
    if (!ok) {
      const err = wxErrorSchema.safeParse(json);
      const code = err.success ? err.data.code : `HTTP_${res.status}`;
      const message = err.success && err.data.message ? err.data.message : `微信支付返回 HTTP ${res.status}`;
      throw new GatewayRejected('wechat', code, `微信支付拒绝了请求：${message}（${code}）`, RETRYABLE_CODES.has(code) || res.status === 429);
    }
    return { status: res.status, json };
  }

  /**
   * The bill file behind a `download_url`: the request is signed like any other, the answer is NOT
   * signed (wechatpay-axios-plugin lists /v3/billdownload/file among DOWNLOADS it does not verify); its
   * integrity comes from the SHA1 in the signed tradebill answer, which the caller checks.
   */
  async download(url: string): Promise<Buffer> {
    const res = await this.send('GET', url, '', {});
    if (res.status !== 200) {
      const err = wxErrorSchema.safeParse(safeJson(res.body));
      const code = err.success ? err.data.code : `HTTP_${res.status}`;
      throw new GatewayRejected('wechat', code, `下载微信支付账单失败（${code}）`, true);
    }
    return res.body;
  }

  private send(method: 'GET' | 'POST', url: string, body: string, extraHeaders: Record<string, string>): Promise<HttpResponse> {
    const u = new URL(url);
    const authorization = signRequest(
      {
        method,
        pathAndQuery: `${u.pathname}${u.search}`,
        body,
        mchid: this.cfg.mchid,
        serialNo: this.cfg.merchantSerialNo,
        timestamp: String(Math.floor(this.clock.now() / 1000)),
        nonce: this.nonce(),
      },
      this.cfg.merchantKey,
    );
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: authorization, 'User-Agent': 'pay-center/0.1', ...extraHeaders };
    if (method === 'POST') headers['Content-Type'] = 'application/json';
    return this.transport({ method, url, headers, body: method === 'POST' ? body : undefined, timeoutMs: this.cfg.timeoutMs });
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
