import type { SafeStorage } from 'electron';
import { DomainError } from '../core/errors';
import { openEnvelope, sealedEnvelope, type SecretVault } from './vault';

/** The part of Electron's `safeStorage` the vault uses; the host passes the real one, tests a fake. */
export type SafeStorageApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/**
 * The desktop vault: Electron `safeStorage` (DPAPI on Windows, the Keychain on macOS, libsecret /
 * KWallet on Linux). When the OS offers no real encryption, including Linux's `basic_text` backend
 * (a hard-coded password, i.e. plain text in all but name), it refuses to seal: keys are never
 * stored in plain text. Values sealed here open only for this OS user on this machine.
 */
export class SafeStorageVault implements SecretVault {
  readonly kind = 'safe-storage' as const;

  constructor(private readonly safeStorage: SafeStorageApi) {}

  available(): boolean {
    if (!this.safeStorage.isEncryptionAvailable()) return false;
    // getSelectedStorageBackend exists (and means something) only on Linux.
    return process.platform !== 'linux' || this.safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  }

  seal(plain: string): string {
    if (!this.available())
      throw new DomainError('VAULT_UNAVAILABLE', '操作系统密钥链不可用（safeStorage 无法加密），为防止以明文保存，拒绝保存密钥。请在已登录的桌面会话中使用，或配置系统密钥链后重试');
    return sealedEnvelope(this.kind, this.safeStorage.encryptString(plain));
  }

  open(sealed: string): string {
    const payload = openEnvelope(this.kind, sealed);
    if (!this.safeStorage.isEncryptionAvailable()) throw new DomainError('VAULT_UNAVAILABLE', '操作系统密钥链不可用，无法解密已保存的渠道密钥');
    try {
      return this.safeStorage.decryptString(payload);
    } catch {
      throw new DomainError('VAULT_TAMPERED', '无法解密已保存的渠道密钥：数据已损坏，或由其他电脑/其他系统用户保存，请重新录入该密钥');
    }
  }
}
