import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * WeChat Pay APIv3 signatures: every signed text is a list of lines, each ending in "\n" (the last
 * one too), signed with SHA256withRSA (RSASSA-PKCS1-v1_5) and sent base64-encoded.
 *  - request (merchant key):  METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n BODY \n   (GET: empty BODY, so it ends "\n\n")
 *  - response / notification (platform key): TIMESTAMP \n NONCE \n RAW_BODY \n
 *  - JSAPI / mini-program wx.requestPayment paySign (merchant key): appId \n timeStamp \n nonceStr \n package \n
 * Sources: wohugb/wepay docs/spec/development-guidelines/signature-generate.md and
 * signature-verification.md; gunsluo/wechatpay-go sign/sign.go (the URL is reduced to path + "?" + raw
 * query); pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter5_1_8.shtml ("签名串一共有四行…行尾以\n结束，包括最后一行",
 * signType "RSA" is not signed). Checked byte for byte against wechatpay-axios-plugin's Formatter/Rsa
 * and the deterministic Authorization vector of gunsluo/wechatpay-go client_test.go (unit tests).
 */

/** The lines of a signed text, each terminated by "\n"; the body may be bytes (signatures cover raw bytes). */
export function signedLines(...parts: (string | Buffer)[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) chunks.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p, Buffer.from('\n'));
  return Buffer.concat(chunks);
}

export function requestSigningMessage(method: string, pathAndQuery: string, timestamp: string, nonce: string, body: string | Buffer = ''): Buffer {
  return signedLines(method.toUpperCase(), pathAndQuery, timestamp, nonce, body);
}

export function responseSigningMessage(timestamp: string, nonce: string, body: string | Buffer): Buffer {
  return signedLines(timestamp, nonce, body);
}

export function paySigningMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): Buffer {
  return signedLines(appId, timeStamp, nonceStr, pkg);
}

/** Parses a PEM private key once; the message never repeats the key material. */
export function loadPrivateKey(pem: string, what = '商户私钥'): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new Error(`${what}格式无效（需要 PEM 格式的 RSA 私钥）`);
  }
}

/** A platform public key: an SPKI "PUBLIC KEY" PEM (the newer 微信支付公钥) or a platform certificate PEM. */
export function loadPublicKey(pem: string, what = '微信支付平台公钥'): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new Error(`${what}格式无效（需要 PEM 格式的公钥或证书）`);
  }
}

export function rsaSign(message: Buffer, key: KeyObject): string {
  return createSign('sha256WithRSAEncryption').update(message).sign(key, 'base64');
}

/** False for a wrong or malformed signature (e.g. WeChat's "WECHATPAY/SIGNTEST/…" probes), never throws. */
export function rsaVerify(message: Buffer, signatureBase64: string, key: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return false;
  try {
    return createVerify('sha256WithRSAEncryption').update(message).verify(key, signatureBase64, 'base64');
  } catch {
    return false;
  }
}

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

export interface AuthorizationParts {
  mchid: string;
  nonce: string;
  signature: string;
  timestamp: string;
  serialNo: string;
}

/** The order of the pairs is free for the platform; this is the order of the gunsluo vector. */
export function authorizationHeader(p: AuthorizationParts): string {
  return `${AUTH_SCHEME} mchid="${p.mchid}",nonce_str="${p.nonce}",signature="${p.signature}",timestamp="${p.timestamp}",serial_no="${p.serialNo}"`;
}

/** The simulator's side: reads the pairs in any order; null when the scheme or a pair is missing. */
export function parseAuthorization(value: string | undefined): AuthorizationParts | null {
  if (!value?.startsWith(`${AUTH_SCHEME} `)) return null;
  const pairs = new Map<string, string>();
  for (const m of value.slice(AUTH_SCHEME.length + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) pairs.set(m[1] ?? '', m[2] ?? '');
  const mchid = pairs.get('mchid');
  const nonce = pairs.get('nonce_str');
  const signature = pairs.get('signature');
  const timestamp = pairs.get('timestamp');
  const serialNo = pairs.get('serial_no');
  if (!mchid || !nonce || !signature || !timestamp || !serialNo) return null;
  return { mchid, nonce, signature, timestamp, serialNo };
}

/** Signs one API request and returns its Authorization header value. */
export function signRequest(
  args: { method: string; pathAndQuery: string; body: string; mchid: string; serialNo: string; timestamp: string; nonce: string },
  merchantKey: KeyObject,
): string {
  const signature = rsaSign(requestSigningMessage(args.method, args.pathAndQuery, args.timestamp, args.nonce, args.body), merchantKey);
  return authorizationHeader({ mchid: args.mchid, nonce: args.nonce, signature, timestamp: args.timestamp, serialNo: args.serialNo });
}
