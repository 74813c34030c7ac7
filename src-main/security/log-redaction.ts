/**
 * What may never reach a log line (issue 4, Logs; PCI DSS 3.3/3.4 for card numbers): secrets are
 * dropped, card numbers keep the first 6 and last 4 digits (the BIN and the tail staff quote on the
 * phone), mainland mobile numbers keep 3 + 4, resident ID numbers (GB 11643) the first 3 and last 4. Applied to every entry before any sink sees it, so a
 * careless `fields: { body }` is still safe. Over-masking a timestamp that looks like a card is the
 * accepted price of never writing a full card number.
 */

export const HIDDEN = '[已隐藏]';

/** Field names whose values are secrets, compared lower-case without `_`/`-`. */
const SECRET_NAMES = ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'apiv3key', 'privatekey', 'key', 'signature', 'sign', 'paysign', 'authorization', 'cookie', 'setcookie', 'cvv', 'cvv2', 'cvn', 'cvn2', 'credential', 'credentials', 'pem', 'cert', 'ciphertext'];
const PHONE_NAMES = ['phone', 'mobile', 'tel', 'telephone', 'phoneno', 'mobileno'];
const ID_NAMES = ['idnumber', 'idno', 'idcard', 'idcardno', 'certno', 'certificateno'];
const CARD_NAMES = ['card', 'cardno', 'cardnumber', 'bankcard', 'bankcardno', 'accountno', 'pan'];

const normalize = (name: string) => name.toLowerCase().replace(/[_\-\s]/g, '');
const endsWithAny = (name: string, list: readonly string[]) => list.some((s) => name === s || name.endsWith(s));

export const isSecretName = (name: string): boolean => endsWithAny(normalize(name), SECRET_NAMES);

/** 6222021234567890123 → 622202*********0123 (separators dropped). */
export function maskCard(digits: string): string {
  const d = digits.replace(/\D/g, '');
  if (d.length < 11) return '*'.repeat(d.length);
  return `${d.slice(0, 6)}${'*'.repeat(d.length - 10)}${d.slice(-4)}`;
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '');
  const local = d.length > 11 ? d.slice(-11) : d;
  if (local.length < 7) return '*'.repeat(local.length);
  return `${local.slice(0, 3)}${'*'.repeat(local.length - 7)}${local.slice(-4)}`;
}

/** 110101199003071234 → 110***********1234 (an ID's letters and digits, separators dropped). */
export function maskIdNumber(id: string): string {
  const c = id.replace(/[\s-]/g, '');
  if (c.length < 8) return '*'.repeat(c.length);
  return `${c.slice(0, 3)}${'*'.repeat(c.length - 7)}${c.slice(-4)}`;
}

const SECRET_WORDS = 'password|passwd|pwd|passphrase|secret|token|access_token|api_?key|api_?v3_?key|private_?key|sign|signature|pay_?sign|paySign|cvv2?|cvn2?|mch_?key';

const STRING_RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // PEM blocks, also unterminated (a truncated body) — up to the END line or the end of the text.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, '[PEM 已隐藏]'],
  // Authorization header schemes: WeChat Pay v3 (mchid, nonce, signature…), Bearer, Basic.
  // Its parameters are key="value" pairs, also with escaped quotes when the header sits inside JSON text.
  [/\bWECHATPAY2-SHA256-RSA2048(?:[ ,]*[A-Za-z_]+=(?:\\?"[^"\\]*\\?"|[^,\s"]*))*/g, `WECHATPAY2-SHA256-RSA2048 ${HIDDEN}`],
  [/\b(Bearer|Basic|Digest|HMAC-SHA256)\s+[A-Za-z0-9._~+/=:-]+/gi, (_m, scheme: string) => `${scheme} ${HIDDEN}`],
  // "authorization": "…" / Authorization: … as text.
  [/(["']?authorization["']?\s*[:=]\s*)(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\r\n]*)/gi, (m, head: string) => `${head}${m.slice(head.length).startsWith('"') ? `"${HIDDEN}"` : HIDDEN}`],
  // JSON inside a string: "sign":"…".
  [new RegExp(`("(?:${SECRET_WORDS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), (_m, head: string) => `${head}"${HIDDEN}"`],
  // Query strings and key=value text: sign=…&, password: ….
  [new RegExp(`\\b((?:${SECRET_WORDS}))(\\s*[=:]\\s*)(?!")[^&\\s,;}"']+`, 'gi'), (_m, k: string, sep: string) => `${k}${sep}${HIDDEN}`],
  // Long base64 (RSA signatures, ciphertext) and long hex (HMAC digests, keys).
  [/[A-Za-z0-9+/]{80,}={0,2}/g, '[长串已隐藏]'],
  [/(?<![0-9A-Za-z])[0-9a-fA-F]{48,}(?![0-9A-Za-z])/g, '[长串已隐藏]'],
  // Resident ID numbers: region, birth date 19xx/20xx, sequence, check digit or X (before cards: they are 18 digits).
  [/(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g, (m) => maskIdNumber(m)],
  // Mainland mobile numbers, with or without +86 (before cards: +86 and 11 digits is 13 digits).
  [/(?<![0-9A-Za-z])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9A-Za-z])/g, (m) => maskPhone(m)],
  // Card numbers: 13–19 digits, optionally grouped by spaces or dashes, not part of a longer number or code.
  [/(?<![0-9A-Za-z])\d(?:[ -]?\d){12,18}(?![0-9A-Za-z])/g, (m) => maskCard(m)],
];

export function redactText(s: string, maxLength = 4000): string {
  let out = s.length > maxLength ? `${s.slice(0, maxLength)}…（截断 ${s.length - maxLength} 字符）` : s;
  for (const [re, to] of STRING_RULES) out = typeof to === 'string' ? out.replace(re, to) : out.replace(re, to as (...m: string[]) => string);
  return out;
}

export type Redacted = string | number | boolean | null | Redacted[] | { [k: string]: Redacted };

const MAX_DEPTH = 6;
const MAX_KEYS = 100;

/** A deep, cycle-safe copy of `value` with secrets removed and numbers masked, ready for JSON. */
export function redact(value: unknown, name = '', depth = 0, seen = new WeakSet<object>()): Redacted {
  const n = normalize(name);
  if (name && endsWithAny(n, SECRET_NAMES) && value !== null && value !== undefined && value !== '') return HIDDEN;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (name && endsWithAny(n, PHONE_NAMES)) return maskPhone(value);
    if (name && endsWithAny(n, ID_NAMES)) return maskIdNumber(value);
    if (name && endsWithAny(n, CARD_NAMES) && /\d{6,}/.test(value.replace(/[ -]/g, ''))) return maskCard(value);
    return redactText(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return redactText(value.toString());
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[二进制 ${value.byteLength} 字节]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'object') return null;
  if (seen.has(value)) return '[循环引用]';
  if (depth >= MAX_DEPTH) return '[层级过深]';
  seen.add(value);
  try {
    if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
    if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => redact(v, name, depth + 1, seen));
    if (value instanceof Map) return redact(Object.fromEntries(value), name, depth, seen);
    const out: Record<string, Redacted> = {};
    for (const [k, v] of Object.entries(value).slice(0, MAX_KEYS)) out[redactText(k, 64)] = redact(v, k, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}
