import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The institution's signature (protocol.ts §4): every non-empty field except `sign`, sorted by name
 * in byte order, joined `k=v&…` with raw values, HMAC-SHA256 with the api_key, lowercase hex.
 * Checked against RFC 4231 and the worked example of protocol.ts §10 (bank-sign.test.ts).
 */
export type WireFields = Readonly<Record<string, string>>;

export function signingString(fields: WireFields): string {
  return Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== '')
    // Byte order, not localeCompare: the field names are ASCII and must sort the same everywhere.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

export function hmacSha256Hex(key: string | Buffer, message: string | Buffer): string {
  return createHmac('sha256', key).update(message).digest('hex');
}

export function signFields(fields: WireFields, apiKey: string): string {
  return hmacSha256Hex(apiKey, signingString(fields));
}

/** The fields with their `sign` set. */
export function withSign<T extends WireFields>(fields: T, apiKey: string): T & { sign: string } {
  return { ...fields, sign: signFields(fields, apiKey) };
}

const HEX_64 = /^[0-9a-f]{64}$/;

/**
 * Which of the accepted keys (current first, then previous ones kept during a rotation) made the
 * signature, or -1. HMAC cannot tell "unknown key" from "tampered", so callers report both as a
 * bad signature. Comparison is constant-time per key.
 */
export function matchingKeyIndex(fields: WireFields, apiKeys: readonly string[]): number {
  const sign = fields.sign;
  if (sign === undefined || !HEX_64.test(sign)) return -1;
  const given = Buffer.from(sign, 'hex');
  const message = signingString(fields);
  let found = -1;
  apiKeys.forEach((key, i) => {
    const expected = createHmac('sha256', key).update(message).digest();
    if (timingSafeEqual(expected, given) && found < 0) found = i;
  });
  return found;
}

export function verifyFields(fields: WireFields, apiKeys: readonly string[]): boolean {
  return matchingKeyIndex(fields, apiKeys) >= 0;
}
