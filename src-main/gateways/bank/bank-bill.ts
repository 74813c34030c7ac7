import { createHash } from 'node:crypto';
import type { Fen } from '../../core/money';
import { BILL_HEADER, type PayType } from './protocol';
import { WireError, fenFromWire } from './bank-wire';

/**
 * The daily statement, bank-csv (protocol.ts §8): UTF-8 with BOM, CRLF, RFC 4180 cells, a header,
 * one row per finished payment or refund, and a SUMMARY trailer whose counts and totals let a
 * reader detect a truncated or altered file. The simulator writes it; the adapter checks it.
 */
export interface BankBillRow {
  recordType: 'PAY' | 'REFUND';
  orderNo: string;
  tradeNo: string;
  refundNo: string;
  refundTradeNo: string;
  payType: PayType;
  txnFen: Fen;
  /** 0 on PAY rows, written as an empty cell. */
  refundFen: Fen;
  feeFen: Fen;
  /** yyyy-MM-dd HH:mm:ss, Asia/Shanghai. */
  createTime: string;
  finishTime: string;
  subject: string;
}

export interface BankBillSummary {
  billDate: string;
  rowCount: number;
  payCount: number;
  payFen: Fen;
  payFeeFen: Fen;
  refundCount: number;
  refundFen: Fen;
  refundFeeFen: Fen;
}

export interface BankBill {
  rows: BankBillRow[];
  summary: BankBillSummary;
}

const BOM = '\uFEFF';
const CRLF = '\r\n';

function cell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function summarize(billDate: string, rows: readonly BankBillRow[]): BankBillSummary {
  const pays = rows.filter((r) => r.recordType === 'PAY');
  const refunds = rows.filter((r) => r.recordType === 'REFUND');
  const sum = (rs: readonly BankBillRow[], f: (r: BankBillRow) => Fen) => rs.reduce((a, r) => a + f(r), 0);
  return {
    billDate,
    rowCount: rows.length,
    payCount: pays.length,
    payFen: sum(pays, (r) => r.txnFen),
    payFeeFen: sum(pays, (r) => r.feeFen),
    refundCount: refunds.length,
    refundFen: sum(refunds, (r) => r.refundFen),
    refundFeeFen: sum(refunds, (r) => r.feeFen),
  };
}

/** billDate as yyyyMMdd. */
export function writeBankBill(billDate: string, rows: readonly BankBillRow[]): Buffer {
  const s = summarize(billDate, rows);
  const lines = [
    BILL_HEADER.join(','),
    ...rows.map((r) =>
      [
        r.recordType, r.orderNo, r.tradeNo, r.refundNo, r.refundTradeNo, r.payType, String(r.txnFen),
        r.recordType === 'REFUND' ? String(r.refundFen) : '', String(r.feeFen), r.createTime, r.finishTime, r.subject,
      ].map(cell).join(','),
    ),
    ['SUMMARY', s.billDate, s.rowCount, s.payCount, s.payFen, s.payFeeFen, s.refundCount, s.refundFen, s.refundFeeFen].join(','),
  ];
  return Buffer.from(BOM + lines.join(CRLF) + CRLF, 'utf8');
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** RFC 4180 records; a quote left open or a last line without CRLF means the file was cut. */
function records(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') cur += c;
      else if (text[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cur === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cur);
      out.push(row);
      row = [];
      cur = '';
      i++;
    } else cur += c;
  }
  if (quoted || cur !== '' || row.length > 0) throw new WireError('对账单不完整：最后一行没有结束');
  return out;
}

const TIME_CELL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Parses and checks a bank-csv file; throws WireError when it is malformed, cut or inconsistent. */
export function parseBankBill(bytes: Buffer, expectDate?: string): BankBill {
  let text: string;
  try {
    // ignoreBOM keeps the BOM in the text, so its absence can be noticed.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new WireError('对账单不是 UTF-8');
  }
  if (!text.startsWith(BOM)) throw new WireError('对账单缺少 UTF-8 BOM');
  const recs = records(text.slice(1));
  const header = recs.shift();
  if (!header || header.join(',') !== BILL_HEADER.join(',')) throw new WireError('对账单表头不符');
  const trailer = recs.pop();
  if (!trailer || trailer[0] !== 'SUMMARY' || trailer.length !== 9) throw new WireError('对账单不完整：缺少 SUMMARY 汇总行');
  const rows = recs.map((r, n) => parseRow(r, n + 2));
  const [, billDate = '', ...nums] = trailer;
  const counted = (v: string | undefined, f: string) => fenFromWire(v, `SUMMARY.${f}`, true);
  const summary: BankBillSummary = {
    billDate,
    rowCount: counted(nums[0], 'row_count'),
    payCount: counted(nums[1], 'pay_count'),
    payFen: counted(nums[2], 'pay_amt'),
    payFeeFen: counted(nums[3], 'pay_fee_amt'),
    refundCount: counted(nums[4], 'refund_count'),
    refundFen: counted(nums[5], 'refund_amt'),
    refundFeeFen: counted(nums[6], 'refund_fee_amt'),
  };
  if (expectDate !== undefined && billDate !== expectDate) throw new WireError(`对账单日期 ${billDate} 不是 ${expectDate}`);
  const recomputed = summarize(billDate, rows);
  for (const k of Object.keys(recomputed) as (keyof BankBillSummary)[]) {
    if (recomputed[k] !== summary[k]) throw new WireError(`对账单汇总行与明细不符（${k}）：文件可能不完整`);
  }
  return { rows, summary };
}

function parseRow(r: string[], line: number): BankBillRow {
  if (r.length !== BILL_HEADER.length) throw new WireError(`对账单第 ${line} 行列数不符`);
  const [recordType, orderNo, tradeNo, refundNo, refundTradeNo, payType, txn, refund, fee, createTime, finishTime, subject] = r as [
    string, string, string, string, string, string, string, string, string, string, string, string,
  ];
  if (recordType !== 'PAY' && recordType !== 'REFUND') throw new WireError(`对账单第 ${line} 行类型未知：${recordType}`);
  if (payType !== 'QUICK' && payType !== 'ONLINE') throw new WireError(`对账单第 ${line} 行支付方式未知：${payType}`);
  if (!TIME_CELL.test(createTime) || !TIME_CELL.test(finishTime)) throw new WireError(`对账单第 ${line} 行时间格式不符`);
  const isRefund = recordType === 'REFUND';
  if (!orderNo || !tradeNo || (isRefund && (!refundNo || !refundTradeNo))) throw new WireError(`对账单第 ${line} 行缺少单号`);
  if (!isRefund && (refundNo || refundTradeNo || refund)) throw new WireError(`对账单第 ${line} 行支付记录带有退款字段`);
  return {
    recordType,
    orderNo,
    tradeNo,
    refundNo,
    refundTradeNo,
    payType,
    txnFen: fenFromWire(txn, `第 ${line} 行 txn_amt`),
    refundFen: isRefund ? fenFromWire(refund, `第 ${line} 行 refund_amt`) : 0,
    feeFen: fenFromWire(fee, `第 ${line} 行 fee_amt`, true),
    createTime,
    finishTime,
    subject,
  };
}
