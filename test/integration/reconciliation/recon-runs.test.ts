import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { runReport } from '../../../src-main/services/reconciliation/recon-service';
import { SYSTEM_ACTOR } from '../../../src-main/services/actor';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { addLocal, at, bill, diffsOf, type PlatformLine } from './recon-world';

const D = '2025-03-10';
const D1 = '2025-03-11';
const ME = { id: null, name: '测试会计' };

/**
 * One WeChat day with a known difference of every type, refunds, midnight records carried to the
 * next day, a closed order that is no difference, and the next day's run.
 */
async function goldenDay(app: App) {
  await addLocal(
    app,
    [
      { orderNo: 'P01', amountFen: 10000, status: 'success', paidAt: at(D, '09:00:00'), tradeNo: '4200P01' }, // matched
      { orderNo: 'P02', amountFen: 10000, status: 'success', paidAt: at(D, '09:10:00') }, // 金额差异
      { orderNo: 'P03', amountFen: 5000, status: 'pending', paidAt: null }, // 状态差异: paid at the platform
      { orderNo: 'P05', amountFen: 7000, status: 'success', paidAt: at(D, '12:00:00') }, // 平台无此单
      { orderNo: 'P06', amountFen: 3000, status: 'success', paidAt: at(D, '13:00:00') }, // 重复单（平台）
      { orderNo: 'P07', amountFen: 4000, status: 'success', paidAt: at(D, '14:00:00'), duplicates: 1 }, // 重复单（本地）
      { orderNo: 'P08', amountFen: 2500, status: 'success', paidAt: at(D, '23:58:00') }, // held (local), in D+1's bill
      { orderNo: 'P09', amountFen: 2600, status: 'success', paidAt: at(D1, '00:02:00') }, // platform held from D, ours on D+1
      { orderNo: 'P10', amountFen: 2700, status: 'success', paidAt: at(D, '23:57:00') }, // held, never billed → D+1 平台无此单
      { orderNo: 'P11', amountFen: 900, status: 'failed', paidAt: null }, // closed: no bill line, no difference
      { orderNo: 'P12', amountFen: 20000, status: 'refunded', paidAt: at(D, '08:00:00') }, // refunded payment, matched
    ],
    [
      { refundNo: 'R01', orderNo: 'P12', amountFen: 5000, feeFen: -30, state: 'success', succeededAt: at(D, '15:00:00') }, // matched
      { refundNo: 'R02', orderNo: 'P12', amountFen: 5000, feeFen: -30, state: 'success', succeededAt: at(D, '15:10:00') }, // 手续费差异
      { refundNo: 'R03', orderNo: 'P12', amountFen: 1000, feeFen: null, state: 'success', succeededAt: at(D, '16:00:00') }, // 平台无此单 (refund)
      { refundNo: 'R04', orderNo: 'P12', amountFen: 2000, feeFen: null, state: 'processing', succeededAt: null }, // 状态差异 (refund)
    ],
  );
  const lines: PlatformLine[] = [
    { key: 'P01', amountFen: 10000, at: at(D, '09:00:01'), platformNo: '4200P01' },
    { key: 'P02', amountFen: 9000, at: at(D, '09:10:01') },
    { key: 'P03', amountFen: 5000, at: at(D, '10:00:00') },
    { key: 'P04', amountFen: 8800, at: at(D, '11:00:00') }, // 漏单: nothing of ours
    { key: 'P06', amountFen: 3000, at: at(D, '13:00:00'), platformNo: '4200P06a' },
    { key: 'P06', amountFen: 3000, at: at(D, '13:05:00'), platformNo: '4200P06b' },
    { key: 'P07', amountFen: 4000, at: at(D, '14:00:00') },
    { key: 'P09', amountFen: 2600, at: at(D, '23:59:30') },
    { key: 'P12', amountFen: 20000, at: at(D, '08:00:00') },
    { kind: 'refund', key: 'R01', orderNo: 'P12', amountFen: 5000, feeFen: -30, at: at(D, '15:00:00') },
    { kind: 'refund', key: 'R02', orderNo: 'P12', amountFen: 5000, feeFen: -31, at: at(D, '15:10:00') },
    { kind: 'refund', key: 'R04', orderNo: 'P12', amountFen: 2000, feeFen: -12, at: at(D, '17:00:00') },
  ];
  return lines;
}

/** The golden day's differences: key → type. */
const GOLDEN = {
  P02: 'amount',
  P03: 'status',
  P04: 'missing_local',
  P05: 'missing_platform',
  P06: 'duplicate_platform',
  P07: 'duplicate_local',
  R02: 'fee',
  R03: 'missing_platform',
  R04: 'status',
};

describe.each(STORE_KINDS)('daily reconciliation runs on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  const clock = new TestClock(at('2025-03-12', '10:30:00'));
  beforeEach(async () => {
    ({ app, close } = await testApp(kind, { clock }));
  });
  afterEach(() => close());

  it('finds every difference type of a golden day, holds midnight records and matches them the next day without reporting them twice', async () => {
    const lines = await goldenDay(app);
    const run = await app.recon.runDay(ME, { channel: 'wechat', date: D, bill: bill('wechat', D, lines), fileName: 'wechat-2025-03-10.csv', sha256: 'ab'.repeat(32) });

    expect(run.status).toBe('done');
    expect(await diffsOf(app, run.id)).toEqual(GOLDEN);
    const report = runReport(run);
    expect(report.bill).toEqual({ count: 12, paidFen: 10000 + 9000 + 5000 + 8800 + 3000 + 3000 + 4000 + 2600 + 20000, refundedFen: 12000, feeFen: expect.any(Number) });
    // P01, P12 (payments) and R01 (refund) match; P08, P09, P10 wait for the next day.
    expect(report.matched).toEqual({ count: 3, amountFen: 10000 + 20000 + 5000 });
    expect(report.held).toBe(3);
    expect(report.differences).toEqual({
      duplicate_local: { count: 1, amountFen: 4000 },
      duplicate_platform: { count: 1, amountFen: 3000 },
      missing_local: { count: 1, amountFen: 8800 },
      missing_platform: { count: 2, amountFen: 7000 + 1000 },
      status: { count: 2, amountFen: 5000 + 2000 },
      amount: { count: 1, amountFen: 1000 },
      fee: { count: 1, amountFen: 1 },
    });
    expect(report.differenceCount).toBe(9);

    // The diff's two snapshots, field by field, with the differing fields named.
    const p02 = (await app.reconDiffs.list({ runId: run.id, search: 'P02' }, 'key', 'asc', 1, 10)).items[0]!;
    const detail = await app.reconDiffs.get(p02.id);
    expect(detail.diff.fields).toEqual(['amount']);
    expect(detail.diff.local[0]).toMatchObject({ side: 'local', key: 'P02', amountFen: 10000, state: 'success' });
    expect(detail.diff.platform[0]).toMatchObject({ side: 'platform', key: 'P02', amountFen: 9000, line: 3, raw: { 商户订单号: 'P02' } });

    // The next day: P08 arrives in the bill just after midnight, P09's order was paid here after midnight; P10 never comes.
    const next = await app.recon.runDay(ME, { channel: 'wechat', date: D1, bill: bill('wechat', D1, [{ key: 'P08', amountFen: 2500, at: at(D1, '00:00:40') }]) });
    expect(await diffsOf(app, next.id)).toEqual({ P10: 'missing_platform' });
    expect(runReport(next)).toMatchObject({ matched: { count: 2, amountFen: 2500 + 2600 }, held: 0, carried: 1, differenceCount: 1 });
    // Nothing of P08 / P09 was ever reported, on either day.
    const all = await app.reconDiffs.list({}, 'key', 'asc', 1, 100);
    expect(all.items.map((d) => d.key)).not.toContain('P08');
    expect(all.items.map((d) => d.key)).not.toContain('P09');
    expect(all.total).toBe(10);

    // The run list shows both days, current, newest first; the audit trail has the runs.
    const runs = await app.recon.listRuns({ channel: 'wechat', currentOnly: true }, 1, 10);
    expect(runs.items.map((r) => [r.billDate, r.status])).toEqual([[D1, 'done'], [D, 'done']]);
    const audit = await app.audit.list({ action: 'recon.run' }, 1, 10);
    expect(audit.items.map((e) => e.entityId).sort()).toEqual([String(run.id), String(next.id)].sort());
  });

  it('a re-run replaces the machine results but keeps notes, assignee and decisions; vanished differences are resolved by the re-run', async () => {
    const lines = await goldenDay(app);
    const first = await app.recon.runDay(ME, { channel: 'wechat', date: D, bill: bill('wechat', D, lines) });
    const find = async (key: string) => (await app.reconDiffs.list({ search: key, dateFrom: D, dateTo: D }, 'key', 'asc', 1, 10)).items.find((d) => d.key === key)!;
    const p02 = await find('P02');
    const p04 = await find('P04');
    await app.reconDiffs.note(ME, p02.id, '已联系微信支付核实金额');
    await app.reconDiffs.setStatus(ME, p04.id, 'ignored', '测试订单，平台已退回', p04.version);

    // Same bill again: same differences, same rows, human columns untouched.
    const again = await app.recon.runDay(ME, { channel: 'wechat', date: D, bill: bill('wechat', D, lines) });
    expect(again.id).not.toBe(first.id);
    expect(await diffsOf(app, again.id)).toEqual(GOLDEN);
    expect(await diffsOf(app, first.id)).toEqual({});
    const p02b = await app.reconDiffs.get(p02.id);
    expect(p02b.diff.runId).toBe(again.id);
    expect(p02b.notes.map((n) => n.body)).toEqual(['已联系微信支付核实金额']);
    expect((await app.reconDiffs.get(p04.id)).diff).toMatchObject({ status: 'ignored', resolution: 'manual', resolutionNote: '测试订单，平台已退回' });
    expect(runReport(again).held).toBe(3); // the day's held records replaced, not doubled
    expect((await app.recon.listRuns({ channel: 'wechat', dateFrom: D, dateTo: D }, 1, 10)).items.map((r) => r.isCurrent)).toEqual([true, false]);

    // The platform corrected P02 and P04 is gone from the bill: P02 resolved by the re-run (its note kept), P04 stays ignored.
    const corrected = lines.filter((l) => l.key !== 'P04').map((l) => (l.key === 'P02' ? { ...l, amountFen: 10000 } : l));
    const third = await app.recon.runDay(ME, { channel: 'wechat', date: D, bill: bill('wechat', D, corrected) });
    expect(third.rerunResolvedCount).toBe(1);
    const p02c = await app.reconDiffs.get(p02.id);
    expect(p02c.diff).toMatchObject({ status: 'resolved', resolution: 'rerun', resolvedByName: '系统' });
    expect(p02c.notes).toHaveLength(1);
    expect((await app.reconDiffs.get(p04.id)).diff.status).toBe('ignored');

    // P02 wrong again in a fourth run: the same difference opens again, with its history.
    const fourth = await app.recon.runDay(ME, { channel: 'wechat', date: D, bill: bill('wechat', D, lines) });
    expect((await app.reconDiffs.get(p02.id)).diff).toMatchObject({ status: 'open', resolution: null, runId: fourth.id });
    expect((await app.reconDiffs.get(p02.id)).notes).toHaveLength(1);
  });

  it('a bill of another day or channel fails the run, leaves no staging rows and no differences', async () => {
    await goldenDay(app);
    const wrong = bill('wechat', D1, [{ key: 'P01', amountFen: 10000, at: at(D1) }]);
    await expect(app.recon.runDay(ME, { channel: 'wechat', date: D, bill: wrong })).rejects.toThrow('账单第 2 行的账单日期是 2025-03-11，不是 2025-03-10');
    const runs = await app.recon.listRuns({ channel: 'wechat' }, 1, 10);
    expect(runs.items[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('导入的文件与对账日期不符') });
    expect((await app.reconDiffs.list({}, 'key', 'asc', 1, 10)).total).toBe(0);
    const [staged] = (await app.store.dataSource.query('SELECT COUNT(*) AS n FROM recon_bill_rows')) as { n: number | string }[];
    expect(Number(staged!.n)).toBe(0);
  });

  it('weekly and monthly runs add up the current daily results without matching again', async () => {
    const lines = await goldenDay(app);
    const d = await app.recon.runDay(ME, { channel: 'wechat', date: D, bill: bill('wechat', D, lines) });
    await app.recon.runDay(ME, { channel: 'wechat', date: D, bill: bill('wechat', D, lines) }); // a re-run: counted once
    const d1 = await app.recon.runDay(ME, { channel: 'wechat', date: D1, bill: bill('wechat', D1, [{ key: 'P08', amountFen: 2500, at: at(D1, '00:00:40') }]) });
    const week = await app.recon.runPeriod(ME, { channel: 'wechat', period: 'weekly', date: D1 });
    expect(week.run).toMatchObject({ period: 'weekly', billDate: '2025-03-10', periodEnd: '2025-03-16', daysCovered: 2, status: 'done' });
    expect(week.missingDays).toEqual(['2025-03-12', '2025-03-13', '2025-03-14', '2025-03-15', '2025-03-16']);
    expect(week.run.summary.matchedCount).toBe(d.summary.matchedCount + d1.summary.matchedCount);
    expect(week.run.diffCount).toBe(d.diffCount + d1.diffCount);
    expect(week.run.billCount).toBe(d.billCount + d1.billCount);
    const month = await app.recon.runPeriod(ME, { channel: 'wechat', period: 'monthly', date: D });
    expect(month.run).toMatchObject({ billDate: '2025-03-01', periodEnd: '2025-03-31', daysCovered: 2 });
    expect(month.missingDays).toHaveLength(29);
    const detail = await app.recon.getRun(month.run.id);
    expect(detail.diffsByStatus?.reduce((s, x) => s + x.count, 0)).toBe(10);
  });

  it('the scheduled job claims yesterday once per channel with a lease, downloads the bill and runs it; a failure is retried later', async () => {
    const downloads: string[] = [];
    const gateway = {
      downloadBill: async (req: { date: string }) => {
        downloads.push(req.date);
        if (downloads.length === 1) throw new Error('账单尚未生成');
        const { writeTradeBill } = await import('../../../src-main/gateways/wechat/wechat-bill');
        const bytes = writeTradeBill('ALL', [
          { time: `${req.date} 09:00:00`, appid: 'wx1', mchid: '1900000001', transactionId: '4200S1', outTradeNo: 'PS1', openid: 'o1', tradeType: 'JSAPI', kind: 'payment', orderFen: 1234, description: '定金', attach: '', rateBp: 60 },
        ]);
        return { platform: 'wechat', date: req.date, bytes, format: 'wechat-csv' };
      },
    };
    const { GatewayRegistry } = await import('../../../src-main/services/payments/gateway-registry');
    await close();
    ({ app, close } = await testApp(kind, { clock, gateways: new GatewayRegistry({ wechat: gateway as never }), recon: { retryMs: 60_000 } }));
    await addLocal(app, [{ orderNo: 'PS1', amountFen: 1234, status: 'success', paidAt: at('2025-03-11', '09:00:00') }]);

    // Before 10:00 Shanghai nothing is scheduled.
    clock.t = at('2025-03-12', '09:59:00');
    expect((await app.recon.runScheduled()).claimed).toEqual([]);
    clock.t = at('2025-03-12', '10:00:00');
    const first = await app.recon.runScheduled();
    expect(first.claimed).toHaveLength(1);
    expect(first.failed).toEqual(first.claimed);
    expect((await app.recon.getRun(first.claimed[0]!)).run).toMatchObject({ status: 'failed', error: '账单尚未生成', attempts: 1 });
    // Not again before the wait is over; then it runs, on the same row.
    expect((await app.recon.runScheduled()).claimed).toEqual([]);
    clock.t += 61_000;
    const second = await app.recon.runScheduled();
    expect(second.done).toEqual(first.claimed);
    const { run } = await app.recon.getRun(first.claimed[0]!);
    expect(run).toMatchObject({ status: 'done', billDate: '2025-03-11', scheduleKey: 'daily:wechat:2025-03-11', billCount: 1, diffCount: 0, startedByName: SYSTEM_ACTOR.name });
    expect(run.summary.matchedCount).toBe(1);
    expect(downloads).toEqual(['2025-03-11', '2025-03-11']);
    // Done: never claimed again, and the day is scheduled only once.
    clock.t += 3_600_000;
    expect((await app.recon.runScheduled()).claimed).toEqual([]);
    expect((await app.recon.listRuns({ channel: 'wechat' }, 1, 10)).total).toBe(1);
  });
});
