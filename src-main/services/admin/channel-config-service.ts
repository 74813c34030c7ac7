import { snapshot } from '../../core/audit/audit-record';
import { CHANNEL_FIELD_LABELS } from '../../core/channels/channel-field-labels';
import { DomainError } from '../../core/errors';
import type { Clock } from '../../core/time';
import type { ChannelConfigWrite, StoredChannelConfig } from '../../db/repositories/channel-config-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Store, Tx } from '../../db/store';
import type { Platform } from '../../gateways/gateway';
import { fingerprintOf, parsePrivateKey, parsePublicKey } from '../../security/key-material';
import { VAULT_LABELS, type SecretVault, type VaultKind } from '../../security/vault';
import type { Actor } from '../actor';
import {
  CHANNEL_LABELS,
  CHANNEL_PLATFORMS,
  channelAddKeySchema,
  channelKeyRefSchema,
  channelUpdateSchema,
  parseChannelInput,
  type ChannelAddKeyInput,
  type ChannelKeyRef,
  type ChannelUpdateInput,
} from './channel-config-schemas';

/**
 * 支付渠道配置 (issue 4): merchant ids, endpoints and keys per platform.
 *  - Secrets (merchant private keys, the WeChat APIv3 key, bank api_keys) are sealed by the vault
 *    before they enter a transaction and opened only by `loadForGateway`, in the main process, when
 *    an adapter is built. Without a vault they cannot be saved: never in plain text.
 *  - Everything that leaves this class for a screen or the audit log is masked: a secret is
 *    "已设置 · 指纹 ab12cd34", a public key its id and fingerprint.
 *  - Keys rotate through a LIST: a new key becomes the current one (it signs / encrypts); older keys
 *    stay accepted for verification, retired or not, until an administrator removes them, because
 *    the platforms keep signing with the old key for a while after issuing a new one.
 */
export interface WechatPublic {
  appId: string;
  mchId: string;
  merchantSerialNo: string;
  endpoint: string;
}
export interface AlipayPublic {
  appId: string;
  gatewayUrl: string;
}
export interface BankPublic {
  merchantId: string;
  terminalId: string;
  gatewayUrl: string;
}

type SecretName = 'merchantPrivateKey' | 'apiV3Key' | 'appPrivateKey';

const SECRET_LABELS: Record<SecretName, string> = CHANNEL_FIELD_LABELS;
const SECRETS_OF: Record<Platform, readonly SecretName[]> = { wechat: ['merchantPrivateKey', 'apiV3Key'], alipay: ['appPrivateKey'], bank: [] };

/** What the key list of each platform holds. Bank api_keys are secret and sealed; platform public keys are not. */
const KEY_KIND: Record<Platform, { kind: 'public_key' | 'api_key'; label: string }> = {
  wechat: { kind: 'public_key', label: '微信支付平台公钥' },
  alipay: { kind: 'public_key', label: '支付宝公钥' },
  bank: { kind: 'api_key', label: 'API 密钥' },
};
const MAX_KEYS = 10;

const DEFAULTS: { wechat: WechatPublic; alipay: AlipayPublic; bank: BankPublic } = {
  wechat: { appId: '', mchId: '', merchantSerialNo: '', endpoint: 'https://api.mch.weixin.qq.com' },
  alipay: { appId: '', gatewayUrl: 'https://openapi.alipay.com/gateway.do' },
  bank: { merchantId: '', terminalId: '', gatewayUrl: '' },
};

/** A secret as stored: sealed, with the fingerprint computed before sealing. */
interface SealedSecret {
  sealed: string;
  fingerprint: string;
  setAt: number;
}

/** One entry of the rotation list as stored. `material` is a PEM (public key/certificate) or a sealed api_key. */
interface StoredKey {
  id: string;
  material: string;
  fingerprint: string;
  addedAt: number;
  retired: boolean;
  validTo?: number;
}

interface ChannelState {
  platform: Platform;
  enabled: boolean;
  sandbox: boolean;
  pub: Record<string, string>;
  secrets: Partial<Record<SecretName, SealedSecret>>;
  keys: StoredKey[];
  version: number | null;
  updatedAt: number | null;
}

export interface SecretView {
  name: SecretName;
  label: string;
  set: boolean;
  fingerprint: string | null;
  setAt: number | null;
  /** "已设置 · 指纹 ab12cd34" or "未设置". */
  display: string;
}

export interface KeyView {
  keyId: string;
  kind: 'public_key' | 'api_key';
  fingerprint: string;
  addedAt: number;
  retired: boolean;
  /** The key that signs (bank) or encrypts (WeChat sensitive fields): the newest one not retired. */
  current: boolean;
  /** Certificates only: end of validity. */
  validTo: number | null;
}

interface ChannelViewBase {
  label: string;
  enabled: boolean;
  sandbox: boolean;
  secrets: SecretView[];
  keyKind: { kind: 'public_key' | 'api_key'; label: string };
  keys: KeyView[];
  /** What is still missing before the channel can be enabled (empty when complete). */
  missing: string[];
  version: number | null;
  updatedAt: number | null;
}

type PublicPart = { platform: 'wechat'; public: WechatPublic } | { platform: 'alipay'; public: AlipayPublic } | { platform: 'bank'; public: BankPublic };

export type ChannelConfigView = ChannelViewBase & PublicPart;

export interface ChannelConfigOverview {
  vault: { kind: VaultKind | null; label: string | null; available: boolean };
  channels: ChannelConfigView[];
}

/** The decrypted configuration for building an adapter (main process only; never sent to a screen). */
export type GatewayChannelConfig =
  | (WechatPublic & {
      platform: 'wechat';
      enabled: boolean;
      sandbox: boolean;
      merchantPrivateKeyPem: string;
      apiV3Key: string;
      /** Current key first, then the others still accepted for verification. */
      platformKeys: { serial: string; publicKeyPem: string; retired: boolean }[];
    })
  | (AlipayPublic & {
      platform: 'alipay';
      enabled: boolean;
      sandbox: boolean;
      appPrivateKeyPem: string;
      alipayPublicKeys: { id: string; publicKeyPem: string; retired: boolean }[];
    })
  | (BankPublic & {
      platform: 'bank';
      enabled: boolean;
      sandbox: boolean;
      /** The current api_key: signs requests. */
      apiKey: string;
      /** Keys still accepted for verification during a rotation (bank/protocol.ts §4), until removed. */
      previousApiKeys: string[];
    });

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

function publicPart(platform: Platform, pub: Record<string, string>): PublicPart {
  switch (platform) {
    case 'wechat': {
      const d = DEFAULTS.wechat;
      return { platform, public: { appId: str(pub.appId, d.appId), mchId: str(pub.mchId, d.mchId), merchantSerialNo: str(pub.merchantSerialNo, d.merchantSerialNo), endpoint: str(pub.endpoint, d.endpoint) } };
    }
    case 'alipay': {
      const d = DEFAULTS.alipay;
      return { platform, public: { appId: str(pub.appId, d.appId), gatewayUrl: str(pub.gatewayUrl, d.gatewayUrl) } };
    }
    case 'bank': {
      const d = DEFAULTS.bank;
      return { platform, public: { merchantId: str(pub.merchantId, d.merchantId), terminalId: str(pub.terminalId, d.terminalId), gatewayUrl: str(pub.gatewayUrl, d.gatewayUrl) } };
    }
  }
}

const secretDisplay = (s: SealedSecret | undefined) => (s ? `已设置 · 指纹 ${s.fingerprint}` : '未设置');

/** The key that signs or encrypts: the newest one not retired (the list is kept in the order keys were added). */
function currentKey(keys: readonly StoredKey[]): StoredKey | undefined {
  return keys.filter((k) => !k.retired).at(-1);
}

/** Current first, then the other keys still accepted for verification, newest first. */
function verificationOrder(keys: readonly StoredKey[]): StoredKey[] {
  const current = currentKey(keys);
  const rest = keys.filter((k) => k !== current).reverse();
  return current ? [current, ...rest] : rest;
}

function missingOf(s: ChannelState): string[] {
  const missing: string[] = [];
  if (Object.values(publicPart(s.platform, s.pub).public).some((v) => v === '')) missing.push('基本信息');
  for (const name of SECRETS_OF[s.platform]) if (!s.secrets[name]) missing.push(SECRET_LABELS[name]);
  if (!currentKey(s.keys)) missing.push(`在用的${KEY_KIND[s.platform].label}`);
  return missing;
}

function fromRow(platform: Platform, row: StoredChannelConfig | null): ChannelState {
  if (!row) return { platform, enabled: false, sandbox: true, pub: {}, secrets: {}, keys: [], version: null, updatedAt: null };
  return {
    platform,
    enabled: Boolean(row.enabled),
    sandbox: Boolean(row.sandbox),
    pub: JSON.parse(row.public_json) as Record<string, string>,
    secrets: JSON.parse(row.secrets_json) as Partial<Record<SecretName, SealedSecret>>,
    keys: JSON.parse(row.keys_json) as StoredKey[],
    version: row.version,
    updatedAt: row.updated_at,
  };
}

function toRow(s: ChannelState, at: number): ChannelConfigWrite {
  return {
    platform: s.platform,
    enabled: s.enabled,
    sandbox: s.sandbox,
    public_json: JSON.stringify(s.pub),
    secrets_json: JSON.stringify(s.secrets),
    keys_json: JSON.stringify(s.keys),
    updated_at: at,
  };
}

function keyViews(s: ChannelState): KeyView[] {
  const current = currentKey(s.keys);
  const kind = KEY_KIND[s.platform].kind;
  return s.keys.map((k) => ({ keyId: k.id, kind, fingerprint: k.fingerprint, addedAt: k.addedAt, retired: k.retired, current: k === current, validTo: k.validTo ?? null }));
}

function view(s: ChannelState): ChannelConfigView {
  const base: ChannelViewBase = {
    label: CHANNEL_LABELS[s.platform],
    enabled: s.enabled,
    sandbox: s.sandbox,
    secrets: SECRETS_OF[s.platform].map((name) => {
      const secret = s.secrets[name];
      return { name, label: SECRET_LABELS[name], set: Boolean(secret), fingerprint: secret?.fingerprint ?? null, setAt: secret?.setAt ?? null, display: secretDisplay(secret) };
    }),
    keyKind: KEY_KIND[s.platform],
    keys: keyViews(s),
    missing: missingOf(s),
    version: s.version,
    updatedAt: s.updatedAt,
  };
  return { ...base, ...publicPart(s.platform, s.pub) };
}

/** The audit snapshot: public fields as they are, secrets and keys by fingerprint only. */
function masked(s: ChannelState): string | null {
  if (s.version === null) return null;
  const current = currentKey(s.keys);
  return snapshot({
    enabled: s.enabled,
    sandbox: s.sandbox,
    ...publicPart(s.platform, s.pub).public,
    ...Object.fromEntries(SECRETS_OF[s.platform].map((n) => [n, secretDisplay(s.secrets[n])])),
    keys: s.keys.map((k) => `${k.id}（${k === current ? '在用' : k.retired ? '已停用' : '有效'} · 指纹 ${k.fingerprint}）`).join('；') || '—',
  });
}

export class ChannelConfigService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly vault?: SecretVault,
  ) {}

  /** Every platform's configuration, masked, and whether secrets can be saved here at all. */
  async overview(): Promise<ChannelConfigOverview> {
    const rows = await this.store.read((tx) => tx.channelConfigs.all());
    const byPlatform = new Map(rows.map((r) => [r.platform, r]));
    return {
      vault: { kind: this.vault?.kind ?? null, label: this.vault ? VAULT_LABELS[this.vault.kind] : null, available: this.vault?.available() ?? false },
      channels: CHANNEL_PLATFORMS.map((p) => view(fromRow(p, byPlatform.get(p) ?? null))),
    };
  }

  async get(platform: Platform): Promise<ChannelConfigView> {
    return view(fromRow(platform, await this.store.read((tx) => tx.channelConfigs.get(platform))));
  }

  /** Saves the ids, endpoint and switches; a secret is replaced only when one is given. */
  async update(actor: Actor, raw: ChannelUpdateInput): Promise<ChannelConfigView> {
    const input = parseChannelInput(channelUpdateSchema, raw);
    const now = this.clock.now();
    // Sealed before the transaction: scrypt/AES and the OS keychain are slow next to a row lock.
    const secrets: Partial<Record<SecretName, SealedSecret>> = {};
    let pub: Record<string, string>;
    switch (input.platform) {
      case 'wechat':
        pub = { appId: input.appId, mchId: input.mchId, merchantSerialNo: input.merchantSerialNo.toUpperCase(), endpoint: input.endpoint };
        if (input.merchantPrivateKey) secrets.merchantPrivateKey = this.sealPrivateKey(input.merchantPrivateKey, '商户私钥', now);
        if (input.apiV3Key) secrets.apiV3Key = this.sealSecret(input.apiV3Key, now);
        break;
      case 'alipay':
        pub = { appId: input.appId, gatewayUrl: input.gatewayUrl };
        if (input.appPrivateKey) secrets.appPrivateKey = this.sealPrivateKey(input.appPrivateKey, '应用私钥', now);
        break;
      case 'bank':
        pub = { merchantId: input.merchantId, terminalId: input.terminalId, gatewayUrl: input.gatewayUrl };
        break;
    }
    return this.change(actor, input.platform, input.version, 'channel.update', (before) => {
      const after: ChannelState = { ...before, enabled: input.enabled, sandbox: input.sandbox, pub, secrets: { ...before.secrets, ...secrets } };
      if (after.enabled) {
        const missing = missingOf(after);
        if (missing.length) throw new DomainError('CHANNEL_INCOMPLETE', `启用前请先设置：${missing.join('、')}`);
      }
      return after;
    });
  }

  /** Adds a key to the rotation list; it becomes the current one, the others stay valid for verification. */
  async addKey(actor: Actor, raw: ChannelAddKeyInput): Promise<ChannelConfigView> {
    const input = parseChannelInput(channelAddKeySchema, raw);
    const now = this.clock.now();
    let key: StoredKey;
    if (input.platform === 'bank') {
      const sealed = this.sealSecret(input.material, now);
      key = { id: input.keyId ?? `K-${sealed.fingerprint}`, material: sealed.sealed, fingerprint: sealed.fingerprint, addedAt: now, retired: false };
    } else {
      const label = KEY_KIND[input.platform].label;
      const parsed = this.parse(() => parsePublicKey(input.material, label));
      // WeChat names the key in the Wechatpay-Serial header: certificate serials in upper-case hex, public key ids as issued.
      const id = input.platform === 'wechat' ? (input.keyId.startsWith('PUB_KEY_ID_') ? input.keyId : input.keyId.toUpperCase()) : (input.keyId ?? `K-${parsed.fingerprint}`);
      key = { id, material: parsed.storedPem, fingerprint: parsed.fingerprint, addedAt: now, retired: false, ...(parsed.validTo ? { validTo: parsed.validTo } : {}) };
    }
    return this.change(actor, input.platform, input.version, 'channel.key.add', (before) => {
      if (before.keys.some((k) => k.id === key.id)) throw new DomainError('CHANNEL_KEY_DUPLICATE', `密钥编号 ${key.id} 已存在`);
      const same = before.keys.find((k) => k.fingerprint === key.fingerprint);
      if (same) throw new DomainError('CHANNEL_KEY_DUPLICATE', `该密钥已在列表中（编号 ${same.id}）`);
      if (before.keys.length >= MAX_KEYS) throw new DomainError('CHANNEL_KEY_LIMIT', `最多保留 ${MAX_KEYS} 个密钥，请先移除已停用的旧密钥`);
      return { ...before, keys: [...before.keys, key] };
    });
  }

  /** Stops using a key for signing/encryption; it stays accepted for verification until removed. */
  async retireKey(actor: Actor, raw: ChannelKeyRef): Promise<ChannelConfigView> {
    const input = parseChannelInput(channelKeyRefSchema, raw);
    return this.change(actor, input.platform, input.version, 'channel.key.retire', (before) => {
      const key = this.findKey(before, input.keyId);
      if (key.retired) throw new DomainError('CHANNEL_KEY_RETIRED', `密钥 ${key.id} 已经停用`);
      const keys = before.keys.map((k) => (k === key ? { ...k, retired: true } : k));
      if (before.enabled && !currentKey(keys))
        throw new DomainError('CHANNEL_KEY_LAST', `渠道启用中，至少需要一个在用的${KEY_KIND[before.platform].label}：请先添加新密钥，再停用旧密钥`);
      return { ...before, keys };
    });
  }

  /** Removes a retired key: from now on, signatures made with it are refused. */
  async removeKey(actor: Actor, raw: ChannelKeyRef): Promise<ChannelConfigView> {
    const input = parseChannelInput(channelKeyRefSchema, raw);
    return this.change(actor, input.platform, input.version, 'channel.key.remove', (before) => {
      const key = this.findKey(before, input.keyId);
      if (!key.retired) throw new DomainError('CHANNEL_KEY_IN_USE', `密钥 ${key.id} 仍在使用：请先停用，确认平台已改用新密钥后再移除`);
      return { ...before, keys: before.keys.filter((k) => k !== key) };
    });
  }

  /**
   * The decrypted configuration of one platform, for building its adapter in the main process.
   * Never pass the result to a channel handler's return value, a log or an audit record.
   */
  async loadForGateway<P extends Platform>(platform: P): Promise<Extract<GatewayChannelConfig, { platform: P }>>;
  async loadForGateway(platform: Platform): Promise<GatewayChannelConfig> {
    const s = fromRow(platform, await this.store.read((tx) => tx.channelConfigs.get(platform)));
    const missing = missingOf(s);
    if (missing.length) throw new DomainError('CHANNEL_NOT_CONFIGURED', `支付渠道「${CHANNEL_LABELS[platform]}」尚未配置完整：缺少${missing.join('、')}`);
    const vault = this.requireVault('读取');
    const secret = (name: SecretName) => vault.open((s.secrets[name] as SealedSecret).sealed);
    const keys = verificationOrder(s.keys);
    const p = publicPart(platform, s.pub);
    switch (p.platform) {
      case 'wechat':
        return {
          ...p.public,
          platform: p.platform,
          enabled: s.enabled,
          sandbox: s.sandbox,
          merchantPrivateKeyPem: secret('merchantPrivateKey'),
          apiV3Key: secret('apiV3Key'),
          platformKeys: keys.map((k) => ({ serial: k.id, publicKeyPem: parsePublicKey(k.material, '微信支付平台公钥').spkiPem, retired: k.retired })),
        };
      case 'alipay':
        return {
          ...p.public,
          platform: p.platform,
          enabled: s.enabled,
          sandbox: s.sandbox,
          appPrivateKeyPem: secret('appPrivateKey'),
          alipayPublicKeys: keys.map((k) => ({ id: k.id, publicKeyPem: parsePublicKey(k.material, '支付宝公钥').spkiPem, retired: k.retired })),
        };
      case 'bank': {
        const [current, ...previous] = keys.map((k) => vault.open(k.material));
        return { ...p.public, platform: p.platform, enabled: s.enabled, sandbox: s.sandbox, apiKey: current ?? '', previousApiKeys: previous };
      }
    }
  }

  /** Reads the row, checks the caller saw the latest version, applies `edit`, saves and audits in one transaction. */
  private change(actor: Actor, platform: Platform, expectedVersion: number | null, action: string, edit: (before: ChannelState) => ChannelState): Promise<ChannelConfigView> {
    return this.store.transaction(async (tx: Tx) => {
      const before = fromRow(platform, await tx.channelConfigs.get(platform));
      if (before.version !== expectedVersion) throw new ConcurrentUpdateError();
      const now = this.clock.now();
      const edited = edit(before);
      const version = await tx.channelConfigs.save(toRow(edited, now), expectedVersion);
      const after: ChannelState = { ...edited, version, updatedAt: now };
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action, entityType: 'payment_channel', entityId: platform, before: masked(before), after: masked(after) },
        now,
      );
      return view(after);
    });
  }

  private findKey(s: ChannelState, keyId: string): StoredKey {
    const key = s.keys.find((k) => k.id === keyId);
    if (!key) throw new DomainError('CHANNEL_KEY_NOT_FOUND', `密钥 ${keyId} 不存在，请刷新后重试`);
    return key;
  }

  private requireVault(what: '保存' | '读取'): SecretVault {
    if (!this.vault)
      throw new DomainError(
        'VAULT_UNAVAILABLE',
        `未配置密钥保管库，无法${what}渠道密钥（密钥绝不以明文保存）。桌面版使用操作系统密钥链；浏览器预览和支付服务请设置环境变量 PAY_VAULT_PASSPHRASE（至少 12 位）后重启`,
      );
    return this.vault;
  }

  private sealSecret(plain: string, at: number): SealedSecret {
    const vault = this.requireVault('保存');
    return { sealed: vault.seal(plain), fingerprint: fingerprintOf(plain), setAt: at };
  }

  private sealPrivateKey(text: string, label: string, at: number): SealedSecret {
    const parsed = this.parse(() => parsePrivateKey(text, label));
    const vault = this.requireVault('保存');
    return { sealed: vault.seal(parsed.pkcs8Pem), fingerprint: parsed.fingerprint, setAt: at };
  }

  private parse<T>(work: () => T): T {
    try {
      return work();
    } catch (e) {
      throw new DomainError('INVALID_INPUT', (e as Error).message);
    }
  }
}
