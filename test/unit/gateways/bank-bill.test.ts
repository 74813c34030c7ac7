import { describe, expect, it } from 'vitest';
import { parseBankBill, writeBankBill, type BankBillRow } from '../../../src-main/gateways/bank/bank-bill';
import { WireError } from '../../../src-main/gateways/bank/bank-wire';

const pay: BankBillRow = {
  recordType: 'PAY', orderNo: 'P20261126100000123456', tradeNo: 'BK20261126000001', refundNo: '', refundTradeNo: '', payType: 'ONLINE',
  txnFen: 12345, refundFen: 0, feeFen: 74, createTime: '2026-11-26 10:00:00', finishTime: '2026-11-26 10:00:04', subject: '客房餐费, "1208" 房',
};
const refund: BankBillRow = {
  ...pay, recordType: 'REFUND', refundNo: 'R20261126120000000001', refundTradeNo: 'BK20261126000002', refundFen: 2345, feeFen: 14, finishTime: '2026-11-26 12:00:00',
};

describe('bank-csv statement (protocol.ts §8)', () => {
  const bytes = writeBankBill('20261126', [pay, refund]);

  it('is UTF-8 with BOM and CRLF, a header, quoted cells and a SUMMARY trailer', () => {
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFFrecord_type,order_no,trade_no,refund_no,refund_trade_no,pay_type,txn_amt,refund_amt,fee_amt,create_time,finish_time,subject\r\n')).toBe(true);
    expect(text).toContain(',"客房餐费, ""1208"" 房"\r\n');
    expect(text.endsWith('\r\nSUMMARY,20261126,2,1,12345,74,1,2345,14\r\n')).toBe(true);
  });

  it('parses back to the same rows and totals', () => {
    const bill = parseBankBill(bytes, '20261126');
    expect(bill.rows).toEqual([pay, refund]);
    expect(bill.summary).toMatchObject({ rowCount: 2, payCount: 1, payFen: 12345, refundCount: 1, refundFen: 2345 });
  });

  it('detects a file cut anywhere', () => {
    for (let cut = 1; cut < bytes.length; cut += 7) {
      expect(() => parseBankBill(bytes.subarray(0, cut))).toThrow(WireError);
    }
  });

  it('detects a dropped row, an altered amount, another date', () => {
    const text = bytes.toString('utf8');
    const lines = text.split('\r\n');
    expect(() => parseBankBill(Buffer.from([lines[0], lines[2], lines[3], ''].join('\r\n')))).toThrow(/汇总行与明细不符/);
    expect(() => parseBankBill(Buffer.from(text.replace(',12345,,74,', ',12344,,74,')))).toThrow(/汇总行与明细不符/);
    expect(() => parseBankBill(bytes, '20261127')).toThrow(/不是 20261127/);
    expect(() => parseBankBill(Buffer.from(text.slice(1)))).toThrow(/BOM/);
  });

  it('an empty day is a header and a zero trailer', () => {
    const empty = writeBankBill('20261125', []);
    expect(empty.toString('utf8')).toBe('\uFEFFrecord_type,order_no,trade_no,refund_no,refund_trade_no,pay_type,txn_amt,refund_amt,fee_amt,create_time,finish_time,subject\r\nSUMMARY,20261125,0,0,0,0,0,0,0\r\n');
    expect(parseBankBill(empty).rows).toEqual([]);
  });
});
