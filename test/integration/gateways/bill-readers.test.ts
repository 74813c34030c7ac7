import { afterEach, describe, expect, it } from 'vitest';
import type { BillRecord } from '../../../src-main/core/reconciliation/bill-record';
import { DAY_MS, HOUR_MS, MINUTE_MS, shanghaiDate } from '../../../src-main/core/time';
import { readAlipayBill } from '../../../src-main/gateways/alipay/alipay-bill-reader';
import { readBankBill } from '../../../src-main/gateways/bank/bank-bill-reader';
import { plainRecord, type BillStream } from '../../../src-main/gateways/bill-stream';
import type { BillFile, PayScene, Platform } from '../../../src-main/gateways/gateway';
import { startSandbox, type Sandbox } from '../../../src-main/gateways/sandbox';
import { readWechatBill } from '../../../src-main/gateways/wechat/wechat-bill-reader';
import { TestClock } from '../../support/test-clock';

/**
 * Each simulated platform processes a day (payments, an unpaid order, a partial refund), then its bill
 * is downloaded through the real adapter's downloadBill (WeChat: SHA1-checked; bank: signed headers) and
 * read by the channel's reader: the records must be exactly what the simulator's books say happened.
 */
const DAY = '2026-11-26';
const cases: { platform: Platform; scene: PayScene; read: (f: BillFile) => BillStream }[] = [
  { platform: 'wechat', scene: 'wechat_native', read: (f) => readWechatBill(f.bytes, 'wechat.csv', f.date) },
  { platform: 'alipay', scene: 'alipay_precreate', read: (f) => readAlipayBill(f.bytes, 'alipay.zip', f.date) },
  { platform: 'bank', scene: 'bank_online', read: (f) => readBankBill(f.bytes, 'bank.csv', f.date) },
];

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(cases)('$platform bill from the simulator', ({ platform, scene, read }) => {
  it('downloads the day\'s bill and reads back what the platform processed', async () => {
    const clock = new TestClock(); // 2026-11-26 10:00 Shanghai
    sandbox = await startSandbox({ clock, timeScale: 0.001 });
    const gw = sandbox.registry.get(platform);
    const sim = sandbox.simulator.get(platform);
    // Nobody listens there: notifications fail and are retried in the background until the sandbox stops.
    const notifyUrl = 'http://127.0.0.1:9/notify';
    const nos = ['A', 'B', 'C'].map((s) => `P20261126${platform}${s}`);
    const amounts = [9900, 12345, 500];
    for (const [i, no] of nos.entries()) {
      await gw.createPayment({ orderNo: no, amountFen: amounts[i]!, description: '豪华大床房, "含早"', expireAt: clock.now() + 30 * MINUTE_MS, scene, notifyUrl, returnUrl: 'https://pay.example.com/r', bankCardToken: 'tok_6222xx1234' });
      clock.advance(61_000);
    }
    await sim.pay(nos[0]!);
    clock.advance(3 * MINUTE_MS);
    await sim.pay(nos[1]!);
    clock.advance(HOUR_MS);
    const refundNo = `R20261126${platform}A`;
    await gw.refund({ orderNo: nos[0]!, refundNo, amountFen: 2500, totalFen: 9900, reason: '少住一晚', notifyUrl });
    await until('the refund', async () => ((await gw.queryRefund(nos[0]!, refundNo)).state === 'success' ? true : undefined));

    clock.advance(DAY_MS + 2 * HOUR_MS); // the next day, 13:00: every platform has published
    const file = await gw.downloadBill({ date: DAY, type: 'all' });
    const bill = read(file);
    const records: BillRecord[] = [];
    for await (const batch of bill.batches) records.push(...batch.map(plainRecord));
    const summary = await bill.summary;

    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    const trades = [...sim.ledger.trades.values()].filter((t) => t.paidAt !== undefined && shanghaiDate(t.paidAt) === DAY);
    const refunds = [...sim.ledger.refunds.values()];
    expect(trades.map((t) => t.orderNo).sort()).toEqual([nos[0], nos[1]]);
    expect(refunds.map((r) => [r.refundNo, r.state])).toEqual([[refundNo, 'success']]);

    const payments = records.filter((r) => r.kind === 'payment');
    expect(payments.map((r) => [r.key, r.orderNo, r.platformNo, r.amountFen, r.state, r.at, r.billDate, r.raw[platform === 'bank' ? 'subject' : '商品名称']])).toEqual(
      trades.map((t) => [t.orderNo, t.orderNo, t.platformTradeNo, t.amountFen, 'success', second(t.paidAt!), DAY, '豪华大床房, "含早"']),
    );
    const refundRecords = records.filter((r) => r.kind === 'refund');
    expect(refundRecords.map((r) => [r.key, r.orderNo, r.amountFen, r.state, r.billDate])).toEqual([[refundNo, nos[0], 2500, 'success', DAY]]);
    // Fees in our sign: charged on payments, returned (negative) on refunds; the sandbox bank charges none.
    const charged = platform === 'bank' ? 0 : 1;
    expect(payments.every((r) => r.feeFen !== null && r.feeFen >= charged)).toBe(true);
    expect(refundRecords[0]!.feeFen).toBeLessThanOrEqual(-charged);
    expect(summary).toEqual({
      count: 3,
      paidFen: 9900 + 12345,
      refundedFen: 2500,
      feeFen: records.reduce((s, r) => s + (r.feeFen ?? 0), 0),
    });
    // Lines are numbered in the file as the workbench shows them.
    expect(new Set(records.map((r) => r.line)).size).toBe(3);
  });
});
