import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { MINUTE_MS } from '../../../src-main/core/time';
import { callers } from '../../support/callers';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';

const ORDER = 'P20261126100000123456';

describe.each(STORE_KINDS)('系统日志 and alerts on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    ({ app, close } = await testApp(kind, { clock }));
  });
  afterEach(() => close());

  const logger = () => app.operations.logger;

  it('queries by time, level, order number and keyword, newest first, with counts per level', async () => {
    const t0 = clock.now();
    logger().info('payment', 'notify.applied', 'wechat 支付通知：applied', { orderNo: ORDER, fields: { platform: 'wechat' } });
    clock.advance(1000);
    logger().warn('payment', 'notify.rejected', '拒绝了 alipay 的支付通知：签名错误 100%_done', { fields: { platform: 'alipay' } });
    clock.advance(1000);
    logger().error('error', 'gateway.error', '调用 bank 接口失败', { orderNo: ORDER, fields: { bankCard: '6222021234567890', apiKey: 'sk-live' } });
    clock.advance(60 * MINUTE_MS);
    logger().info('operation', 'rest.call', 'GET /api/payment/orders → 200');

    const c = await callers(app);
    const all = await c.admin.ok('logs.query', {});
    expect(all.total).toBe(4);
    expect(all.items.map((e) => e.event)).toEqual(['rest.call', 'gateway.error', 'notify.rejected', 'notify.applied']);
    // Never a secret or a full card number in what is stored.
    expect(all.items[1]!.fields).toEqual({ bankCard: '622202******7890', apiKey: '[已隐藏]' });

    expect((await c.admin.ok('logs.query', { orderNo: ORDER })).items.map((e) => e.level)).toEqual(['error', 'info']);
    expect((await c.admin.ok('logs.query', { levels: ['warn', 'error'] })).total).toBe(2);
    expect((await c.admin.ok('logs.query', { from: t0, to: t0 + 2001 })).total).toBe(3);
    // `%` and `_` are literal; the keyword also finds field contents.
    expect((await c.admin.ok('logs.query', { keyword: '100%_done' })).total).toBe(1);
    expect((await c.admin.ok('logs.query', { keyword: '100%x' })).total).toBe(0);
    expect((await c.admin.ok('logs.query', { keyword: 'alipay' })).items.map((e) => e.event)).toEqual(['notify.rejected']);
    expect((await c.admin.ok('logs.query', { page: 2, pageSize: 3 })).items.map((e) => e.event)).toEqual(['notify.applied']);

    expect(await c.admin.ok('logs.counts', {})).toEqual({ info: 2, warn: 1, error: 1 });
    expect(await c.admin.ok('logs.counts', { orderNo: ORDER })).toEqual({ info: 1, error: 1 });
    const auditor = await c.as('auditor');
    expect((await auditor.ok('logs.query', {})).total).toBe(4);
  });

  it('keeps 90 days of index on start-up', async () => {
    logger().info('system', 'old', 'old');
    clock.advance(91 * 24 * 60 * MINUTE_MS);
    logger().info('system', 'new', 'new');
    await logger().flush();
    await app.logs.purge();
    const left = await app.logs.query({}, 1, 10);
    expect(left.items.map((e) => e.event)).toEqual(['log.purged', 'new']);
  });

  it('raises an alert once per window while the rejection rate stays high, then again after acknowledgement', async () => {
    const reject = (n: number) => {
      for (let i = 0; i < n; i++) logger().warn('payment', 'notify.rejected', 'x');
    };
    for (let i = 0; i < 8; i++) logger().info('payment', 'notify.applied', 'ok');
    reject(1);
    expect(await app.alerts.evaluate()).toEqual([]); // 1 of 9: below both the sample minimum and the rate

    reject(2); // 3 of 11 = 27%
    expect((await app.alerts.evaluate()).map((b) => b.kind)).toEqual(['notify_rejection_rate']);
    clock.advance(30_000);
    await app.alerts.evaluate();
    let list = await app.alerts.list(true, 1, 10);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ kind: 'notify_rejection_rate', count: 1, level: 'warn' });

    // Next window, still failing: the same alert counts a second window.
    clock.advance(5 * MINUTE_MS);
    for (let i = 0; i < 10; i++) logger().warn('payment', 'notify.rejected', 'x');
    await app.alerts.evaluate();
    list = await app.alerts.list(true, 1, 10);
    expect(list.items[0]).toMatchObject({ count: 2, level: 'error', lastAt: clock.now() });

    const c = await callers(app);
    const accountant = await c.as('accountant');
    expect((await accountant.ok('alerts.list', { open: true })).openCount).toBe(1);
    const acked = await accountant.ok('alerts.acknowledge', { id: list.items[0]!.id, version: list.items[0]!.version });
    expect(acked).toMatchObject({ acknowledgedByName: 'accountant 用户', acknowledgedAt: clock.now() });
    const again = await accountant.call('alerts.acknowledge', { id: list.items[0]!.id, version: list.items[0]!.version });
    expect(again.ok ? '' : again.error.code).toBe('ALERT_ACKNOWLEDGED');
    expect(await app.alerts.openCount()).toBe(0);
    expect((await app.audit.list({ action: 'alert.acknowledge' }, 1, 10)).total).toBe(1);

    // Still breaching after acknowledgement: a new alert.
    clock.advance(1000);
    await app.alerts.evaluate();
    expect(await app.alerts.openCount()).toBe(1);
    expect((await app.alerts.list(undefined, 1, 10)).total).toBe(2);
    // An auditor reads alerts but cannot acknowledge them.
    const auditor = await c.as('auditor');
    const open = (await auditor.ok('alerts.list', { open: true })).items[0]!;
    expect((await auditor.call('alerts.acknowledge', { id: open.id, version: open.version })).ok).toBe(false);
  });

  it('gateway errors outside the window do not count', async () => {
    for (let i = 0; i < 5; i++) logger().error('error', 'gateway.error', 'down');
    clock.advance(5 * MINUTE_MS + 1);
    for (let i = 0; i < 5; i++) logger().info('payment', 'gateway.ok', 'ok');
    expect(await app.alerts.evaluate()).toEqual([]);
    logger().error('error', 'gateway.error', 'down');
    logger().error('error', 'gateway.error', 'down');
    expect(await app.alerts.evaluate()).toEqual([]); // 2 of 7 = 28.6%
    logger().error('error', 'gateway.error', 'down');
    expect((await app.alerts.evaluate()).map((b) => b.kind)).toEqual(['gateway_error_rate']); // 3 of 8 = 37.5%
  });
});
