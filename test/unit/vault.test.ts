import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src-main/core/errors';
import { loadVaultSalt, PassphraseVault, passphraseVaultFromEnv } from '../../src-main/security/vault';
import { SafeStorageVault, type SafeStorageApi } from '../../src-main/security/vault-electron';

const PASSPHRASE = 'correct horse battery staple';
const SALT = randomBytes(16);
// One derivation per vault (scrypt N=2^15 is deliberately slow); share them across the tests.
const vault = new PassphraseVault(PASSPHRASE, SALT);
const SECRET = 'wechat-apiv3-key-0123456789abcdef';

function errorOf(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

/** Flips one bit of the sealed payload at `offset` bytes from its start. */
function flip(sealed: string, offset: number): string {
  const i = sealed.lastIndexOf(':') + 1;
  const payload = Buffer.from(sealed.slice(i), 'base64');
  payload[offset]! ^= 0x01;
  return sealed.slice(0, i) + payload.toString('base64');
}

describe('PassphraseVault: scrypt-derived key, AES-256-GCM', () => {
  it('round-trips text, including Chinese and multi-line PEM', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${randomBytes(600).toString('base64')}\n-----END PRIVATE KEY-----`;
    for (const plain of [SECRET, '商户密钥 · 测试', pem, ''])
      expect(vault.open(vault.seal(plain))).toBe(plain);
  });

  it('never puts the plain text in the sealed output, and seals the same text differently each time', () => {
    const a = vault.seal(SECRET);
    const b = vault.seal(SECRET);
    expect(a).toMatch(/^v1:passphrase:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    for (const sealed of [a, b]) {
      expect(sealed).not.toContain(SECRET);
      expect(Buffer.from(sealed.split(':')[2]!, 'base64').includes(Buffer.from(SECRET))).toBe(false);
      expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 16));
    }
  });

  it('any tampering is refused: ciphertext, tag, iv, header', () => {
    const sealed = vault.seal(SECRET);
    // payload = salt(16) | check(4) | iv(12) | tag(16) | ciphertext
    for (const offset of [20, 32, 40, 48, 50]) {
      const e = errorOf(() => vault.open(flip(sealed, offset)));
      expect(e.code).toBe('VAULT_TAMPERED');
      expect(e.message).toBe('加密数据校验失败：已被篡改或损坏，请重新录入该密钥');
    }
    expect(errorOf(() => vault.open(sealed.slice(0, -8))).code).toMatch(/^VAULT_(TAMPERED|CORRUPT)$/);
    expect(errorOf(() => vault.open(`v2${sealed.slice(2)}`)).message).toContain('不支持的加密数据版本');
    expect(errorOf(() => vault.open(SECRET)).code).toBe('VAULT_CORRUPT');
  });

  it('a wrong passphrase gets a clear Chinese error, not garbage', () => {
    const sealed = vault.seal(SECRET);
    const other = new PassphraseVault('another passphrase!!', SALT);
    const e = errorOf(() => other.open(sealed));
    expect(e.code).toBe('VAULT_WRONG_PASSPHRASE');
    expect(e.message).toMatch(/^密钥保管库口令不正确/);
  });

  it('the salt travels with the value: another installation with the same passphrase opens it', () => {
    const elsewhere = new PassphraseVault(PASSPHRASE, randomBytes(16));
    expect(elsewhere.open(vault.seal(SECRET))).toBe(SECRET);
    expect(vault.open(elsewhere.seal(SECRET))).toBe(SECRET);
  });

  it('refuses a passphrase shorter than 12 characters', () => {
    const e = errorOf(() => new PassphraseVault('short-pass1', SALT));
    expect(e.code).toBe('VAULT_PASSPHRASE_WEAK');
    expect(e.message).toBe('密钥保管库口令至少 12 位');
    expect(errorOf(() => new PassphraseVault(PASSPHRASE, randomBytes(8))).code).toBe('VAULT_SALT_INVALID');
  });

  it('a value sealed by the other kind of vault is named as such', () => {
    const e = errorOf(() => vault.open(`v1:safe-storage:${randomBytes(40).toString('base64')}`));
    expect(e.code).toBe('VAULT_FOREIGN');
    expect(e.message).toContain('操作系统密钥链');
  });
});

describe('the installation salt file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pay-vault-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created once, random, readable only by us, and reused', () => {
    const file = join(dir, 'sub', 'vault.salt');
    const first = loadVaultSalt(file);
    expect(first).toHaveLength(16);
    expect(loadVaultSalt(file).equals(first)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('no passphrase means no vault', () => {
    expect(passphraseVaultFromEnv(undefined, join(dir, 'none.salt'))).toBeUndefined();
    expect(passphraseVaultFromEnv('', join(dir, 'none.salt'))).toBeUndefined();
  });
});

describe('SafeStorageVault: Electron safeStorage, refusing plain text', () => {
  // A stand-in for the OS keychain: XOR with a fixed pad is enough to show the plumbing.
  const fake = (available: boolean, backend: ReturnType<NonNullable<SafeStorageApi['getSelectedStorageBackend']>> = 'gnome_libsecret'): SafeStorageApi => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b) => {
      if (b[0] === 0) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8');
    },
  });

  it('seals through safeStorage and opens its own values', () => {
    const v = new SafeStorageVault(fake(true));
    const sealed = v.seal(SECRET);
    expect(sealed).toMatch(/^v1:safe-storage:/);
    expect(sealed).not.toContain(SECRET);
    expect(v.open(sealed)).toBe(SECRET);
  });

  it('refuses to seal when the OS offers no encryption', () => {
    const v = new SafeStorageVault(fake(false));
    expect(v.available()).toBe(false);
    const e = errorOf(() => v.seal(SECRET));
    expect(e.code).toBe('VAULT_UNAVAILABLE');
    expect(e.message).toContain('拒绝保存密钥');
  });

  it.runIf(process.platform === 'linux')("treats Linux's basic_text backend as no encryption", () => {
    const v = new SafeStorageVault(fake(true, 'basic_text'));
    expect(v.available()).toBe(false);
    expect(errorOf(() => v.seal(SECRET)).code).toBe('VAULT_UNAVAILABLE');
  });

  it('a passphrase-sealed value is not mistaken for a tampered one', () => {
    expect(errorOf(() => new SafeStorageVault(fake(true)).open(vault.seal(SECRET))).code).toBe('VAULT_FOREIGN');
  });
});
