import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { alipayBillZip, DETAIL_HEADER, SUMMARY_HEADER } from '../../../src-main/gateways/simulator/alipay-bill';
import type { SimRefund, SimTrade } from '../../../src-main/gateways/simulator/ledger';

/**
 * The simulated Alipay trade bill, read back with independent tools: yauzl (a ZIP reader we did not
 * write) and the WHATWG GBK decoder (not iconv-lite, which wrote it).
 */
interface ZipFile { name: string; text: string; bytes: Buffer; crcOk: boolean }

function readAlipayZip(bytes: Buffer): Promise<ZipFile[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const files: ZipFile[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const data = Buffer.concat(chunks);
            const raw = entry.fileName as unknown as Buffer;
            files.push({ name: new TextDecoder('gbk').decode(raw), text: new TextDecoder('gbk').decode(data), bytes: data, crcOk: (crc32(data) >>> 0) === entry.crc32 });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const at = (h: number, m = 0) => Date.UTC(2026, 10, 26, h - 8, m, 0);
const trade = (orderNo: string, fen: number, paidAt: number | undefined, extra: Partial<SimTrade> = {}): SimTrade => ({
  orderNo, amountFen: fen, description: '订金,含早', scene: 'alipay_precreate', state: paidAt ? 'paid' : 'pending', platformTradeNo: `202611262200100000000000000${orderNo.slice(-1)}`,
  createdAt: at(9), expireAt: at(23), paidAt, notifyUrl: '', payer: 'buy***@sandbox.com', refundedFen: 0, ...extra,
});
const refund = (orderNo: string, refundNo: string, fen: number, succeededAt: number | undefined): SimRefund => ({
  refundNo, orderNo, amountFen: fen, reason: '客户取消', state: succeededAt ? 'success' : 'processing', platformRefundNo: '', createdAt: at(12), succeededAt, notifyUrl: '',
});
const trades = [trade('PAY1', 10000, at(10, 5)), trade('PAY2', 2550, at(11)), trade('PAY3', 999, undefined), trade('PAY4', 500, Date.UTC(2026, 10, 26, 16, 0, 0))];
const refunds = [refund('PAY1', 'RF1', 3000, at(15)), refund('PAY2', 'RF2', 100, undefined)];
const input = { pid: '2088000000000001', date: '2026-11-26', trades, refunds, exportedAt: Date.UTC(2026, 10, 27, 1, 0, 0), feeRatePpm: 6000, type: 'all' as const };

describe('the simulated Alipay trade bill', () => {
  it('is a ZIP of two GBK CSVs named <pid>0156_<date>_业务明细.csv and …(汇总).csv', async () => {
    const files = await readAlipayZip(alipayBillZip(input));
    expect(files.map((f) => f.name)).toEqual(['20880000000000010156_20261126_业务明细.csv', '20880000000000010156_20261126_业务明细(汇总).csv']);
    expect(files.every((f) => f.crcOk)).toBe(true);
    // GBK, not UTF-8: 支付宝 is D6A7 B8B6 B1A6 in GBK (E694AF… in UTF-8).
    const bytes = files[0]?.bytes ?? Buffer.alloc(0);
    expect(bytes.includes(Buffer.from([0xd6, 0xa7, 0xb8, 0xb6, 0xb1, 0xa6]))).toBe(true);
    expect(bytes.includes(Buffer.from('支付宝', 'utf8'))).toBe(false);
  });

  it('has the detail layout: 4 # lines, the 25-column header, rows with trailing tabs, refunds negative, the trailer', async () => {
    const [detail] = await readAlipayZip(alipayBillZip(input));
    const lines = (detail?.text ?? '').split('\r\n');
    expect(lines.slice(0, 4)).toEqual([
      '#支付宝业务明细查询',
      '#账号：[20880000000000010156]',
      '#起始日期：[2026年11月26日 00:00:00]   终止日期：[2026年11月27日 00:00:00]',
      '#-----------------------------------------业务明细列表----------------------------------------',
    ]);
    expect(lines[4]?.split(',')).toEqual(DETAIL_HEADER);
    expect(DETAIL_HEADER).toHaveLength(25);
    expect(lines[4]).toContain('订单金额（元）,商家实收（元）');
    const rows = lines.slice(5, 8);
    // PAY1 paid, PAY2 paid, PAY1 refund; PAY3 unpaid, PAY4 paid the next Shanghai day, RF2 not settled.
    expect(rows[0]).toBe('2026112622001000000000000001\t,PAY1\t,交易,"订金,含早",2026-11-26 09:00:00,2026-11-26 10:05:00,,,,,buy***@sandbox.com,100.00,100.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.60,0.00,');
    expect(rows[1]).toContain('PAY2\t,交易,');
    expect(rows[1]).toContain(',25.50,25.50,');
    expect(rows[1]).toContain(',-0.15,');
    expect(rows[2]).toBe('2026112622001000000000000001\t,PAY1\t,退款,"订金,含早",2026-11-26 09:00:00,2026-11-26 15:00:00,,,,,buy***@sandbox.com,100.00,-30.00,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,RF1\t,0.18,0.00,客户取消');
    expect(lines.slice(8)).toEqual([
      '#-----------------------------------------业务明细列表结束------------------------------------',
      '#交易合计：2笔，商家实收共125.50元，商家优惠共0.00元',
      '#退款合计：1笔，商家实收退款共-30.00元，商家优惠退款共0.00元',
      '#导出时间：[2026年11月27日 09:00:00]',
      '',
    ]);
  });

  it('sums the day in the 汇总 file', async () => {
    const [, summary] = await readAlipayZip(alipayBillZip(input));
    const lines = (summary?.text ?? '').split('\r\n');
    expect(lines[3]).toBe('#-----------------------------------------业务汇总列表----------------------------------------');
    expect(lines[4]?.split(',')).toEqual(SUMMARY_HEADER);
    // 2 trades, 1 refund, ordered 125.50, received 95.50, fees -0.60-0.15+0.18 = -0.57, net 94.93.
    expect(lines[6]).toBe('合计,,2,1,125.50,95.50,0.00,0.00,0.00,-0.57,0.00,94.93');
    expect(lines[7]).toBe('#----------------------------------------业务汇总列表结束-------------------------------------');
  });

  it('filters to trades or refunds when asked', async () => {
    const onlyRefunds = (await readAlipayZip(alipayBillZip({ ...input, type: 'refund' })))[0]?.text ?? '';
    expect(onlyRefunds).toContain(',退款,');
    expect(onlyRefunds).not.toContain(',交易,');
    const onlyTrades = (await readAlipayZip(alipayBillZip({ ...input, type: 'success' })))[0]?.text ?? '';
    expect(onlyTrades).not.toContain(',退款,');
  });
});
