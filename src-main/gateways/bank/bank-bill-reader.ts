import type { BillRecord, BillSummary } from '../../core/reconciliation/bill-record';
import { BillFormatError } from '../bill-format-error';
import { BillLine, billStream, columnIndex, fenCell, parseLines, shanghaiTime, splitCsvLine, SplitCells, utf8Text, type BillSource, type BillStream, type Fail, type LineParser } from '../bill-stream';
import { BILL_HEADER } from './protocol';

/**
 * Reads the institution's daily statement (bank-csv, protocol.ts §8) as a stream of BillRecords:
 * UTF-8 (BOM expected, tolerated when missing), CRLF (LF tolerated), RFC 4180 cells (a subject may be
 * quoted and hold commas, quotes and line breaks), columns by header name, amounts in integer fen.
 *  - PAY: key and orderNo order_no, platformNo trade_no, amount txn_amt, fee fee_amt.
 *  - REFUND: key refund_no, orderNo order_no, platformNo refund_trade_no, amount refund_amt, fee −fee_amt
 *    (the statement lists the fee returned as a positive amount).
 *  - Only finished money is listed: state success; `at` is finish_time, which must be on the bill's day.
 *  - The SUMMARY trailer closes the file: bill_date must be the day asked for, and row_count, pay_count,
 *    pay_amt, pay_fee_amt, refund_count, refund_amt, refund_fee_amt must equal the rows'. Nothing follows it.
 */
export function readBankBill(source: BillSource, fileName: string, billDate: string): BillStream {
  return billStream(fileName, () => parseLines(fileName, utf8Text(source), new BankBillParser(fileName, billDate)));
}

const SUMMARY_CELLS = 9;

class BankBillParser implements LineParser {
  private n = 0;
  private names: string[] | null = null;
  private idx: number[] = [];
  private pending: string | null = null;
  private start = 0;
  private done = false;
  private rows = 0;
  private pay = { count: 0, fen: 0, fee: 0 };
  private refund = { count: 0, fen: 0, fee: 0 };
  private readonly fail: Fail;

  constructor(
    private readonly fileName: string,
    private readonly billDate: string,
  ) {
    this.fail = (reason) => {
      throw new BillFormatError(this.fileName, this.n, reason);
    };
  }

  line(text: string, n: number): BillRecord | null {
    this.n = n;
    if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.done) {
      if (text.length === 0) return null;
      this.fail('SUMMARY 汇总行之后还有内容');
    }
    const joined = this.pending === null ? text : `${this.pending}\n${text}`;
    if (this.pending === null) this.start = n;
    if (joined.length === 0) return null;
    const cells = splitCsvLine(joined, this.fail);
    if (!cells) {
      this.pending = joined;
      return null;
    }
    this.pending = null;
    if (!this.names) {
      if (cells[0] !== 'record_type') this.fail(`不是银行对账单：第一行应为表头（${BILL_HEADER.join(',')}）`);
      this.names = cells;
      const col = columnIndex(cells, BILL_HEADER, this.fail);
      this.idx = BILL_HEADER.map((h) => col.get(h)!);
      return null;
    }
    if (cells[0] === 'SUMMARY') {
      this.summary(cells);
      return null;
    }
    return this.row(cells);
  }

  private row(cells: string[]): BillRecord {
    const line = this.start;
    const fail: Fail = (reason) => {
      throw new BillFormatError(this.fileName, line, reason);
    };
    if (cells.length !== this.names!.length) fail(`有 ${cells.length} 列，表头有 ${this.names!.length} 列`);
    const [recordType, orderNo, tradeNo, refundNo, refundTradeNo, , txn, refundAmt, fee, , finishTime] = this.idx.map((i) => cells[i]!) as string[];
    if (recordType !== 'PAY' && recordType !== 'REFUND') fail(`未知的记录类型：${recordType || '（空）'}（应为 PAY 或 REFUND）`);
    if (!orderNo || !tradeNo) fail('缺少 order_no 或 trade_no');
    const at = shanghaiTime(finishTime!, 'finish_time', fail);
    if (!finishTime!.startsWith(this.billDate)) fail(`finish_time ${finishTime!} 不在账单日 ${this.billDate}`);
    const feeFen = fenCell(fee!, 'fee_amt', fail);
    this.rows++;
    const raw = new SplitCells(this.names!, cells);
    if (recordType === 'PAY') {
      if (refundNo || refundTradeNo || refundAmt) fail('PAY 行不应有退款字段（refund_no、refund_trade_no、refund_amt）');
      const amountFen = fenCell(txn!, 'txn_amt', fail);
      this.pay.count++;
      this.pay.fen += amountFen;
      this.pay.fee += feeFen;
      return new BillLine('bank', 'payment', orderNo!, orderNo!, tradeNo!, amountFen, feeFen, 'success', at, this.billDate, line, raw);
    }
    if (!refundNo || !refundTradeNo) fail('REFUND 行缺少 refund_no 或 refund_trade_no');
    fenCell(txn!, 'txn_amt', fail);
    const amountFen = fenCell(refundAmt!, 'refund_amt', fail);
    this.refund.count++;
    this.refund.fen += amountFen;
    this.refund.fee += feeFen;
    return new BillLine('bank', 'refund', refundNo!, orderNo!, refundTradeNo!, amountFen, feeFen === 0 ? 0 : -feeFen, 'success', at, this.billDate, line, raw);
  }

  private summary(cells: string[]): void {
    if (cells.length !== SUMMARY_CELLS) this.fail(`SUMMARY 汇总行应有 ${SUMMARY_CELLS} 列，实际 ${cells.length} 列`);
    const compact = this.billDate.replace(/-/g, '');
    if (cells[1] !== compact) this.fail(`这是 ${cells[1] ?? ''} 的对账单，不是 ${compact} 的：是否选错了日期或文件？`);
    const fields = ['row_count', 'pay_count', 'pay_amt', 'pay_fee_amt', 'refund_count', 'refund_amt', 'refund_fee_amt'];
    const counted = [this.rows, this.pay.count, this.pay.fen, this.pay.fee, this.refund.count, this.refund.fen, this.refund.fee];
    fields.forEach((f, i) => {
      const stated = fenCell(cells[i + 2]!, `SUMMARY ${f}`, this.fail);
      if (stated !== counted[i]) this.fail(`SUMMARY ${f} 为 ${stated}，明细合计为 ${counted[i]!}，不符`);
    });
    this.done = true;
  }

  end(): BillSummary {
    if (this.pending !== null) throw new BillFormatError(this.fileName, this.start, '引号没有闭合：文件可能被截断');
    if (!this.names) throw new BillFormatError(this.fileName, null, '文件是空的');
    if (!this.done) throw new BillFormatError(this.fileName, null, '账单不完整：缺少 SUMMARY 汇总行，文件可能被截断');
    return { count: this.rows, paidFen: this.pay.fen, refundedFen: this.refund.fen, feeFen: this.pay.fee - this.refund.fee };
  }
}
