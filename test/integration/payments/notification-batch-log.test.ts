import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';

/**
 * The payment path writes one log line per batch of applied notifications (notify.batch), not one
 * per notification; the rejection-rate alert still counts every notification behind it.
 */
describe.each(STORE_KINDS)('batch log lines and the rejection-rate alert on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, close } = await testApp(kind, { clock: new TestClock() }));
  });
  afterEach(() => close());

  const rejections = (n: number) => {
    for (let i = 0; i < n; i++) app.metrics.rejected('wechat', 'bad_signature');
  };

  it('one line for a batch, with the count of each outcome', async () => {
    app.metrics.batchApplied(['wechat', 'wechat', 'wechat'], ['applied', 'duplicate', 'applied'], 12.4, 1);
    const lines = await app.logs.query({}, 1, 10);
    const batch = lines.items.filter((e) => e.event === 'notify.batch');
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({ message: 'wechat 支付通知 3 条：入账 2，重复 1', fields: { count: 3, applied: 2, duplicate: 1, attempts: 1, ms: 12 } });
  });

  it('8 rejections beside a batch of 100 notifications stay below the rate (8 of 108, not 8 of 9)', async () => {
    app.metrics.batchApplied(Array(100).fill('wechat'), Array(100).fill('applied'), 5, 1);
    rejections(8);
    expect(await app.alerts.evaluate()).toEqual([]);
  });

  it('the same 8 rejections beside a batch of 30 notifications raise it', async () => {
    app.metrics.batchApplied(Array(30).fill('wechat'), Array(30).fill('applied'), 5, 1);
    rejections(8);
    const breaches = await app.alerts.evaluate();
    expect(breaches.map((b) => [b.kind, b.numerator, b.denominator])).toEqual([['notify_rejection_rate', 8, 38]]);
  });
});
