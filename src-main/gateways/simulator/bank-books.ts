import type { Fen } from '../../core/money';
import { DAY_MS, HOUR_MS, shanghaiDate, shanghaiDayStart } from '../../core/time';
import type { BankBillRow } from '../bank/bank-bill';
import { billTime, dateFromWire, fenFromWire, fenToWire, timeFromWire, timeToWire } from '../bank/bank-wire';
import {
  ACCOUNT_PATTERN, CARD_TOKEN_PATTERN, CURRENCY, NUMBER_PATTERN, REFUND_WINDOW_MS, SMS_CODE_TTL_MS, SMS_MAX_WRONG,
  TRANSFER_FAIL_TEXT, isTransferFailCode, type BankErrorCode, type PayType, type TradeStatusCode, type TransferFailCode,
} from '../bank/protocol';
import { SimLedger, type SimRefund, type SimTrade, type SimTransfer } from './ledger';

/**
 * The simulated institution's business rules (protocol.ts §5), separate from its HTTP envelope
 * (bank-platform.ts). Each call takes the request's fields and returns the answer's own fields, or
 * throws BankSimError with the institution's error code. Books live in a SimLedger.
 */
export class BankSimError extends Error {
  constructor(
    readonly code: BankErrorCode,
    message?: string,
  ) {
    super(message ?? code);
  }
}

export interface BankBooksOptions {
  smsCode: string;
  /** Fee in basis points of the amount (0 = none), charged per payment and returned per refund. */
  feeRateBp: number;
  /** Sandbox bank registry: account → holder name (a different payee_name → ACCOUNT_NAME_MISMATCH). */
  accounts: Readonly<Record<string, string>>;
  /** The merchant's settlement balance available for transfers. */
  balanceFen: Fen;
  /** How long refunds and transfers stay PROCESSING (platform clock) unless their notification fires first. */
  refundDelayMs: number;
  transferDelayMs: number;
}

interface TradeExtra {
  payType: PayType;
  fields: string;
  smsSentAt: number;
  smsWrong: number;
}

type F = Readonly<Record<string, string>>;

function need(f: F, name: string, pattern?: RegExp): string {
  const v = f[name];
  if (!v || (pattern && !pattern.test(v))) throw new BankSimError('INVALID_PARAM', `参数错误：${name}`);
  return v;
}

function amount(f: F, name: string): Fen {
  try {
    return fenFromWire(f[name], name);
  } catch {
    throw new BankSimError('INVALID_PARAM', `参数错误：${name}`);
  }
}

const fee = (fen: Fen, bp: number): Fen => Math.floor((fen * bp + 5000) / 10000);

export class BankBooks {
  readonly ledger = new SimLedger('BK');
  private readonly extra = new Map<string, TradeExtra>();
  /** Numbers closed before any payment request (protocol.ts §5 close): reserved forever. */
  private readonly reserved = new Set<string>();
  private readonly refundFee = new Map<string, Fen>();
  private readonly transferFail = new Map<string, TransferFailCode>();
  private readonly forcedFail = new Map<string, TransferFailCode>();
  private balance: Fen;

  constructor(
    readonly options: BankBooksOptions,
    private readonly now: () => number,
  ) {
    this.balance = options.balanceFen;
  }

  /** A pending trade past its expire_time is closed, as the institution does. */
  trade(orderNo: string): SimTrade | undefined {
    const t = this.ledger.trades.get(orderNo);
    if (t && t.state === 'pending' && this.now() > t.expireAt) Object.assign(t, { state: 'closed', closedAt: t.expireAt });
    return t;
  }

  private open(f: F, payType: PayType): { trade: SimTrade; fresh: boolean } {
    const orderNo = need(f, 'order_no', NUMBER_PATTERN);
    const amountFen = amount(f, 'txn_amt');
    if (need(f, 'currency') !== CURRENCY) throw new BankSimError('INVALID_PARAM', '参数错误：currency');
    const expireAt = timeFromWire(need(f, 'expire_time'), 'expire_time');
    const notifyUrl = need(f, 'notify_url');
    const key = JSON.stringify([payType, amountFen, f.subject, f.expire_time, notifyUrl, f.card_token, f.return_url, f.bank_code]);
    if (this.reserved.has(orderNo)) throw new BankSimError('ORDER_CLOSED');
    const existing = this.trade(orderNo);
    if (existing) {
      if (existing.state === 'paid' || existing.state === 'refunded') throw new BankSimError('ORDER_PAID');
      if (existing.state === 'closed') throw new BankSimError('ORDER_CLOSED');
      if (this.extra.get(orderNo)?.fields !== key) throw new BankSimError('ORDER_CONFLICT');
      return { trade: existing, fresh: false };
    }
    if (expireAt <= this.now()) throw new BankSimError('INVALID_PARAM', '参数错误：expire_time 已过');
    const now = this.now();
    const trade: SimTrade = {
      orderNo, amountFen, description: f.subject ?? '', scene: payType === 'QUICK' ? 'bank_quick' : 'bank_online', state: 'pending',
      platformTradeNo: this.ledger.nextNumber(now), createdAt: now, expireAt, notifyUrl, payer: f.card_token, refundedFen: 0,
    };
    this.ledger.trades.set(orderNo, trade);
    this.extra.set(orderNo, { payType, fields: key, smsSentAt: now, smsWrong: 0 });
    return { trade, fresh: true };
  }

  quick(f: F): Record<string, string> {
    const token = need(f, 'card_token', CARD_TOKEN_PATTERN);
    if (token === 'tok_unbound') throw new BankSimError('CARD_TOKEN_INVALID');
    const { trade } = this.open(f, 'QUICK');
    // A repeat sends a new SMS code: its clock and wrong-attempt count start again.
    Object.assign(this.extra.get(trade.orderNo) ?? {}, { smsSentAt: this.now(), smsWrong: 0 });
    return { order_no: trade.orderNo, trade_no: trade.platformTradeNo, txn_amt: fenToWire(trade.amountFen), trade_status: 'WAIT_CONFIRM' };
  }

  online(f: F, payUrl: (orderNo: string) => string): Record<string, string> {
    const { trade } = this.open(f, 'ONLINE');
    return { order_no: trade.orderNo, trade_no: trade.platformTradeNo, txn_amt: fenToWire(trade.amountFen), trade_status: 'WAIT_PAY', pay_url: payUrl(trade.orderNo) };
  }

  /** Checks the SMS code; the caller marks the trade paid (and notifies) when this returns. */
  confirm(f: F, smsCode: string): SimTrade {
    const orderNo = need(f, 'order_no', NUMBER_PATTERN);
    const trade = this.trade(orderNo);
    const extra = this.extra.get(orderNo);
    if (!trade || !extra || trade.platformTradeNo !== need(f, 'trade_no') || extra.payType !== 'QUICK') throw new BankSimError('ORDER_NOT_EXIST');
    if (trade.state === 'paid' || trade.state === 'refunded') throw new BankSimError('ORDER_PAID');
    if (trade.state === 'closed') throw new BankSimError('ORDER_CLOSED');
    need(f, 'sms_code', /^\d{6}$/);
    if (extra.smsWrong >= SMS_MAX_WRONG || this.now() - extra.smsSentAt > SMS_CODE_TTL_MS) throw new BankSimError('SMS_CODE_EXPIRED');
    if (f.sms_code !== smsCode) {
      extra.smsWrong++;
      throw new BankSimError(extra.smsWrong >= SMS_MAX_WRONG ? 'SMS_CODE_EXPIRED' : 'SMS_CODE_INVALID');
    }
    return trade;
  }

  /** The payer's money arrives (pay page, test, SMS confirm). Throws for unknown or closed trades. */
  pay(orderNo: string): SimTrade {
    const trade = this.trade(orderNo);
    if (!trade) throw new Error(`交易不存在：${orderNo}`);
    if (trade.state === 'closed' && !trade.payAfterClose) throw new Error(`交易已关闭：${orderNo}`);
    if (trade.state === 'paid' || trade.state === 'refunded') throw new Error(`交易已支付：${orderNo}`);
    Object.assign(trade, { state: 'paid', paidAt: this.now() });
    this.balance += trade.amountFen - fee(trade.amountFen, this.options.feeRateBp);
    return trade;
  }

  tradeFields(trade: SimTrade): Record<string, string> {
    const paid = trade.state === 'paid' || trade.state === 'refunded';
    const status: TradeStatusCode =
      trade.state === 'pending' ? (this.extra.get(trade.orderNo)?.payType === 'QUICK' ? 'WAIT_CONFIRM' : 'WAIT_PAY') : trade.state === 'paid' ? 'SUCCESS' : trade.state === 'refunded' ? 'REFUNDED' : 'CLOSED';
    return {
      order_no: trade.orderNo, trade_no: trade.platformTradeNo, txn_amt: fenToWire(trade.amountFen), trade_status: status,
      pay_type: this.extra.get(trade.orderNo)?.payType ?? '', paid_time: paid && trade.paidAt !== undefined ? timeToWire(trade.paidAt) : '',
      refunded_amt: fenToWire(trade.refundedFen),
    };
  }

  query(f: F): Record<string, string> {
    const orderNo = need(f, 'order_no', NUMBER_PATTERN);
    const trade = this.trade(orderNo);
    if (trade) return this.tradeFields(trade);
    if (this.reserved.has(orderNo)) return { order_no: orderNo, trade_status: 'CLOSED' };
    throw new BankSimError('ORDER_NOT_EXIST');
  }

  close(f: F, payAfterClose: boolean): Record<string, string> {
    const orderNo = need(f, 'order_no', NUMBER_PATTERN);
    const trade = this.trade(orderNo);
    if (!trade) this.reserved.add(orderNo);
    else if (trade.state === 'paid' || trade.state === 'refunded') throw new BankSimError('ORDER_PAID');
    else if (trade.state === 'pending') Object.assign(trade, { state: 'closed', closedAt: this.now(), payAfterClose: payAfterClose || undefined });
    return { order_no: orderNo, trade_status: 'CLOSED' };
  }

  refund(f: F): { fields: Record<string, string>; refund: SimRefund; fresh: boolean } {
    const orderNo = need(f, 'order_no', NUMBER_PATTERN);
    const refundNo = need(f, 'refund_no', NUMBER_PATTERN);
    const refundFen = amount(f, 'refund_amt');
    const txnFen = amount(f, 'txn_amt');
    const notifyUrl = need(f, 'notify_url');
    const existing = this.ledger.refunds.get(refundNo);
    if (existing) {
      if (existing.orderNo !== orderNo || existing.amountFen !== refundFen) throw new BankSimError('REFUND_CONFLICT');
      return { fields: this.refundFields(existing), refund: existing, fresh: false };
    }
    const trade = this.trade(orderNo);
    if (!trade) throw new BankSimError('ORDER_NOT_EXIST');
    if (trade.state !== 'paid' && trade.state !== 'refunded') throw new BankSimError('ORDER_NOT_PAID');
    if (txnFen !== trade.amountFen) throw new BankSimError('TXN_AMT_MISMATCH');
    if (this.now() - (trade.paidAt ?? 0) > REFUND_WINDOW_MS) throw new BankSimError('REFUND_EXPIRED');
    if (this.ledger.refundedOf(orderNo) + refundFen > trade.amountFen) throw new BankSimError('REFUND_EXCEEDS');
    const now = this.now();
    const refund: SimRefund = { refundNo, orderNo, amountFen: refundFen, reason: f.reason ?? '', state: 'processing', platformRefundNo: this.ledger.nextNumber(now), createdAt: now, notifyUrl };
    this.ledger.refunds.set(refundNo, refund);
    return { fields: this.refundFields(refund), refund, fresh: true };
  }

  /** PROCESSING → SUCCESS, once: on its notification or when the clock says it is done. */
  settleRefund(refund: SimRefund, force: boolean): void {
    if (refund.state !== 'processing' || (!force && this.now() < refund.createdAt + this.options.refundDelayMs)) return;
    const trade = this.ledger.trades.get(refund.orderNo);
    if (!trade) return;
    const returned = fee(refund.amountFen, this.options.feeRateBp);
    Object.assign(refund, { state: 'success', succeededAt: this.now() });
    this.refundFee.set(refund.refundNo, returned);
    trade.refundedFen += refund.amountFen;
    if (trade.refundedFen === trade.amountFen) trade.state = 'refunded';
    this.balance -= refund.amountFen - returned;
  }

  refundFields(r: SimRefund): Record<string, string> {
    this.settleRefund(r, false);
    return {
      order_no: r.orderNo, refund_no: r.refundNo, refund_trade_no: r.platformRefundNo, refund_amt: fenToWire(r.amountFen),
      refund_status: r.state === 'success' ? 'SUCCESS' : r.state === 'processing' ? 'PROCESSING' : 'FAILED',
      finish_time: r.succeededAt !== undefined ? timeToWire(r.succeededAt) : '', fee_amt: fenToWire(this.refundFee.get(r.refundNo) ?? 0),
    };
  }

  refundQuery(f: F): Record<string, string> {
    const r = this.ledger.refunds.get(need(f, 'refund_no', NUMBER_PATTERN));
    if (!r || r.orderNo !== need(f, 'order_no', NUMBER_PATTERN)) throw new BankSimError('REFUND_NOT_EXIST');
    return this.refundFields(r);
  }

  /** `failCode` (the transfer_fail fault) makes a new transfer end FAILED with that code when the receiving bank answers. */
  transfer(f: F, failCode?: string): { fields: Record<string, string>; transfer: SimTransfer; fresh: boolean } {
    const transferNo = need(f, 'transfer_no', NUMBER_PATTERN);
    const amountFen = amount(f, 'txn_amt');
    const account = need(f, 'payee_account', ACCOUNT_PATTERN);
    const name = need(f, 'payee_name');
    const notifyUrl = need(f, 'notify_url');
    const existing = this.ledger.transfers.get(transferNo);
    if (existing) {
      if (existing.amountFen !== amountFen || existing.account !== account || existing.name !== name) throw new BankSimError('TRANSFER_CONFLICT');
      return { fields: this.transferFields(existing), transfer: existing, fresh: false };
    }
    if (amountFen > this.balance) throw new BankSimError('BALANCE_INSUFFICIENT');
    const now = this.now();
    const transfer: SimTransfer = { transferNo, amountFen, account, name, remark: f.remark ?? '', state: 'processing', platformTransferNo: this.ledger.nextNumber(now), createdAt: now, notifyUrl };
    this.ledger.transfers.set(transferNo, transfer);
    if (failCode && isTransferFailCode(failCode)) this.forcedFail.set(transferNo, failCode);
    this.balance -= amountFen;
    return { fields: this.transferFields(transfer), transfer, fresh: true };
  }

  /** The receiving bank's answer (protocol.ts §9 sandbox rules). */
  settleTransfer(t: SimTransfer, force: boolean): void {
    if (t.state !== 'processing' || (!force && this.now() < t.createdAt + this.options.transferDelayMs)) return;
    const holder = this.options.accounts[t.account];
    const code: TransferFailCode | undefined = this.forcedFail.get(t.transferNo) ?? (t.account.endsWith('0000') ? 'ACCOUNT_INVALID' : t.account.endsWith('9999') ? 'ACCOUNT_FROZEN'
      : t.account.endsWith('5030') ? 'BANK_UNAVAILABLE' : holder !== undefined && holder !== t.name ? 'ACCOUNT_NAME_MISMATCH' : undefined);
    if (code) {
      Object.assign(t, { state: 'failed', failReason: TRANSFER_FAIL_TEXT[code] });
      this.transferFail.set(t.transferNo, code);
      this.balance += t.amountFen;
    } else Object.assign(t, { state: 'success', succeededAt: this.now() });
  }

  transferFields(t: SimTransfer): Record<string, string> {
    this.settleTransfer(t, false);
    return {
      transfer_no: t.transferNo, transfer_trade_no: t.platformTransferNo, txn_amt: fenToWire(t.amountFen),
      transfer_status: t.state === 'success' ? 'SUCCESS' : t.state === 'failed' ? 'FAILED' : 'PROCESSING',
      finish_time: t.succeededAt !== undefined ? timeToWire(t.succeededAt) : '', fail_code: this.transferFail.get(t.transferNo) ?? '', fail_reason: t.failReason ?? '',
    };
  }

  transferQuery(f: F): Record<string, string> {
    const t = this.ledger.transfers.get(need(f, 'transfer_no', NUMBER_PATTERN));
    if (!t) throw new BankSimError('TRANSFER_NOT_EXIST');
    return this.transferFields(t);
  }

  /** The rows of a bill_date (yyyyMMdd); BILL_NOT_READY before 09:00 the next Shanghai day. */
  billRows(billDate: string, billType: string): BankBillRow[] {
    const date = dateFromWire(billDate);
    if (this.now() < shanghaiDayStart(date) + DAY_MS + 9 * HOUR_MS) throw new BankSimError('BILL_NOT_READY');
    const rows: BankBillRow[] = [];
    const base = (t: SimTrade) => ({ orderNo: t.orderNo, tradeNo: t.platformTradeNo, payType: this.extra.get(t.orderNo)?.payType ?? 'ONLINE', txnFen: t.amountFen, createTime: billTime(t.createdAt), subject: t.description });
    if (billType !== 'REFUND') {
      for (const t of this.ledger.trades.values()) {
        if (t.paidAt === undefined || shanghaiDate(t.paidAt) !== date) continue;
        rows.push({ ...base(t), recordType: 'PAY', refundNo: '', refundTradeNo: '', refundFen: 0, feeFen: fee(t.amountFen, this.options.feeRateBp), finishTime: billTime(t.paidAt) });
      }
    }
    if (billType !== 'PAY') {
      for (const r of this.ledger.refunds.values()) {
        this.settleRefund(r, false);
        const t = this.ledger.trades.get(r.orderNo);
        if (!t || r.succeededAt === undefined || shanghaiDate(r.succeededAt) !== date) continue;
        rows.push({ ...base(t), recordType: 'REFUND', refundNo: r.refundNo, refundTradeNo: r.platformRefundNo, refundFen: r.amountFen, feeFen: this.refundFee.get(r.refundNo) ?? 0, finishTime: billTime(r.succeededAt) });
      }
    }
    return rows.sort((a, b) => (a.finishTime < b.finishTime ? -1 : a.finishTime > b.finishTime ? 1 : 0));
  }
}
