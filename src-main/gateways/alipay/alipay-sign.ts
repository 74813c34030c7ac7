import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * Alipay open platform RSA2 (SHA256withRSA, PKCS#1 v1.5, base64) signing and verification, and the
 * three strings it is computed over. Checked byte for byte against the official `alipay-sdk` v4 and
 * the fixed-key cases of alipay/alipay-sdk-nodejs-all test/alipay.test.ts (test/unit/gateways/alipay-sign.test.ts).
 */

/** Parameters as they travel: every value a string. */
export type AlipayParams = Record<string, string>;

/**
 * Request signing string: all parameters except `sign`, empty values dropped, sorted by key, joined as
 * `k=v&…` with the RAW values (no URL encoding); `sign_type` IS included (opendocs.alipay.com/common/02kf5q;
 * alipay-sdk src/util.ts sign()). Default JS sort is UTF-16 code-unit order, the same as the Java SDK's TreeMap.
 */
export function requestSignContent(params: AlipayParams): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/**
 * Asynchronous notification signing string: drop `sign` AND `sign_type`, sort, join the URL-DECODED
 * values (so pass form-decoded params). Keeping sign_type is the classic failure: the real Alipay-signed
 * notification 2019081500222155624068450559358070 in alipay-sdk-nodejs-all's tests only verifies without
 * it (opendocs.alipay.com/open/203/105286 step 1). Empty values are KEPT as `k=`, as both official
 * verifiers do (alipay-sdk-java-all AlipaySignature.getSignCheckContentV1, alipay-sdk notifyRSACheck);
 * `dropEmpty` gives the variant PROTOCOLS.md describes, which the verifier also accepts.
 */
export function notifySignContent(params: AlipayParams, dropEmpty = false): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && !(dropEmpty && params[k] === ''))
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/**
 * Keys arrive as PEM, or as the bare base64 body Alipay's key tool and console hand out (the SDK's
 * formatKey() accepts both). Private keys may be PKCS#1 ("RSA PRIVATE KEY") or PKCS#8.
 */
export function loadPrivateKey(text: string): KeyObject {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) return createPrivateKey(t);
  const der = Buffer.from(t.replace(/\s+/g, ''), 'base64');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

export function loadPublicKey(text: string): KeyObject {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) return createPublicKey(t);
  return createPublicKey({ key: Buffer.from(t.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
}

export function rsa2Sign(content: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** True when any of `keys` verifies: the old Alipay key stays valid until it is removed (rotation). */
export function rsa2Verify(content: string, signature: string, keys: readonly KeyObject[]): boolean {
  // Node's base64 decoder skips junk; a signature with junk in it is not the one Alipay sent.
  if (!BASE64.test(signature)) return false;
  const sig = Buffer.from(signature, 'base64');
  return keys.some((k) => createVerify('RSA-SHA256').update(content, 'utf8').verify(k, sig));
}
