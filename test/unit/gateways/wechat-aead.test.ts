import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Aes, Rsa } from 'wechatpay-axios-plugin';
import { aeadDecrypt, aeadEncrypt, apiV3KeyBytes } from '../../../src-main/gateways/wechat/wechat-aead';
import { decryptSensitiveField, encryptSensitiveField } from '../../../src-main/gateways/wechat/wechat-sensitive-field';
import { testKeyPair } from '../../support/gateway-keys';

/**
 * AEAD_AES_256_GCM (notification resources) against the vectors of PROTOCOLS.md §2 Oracles (a) — from
 * TheNorthMemory/wechatpay-axios-plugin tests/lib/aes.test.js, re-checked with python cryptography — and
 * against the plugin's Aes.AesGcm in both directions; RSA-OAEP sensitive fields against Rsa.encrypt/decrypt.
 */
const KEY = '0123456789abcdef0123456789abcdef';
const IV = '0123456789abcdef';

describe('AEAD_AES_256_GCM', () => {
  it('matches the published vectors', () => {
    expect(aeadEncrypt('', KEY, IV, '')).toBe('GvpmmdtYwexXIPhySs9Tlg==');
    expect(aeadEncrypt('hello', KEY, IV, 'world')).toBe('APoZlYpivU3HjbAiB4CvW1rAFr8J');
    expect(aeadDecrypt('APoZlYpivU3HjbAiB4CvW1rAFr8J', KEY, IV, 'world')).toBe('hello');
    expect(aeadDecrypt('GvpmmdtYwexXIPhySs9Tlg==', KEY, IV, '')).toBe('');
  });

  it('agrees with the oracle both ways on a notification-sized resource with a 12-character nonce', () => {
    const plaintext = JSON.stringify({ mchid: '1900000109', out_trade_no: '订单P001', amount: { total: 12345 } });
    const nonce = 'fPqxLQRZmjVn';
    const ours = aeadEncrypt(plaintext, KEY, nonce, 'transaction');
    expect(ours).toBe(Aes.AesGcm.encrypt(plaintext, KEY, nonce, 'transaction'));
    expect(Aes.AesGcm.decrypt(ours, KEY, nonce, 'transaction')).toBe(plaintext);
    expect(aeadDecrypt(Aes.AesGcm.encrypt(plaintext, KEY, nonce, 'transaction'), KEY, nonce, 'transaction')).toBe(plaintext);
  });

  it('refuses a wrong key, nonce or associated data, a flipped bit and a truncated tag', () => {
    const ct = aeadEncrypt('{"total":100}', KEY, 'abcdefghijkl', 'refund');
    expect(() => aeadDecrypt(ct, 'fedcba9876543210fedcba9876543210', 'abcdefghijkl', 'refund')).toThrow();
    expect(() => aeadDecrypt(ct, KEY, 'abcdefghijkm', 'refund')).toThrow();
    expect(() => aeadDecrypt(ct, KEY, 'abcdefghijkl', 'transaction')).toThrow();
    const bytes = Buffer.from(ct, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(() => aeadDecrypt(bytes.toString('base64'), KEY, 'abcdefghijkl', 'refund')).toThrow();
    expect(() => aeadDecrypt(Buffer.from(ct, 'base64').subarray(0, 10).toString('base64'), KEY, 'abcdefghijkl', 'refund')).toThrow(/16 字节/);
  });

  it('requires a 32-byte APIv3 key', () => {
    expect(() => apiV3KeyBytes('short')).toThrow(/32 字节/);
    expect(apiV3KeyBytes(KEY)).toHaveLength(32);
  });
});

describe('RSA-OAEP sensitive fields (transfer payee name)', () => {
  const platform = testKeyPair('wechat-platform');

  it('the oracle decrypts what we encrypt, and we decrypt what it encrypts', () => {
    const ours = encryptSensitiveField('张三', createPublicKey(platform.publicKeyPem));
    expect(Rsa.decrypt(ours, platform.privateKeyPem)).toBe('张三');
    expect(decryptSensitiveField(Rsa.encrypt('李四', platform.publicKeyPem), createPrivateKey(platform.privateKeyPem))).toBe('李四');
  });

  it('cannot be read with another key', () => {
    const ours = encryptSensitiveField('张三', createPublicKey(platform.publicKeyPem));
    expect(() => decryptSensitiveField(ours, createPrivateKey(testKeyPair('wechat-other').privateKeyPem))).toThrow();
  });
});
