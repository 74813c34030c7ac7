import { DomainError } from '../../core/errors';
import { checkFen, formatYuan, type Fen } from '../../core/money';
import type { Order, Page } from '../../core/orders/order';
import { PAYMENT_METHOD_LABELS } from '../../core/orders/order-types';
import { arrivalChannelFor, DEFAULT_ARRIVAL_TABLE, expectedArrival } from '../../core/refunds/arrival';
import type { CancellationTier } from '../../core/refunds/cancellation-refund';
import { REFUND_SOURCE_LABELS, type Refund, type RefundFilter, type RefundSource } from '../../core/refunds/refund';
import { applyRefundEvent, refundableRemainingFen, REFUND_STATE_LABELS, reservedRefundFen, assertRefundable, newRefund, type RefundEvent } from '../../core/refunds/refund-state';
import type { Booking } from '../../core/bookings/booking';
import type { Clock } from '../../core/time';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { RefundPatch } from '../../db/repositories/refund-repository';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { SubjectApprovals } from '../approvals/approval-service';
import type { ApprovalSubject, ApprovalSubjectSummary, ApprovalSubmission } from '../approvals/approval-subjects';
import type { NotificationService } from '../notifications/notification-service';
import type { NumberAllocator } from '../number-allocator';
import type { GatewayRegistry } from '../payments/gateway-registry';
import { CancellationRefunds, type CancellationQuote } from './cancellation-refunds';
import { RefundExecutor, type SendReport } from './refund-executor';
import { RefundResults, type RefundVouchers } from './refund-results';
import { auditRefund, auditRefundChange, orderRefunds, refundMoney, withVersionRetry } from './refund-shared';

export type { CancellationQuote, RefundVouchers, SendReport };

/** The part of the approval engine a refund needs: a request submitted inside the refund's own transaction. */
export interface ApprovalGate {
  submit(tx: Tx, submission: ApprovalSubmission): Promise<number>;
  /** The subject's latest approval with its decisions (names, roles, times), for the refund's detail. */
  approvalsOf(tx: Tx, businessType: 'refund', subjectId: string): Promise<SubjectApprovals | null>;
}

export interface RequestRefundInput {
  orderNo: string;
  amountFen: Fen;
  reason: string;
  source?: RefundSource;
  relatedRef?: string | null;
}

/** What the order detail shows next to its refunds. */
export interface OrderRefundSummary {
  orderNo: string;
  status: Order['status'];
  paidFen: Fen;
  /** Refunds the platform confirmed. */
  refundedFen: Fen;
  /** Refunds pending approval or under way: they hold their amount. */
  inProgressFen: Fen;
  /** What a new request may still ask for. */
  refundableFen: Fen;
  refunds: Refund[];
}

export interface RefundDetail {
  refund: Refund;
  order: Order | null;
  history: AuditEntry[];
  /** The approval request and its decisions; null when none was submitted (no engine yet). */
  approval: SubjectApprovals | null;
  /** "预计 2026-… 到账（T+1～T+3）" once succeeded; otherwise the rule that will apply. */
  arrivalText: string;
  /** The 退款凭证 issued when the refund succeeded; null before. */
  voucherNo: string | null;
}

/**
 * 退款 (issue 5, design document 4.4): requests by staff, customers (REST) and booking cancellations,
 * approval through the one approval engine, execution at the platform, results by notification or
 * query, and the order, its transactions and the customer's message updated with the result.
 *
 * Money invariants (ARCHITECTURE.md):
 *  - pending_approval + processing + success ≤ paid, checked under the order's row lock and version:
 *    every request, and every retry, locks the order, re-reads its refunds with a locking read and
 *    bumps the order's version, so two concurrent requests can never both see the same remainder.
 *  - A refund is executed at most once per out_refund_no (RefundExecutor).
 * Platform results go through RefundResults; booking-cancellation tiers through CancellationRefunds.
 */
export class RefundService {
  private approvals: ApprovalGate | null = null;
  private readonly results: RefundResults;
  private readonly executor: RefundExecutor;
  private readonly cancellations: CancellationRefunds;

  constructor(
    private readonly store: Store,
    gateways: GatewayRegistry,
    private readonly numbers: NumberAllocator,
    private readonly clock: Clock,
    notifications: NotificationService,
    /** Identifies this instance in refund leases. */
    workerId: string,
    /** Where the platforms call us back. */
    callbackBaseUrl: () => string,
  ) {
    this.results = new RefundResults(numbers, clock, notifications);
    this.executor = new RefundExecutor(store, gateways, clock, this.results, workerId, callbackBaseUrl);
    this.cancellations = new CancellationRefunds(store, clock, (tx, actor, input) => this.requestIn(tx, actor, input));
  }

  /** The approval engine; set once at start-up (app.ts). Without one, a request waits in 待审批. */
  useApprovals(gate: ApprovalGate): void {
    this.approvals = gate;
  }

  /** The voucher register; set once at start-up (app.ts). Every refund that succeeds then gets its 退款凭证. */
  useVouchers(vouchers: RefundVouchers, payerName: string): void {
    this.results.useVouchers(vouchers, payerName);
  }

  // ───────────────────────────── requests ─────────────────────────────

  request(actor: Actor, input: RequestRefundInput): Promise<Refund> {
    return withVersionRetry(() => this.store.transaction((tx) => this.requestIn(tx, actor, input)));
  }

  /** A request inside the caller's transaction (a booking cancellation and its refund commit together). */
  async requestIn(tx: Tx, actor: Actor, input: RequestRefundInput): Promise<Refund> {
    checkFen(input.amountFen);
    const reason = input.reason.trim();
    if (!reason) throw new DomainError('REFUND_REASON_REQUIRED', '请填写退款原因');
    // The order's row lock first: every refund path takes it before the refund rows (no deadlocks).
    const order = await tx.orders.findByNo(input.orderNo, { forUpdate: true });
    if (!order) throw new DomainError('ORDER_NOT_FOUND', `订单 ${input.orderNo} 不存在`);
    if (order.status === 'refunded') throw new DomainError('ORDER_NOT_REFUNDABLE', '订单已全额退款');
    if (order.status !== 'paid') throw new DomainError('ORDER_NOT_REFUNDABLE', '只有已支付订单可以退款');
    const existing = orderRefunds(await tx.refunds.forOrder(order.orderNo, { forUpdate: true }));
    assertRefundable(order.paidFen, existing, input.amountFen);
    newRefund(input.amountFen);
    const now = this.clock.now();
    // The version bump makes a second writer that read the same order fail instead of passing the same check.
    await tx.orders.update(order.orderNo, order.version, {});
    const source = input.source ?? (actor.id === null ? 'customer' : 'staff');
    const refund = await this.numbers.insertWithFreshNumber('R', now, (refundNo) =>
      tx.refunds.insert({
        refundNo,
        orderNo: order.orderNo,
        platform: order.method,
        amountFen: input.amountFen,
        reason: reason.slice(0, 256),
        source,
        requestedBy: actor.id,
        requestedByName: actor.name.slice(0, 64),
        relatedRef: input.relatedRef ?? null,
        exceptionId: null,
        createdAt: now,
      }),
    );
    await this.submitRequest(tx, actor, refund, `订单 ${order.orderNo}`, now);
    return refund;
  }

  /** A MySQL writer that lost a version race tries again: the second try sees the first one's refund. */
  // ───────────────────────────── queries ─────────────────────────────

  list(filter: RefundFilter, page: number, pageSize: number): Promise<Page<Refund>> {
    return this.store.read((r) => r.refunds.list(filter, page, pageSize));
  }

  async get(refundNo: string): Promise<RefundDetail> {
    return this.store.read(async (r) => {
      const refund = await r.refunds.findByNo(refundNo);
      if (!refund) throw new DomainError('REFUND_NOT_FOUND', `退款 ${refundNo} 不存在`);
      const [order, history, voucher] = await Promise.all([r.orders.findByNo(refund.orderNo), r.audit.forEntity('refund', refundNo), r.vouchers.findBySubject('refund', refundNo)]);
      const approval = this.approvals ? await this.approvals.approvalsOf(r, 'refund', refundNo) : null;
      return { refund, order, history, approval, arrivalText: arrivalText(refund), voucherNo: voucher?.voucherNo ?? null };
    });
  }

  async forOrder(orderNo: string): Promise<OrderRefundSummary> {
    return this.store.read(async (r) => {
      const order = await r.orders.findByNo(orderNo);
      if (!order) throw new DomainError('ORDER_NOT_FOUND', `订单 ${orderNo} 不存在`);
      const refunds = orderRefunds(await r.refunds.forOrder(orderNo));
      const reserved = reservedRefundFen(refunds);
      const succeeded = refunds.filter((x) => x.state === 'success').reduce((s, x) => s + x.amountFen, 0);
      return {
        orderNo,
        status: order.status,
        paidFen: order.paidFen,
        refundedFen: order.refundedFen,
        inProgressFen: reserved - succeeded,
        refundableFen: order.status === 'paid' ? refundableRemainingFen(order.paidFen, refunds) : 0,
        refunds,
      };
    });
  }

  // ───────────────────────────── approval ─────────────────────────────

  /** The refund side of the approval engine's port (approval-subjects.ts). */
  readonly subject: ApprovalSubject = {
    businessType: 'refund',
    describe: async (tx, ids) => {
      const out = new Map<string, ApprovalSubjectSummary>();
      for (const id of ids) {
        const r = await tx.refunds.findByNo(id);
        if (!r) continue;
        const order = await tx.orders.findByNo(r.orderNo);
        out.set(id, {
          title: `退款 ${r.refundNo}（订单 ${r.orderNo}）`,
          amountFen: r.amountFen,
          fields: [
            { label: '订单号', value: r.orderNo },
            { label: '支付方式', value: PAYMENT_METHOD_LABELS[r.platform] },
            { label: '订单已付', value: order ? formatYuan(order.paidFen) : '—' },
            { label: '订单已退', value: order ? formatYuan(order.refundedFen) : '—' },
            { label: '退款金额', value: formatYuan(r.amountFen) },
            { label: '退款原因', value: r.reason },
            { label: '来源', value: REFUND_SOURCE_LABELS[r.source] },
            { label: '申请人', value: r.requestedByName },
            { label: '状态', value: REFUND_STATE_LABELS[r.state] },
          ],
          link: `/refunds?refundNo=${r.refundNo}&detail=${r.refundNo}`,
        });
      }
      return out;
    },
    onApproved: async (tx, refundNo, actor) => {
      await this.transition(tx, refundNo, actor, { kind: 'approve' }, 'refund.approve', (now) => ({ approvedAt: now, nextAttemptAt: now }));
    },
    onRejected: async (tx, refundNo, reason, actor) => {
      await this.transition(tx, refundNo, actor, { kind: 'reject', reason }, 'refund.reject', (now) => ({ finishedAt: now }));
    },
    onCancelled: async (tx, refundNo, actor) => {
      await this.transition(tx, refundNo, actor, { kind: 'close', reason: '申请人撤回' }, 'refund.withdraw', (now) => ({ finishedAt: now }));
    },
  };

  /** A state change with no money effect (approve, reject, withdraw, close, retry), audited. */
  private async transition(tx: Tx, refundNo: string, actor: Actor, event: RefundEvent, action: string, extra: (now: number) => RefundPatch): Promise<Refund> {
    const r = await tx.refunds.findByNo(refundNo, { forUpdate: true });
    if (!r) throw new DomainError('REFUND_NOT_FOUND', `退款 ${refundNo} 不存在`);
    const next = applyRefundEvent(refundMoney(r), event);
    const now = this.clock.now();
    const patch: RefundPatch = { state: next.state, failReason: next.reason, retryable: next.retryable, ...extra(now) };
    await tx.refunds.update(refundNo, r.version, patch, now);
    const after: Refund = { ...r, ...patch, updatedAt: now, version: r.version + 1 };
    await auditRefundChange(tx, actor, action, refundNo, auditRefund(r), auditRefund(after), now);
    await this.results.syncPaymentTransaction(tx, r.orderNo, now);
    return after;
  }

  // ───────────────────────────── staff actions ─────────────────────────────

  /** Sends a failed, retryable refund again (same refund number); the order's refunds are checked again first. */
  retry(actor: Actor, refundNo: string, expectedVersion?: number): Promise<Refund> {
    return withVersionRetry(() =>
      this.store.transaction(async (tx) => {
        const peek = await tx.refunds.findByNo(refundNo);
        if (!peek) throw new DomainError('REFUND_NOT_FOUND', `退款 ${refundNo} 不存在`);
        if (peek.exceptionId !== null) return this.retryExceptionRefund(tx, actor, peek, expectedVersion);
        const order = await tx.orders.findByNo(peek.orderNo, { forUpdate: true });
        if (!order) throw new DomainError('ORDER_NOT_FOUND', `订单 ${peek.orderNo} 不存在`);
        const all = orderRefunds(await tx.refunds.forOrder(order.orderNo, { forUpdate: true }));
        const r = all.find((x) => x.refundNo === refundNo)!;
        if (expectedVersion !== undefined && expectedVersion !== r.version) throw new ConcurrentUpdateError();
        if (order.status !== 'paid') throw new DomainError('ORDER_NOT_REFUNDABLE', '订单已全额退款，不能再重试该退款');
        await tx.orders.update(order.orderNo, order.version, {});
        const others = all.filter((x) => x.refundNo !== refundNo);
        return this.transition(tx, refundNo, actor, { kind: 'retry', paidFen: order.paidFen, otherRefunds: others }, 'refund.retry', (now) => ({ nextAttemptAt: now, finishedAt: null }));
      }),
    );
  }

  /**
   * Gives up a refund: a failed one, or an approved one that was never sent. One that may be at the
   * platform cannot be closed here (the money might still move): query it instead. A request still
   * under approval is withdrawn in the 审批中心, so the approval and the refund end together.
   */
  close(actor: Actor, refundNo: string, reason: string, expectedVersion?: number): Promise<Refund> {
    return this.store.transaction(async (tx) => {
      const r = await tx.refunds.findByNo(refundNo, { forUpdate: true });
      if (!r) throw new DomainError('REFUND_NOT_FOUND', `退款 ${refundNo} 不存在`);
      if (expectedVersion !== undefined && expectedVersion !== r.version) throw new ConcurrentUpdateError();
      if (r.state === 'pending_approval') throw new DomainError('REFUND_UNDER_APPROVAL', '退款正在审批中，请在审批中心撤回申请');
      if (r.state === 'processing' && r.attempts > 0)
        throw new DomainError('REFUND_AT_PLATFORM', '退款已提交到支付平台，结果未知前不能关闭，请先查询平台结果');
      return this.transition(tx, refundNo, actor, { kind: 'close', reason }, 'refund.close', (now) => ({ finishedAt: now, nextAttemptAt: null }));
    });
  }


  // ───────────────────────────── execution, results, cancellation tiers ─────────────────────────────

  /** The executor job: sends approved refunds, asks about unknown ones (leases, query before any resend). */
  sendApproved(limit = 20): Promise<SendReport> {
    return this.executor.sendApproved(limit);
  }

  /** 查询平台结果 now, for one refund (staff). Never sends. */
  sync(refundNo: string): Promise<Refund> {
    return this.executor.sync(refundNo);
  }

  /** Gives back every refund this instance holds (a clean stop). */
  releaseAll(): Promise<void> {
    return this.executor.releaseAll();
  }

  /** Refund notifications (PaymentService inbox hook): runs in the inbox entry's transaction. */
  readonly notificationHandler: RefundResults['notificationHandler'] = (tx, platform, event, source) => this.results.notificationHandler(tx, platform, event, source);

  cancellationTiers(tx?: Tx): Promise<{ tiers: CancellationTier[]; version: number | null }> {
    return this.cancellations.tiers(tx);
  }

  updateCancellationTiers(actor: Actor, tiers: CancellationTier[], expectedVersion: number | null): Promise<CancellationTier[]> {
    return this.cancellations.updateTiers(actor, tiers, expectedVersion);
  }

  /** A booking cancelled after its deposit was paid: the tier's refund, requested in the cancelling transaction. */
  refundForCancelledBooking(tx: Tx, actor: Actor, booking: Booking, at: number): ReturnType<CancellationRefunds['refundFor']> {
    return this.cancellations.refundFor(tx, actor, booking, at);
  }

  cancellationQuote(tx: Tx, booking: Booking, at: number, opts: { forUpdate?: boolean } = {}): Promise<CancellationQuote> {
    return this.cancellations.quote(tx, booking, at, opts);
  }

  // ───────────────────────────── 支付异常 ─────────────────────────────

  /**
   * Returns money recorded as a 支付异常 (paid after cancel, a second payment, a wrong amount, an
   * unknown order): a refund of that platform trade, through approval like any other. Its refunds
   * hold against the exception's amount, never against an order's payment; the exception is
   * resolved once all of it went back.
   */
  requestForException(actor: Actor, input: { exceptionId: number; amountFen: Fen; reason: string }): Promise<Refund> {
    return this.store.transaction(async (tx) => {
      checkFen(input.amountFen);
      const reason = input.reason.trim();
      if (!reason) throw new DomainError('REFUND_REASON_REQUIRED', '请填写退款原因');
      const ex = await tx.refunds.exception(input.exceptionId, { forUpdate: true });
      if (!ex) throw new DomainError('EXCEPTION_NOT_FOUND', `支付异常 #${input.exceptionId} 不存在`);
      if (ex.status !== 'open') throw new DomainError('EXCEPTION_RESOLVED', '该支付异常已处理完毕');
      const existing = await tx.refunds.forException(ex.id, { forUpdate: true });
      assertRefundable(ex.amountFen, existing, input.amountFen);
      const now = this.clock.now();
      const refund = await this.numbers.insertWithFreshNumber('R', now, (refundNo) =>
        tx.refunds.insert({
          refundNo,
          orderNo: ex.orderNo,
          platform: ex.platform as Refund['platform'],
          amountFen: input.amountFen,
          reason: reason.slice(0, 256),
          source: 'exception',
          requestedBy: actor.id,
          requestedByName: actor.name.slice(0, 64),
          relatedRef: null,
          exceptionId: ex.id,
          createdAt: now,
        }),
      );
      await this.submitRequest(tx, actor, refund, `支付异常 #${ex.id}`, now);
      return refund;
    });
  }

  private async retryExceptionRefund(tx: Tx, actor: Actor, peek: Refund, expectedVersion?: number): Promise<Refund> {
    const ex = await tx.refunds.exception(peek.exceptionId!, { forUpdate: true });
    if (!ex) throw new DomainError('EXCEPTION_NOT_FOUND', `支付异常 #${peek.exceptionId} 不存在`);
    const all = await tx.refunds.forException(ex.id, { forUpdate: true });
    const r = all.find((x) => x.refundNo === peek.refundNo)!;
    if (expectedVersion !== undefined && expectedVersion !== r.version) throw new ConcurrentUpdateError();
    const others = all.filter((x) => x.refundNo !== r.refundNo);
    return this.transition(tx, r.refundNo, actor, { kind: 'retry', paidFen: ex.amountFen, otherRefunds: others }, 'refund.retry', (now) => ({ nextAttemptAt: now, finishedAt: null }));
  }

  /** A new request is audited and sent to the approval engine in the transaction that created it. */
  private async submitRequest(tx: Tx, actor: Actor, refund: Refund, source: string, now: number): Promise<void> {
    await auditRefundChange(tx, actor, 'refund.request', refund.refundNo, null, auditRefund(refund), now);
    if (this.approvals)
      await this.approvals.submit(tx, {
        businessType: 'refund',
        subjectId: refund.refundNo,
        amountFen: refund.amountFen,
        requester: actor,
        title: `退款 ${refund.refundNo}（${source}，${formatYuan(refund.amountFen)}）`,
      });
  }
}

/** What the refund page says about arrival: the dates once succeeded, the rule before. */
export function arrivalText(r: Refund): string {
  const channel = arrivalChannelFor(r.platform);
  if (r.state === 'success' && r.succeededAt !== null) return expectedArrival(r.succeededAt, channel, DEFAULT_ARRIVAL_TABLE).text;
  const { minDays, maxDays } = DEFAULT_ARRIVAL_TABLE[channel];
  const rule = minDays === maxDays ? `T+${minDays}` : `T+${minDays}～T+${maxDays}`;
  return r.state === 'processing' || r.state === 'pending_approval' ? `退款成功后 ${rule} 到账` : '—';
}
