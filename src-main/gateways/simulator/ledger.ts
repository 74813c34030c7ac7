import type { Fen } from '../../core/money';

/**
 * The simulated platform's own books: what it believes about each trade, refund and transfer. Each
 * simulated platform keeps one; its HTTP handlers translate to and from the platform's wire format.
 * Bills are produced from these books, so reconciliation tests see exactly what the platform did.
 */
export interface SimTrade {
  orderNo: string;
  amountFen: Fen;
  description: string;
  scene: string;
  state: 'pending' | 'paid' | 'closed' | 'refunded';
  platformTradeNo: string;
  createdAt: number;
  expireAt: number;
  paidAt?: number;
  closedAt?: number;
  notifyUrl: string;
  payer?: string;
  refundedFen: Fen;
  /** Set by the pay_after_close fault: the payer's money arrives after the close. */
  payAfterClose?: boolean;
}

export interface SimRefund {
  refundNo: string;
  orderNo: string;
  amountFen: Fen;
  reason: string;
  state: 'processing' | 'success' | 'failed' | 'closed';
  platformRefundNo: string;
  createdAt: number;
  succeededAt?: number;
  notifyUrl: string;
}

export interface SimTransfer {
  transferNo: string;
  amountFen: Fen;
  account: string;
  name: string;
  remark: string;
  state: 'processing' | 'wait_user_confirm' | 'success' | 'failed' | 'cancelled';
  platformTransferNo: string;
  createdAt: number;
  succeededAt?: number;
  failReason?: string;
  notifyUrl: string;
}

export class SimLedger {
  readonly trades = new Map<string, SimTrade>();
  readonly refunds = new Map<string, SimRefund>();
  readonly transfers = new Map<string, SimTransfer>();
  private counter = 0;

  constructor(private readonly prefix: string) {}

  /** Platform-side numbers look like the platform's (e.g. 4200… for WeChat); unique per ledger. */
  nextNumber(at: number): string {
    this.counter++;
    return `${this.prefix}${new Date(at).toISOString().slice(0, 10).replace(/-/g, '')}${String(this.counter).padStart(10, '0')}`;
  }

  refundedOf(orderNo: string): Fen {
    let sum = 0;
    for (const r of this.refunds.values()) if (r.orderNo === orderNo && (r.state === 'success' || r.state === 'processing')) sum += r.amountFen;
    return sum;
  }
}
