import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

/**
 * Reading the keys administrators paste into 支付渠道配置, and the short fingerprints shown instead
 * of them. Error messages name what is wrong, never the key itself.
 */

/** First 8 hex digits of SHA-256: enough for a person to tell two keys apart, useless for guessing one. */
export function fingerprintOf(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 8);
}

/** A public key's fingerprint is over its SPKI DER, so PEM, bare base64 and certificate give the same one. */
export function publicKeyFingerprint(key: KeyObject): string {
  return fingerprintOf(key.export({ type: 'spki', format: 'der' }));
}

const MIN_RSA_BITS = 2048;

function checkRsa(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`${what}必须是 RSA 密钥`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new Error(`${what}长度不足 ${MIN_RSA_BITS} 位`);
}

function derFromBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]+={0,2}$/.test(compact) ? Buffer.from(compact, 'base64') : null;
}

/**
 * Re-wraps a PEM block at 64 columns. A key pasted into a single-line (password) input loses its
 * line breaks, and a key copied from a web console often gains spaces; OpenSSL accepts neither.
 */
export function normalizePem(text: string): string {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return text.trim();
  const body = (m[2] ?? '').replace(/\s+/g, '');
  return `-----BEGIN ${m[1]}-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${m[1]}-----`;
}

export interface ParsedPrivateKey {
  /** PKCS#8 PEM: one spelling whatever was pasted (PKCS#1, PKCS#8, Alipay's bare base64). */
  pkcs8Pem: string;
  /** Fingerprint of the public half, so it can be compared with the merchant certificate's. */
  fingerprint: string;
}

/** An RSA private key as PEM (PKCS#1 or PKCS#8) or as the bare base64 body Alipay's key tool hands out. */
export function parsePrivateKey(text: string, what: string): ParsedPrivateKey {
  const t = normalizePem(text);
  let key: KeyObject;
  try {
    if (t.startsWith('-----BEGIN')) {
      if (!/PRIVATE KEY-----/.test(t)) throw new Error('not a private key');
      key = createPrivateKey(t);
    } else {
      const der = derFromBase64(t);
      if (!der) throw new Error('not base64');
      try {
        key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      } catch {
        key = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
      }
    }
  } catch {
    throw new Error(`${what}无法解析：请粘贴完整的 PEM 私钥（-----BEGIN PRIVATE KEY----- 开头），且不能设置密码`);
  }
  checkRsa(key, what);
  return { pkcs8Pem: String(key.export({ type: 'pkcs8', format: 'pem' })).trim(), fingerprint: publicKeyFingerprint(createPublicKey(key)) };
}

export interface ParsedPublicKey {
  /** What is stored: the certificate PEM as pasted, or the key as SPKI PEM. */
  storedPem: string;
  /** The key itself as SPKI PEM, what verifiers load. */
  spkiPem: string;
  fingerprint: string;
  /** Certificates only: serial number (upper-case hex) and end of validity. */
  certSerial?: string;
  validTo?: number;
}

/** A platform public key as PEM, bare base64 SPKI, or an X.509 certificate PEM (WeChat's platform certificates). */
export function parsePublicKey(text: string, what: string): ParsedPublicKey {
  const t = normalizePem(text);
  try {
    if (t.includes('-----BEGIN CERTIFICATE-----')) {
      const cert = new X509Certificate(t);
      checkRsa(cert.publicKey, what);
      return {
        storedPem: cert.toString().trim(),
        spkiPem: String(cert.publicKey.export({ type: 'spki', format: 'pem' })).trim(),
        fingerprint: publicKeyFingerprint(cert.publicKey),
        certSerial: cert.serialNumber.toUpperCase(),
        validTo: Date.parse(cert.validTo),
      };
    }
    let key: KeyObject;
    if (t.startsWith('-----BEGIN')) {
      if (/PRIVATE KEY-----/.test(t)) throw new Error(`${what}处需要公钥，粘贴的是私钥：私钥不应交给任何人，请改粘贴公钥`);
      key = createPublicKey(t);
    } else {
      const der = derFromBase64(t);
      if (!der) throw new Error('not base64');
      key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    }
    checkRsa(key, what);
    const spkiPem = String(key.export({ type: 'spki', format: 'pem' })).trim();
    return { storedPem: spkiPem, spkiPem, fingerprint: publicKeyFingerprint(key) };
  } catch (e) {
    const message = e instanceof Error && e.message.startsWith(what) ? e.message : `${what}无法解析：请粘贴 PEM 格式的公钥或证书`;
    throw new Error(message, { cause: e });
  }
}
