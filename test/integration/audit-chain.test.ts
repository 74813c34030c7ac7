import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { openApp } from '../../src-main/app';
import { freshStore, STORE_KINDS, TEST_AUDIT_KEY, type TestStore } from '../support/stores';
import { TestClock } from '../support/test-clock';

const clerk = { id: 1, name: '张会计' };
const deposit = { amountFen: 50000, method: 'wechat' as const, type: 'customer_order' as const, relatedId: '', description: '', payerId: '' };

describe.each(STORE_KINDS)('the hash-chained audit log on %s', (kind) => {
  let store: TestStore;
  let app: App;
  beforeEach(async () => {
    // A file-backed SQLite, so the store can be reopened with another key.
    store = await freshStore(kind, { sqliteFile: true });
    app = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, clock: new TestClock() });
    for (let i = 0; i < 5; i++) {
      const o = await app.orders.create(clerk, deposit);
      if (i === 2) await app.orders.cancel(clerk, o.orderNo, 'admin');
    }
  });
  afterEach(async () => {
    await app.close();
    await store.drop();
  });

  const sql = (q: string) => app.store.dataSource.query(q);

  it('verifies an untouched chain', async () => {
    expect(await app.audit.verify()).toEqual({ ok: true, checked: 6, headSeq: 6 });
    expect(await app.audit.verify(2)).toEqual({ ok: true, checked: 6, headSeq: 6 });
  });

  it('finds the first entry whose content was edited', async () => {
    await sql(`UPDATE audit_log SET after_json = REPLACE(after_json, '50000', '5000') WHERE seq = 3`);
    expect(await app.audit.verify()).toEqual({ ok: false, checked: 2, brokenAtSeq: 3, reason: '记录内容被修改' });
  });

  it('finds a removed entry in the middle and one removed at the end', async () => {
    await sql(`DELETE FROM audit_log WHERE seq = 4`);
    expect(await app.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 4, reason: '缺少第 4 条记录' });
  });

  it('finds truncation of the tail through the head record', async () => {
    await sql(`DELETE FROM audit_log WHERE seq = 6`);
    expect(await app.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 6, reason: '日志末尾的记录被删除' });
  });

  it('a forged entry without the key does not verify, even with a correct link', async () => {
    const last = (await app.audit.list({}, 1, 1)).items[0]!;
    await sql(`UPDATE audit_log SET actor_name = '李出纳' WHERE seq = ${last.seq}`);
    expect(await app.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: last.seq });
  });

  it('another key cannot verify the chain', async () => {
    await app.close();
    app = await openApp({ store: store.config, auditKey: Buffer.alloc(32, 9), expiryIntervalMs: 0 });
    expect(await app.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 1 });
  });

  it('queries by time, operator and action', async () => {
    const all = await app.audit.list({}, 1, 50);
    expect(all.total).toBe(6);
    expect(all.items.map((e) => e.seq)).toEqual([6, 5, 4, 3, 2, 1]);
    expect((await app.audit.list({ action: 'order.cancel' }, 1, 50)).total).toBe(1);
    expect((await app.audit.list({ actorId: 1 }, 1, 50)).total).toBe(6);
    expect((await app.audit.list({ actorId: 2 }, 1, 50)).total).toBe(0);
    expect((await app.audit.list({ from: all.items[0]!.at + 1 }, 1, 50)).total).toBe(0);
    expect(await app.audit.actions()).toEqual(['order.cancel', 'order.create']);
  });
});
