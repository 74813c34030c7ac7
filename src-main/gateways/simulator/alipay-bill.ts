import iconv from 'iconv-lite';
import { fenToYuanString, type Fen } from '../../core/money';
import { DAY_MS, formatShanghai, shanghaiDayStart } from '../../core/time';
import type { SimRefund, SimTrade } from './ledger';
import { writeZip } from './alipay-zip';

/**
 * The simulated Alipay trade bill (bill_type=trade), built from the simulator's ledger: a ZIP of two
 * GBK CSVs, `<pid>0156_<yyyyMMdd>_业务明细.csv` and `…_业务明细(汇总).csv`
 * (alipay-sdk-java-all v3/docs/AlipayDataDataserviceBillDownloadurlApi.md; file names as merchants'
 * parsers open them: `uid + "0156_" + date + "_业务明细.csv"`, `endWith("_业务明细(汇总).csv")`).
 * Detail layout (PROTOCOLS.md §3, markers as parsers match them): 4 `#` preface lines, the 25-column
 * header with full-width （元）, rows whose ids carry a trailing TAB (so spreadsheets keep the digits),
 * refund rows with 业务类型 退款, negative 商家实收 and 退款批次号/请求号 = out_request_no, then the
 * trailer (列表结束, 交易合计, 退款合计, 导出时间). The 汇总 layout follows the same markers with
 * 业务汇总列表 and the columns merchants' parsers read (门店编号 … 实收净额（元）). Line ends are CRLF
 * (unverified: every parser seen splits lines either way).
 */
export const DETAIL_HEADER = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号', '对方账户',
  '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）', '券核销金额（元）', '券名称',
  '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
];

export const SUMMARY_HEADER = [
  '门店编号', '门店名称', '交易订单总笔数', '退款订单总笔数', '订单金额（元）', '商家实收（元）', '支付宝优惠（元）', '商家优惠（元）',
  '卡消费金额（元）', '服务费（元）', '分润（元）', '实收净额（元）',
];

const DETAIL_START = '#-----------------------------------------业务明细列表----------------------------------------';
const DETAIL_END = '#-----------------------------------------业务明细列表结束------------------------------------';
const SUMMARY_START = '#-----------------------------------------业务汇总列表----------------------------------------';
const SUMMARY_END = '#----------------------------------------业务汇总列表结束-------------------------------------';

export interface AlipayBillInput {
  pid: string;
  /** Asia/Shanghai business date, YYYY-MM-DD. */
  date: string;
  trades: Iterable<SimTrade>;
  refunds: Iterable<SimRefund>;
  exportedAt: number;
  /** Service fee in parts per million of the amount (0.6% = 6000), returned pro rata on refunds. */
  feeRatePpm: number;
  type: 'all' | 'success' | 'refund';
}

const y = (fen: Fen) => fenToYuanString(fen);
const id = (s: string) => (s ? `${s}\t` : '');
const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const line = (cells: readonly string[]) => cells.map(cell).join(',');
/** 2026年11月26日 00:00:00 */
const cnTime = (ms: number) => formatShanghai(ms).replace(/^(\d{4})-(\d{2})-(\d{2})/, '$1年$2月$3日');
const fee = (fen: Fen, ppm: number) => Math.floor((fen * ppm + 500_000) / 1_000_000);

export function alipayBillFiles(input: AlipayBillInput): { zipName: string; files: { name: string; text: string }[] } {
  const start = shanghaiDayStart(input.date);
  const end = start + DAY_MS;
  const inDay = (t: number | undefined) => t !== undefined && t >= start && t < end;
  const trades = new Map<string, SimTrade>();
  for (const t of input.trades) trades.set(t.orderNo, t);
  const rows: { at: number; cells: string[]; received: Fen; fee: Fen; refund: boolean }[] = [];
  const zero = '0.00';
  if (input.type !== 'refund') {
    for (const t of trades.values()) {
      if (!inDay(t.paidAt)) continue;
      const f = fee(t.amountFen, input.feeRatePpm);
      const cells = [id(t.platformTradeNo), id(t.orderNo), '交易', t.description, formatShanghai(t.createdAt), formatShanghai(t.paidAt ?? 0), '', '', '', '', t.payer ?? '',
        y(t.amountFen), y(t.amountFen), zero, zero, zero, zero, zero, '', zero, zero, '', y(-f), zero, ''];
      rows.push({ at: t.paidAt ?? 0, cells, received: t.amountFen, fee: -f, refund: false });
    }
  }
  if (input.type !== 'success') {
    for (const r of input.refunds) {
      const t = trades.get(r.orderNo);
      if (!t || r.state !== 'success' || !inDay(r.succeededAt)) continue;
      const f = fee(r.amountFen, input.feeRatePpm);
      const cells = [id(t.platformTradeNo), id(t.orderNo), '退款', t.description, formatShanghai(t.createdAt), formatShanghai(r.succeededAt ?? 0), '', '', '', '', t.payer ?? '',
        y(t.amountFen), y(-r.amountFen), zero, zero, zero, zero, zero, '', zero, zero, id(r.refundNo), y(f), zero, r.reason];
      rows.push({ at: r.succeededAt ?? 0, cells, received: -r.amountFen, fee: f, refund: true });
    }
  }
  rows.sort((a, b) => a.at - b.at);
  const pays = rows.filter((r) => !r.refund);
  const refunds = rows.filter((r) => r.refund);
  const sum = (rs: typeof rows, f: (r: (typeof rows)[number]) => Fen) => rs.reduce((s, r) => s + f(r), 0);
  const account = `${input.pid}0156`;
  const range = `#起始日期：[${cnTime(start)}]   终止日期：[${cnTime(end)}]`;
  const exported = `#导出时间：[${cnTime(input.exportedAt)}]`;
  const detail = [
    '#支付宝业务明细查询', `#账号：[${account}]`, range, DETAIL_START, line(DETAIL_HEADER), ...rows.map((r) => line(r.cells)), DETAIL_END,
    `#交易合计：${pays.length}笔，商家实收共${y(sum(pays, (r) => r.received))}元，商家优惠共0.00元`,
    `#退款合计：${refunds.length}笔，商家实收退款共${y(sum(refunds, (r) => r.received))}元，商家优惠退款共0.00元`,
    exported,
  ];
  const ordered = sum(pays, (r) => r.received);
  const received = sum(rows, (r) => r.received);
  const fees = sum(rows, (r) => r.fee);
  const totals = [String(pays.length), String(refunds.length), y(ordered), y(received), zero, zero, zero, y(fees), zero, y(received + fees)];
  const summary = [
    '#支付宝业务汇总查询', `#账号：[${account}]`, range, SUMMARY_START, line(SUMMARY_HEADER), line(['', '', ...totals]), line(['合计', '', ...totals]), SUMMARY_END, exported,
  ];
  const day = input.date.replace(/-/g, '');
  const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
  return {
    zipName: `${account}_${day}.csv.zip`,
    files: [
      { name: `${account}_${day}_业务明细.csv`, text: crlf(detail) },
      { name: `${account}_${day}_业务明细(汇总).csv`, text: crlf(summary) },
    ],
  };
}

export function alipayBillZip(input: AlipayBillInput): Buffer {
  const { files } = alipayBillFiles(input);
  return writeZip(files.map((f) => ({ name: iconv.encode(f.name, 'gbk'), data: iconv.encode(f.text, 'gbk'), modified: input.exportedAt })));
}
