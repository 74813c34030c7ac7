import type { Fen } from '../money';
import type { PaymentMethod } from '../orders/order-types';
import type { RecordKind, RecordState } from './recon-diff';

/**
 * One line of a platform's bill in our units, whatever the channel (WeChat CSV, Alipay GBK ZIP, bank
 * statement): what the bill readers in `src-main/gateways/<platform>/` yield, line by line, and what
 * the reconciliation run stores in its staging table before the join. Amounts were converted from
 * the bill's yuan cells at the reader, once.
 */
export interface BillRecord {
  platform: PaymentMethod;
  kind: RecordKind;
  /** out_trade_no for payments, out_refund_no / out_request_no for refunds: the join key. */
  key: string;
  /** Our order number (for refunds the original out_trade_no). */
  orderNo: string;
  /** The platform's own number (transaction_id, trade_no, refund_id…). */
  platformNo: string;
  /** Payment: the amount paid; refund: the amount refunded (positive). */
  amountFen: Fen;
  /** The platform's fee for this line (positive charged; a refund line's returned fee is negative), null when the bill has none. */
  feeFen: Fen | null;
  state: RecordState;
  /** When the money moved at the platform (epoch ms; parsed as Asia/Shanghai). */
  at: number;
  /** The bill's business date, YYYY-MM-DD (Asia/Shanghai). */
  billDate: string;
  /** 1-based line number in the (inner) file, for error messages and the workbench's "platform record" panel. */
  line: number;
  /** The line's cells by header name, as in the file (after removing WeChat's backticks): shown field by field in the workbench. */
  raw: Record<string, string>;
}

/** The bill's own closing totals, checked against the sum of its lines (a bill that disagrees is refused). */
export interface BillSummary {
  count: number;
  /** Sum of payment amounts (WeChat 应结订单总金额 / Alipay 交易金额合计 …). */
  paidFen: Fen;
  refundedFen: Fen;
  feeFen: Fen | null;
}
