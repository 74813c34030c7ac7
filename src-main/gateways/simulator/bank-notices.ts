import { randomBytes } from 'node:crypto';
import { compactShanghai } from '../../core/time';
import { withSign } from '../bank/bank-sign';
import { fenToWire, newNonce, timeToWire } from '../bank/bank-wire';
import { BANK_RETRY_SCHEDULE_MS, SIGN_TYPE, type NotifyType } from '../bank/protocol';
import type { BankBooks } from './bank-books';
import type { FaultPlan } from './faults';
import type { SimRefund, SimTrade, SimTransfer } from './ledger';
import type { SimContext } from './sim-http';

/**
 * The institution's notifications (protocol.ts §7): one notify_id per event, kept across retries and
 * duplicates; notify_time, nonce and sign fresh on every attempt; retried on BANK_RETRY_SCHEDULE_MS
 * until the merchant answers HTTP 200 with the NUMBER code 200. Refund and transfer results are
 * decided when their notification is first built (after refundDelayMs/transferDelayMs, time-scaled
 * by the notifier), unless a query finds them due earlier on the platform clock.
 */
export function isBankAck(status: number, body: string): boolean {
  if (status !== 200) return false;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && (parsed as { code?: unknown }).code === 200;
  } catch {
    return false;
  }
}

interface Keys {
  merchantId: string;
  terminalId: string;
  apiKeys: readonly string[];
}

export class BankNotices {
  private counter = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly keys: Keys,
    private readonly faults: FaultPlan,
    private readonly books: BankBooks,
  ) {}

  payment(trade: SimTrade): void {
    this.send('pay', 'PAY', trade.notifyUrl, 0, () => ({
      order_no: trade.orderNo,
      trade_no: trade.platformTradeNo,
      txn_amt: fenToWire(trade.amountFen),
      currency: 'CNY',
      trade_status: 'SUCCESS',
      pay_type: trade.scene === 'bank_quick' ? 'QUICK' : 'ONLINE',
      paid_time: timeToWire(trade.paidAt ?? this.ctx.clock.now()),
    }));
  }

  afterRefund(r: { fields: Record<string, string>; refund: SimRefund; fresh: boolean }): Record<string, string> {
    const refund = r.refund;
    if (r.fresh) {
      this.send('refund', 'REFUND', refund.notifyUrl, this.books.options.refundDelayMs, () => {
        this.books.settleRefund(refund, true);
        const f = this.books.refundFields(refund);
        return { order_no: f.order_no ?? '', refund_no: refund.refundNo, refund_trade_no: refund.platformRefundNo, refund_amt: fenToWire(refund.amountFen), refund_status: f.refund_status ?? '', finish_time: f.finish_time ?? '' };
      });
    }
    return r.fields;
  }

  afterTransfer(r: { fields: Record<string, string>; transfer: SimTransfer; fresh: boolean }): Record<string, string> {
    const transfer = r.transfer;
    if (r.fresh) {
      this.send('transfer', 'TRANSFER', transfer.notifyUrl, this.books.options.transferDelayMs, () => {
        this.books.settleTransfer(transfer, true);
        const { fail_code = '', fail_reason = '', transfer_status = '', finish_time = '' } = this.books.transferFields(transfer);
        return { transfer_no: transfer.transferNo, transfer_trade_no: transfer.platformTransferNo, txn_amt: fenToWire(transfer.amountFen), transfer_status, finish_time, fail_code, fail_reason };
      });
    }
    return r.fields;
  }

  /** Schedules one event's notification, honouring the notify_* faults for `operation`. */
  private send(operation: string, type: NotifyType, url: string, delayMs: number, event: () => Record<string, string>): void {
    const mismatch = this.faults.take(operation, 'notify_amount_mismatch') !== undefined;
    let forged = this.faults.take(operation, 'notify_bad_signature') !== undefined;
    const duplicate = this.faults.take(operation, 'notify_duplicate') !== undefined;
    const delay = this.faults.take(operation, 'notify_delay_ms')?.ms ?? 0;
    const notifyId = `N${compactShanghai(this.ctx.clock.now())}${String(++this.counter).padStart(6, '0')}`;
    let frozen: Record<string, string> | undefined;
    const build = () => {
      frozen ??= event();
      const fields = { ...frozen };
      const amountField = type === 'REFUND' ? 'refund_amt' : 'txn_amt';
      // The wrong amount is +1 fen, signed correctly: only the merchant's own records can catch it.
      if (mismatch) fields[amountField] = String(Number(fields[amountField]) + 1);
      // A forged first attempt (signed with a key nobody holds); the institution's retries are genuine.
      const key = forged ? randomBytes(16).toString('hex') : (this.keys.apiKeys[0] ?? '');
      forged = false;
      const body = withSign(
        { ...fields, notify_id: notifyId, notify_type: type, notify_time: timeToWire(this.ctx.clock.now()), merchant_id: this.keys.merchantId, terminal_id: this.keys.terminalId, nonce: newNonce(), sign_type: SIGN_TYPE },
        key,
      );
      return { url, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
    };
    const job = { platform: 'bank', key: notifyId, build, isAck: isBankAck, schedule: BANK_RETRY_SCHEDULE_MS, initialDelayMs: delayMs + delay };
    this.ctx.notifier.send(job);
    if (duplicate) this.ctx.notifier.send({ ...job, build: () => build() });
  }
}
