import type { Fen } from '../../src-main/core/money';
import type { Gateway, NotificationReply, RefundRequest, RefundStatus, VerifiedNotification } from '../../src-main/gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected } from '../../src-main/gateways/gateway-errors';

/**
 * A payment platform reduced to its refund books, scripted by the test: what the next refund call
 * does (succeed, accept and process, refuse, time out before or after acting) and what the next
 * query does. It behaves like WeChat Pay v3: out_refund_no is idempotent (a resend answers the
 * refund it already has), an unknown out_refund_no is 404 RESOURCE_NOT_EXISTS.
 *
 * It does NOT protect the merchant: it executes whatever it is asked, and records what a buggy
 * merchant would have done — money moved twice, more than paid, a resend without a query after an
 * unknown outcome — so a test can assert none of that ever happened.
 */
export type SendBehaviour = 'success' | 'processing' | 'reject_retryable' | 'reject_final' | 'timeout_after' | 'timeout_before' | 'crash_before' | 'crash_after';

/** The merchant's process dies during the call (the test then reopens the app on the same store). */
export class SimulatedCrash extends Error {}
export type QueryBehaviour = 'answer' | 'timeout';

interface PlatformRefund {
  orderNo: string;
  refundNo: string;
  amountFen: Fen;
  state: RefundStatus['state'];
  platformRefundNo: string;
  succeededAt?: number;
}

export class ScriptedRefundGateway implements Gateway {
  readonly platform = 'wechat' as const;
  /** The platform's books: a refund exists here only if the platform acted on it. */
  readonly books = new Map<string, PlatformRefund>();
  /** Calls to refund() per out_refund_no. */
  readonly sends = new Map<string, number>();
  /** How many times the platform MOVED money for each out_refund_no (must never exceed 1). */
  readonly executions = new Map<string, number>();
  /** Things a correct merchant never does. */
  readonly violations: string[] = [];
  private readonly sendScript: SendBehaviour[] = [];
  private readonly queryScript: QueryBehaviour[] = [];
  /** Refunds sent whose outcome the merchant could not know, not queried since. */
  private readonly unqueried = new Set<string>();
  private counter = 0;
  private notifications = 0;

  constructor(
    private readonly now: () => number,
    /** What each order paid at the platform: more refunded than this is a violation. */
    readonly paid = new Map<string, Fen>(),
    public defaultSend: SendBehaviour = 'processing',
  ) {}

  next(...b: SendBehaviour[]): this {
    this.sendScript.push(...b);
    return this;
  }

  clearScripts(): void {
    this.sendScript.length = 0;
    this.queryScript.length = 0;
  }

  nextQuery(...b: QueryBehaviour[]): this {
    this.queryScript.push(...b);
    return this;
  }

  async refund(req: RefundRequest): Promise<RefundStatus> {
    this.sends.set(req.refundNo, (this.sends.get(req.refundNo) ?? 0) + 1);
    if (this.unqueried.has(req.refundNo)) this.violations.push(`${req.refundNo} 结果未知后未查询就重发`);
    const behaviour = this.sendScript.shift() ?? this.defaultSend;
    const existing = this.books.get(req.refundNo);
    if (existing) {
      if (existing.amountFen !== req.amountFen) this.violations.push(`${req.refundNo} 以不同金额重发`);
      if (behaviour === 'timeout_after' || behaviour === 'timeout_before') {
        this.unqueried.add(req.refundNo);
        throw new GatewayOutcomeUnknown('wechat', '请求超时');
      }
      if (behaviour === 'crash_after' || behaviour === 'crash_before') {
        this.unqueried.add(req.refundNo);
        throw new SimulatedCrash('进程在等待应答时退出');
      }
      return this.status(existing);
    }
    switch (behaviour) {
      case 'timeout_before':
        this.unqueried.add(req.refundNo);
        throw new GatewayOutcomeUnknown('wechat', '请求超时（平台未收到）');
      case 'crash_before':
        this.unqueried.add(req.refundNo);
        throw new SimulatedCrash('进程在发送前退出');
      case 'reject_retryable':
        throw new GatewayRejected('wechat', 'SYSTEM_ERROR', '系统繁忙，请稍后重试', true);
      case 'reject_final':
        throw new GatewayRejected('wechat', 'NOT_ENOUGH', '商户账户余额不足，不能退款', false);
      default: {
        const r = this.execute(req, behaviour === 'success' ? 'success' : 'processing');
        if (behaviour === 'timeout_after') {
          this.unqueried.add(req.refundNo);
          throw new GatewayOutcomeUnknown('wechat', '请求超时（平台已受理）');
        }
        if (behaviour === 'crash_after') {
          this.unqueried.add(req.refundNo);
          throw new SimulatedCrash('进程在平台受理后退出');
        }
        return this.status(r);
      }
    }
  }

  private execute(req: RefundRequest, state: 'success' | 'processing'): PlatformRefund {
    const r: PlatformRefund = { orderNo: req.orderNo, refundNo: req.refundNo, amountFen: req.amountFen, state, platformRefundNo: `5030${String(++this.counter).padStart(8, '0')}` };
    if (state === 'success') r.succeededAt = this.now();
    this.books.set(req.refundNo, r);
    this.executions.set(req.refundNo, (this.executions.get(req.refundNo) ?? 0) + 1);
    const paid = this.paid.get(req.orderNo);
    // Money moved or moving: a refund the platform failed or closed gave its amount back (as the simulators' books do).
    const total = [...this.books.values()].filter((x) => x.orderNo === req.orderNo && x.state !== 'failed' && x.state !== 'closed').reduce((s, x) => s + x.amountFen, 0);
    if (paid !== undefined && total > paid) this.violations.push(`订单 ${req.orderNo} 在平台退款 ${total} 分，超过实付 ${paid} 分`);
    return r;
  }

  async queryRefund(orderNo: string, refundNo: string): Promise<RefundStatus> {
    if ((this.queryScript.shift() ?? 'answer') === 'timeout') throw new GatewayOutcomeUnknown('wechat', '查询超时');
    this.unqueried.delete(refundNo);
    const r = this.books.get(refundNo);
    if (!r || r.orderNo !== orderNo) throw new GatewayRejected('wechat', 'RESOURCE_NOT_EXISTS', '退款单不存在');
    return this.status(r);
  }

  private status(r: PlatformRefund): RefundStatus {
    return { refundNo: r.refundNo, orderNo: r.orderNo, state: r.state, amountFen: r.amountFen, platformRefundNo: r.platformRefundNo, succeededAt: r.succeededAt, feeFen: r.state === 'success' ? 0 : undefined };
  }

  /** The platform finishes a refund it holds (success, or ABNORMAL / CLOSED) and returns the notification it sends. */
  settle(refundNo: string, state: 'success' | 'failed' | 'closed' = 'success'): VerifiedNotification | null {
    const r = this.books.get(refundNo);
    if (!r || r.state !== 'processing') return null;
    r.state = state;
    if (state === 'success') r.succeededAt = this.now();
    return this.notification(r);
  }

  /** The notification of a refund's current state, again (platforms deliver duplicates). */
  notification(r: PlatformRefund | string): VerifiedNotification | null {
    const refund = typeof r === 'string' ? this.books.get(r) : r;
    if (!refund) return null;
    return {
      platform: 'wechat',
      notificationId: `N${++this.notifications}`,
      event: { kind: 'refund', orderNo: refund.orderNo, refundNo: refund.refundNo, state: refund.state, amountFen: refund.amountFen, platformRefundNo: refund.platformRefundNo, succeededAt: refund.succeededAt },
      payload: {},
    };
  }

  movedFor(orderNo: string): Fen {
    let sum = 0;
    for (const r of this.books.values()) if (r.orderNo === orderNo && r.state === 'success') sum += r.amountFen;
    return sum;
  }

  createPayment(): never {
    throw new Error('not scripted');
  }
  queryPayment(): never {
    throw new Error('not scripted');
  }
  closePayment(): never {
    throw new Error('not scripted');
  }
  transfer(): never {
    throw new Error('not scripted');
  }
  queryTransfer(): never {
    throw new Error('not scripted');
  }
  downloadBill(): never {
    throw new Error('not scripted');
  }
  verifyNotification(): never {
    throw new Error('not scripted');
  }
  notificationReply(accepted: boolean): NotificationReply {
    return { status: accepted ? 200 : 500, contentType: 'application/json', body: '' };
  }
}
