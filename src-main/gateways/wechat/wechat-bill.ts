import { fenToYuanString, type Fen } from '../../core/money';

/**
 * The WeChat Pay trade bill (交易账单) file, as `/v3/billdownload/file` delivers it:
 *  - a UTF-8 BOM (wechatpay-axios-plugin Formatter.castCsvBill skips "BOM(EFBBBF)" before parsing);
 *  - the detail header (plain names, comma separated), then one line per payment or refund in which EVERY
 *    cell is prefixed with a backtick so Excel keeps long numbers as text (pay.weixin.qq.com
 *    docs/merchant/products/bill-download/format-trade.html: "明细数据和汇总数据每个字段前会增加1个字符");
 *  - the summary header and one backticked summary line.
 * The columns depend on bill_type (binarywang/WxJava WxPayBillResultTest, com.github.binarywang.wxpay):
 * ALL has the 27 below; SUCCESS drops the refund columns (20); REFUND adds 退款申请时间 and 退款成功时间
 * after 代金券金额 (29). Amounts are YUAN with 2 decimals. 手续费 is charged per line, rounded to the fen,
 * and written with 5 decimals (WxJava: ¥6.00 at 0.60% → `0.04000); it is negative on refund lines. A
 * payment line has 微信退款单号 and 商户退款单号 `0 and empty refund type/status; a refund line (交易状态
 * REFUND) has 应结订单金额 and 订单金额 0.00 and carries the refund in 退款金额 / 申请退款金额 (real lines in
 * gunsluo/wechatpay-go helper_test.go and WxJava). Parse by header NAME: v2 bills have 24 columns and the
 * order is not promised.
 */
export const TRADE_BILL_HEADER = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态',
  '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
] as const;

const REFUND_COLUMNS = new Set<string>(['微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '申请退款金额']);

export const SUCCESS_BILL_HEADER = TRADE_BILL_HEADER.filter((h) => !REFUND_COLUMNS.has(h));

export const REFUND_BILL_HEADER = [...TRADE_BILL_HEADER.slice(0, 14), '退款申请时间', '退款成功时间', ...TRADE_BILL_HEADER.slice(14)];

export const BILL_SUMMARY_HEADER = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'] as const;

export type BillType = 'ALL' | 'SUCCESS' | 'REFUND';

/** One line of the bill, in our units; the writer turns fen into yuan cells. */
export interface TradeBillLine {
  /** 交易时间, Shanghai "yyyy-MM-dd HH:mm:ss": the payment's success time or the refund's acceptance time. */
  time: string;
  appid: string;
  mchid: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  tradeType: string;
  kind: 'payment' | 'refund';
  orderFen: Fen;
  refund?: { refundId: string; outRefundNo: string; amountFen: Fen; status: string; appliedAt: string; succeededAt: string };
  description: string;
  attach: string;
  /** 费率 in hundredths of a percent: 60 = 0.60%. */
  rateBp: number;
}

const BOM = '\ufeff';

/** The line's fee in fen, rounded half up (negative for a refund, which returns the fee). */
function feeFen(line: TradeBillLine): Fen {
  const base = line.kind === 'refund' && line.refund ? line.refund.amountFen : line.orderFen;
  const fee = Math.floor((base * line.rateBp) / 10000 + 0.5);
  return line.kind === 'refund' ? -fee : fee;
}

const feeCell = (fen: Fen) => `${fenToYuanString(fen)}000`;
const rate = (bp: number) => `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;

/** Cells cannot hold a line break or the ",`" separator; WeChat's own data never does. */
const clean = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/,`/g, ', ');

function detailRecord(line: TradeBillLine): Record<string, string> {
  const r = line.kind === 'refund' ? line.refund : undefined;
  const yuan = fenToYuanString;
  return {
    交易时间: line.time,
    公众账号ID: line.appid,
    商户号: line.mchid,
    特约商户号: '0',
    设备号: '',
    微信订单号: line.transactionId,
    商户订单号: line.outTradeNo,
    用户标识: line.openid,
    交易类型: line.tradeType,
    交易状态: r ? 'REFUND' : 'SUCCESS',
    付款银行: 'OTHERS',
    货币种类: 'CNY',
    应结订单金额: yuan(r ? 0 : line.orderFen),
    代金券金额: '0.00',
    退款申请时间: r?.appliedAt ?? '',
    退款成功时间: r?.succeededAt ?? '',
    微信退款单号: r ? r.refundId : '0',
    商户退款单号: r ? r.outRefundNo : '0',
    退款金额: yuan(r ? r.amountFen : 0),
    充值券退款金额: '0.00',
    退款类型: r ? 'ORIGINAL' : '',
    退款状态: r ? r.status : '',
    商品名称: line.description,
    商户数据包: line.attach,
    手续费: feeCell(feeFen(line)),
    费率: rate(line.rateBp),
    订单金额: yuan(r ? 0 : line.orderFen),
    申请退款金额: yuan(r ? r.amountFen : 0),
    费率备注: '',
  };
}

export function writeTradeBill(type: BillType, lines: readonly TradeBillLine[]): Buffer {
  const rows = lines.filter((l) => type === 'ALL' || (type === 'SUCCESS' ? l.kind === 'payment' : l.kind === 'refund'));
  const header = type === 'REFUND' ? REFUND_BILL_HEADER : type === 'SUCCESS' ? SUCCESS_BILL_HEADER : TRADE_BILL_HEADER;
  let settle = 0;
  let refunded = 0;
  let fees = 0;
  for (const l of rows) {
    fees += feeFen(l);
    if (l.kind === 'refund' && l.refund) refunded += l.refund.amountFen;
    else settle += l.orderFen;
  }
  const out = [
    header.join(','),
    ...rows.map((l) => {
      const rec = detailRecord(l);
      return `\`${header.map((h) => clean(rec[h] ?? '')).join(',`')}`;
    }),
    BILL_SUMMARY_HEADER.join(','),
    `\`${[String(rows.length), fenToYuanString(settle), fenToYuanString(refunded), '0.00', feeCell(fees), fenToYuanString(settle), fenToYuanString(refunded)].join(',`')}`,
  ];
  return Buffer.from(`${BOM}${out.join('\n')}\n`, 'utf8');
}

export interface ParsedTradeBill {
  header: string[];
  rows: Record<string, string>[];
  summary: Record<string, string>;
}

/** Reads a trade bill by header name; cells lose their leading backtick. */
export function parseTradeBill(bytes: Buffer): ParsedTradeBill {
  let text = bytes.toString('utf8');
  if (text.startsWith(BOM)) text = text.slice(1);
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const cells = (line: string) => (line.startsWith('`') ? line.slice(1) : line).split(',`');
  const header = (lines[0] ?? '').split(',').map((h) => h.replace(/^`/, ''));
  const summaryAt = lines.findIndex((l, i) => i > 0 && l.replace(/^`/, '').startsWith(BILL_SUMMARY_HEADER[0]));
  if (header[0] !== TRADE_BILL_HEADER[0] || summaryAt < 0) throw new Error('不是微信支付交易账单格式（缺少表头或汇总行）');
  const toRecord = (names: readonly string[], line: string) => Object.fromEntries(cells(line).map((v, i) => [names[i] ?? String(i), v]));
  const summaryHeader = (lines[summaryAt] ?? '').split(',');
  return {
    header,
    rows: lines.slice(1, summaryAt).map((l) => toRecord(header, l)),
    summary: toRecord(summaryHeader, lines[summaryAt + 1] ?? ''),
  };
}
