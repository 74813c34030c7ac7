import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import type { BillRecord } from '../../../src-main/core/reconciliation/bill-record';
import { formatShanghai } from '../../../src-main/core/time';
import { writeTradeBill, type TradeBillLine } from '../../../src-main/gateways/wechat/wechat-bill';
import { runReport } from '../../../src-main/services/reconciliation/recon-service';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { addLocal, at, bill, diffsOf, type LocalPayment, type LocalRefund, type PlatformLine } from './recon-world';

const D = '2025-03-10';
const ME = { id: null, name: '测试会计' };

/** A WeChat bill line of D at `hms`, 0.60% fee, as the simulator writes it. */
const wx = (orderNo: string, fen: number, hms: string, transactionId: string): TradeBillLine => ({
  time: formatShanghai(at(D, hms)),
  appid: 'wx2421b1c4370ec43b',
  mchid: '1900000109',
  transactionId,
  outTradeNo: orderNo,
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  tradeType: 'JSAPI',
  kind: 'payment',
  orderFen: fen,
  description: '客房预订,含早（2晚）',
  attach: '',
  rateBp: 60,
});

/**
 * The join engine's own paths (services/reconciliation/recon-day.ts): our side read in keyset pages
 * (ties on the time included), the bill's difference lines read again from the file (uploaded bytes
 * or a path), and a file that changed between the two passes.
 */
describe.each(STORE_KINDS)('the reconciliation engine on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  const clock = new TestClock(at('2025-03-12', '10:30:00'));
  let dir: string;
  beforeEach(async () => {
    // Pages of two orders: every page boundary, tie and prefetch of the keyset reading is crossed.
    ({ app, close } = await testApp(kind, { clock, recon: { chunk: 2 } }));
    dir = mkdtempSync(join(tmpdir(), 'recon-engine-'));
  });
  afterEach(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads our side page by page, orders paid at the same moment included, and finds exactly the injected differences', async () => {
    const noon = at(D, '12:00:00');
    const payments: LocalPayment[] = [];
    const refunds: LocalRefund[] = [];
    const lines: PlatformLine[] = [];
    // Nine orders paid at the very same millisecond (the keyset's tie is the order number), and nine spread over the day.
    for (let i = 1; i <= 18; i++) {
      const orderNo = `P${String(i).padStart(3, '0')}`;
      const paidAt = i <= 9 ? noon : at(D, `${String(i).padStart(2, '0')}:30:00`);
      payments.push({ orderNo, amountFen: 1000 + i, status: 'success', paidAt, duplicates: i === 5 ? 1 : 0 });
      if (i !== 7) lines.push({ key: orderNo, amountFen: i === 3 ? 999 : 1000 + i, at: paidAt + 1000 });
    }
    lines.push({ key: 'P404', amountFen: 4040, at: noon }); // on the bill only
    // Refunds that succeeded at the same moment.
    for (let i = 1; i <= 5; i++) {
      refunds.push({ refundNo: `R${i}`, orderNo: 'P001', amountFen: 100 * i, feeFen: -i, state: 'success', succeededAt: at(D, '15:00:00') });
      lines.push({ kind: 'refund', key: `R${i}`, orderNo: 'P001', amountFen: 100 * i, feeFen: i === 4 ? -9 : -i, at: at(D, '15:00:00') });
    }
    await addLocal(app, payments, refunds);
    const run = await app.recon.runDay(ME, { channel: 'wechat', date: D, bill: bill('wechat', D, lines) });
    expect(await diffsOf(app, run.id)).toEqual({ P003: 'amount', P005: 'duplicate_local', P007: 'missing_platform', P404: 'missing_local', R4: 'fee' });
    expect(runReport(run)).toMatchObject({ matched: { count: 18 - 3 + 5 - 1 }, localCount: 19 + 5, held: 0 });
  });

  it('shows a difference\'s bill lines as read again from the uploaded file or from its path: a duplicate\'s first line too, though it matched when it came', async () => {
    await addLocal(app, [
      { orderNo: 'P1', amountFen: 10000, status: 'success', paidAt: at(D, '09:00:00') },
      { orderNo: 'P2', amountFen: 20000, status: 'success', paidAt: at(D, '09:10:00') },
      { orderNo: 'P3', amountFen: 30000, status: 'success', paidAt: at(D, '09:20:00') },
    ]);
    const bytes = writeTradeBill('ALL', [
      wx('P1', 10000, '09:00:01', '4200000001'),
      wx('P2', 20000, '09:10:01', '4200000002'),
      wx('P3', 29000, '09:20:01', '4200000003'),
      wx('P2', 20000, '09:30:01', '4200000004'),
    ]);
    const path = join(dir, 'wechat-2025-03-10.csv');
    writeFileSync(path, bytes);
    for (const file of [{ bytes }, { path }]) {
      const run = await app.recon.importBill(ME, { channel: 'wechat', date: D, fileName: 'wechat-2025-03-10.csv', file });
      expect(await diffsOf(app, run.id)).toEqual({ P2: 'duplicate_platform', P3: 'amount' });
      const p2 = (await app.reconDiffs.list({ runId: run.id, search: 'P2' }, 'key', 'asc', 1, 10)).items[0]!;
      const detail = await app.reconDiffs.get(p2.id);
      expect(detail.diff.platform.map((r) => [r.line, r.seq, r.platformNo, r.amountFen, r.raw?.['商户订单号'], r.raw?.['商品名称'], r.raw?.['手续费']])).toEqual([
        [3, 2, '4200000002', 20000, 'P2', '客房预订,含早（2晚）', '1.20000'],
        [5, 4, '4200000004', 20000, 'P2', '客房预订,含早（2晚）', '1.20000'],
      ]);
      expect(detail.diff.local).toMatchObject([{ side: 'local', key: 'P2', seq: expect.any(Number), amountFen: 20000, sourceState: 'success', raw: null }]);
      // The platform numbers are searchable (a prefix of the second line's number).
      expect((await app.reconDiffs.list({ runId: run.id, search: '420000000' }, 'key', 'asc', 1, 10)).items.map((d) => d.key)).toEqual(['P2', 'P3']);
      expect((await app.reconDiffs.list({ runId: run.id, search: '4200000004' }, 'key', 'asc', 1, 10)).items.map((d) => d.key)).toEqual(['P2']);
    }
  });

  it('fails the run when one of our records in a difference changed while the day was being matched', async () => {
    await addLocal(app, [{ orderNo: 'P1', amountFen: 10000, status: 'success', paidAt: at(D, '09:00:00') }]);
    const first = bill('wechat', D, [{ key: 'P1', amountFen: 9000, at: at(D, '09:00:01') }]);
    const records: BillRecord[] = [];
    for await (const r of first.records) records.push(r);
    const again = bill('wechat', D, [{ key: 'P1', amountFen: 9000, at: at(D, '09:00:01') }]);
    await expect(
      app.recon.runDay(ME, {
        channel: 'wechat',
        date: D,
        bill: {
          ...again,
          // The second pass comes after the matching: someone corrects our amount in between.
          reread: async function* () {
            await app.store.dataSource.query(`UPDATE transactions SET amount_fen = 9500 WHERE order_no = 'P1'`);
            yield* records;
          },
        },
      }),
    ).rejects.toThrow('本地记录 P1 在对账过程中被修改或删除，请重新对账');
    expect((await app.reconDiffs.list({}, 'key', 'asc', 1, 10)).total).toBe(0);
  });

  it('fails the run, writing nothing, when the file read again is not the file read first', async () => {
    await addLocal(app, [{ orderNo: 'P1', amountFen: 10000, status: 'success', paidAt: at(D, '09:00:00') }]);
    const first = bill('wechat', D, [{ key: 'P1', amountFen: 9000, at: at(D, '09:00:01') }]);
    const changed: BillRecord = { platform: 'wechat', kind: 'payment', key: 'P1', orderNo: 'P1', platformNo: '42', amountFen: 9100, feeFen: 54, state: 'success', at: at(D, '09:00:01'), billDate: D, line: 2, raw: {} };
    await expect(
      app.recon.runDay(ME, {
        channel: 'wechat',
        date: D,
        bill: {
          ...first,
          reread: async function* () {
            yield changed;
          },
        },
      }),
    ).rejects.toThrow('账单文件在对账过程中被修改');
    const runs = await app.recon.listRuns({ channel: 'wechat' }, 1, 10);
    expect(runs.items[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('账单文件在对账过程中被修改') });
    expect((await app.reconDiffs.list({}, 'key', 'asc', 1, 10)).total).toBe(0);
  });
});
