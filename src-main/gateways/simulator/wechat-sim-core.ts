import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import { loadPrivateKey, loadPublicKey, parseAuthorization, requestSigningMessage, responseSigningMessage, rsaSign, rsaVerify } from '../wechat/wechat-signature';
import { MAX_CLOCK_SKEW_S } from '../wechat/wechat-platform-keys';
import { FaultPlan } from './faults';
import { SimLedger } from './ledger';
import { hang, send, type SimContext, type SimRequest } from './sim-http';

/**
 * What every simulated WeChat Pay handler shares: the books, the fault plan, the keys, and the two
 * rules of the wire — our requests must carry a valid merchant signature (else 401 SIGN_ERROR, unsigned,
 * as the platform cannot sign for a caller it did not authenticate), and every other answer is signed
 * with the PLATFORM key over `TS\nNONCE\nBODY\n` with Wechatpay-* headers.
 *
 * Faults (FaultPlan) are taken per operation: create, query, close, refund, query_refund, transfer,
 * query_transfer, cancel_transfer, bill, bill_download for requests; pay, refund, transfer for the notifications
 * they cause; transfer_fail (taken by a new transfer bill).
 */
export interface WechatSimOptions {
  mchid: string;
  appid: string;
  apiV3Key: string;
  /** Merchant certificate serials and public keys: how the simulator checks our request signatures. */
  merchantKeys: { serial: string; publicKeyPem: string }[];
  /** The platform's signing key; `serial` is a certificate serial or a `PUB_KEY_ID_…` id. */
  platformKey: { serial: string; privateKeyPem: string };
  /** A refund is PROCESSING when accepted and turns SUCCESS (with its notification) this much later. Default 5 s. */
  refundSettleMs?: number;
  /** When set, a transfer's payee "confirms" this long after the bill is created; otherwise only confirmTransfer(). */
  autoConfirmTransferMs?: number;
  /** A bill still WAIT_USER_CONFIRM this long after its creation (platform clock) is closed as CANCELLED. Default 24 h. */
  transferConfirmExpiryMs?: number;
  /** 费率 in hundredths of a percent for the bill's 手续费. Default 60 (0.60%). */
  feeRateBp?: number;
}

let rogue: KeyObject | null = null;
const rogueKey = (): KeyObject => (rogue ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

export interface SimReply {
  status: number;
  /** JSON body (omitted for 204). */
  body?: unknown;
  /** A raw body (bill files), sent unsigned like /v3/billdownload/file. */
  raw?: Buffer;
}

export const wxError = (status: number, code: string, message: string): SimReply => ({ status, body: { code, message } });

export class WechatSimCore {
  readonly ledger = new SimLedger('4200000');
  readonly faults = new FaultPlan();
  private readonly merchantKeys = new Map<string, KeyObject>();
  private platform: { serial: string; key: KeyObject };
  private seq = 0;

  constructor(
    readonly ctx: SimContext,
    readonly opts: WechatSimOptions,
  ) {
    rogueKey();
    for (const k of opts.merchantKeys) this.merchantKeys.set(k.serial, loadPublicKey(k.publicKeyPem, '商户公钥'));
    this.platform = { serial: opts.platformKey.serial, key: loadPrivateKey(opts.platformKey.privateKeyPem, '平台私钥') };
  }

  /** Key rotation on the platform side: later answers and notifications are signed with this key. */
  usePlatformKey(key: { serial: string; privateKeyPem: string }): void {
    this.platform = { serial: key.serial, key: loadPrivateKey(key.privateKeyPem, '平台私钥') };
  }

  get platformSerial(): string {
    return this.platform.serial;
  }

  get platformPrivateKey(): KeyObject {
    return this.platform.key;
  }

  now(): number {
    return this.ctx.clock.now();
  }

  randomToken(bytes = 16): string {
    return randomBytes(bytes).toString('base64url');
  }

  /** Letters and digits only, like WeChat's nonces and package_info. */
  alnum(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
  }

  uuid(): string {
    return randomUUID();
  }

  /** Platform-side numbers: a fixed prefix, the Shanghai date, a counter (e.g. 50300…, 1330…). */
  number(prefix: string): string {
    this.seq++;
    const d = new Date(this.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
    return `${prefix}${d}${String(this.seq).padStart(12, '0')}`;
  }

  /**
   * A key the merchant does not trust, for the bad-signature faults. Made once per process, outside
   * any request: generating an RSA key inside a timed request made the fault look like a timeout.
   */
  private rogueKey(): KeyObject {
    return rogueKey();
  }

  /** Signature headers for a body, fresh timestamp and nonce. */
  signatureHeaders(body: Buffer | string, rogue = false): Record<string, string> {
    const ts = String(Math.floor(this.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    return {
      'Wechatpay-Timestamp': ts,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': this.platform.serial,
      'Wechatpay-Signature': rsaSign(responseSigningMessage(ts, nonce, body), rogue ? this.rogueKey() : this.platform.key),
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  /** Checks the Authorization header; returns the reason it fails, or null. */
  authenticate(req: SimRequest): string | null {
    const raw = req.headers.authorization;
    const auth = parseAuthorization(Array.isArray(raw) ? raw[0] : raw);
    if (!auth) return 'Authorization 头缺失或格式错误';
    if (auth.mchid !== this.opts.mchid) return `商户号 ${auth.mchid} 不存在`;
    const key = this.merchantKeys.get(auth.serialNo);
    if (!key) return `商户证书序列号 ${auth.serialNo} 无效`;
    if (!/^\d{1,12}$/.test(auth.timestamp) || Math.abs(this.now() / 1000 - Number(auth.timestamp)) > MAX_CLOCK_SKEW_S) return '请求时间戳已过期';
    const message = requestSigningMessage(req.method, `${req.url.pathname}${req.url.search}`, auth.timestamp, auth.nonce, req.body);
    return rsaVerify(message, auth.signature, key) ? null : '签名错误';
  }

  /** Authenticates, applies the operation's request faults, acts, and writes the signed answer. */
  async run(op: string, req: SimRequest, res: ServerResponse, act: () => SimReply | Promise<SimReply>): Promise<void> {
    const authError = this.authenticate(req);
    if (authError) return this.write(res, wxError(401, 'SIGN_ERROR', authError), 'unsigned');
    const before = this.faults.take(op, 'server_error', 'timeout_before_effect');
    if (before?.kind === 'timeout_before_effect') return hang(res);
    if (before?.kind === 'server_error') return this.write(res, wxError(500, 'SYSTEM_ERROR', '系统异常，请稍后重试'), 'platform');
    const reply = await act();
    const after = this.faults.take(op, 'timeout_after_effect', 'bad_response_signature');
    if (after?.kind === 'timeout_after_effect') return hang(res);
    this.write(res, reply, after?.kind === 'bad_response_signature' ? 'rogue' : 'platform');
  }

  write(res: ServerResponse, reply: SimReply, signing: 'platform' | 'rogue' | 'unsigned'): void {
    if (reply.raw) return send(res, reply.status, reply.raw, { 'content-type': 'application/octet-stream' });
    const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const headers: Record<string, string> = { 'Request-ID': this.uuid() };
    if (signing !== 'unsigned') Object.assign(headers, this.signatureHeaders(body, signing === 'rogue'));
    send(res, reply.status, body, headers);
  }
}

/** Parses a JSON request body against the API's schema; a 400 PARAM_ERROR reply otherwise. */
export function readBody<T>(req: SimRequest, schema: z.ZodType<T>): { ok: true; data: T } | { ok: false; reply: SimReply } {
  let json: unknown;
  try {
    json = JSON.parse(req.body.toString('utf8'));
  } catch {
    return { ok: false, reply: wxError(400, 'PARAM_ERROR', '请求体不是有效的 JSON') };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, data: r.data };
  const issue = r.error.issues[0];
  return { ok: false, reply: wxError(400, 'PARAM_ERROR', `参数错误：${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim()) };
}
