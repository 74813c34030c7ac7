import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import type { Refund } from '../../core/refunds/refund';
import { MINUTE_MS, type Clock } from '../../core/time';
import type { RefundStatus } from '../../gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected } from '../../gateways/gateway-errors';
import type { Store, Tx } from '../../db/store';
import { SYSTEM_ACTOR } from '../actor';
import type { GatewayRegistry } from '../payments/gateway-registry';
import type { RefundResults } from './refund-results';
import { withVersionRetry } from './refund-shared';

export interface SendReport {
  claimed: string[];
  sent: string[];
  succeeded: string[];
  failed: string[];
  unknown: string[];
}

/** How long a claimed refund stays with one instance if it dies mid-call. */
const LEASE_MS = MINUTE_MS;
/** A refund the platform accepted but has not finished is asked about again after this long (or its notification comes first). */
const PROCESSING_RECHECK_MS = 2 * MINUTE_MS;
/** A channel not configured yet is looked at again after this long. */
const NOT_CONFIGURED_RECHECK_MS = 10 * MINUTE_MS;
/** Unknown outcomes (timeouts, 5xx) back off: 30 s, 1 min, 2 min … at most 30 min. */
const unknownBackoff = (attempts: number) => Math.min(30 * MINUTE_MS, 30_000 * 2 ** Math.max(0, Math.min(attempts - 1, 10)));

/** Platforms answer "no such refund" with these codes: the request never reached them, so it may be sent again. */
const NOT_FOUND_CODES = /NOT_EXIST|NOT_FOUND|RESOURCE_NOT_EXISTS|REFUND_NOT_EXIST/;

/**
 * Sends approved refunds to their platform and asks about the ones whose result is not known. A
 * refund is executed at most once per out_refund_no: the refund number IS the out_refund_no, each
 * attempt is committed before the call, and a refund that may have reached the platform (any
 * attempt made) is QUERIED before it is ever sent again.
 */
export class RefundExecutor {
  constructor(
    private readonly store: Store,
    private readonly gateways: GatewayRegistry,
    private readonly clock: Clock,
    private readonly results: RefundResults,
    /** Identifies this instance in refund leases. */
    private readonly workerId: string,
    /** Where the platforms call us back. */
    private readonly callbackBaseUrl: () => string,
  ) {}

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
    return withVersionRetry(() =>
      this.store.transaction(async (tx) => {
        const res = await this.results.apply(tx, refundNo, status, source, retryable);
        return res.state;
      }),
    );
  }
}
