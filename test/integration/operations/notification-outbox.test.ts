import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { SYSTEM_ACTOR } from '../../../src-main/services/actor';
import { NotificationDispatcher } from '../../../src-main/services/notifications/notification-dispatcher';
import { SimulatedProvider, type NotificationProvider, type OutgoingMessage } from '../../../src-main/services/notifications/notification-provider';
import { callers } from '../../support/callers';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';

describe.each(STORE_KINDS)('notification outbox on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    ({ app, close } = await testApp(kind, { clock }));
  });
  afterEach(() => close());

  const newOrder = (payerId = 'C0001') =>
    app.orders.create(SYSTEM_ACTOR, { amountFen: 12_345, method: 'wechat', type: 'supplier_payment', relatedId: 'R1', description: '测试', payerId });
  const pay = (orderNo: string) => ({ orderNo, amountFen: 12_345, gatewayTradeNo: `42000${orderNo.slice(-10)}`, paidAt: clock.now() });
  const outbox = () => app.store.read((r) => r.outbox.list({}, 1, 100));

  it('a paid order enqueues one "支付成功" to its payer in the paying transaction; a replay adds nothing', async () => {
    const o = await newOrder();
    await app.orders.confirmPayment(SYSTEM_ACTOR, pay(o.orderNo));
    await app.orders.confirmPayment(SYSTEM_ACTOR, pay(o.orderNo));
    const { items } = await outbox();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ channel: 'wechat_template', recipient: 'C0001', templateCode: 'payment_success', status: 'pending', orderNo: o.orderNo, params: { orderNo: o.orderNo, amount: '123.45' } });

    const c = await callers(app);
    const shown = await (await c.as('auditor')).ok('notifications.list', {});
    expect(shown.items[0]).toMatchObject({ recipient: 'C0***01', templateLabel: '支付成功' });
    expect(shown.items[0]).not.toHaveProperty('params');
    expect(shown.items[0]!.content).toContain('123.45');
    expect(shown.counts).toEqual({ pending: 1 });
  });

  it('a failed transaction enqueues nothing', async () => {
    const o = await newOrder();
    await expect(
      app.store.transaction(async (tx) => {
        await app.orders.confirmPaymentIn(tx, SYSTEM_ACTOR, pay(o.orderNo));
        throw new Error('boom after the payment');
      }),
    ).rejects.toThrow('boom');
    expect((await outbox()).total).toBe(0);
    expect((await app.orders.get(o.orderNo)).order.status).toBe('pending');
  });

  it('retries with backoff, then marks the item failed; a sent item is not sent again', async () => {
    const failing = new SimulatedProvider(clock, () => ({ message: '短信网关超时' }));
    const d = new NotificationDispatcher(app.store, failing, clock, app.operations.logger, 'w1', { delays: [1000, 2000] });
    const id = (await app.notifications.enqueueNow({ channel: 'sms', recipient: '13812345678', templateCode: 'meal_bill_reminder', params: { billNo: 'B1', amount: '10.00', dueAt: '明天' } }))!;
    expect(await d.runOnce()).toEqual({ sent: [], retrying: [id], failed: [] });
    expect(await d.runOnce()).toEqual({ sent: [], retrying: [], failed: [] }); // not due yet
    clock.advance(1000);
    expect((await d.runOnce()).retrying).toEqual([id]);
    clock.advance(2000);
    expect((await d.runOnce()).failed).toEqual([id]);
    clock.advance(60_000);
    expect(await d.runOnce()).toEqual({ sent: [], retrying: [], failed: [] });
    const [item] = (await outbox()).items;
    expect(item).toMatchObject({ status: 'failed', attempts: 3, error: '短信网关超时' });
    const logged = await app.logs.query({ keyword: String(id), levels: ['error'] }, 1, 10);
    expect(logged.items[0]).toMatchObject({ event: 'message.failed', category: 'notification' });

    const ok = new NotificationDispatcher(app.store, app.operations.provider, clock, app.operations.logger, 'w2');
    const id2 = (await app.notifications.enqueueNow({ channel: 'email', recipient: 'a@b.cn', templateCode: 'payment_success', params: {} }))!;
    expect((await ok.runOnce()).sent).toEqual([id2]);
    expect((await ok.runOnce()).sent).toEqual([]);
    expect((await app.notifications.counts())).toEqual({ failed: 1, sent: 1 });
  });

  it('two dispatchers working at once never send the same item twice', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push((await app.notifications.enqueueNow({ channel: 'sms', recipient: `1380000${String(i).padStart(4, '0')}`, templateCode: 'payment_success', params: {} }))!);
    const sent: number[] = [];
    const slow: NotificationProvider = {
      name: 'slow',
      send: async (m: OutgoingMessage) => {
        await new Promise((r) => setTimeout(r, 2));
        sent.push(m.id);
        return { providerRef: `R${m.id}` };
      },
    };
    const a = new NotificationDispatcher(app.store, slow, clock, app.operations.logger, 'a', { batch: 7 });
    const b = new NotificationDispatcher(app.store, slow, clock, app.operations.logger, 'b', { batch: 7 });
    const drain = async (d: NotificationDispatcher) => {
      let n = 0;
      for (let round = 0; round < 20; round++) n += (await d.runOnce()).sent.length;
      return n;
    };
    const [na, nb] = await Promise.all([drain(a), drain(b)]);
    expect(na + nb).toBe(40);
    expect([...sent].sort((x, y) => x - y)).toEqual(ids);
    expect(await app.notifications.counts()).toEqual({ sent: 40 });
    if (kind === 'mysql') expect(na > 0 && nb > 0).toBe(true);
  });
});
