import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, normalizePem, parsePrivateKey, parsePublicKey } from '../../src-main/security/key-material';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = String(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
const pkcs1 = String(rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }));
const spki = String(rsa.publicKey.export({ type: 'spki', format: 'pem' }));
const bareBase64 = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
const CERT = readFileSync(join(import.meta.dirname, '../fixtures/channels/wechat-platform-cert.pem'), 'utf8');

describe('keys pasted into 支付渠道配置', () => {
  it('one fingerprint per key, whatever the spelling: PKCS#8, PKCS#1, bare base64, one line, public half', () => {
    const expected = parsePublicKey(spki, '公钥').fingerprint;
    expect(expected).toMatch(/^[0-9a-f]{8}$/);
    const singleLine = pkcs8.replace(/\n/g, '');
    for (const text of [pkcs8, pkcs1, bareBase64(pkcs8), singleLine, `  ${pkcs8.replace(/\n/g, '\r\n')}  `]) {
      const parsed = parsePrivateKey(text, '商户私钥');
      expect(parsed.fingerprint).toBe(expected);
      expect(parsed.pkcs8Pem).toBe(pkcs8.trim());
    }
    for (const text of [spki, bareBase64(spki), spki.replace(/\n/g, ' ')]) expect(parsePublicKey(text, '公钥').fingerprint).toBe(expected);
  });

  it('a certificate yields its key, serial and end of validity', () => {
    const cert = parsePublicKey(CERT, '平台证书');
    expect(cert.certSerial).toBe('05157F09EFDC096DE15EBE81A47057A7232F0B6E');
    expect(cert.validTo).toBe(Date.parse('Nov 23 03:42:34 2036 GMT'));
    expect(createPublicKey(cert.spkiPem).asymmetricKeyType).toBe('rsa');
    expect(cert.storedPem).toContain('BEGIN CERTIFICATE');
  });

  it('refuses what is not a usable RSA key, without echoing it', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const cases: [() => unknown, string][] = [
      [() => parsePrivateKey('hello', '商户私钥'), '商户私钥无法解析'],
      [() => parsePrivateKey(spki, '商户私钥'), '商户私钥无法解析'],
      [() => parsePrivateKey(String(ec.privateKey.export({ type: 'pkcs8', format: 'pem' })), '商户私钥'), '商户私钥必须是 RSA 密钥'],
      [() => parsePrivateKey(String(small.privateKey.export({ type: 'pkcs8', format: 'pem' })), '商户私钥'), '商户私钥长度不足 2048 位'],
      [() => parsePublicKey(pkcs8, '支付宝公钥'), '支付宝公钥处需要公钥，粘贴的是私钥'],
      [() => parsePublicKey('garbage', '支付宝公钥'), '支付宝公钥无法解析'],
    ];
    for (const [f, message] of cases) {
      expect(f).toThrow(message);
      try {
        f();
      } catch (e) {
        expect((e as Error).message).not.toContain(bareBase64(pkcs8).slice(0, 20));
      }
    }
  });

  it('normalizePem leaves text without a PEM block alone and re-wraps bodies at 64 columns', () => {
    expect(normalizePem('  abc ')).toBe('abc');
    const lines = normalizePem(pkcs8.replace(/\n/g, '')).split('\n');
    expect(lines.slice(1, -2).every((l) => l.length === 64)).toBe(true);
    expect(fingerprintOf('x')).toBe('2d711642');
  });
});
