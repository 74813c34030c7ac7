import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src-main/services/actor';
import { fingerprintOf } from '../../src-main/security/key-material';
import { PassphraseVault } from '../../src-main/security/vault';
import { ADMIN_PASSWORD } from '../support/callers';
import { testKeyPair } from '../support/gateway-keys';
import { startE2E, type E2E } from './support/harness';

/**
 * 支付渠道配置 through the real UI: an administrator enters WeChat Pay's merchant number, private key
 * and APIv3 key and adds a platform key; the page then shows fingerprints only, and the gateway side
 * gets the real values back. A colleague without the permission neither sees nor opens the page.
 */
describe('支付渠道配置 end to end', () => {
  let e: E2E;
  let page: Page;
  const merchant = testKeyPair('e2e-channel-merchant');
  const platform = testKeyPair('e2e-channel-platform');
  const API_V3_KEY = 'E2eApiV3Key0123456789abcdefGHIJK';

  beforeAll(async () => {
    e = await startE2E('sqlite', { vault: new PassphraseVault('e2e vault passphrase', randomBytes(16)) });
    page = e.page;
    const form = page.getByTestId('setup-form');
    await form.getByLabel('用户名').fill('admin');
    await form.getByLabel('姓名').fill('系统管理员');
    await form.getByLabel('密码', { exact: true }).fill(ADMIN_PASSWORD);
    await form.getByLabel('确认密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    await page.getByTestId('current-user').filter({ hasText: '系统管理员' }).waitFor();
  });
  afterAll(() => e?.close());

  it('the administrator configures WeChat Pay; secrets come back as fingerprints only', async () => {
    await page.getByTestId('side-nav').getByText('支付渠道配置').click();
    await expect.poll(() => page.getByTestId('vault-notice').textContent()).toContain('口令加密');
    const form = page.getByTestId('channel-form-wechat');
    await form.getByLabel('AppID').fill('wx1234567890abcdef');
    await form.getByLabel('商户号').fill('1900000109');
    await form.getByLabel('商户证书序列号').fill('3775B6A45ACD588826D15E583A95F5DD');
    await form.getByLabel('沙箱模式').click(); // new channels start in sandbox mode: switch to production
    await page.getByTestId('secret-apiV3Key').fill('too-short');
    await page.getByTestId('save-channel-wechat').click();
    await expect.poll(() => form.textContent()).toContain('APIv3 密钥：应为 32 个字符');
    expect((await e.app.channelConfigs.get('wechat')).version).toBeNull();

    // A password input has one line: the PEM arrives without its line breaks and is re-wrapped by the main process.
    await page.getByTestId('secret-merchantPrivateKey').fill(merchant.privateKeyPem);
    await page.getByTestId('secret-apiV3Key').fill(API_V3_KEY);
    await page.getByTestId('save-channel-wechat').click();
    await expect.poll(() => page.getByTestId('secret-state-apiV3Key').textContent()).toContain(`已设置（指纹 ${fingerprintOf(API_V3_KEY)}…`);
    expect(await page.getByTestId('secret-apiV3Key').inputValue()).toBe('');
    await expect.poll(() => page.getByTestId('secret-apiV3Key').getAttribute('placeholder')).toBe(`已设置（指纹 ${fingerprintOf(API_V3_KEY)}…）`);

    await page.getByTestId('add-key-wechat').click();
    const add = page.getByTestId('add-key-form-wechat');
    await add.getByLabel('序列号 / 公钥 ID').fill('PUB_KEY_ID_0114232134912410000000000000');
    await add.locator('textarea').fill(platform.publicKeyPem);
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await expect.poll(() => page.getByTestId('key-table-wechat').textContent()).toContain('在用');
    await add.waitFor({ state: 'hidden' });

    const html = await page.content();
    expect(html).not.toContain(API_V3_KEY);
    for (const line of merchant.privateKeyPem.split('\n').filter((l) => l && !l.startsWith('-----'))) expect(html).not.toContain(line);
    await e.shot('channels-01-wechat');

    const gw = await e.app.channelConfigs.loadForGateway('wechat');
    expect(gw).toMatchObject({ mchId: '1900000109', sandbox: false, apiV3Key: API_V3_KEY, merchantPrivateKeyPem: merchant.privateKeyPem.trim() });
    expect(gw.platformKeys.map((k) => k.serial)).toEqual(['PUB_KEY_ID_0114232134912410000000000000']);
  });

  it('the bank tab: an api_key is added to the rotation list and shown by fingerprint', async () => {
    await page.getByTestId('channel-tab-bank').click();
    await page.getByTestId('add-key-bank').click();
    const add = page.getByTestId('add-key-form-bank');
    await add.getByLabel('密钥编号').fill('K2026');
    await add.getByLabel('API 密钥').fill('bank-api-key-e2e-0123456789abcdef0123');
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await expect.poll(() => page.getByTestId('key-table-bank').textContent()).toContain(fingerprintOf('bank-api-key-e2e-0123456789abcdef0123'));
    await add.waitFor({ state: 'hidden' });
    await e.shot('channels-02-bank');
  });

  it('an accountant neither sees nor opens the page', async () => {
    await e.app.users.create(SYSTEM_ACTOR, { username: 'kuaiji', displayName: '会计甲', password: ADMIN_PASSWORD, role: 'accountant' });
    const other = await e.newPage();
    const login = other.getByTestId('login-form');
    await login.getByLabel('用户名').fill('kuaiji');
    await login.getByLabel('密码').fill(ADMIN_PASSWORD);
    await other.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => other.getByTestId('current-user').textContent()).toBe('会计甲');
    expect(await other.getByTestId('side-nav').getByText('支付渠道配置').count()).toBe(0);
    await other.goto(`${e.host.url}/#/channels`);
    await expect.poll(() => other.getByTestId('forbidden').textContent()).toContain('没有权限：配置支付渠道（商户号与密钥）');
  });
});
