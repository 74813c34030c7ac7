import { checkFen, fenToYuanString, type Fen } from '../../core/money';
import { formatShanghai } from '../../core/time';
import type { AlipayParams } from './alipay-sign';

/**
 * The Alipay wire format in one place: units (yuan strings with two decimals), times (`yyyy-MM-dd
 * HH:mm:ss` in Asia/Shanghai), the common request parameters and the result codes. Amounts are
 * converted here and nowhere else in the adapter.
 */

export const ALIPAY_PRODUCTION_GATEWAY = 'https://openapi.alipay.com/gateway.do';

/** Fen → "100.00", the only amount format Alipay takes (total_amount, refund_amount, trans_amount). */
export function yuan(fen: Fen): string {
  return fenToYuanString(checkFen(fen));
}

const AMOUNT = /^(\d{1,13})\.(\d{2})$/;

/**
 * "100.00" → 10000. Alipay always sends two decimals; anything else (a sign, a third decimal, a
 * float that lost precision) is refused instead of being rounded into a wrong amount.
 */
export function parseAmount(text: string | undefined, field: string): Fen {
  const m = text === undefined ? null : AMOUNT.exec(text);
  if (!m) throw new AlipayWireError(`支付宝金额字段 ${field} 格式不正确：${String(text)}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

export function optionalAmount(text: string | undefined, field: string): Fen | undefined {
  return text === undefined || text === '' ? undefined : parseAmount(text, field);
}

const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** "2026-11-26 10:05:00" (Asia/Shanghai) → epoch ms. */
export function parseTime(text: string | undefined): number | undefined {
  const m = text === undefined ? null : TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - SHANGHAI_OFFSET_MS;
}

export const formatTime = formatShanghai;

export class AlipayWireError extends Error {}

export interface CommonParams {
  appId: string;
  method: string;
  now: number;
  notifyUrl?: string;
  returnUrl?: string;
  bizContent: Record<string, unknown>;
  /** Cert mode (required for alipay.fund.trans.uni.transfer): SNs of the app cert and Alipay root cert. */
  appCertSn?: string;
  alipayRootCertSn?: string;
}

/**
 * The common request parameters (opendocs.alipay.com/common/02kf5q): format=JSON, charset=utf-8,
 * sign_type=RSA2, version=1.0, timestamp in Shanghai time, biz_content as a JSON string.
 */
export function commonParams(p: CommonParams): AlipayParams {
  const params: AlipayParams = {
    app_id: p.appId,
    method: p.method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: formatTime(p.now),
    version: '1.0',
    biz_content: JSON.stringify(p.bizContent),
  };
  if (p.notifyUrl) params.notify_url = p.notifyUrl;
  if (p.returnUrl) params.return_url = p.returnUrl;
  if (p.appCertSn) params.app_cert_sn = p.appCertSn;
  if (p.alipayRootCertSn) params.alipay_root_cert_sn = p.alipayRootCertSn;
  return params;
}

/**
 * Where each parameter goes, as alipay-sdk's formatUrl() does it: the common parameters in the gateway
 * URL's query, the rest (biz_content) in the form-encoded POST body.
 */
export const URL_PARAM_KEYS = new Set([
  'app_id', 'method', 'format', 'charset', 'sign_type', 'sign', 'timestamp', 'version',
  'notify_url', 'return_url', 'auth_token', 'app_auth_token', 'app_cert_sn', 'alipay_root_cert_sn', 'ws_service_url',
]);

export function splitForPost(gatewayUrl: string, params: AlipayParams): { url: string; body: string } {
  const url = new URL(gatewayUrl);
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (URL_PARAM_KEYS.has(k)) url.searchParams.set(k, v);
    else body.set(k, v);
  }
  return { url: url.toString(), body: body.toString() };
}

/** Page/wap pay: everything in one GET URL the browser opens (alipay-sdk pageExecute 'GET'). */
export function pageUrl(gatewayUrl: string, params: AlipayParams): string {
  const url = new URL(gatewayUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** The `code`/`msg`/`sub_code`/`sub_msg` every business response carries. */
export interface ResultCode {
  code?: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
}

/**
 * What a result code means for the caller (Alipay's public result codes, as the SDKs and the
 *  invalid-signature sample in alipay-sdk src/alipay.ts show them):
 *  10000 success; 20000 service unavailable (isp.unknow-error) and any ACQ.SYSTEM_ERROR/SYSTEM_ERROR
 *  → the outcome is unknown, query before resending; 20001 auth, 40001 missing, 40002 invalid
 *  (incl. isv.invalid-signature), 40004 business failure, 40006 permissions → a definite refusal.
 */
export function classify(r: ResultCode): 'ok' | 'unknown' | 'rejected' {
  if (r.code === '10000') return 'ok';
  const sub = r.sub_code ?? '';
  if (r.code === '20000' || sub === 'ACQ.SYSTEM_ERROR' || sub === 'SYSTEM_ERROR' || sub.startsWith('isp.unknow')) return 'unknown';
  if (r.code === undefined) return 'unknown';
  return 'rejected';
}

/** ALIPAY_USER_ID is the 16-digit 2088… user number; anything else is a login id (e-mail or phone). */
export function identityType(account: string): 'ALIPAY_USER_ID' | 'ALIPAY_LOGON_ID' {
  return /^2088\d{12}$/.test(account) ? 'ALIPAY_USER_ID' : 'ALIPAY_LOGON_ID';
}

/** A string member of a parsed response, or undefined. */
export function str(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}
