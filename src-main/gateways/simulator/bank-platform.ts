import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Fen } from '../../core/money';
import { sha256Hex, writeBankBill } from '../bank/bank-bill';
import { matchingKeyIndex, withSign } from '../bank/bank-sign';
import { WireError, parseWireJson, timeFromWire, timeToWire } from '../bank/bank-wire';
import { BANK_ERRORS, BANK_PATHS, MAX_SKEW_MS, NONCE_PATTERN, NONCE_TTL_MS, SANDBOX_SMS_CODE, SIGN_TYPE, isBankErrorCode, type BankErrorCode } from '../bank/protocol';
import { BankBooks, BankSimError } from './bank-books';
import { BankNotices } from './bank-notices';
import { FaultPlan, type FaultKind } from './faults';
import type { SimLedger, SimTrade } from './ledger';
import { hang, send, type SimContext, type SimPlatform, type SimRequest } from './sim-http';

/**
 * The bank-card institution, simulated (protocol.ts is its specification): same paths, HMAC
 * signatures over the same fields, fen amounts, error codes, notifications with its retry schedule
 * and ack rule, the CSV statement. Faults (faults.ts) apply per operation: create (quick and
 * online), confirm, query, close, refund, query_refund, transfer, query_transfer, bill; notification
 * faults per event: pay, refund, transfer. Bank-specific business refusals such as SYSTEM_BUSY or
 * BALANCE_INSUFFICIENT, which faults.ts has no kind for, are queued with `rejectNext`.
 */
export interface BankPlatformOptions {
  merchantId: string;
  terminalId: string;
  /** The merchant's api keys, current first: all verify requests (rotation); the current signs notifications. */
  apiKeys: readonly string[];
  smsCode?: string;
  feeRateBp?: number;
  accounts?: Readonly<Record<string, string>>;
  balanceFen?: Fen;
  refundDelayMs?: number;
  transferDelayMs?: number;
}

type Handler = (f: Readonly<Record<string, string>>) => Record<string, string>;

export class BankPlatform implements SimPlatform {
  readonly platform = 'bank' as const;
  readonly faults = new FaultPlan();
  readonly books: BankBooks;
  private readonly notices: BankNotices;
  private readonly nonces = new Map<string, number>();
  private readonly rejections: { operation: string; code: BankErrorCode }[] = [];
  private readonly routes: Record<string, { method: string; operation: string; run: Handler }>;

  constructor(
    private readonly ctx: SimContext,
    private readonly opts: BankPlatformOptions,
  ) {
    if (opts.apiKeys.length === 0) throw new Error('bank simulator needs at least one api key');
    this.books = new BankBooks(
      {
        smsCode: opts.smsCode ?? SANDBOX_SMS_CODE,
        feeRateBp: opts.feeRateBp ?? 0,
        accounts: opts.accounts ?? {},
        balanceFen: opts.balanceFen ?? 1_000_000_000_00,
        refundDelayMs: opts.refundDelayMs ?? 5_000,
        transferDelayMs: opts.transferDelayMs ?? 5_000,
      },
      () => ctx.clock.now(),
    );
    this.notices = new BankNotices(ctx, opts, this.faults, this.books);
    const b = this.books;
    this.routes = {
      [BANK_PATHS.quick]: { method: 'POST', operation: 'create', run: (f) => b.quick(f) },
      [BANK_PATHS.online]: { method: 'POST', operation: 'create', run: (f) => b.online(f, (no) => this.payPageUrl(no)) },
      [BANK_PATHS.quickConfirm]: { method: 'POST', operation: 'confirm', run: (f) => b.tradeFields(this.paid(b.confirm(f, b.options.smsCode).orderNo)) },
      [BANK_PATHS.query]: { method: 'POST', operation: 'query', run: (f) => b.query(f) },
      [BANK_PATHS.close]: { method: 'POST', operation: 'close', run: (f) => b.close(f, this.faults.take('close', 'pay_after_close') !== undefined) },
      [BANK_PATHS.refund]: { method: 'POST', operation: 'refund', run: (f) => this.notices.afterRefund(b.refund(f)) },
      [BANK_PATHS.refundQuery]: { method: 'POST', operation: 'query_refund', run: (f) => b.refundQuery(f) },
      [BANK_PATHS.transfer]: { method: 'POST', operation: 'transfer', run: (f) => this.notices.afterTransfer(b.transfer(f, this.faults.take('transfer', 'transfer_fail')?.code)) },
      [BANK_PATHS.transferQuery]: { method: 'POST', operation: 'query_transfer', run: (f) => b.transferQuery(f) },
    };
  }

  get ledger(): SimLedger {
    return this.books.ledger;
  }

  /** The sandbox cashier for online banking: the simulator's pay page for this trade. */
  payPageUrl(orderNo: string): string {
    return `${this.ctx.baseUrl()}/__sim/pay-page?platform=bank&orderNo=${encodeURIComponent(orderNo)}`;
  }

  /** The next `operation` call is refused with `code` (e.g. SYSTEM_BUSY) before anything is done. */
  rejectNext(operation: string, code: BankErrorCode): void {
    this.rejections.push({ operation, code });
  }

  async pay(orderNo: string): Promise<SimTrade> {
    return this.paid(orderNo);
  }

  /** Marks the trade paid (throws if it cannot be) and sends the PAY notification. */
  private paid(orderNo: string): SimTrade {
    const trade = this.books.pay(orderNo);
    this.notices.payment(trade);
    return trade;
  }

  bill(date: string, type: 'all' | 'success' | 'refund'): Buffer {
    const billDate = date.replace(/-/g, '');
    return writeBankBill(billDate, this.books.billRows(billDate, type === 'all' ? 'ALL' : type === 'success' ? 'PAY' : 'REFUND'));
  }

  async handle(req: SimRequest, res: ServerResponse): Promise<boolean> {
    const path = req.url.pathname;
    if (!this.routes[path] && path !== BANK_PATHS.bill) return false;
    this.dispatch(req, res);
    return true;
  }

  private dispatch(req: SimRequest, res: ServerResponse): void {
    const route = this.routes[req.url.pathname];
    const method = route?.method ?? 'GET';
    const operation = route?.operation ?? 'bill';
    let f: Record<string, string>;
    try {
      f = method === 'GET' ? Object.fromEntries(req.url.searchParams) : parseWireJson(req.body);
    } catch {
      return send(res, 400, JSON.stringify({ code: 'INVALID_PARAM', message: '请求不是字符串字段的 JSON 对象' }));
    }
    if (req.method !== method || f.merchant_id !== this.opts.merchantId || f.terminal_id !== this.opts.terminalId) {
      // Unknown merchant: no key to sign with, so the answer is unsigned (protocol.ts §1).
      const code = req.method !== method ? 'INVALID_PARAM' : 'MERCHANT_INVALID';
      return send(res, 400, JSON.stringify({ code, message: BANK_ERRORS[code].message }));
    }
    const keyIndex = matchingKeyIndex(f, this.opts.apiKeys);
    // Answers are signed with the key that verified the request; a SIGN_ERROR with the current key.
    const answer = (status: number, code: string, fields: Record<string, string> = {}, forged = false, detail = ''): void => {
      const key = forged ? randomBytes(16).toString('hex') : (this.opts.apiKeys[Math.max(keyIndex, 0)] ?? '');
      const message = detail || (code === 'SUCCESS' ? '成功' : isBankErrorCode(code) ? BANK_ERRORS[code].message : code);
      const body = withSign({ ...fields, code, message, merchant_id: this.opts.merchantId, terminal_id: this.opts.terminalId, nonce: f.nonce ?? '', resp_time: timeToWire(this.ctx.clock.now()), sign_type: SIGN_TYPE }, key);
      send(res, status, JSON.stringify(body));
    };
    if (keyIndex < 0) return answer(401, 'SIGN_ERROR');
    const refusal = this.checkFreshness(f);
    if (refusal) return answer(200, refusal);
    if (this.faults.take(operation, 'timeout_before_effect')) return hang(res);
    if (this.faults.take(operation, 'server_error')) {
      return send(res, 500, JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' }));
    }
    const rejected = this.rejections.findIndex((r) => r.operation === operation);
    if (rejected >= 0) return answer(200, this.rejections.splice(rejected, 1)[0]?.code ?? 'SYSTEM_BUSY');
    const take = (kind: FaultKind) => this.faults.take(operation, kind) !== undefined;
    if (operation === 'bill') return this.sendBill(f, res, answer, take);
    let fields: Record<string, string>;
    try {
      fields = route?.run(f) ?? {};
    } catch (e) {
      if (e instanceof BankSimError) return answer(200, e.code, {}, false, e.message === e.code ? '' : e.message);
      if (e instanceof WireError) return answer(200, 'INVALID_PARAM', {}, false, `参数错误：${e.message}`);
      throw e;
    }
    if (take('timeout_after_effect')) return hang(res);
    answer(200, 'SUCCESS', fields, take('bad_response_signature'));
  }

  /** req_time within 5 minutes, nonce well-formed and unused for 10 minutes (protocol.ts §3). */
  private checkFreshness(f: Readonly<Record<string, string>>): BankErrorCode | undefined {
    const now = this.ctx.clock.now();
    let at: number;
    try {
      at = timeFromWire(f.req_time, 'req_time');
    } catch {
      return 'INVALID_PARAM';
    }
    if (Math.abs(now - at) > MAX_SKEW_MS) return 'REQ_TIME_EXPIRED';
    const nonce = f.nonce ?? '';
    if (!NONCE_PATTERN.test(nonce) || f.sign_type !== SIGN_TYPE) return 'INVALID_PARAM';
    for (const [n, t] of this.nonces) if (now - t > NONCE_TTL_MS) this.nonces.delete(n);
    if (this.nonces.has(nonce)) return 'NONCE_USED';
    this.nonces.set(nonce, now);
    return undefined;
  }

  private sendBill(
    f: Readonly<Record<string, string>>,
    res: ServerResponse,
    answer: (status: number, code: string, fields?: Record<string, string>) => void,
    take: (kind: FaultKind) => boolean,
  ): void {
    const billDate = f.bill_date ?? '';
    const billType = f.bill_type ?? '';
    if (!/^\d{8}$/.test(billDate) || !['ALL', 'PAY', 'REFUND'].includes(billType)) return answer(200, 'INVALID_PARAM');
    let bytes: Buffer;
    try {
      bytes = writeBankBill(billDate, this.books.billRows(billDate, billType));
    } catch (e) {
      if (e instanceof BankSimError) return answer(200, e.code);
      throw e;
    }
    if (take('timeout_after_effect')) return hang(res);
    const key = take('bad_response_signature') ? randomBytes(16).toString('hex') : (this.opts.apiKeys[Math.max(matchingKeyIndex(f, this.opts.apiKeys), 0)] ?? '');
    const signed = withSign(
      { bill_date: billDate, bill_type: billType, content_sha256: sha256Hex(bytes), merchant_id: this.opts.merchantId, terminal_id: this.opts.terminalId, nonce: f.nonce ?? '', resp_time: timeToWire(this.ctx.clock.now()), sign_type: SIGN_TYPE },
      key,
    );
    const headers: Record<string, string> = { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="bill_${billDate}_${billType}.csv"` };
    for (const [k, v] of Object.entries(signed)) headers[`x-${k.replace(/_/g, '-')}`] = v;
    send(res, 200, bytes, headers);
  }
}
