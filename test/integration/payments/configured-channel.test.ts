import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { Simulator } from '../../../src-main/gateways/simulator/simulator';
import { WechatPlatform } from '../../../src-main/gateways/simulator/wechat-platform';
import { PassphraseVault } from '../../../src-main/security/vault';
import { GatewayRegistry } from '../../../src-main/services/payments/gateway-registry';
import { callers, type Caller } from '../../support/callers';
import { testKeyPair } from '../../support/gateway-keys';
import { testApp } from '../../support/stores';

/**
 * Real endpoints are configuration, not code: a WeChat channel saved on 支付渠道配置 (keys sealed by
 * the vault) becomes the adapter used for payments — here pointed at a separate simulated WeChat
 * Pay whose keys only the saved configuration knows. Switching the channel off removes it again.
 */
describe('a payment channel configured in the app is the one used', () => {
  const merchant = testKeyPair('configured-merchant');
  const platform = testKeyPair('configured-platform');
  const apiV3Key = randomBytes(16).toString('hex');
  const ids = { mchid: '1900000999', appid: 'wx1111222233334444', serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01', platformSerial: 'PUB_KEY_ID_0119000009992026000000000000000099' };
  let sim: Simulator;
  let app: App;
  let close: () => Promise<void>;
  let admin: Caller;

  beforeAll(async () => {
    sim = new Simulator({ timeScale: 0.001 });
    sim.add(new WechatPlatform(sim.context, { mchid: ids.mchid, appid: ids.appid, apiV3Key, merchantKeys: [{ serial: ids.serial, publicKeyPem: merchant.publicKeyPem }], platformKey: { serial: ids.platformSerial, privateKeyPem: platform.privateKeyPem } }));
    await sim.start();
    ({ app, close } = await testApp('sqlite', { gateways: new GatewayRegistry({}), vault: new PassphraseVault('configured channel test passphrase', randomBytes(16)) }));
    admin = (await callers(app)).admin;
  });
  afterAll(async () => {
    await close();
    await sim.stop();
  });

  it('not configured: collecting is refused with a clear message', async () => {
    const order = await app.orders.create({ id: 1, name: '出纳' }, { amountFen: 100, method: 'wechat', type: 'customer_order', relatedId: '', description: '', payerId: '' });
    await expect(app.payments.start({ id: 1, name: '出纳' }, { orderNo: order.orderNo, scene: 'wechat_native' })).rejects.toThrow('支付渠道「wechat」尚未配置');
  });

  it('configured through the contract: the next payment goes to that platform with those keys', async () => {
    const base = { platform: 'wechat' as const, sandbox: true, appId: ids.appid, mchId: ids.mchid, merchantSerialNo: ids.serial, endpoint: sim.url };
    await admin.ok('channels.update', { ...base, enabled: false, merchantPrivateKey: merchant.privateKeyPem, apiV3Key, version: null });
    await admin.ok('channels.addKey', { platform: 'wechat', keyId: ids.platformSerial, material: platform.publicKeyPem, version: 1 });
    await admin.ok('channels.update', { ...base, enabled: true, version: 2 });
    const order = await app.orders.create({ id: 1, name: '出纳' }, { amountFen: 2_500, method: 'wechat', type: 'customer_order', relatedId: '', description: '测试', payerId: '' });
    const started = await app.payments.start({ id: 1, name: '出纳' }, { orderNo: order.orderNo, scene: 'wechat_native' });
    expect(started.result).toMatchObject({ kind: 'qr' });
    expect(sim.get('wechat').ledger.trades.get(order.orderNo)).toMatchObject({ amountFen: 2_500 });
    await sim.get('wechat').pay(order.orderNo);
    expect(await app.payments.sync(order.orderNo)).toMatchObject({ state: 'paid', amountFen: 2_500 });
    expect((await app.orders.get(order.orderNo)).order.status).toBe('paid');
  });

  it('switched off: the channel is no longer used', async () => {
    const v = (await app.channelConfigs.get('wechat')).version;
    await admin.ok('channels.update', { platform: 'wechat', enabled: false, sandbox: true, appId: ids.appid, mchId: ids.mchid, merchantSerialNo: ids.serial, endpoint: sim.url, version: v });
    const order = await app.orders.create({ id: 1, name: '出纳' }, { amountFen: 100, method: 'wechat', type: 'customer_order', relatedId: '', description: '', payerId: '' });
    await expect(app.payments.start({ id: 1, name: '出纳' }, { orderNo: order.orderNo, scene: 'wechat_native' })).rejects.toThrow('尚未配置');
  });
});
