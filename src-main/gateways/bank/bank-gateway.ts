import { randomBytes } from 'node:crypto';
import { checkFen, type Fen } from '../../core/money';
import type { Clock } from '../../core/time';
import type {
  BillFile, BillRequest, CloseResult, CreatePaymentRequest, CreatePaymentResult, Gateway, InboundRequest, NotificationReply,
  RefundRequest, RefundStatus, TradeStatus, TransferRequest, TransferStatus, VerifiedNotification,
} from '../gateway';
import { GatewayRejected, ResponseUnverified } from '../gateway-errors';
import { assertEndpointAllowed, type HttpTransport } from '../http';
import { parseBankBill } from './bank-bill';
import { BankClient, type BankGatewayConfig } from './bank-client';
import { bankNotificationReply, transferFailText, verifyBankNotification } from './bank-notify';
import { WireError, clipText, dateToWire, fenFromWire, fenToWire, required, timeFromWire, timeToWire, type RandomSource } from './bank-wire';
import { BANK_PATHS, CURRENCY, TRANSFER_FAIL_RETRYABLE, isTransferFailCode } from './protocol';

export type { BankGatewayConfig } from './bank-client';

const PLATFORM = 'bank';

/**
 * The bank-card institution's adapter (protocol.ts is the wire specification). Amounts leave as fen
 * strings and come back checked; every answer is verified by BankClient before it is read; a field
 * that does not parse makes the whole answer untrusted (ResponseUnverified → query first).
 */
export class BankGateway implements Gateway {
  readonly platform = 'bank' as const;
  private readonly client: BankClient;

  constructor(
    private readonly config: BankGatewayConfig,
    http: HttpTransport,
    private readonly clock: Clock,
    random: RandomSource = randomBytes,
  ) {
    this.client = new BankClient(config, http, clock, random);
  }

  /** Reads a verified answer's fields; a WireError means the institution broke the protocol. */
  private read<T>(parse: () => T): T {
    try {
      return parse();
    } catch (e) {
      if (e instanceof WireError) throw new ResponseUnverified(PLATFORM, `支付机构响应字段无效：${e.message}`);
      throw e;
    }
  }

  private echo(fields: Record<string, string>, name: string, expected: string): void {
    if (fields[name] !== expected) throw new ResponseUnverified(PLATFORM, `支付机构响应的 ${name} 不是本次请求的（${fields[name] ?? '-'} ≠ ${expected}）`);
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const amount = fenToWire(checkFen(req.amountFen));
    const common = {
      order_no: req.orderNo,
      txn_amt: amount,
      currency: CURRENCY,
      subject: clipText(req.description, 128),
      expire_time: timeToWire(req.expireAt),
      notify_url: req.notifyUrl,
    };
    if (req.scene === 'bank_quick') {
      if (!req.bankCardToken) throw new GatewayRejected(PLATFORM, 'INVALID_PARAM', '快捷支付需要已绑定银行卡的 card_token');
      const f = await this.client.ok(BANK_PATHS.quick, { ...common, card_token: req.bankCardToken });
      this.echo(f, 'order_no', req.orderNo);
      this.echo(f, 'txn_amt', amount);
      return { kind: 'bank_quick', platformTradeNo: this.read(() => required(f, 'trade_no')) };
    }
    if (req.scene === 'bank_online') {
      const f = await this.client.ok(BANK_PATHS.online, { ...common, return_url: req.returnUrl ?? '' });
      this.echo(f, 'order_no', req.orderNo);
      this.echo(f, 'txn_amt', amount);
      const url = this.read(() => required(f, 'pay_url'));
      try {
        assertEndpointAllowed(url, this.config.sandbox);
      } catch {
        throw new ResponseUnverified(PLATFORM, `支付机构返回的网银支付地址不是 https：${url}`);
      }
      return { kind: 'redirect', url };
    }
    throw new GatewayRejected(PLATFORM, 'INVALID_PARAM', `银行卡支付不支持场景 ${req.scene}`);
  }

  /**
   * The quick-pay SMS step (protocol.ts §5), not part of the Gateway interface: the caller passes the
   * code the payer typed. SMS_CODE_INVALID / SMS_CODE_EXPIRED come back as retryable rejections.
   */
  async confirmQuickPay(orderNo: string, platformTradeNo: string, smsCode: string): Promise<TradeStatus> {
    const f = await this.client.ok(BANK_PATHS.quickConfirm, { order_no: orderNo, trade_no: platformTradeNo, sms_code: smsCode });
    this.echo(f, 'order_no', orderNo);
    return this.read(() => tradeStatus(f));
  }

  async queryPayment(orderNo: string): Promise<TradeStatus> {
    const f = await this.client.ok(BANK_PATHS.query, { order_no: orderNo });
    this.echo(f, 'order_no', orderNo);
    return this.read(() => tradeStatus(f));
  }

  async closePayment(orderNo: string): Promise<CloseResult> {
    const answer = await this.client.call(BANK_PATHS.close, { order_no: orderNo });
    // ORDER_PAID: the payer's money arrived first; report what the institution holds.
    if (answer.code === 'ORDER_PAID') return { closed: false, alreadyPaid: await this.queryPayment(orderNo) };
    if (answer.code !== 'SUCCESS') throw this.client.fail(answer);
    this.echo(answer.fields, 'order_no', orderNo);
    this.echo(answer.fields, 'trade_status', 'CLOSED');
    return { closed: true };
  }

  async refund(req: RefundRequest): Promise<RefundStatus> {
    const amount = fenToWire(checkFen(req.amountFen));
    const f = await this.client.ok(BANK_PATHS.refund, {
      order_no: req.orderNo,
      refund_no: req.refundNo,
      refund_amt: amount,
      txn_amt: fenToWire(checkFen(req.totalFen)),
      reason: clipText(req.reason, 128),
      notify_url: req.notifyUrl,
    });
    this.echo(f, 'refund_no', req.refundNo);
    this.echo(f, 'refund_amt', amount);
    return this.read(() => refundStatus(f, req.orderNo));
  }

  async queryRefund(orderNo: string, refundNo: string): Promise<RefundStatus> {
    const f = await this.client.ok(BANK_PATHS.refundQuery, { order_no: orderNo, refund_no: refundNo });
    this.echo(f, 'refund_no', refundNo);
    return this.read(() => refundStatus(f, orderNo));
  }

  async transfer(req: TransferRequest): Promise<TransferStatus> {
    const amount = fenToWire(checkFen(req.amountFen));
    const f = await this.client.ok(BANK_PATHS.transfer, {
      transfer_no: req.transferNo,
      txn_amt: amount,
      payee_account: req.payee.account,
      payee_name: req.payee.name,
      payee_bank: req.payee.bankName ?? '',
      remark: clipText(req.remark, 64),
      notify_url: req.notifyUrl,
    });
    this.echo(f, 'transfer_no', req.transferNo);
    this.echo(f, 'txn_amt', amount);
    return this.read(() => transferStatus(f));
  }

  async queryTransfer(transferNo: string): Promise<TransferStatus> {
    const f = await this.client.ok(BANK_PATHS.transferQuery, { transfer_no: transferNo });
    this.echo(f, 'transfer_no', transferNo);
    return this.read(() => transferStatus(f));
  }

  async downloadBill(req: BillRequest): Promise<BillFile> {
    const billDate = dateToWire(req.date);
    const billType = req.type === 'all' ? 'ALL' : req.type === 'success' ? 'PAY' : 'REFUND';
    const bytes = await this.client.bill(billDate, billType);
    // The trailer check (protocol.ts §8): a cut or altered file is never handed to reconciliation.
    try {
      parseBankBill(bytes, billDate);
    } catch (e) {
      throw new ResponseUnverified(PLATFORM, `对账单无效：${(e as Error).message}`);
    }
    return { platform: 'bank', date: req.date, bytes, format: 'bank-csv' };
  }

  async verifyNotification(req: InboundRequest): Promise<VerifiedNotification> {
    return verifyBankNotification(req, {
      merchantId: this.config.merchantId,
      terminalId: this.config.terminalId,
      acceptedKeys: this.client.acceptedKeys,
      now: this.clock.now(),
    });
  }

  notificationReply(accepted: boolean, reason?: string): NotificationReply {
    return bankNotificationReply(accepted, reason);
  }
}

const TRADE_STATE: Record<string, TradeStatus['state']> = {
  WAIT_PAY: 'pending',
  WAIT_CONFIRM: 'pending',
  SUCCESS: 'paid',
  REFUNDED: 'refunded',
  CLOSED: 'closed',
};

function tradeStatus(f: Record<string, string>): TradeStatus {
  const code = required(f, 'trade_status');
  const state = TRADE_STATE[code];
  if (!state) throw new WireError(`trade_status 未知：${code}`);
  const paid = state === 'paid' || state === 'refunded';
  return {
    orderNo: required(f, 'order_no'),
    state,
    amountFen: paid ? fenFromWire(f.txn_amt, 'txn_amt') : undefined,
    platformTradeNo: f.trade_no || undefined,
    paidAt: paid ? timeFromWire(f.paid_time, 'paid_time') : undefined,
  };
}

const REFUND_STATE: Record<string, RefundStatus['state']> = { PROCESSING: 'processing', SUCCESS: 'success', FAILED: 'failed' };

function refundStatus(f: Record<string, string>, orderNo: string): RefundStatus {
  const code = required(f, 'refund_status');
  const state = REFUND_STATE[code];
  if (!state) throw new WireError(`refund_status 未知：${code}`);
  const fee: Fen | undefined = f.fee_amt ? fenFromWire(f.fee_amt, 'fee_amt', true) : undefined;
  return {
    refundNo: required(f, 'refund_no'),
    orderNo: f.order_no || orderNo,
    state,
    amountFen: fenFromWire(f.refund_amt, 'refund_amt'),
    platformRefundNo: f.refund_trade_no || undefined,
    succeededAt: state === 'success' ? timeFromWire(f.finish_time, 'finish_time') : undefined,
    feeFen: fee,
    failReason: state === 'failed' ? f.fail_reason || '退款失败' : undefined,
  };
}

const TRANSFER_STATE: Record<string, TransferStatus['state']> = { PROCESSING: 'processing', SUCCESS: 'success', FAILED: 'failed' };

function transferStatus(f: Record<string, string>): TransferStatus {
  const code = required(f, 'transfer_status');
  const state = TRANSFER_STATE[code];
  if (!state) throw new WireError(`transfer_status 未知：${code}`);
  const failCode = f.fail_code;
  return {
    transferNo: required(f, 'transfer_no'),
    state,
    amountFen: fenFromWire(f.txn_amt, 'txn_amt'),
    platformTransferNo: f.transfer_trade_no || undefined,
    succeededAt: state === 'success' ? timeFromWire(f.finish_time, 'finish_time') : undefined,
    failReason: state === 'failed' ? transferFailText(failCode, f.fail_reason) : undefined,
    // Unknown fail codes need a person too: retrying blindly could pay the wrong account twice.
    retryable: state === 'failed' ? failCode !== undefined && isTransferFailCode(failCode) && TRANSFER_FAIL_RETRYABLE[failCode] : undefined,
  };
}
