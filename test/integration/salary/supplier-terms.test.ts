import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../../src-main/app';
import type { ChannelInput } from '../../../src-main/api/contract';
import { callers, type Caller } from '../../support/callers';
import { freshStore, STORE_KINDS, TEST_AUDIT_KEY, type TestStore } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { DAY_MS } from '../../../src-main/core/time';
import { SYSTEM_ACTOR } from '../../../src-main/services/actor';
import { FakeBatches } from './fake-batches';

// 2026-11-26 10:00 Asia/Shanghai.
const TODAY = '2026-11-26';

describe.each(STORE_KINDS)('supplier batches by contract payment terms on %s', (kind) => {
  let store: TestStore;
  let clock: TestClock;
  let app: App;
  let fake: FakeBatches;
  let admin: Caller;
  let accountant: Caller;
  const others: App[] = [];

  beforeEach(async () => {
    store = await freshStore(kind, { sqliteFile: true });
    app = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, clock: (clock = new TestClock()), workerId: 'one' });
    fake = new FakeBatches(app);
    app.salary.useBatches(fake);
    const c = await callers(app);
    admin = c.admin;
    accountant = await c.as('accountant', 'acc1');
  });
  afterEach(async () => {
    for (const o of others.splice(0)) await o.close();
    await app.close();
    await store.drop();
  });

  const supplier = (name: string, over: Partial<ChannelInput<'suppliers.create'>> = {}) =>
    admin.ok('suppliers.create', {
      name, payeeChannel: 'bank', bankName: '中国工商银行', bankBranch: '杭州西湖支行', accountNo: '6222021234567890123', accountName: name, contactPhone: '13812345678',
      paymentTermDays: 30, ...over,
    });
  /** A payable invoiced `daysAgo` before today on a 30-day term: due today when 30 days ago. */
  const payable = (supplierId: number, ref: string, amount: string, invoiceDate: string) =>
    admin.ok('payables.create', { supplierId, referenceNo: ref, description: '货款', amount, invoiceDate });
  const get = async (id: number) => (await admin.ok('payables.get', { id })).payable;

  /** 鲜丰 with two due payables (one half paid before), one not due; 海鲜 with one due and one held by a submitted 付款单, one in a draft 付款单; 停用 inactive. */
  async function world() {
    const a = await supplier('鲜丰食材有限公司');
    const b = await supplier('海鲜供应有限公司', { payeeChannel: 'alipay', alipayLogin: 'seafood@example.com', bankName: '', accountNo: '' });
    const off = await supplier('停用供应商');
    const a1 = await payable(a.id, 'A-1', '3000', '2026-10-27'); // due today
    const a2 = await payable(a.id, 'A-2', '2000', '2026-10-01'); // overdue
    const a3 = await payable(a.id, 'A-3', '9999', '2026-10-28'); // due tomorrow
    const b1 = await payable(b.id, 'B-1', '800', '2026-10-20');
    const b2 = await payable(b.id, 'B-2', '500', '2026-10-20');
    const b3 = await payable(b.id, 'B-3', '700', '2026-10-20');
    const o1 = await payable(off.id, 'O-1', '100', '2026-10-01');
    await admin.ok('suppliers.update', { id: off.id, version: off.version, name: off.name, payeeChannel: 'bank', bankName: '中国工商银行', accountName: off.name, paymentTermDays: 30, active: false });
    // Half of A-2 was paid by a 付款单 earlier: the batch pays what is still open.
    const part = await admin.ok('supplierpayments.create', { supplierId: a.id, allocations: [{ payableId: a2.id, amount: '1000' }], purpose: '部分付款' });
    await app.store.transaction(async (tx) => {
      const p = (await tx.suppliers.findPayable(a2.id))!;
      await tx.suppliers.updatePayable(p.id, p.version, { paidFen: 100_000, status: 'open' });
    });
    await admin.ok('supplierpayments.cancel', { paymentNo: part.paymentNo });
    const held = await admin.ok('supplierpayments.create', { supplierId: b.id, allocations: [{ payableId: b2.id, amount: '500' }], purpose: '已提交' });
    await admin.ok('supplierpayments.submit', { paymentNo: held.paymentNo });
    await admin.ok('supplierpayments.create', { supplierId: b.id, allocations: [{ payableId: b3.id, amount: '700' }], purpose: '草稿' });
    return { a, b, a1, a2, a3, b1, b2, b3, o1 };
  }

  it('drafts one batch of the payables falling due, one line per supplier, skipping what a 付款单 or another batch is paying; reserved until settled', async () => {
    const w = await world();
    const r = await accountant.ok('payables.draftBatch', {});
    expect(r).toMatchObject({ runDate: TODAY, dueTo: TODAY, supplierCount: 2, payableCount: 3, amountFen: 300_000 + 100_000 + 80_000 });
    expect(fake.drafts).toHaveLength(1);
    const d = fake.drafts[0]!;
    expect(d.input).toMatchObject({ type: 'supplier', sourceKind: 'supplier_terms', sourceRef: TODAY, title: `${TODAY} 供应商到期付款` });
    expect(d.input.lines).toEqual([
      {
        payeeName: '鲜丰食材有限公司', channel: 'bank', account: '6222021234567890123', bankName: '中国工商银行 杭州西湖支行', amountFen: 400_000, remark: '应付款 A-1、A-2',
        supplierId: w.a.id, payableIds: [w.a1.id, w.a2.id], contactPhone: '13812345678',
      },
      { payeeName: '海鲜供应有限公司', channel: 'alipay', account: 'seafood@example.com', bankName: undefined, amountFen: 80_000, remark: '应付款 B-1', supplierId: w.b.id, payableIds: [w.b1.id], contactPhone: '13812345678' },
    ]);
    expect(await get(w.a1.id)).toMatchObject({ status: 'in_payment', reservedFen: 300_000, openFen: 0 });
    expect(await get(w.a2.id)).toMatchObject({ status: 'in_payment', paidFen: 100_000, reservedFen: 100_000, openFen: 0 });
    for (const untouched of [w.a3, w.b3, w.o1]) expect((await get(untouched.id)).reservedFen).toBe(0);

    // Neither a 付款单 nor a second batch can pay them again.
    const twice = await accountant.call('payables.draftBatch', {});
    expect(twice.ok || twice.error.code).toBe('SUPPLIER_TERMS_NOTHING_DUE');
    const order = await admin.call('supplierpayments.create', { supplierId: w.a.id, allocations: [{ payableId: w.a1.id, amount: '1' }], purpose: '重复' });
    expect(order.ok || order.error.code).toBe('PAYMENT_EXCEEDS_OPEN');

    const [ia, ib] = fake.items(d.batchId);
    await fake.settle(ia!, 'failed', '账户冻结'); // kept: it may be fixed and re-sent
    expect(await get(w.a1.id)).toMatchObject({ status: 'in_payment', reservedFen: 300_000 });
    await fake.settle(ia!, 'success');
    await fake.settle(ia!, 'success'); // replay
    expect(await get(w.a1.id)).toMatchObject({ status: 'paid', paidFen: 300_000, reservedFen: 0 });
    expect(await get(w.a2.id)).toMatchObject({ status: 'paid', paidFen: 200_000, reservedFen: 0 });
    await fake.settle(ib!, 'cancelled');
    await fake.settle(ib!, 'success'); // a late answer after the cancel changes nothing
    expect(await get(w.b1.id)).toMatchObject({ status: 'open', paidFen: 0, reservedFen: 0, openFen: 80_000 });

    const history = (await admin.ok('payables.get', { id: w.a1.id })).history.map((h) => h.action);
    expect(history).toEqual(['payable.create', 'payable.reserve_batch', 'payable.paid']);
    // Cancelled: B-1 is due again and goes into the next batch.
    const next = await accountant.ok('payables.draftBatch', {});
    expect(next).toMatchObject({ supplierCount: 1, payableCount: 1, amountFen: 80_000 });
  });

  it('the daily job drafts at most one batch a day across instances, and none when switched off or nothing is due', async () => {
    await world();
    let second = app;
    let secondFake = fake;
    if (kind === 'mysql') {
      second = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, clock, workerId: 'two' });
      others.push(second);
      secondFake = new FakeBatches(second);
      second.salary.useBatches(secondFake);
    }
    const runs = await Promise.all([app.salary.supplierTerms.runDaily(), second.salary.supplierTerms.runDaily(), app.salary.supplierTerms.runDaily()]);
    expect(runs.filter(Boolean)).toHaveLength(1);
    expect(kind === 'mysql' ? fake.drafts.length + secondFake.drafts.length : fake.drafts.length).toBe(1);
    expect(await app.salary.supplierTerms.runDaily()).toBeNull();
    const audit = await app.audit.list({ action: 'supplier_terms.batch' }, 1, 10);
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorName: '系统', entityId: TODAY });

    // The next day: switched off, nothing; switched on, A-3 (due that day) alone.
    clock.advance(DAY_MS);
    const s = await app.settings.payoutSchedule();
    await app.settings.updatePayoutSchedule(SYSTEM_ACTOR, { salary: s.salary, supplierTerms: { autoDraft: false, leadDays: 0 } }, s.version);
    expect(await app.salary.supplierTerms.runDaily()).toBeNull();
    await app.settings.updatePayoutSchedule(SYSTEM_ACTOR, { salary: s.salary, supplierTerms: { autoDraft: true, leadDays: 0 } }, (s.version ?? 0) + 1);
    expect(await app.salary.supplierTerms.runDaily()).toMatchObject({ runDate: '2026-11-27', payableCount: 1, amountFen: 999_900 });
    // The day after, nothing is due: no batch, and the day is marked done.
    clock.advance(DAY_MS);
    expect(await app.salary.supplierTerms.runDaily()).toBeNull();
    expect(await app.store.read((tx) => tx.supplierTerms.findRun('2026-11-28'))).toMatchObject({ batchNo: null, lineCount: 0 });
  });
});
