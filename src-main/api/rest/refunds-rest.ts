import { z } from 'zod';
import type { App } from '../../app';
import { isDomainError } from '../../core/errors';
import type { Refund } from '../../core/refunds/refund';
import { isoShanghai } from '../../core/time';
import { arrivalText } from '../../services/refunds/refund-service';
import { businessNo, describeZodError, orderNo, requiredText, yuanAmount } from '../schemas';
import { fail, ok, statusForDomainCode, yuanNumber, type RestReply } from './rest-envelope';
import type { RestCall } from './orders-rest';

/**
 * The refund routes of design document 6.2, for the mini-program and web checkout back ends. A
 * customer's request goes through the same approval as a staff one: the answer's status is
 * `pending_approval` until an accountant approves it, then `processing`, `success` (with
 * `refund_time`), or `rejected` / `failed` / `closed` (with `fail_reason`).
 */
const CreateRefund = z.strictObject({
  order_id: orderNo,
  refund_amount: yuanAmount,
  refund_reason: requiredText(256),
});

const refundId = businessNo('R', '退款单号');

export function refundView(r: Refund) {
  return {
    refund_id: r.refundNo,
    order_id: r.orderNo,
    refund_amount: yuanNumber(r.amountFen),
    status: r.state,
    refund_reason: r.reason,
    create_time: isoShanghai(r.createdAt),
    refund_time: r.succeededAt === null ? null : isoShanghai(r.succeededAt),
    fail_reason: r.failReason,
    expected_arrival: arrivalText(r),
  };
}

async function guarded(work: () => Promise<RestReply>): Promise<RestReply> {
  try {
    return await work();
  } catch (e) {
    if (isDomainError(e)) {
      // Over-refunds and unpaid orders are the caller's mistake in the request, not a conflict with a resource it holds.
      if (e.code === 'REFUND_EXCEEDS_PAID' || e.code === 'REFUND_REASON_REQUIRED') return fail(400, e.message);
      return fail(statusForDomainCode(e.code), e.message);
    }
    throw e;
  }
}

/** Routes one REST call; null when the path is not one of these routes. */
export async function routeRefunds(app: App, call: RestCall): Promise<RestReply | null> {
  const m = /^\/api\/payment\/refunds(?:\/([^/]+))?$/.exec(call.path);
  if (!m) return null;
  const [, id] = m;
  const actor = { id: null, name: `接口客户端 ${call.clientId}` };

  if (!id && call.method === 'POST')
    return guarded(async () => {
      const p = CreateRefund.safeParse(call.body);
      if (!p.success) return fail(400, describeZodError(p.error));
      const refund = await app.refunds.request(actor, { orderNo: p.data.order_id, amountFen: p.data.refund_amount, reason: p.data.refund_reason, source: 'customer' });
      return ok(201, '退款申请成功', refundView(refund));
    });
  if (!id) return fail(405, '不支持的请求方法');
  if (call.method !== 'GET') return fail(405, '不支持的请求方法');
  const no = refundId.safeParse(id);
  if (!no.success) return fail(400, describeZodError(no.error));
  return guarded(async () => ok(200, '查询成功', refundView((await app.refunds.get(no.data)).refund)));
}
