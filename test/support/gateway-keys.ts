import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * Fresh RSA-2048 key pairs for gateway tests, made once per test process: the merchant's (we sign
 * with it, the simulator verifies) and the platform's (the simulator signs, we verify). Real
 * deployments load theirs from the vault; nothing here is a real key.
 */
export interface KeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

const cache = new Map<string, KeyPair>();

export function testKeyPair(name: string): KeyPair {
  let kp = cache.get(name);
  if (!kp) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    kp = { privateKeyPem: privateKey, publicKeyPem: publicKey };
    cache.set(name, kp);
  }
  return kp;
}

/** A 32-character APIv3 key (WeChat) or HMAC key (bank). */
export function testSecret(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}
