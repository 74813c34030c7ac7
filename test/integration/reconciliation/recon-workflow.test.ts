import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { callers, type Caller } from '../../support/callers';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { addLocal, at, bill } from './recon-world';

const D = '2025-03-10';

describe.each(STORE_KINDS)('the differences workflow through the contract on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let admin: Caller;
  let accountant: Caller;
  let c: Awaited<ReturnType<typeof callers>>;
  const diffId = async (key: string) => (await accountant.ok('recon.listDiffs', { search: key })).items.find((d) => d.key === key)!.id;
  const audits = async (action: string) => (await app.audit.list({ action }, 1, 50)).items;

  beforeEach(async () => {
    ({ app, close } = await testApp(kind, { clock: new TestClock(at('2025-03-11', '10:30:00')) }));
    c = await callers(app);
    admin = c.admin;
    accountant = await c.as('accountant');
    await addLocal(
      app,
      [
        { orderNo: 'P02', amountFen: 10000, status: 'success', paidAt: at(D, '09:10:00') },
        { orderNo: 'P03', amountFen: 5000, status: 'pending', paidAt: null },
        { orderNo: 'P05', amountFen: 7000, status: 'success', paidAt: at(D, '12:00:00') },
        { orderNo: 'P06', amountFen: 3000, status: 'success', paidAt: at(D, '13:00:00'), tradeNo: '4200P06a' },
        { orderNo: 'P12', amountFen: 20000, status: 'success', paidAt: at(D, '08:00:00') },
      ],
      [{ refundNo: 'R02', orderNo: 'P12', amountFen: 5000, feeFen: -30, state: 'success', succeededAt: at(D, '15:10:00') }],
    );
    await app.recon.runDay(
      { id: null, name: '测试' },
      {
        channel: 'wechat',
        date: D,
        bill: bill('wechat', D, [
          { key: 'P02', amountFen: 9000, at: at(D, '09:10:01') },
          { key: 'P03', amountFen: 5000, at: at(D, '10:00:00') },
          { key: 'P04', amountFen: 8800, at: at(D, '11:00:00'), platformNo: '4200P04' },
          { key: 'P06', amountFen: 3000, at: at(D, '13:00:00'), platformNo: '4200P06a' },
          { key: 'P06', amountFen: 3000, at: at(D, '13:05:00'), platformNo: '4200P06b' },
          { key: 'P12', amountFen: 20000, at: at(D, '08:00:00') },
          { kind: 'refund', key: 'R02', orderNo: 'P12', amountFen: 5000, feeFen: -31, at: at(D, '15:10:00') },
        ]),
      },
    );
  });
  afterEach(() => close());

  it('lists, filters, sorts and searches differences in SQL and shows both records of one', async () => {
    const all = await accountant.ok('recon.listDiffs', { sortBy: 'amount', sortOrder: 'desc' });
    expect(all.items.map((d) => [d.key, d.type, d.amountFen])).toEqual([
      ['P04', 'missing_local', 8800],
      ['P05', 'missing_platform', 7000],
      ['P03', 'status', 5000],
      ['P06', 'duplicate_platform', 3000],
      ['P02', 'amount', 1000],
      ['R02', 'fee', 1],
    ]);
    expect((await accountant.ok('recon.listDiffs', { types: ['fee', 'amount'], sortBy: 'key', sortOrder: 'asc' })).items.map((d) => d.key)).toEqual(['P02', 'R02']);
    expect((await accountant.ok('recon.listDiffs', { kind: 'refund' })).total).toBe(1);
    expect((await accountant.ok('recon.listDiffs', { search: '4200P06b' })).items.map((d) => d.key)).toEqual(['P06']);
    expect((await accountant.ok('recon.listDiffs', { page: 2, pageSize: 4 })).items).toHaveLength(2);
    const d = await accountant.ok('recon.getDiff', { diffId: await diffId('P06') });
    expect(d.typeLabel).toBe('重复单（平台）');
    expect(d.diff.platform.map((r) => r.platformNo)).toEqual(['4200P06a', '4200P06b']);
    expect(d.diff.local).toHaveLength(1);
    const runs = await accountant.ok('recon.listRuns', { channel: 'wechat' });
    expect(runs.items[0]).toMatchObject({ date: D, differenceCount: 6, matched: { count: 1, amountFen: 20000 } });
  });

  it('assign, note and status are audited, checked against the version, and closing needs a reason', async () => {
    const id = await diffId('P02');
    const users = await admin.ok('users.list', {});
    const me = users.find((u) => u.username === 'accountant')!;
    const assigned = await accountant.ok('recon.assignDiff', { diffId: id, assigneeId: me.id, version: 1 });
    expect(assigned.diff).toMatchObject({ assigneeName: 'accountant 用户', status: 'in_progress', version: 2 });
    const stale = await accountant.call('recon.setDiffStatus', { diffId: id, status: 'ignored', reason: 'x', version: 1 });
    expect(stale).toEqual({ ok: false, error: { code: 'CONCURRENT_UPDATE', message: '该差异已被他人处理，请刷新后重试' } });
    await accountant.ok('recon.noteDiff', { diffId: id, body: '平台少收 10 元，待核实' });
    const noReason = await accountant.call('recon.setDiffStatus', { diffId: id, status: 'resolved', version: 2 });
    expect(noReason).toEqual({ ok: false, error: { code: 'RECON_REASON_REQUIRED', message: '请填写处理说明' } });
    const done = await accountant.ok('recon.setDiffStatus', { diffId: id, status: 'resolved', reason: '与平台核对一致', version: 2 });
    expect(done.diff).toMatchObject({ status: 'resolved', resolution: 'manual', resolutionNote: '与平台核对一致' });
    expect(done.notes.map((n) => [n.authorName, n.body])).toEqual([['accountant 用户', '平台少收 10 元，待核实']]);
    expect((await audits('recon.diff.assign')).map((a) => a.entityId)).toEqual([String(id)]);
    expect(await audits('recon.diff.note')).toHaveLength(1);
    expect(await audits('recon.diff.status')).toHaveLength(1);
    // Who may not resolve, may not touch it.
    const auditor = await c.as('auditor');
    expect(await auditor.call('recon.noteDiff', { diffId: id, body: 'x' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await auditor.ok('recon.getDiff', { diffId: id })).notes).toHaveLength(1);
  });

  it('keep ours, adjust, and accept the platform: each settles the difference with an audited decision', async () => {
    const p05 = await diffId('P05');
    const kept = await accountant.ok('recon.actOnDiff', { diffId: p05, action: { kind: 'keep_local', reason: '平台次日补单' } });
    expect(kept.diff).toMatchObject({ status: 'resolved', resolution: 'keep_local', resolutionNote: '平台次日补单', resolvedByName: 'accountant 用户' });
    expect(await audits('recon.diff.keep_local')).toHaveLength(1);

    const p02 = await diffId('P02');
    const adjusted = await accountant.ok('recon.actOnDiff', { diffId: p02, action: { kind: 'adjust', account: 'amount', direction: 'decrease', amount: '10.00', reason: '平台按 90 元结算' } });
    expect(adjusted.adjustments).toEqual([expect.objectContaining({ account: 'amount', amountFen: -1000, reason: '平台按 90 元结算', createdByName: 'accountant 用户' })]);
    expect(adjusted.diff).toMatchObject({ status: 'resolved', resolution: 'adjust' });
    expect(await audits('recon.adjustment')).toHaveLength(1);
    expect(await audits('recon.diff.adjust')).toHaveLength(1);

    // A fee difference accepted from the platform is a fee adjustment of the platform's figure.
    const r02 = await diffId('R02');
    const fee = await accountant.ok('recon.actOnDiff', { diffId: r02, action: { kind: 'accept_platform', reason: '以微信账单为准' } });
    expect(fee.adjustments).toEqual([expect.objectContaining({ account: 'fee', amountFen: -1 })]);
    expect(fee.diff.resolution).toBe('accept_platform');

    // Money the platform took for an order we never had: registered as a 支付异常 for refund.
    const p04 = await diffId('P04');
    const accepted = await accountant.ok('recon.actOnDiff', { diffId: p04, action: { kind: 'accept_platform', reason: '平台确有收款' } });
    expect(accepted.diff).toMatchObject({ status: 'resolved', resolution: 'accept_platform' });
    expect(accepted.diff.resolutionNote).toContain('已登记为支付异常');
    const exceptions = await app.payments.exceptions('open', 1, 10);
    expect(exceptions.items).toEqual([expect.objectContaining({ orderNo: 'P04', platformTradeNo: '4200P04', amountFen: 8800, kind: 'unknown_order' })]);

    // A pending order the platform says is paid: only what the platform confirms is applied; here it confirms nothing.
    const p03 = await diffId('P03');
    const refused = await accountant.call('recon.actOnDiff', { diffId: p03, action: { kind: 'accept_platform', reason: '平台已收款' } });
    expect(refused).toEqual({ ok: false, error: { code: 'RECON_PLATFORM_NOT_CONFIRMED', message: '支付平台未确认该笔付款，不能以平台记录为准；请稍后重新查询' } });
    expect((await app.store.read((r) => r.orders.findByNo('P03')))?.status).toBe('pending');
    const requeried = await accountant.ok('recon.actOnDiff', { diffId: p03, action: { kind: 'requery' } });
    expect(requeried.diff.status).toBe('in_progress');
    expect(requeried.notes.map((n) => n.body)).toEqual(['重新查询支付平台 — 本系统未向平台发起过该笔支付，平台无可查询的交易']);
    expect(await audits('recon.diff.requery')).toHaveLength(1);

    // A closed difference takes no further action.
    const again = await accountant.call('recon.actOnDiff', { diffId: p05, action: { kind: 'keep_local', reason: '再次' } });
    expect(again).toMatchObject({ ok: false, error: { code: 'RECON_DIFF_CLOSED' } });
  });

  it('a duplicate payment at the platform becomes a 支付异常 and a refund waiting for approval', async () => {
    const p06 = await diffId('P06');
    // An approver may resolve nothing; a cashier-like role without recon:resolve neither.
    const approver = await c.as('approver');
    expect(await approver.call('recon.actOnDiff', { diffId: p06, action: { kind: 'refund_duplicate', reason: '重复扣款' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const r = await accountant.ok('recon.actOnDiff', { diffId: p06, action: { kind: 'refund_duplicate', reason: '客户重复扣款，原路退回' } });
    expect(r.diff).toMatchObject({ status: 'in_progress', resolution: 'refund_duplicate', refundNo: expect.stringMatching(/^R\d{20}$/) });
    const refund = await app.refunds.get(r.diff.refundNo!);
    expect(refund.refund ?? refund).toMatchObject({ state: 'pending_approval', amountFen: 3000, source: 'exception' });
    const ex = await app.payments.exceptions('open', 1, 10);
    expect(ex.items).toEqual([expect.objectContaining({ orderNo: 'P06', platformTradeNo: '4200P06b', kind: 'duplicate_payment', amountFen: 3000 })]);
    const pending = await admin.ok('approvals.list', { scope: 'all' });
    expect(JSON.stringify(pending)).toContain(r.diff.refundNo!);
    expect(await audits('recon.diff.refund_duplicate')).toHaveLength(1);
    expect(await audits('refund.request')).toHaveLength(1);
  });
});
