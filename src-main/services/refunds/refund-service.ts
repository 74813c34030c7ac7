import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { checkFen, fenToYuanString, formatYuan, type Fen } from '../../core/money';
import type { Order, Page } from '../../core/orders/order';
import { applyOrderEvent } from '../../core/orders/order-state';
import { PAYMENT_METHOD_LABELS } from '../../core/orders/order-types';
import { arrivalChannelFor, DEFAULT_ARRIVAL_TABLE, expectedArrival } from '../../core/refunds/arrival';
import {
  assertValidCancellationTiers,
  DEFAULT_CANCELLATION_TIERS,
  describeCancellationTier,
  refundForCancellation,
  type CancellationTier,
} from '../../core/refunds/cancellation-refund';
import { REFUND_SOURCE_LABELS, type Refund, type RefundFilter, type RefundSource } from '../../core/refunds/refund';
import {
  applyRefundEvent,
  refundableRemainingFen,
  REFUND_STATE_LABELS,
  reservedRefundFen,
  assertRefundable,
  newRefund,
  type RefundEvent,
  type RefundMoney,
} from '../../core/refunds/refund-state';
import type { Booking } from '../../core/bookings/booking';
import { assertTransactionTransition, type TransactionStatus } from '../../core/transactions/transaction-types';
import { formatShanghai, MINUTE_MS, type Clock } from '../../core/time';
import type { NotificationEvent, Platform, RefundStatus } from '../../gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected } from '../../gateways/gateway-errors';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { RefundPatch } from '../../db/repositories/refund-repository';
import type { Store, Tx } from '../../db/store';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { SubjectApprovals } from '../approvals/approval-service';
import type { ApprovalSubject, ApprovalSubjectSummary, ApprovalSubmission } from '../approvals/approval-subjects';
import type { NotificationService } from '../notifications/notification-service';
import type { NumberAllocator } from '../number-allocator';
import type { GatewayRegistry } from '../payments/gateway-registry';
import type { IssueVoucherInput } from '../vouchers/voucher-service';

/** The part of the approval engine a refund needs: a request submitted inside the refund's own transaction. */
export interface ApprovalGate {
  submit(tx: Tx, submission: ApprovalSubmission): Promise<number>;
  /** The subject's latest approval with its decisions (names, roles, times), for the refund's detail. */
  approvalsOf(tx: Tx, businessType: 'refund', subjectId: string): Promise<SubjectApprovals | null>;
}

/** What a refund needs of the voucher register (VoucherService): a 退款凭证 issued in the succeeding transaction. */
export interface RefundVouchers {
  issue(tx: Tx, input: IssueVoucherInput): Promise<string>;
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

/** What cancelling a booking now would refund (the same rule `refundForCancelledBooking` applies). */
export interface CancellationQuote {
  /** The deposit paid (0 when the deposit order is not paid). */
  paidFen: Fen;
  /** Milliseconds between now and the appointment; negative once it started. */
  msBefore: number;
  percent: number;
  /** 「提前 24–48 小时取消，退还定金 50%」. */
  tierText: string;
  /** What the tier grants, capped by what is still refundable on the deposit order. */
  refundFen: Fen;
  tiers: CancellationTier[];
  tierIndex: number;
}

export interface SendReport {
  claimed: string[];
  sent: string[];
  succeeded: string[];
  failed: string[];
  unknown: string[];
}

const TIERS_KEY = 'refund_tiers';
/** How long a claimed refund stays with one instance if it dies mid-call. */
const LEASE_MS = MINUTE_MS;
/** A refund the platform accepted but has not finished is asked about again after this long (or its notification comes first). */
const PROCESSING_RECHECK_MS = 2 * MINUTE_MS;
/** A channel not configured yet is looked at again after this long. */
const NOT_CONFIGURED_RECHECK_MS = 10 * MINUTE_MS;
/** Unknown outcomes (timeouts, 5xx) back off: 30 s, 1 min, 2 min … at most 30 min. */
const unknownBackoff = (attempts: number) => Math.min(30 * MINUTE_MS, 30_000 * 2 ** Math.max(0, Math.min(attempts - 1, 10)));

const auditRefund = (r: Refund) => snapshot({ ...r, version: undefined, leaseOwner: undefined });
const money = (r: Refund): RefundMoney => ({ state: r.state, amountFen: r.amountFen, reason: r.failReason, retryable: r.retryable });

/** Platforms answer "no such refund" with these codes: the request never reached them, so it may be sent again. */
const NOT_FOUND_CODES = /NOT_EXIST|NOT_FOUND|RESOURCE_NOT_EXISTS|REFUND_NOT_EXIST/;

/**
 * 退款 (issue 5, design document 4.4): requests by staff, customers (REST) and booking cancellations,
 * approval through the one approval engine, execution at the platform, results by notification or
 * query, and the order, its transactions and the customer's message updated with the result.
 *
 * Money invariants (ARCHITECTURE.md):
 *  - pending_approval + processing + success ≤ paid, checked under the order's row lock and version:
 *    every request, and every retry, locks the order, re-reads its refunds with a locking read and
 *    bumps the order's version, so two concurrent requests can never both see the same remainder.
 *  - A refund is executed at most once per out_refund_no: the refund number IS the out_refund_no,
 *    each attempt is committed before the call, and a refund that may have reached the platform
 *    (any attempt made) is QUERIED before it is ever sent again.
 */
export class RefundService {
  private approvals: ApprovalGate | null = null;
  private vouchers: RefundVouchers | null = null;
  /** 付款单位 on 退款凭证: the same name supplier vouchers carry. */
  private payerName = '';

  constructor(
    private readonly store: Store,
    private readonly gateways: GatewayRegistry,
    private readonly numbers: NumberAllocator,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
    /** Identifies this instance in refund leases. */
    private readonly workerId: string,
    /** Where the platforms call us back. */
    private readonly callbackBaseUrl: () => string,
  ) {}

  /** The approval engine; set once at start-up (app.ts). Without one, a request waits in 待审批. */
  useApprovals(gate: ApprovalGate): void {
    this.approvals = gate;
  }

  /** The voucher register; set once at start-up (app.ts). Every refund that succeeds then gets its 退款凭证. */
  useVouchers(vouchers: RefundVouchers, payerName: string): void {
    this.vouchers = vouchers;
    this.payerName = payerName;
  }

  // ───────────────────────────── requests ─────────────────────────────

  request(actor: Actor, input: RequestRefundInput): Promise<Refund> {
    return this.withRetry(() => this.store.transaction((tx) => this.requestIn(tx, actor, input)));
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
  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (e) {
        if (!(e instanceof ConcurrentUpdateError) || attempt >= 3) throw e;
      }
    }
  }

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
    const next = applyRefundEvent(money(r), event);
    const now = this.clock.now();
    const patch: RefundPatch = { state: next.state, failReason: next.reason, retryable: next.retryable, ...extra(now) };
    await tx.refunds.update(refundNo, r.version, patch, now);
    const after: Refund = { ...r, ...patch, updatedAt: now, version: r.version + 1 };
    await this.audit(tx, actor, action, refundNo, auditRefund(r), auditRefund(after), now);
    await this.syncPaymentTransaction(tx, r.orderNo, now);
    return after;
  }

  // ───────────────────────────── staff actions ─────────────────────────────

  /** Sends a failed, retryable refund again (same refund number); the order's refunds are checked again first. */
  retry(actor: Actor, refundNo: string, expectedVersion?: number): Promise<Refund> {
    return this.withRetry(() =>
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

  // ───────────────────────────── the executor ─────────────────────────────

  /**
   * Sends approved refunds and asks about those whose result is not known yet. Runs as a periodic
   * job on every server instance; refunds are claimed with leases (FOR UPDATE SKIP LOCKED), so two
   * instances never work on the same refund.
   */
  async sendApproved(limit = 20): Promise<SendReport> {
    const now = this.clock.now();
    const claimed = await this.store.transaction((tx) => tx.refunds.claimDue(this.workerId, now, LEASE_MS, limit));
    const report: SendReport = { claimed, sent: [], succeeded: [], failed: [], unknown: [] };
    for (const refundNo of claimed) {
      try {
        const outcome = await this.work(refundNo, 'send');
        if (outcome.sent) report.sent.push(refundNo);
        if (outcome.state === 'success') report.succeeded.push(refundNo);
        else if (outcome.state === 'failed' || outcome.state === 'closed') report.failed.push(refundNo);
        else if (outcome.unknown) report.unknown.push(refundNo);
      } catch (e) {
        // One refund's trouble must not stop the others; its lease runs out and a later run tries again.
        if (!(e instanceof DomainError)) throw e;
      } finally {
        await this.store.transaction((tx) => tx.refunds.release(this.workerId, refundNo));
      }
    }
    return report;
  }

  /** 查询平台结果 now, for one refund (staff). Never sends: a refund never sent is left to the executor. */
  async sync(refundNo: string): Promise<Refund> {
    const now = this.clock.now();
    const got = await this.store.transaction((tx) => tx.refunds.claimOne(refundNo, this.workerId, now, LEASE_MS));
    if (!got) throw new DomainError('REFUND_BUSY', '该退款正在由其他服务处理，请稍后再查');
    try {
      const r = await this.store.read((x) => x.refunds.findByNo(refundNo));
      if (!r) throw new DomainError('REFUND_NOT_FOUND', `退款 ${refundNo} 不存在`);
      if (r.state !== 'processing') return r;
      if (r.attempts === 0) throw new DomainError('REFUND_NOT_SENT', '退款尚未提交到支付平台，系统会自动发送');
      await this.work(refundNo, 'query');
      return (await this.store.read((x) => x.refunds.findByNo(refundNo)))!;
    } finally {
      await this.store.transaction((tx) => tx.refunds.release(this.workerId, refundNo));
    }
  }

  /** Gives back every refund this instance holds (a clean stop). */
  releaseAll(): Promise<void> {
    return this.store.transaction((tx) => tx.refunds.release(this.workerId));
  }

  /**
   * One refund, claimed by this instance: query first when it may already be at the platform, then
   * (only in 'send' mode, and only when the platform does not have it) record the attempt and send.
   */
  private async work(refundNo: string, mode: 'send' | 'query'): Promise<{ sent: boolean; unknown: boolean; state: Refund['state'] }> {
    const r = await this.store.read((x) => x.refunds.findByNo(refundNo));
    if (!r || r.state !== 'processing') return { sent: false, unknown: false, state: r?.state ?? 'closed' };
    if (!this.gateways.has(r.platform)) {
      await this.later(r, NOT_CONFIGURED_RECHECK_MS);
      return { sent: false, unknown: true, state: r.state };
    }
    const gateway = this.gateways.get(r.platform);
    if (r.attempts > 0) {
      // It may be at the platform already (a timeout, a crash after the attempt was recorded): ask before anything else.
      let status: RefundStatus | 'absent';
      try {
        status = await gateway.queryRefund(r.orderNo, r.refundNo);
      } catch (e) {
        if (e instanceof GatewayRejected && NOT_FOUND_CODES.test(e.code)) status = 'absent';
        else if (e instanceof GatewayOutcomeUnknown || e instanceof GatewayRejected) {
          await this.later(r, unknownBackoff(r.attempts));
          return { sent: false, unknown: true, state: r.state };
        } else throw e;
      }
      if (status !== 'absent') {
        // Alipay answers an empty refund_status for "not done or never received": retry with the same out_request_no (its documented way).
        const resend = status.state === 'processing' && r.platform === 'alipay' && mode === 'send';
        if (!resend) {
          const state = await this.applyStatus(r.refundNo, status, '主动查询');
          if (state === 'processing') await this.later(r, PROCESSING_RECHECK_MS);
          return { sent: false, unknown: false, state };
        }
      }
      if (mode === 'query') {
        await this.later(r, 0);
        return { sent: false, unknown: false, state: r.state };
      }
    }
    if (mode === 'query') return { sent: false, unknown: false, state: r.state };

    // Record the attempt BEFORE the call: from this commit on, a crash or timeout means "query first".
    const attemptAt = this.clock.now();
    const marked = await this.store.transaction(async (tx) => {
      const cur = await tx.refunds.findByNo(refundNo, { forUpdate: true });
      if (!cur || cur.state !== 'processing' || cur.version !== r.version) return null;
      await tx.refunds.update(refundNo, cur.version, { attempts: cur.attempts + 1, sentAt: cur.sentAt ?? attemptAt, lastAttemptAt: attemptAt, nextAttemptAt: attemptAt + unknownBackoff(cur.attempts + 1) }, attemptAt);
      // The platform wants the original trade's amount: the order's payment, or the money the 支付异常 recorded.
      const totalFen = cur.exceptionId !== null ? (await tx.refunds.exception(cur.exceptionId))?.amountFen : (await tx.orders.findByNo(cur.orderNo))?.paidFen;
      return { refund: { ...cur, attempts: cur.attempts + 1, version: cur.version + 1 }, totalFen: totalFen ?? cur.amountFen };
    });
    if (!marked) return { sent: false, unknown: false, state: r.state };
    let status: RefundStatus;
    try {
      status = await gateway.refund({
        orderNo: r.orderNo,
        refundNo: r.refundNo,
        amountFen: r.amountFen,
        totalFen: marked.totalFen,
        reason: r.reason,
        notifyUrl: `${this.callbackBaseUrl()}/api/payment/callback/${r.platform}`,
      });
    } catch (e) {
      if (e instanceof GatewayOutcomeUnknown) {
        // Stays processing; the next run queries before any resend (nextAttemptAt was set with the attempt).
        await this.store.transaction((tx) => this.note(tx, refundNo, 'refund.send_unknown', { attempt: marked.refund.attempts, error: e.message }));
        return { sent: true, unknown: true, state: 'processing' };
      }
      if (e instanceof GatewayRejected) {
        const state = await this.applyStatus(refundNo, { refundNo, orderNo: r.orderNo, state: 'failed', amountFen: r.amountFen, failReason: `${e.message}（${e.code}）` }, '退款请求', e.retryable);
        return { sent: true, unknown: false, state };
      }
      throw e;
    }
    const state = await this.applyStatus(refundNo, status, '退款请求');
    return { sent: true, unknown: false, state };
  }

  private async later(r: Refund, ms: number): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      const cur = await tx.refunds.findByNo(r.refundNo, { forUpdate: true });
      if (cur?.state === 'processing') await tx.refunds.update(r.refundNo, cur.version, { nextAttemptAt: now + ms }, now);
    });
  }

  private note(tx: Tx, refundNo: string, action: string, detail: Record<string, unknown>): Promise<unknown> {
    return tx.audit.append({ actorId: null, actorName: SYSTEM_ACTOR.name, action, entityType: 'refund', entityId: refundNo, before: null, after: snapshot(detail) }, this.clock.now());
  }

  /** Applies what the platform said (send answer, query) in its own transaction; returns the refund's state after. */
  private applyStatus(refundNo: string, status: RefundStatus, source: string, retryable = false): Promise<Refund['state']> {
    return this.withRetry(() =>
      this.store.transaction(async (tx) => {
        const res = await this.applyIn(tx, refundNo, status, source, retryable);
        return res.state;
      }),
    );
  }

  /**
   * The one place a platform result changes a refund, its order and its transactions. Idempotent
   * and order-insensitive: a result for a refund already in a final state changes nothing.
   */
  private async applyIn(
    tx: Tx,
    refundNo: string,
    status: Pick<RefundStatus, 'state' | 'amountFen' | 'platformRefundNo' | 'succeededAt' | 'feeFen' | 'failReason' | 'orderNo'>,
    source: string,
    retryable = false,
  ): Promise<{ kind: 'applied' | 'exception' | 'ignored'; detail: string; state: Refund['state'] }> {
    const peek = await tx.refunds.findByNo(refundNo);
    if (!peek) return { kind: 'exception', detail: `${source}：本系统没有退款 ${refundNo}，请人工核对`, state: 'closed' };
    // Order lock first, then the refund (the same order as requests and retries take them).
    const order = peek.exceptionId === null ? await tx.orders.findByNo(peek.orderNo, { forUpdate: true }) : null;
    // A 支付异常's row plays the order's part: locked before the refund, as requests lock it.
    const exception = peek.exceptionId !== null ? await tx.refunds.exception(peek.exceptionId, { forUpdate: true }) : null;
    const r = (await tx.refunds.findByNo(refundNo, { forUpdate: true }))!;
    const now = this.clock.now();
    if (status.orderNo !== r.orderNo) return { kind: 'exception', detail: `${source}：退款 ${refundNo} 属于订单 ${r.orderNo}，平台却报告订单 ${status.orderNo}`, state: r.state };
    if (status.state === 'processing') return { kind: 'ignored', detail: `${source}：平台处理中`, state: r.state };
    if (status.state === 'success') {
      if (status.amountFen !== r.amountFen)
        return { kind: 'exception', detail: `${source}：平台退款金额 ${formatYuan(status.amountFen)} 与退款单 ${formatYuan(r.amountFen)} 不一致，待人工核对`, state: r.state };
      if (r.state === 'success') return { kind: 'ignored', detail: `${source}：已是退款成功`, state: r.state };
      if (r.state !== 'processing')
        return { kind: 'exception', detail: `${source}：退款 ${refundNo} 在本系统为「${REFUND_STATE_LABELS[r.state]}」，平台却报告退款成功，待人工核对`, state: r.state };
      applyRefundEvent(money(r), { kind: 'succeed' });
      const succeededAt = status.succeededAt ?? now;
      const arrival = expectedArrival(succeededAt, arrivalChannelFor(r.platform), DEFAULT_ARRIVAL_TABLE);
      const patch: RefundPatch = {
        state: 'success',
        failReason: null,
        retryable: false,
        platformRefundNo: status.platformRefundNo ?? r.platformRefundNo,
        feeFen: status.feeFen ?? r.feeFen,
        succeededAt,
        finishedAt: now,
        nextAttemptAt: null,
        arrivalChannel: arrival.channel,
        arrivalFrom: arrival.fromDate,
        arrivalTo: arrival.toDate,
      };
      await tx.refunds.update(refundNo, r.version, patch, now);
      const after: Refund = { ...r, ...patch, updatedAt: now, version: r.version + 1 };
      await this.audit(tx, platformActor(r.platform, source), 'refund.succeed', refundNo, auditRefund(r), auditRefund(after), now);
      if (order) {
        const next = applyOrderEvent(order, { kind: 'refund', amountFen: r.amountFen });
        await tx.orders.update(order.orderNo, order.version, { status: next.status, refundedFen: next.refundedFen });
        const orderAfter: Order = { ...order, status: next.status, refundedFen: next.refundedFen, version: order.version + 1 };
        await tx.audit.append(
          { actorId: null, actorName: SYSTEM_ACTOR.name, action: next.status === 'refunded' ? 'order.refund' : 'order.partial_refund', entityType: 'order', entityId: order.orderNo, before: snapshot({ status: order.status, refundedFen: order.refundedFen }), after: snapshot({ status: orderAfter.status, refundedFen: orderAfter.refundedFen, refundNo }) },
          now,
        );
        await this.numbers.insertWithFreshNumber('T', now, (transactionNo) =>
          tx.transactions.insert({ transactionNo, orderNo: order.orderNo, method: order.method, amountFen: r.amountFen, status: 'success', type: 'refund', gatewayTradeNo: patch.platformRefundNo ?? null, createdAt: now, updatedAt: now }),
        );
        if (order.payerId)
          await this.notifications.enqueue(tx, {
            channel: 'wechat_template',
            recipient: order.payerId,
            templateCode: 'refund_success',
            params: { orderNo: order.orderNo, refundNo, amount: fenToYuanString(r.amountFen), succeededAt: formatShanghai(succeededAt), arrival: arrival.text },
            orderNo: order.orderNo,
            dedupeKey: `refund:${refundNo}`,
          });
      }
      await this.issueVoucher(tx, after, order);
      if (exception) {
        const back = (await tx.refunds.forException(exception.id)).filter((x) => x.state === 'success').reduce((sum, x) => sum + x.amountFen, 0);
        if (back >= exception.amountFen) await tx.refunds.resolveException(exception.id, now);
      } else await this.syncPaymentTransaction(tx, r.orderNo, now);
      return { kind: 'applied', detail: `${source}：退款成功`, state: 'success' };
    }
    // failed / closed at the platform: only a refund still under way can take it.
    if (r.state !== 'processing') return { kind: 'ignored', detail: `${source}：退款已是「${REFUND_STATE_LABELS[r.state]}」，忽略平台的「${status.state}」`, state: r.state };
    const event: RefundEvent =
      status.state === 'failed'
        ? { kind: 'fail', reason: (status.failReason ?? '支付平台报告退款失败').slice(0, 256), retryable }
        : { kind: 'close', reason: (status.failReason ?? '支付平台关闭了退款').slice(0, 256) };
    const next = applyRefundEvent(money(r), event);
    const patch: RefundPatch = { state: next.state, failReason: next.reason, retryable: next.retryable, finishedAt: now, nextAttemptAt: null, platformRefundNo: status.platformRefundNo ?? r.platformRefundNo };
    await tx.refunds.update(refundNo, r.version, patch, now);
    const after: Refund = { ...r, ...patch, updatedAt: now, version: r.version + 1 };
    await this.audit(tx, platformActor(r.platform, source), status.state === 'failed' ? 'refund.fail' : 'refund.platform_close', refundNo, auditRefund(r), auditRefund(after), now);
    await this.syncPaymentTransaction(tx, r.orderNo, now);
    return { kind: 'applied', detail: `${source}：${REFUND_STATE_LABELS[next.state]}（${next.reason ?? ''}）`, state: next.state };
  }

  /**
   * 退款凭证: issued in the transaction that records the refund as succeeded (send answer, query or
   * notification alike), once per refund (VoucherService.issue is idempotent per subject). The payee
   * is the customer who paid — the booking's or meal bill's guest when the order has one — with the
   * paying account (openid, Alipay buyer, card) stored in full and printed masked.
   */
  private async issueVoucher(tx: Tx, r: Refund, order: Order | null): Promise<void> {
    if (!this.vouchers) return;
    const payerId = order?.payerId ?? '';
    await this.vouchers.issue(tx, {
      kind: 'refund',
      subjectId: r.refundNo,
      payerName: this.payerName,
      payeeName: (await payeeNameOf(tx, order)).slice(0, 128),
      payeeAccount: payerId.slice(0, 128),
      payeeChannel: r.platform,
      amountFen: r.amountFen,
      purpose: `退款：${r.reason}（原订单 ${r.orderNo}）`.slice(0, 256),
      referenceNo: (r.platformRefundNo ?? '').slice(0, 64),
      issuedAt: r.succeededAt ?? this.clock.now(),
    });
  }

  /** Refund notifications (PaymentService inbox hook): runs in the inbox entry's transaction. */
  readonly notificationHandler = async (
    tx: Tx,
    platform: Platform,
    event: Extract<NotificationEvent, { kind: 'refund' }>,
    source: string,
  ): Promise<{ kind: 'applied' | 'exception' | 'ignored'; detail: string }> => {
    const peek = await tx.refunds.findByNo(event.refundNo);
    if (peek && peek.platform !== platform)
      return { kind: 'exception', detail: `${source}：退款 ${event.refundNo} 应由 ${peek.platform} 退款，却收到 ${platform} 的通知` };
    const { kind, detail } = await this.applyIn(tx, event.refundNo, { ...event }, source);
    return { kind, detail };
  };

  /**
   * The payment transaction follows its order's refunds: 退款中 while one is under way, 已退款 once
   * everything paid was returned, 成功 otherwise (a partial refund keeps the payment successful).
   */
  private async syncPaymentTransaction(tx: Tx, orderNo: string, now: number): Promise<void> {
    const order = await tx.orders.findByNo(orderNo);
    if (!order || (order.status !== 'paid' && order.status !== 'refunded')) return;
    const refunds = orderRefunds(await tx.refunds.forOrder(orderNo));
    const want: TransactionStatus = order.status === 'refunded' ? 'refunded' : refunds.some((x) => x.state === 'processing') ? 'refunding' : 'success';
    for (const t of await tx.transactions.findByOrder(orderNo)) {
      if (t.type !== 'payment' || t.status === want || !['success', 'refunding'].includes(t.status)) continue;
      assertTransactionTransition(t.status, want);
      await tx.transactions.updateStatus(t.transactionNo, t.version, want, now);
    }
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

  // ───────────────────────────── booking cancellation ─────────────────────────────

  async cancellationTiers(tx?: Tx): Promise<{ tiers: CancellationTier[]; version: number | null }> {
    const stored = tx ? await tx.settings.get(TIERS_KEY) : await this.store.read((r) => r.settings.get(TIERS_KEY));
    const value = (stored?.value ?? {}) as { tiers?: CancellationTier[] };
    return { tiers: value.tiers?.length ? value.tiers : DEFAULT_CANCELLATION_TIERS.map((t) => ({ ...t })), version: stored?.version ?? null };
  }

  async updateCancellationTiers(actor: Actor, tiers: CancellationTier[], expectedVersion: number | null): Promise<CancellationTier[]> {
    assertValidCancellationTiers(tiers);
    return this.store.transaction(async (tx) => {
      const before = await this.cancellationTiers(tx);
      const now = this.clock.now();
      const value = { tiers: tiers.map((t) => ({ minHoursBefore: t.minHoursBefore, percent: t.percent })) };
      await tx.settings.put(TIERS_KEY, value, expectedVersion, now);
      await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'settings.update', entityType: 'settings', entityId: TIERS_KEY, before: snapshot({ tiers: before.tiers }), after: snapshot(value) }, now);
      return value.tiers;
    });
  }

  /**
   * 预约取消按时间退款 (design document 2.1.3): a booking whose deposit was paid is cancelled; the
   * tier table decides how much of the deposit goes back, and that refund is requested (through
   * approval) in the cancelling transaction. Nothing is requested when the tier grants 0.
   */
  async refundForCancelledBooking(tx: Tx, actor: Actor, booking: Booking, at: number): Promise<{ refund: Refund | null; percent: number; tierText: string; refundFen: Fen }> {
    const quote = await this.cancellationQuote(tx, booking, at, { forUpdate: true });
    if (quote.refundFen <= 0) return { refund: null, percent: quote.percent, tierText: quote.tierText, refundFen: 0 };
    const refund = await this.requestIn(tx, actor, { orderNo: booking.depositOrderNo, amountFen: quote.refundFen, reason: `预定 ${booking.bookingNo} 取消：${quote.tierText}`, source: 'booking_cancel', relatedRef: booking.bookingNo });
    return { refund, percent: quote.percent, tierText: quote.tierText, refundFen: quote.refundFen };
  }

  /**
   * What cancelling `booking` at `at` would refund: the tier for the time left, its percent of the
   * paid deposit (rounded down), capped by what the deposit order still has refundable. The 取消预定
   * confirmation shows it; `refundForCancelledBooking` requests exactly this.
   */
  async cancellationQuote(tx: Tx, booking: Booking, at: number, opts: { forUpdate?: boolean } = {}): Promise<CancellationQuote> {
    const { tiers } = await this.cancellationTiers(tx);
    const order = await tx.orders.findByNo(booking.depositOrderNo);
    const paid = order?.status === 'paid' ? order.paidFen : 0;
    const quote = refundForCancellation(paid, booking.appointmentAt, at, tiers);
    const tierText = `${describeCancellationTier(tiers, quote.tierIndex)}，退还定金 ${quote.percent}%`;
    const base = { paidFen: paid, msBefore: quote.msBefore, percent: quote.percent, tierText, tiers, tierIndex: quote.tierIndex };
    if (!order || quote.refundFen <= 0) return { ...base, refundFen: 0 };
    const refunds = orderRefunds(await tx.refunds.forOrder(order.orderNo, { forUpdate: opts.forUpdate ?? false }));
    return { ...base, refundFen: Math.max(0, Math.min(quote.refundFen, refundableRemainingFen(order.paidFen, refunds))) };
  }

  /** A new request is audited and sent to the approval engine in the transaction that created it. */
  private async submitRequest(tx: Tx, actor: Actor, refund: Refund, source: string, now: number): Promise<void> {
    await this.audit(tx, actor, 'refund.request', refund.refundNo, null, auditRefund(refund), now);
    if (this.approvals)
      await this.approvals.submit(tx, {
        businessType: 'refund',
        subjectId: refund.refundNo,
        amountFen: refund.amountFen,
        requester: actor,
        title: `退款 ${refund.refundNo}（${source}，${formatYuan(refund.amountFen)}）`,
      });
  }

  private audit(tx: Tx, actor: Actor, action: string, refundNo: string, before: string | null, after: string | null, at: number) {
    return tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'refund', entityId: refundNo, before, after }, at);
  }
}

/** Who changed a refund on the platform's word: 「微信支付 通知」, 「支付宝 主动查询」 (the notification id stays in the inbox). */
const platformActor = (platform: Refund['platform'], source: string): Actor => ({ id: null, name: `${PAYMENT_METHOD_LABELS[platform]} ${source.split(' ')[0]}`.slice(0, 64) });

/** 收款人 of a 退款凭证: the guest of the booking or meal bill the order paid for, else 「客户」. */
async function payeeNameOf(tx: Tx, order: Order | null): Promise<string> {
  if (order?.type === 'customer_order') {
    const booking = (order.relatedId ? await tx.bookings.findByNo(order.relatedId) : null) ?? (await tx.bookings.findByDepositOrder(order.orderNo));
    if (booking?.guestName) return booking.guestName;
  }
  if (order?.type === 'meal_bill') {
    const guests = [...new Set((await tx.mealBills.findByOrder(order.orderNo)).map((b) => b.guestName).filter(Boolean))];
    if (guests.length) return guests.join('、');
  }
  return '客户';
}

/** The refunds of an order's own payment (a 支付异常's refunds share its order number but not its money). */
const orderRefunds = (refunds: Refund[]) => refunds.filter((r) => r.exceptionId === null);

/** What the refund page says about arrival: the dates once succeeded, the rule before. */
export function arrivalText(r: Refund): string {
  const channel = arrivalChannelFor(r.platform);
  if (r.state === 'success' && r.succeededAt !== null) return expectedArrival(r.succeededAt, channel, DEFAULT_ARRIVAL_TABLE).text;
  const { minDays, maxDays } = DEFAULT_ARRIVAL_TABLE[channel];
  const rule = minDays === maxDays ? `T+${minDays}` : `T+${minDays}～T+${maxDays}`;
  return r.state === 'processing' || r.state === 'pending_approval' ? `退款成功后 ${rule} 到账` : '—';
}
