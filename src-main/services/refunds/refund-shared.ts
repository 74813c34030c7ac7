import { snapshot } from '../../core/audit/audit-record';
import type { Refund } from '../../core/refunds/refund';
import type { RefundMoney } from '../../core/refunds/refund-state';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Tx } from '../../db/store';
import type { Actor } from '../actor';

/** What a refund's audit entries record: the row without its bookkeeping (version, lease). */
export const auditRefund = (r: Refund) => snapshot({ ...r, version: undefined, leaseOwner: undefined });

/** The part of a refund its state machine (core/refunds/refund-state) decides on. */
export const refundMoney = (r: Refund): RefundMoney => ({ state: r.state, amountFen: r.amountFen, reason: r.failReason, retryable: r.retryable });

/** The refunds of an order's own payment (a 支付异常's refunds share its order number but not its money). */
export const orderRefunds = (refunds: Refund[]) => refunds.filter((r) => r.exceptionId === null);

export function auditRefundChange(tx: Tx, actor: Actor, action: string, refundNo: string, before: string | null, after: string | null, at: number) {
  return tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'refund', entityId: refundNo, before, after }, at);
}

/** A MySQL writer that lost a version race tries again: the second try sees the first one's refund. */
export async function withVersionRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError) || attempt >= 3) throw e;
    }
  }
}
