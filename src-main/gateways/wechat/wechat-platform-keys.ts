import type { KeyObject } from 'node:crypto';
import { loadPublicKey, responseSigningMessage, rsaVerify } from './wechat-signature';

/**
 * The keys that vouch for WeChat Pay: responses and notifications are signed with the PLATFORM key
 * named by the `Wechatpay-Serial` header, never with the merchant's own certificate. The header holds
 * either a platform certificate serial (hex) or, for merchants on the newer 微信支付公钥 scheme, an id
 * like `PUB_KEY_ID_0114232134912410000000000000`; both are plain lookup keys here. The ring is a LIST so
 * a rotation keeps the old key valid until an administrator removes it; the first key is the current
 * one, used to encrypt sensitive request fields. (PROTOCOLS.md §2; wohugb/wepay signature-verification.md:
 * an unknown serial means the merchant must fetch the new platform key; wechatpay-axios-plugin
 * lib/decorator.js responseVerifier keeps the same `{serial: key}` map.)
 */
export interface PlatformPublicKey {
  serial: string;
  publicKeyPem: string;
}

/** |now − Wechatpay-Timestamp| beyond this is refused (wohugb/wepay signature-verification.md: 5 minutes). */
export const MAX_CLOCK_SKEW_S = 300;

export class PlatformKeyRing {
  private readonly keys = new Map<string, KeyObject>();
  private readonly order: string[] = [];

  constructor(keys: readonly PlatformPublicKey[]) {
    if (keys.length === 0) throw new Error('至少需要配置一个微信支付平台公钥');
    for (const k of keys) {
      const serial = k.serial.trim();
      if (!serial) throw new Error('微信支付平台公钥缺少序列号 / 公钥 ID');
      this.keys.set(serial, loadPublicKey(k.publicKeyPem, `微信支付平台公钥 ${serial} `));
      this.order.push(serial);
    }
  }

  get(serial: string): KeyObject | undefined {
    return this.keys.get(serial.trim());
  }

  /** The current key (first in the list): the one sensitive fields are encrypted for. */
  get current(): { serial: string; key: KeyObject } {
    const serial = this.order[0] ?? '';
    const key = this.keys.get(serial);
    if (!key) throw new Error('没有可用的微信支付平台公钥');
    return { serial, key };
  }

  get serials(): readonly string[] {
    return this.order;
  }
}

export type SignatureCheck =
  | { ok: true; serial: string; timestamp: number }
  | { ok: false; reason: 'malformed' | 'stale_timestamp' | 'unknown_key' | 'bad_signature'; detail: string };

export type HeaderLookup = (name: string) => string | undefined;

/** Case-insensitive header access over a plain record (Node lower-cases, other callers may not). */
export function headerLookup(headers: Record<string, string | string[] | undefined>): HeaderLookup {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) lower.set(k.toLowerCase(), Array.isArray(v) ? v.join(',') : v);
  return (name) => lower.get(name.toLowerCase());
}

/** Checks Wechatpay-Timestamp/Nonce/Serial/Signature over `TS\nNONCE\nBODY\n` (the raw body bytes). */
export function checkPlatformSignature(header: HeaderLookup, body: Buffer, ring: PlatformKeyRing, nowMs: number): SignatureCheck {
  const ts = header('Wechatpay-Timestamp');
  const nonce = header('Wechatpay-Nonce');
  const serial = header('Wechatpay-Serial');
  const signature = header('Wechatpay-Signature');
  if (!ts || !nonce || !serial || !signature) return { ok: false, reason: 'malformed', detail: '缺少 Wechatpay-Timestamp/Nonce/Serial/Signature 头' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'malformed', detail: `Wechatpay-Timestamp 不是秒级时间戳：${ts.slice(0, 20)}` };
  const timestamp = Number(ts);
  if (Math.abs(nowMs / 1000 - timestamp) > MAX_CLOCK_SKEW_S) {
    return { ok: false, reason: 'stale_timestamp', detail: `签名时间 ${timestamp} 与本机时间相差超过 ${MAX_CLOCK_SKEW_S} 秒` };
  }
  const key = ring.get(serial);
  if (!key) return { ok: false, reason: 'unknown_key', detail: `未知的微信支付平台公钥序列号 ${serial.slice(0, 64)}（需更新平台公钥）` };
  if (!rsaVerify(responseSigningMessage(ts, nonce, body), signature, key)) return { ok: false, reason: 'bad_signature', detail: '微信支付签名验证失败' };
  return { ok: true, serial, timestamp };
}
