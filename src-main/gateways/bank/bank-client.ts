import type { Clock } from '../../core/time';
import { GatewayOutcomeUnknown, GatewayRejected, ResponseUnverified } from '../gateway-errors';
import type { HttpResponse, HttpTransport } from '../http';
import { BANK_ERRORS, BANK_PATHS, BILL_SIGNED_HEADERS, MAX_SKEW_MS, SIGN_TYPE, isBankErrorCode } from './protocol';
import { sha256Hex } from './bank-bill';
import { verifyFields, withSign, type WireFields } from './bank-sign';
import { WireError, newNonce, parseWireJson, timeFromWire, timeToWire, type RandomSource } from './bank-wire';

/**
 * The request/response envelope of the institution (protocol.ts §1, §3, §4): adds the common fields,
 * signs, sends, and trusts an answer only when its signature verifies with an accepted key, it names
 * our merchant and terminal, echoes our nonce and is fresh. An untrusted answer is ResponseUnverified
 * (outcome unknown: the caller queries before resending). Keys are never put in messages or logs.
 */
export interface BankGatewayConfig {
  merchantId: string;
  terminalId: string;
  /** The current api_key: signs requests and is accepted for verification. */
  apiKey: string;
  /** Keys still accepted for verification during a rotation (protocol.ts §4), until removed. */
  previousApiKeys?: readonly string[];
  /** gateway_url, e.g. https://api.pay-institution.example (https outside sandbox, see http.ts). */
  gatewayUrl: string;
  /** Sandbox accepts http:// pay pages on loopback; production requires https everywhere. */
  sandbox: boolean;
  timeoutMs?: number;
}

export interface BankAnswer {
  code: string;
  message: string;
  fields: Record<string, string>;
}

const PLATFORM = 'bank';

export class BankClient {
  constructor(
    readonly config: BankGatewayConfig,
    private readonly http: HttpTransport,
    private readonly clock: Clock,
    private readonly random?: RandomSource,
  ) {}

  get acceptedKeys(): readonly string[] {
    return [this.config.apiKey, ...(this.config.previousApiKeys ?? [])];
  }

  private url(path: string): string {
    return this.config.gatewayUrl.replace(/\/+$/, '') + path;
  }

  private commonFields(): { merchant_id: string; terminal_id: string; req_time: string; nonce: string; sign_type: string } {
    return {
      merchant_id: this.config.merchantId,
      terminal_id: this.config.terminalId,
      req_time: timeToWire(this.clock.now()),
      nonce: newNonce(this.random),
      sign_type: SIGN_TYPE,
    };
  }

  /** Sends one call and returns the verified answer, whatever its code. */
  async call(path: string, fields: WireFields): Promise<BankAnswer> {
    const common = this.commonFields();
    const request = withSign({ ...fields, ...common }, this.config.apiKey);
    const res = await this.http({
      method: 'POST',
      url: this.url(path),
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
      body: JSON.stringify(request),
      timeoutMs: this.config.timeoutMs,
    });
    return this.verifyAnswer(res, common.nonce);
  }

  /** Sends one call and returns its fields when code is SUCCESS; otherwise throws (see `fail`). */
  async ok(path: string, fields: WireFields): Promise<Record<string, string>> {
    const answer = await this.call(path, fields);
    if (answer.code !== 'SUCCESS') throw this.fail(answer);
    return answer.fields;
  }

  /** A non-SUCCESS answer as an error: SYSTEM_ERROR is unknown outcome, the rest definite. */
  fail(answer: BankAnswer): Error {
    const text = `支付机构返回 ${answer.code}：${answer.message}`;
    if (answer.code === 'SYSTEM_ERROR') return new GatewayOutcomeUnknown(PLATFORM, `${text}（结果未知，需先查询）`);
    const retryable = isBankErrorCode(answer.code) ? BANK_ERRORS[answer.code].retryable : false;
    return new GatewayRejected(PLATFORM, answer.code, text, retryable);
  }

  private verifyAnswer(res: HttpResponse, nonce: string): BankAnswer {
    let fields: Record<string, string>;
    try {
      fields = parseWireJson(res.body);
    } catch (e) {
      throw new ResponseUnverified(PLATFORM, `支付机构响应无法解析（HTTP ${res.status}，${(e as Error).message}），按结果未知处理`);
    }
    this.checkSigned(fields, res.status, nonce, 'resp_time');
    return { code: fields.code ?? '', message: fields.message ?? '', fields };
  }

  private checkSigned(fields: Record<string, string>, status: number, nonce: string, timeField: string): void {
    const what = `HTTP ${status}，code=${fields.code ?? '-'}`;
    if (!verifyFields(fields, this.acceptedKeys)) {
      const hint = status === 401 ? '；支付机构报签名错误，请检查 api_key 配置' : '';
      throw new ResponseUnverified(PLATFORM, `支付机构响应签名无效（${what}），不可信，按结果未知处理${hint}`);
    }
    if (fields.merchant_id !== this.config.merchantId || fields.terminal_id !== this.config.terminalId) {
      throw new ResponseUnverified(PLATFORM, `支付机构响应的商户号或终端号不是本商户（${what}）`);
    }
    if (fields.nonce !== nonce) throw new ResponseUnverified(PLATFORM, `支付机构响应不属于本次请求（nonce 不符，${what}）`);
    let at: number;
    try {
      at = timeFromWire(fields[timeField], timeField);
    } catch (e) {
      throw new ResponseUnverified(PLATFORM, `支付机构响应时间无效（${(e as WireError).message}）`);
    }
    if (Math.abs(this.clock.now() - at) > MAX_SKEW_MS) throw new ResponseUnverified(PLATFORM, `支付机构响应时间与本机相差超过5分钟（${what}）`);
  }

  /** GET /api/v1/bill/download: the CSV bytes, trusted only when the signed headers and hash check out. */
  async bill(billDate: string, billType: string): Promise<Buffer> {
    const request = withSign({ ...this.commonFields(), bill_date: billDate, bill_type: billType }, this.config.apiKey);
    const res = await this.http({ method: 'GET', url: `${this.url(BANK_PATHS.bill)}?${new URLSearchParams(request).toString()}`, timeoutMs: this.config.timeoutMs });
    const type = res.headers['content-type'] ?? '';
    if (!type.startsWith('text/csv')) {
      const answer = this.verifyAnswer(res, request.nonce);
      if (answer.code === 'SUCCESS') throw new ResponseUnverified(PLATFORM, `支付机构应答成功却没有对账单文件（${type}）`);
      throw this.fail(answer);
    }
    const fields: Record<string, string> = {};
    for (const name of BILL_SIGNED_HEADERS) {
      const v = res.headers[`x-${name.replace(/_/g, '-')}`];
      if (v !== undefined) fields[name] = v;
    }
    this.checkSigned(fields, res.status, request.nonce, 'resp_time');
    if (fields.bill_date !== billDate || fields.bill_type !== billType) throw new ResponseUnverified(PLATFORM, '支付机构返回的对账单不是所请求的日期或类型');
    if (fields.content_sha256 !== sha256Hex(res.body)) throw new ResponseUnverified(PLATFORM, '对账单文件摘要不符：下载不完整或被篡改');
    return res.body;
  }
}
