import { randomBytes } from 'node:crypto';
import { MAX_FEN, type Fen } from '../../core/money';
import { compactShanghai, shanghaiDayStart } from '../../core/time';
import type { WireFields } from './bank-sign';

/**
 * Conversions at the institution's edge (protocol.ts §2): integer fen as decimal strings, times as
 * yyyyMMddHHmmss in Asia/Shanghai, flat JSON objects of strings. Anything else is a WireError, which
 * the adapter turns into "response not trusted" or "notification malformed".
 */
export class WireError extends Error {
  override name = 'WireError';
}

const AMOUNT = /^(0|[1-9]\d{0,12})$/;
const WIRE_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export function fenToWire(fen: Fen): string {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen > MAX_FEN) throw new WireError(`金额不是有效的整数分：${fen}`);
  return String(fen);
}

/** Parses an amount field; `allowZero` for totals such as refunded_amt and fees. */
export function fenFromWire(value: string | undefined, field: string, allowZero = false): Fen {
  if (value === undefined || !AMOUNT.test(value)) throw new WireError(`${field} 不是整数分：${String(value)}`);
  const fen = Number(value);
  if (fen > MAX_FEN || (fen === 0 && !allowZero)) throw new WireError(`${field} 超出范围：${value}`);
  return fen;
}

export function timeToWire(epochMs: number): string {
  return compactShanghai(epochMs);
}

export function timeFromWire(value: string | undefined, field: string): number {
  const m = value === undefined ? null : WIRE_TIME.exec(value);
  if (!m) throw new WireError(`${field} 不是 yyyyMMddHHmmss：${String(value)}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  // Reject 20261131… and 25:00: Date.UTC would silently roll them over.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    throw new WireError(`${field} 不是有效时间：${String(value)}`);
  }
  return utc - SHANGHAI_OFFSET_MS;
}

/** YYYY-MM-DD (our business date) → yyyyMMdd (bill_date). */
export function dateToWire(date: string): string {
  shanghaiDayStart(date); // validates the shape
  return date.replace(/-/g, '');
}

export function dateFromWire(value: string): string {
  if (!/^\d{8}$/.test(value)) throw new WireError(`bill_date 不是 yyyyMMdd：${value}`);
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/** yyyy-MM-dd HH:mm:ss, the bill's time cells (§8). */
export function billTime(epochMs: number): string {
  const c = compactShanghai(epochMs);
  return `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)} ${c.slice(8, 10)}:${c.slice(10, 12)}:${c.slice(12, 14)}`;
}

/** A flat JSON object whose values are all strings (§1), or a WireError. */
export function parseWireJson(body: Buffer | string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    throw new WireError('不是 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new WireError('不是 JSON 对象');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw new WireError(`字段 ${k} 不是字符串`);
    out[k] = v;
  }
  return out;
}

export function required(fields: WireFields, name: string): string {
  const v = fields[name];
  if (v === undefined || v === '') throw new WireError(`缺少字段 ${name}`);
  return v;
}

export type RandomSource = (bytes: number) => Buffer;

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 32 alphanumeric characters (§3 nonce). 62 does not divide 256: rejection keeps them uniform. */
export function newNonce(random: RandomSource = randomBytes): string {
  let out = '';
  while (out.length < 32) {
    for (const b of random(48)) {
      if (b < 248 && out.length < 32) out += ALNUM[b % 62];
    }
  }
  return out;
}

/** The subject is at most 128 characters (code points, not UTF-16 units). */
export function clipText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}
