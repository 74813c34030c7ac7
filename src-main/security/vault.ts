import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../core/errors';

/**
 * The key vault: merchant private keys, the WeChat APIv3 key and bank api_keys are sealed here
 * before they reach the database, and opened only in the main process when a gateway is built.
 * There is no "plain" vault on purpose: without one, channel secrets cannot be saved at all.
 *
 * Sealed values are text, versioned and labelled with the vault kind that sealed them
 * (`v1:<kind>:<base64>`), so a value sealed by another kind of vault (the desktop's safeStorage vs
 * the server's passphrase) is recognised and reported as such instead of failing as "tampered".
 */
export type VaultKind = 'passphrase' | 'safe-storage';

export interface SecretVault {
  readonly kind: VaultKind;
  /** False when sealing would fail now (e.g. no OS keychain); the settings page says so up front. */
  available(): boolean;
  seal(plain: string): string;
  open(sealed: string): string;
}

export const VAULT_LABELS: Record<VaultKind, string> = {
  passphrase: '口令加密（AES-256-GCM）',
  'safe-storage': '操作系统密钥链（safeStorage）',
};

const FORMAT = 'v1';

export function sealedEnvelope(kind: VaultKind, payload: Buffer): string {
  return `${FORMAT}:${kind}:${payload.toString('base64')}`;
}

/** Splits a sealed value into its payload, refusing other formats and other vault kinds with a clear message. */
export function openEnvelope(kind: VaultKind, sealed: string): Buffer {
  const m = /^(v\d+):([a-z-]+):([A-Za-z0-9+/]*={0,2})$/.exec(sealed);
  if (!m) throw new DomainError('VAULT_CORRUPT', '加密数据格式不正确，可能已损坏，请重新录入该密钥');
  if (m[1] !== FORMAT) throw new DomainError('VAULT_CORRUPT', `不支持的加密数据版本（${m[1]}），请升级本程序`);
  if (m[2] !== kind) {
    const by = VAULT_LABELS[m[2] as VaultKind] ?? m[2];
    throw new DomainError('VAULT_FOREIGN', `该密钥由另一种密钥保管方式加密（${by}），本机（${VAULT_LABELS[kind]}）无法解密，请在此重新录入`);
  }
  return Buffer.from(m[3] ?? '', 'base64');
}

export const MIN_PASSPHRASE_LENGTH = 12;
const SALT_BYTES = 16;
const CHECK_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** scrypt N=2^15, r=8, p=1: ~32 MiB and ~0.1 s once per installation; Node's default maxmem is just too small. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/**
 * AES-256-GCM under a key derived from a passphrase with scrypt and a per-installation random salt
 * (the web host, the headless server, tests). Payload: salt | check | iv | tag | ciphertext.
 *  - The salt travels with every value, so all instances sharing one central database and one
 *    passphrase can open each other's values; derived keys are cached per salt.
 *  - `check` (4 bytes of an HMAC of a constant under the key) tells a wrong passphrase from a
 *    tampered value. It gives a guesser nothing the GCM tag does not already give, and scrypt
 *    dominates the cost of every guess either way.
 *  - The GCM additional data binds the format and kind, so the header cannot be swapped.
 */
export class PassphraseVault implements SecretVault {
  readonly kind = 'passphrase' as const;
  private readonly keys = new Map<string, Buffer>();
  private readonly salt: Buffer;

  constructor(
    private readonly passphrase: string,
    salt: Buffer,
  ) {
    if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new DomainError('VAULT_PASSPHRASE_WEAK', `密钥保管库口令至少 ${MIN_PASSPHRASE_LENGTH} 位`);
    if (salt.length !== SALT_BYTES) throw new DomainError('VAULT_SALT_INVALID', `密钥保管库的盐必须是 ${SALT_BYTES} 字节`);
    this.salt = Buffer.from(salt);
    this.keyFor(this.salt);
  }

  available(): boolean {
    return true;
  }

  private keyFor(salt: Buffer): Buffer {
    const id = salt.toString('hex');
    let key = this.keys.get(id);
    if (!key) {
      key = scryptSync(this.passphrase.normalize('NFC'), salt, 32, SCRYPT);
      this.keys.set(id, key);
    }
    return key;
  }

  private static check(key: Buffer): Buffer {
    return createHmac('sha256', key).update('pay-center vault key check').digest().subarray(0, CHECK_BYTES);
  }

  private static aad(): Buffer {
    return Buffer.from(`${FORMAT}:passphrase`);
  }

  seal(plain: string): string {
    const key = this.keyFor(this.salt);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(PassphraseVault.aad());
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return sealedEnvelope(this.kind, Buffer.concat([this.salt, PassphraseVault.check(key), iv, cipher.getAuthTag(), ct]));
  }

  open(sealed: string): string {
    const payload = openEnvelope(this.kind, sealed);
    if (payload.length < SALT_BYTES + CHECK_BYTES + IV_BYTES + TAG_BYTES) throw new DomainError('VAULT_CORRUPT', '加密数据不完整，可能已损坏，请重新录入该密钥');
    let at = 0;
    const take = (n: number) => payload.subarray(at, (at += n));
    const salt = take(SALT_BYTES);
    const check = take(CHECK_BYTES);
    const iv = take(IV_BYTES);
    const tag = take(TAG_BYTES);
    const ct = payload.subarray(at);
    const key = this.keyFor(salt);
    if (!timingSafeEqual(check, PassphraseVault.check(key)))
      throw new DomainError('VAULT_WRONG_PASSPHRASE', '密钥保管库口令不正确：无法解密已保存的渠道密钥（请确认 PAY_VAULT_PASSPHRASE 与保存密钥时一致）');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(PassphraseVault.aad()).setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    } catch {
      throw new DomainError('VAULT_TAMPERED', '加密数据校验失败：已被篡改或损坏，请重新录入该密钥');
    }
  }
}

/**
 * The installation's salt: a random file beside the embedded database, created on first run and
 * readable only by us. Not secret (it travels in every sealed value); it only makes the derived
 * key differ between installations that happen to use the same passphrase.
 */
export function loadVaultSalt(saltFile: string): Buffer {
  if (existsSync(saltFile)) {
    const salt = Buffer.from(readFileSync(saltFile, 'utf8').trim(), 'hex');
    if (salt.length !== SALT_BYTES) throw new Error(`密钥保管库盐文件已损坏：${saltFile}`);
    return salt;
  }
  mkdirSync(dirname(saltFile), { recursive: true });
  const salt = randomBytes(SALT_BYTES);
  writeFileSync(saltFile, salt.toString('hex'), { mode: 0o600 });
  return salt;
}

/**
 * The passphrase vault of the web host and the headless server: `PAY_VAULT_PASSPHRASE` and the salt
 * file in the data folder. No passphrase means no vault: the app runs, but channel secrets cannot be saved.
 */
export function passphraseVaultFromEnv(passphrase: string | undefined, saltFile: string): PassphraseVault | undefined {
  if (!passphrase) return undefined;
  return new PassphraseVault(passphrase, loadVaultSalt(saltFile));
}
