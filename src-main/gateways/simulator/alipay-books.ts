import { parseYuan, fenToYuanString, type Fen } from '../../core/money';
import { compactShanghai, formatShanghai } from '../../core/time';
import { SimLedger, type SimRefund, type SimTrade } from './ledger';

/**
 * The simulated Alipay's business rules, on its SimLedger: what alipay.trade.* and alipay.fund.trans.*
 * answer, with the platform's own result codes. HTTP, signatures, faults and notifications live in
 * alipay-platform.ts. Replies are the members of `<method>_response` (code/msg/sub_code/sub_msg + fields).
 */
export type Biz = Record<string, unknown>;
export type Reply = Record<string, unknown>;

export const ok = (fields: Reply = {}): Reply => ({ code: '10000', msg: 'Success', ...fields });
export const fail = (subCode: string, subMsg: string): Reply => ({ code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg });

const text = (b: Biz, k: string): string | undefined => (typeof b[k] === 'string' && b[k] !== '' ? (b[k] as string) : undefined);
const yuan = (fen: Fen) => fenToYuanString(fen);

/** Alipay takes "0.01" strings (and JSON numbers); at most two decimals, at least one fen. */
function amount(v: unknown): Fen | undefined {
  try {
    return typeof v === 'string' || typeof v === 'number' ? parseYuan(v, { maxFen: 10_000_000_000 }) : undefined;
  } catch {
    return undefined;
  }
}

export interface AlipayBooksOptions {
  /** refund settles this long after the request (0: at once, fund_change=Y, as Alipay usually does). */
  refundDelayMs: number;
  /** Known payees (identity → real name); when absent every payee exists and every name matches. */
  payees?: Readonly<Record<string, string>>;
  balanceFen: Fen;
  buyerLogonId: string;
}

/** Alipay's wording of the transfer errors the transfer_fail fault may name. */
const TRANSFER_FAIL_MESSAGES: Record<string, string> = {
  PAYEE_NOT_EXIST: '收款账号不存在',
  PAYEE_USER_INFO_ERROR: '支付宝账号和姓名不匹配，请确认姓名是否正确',
  PAYER_BALANCE_NOT_ENOUGH: '付款方余额不足',
  PAYEE_ACCOUNT_STATUS_ERROR: '收款方账户状态异常',
};

export class AlipayBooks {
  readonly ledger = new SimLedger('');
  private seq = 0;
  private balanceFen: Fen;

  constructor(
    private readonly opts: AlipayBooksOptions,
    private readonly now: () => number,
    /** Called when a trade is paid or a refund succeeds: the platform sends the notification. */
    private readonly changed: (trade: SimTrade, refund?: SimRefund) => void,
  ) {
    this.balanceFen = opts.balanceFen;
  }

  /** 28 digits like 2019081522001468450512505578: the Shanghai date, 22001, a sequence. */
  nextNumber(): string {
    return `${compactShanghai(this.now()).slice(0, 8)}22001${String(++this.seq).padStart(15, '0')}`;
  }

  /** The trade, closed first if its time ran out while nobody paid (Alipay closes on timeout). */
  trade(orderNo: string): SimTrade | undefined {
    const t = this.ledger.trades.get(orderNo);
    if (t && t.state === 'pending' && this.now() >= t.expireAt) Object.assign(t, { state: 'closed', closedAt: t.expireAt });
    return t;
  }

  /** Creates the trade (precreate, or the payer opening a page/wap pay URL), or finds the same one again. */
  open(biz: Biz, scene: string, expireAt: number, notifyUrl: string): { trade: SimTrade } | { error: Reply } {
    const orderNo = text(biz, 'out_trade_no');
    const total = amount(biz.total_amount);
    const subject = text(biz, 'subject');
    if (!orderNo || orderNo.length > 64 || total === undefined || !subject) return { error: fail('ACQ.INVALID_PARAMETER', '参数无效：out_trade_no/total_amount/subject') };
    const existing = this.trade(orderNo);
    if (existing) {
      if (existing.state === 'paid' || existing.state === 'refunded') return { error: fail('ACQ.TRADE_HAS_SUCCESS', '交易已被支付') };
      if (existing.state === 'closed' && !existing.payAfterClose) return { error: fail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭') };
      if (existing.amountFen !== total || existing.description !== subject) return { error: fail('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改') };
      return { trade: existing };
    }
    const trade: SimTrade = {
      orderNo, amountFen: total, description: subject, scene, state: 'pending', platformTradeNo: this.nextNumber(),
      createdAt: this.now(), expireAt, notifyUrl, refundedFen: 0,
    };
    this.ledger.trades.set(orderNo, trade);
    return { trade };
  }

  pay(orderNo: string): SimTrade {
    const t = this.trade(orderNo);
    if (!t) throw new Error('交易不存在（电脑/手机网站支付须先打开支付链接）');
    if (t.state === 'paid' || t.state === 'refunded') throw new Error('交易已支付');
    if (t.state === 'closed' && !t.payAfterClose) throw new Error('交易已关闭');
    Object.assign(t, { state: 'paid', paidAt: this.now(), payer: this.opts.buyerLogonId, payAfterClose: false });
    this.changed(t);
    return t;
  }

  query(biz: Biz): Reply {
    const t = this.trade(text(biz, 'out_trade_no') ?? '');
    if (!t) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const status = t.state === 'pending' ? 'WAIT_BUYER_PAY' : t.state === 'paid' ? 'TRADE_SUCCESS' : 'TRADE_CLOSED';
    const r: Reply = { trade_no: t.platformTradeNo, out_trade_no: t.orderNo, trade_status: status, total_amount: yuan(t.amountFen) };
    if (t.paidAt !== undefined) {
      Object.assign(r, { buyer_logon_id: t.payer, buyer_pay_amount: yuan(t.amountFen), receipt_amount: yuan(t.amountFen), send_pay_date: formatShanghai(t.paidAt ?? 0) });
    }
    return ok(r);
  }

  /** Only WAIT_BUYER_PAY can be closed (opendocs alipay.trade.close: ACQ.TRADE_STATUS_ERROR otherwise). */
  close(biz: Biz, payAfterClose: boolean): Reply {
    const t = this.trade(text(biz, 'out_trade_no') ?? '');
    if (!t) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (t.state !== 'pending') return fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    Object.assign(t, { state: 'closed', closedAt: this.now(), payAfterClose });
    return ok({ trade_no: t.platformTradeNo, out_trade_no: t.orderNo });
  }

  private settled(orderNo: string): Fen {
    let sum = 0;
    for (const r of this.ledger.refunds.values()) if (r.orderNo === orderNo && r.state === 'success') sum += r.amountFen;
    return sum;
  }

  /**
   * alipay.trade.refund: out_request_no identifies the refund (defaults to out_trade_no); the same
   * one again is a retry and moves no money (fund_change=N); refund_fee is the trade's cumulative refund.
   */
  refund(biz: Biz): Reply {
    const t = this.trade(text(biz, 'out_trade_no') ?? '');
    if (!t) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const refundNo = text(biz, 'out_request_no') ?? t.orderNo;
    const refundFen = amount(biz.refund_amount);
    if (refundFen === undefined) return fail('ACQ.INVALID_PARAMETER', '退款金额无效');
    const key = `${t.orderNo}|${refundNo}`;
    const head = () => ({ trade_no: t.platformTradeNo, out_trade_no: t.orderNo, buyer_logon_id: t.payer });
    const done = this.ledger.refunds.get(key);
    if (done) {
      if (done.amountFen !== refundFen) return fail('ACQ.DISCORDANT_REPEAT_REQUEST', '不一致的请求');
      return ok({ ...head(), fund_change: 'N', refund_fee: yuan(this.settled(t.orderNo)) });
    }
    if (t.state === 'refunded') return fail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
    if (t.state !== 'paid') return fail('ACQ.TRADE_STATUS_ERROR', '交易状态非法');
    if (this.ledger.refundedOf(t.orderNo) + refundFen > t.amountFen) return fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    const r: SimRefund = {
      refundNo, orderNo: t.orderNo, amountFen: refundFen, reason: text(biz, 'refund_reason') ?? '', state: 'processing',
      platformRefundNo: t.platformTradeNo, createdAt: this.now(), notifyUrl: t.notifyUrl,
    };
    this.ledger.refunds.set(key, r);
    if (this.opts.refundDelayMs <= 0) {
      this.settle(t, r);
      return ok({ ...head(), fund_change: 'Y', refund_fee: yuan(this.settled(t.orderNo)), gmt_refund_pay: formatShanghai(r.succeededAt ?? 0) });
    }
    setTimeout(() => this.settle(t, r), this.opts.refundDelayMs).unref();
    return ok({ ...head(), fund_change: 'N', refund_fee: yuan(this.settled(t.orderNo)) });
  }

  private settle(t: SimTrade, r: SimRefund): void {
    Object.assign(r, { state: 'success', succeededAt: this.now() });
    t.refundedFen = this.settled(t.orderNo);
    if (t.refundedFen >= t.amountFen) Object.assign(t, { state: 'refunded', closedAt: this.now() });
    this.changed(t, r);
  }

  /** fastpay.refund.query: refund_status only once done; an unknown out_request_no is an empty success. */
  refundQuery(biz: Biz): Reply {
    const t = this.trade(text(biz, 'out_trade_no') ?? '');
    if (!t) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const refundNo = text(biz, 'out_request_no') ?? t.orderNo;
    const r = this.ledger.refunds.get(`${t.orderNo}|${refundNo}`);
    if (!r) return ok({ out_trade_no: t.orderNo, trade_no: t.platformTradeNo });
    const reply: Reply = { trade_no: t.platformTradeNo, out_trade_no: t.orderNo, out_request_no: refundNo, total_amount: yuan(t.amountFen), refund_amount: yuan(r.amountFen) };
    if (r.state === 'success') {
      reply.refund_status = 'REFUND_SUCCESS';
      const options = Array.isArray(biz.query_options) ? biz.query_options : [];
      if (options.includes('gmt_refund_pay')) reply.gmt_refund_pay = formatShanghai(r.succeededAt ?? 0);
    }
    return ok(reply);
  }

  /** `failure` (the transfer_fail fault) is asked only for a new out_biz_no: a business error of that code. */
  transfer(biz: Biz, failure: () => string | undefined = () => undefined): Reply {
    const transferNo = text(biz, 'out_biz_no');
    const fen = amount(biz.trans_amount);
    const payee = (typeof biz.payee_info === 'object' && biz.payee_info !== null ? biz.payee_info : {}) as Biz;
    const identity = text(payee, 'identity');
    const name = text(payee, 'name');
    if (!transferNo || fen === undefined || !identity || text(biz, 'product_code') !== 'TRANS_ACCOUNT_NO_PWD' || text(biz, 'biz_scene') !== 'DIRECT_TRANSFER') {
      return fail('INVALID_PARAMETER', '参数有误');
    }
    const existing = this.ledger.transfers.get(transferNo);
    if (existing) {
      if (existing.amountFen !== fen || existing.account !== identity) return fail('PAYMENT_INFO_INCONSISTENCY', '两次请求商户单号一样，但是参数不一致');
      return ok(this.transferReply(transferNo));
    }
    const forced = failure();
    if (forced) return fail(forced, TRANSFER_FAIL_MESSAGES[forced] ?? '转账失败');
    const idType = text(payee, 'identity_type');
    const known = this.opts.payees;
    if ((idType === 'ALIPAY_USER_ID' && !/^2088\d{12}$/.test(identity)) || (known && !(identity in known))) return fail('PAYEE_NOT_EXIST', '收款账号不存在');
    if (known && name !== known[identity]) return fail('PAYEE_USER_INFO_ERROR', '支付宝账号和姓名不匹配，请确认姓名是否正确');
    if (fen > this.balanceFen) return fail('PAYER_BALANCE_NOT_ENOUGH', '付款方余额不足');
    this.balanceFen -= fen;
    const at = this.now();
    this.ledger.transfers.set(transferNo, {
      transferNo, amountFen: fen, account: identity, name: name ?? '', remark: text(biz, 'order_title') ?? '', state: 'success',
      platformTransferNo: this.nextNumber(), createdAt: at, succeededAt: at, notifyUrl: '',
    });
    return ok(this.transferReply(transferNo));
  }

  private transferReply(transferNo: string): Reply {
    const x = this.ledger.transfers.get(transferNo);
    if (!x) return {};
    return { out_biz_no: x.transferNo, order_id: x.platformTransferNo, pay_fund_order_id: `${x.platformTransferNo}1`, status: 'SUCCESS', trans_date: formatShanghai(x.succeededAt ?? 0) };
  }

  transferQuery(biz: Biz): Reply {
    const x = this.ledger.transfers.get(text(biz, 'out_biz_no') ?? '');
    if (!x) return fail('ORDER_NOT_EXIST', '转账订单不存在');
    const r = this.transferReply(x.transferNo);
    return ok({ order_id: r.order_id, pay_fund_order_id: r.pay_fund_order_id, out_biz_no: x.transferNo, status: 'SUCCESS', pay_date: r.trans_date, trans_amount: yuan(x.amountFen) });
  }
}
