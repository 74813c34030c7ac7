import { createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import type { ChannelInput } from '../../src-main/api/contract';
import { fingerprintOf, publicKeyFingerprint } from '../../src-main/security/key-material';
import { PassphraseVault } from '../../src-main/security/vault';
import { callers, type Caller } from '../support/callers';
import { testKeyPair } from '../support/gateway-keys';
import { STORE_KINDS, testApp } from '../support/stores';

// scrypt is slow on purpose: one vault for the whole file.
const vault = new PassphraseVault('test vault passphrase 2026', randomBytes(16));

const merchant = testKeyPair('channel-merchant');
const alipayApp = testKeyPair('channel-alipay-app');
const platformOld = testKeyPair('channel-platform-old');
const CERT_PEM = readFileSync(join(import.meta.dirname, '../fixtures/channels/wechat-platform-cert.pem'), 'utf8');
const ALIPAY_PUBLIC_KEY = readFileSync(join(import.meta.dirname, '../fixtures/alipay/alipay-public-key.pem'), 'utf8');
const CERT_SERIAL = '05157F09EFDC096DE15EBE81A47057A7232F0B6E';
const API_V3_KEY = 'Wx3ApiKey0123456789abcdefGHIJKLM';
const BANK_KEY_OLD = 'bank-api-key-OLD-0123456789abcdef0123';
const BANK_KEY_NEW = 'bank-api-key-NEW-fedcba9876543210fedc';

/** The base64 lines of a PEM body: none of them may appear anywhere in the database. */
const pemLines = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));
const spkiFingerprint = (pem: string) => publicKeyFingerprint(createPublicKey(pem));

const wechat = (patch: Partial<ChannelInput<'channels.update'> & { platform: 'wechat' }> = {}): ChannelInput<'channels.update'> => ({
  platform: 'wechat',
  enabled: false,
  sandbox: false,
  appId: 'wx1234567890abcdef',
  mchId: '1900000109',
  merchantSerialNo: '3775b6a45acd588826d15e583a95f5dd',
  endpoint: 'https://api.mch.weixin.qq.com',
  version: null,
  ...patch,
});

describe.each(STORE_KINDS)('支付渠道配置 on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let admin: Caller;
  let c: Awaited<ReturnType<typeof callers>>;
  beforeEach(async () => {
    ({ app, close } = await testApp(kind, { vault }));
    c = await callers(app);
    admin = c.admin;
  });
  afterEach(() => close());

  const rawDatabase = async () => {
    const rows = await app.store.dataSource.query('SELECT * FROM channel_configs');
    const audit = await app.store.dataSource.query('SELECT before_json, after_json FROM audit_log');
    return JSON.stringify(rows) + JSON.stringify(audit);
  };
  const versionOf = async (platform: 'wechat' | 'alipay' | 'bank') => (await app.channelConfigs.get(platform)).version;
  const auditCount = async () => (await app.audit.list({}, 1, 1)).total;

  async function configureWechat(): Promise<void> {
    await admin.ok('channels.update', wechat({ merchantPrivateKey: merchant.privateKeyPem, apiV3Key: API_V3_KEY }));
    await admin.ok('channels.addKey', { platform: 'wechat', keyId: 'PUB_KEY_ID_0114232134912410000000000000', material: platformOld.publicKeyPem, version: 1 });
    await admin.ok('channels.update', wechat({ enabled: true, version: 2 }));
  }

  it('secrets are sealed at rest: the raw rows hold no secret and no PEM body, the gateway gets them back', async () => {
    await configureWechat();
    await admin.ok('channels.update', { platform: 'alipay', enabled: false, sandbox: true, appId: '2021000000000001', gatewayUrl: 'http://127.0.0.1:9000/gateway.do', appPrivateKey: alipayApp.privateKeyPem, version: null });
    await admin.ok('channels.addKey', { platform: 'alipay', keyId: 'alipay-2026', material: ALIPAY_PUBLIC_KEY, version: 1 });
    await admin.ok('channels.addKey', { platform: 'bank', material: BANK_KEY_OLD, version: null });

    const raw = await rawDatabase();
    for (const secret of [API_V3_KEY, BANK_KEY_OLD, Buffer.from(API_V3_KEY).toString('base64'), ...pemLines(merchant.privateKeyPem), ...pemLines(alipayApp.privateKeyPem)])
      expect(raw.includes(secret), `raw database contains ${secret.slice(0, 12)}…`).toBe(false);
    expect(raw).toContain('v1:passphrase:');
    // Public material is not secret and is kept as it is.
    expect(raw).toContain(pemLines(platformOld.publicKeyPem)[1]);

    const wx = await app.channelConfigs.loadForGateway('wechat');
    expect(wx).toMatchObject({ platform: 'wechat', enabled: true, sandbox: false, appId: 'wx1234567890abcdef', mchId: '1900000109', merchantSerialNo: '3775B6A45ACD588826D15E583A95F5DD', apiV3Key: API_V3_KEY });
    expect(wx.merchantPrivateKeyPem).toBe(merchant.privateKeyPem.trim());
    expect(wx.platformKeys).toEqual([{ serial: 'PUB_KEY_ID_0114232134912410000000000000', publicKeyPem: platformOld.publicKeyPem.trim(), retired: false }]);
    const ali = await app.channelConfigs.loadForGateway('alipay');
    expect(ali.appPrivateKeyPem).toBe(alipayApp.privateKeyPem.trim());
    expect(ali.alipayPublicKeys.map((k) => [k.id, spkiFingerprint(k.publicKeyPem), k.retired])).toEqual([['alipay-2026', spkiFingerprint(ALIPAY_PUBLIC_KEY), false]]);
    // The bank has a key but no merchant number yet: incomplete, so no adapter can be built from it.
    await expect(app.channelConfigs.loadForGateway('bank')).rejects.toThrow('支付渠道「银行卡」尚未配置完整：缺少基本信息');
  });

  it('the screen sees fingerprints only, never a secret', async () => {
    await configureWechat();
    const overview = await admin.ok('channels.get', {});
    expect(overview.vault).toEqual({ kind: 'passphrase', label: '口令加密（AES-256-GCM）', available: true });
    const text = JSON.stringify(overview);
    for (const secret of [API_V3_KEY, ...pemLines(merchant.privateKeyPem)]) expect(text.includes(secret)).toBe(false);
    const wx = overview.channels.find((ch) => ch.platform === 'wechat')!;
    expect(wx.secrets).toEqual([
      expect.objectContaining({ name: 'merchantPrivateKey', set: true, fingerprint: spkiFingerprint(merchant.publicKeyPem), display: `已设置 · 指纹 ${spkiFingerprint(merchant.publicKeyPem)}` }),
      expect.objectContaining({ name: 'apiV3Key', set: true, fingerprint: fingerprintOf(API_V3_KEY), display: `已设置 · 指纹 ${fingerprintOf(API_V3_KEY)}` }),
    ]);
    expect(wx.keys).toEqual([expect.objectContaining({ keyId: 'PUB_KEY_ID_0114232134912410000000000000', fingerprint: spkiFingerprint(platformOld.publicKeyPem), current: true, retired: false })]);
    expect(wx.missing).toEqual([]);
    const bank = overview.channels.find((ch) => ch.platform === 'bank')!;
    expect(bank).toMatchObject({ version: null, enabled: false, keys: [], missing: ['基本信息', '在用的API 密钥'] });
  });

  it('saving without a secret keeps the stored one; typing one replaces it', async () => {
    await configureWechat();
    const before = await app.channelConfigs.loadForGateway('wechat');
    await admin.ok('channels.update', wechat({ enabled: true, mchId: '1900000110', merchantPrivateKey: '', version: 3 }));
    const kept = await app.channelConfigs.loadForGateway('wechat');
    expect(kept).toMatchObject({ mchId: '1900000110', apiV3Key: before.apiV3Key, merchantPrivateKeyPem: before.merchantPrivateKeyPem });
    const next = 'Nx3ApiKey0123456789abcdefGHIJKLM';
    await admin.ok('channels.update', wechat({ enabled: true, mchId: '1900000110', apiV3Key: next, version: 4 }));
    expect((await app.channelConfigs.loadForGateway('wechat')).apiV3Key).toBe(next);
  });

  it('rotation: the old platform key stays valid for verification until it is removed', async () => {
    await configureWechat();
    const OLD = 'PUB_KEY_ID_0114232134912410000000000000';
    let v = await admin.ok('channels.addKey', { platform: 'wechat', keyId: CERT_SERIAL.toLowerCase(), material: CERT_PEM, version: 3 });
    expect(v.keys.map((k) => [k.keyId, k.current, k.retired])).toEqual([
      [OLD, false, false],
      [CERT_SERIAL, true, false],
    ]);
    expect(v.keys[1]?.validTo).toBe(Date.parse('Nov 23 03:42:34 2036 GMT'));
    let gw = await app.channelConfigs.loadForGateway('wechat');
    expect(gw.platformKeys.map((k) => k.serial)).toEqual([CERT_SERIAL, OLD]);
    // The certificate's key is handed over as a plain public key.
    expect(spkiFingerprint(gw.platformKeys[0]!.publicKeyPem)).toBe(v.keys[1]?.fingerprint);

    const inUse = await admin.call('channels.removeKey', { platform: 'wechat', keyId: OLD, version: 4 });
    expect(inUse).toEqual({ ok: false, error: { code: 'CHANNEL_KEY_IN_USE', message: `密钥 ${OLD} 仍在使用：请先停用，确认平台已改用新密钥后再移除` } });

    v = await admin.ok('channels.retireKey', { platform: 'wechat', keyId: OLD, version: 4 });
    expect(v.keys.find((k) => k.keyId === OLD)).toMatchObject({ retired: true, current: false });
    gw = await app.channelConfigs.loadForGateway('wechat');
    expect(gw.platformKeys.map((k) => [k.serial, k.retired])).toEqual([
      [CERT_SERIAL, false],
      [OLD, true],
    ]);

    const last = await admin.call('channels.retireKey', { platform: 'wechat', keyId: CERT_SERIAL, version: 5 });
    expect(last.ok ? '' : last.error.code).toBe('CHANNEL_KEY_LAST');

    v = await admin.ok('channels.removeKey', { platform: 'wechat', keyId: OLD, version: 5 });
    expect(v.keys.map((k) => k.keyId)).toEqual([CERT_SERIAL]);
    expect((await app.channelConfigs.loadForGateway('wechat')).platformKeys.map((k) => k.serial)).toEqual([CERT_SERIAL]);
  });

  it('bank api_keys rotate the same way and stay sealed: the new one signs, the old one still verifies', async () => {
    await admin.ok('channels.update', { platform: 'bank', enabled: false, sandbox: true, merchantId: 'M100001', terminalId: 'T01', gatewayUrl: 'http://127.0.0.1:9100', version: null });
    await admin.ok('channels.addKey', { platform: 'bank', keyId: 'K2025', material: BANK_KEY_OLD, version: 1 });
    await admin.ok('channels.update', { platform: 'bank', enabled: true, sandbox: true, merchantId: 'M100001', terminalId: 'T01', gatewayUrl: 'http://127.0.0.1:9100', version: 2 });
    const v = await admin.ok('channels.addKey', { platform: 'bank', keyId: 'K2026', material: BANK_KEY_NEW, version: 3 });
    expect(v.keys.map((k) => [k.keyId, k.kind, k.fingerprint, k.current])).toEqual([
      ['K2025', 'api_key', fingerprintOf(BANK_KEY_OLD), false],
      ['K2026', 'api_key', fingerprintOf(BANK_KEY_NEW), true],
    ]);
    expect(await app.channelConfigs.loadForGateway('bank')).toEqual({
      platform: 'bank',
      enabled: true,
      sandbox: true,
      merchantId: 'M100001',
      terminalId: 'T01',
      gatewayUrl: 'http://127.0.0.1:9100',
      apiKey: BANK_KEY_NEW,
      previousApiKeys: [BANK_KEY_OLD],
    });
    const raw = await rawDatabase();
    expect(raw.includes(BANK_KEY_OLD) || raw.includes(BANK_KEY_NEW)).toBe(false);
    await admin.ok('channels.retireKey', { platform: 'bank', keyId: 'K2025', version: 4 });
    await admin.ok('channels.removeKey', { platform: 'bank', keyId: 'K2025', version: 5 });
    expect((await app.channelConfigs.loadForGateway('bank')).previousApiKeys).toEqual([]);
    const dup = await admin.call('channels.addKey', { platform: 'bank', keyId: 'K2027', material: BANK_KEY_NEW, version: 6 });
    expect(dup).toEqual({ ok: false, error: { code: 'CHANNEL_KEY_DUPLICATE', message: '该密钥已在列表中（编号 K2026）' } });
  });

  it('only administrators may see or change channel configuration', async () => {
    await configureWechat();
    const before = await auditCount();
    for (const role of ['accountant', 'cashier', 'approver', 'auditor'] as const) {
      const who = await c.as(role);
      const calls = [
        who.raw('channels.get', {}),
        who.raw('channels.update', wechat({ apiV3Key: 'Ev1lApiKey0123456789abcdefGHIJKL', version: 4 })),
        who.raw('channels.addKey', { platform: 'bank', material: BANK_KEY_OLD, version: null }),
        who.raw('channels.retireKey', { platform: 'wechat', keyId: 'PUB_KEY_ID_0114232134912410000000000000', version: 4 }),
        who.raw('channels.removeKey', { platform: 'wechat', keyId: 'PUB_KEY_ID_0114232134912410000000000000', version: 4 }),
      ];
      for (const r of await Promise.all(calls)) expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '没有权限：配置支付渠道（商户号与密钥）。请联系管理员开通。' } });
    }
    expect((await app.channelConfigs.loadForGateway('wechat')).apiV3Key).toBe(API_V3_KEY);
    expect(await versionOf('bank')).toBeNull();
    // Each refusal is itself audited (access.denied), and nothing else is.
    const log = await app.audit.list({}, 1, 100);
    expect(log.total - before).toBe(4 * 5 + 4 /* the four users created */);
    expect(log.items.filter((e) => e.action.startsWith('channel.')).length).toBe(3);
  });

  it.each([
    [{ apiV3Key: 'too-short' }, 'APIv3 密钥：应为 32 个字符（字母、数字或符号，不含空格）'],
    [{ merchantPrivateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' }, '商户私钥：无法解析：请粘贴完整的 PEM 私钥（-----BEGIN PRIVATE KEY----- 开头），且不能设置密码'],
    [{ merchantPrivateKey: 'PUBLIC' }, '商户私钥：无法解析'],
    [{ appId: 'wx123' }, 'AppID：应为 wx 开头的 18 位（小程序/公众号 AppID）'],
    [{ mchId: '12ab' }, '商户号：应为 8–12 位数字'],
    [{ endpoint: 'http://api.mch.weixin.qq.com' }, '接口地址：非沙箱模式必须使用 https:// 地址'],
    [{ endpoint: 'not a url' }, '接口地址：不是有效的网址（例如 https://api.example.com）'],
    [{ enabled: true }, '启用前请先设置：商户私钥、APIv3 密钥、在用的微信支付平台公钥'],
  ])('bad input %j is refused in Chinese and changes nothing', async (patch, message) => {
    const before = await auditCount();
    const r = await admin.raw('channels.update', wechat(patch as Partial<ChannelInput<'channels.update'> & { platform: 'wechat' }>));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message.startsWith(message), r.error.message).toBe(true);
      expect(r.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await versionOf('wechat')).toBeNull();
    expect(await auditCount()).toBe(before);
    expect(await rawDatabase()).not.toContain('wx1234567890abcdef');
  });

  it('bad keys are refused in Chinese: a private key where a public one belongs, a short api_key, a serial that is not the certificate’s', async () => {
    const cases: [ChannelInput<'channels.addKey'>, string][] = [
      [{ platform: 'alipay', material: alipayApp.privateKeyPem, version: null }, '支付宝公钥：处需要公钥，粘贴的是私钥'],
      [{ platform: 'bank', material: 'short-key', version: null }, 'API 密钥：应为 32–128 个字符'],
      [{ platform: 'wechat', keyId: 'ABCDEF0123456789', material: CERT_PEM, version: null }, `密钥编号（序列号）：与证书的序列号 ${CERT_SERIAL} 不一致`],
      [{ platform: 'wechat', keyId: 'PUB_KEY_ID_1', material: 'garbage', version: null }, '微信支付平台公钥：无法解析'],
    ];
    for (const [input, message] of cases) {
      const r = await admin.call('channels.addKey', input);
      expect(r.ok ? '' : r.error.message).toMatch(new RegExp(`^${message.replace(/[()（）]/g, '.')}`));
    }
    expect((await admin.ok('channels.get', {})).channels.every((ch) => ch.version === null)).toBe(true);
  });

  it('every change is audited with masked values only', async () => {
    await configureWechat();
    await admin.ok('channels.addKey', { platform: 'bank', keyId: 'K1', material: BANK_KEY_OLD, version: null });
    const entries = (await app.audit.list({}, 1, 100)).items.filter((e) => e.action.startsWith('channel.'));
    expect(entries.map((e) => e.action).sort()).toEqual(['channel.key.add', 'channel.key.add', 'channel.update', 'channel.update']);
    for (const e of entries) {
      expect(e.entityType).toBe('payment_channel');
      for (const secret of [API_V3_KEY, BANK_KEY_OLD, ...pemLines(merchant.privateKeyPem)]) expect(`${e.before}${e.after}`.includes(secret)).toBe(false);
    }
    const first = entries.find((e) => e.action === 'channel.update' && e.before === null)!;
    expect(JSON.parse(first.after!)).toMatchObject({ apiV3Key: `已设置 · 指纹 ${fingerprintOf(API_V3_KEY)}`, mchId: '1900000109', enabled: false, keys: '—' });
    const bankAdd = entries.find((e) => e.entityId === 'bank')!;
    expect(JSON.parse(bankAdd.after!).keys).toBe(`K1（在用 · 指纹 ${fingerprintOf(BANK_KEY_OLD)}）`);
    expect((await app.audit.verify()).ok).toBe(true);
  });

  it('two administrators editing at once: the second is told to reload', async () => {
    await admin.ok('channels.update', wechat());
    const r = await admin.call('channels.update', wechat({ mchId: '1900000110', version: null }));
    expect(r).toEqual({ ok: false, error: { code: 'CONCURRENT_UPDATE', message: '数据已被他人修改，请刷新后重试' } });
  });
});

describe.each(STORE_KINDS)('without a vault on %s', (kind) => {
  it('channel secrets cannot be saved, never in plain text; public settings still can', async () => {
    const { app, close } = await testApp(kind);
    try {
      const { admin } = await callers(app);
      expect((await admin.ok('channels.get', {})).vault).toEqual({ kind: null, label: null, available: false });
      const r = await admin.call('channels.update', wechat({ apiV3Key: API_V3_KEY }));
      expect(r.ok ? '' : r.error.code).toBe('VAULT_UNAVAILABLE');
      expect(r.ok ? '' : r.error.message).toMatch(/^未配置密钥保管库，无法保存渠道密钥（密钥绝不以明文保存）/);
      const bank = await admin.call('channels.addKey', { platform: 'bank', material: BANK_KEY_OLD, version: null });
      expect(bank.ok ? '' : bank.error.code).toBe('VAULT_UNAVAILABLE');
      const rows = JSON.stringify(await app.store.dataSource.query('SELECT * FROM channel_configs'));
      expect(rows.includes(API_V3_KEY) || rows.includes(BANK_KEY_OLD)).toBe(false);
      const saved = await admin.ok('channels.update', wechat());
      expect(saved.secrets.every((s) => !s.set)).toBe(true);
    } finally {
      await close();
    }
  });
});
