/**
 * Alipay gateway responses look like
 *   {"alipay_trade_precreate_response":{"code":"10000",…,"qr_code":"https:\/\/qr.alipay.com\/bax…"},"sign":"…"}
 * and the signature covers the EXACT text of the `<method_with_underscores>_response` value as sent
 * (note the escaped slashes: re-serialising the parsed object would not verify). alipay-sdk's
 * getSignStr() cuts the text with indexOf/lastIndexOf; here the top level of the object is scanned
 * properly, so a response key hidden inside a string value or a duplicated key cannot be mistaken for
 * the signed member.
 */

export function responseKey(method: string): string {
  return `${method.replace(/\./g, '_')}_response`;
}

export class MalformedJson extends Error {}

const WS = new Set([' ', '\t', '\n', '\r']);

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text[i] ?? '')) i++;
  return i;
}

/** Index just past the string literal starting at `i` (which holds a quote). */
function endOfString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else j++;
  }
  throw new MalformedJson('unterminated string');
}

/** Index just past the JSON value starting at `i`. */
function endOfValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return endOfString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    let j = i;
    while (j < text.length) {
      const d = text[j];
      if (d === '"') {
        j = endOfString(text, j);
        continue;
      }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    throw new MalformedJson('unbalanced brackets');
  }
  let j = i;
  while (j < text.length && !WS.has(text[j] ?? '') && text[j] !== ',' && text[j] !== '}') j++;
  if (j === i) throw new MalformedJson('missing value');
  return j;
}

/** The raw text of each top-level member's value, keyed by the member name. Duplicates are refused. */
export function topLevelRawMembers(text: string): Map<string, string> {
  const members = new Map<string, string>();
  let i = skipWs(text, 0);
  if (text[i] !== '{') throw new MalformedJson('not a JSON object');
  i = skipWs(text, i + 1);
  if (text[i] === '}') return members;
  for (;;) {
    if (text[i] !== '"') throw new MalformedJson('expected a member name');
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') throw new MalformedJson('expected ":"');
    i = skipWs(text, i + 1);
    const valueEnd = endOfValue(text, i);
    if (members.has(key)) throw new MalformedJson(`duplicate member ${key}`);
    members.set(key, text.slice(i, valueEnd));
    i = skipWs(text, valueEnd);
    if (text[i] === ',') {
      i = skipWs(text, i + 1);
      continue;
    }
    if (text[i] === '}') break;
    throw new MalformedJson('expected "," or "}"');
  }
  if (skipWs(text, i + 1) !== text.length) throw new MalformedJson('trailing data');
  // The scan only delimits; the whole text must also be valid JSON.
  JSON.parse(text);
  return members;
}

/**
 * The signed part of a response and its signature. Business errors come in `<method>_response` too;
 * gateway-level errors may come in `error_response` (alipay-sdk alipay.ts #formatExecHttpResponse).
 */
export interface SignedResponse {
  key: string;
  content: string;
  sign?: string;
  /** Cert mode: which Alipay public key certificate signed it. */
  certSn?: string;
}

export function splitResponse(body: string, method: string): SignedResponse {
  const members = topLevelRawMembers(body);
  const own = responseKey(method);
  const key = members.has(own) ? own : members.has('error_response') ? 'error_response' : undefined;
  if (!key) throw new MalformedJson(`no ${own} in the response`);
  const content = members.get(key) ?? '';
  const str = (name: string): string | undefined => {
    const raw = members.get(name);
    if (raw === undefined) return undefined;
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : undefined;
  };
  return { key, content, sign: str('sign'), certSn: str('alipay_cert_sn') };
}
