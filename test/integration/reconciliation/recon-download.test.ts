import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { DAY_MS, MINUTE_MS } from '../../../src-main/core/time';
import { AlipayGateway } from '../../../src-main/gateways/alipay/alipay-gateway';
import { makeTransport, type HttpTransport } from '../../../src-main/gateways/http';
import { AlipayPlatform } from '../../../src-main/gateways/simulator/alipay-platform';
import { Simulator } from '../../../src-main/gateways/simulator/simulator';
import { WechatPlatform } from '../../../src-main/gateways/simulator/wechat-platform';
import { WechatPayGateway } from '../../../src-main/gateways/wechat/wechat-gateway';
import { GatewayRegistry } from '../../../src-main/services/payments/gateway-registry';
import { ADMIN_PASSWORD, callers, type Caller } from '../../support/callers';
import { testKeyPair, testSecret } from '../../support/gateway-keys';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { addLocal } from './recon-world';

const wxMerchant = testKeyPair('wechat-merchant');
const wxPlatform = testKeyPair('wechat-platform');
const aliMerchant = testKeyPair('alipay-merchant');
const aliPlatform = testKeyPair('alipay-platform');
const apiV3Key = testSecret(16);
const WX = { mchid: '1900000109', appid: 'wxd678efh567hg6787', serial: '3775B6A45ACD588826D15E583A95F5DD00000000', pub: 'PUB_KEY_ID_0114232134912410000000000000' };
const ALI = { appId: '2021000149600001', pid: '2088621000000001' };
const DAY = '2026-11-26';

/**
 * 从平台下载账单 through the contract (recon.runFromPlatform), on both stores, against the simulated
 * WeChat Pay and Alipay: the day's bill downloaded by the real adapters (WeChat's SHA1 check),
 * reconciled at once; a bill not published yet, a day without a bill and a file that fails its check
 * are refused in Chinese and leave no run behind.
 */
describe.each(STORE_KINDS)('downloading the day’s bill from the platform on %s', (kind) => {
  let clock: TestClock;
  let sim: Simulator;
  let wx: WechatPlatform;
  let ali: AlipayPlatform;
  let receiver: Server;
  let notifyUrl = '';
  let registry: GatewayRegistry;
  let app: App;
  let close: () => Promise<void>;
  let accountant: Caller;
  let c: Awaited<ReturnType<typeof callers>>;
  /** The clock moves by hours: the accountant signs in again as they would the next morning. */
  const later = async (ms: number) => {
    clock.advance(ms);
    accountant = c.fresh();
    await accountant.ok('auth.login', { username: 'accountant', password: ADMIN_PASSWORD });
  };

  const wxGateway = (transport: HttpTransport = makeTransport({ platform: 'wechat', sandbox: true })) =>
    new WechatPayGateway({ mchid: WX.mchid, appid: WX.appid, merchantSerialNo: WX.serial, merchantPrivateKeyPem: wxMerchant.privateKeyPem, apiV3Key, platformKeys: [{ serial: WX.pub, publicKeyPem: wxPlatform.publicKeyPem }], endpoint: sim.url, timeoutMs: 2000 }, transport, clock);
  const aliGateway = () => new AlipayGateway({ appId: ALI.appId, sellerId: ALI.pid, merchantPrivateKey: aliMerchant.privateKeyPem, alipayPublicKeys: [{ key: aliPlatform.publicKeyPem }], gatewayUrl: `${sim.url}/gateway.do` }, makeTransport({ platform: 'alipay', sandbox: true }), clock);
  /** A payment the platform took (through the adapter and the simulator's pay page). */
  const payOnPlatform = async (platform: 'wechat' | 'alipay', orderNo: string, amountFen: number) => {
    const req = { orderNo, amountFen, description: '包间餐费', expireAt: clock.now() + 30 * MINUTE_MS, notifyUrl, scene: platform === 'wechat' ? ('wechat_native' as const) : ('alipay_precreate' as const) };
    await registry.get(platform).createPayment(req);
    await (platform === 'wechat' ? wx.pay(orderNo) : ali.pay(orderNo));
  };
  const runs = async () => (await accountant.ok('recon.listRuns', {})).total;

  beforeEach(async () => {
    clock = new TestClock(); // 2026-11-26 10:00 Shanghai
    sim = new Simulator({ clock, timeScale: 0.001 });
    wx = new WechatPlatform(sim.context, { mchid: WX.mchid, appid: WX.appid, apiV3Key, merchantKeys: [{ serial: WX.serial, publicKeyPem: wxMerchant.publicKeyPem }], platformKey: { serial: WX.pub, privateKeyPem: wxPlatform.privateKeyPem } });
    ali = new AlipayPlatform(sim.context, { appId: ALI.appId, pid: ALI.pid, merchantPublicKeys: [aliMerchant.publicKeyPem], alipayPrivateKey: aliPlatform.privateKeyPem });
    sim.add(wx);
    sim.add(ali);
    await sim.start();
    // The platforms' payment notifications are not what this test is about: acknowledged and dropped.
    receiver = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('success'));
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    notifyUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/notify`;
    registry = new GatewayRegistry({ wechat: wxGateway(), alipay: aliGateway() });
    ({ app, close } = await testApp(kind, { gateways: registry, clock }));
    c = await callers(app);
    accountant = await c.as('accountant');

    // The day on the platforms: A and B paid by WeChat, C by Alipay, X by WeChat for an order we never had.
    await payOnPlatform('wechat', 'P20261126A', 9900);
    await payOnPlatform('wechat', 'P20261126B', 100);
    await payOnPlatform('wechat', 'P20261126X', 1234);
    await payOnPlatform('alipay', 'P20261126C', 6600);
    // Our side: A as paid, B with another amount, L a payment the platform never saw; C by Alipay.
    await addLocal(app, [
      { orderNo: 'P20261126A', amountFen: 9900, status: 'success', paidAt: clock.now() },
      { orderNo: 'P20261126B', amountFen: 150, status: 'success', paidAt: clock.now() },
      { orderNo: 'P20261126L', amountFen: 500, status: 'success', paidAt: clock.now() },
      { orderNo: 'P20261126C', amountFen: 6600, status: 'success', paidAt: clock.now(), method: 'alipay' },
    ]);
  });
  afterEach(async () => {
    await close();
    await sim.stop();
    receiver.closeAllConnections();
    await new Promise((ok) => receiver.close(ok));
  });

  it('downloads, checks and reconciles the day; differences as in an imported bill', async () => {
    await later(DAY_MS + MINUTE_MS); // 2026-11-27 10:01: WeChat publishes the 26th after 10:00
    const run = await accountant.ok('recon.runFromPlatform', { channel: 'wechat', date: DAY });
    expect(run).toMatchObject({ channel: 'wechat', date: DAY, status: 'done', fileName: `wechat-${DAY}.csv`, bill: { count: 3, paidFen: 9900 + 100 + 1234 }, matched: { count: 1, amountFen: 9900 } });
    expect(run.sha256).toMatch(/^[0-9a-f]{64}$/);
    const diffs = await accountant.ok('recon.listDiffs', { runId: run.runId, sortBy: 'key', sortOrder: 'asc' });
    expect(diffs.items.map((d) => [d.key, d.type])).toEqual([
      ['P20261126B', 'amount'],
      ['P20261126L', 'missing_platform'],
      ['P20261126X', 'missing_local'],
    ]);
    const started = (await app.audit.list({ action: 'recon.run.start' }, 1, 10)).items;
    expect(started.map((a) => a.actorName)).toEqual(['accountant 用户']);

    const alipay = await accountant.ok('recon.runFromPlatform', { channel: 'alipay', date: DAY });
    expect(alipay).toMatchObject({ channel: 'alipay', fileName: `alipay-${DAY}.zip`, matched: { count: 1, amountFen: 6600 }, differenceCount: 0 });
  });

  it('says so in Chinese when the bill is not there yet, when a day has none, when the file fails its check or the platform fails — and leaves no run', async () => {
    expect(await accountant.call('recon.runFromPlatform', { channel: 'wechat', date: DAY })).toEqual({
      ok: false,
      error: { code: 'RECON_BILL_NOT_READY', message: `微信支付 ${DAY} 的账单尚未生成：支付平台在次日提供前一天的账单，只能下载昨天及以前的账单` },
    });
    await later(DAY_MS - 2 * 60 * MINUTE_MS); // 2026-11-27 08:00: the 26th is still being prepared
    expect(await accountant.call('recon.runFromPlatform', { channel: 'wechat', date: DAY })).toEqual({
      ok: false,
      error: { code: 'RECON_BILL_NOT_READY', message: `微信支付 ${DAY} 的账单尚未生成：支付平台在次日上午提供前一天的账单，请稍后再试` },
    });
    await later(3 * 60 * MINUTE_MS); // 11:00
    expect(await accountant.call('recon.runFromPlatform', { channel: 'wechat', date: '2026-11-25' })).toEqual({
      ok: false,
      error: { code: 'RECON_BILL_NOT_FOUND', message: '微信支付没有 2026-11-25 的账单（当天没有交易，或账单尚未生成）' },
    });
    // The file is altered on its way: the SHA1 WeChat signed does not match.
    const real = makeTransport({ platform: 'wechat', sandbox: true });
    const corrupting: HttpTransport = async (req) => {
      const res = await real(req);
      return req.url.includes('/v3/billdownload/file') ? { ...res, body: Buffer.from(res.body.toString().replace('99.00', '9.90')) } : res;
    };
    registry.set('wechat', wxGateway(corrupting));
    const tampered = await accountant.call('recon.runFromPlatform', { channel: 'wechat', date: DAY });
    expect(tampered).toMatchObject({ ok: false, error: { code: 'RECON_BILL_UNVERIFIED' } });
    expect(!tampered.ok && tampered.error.message).toBe('下载的微信支付账单没有通过校验，未导入：下载的账单文件 SHA1 与微信支付给出的摘要不符（文件损坏或被篡改）。请重新下载；如反复出现，请联系支付平台');
    // The platform answers 500.
    registry.set('wechat', wxGateway());
    sim.inject('wechat', { kind: 'server_error', operation: 'bill' });
    const failed = await accountant.call('recon.runFromPlatform', { channel: 'wechat', date: DAY });
    expect(failed).toMatchObject({ ok: false, error: { code: 'RECON_BILL_DOWNLOAD_FAILED', message: expect.stringMatching(/^下载微信支付账单失败：.+。请检查网络后重试$/) } });
    expect(await accountant.call('recon.runFromPlatform', { channel: 'bank', date: DAY })).toMatchObject({ ok: false, error: { code: 'CHANNEL_NOT_CONFIGURED', message: expect.stringContaining('银行卡尚未配置') } });
    expect(await accountant.call('recon.runFromPlatform', { channel: 'wechat', date: '2026-02-30' })).toMatchObject({ ok: false, error: { code: 'RECON_DATE_INVALID' } });
    expect(await runs()).toBe(0);
  });
});
