import { z } from 'zod';
import type { App } from '../../app';
import { describeIssues } from '../../core/batches/batch-lines';
import { arrivalRuleOf } from '../../core/batches/batch-policy';
import { BATCH_TYPE_LABELS, BATCH_TYPES, MAX_BATCH_ITEMS, type BatchStatus, type ItemStatus } from '../../core/batches/batch-state';
import { isDomainError } from '../../core/errors';
import { maskPayee, PAYEE_CHANNELS } from '../../core/suppliers/supplier-payment';
import { isoShanghai } from '../../core/time';
import { businessNo, describeZodError, text } from '../schemas';
import type { RestCall } from './orders-rest';
import { fail, ok, statusForDomainCode, yuanNumber, type RestReply } from './rest-envelope';

/**
 * The batch payout routes of design document 6.3, for back-office systems that hand us a payroll
 * or a supplier run: `POST /api/payment/batch` creates the batch and submits it for approval
 * (status `pending` until approved; nothing is paid before), `GET /api/payment/batch/<batch_id>`
 * answers its counts, amounts and item statuses. A client sees only the batches it created.
 *
 * Item fields: recipient (收款人姓名), payment_method (bank | wechat | alipay), account (bank
 * account, WeChat openid, Alipay login), bank_name (bank transfers), amount (yuan), remark, phone.
 * Every item is checked; any invalid item refuses the whole request (400, problems listed by item
 * position); payees appearing twice need `allow_duplicates: true` (409 otherwise).
 */
const Item = z.strictObject({
  recipient: z.string().max(256),
  payment_method: z.enum(PAYEE_CHANNELS, '支付方式必须是 wechat/alipay/bank 之一'),
  account: z.string().max(256),
  bank_name: z.string().max(256).optional(),
  amount: z.union([z.number(), z.string().max(32)]),
  remark: z.string().max(256).optional(),
  phone: z.string().max(32).optional(),
});

const CreateBatch = z.strictObject({
  batch_type: z.enum(BATCH_TYPES, '批量类型必须是 salary 或 supplier'),
  items: z.array(Item).min(1, '批量支付项不能为空').max(MAX_BATCH_ITEMS, `批量支付项最多 ${MAX_BATCH_ITEMS} 笔`),
  description: text(512).optional(),
  allow_duplicates: z.boolean().default(false),
});

const batchId = businessNo('B', '批量任务号');

/** The document's status words: pending (awaiting approval or start), processing, paused, completed (with fail_count), failed, rejected, cancelled. */
const BATCH_STATUS: Record<BatchStatus, string> = {
  draft: 'draft', pending_approval: 'pending', approved: 'pending', rejected: 'rejected', running: 'processing', paused: 'paused',
  completed: 'completed', partial_failed: 'completed', failed: 'failed', cancelled: 'cancelled',
};
const ITEM_STATUS: Record<ItemStatus, string> = {
  pending: 'pending', resend_approval: 'pending', sending: 'processing', processing: 'processing', wait_confirm: 'processing',
  success: 'success', failed: 'failed', cancelled: 'cancelled',
};

async function guarded(work: () => Promise<RestReply>): Promise<RestReply> {
  try {
    return await work();
  } catch (e) {
    if (isDomainError(e)) return fail(e.code.startsWith('BATCH_') && !e.code.endsWith('_NOT_FOUND') && e.code !== 'BATCH_STATE' ? 400 : statusForDomainCode(e.code), e.message);
    throw e;
  }
}

/** Routes one REST call; null when the path is not one of these routes. */
export async function routeBatches(app: App, call: RestCall): Promise<RestReply | null> {
  const m = /^\/api\/payment\/batch(?:\/([^/]+))?$/.exec(call.path);
  if (!m) return null;
  const [, id] = m;
  const actor = { id: null, name: `接口客户端 ${call.clientId}` };

  if (!id && call.method === 'POST')
    return guarded(async () => {
      const p = CreateBatch.safeParse(call.body);
      if (!p.success) return fail(400, describeZodError(p.error));
      const d = p.data;
      const title = (d.description || `${BATCH_TYPE_LABELS[d.batch_type]}批量付款`).slice(0, 128);
      const r = await app.batches.create(
        actor,
        {
          type: d.batch_type, title, description: d.description, sourceRef: call.clientId, confirmDuplicates: d.allow_duplicates,
          lines: d.items.map((i) => ({ payeeName: i.recipient, channel: i.payment_method, account: i.account, bankName: i.bank_name, amount: i.amount, remark: i.remark, contactPhone: i.phone })),
        },
        'api',
        true,
      );
      if (r.blockedBy === 'errors') return fail(400, `批量支付项有误：${describeIssues(r.errors, 5, '笔')}`);
      if (r.blockedBy === 'duplicates') return fail(409, `收款账号重复：${describeIssues(r.warnings, 3, '笔')}。如确认无误，请传 allow_duplicates: true`);
      const b = r.created!;
      return ok(201, '批量任务创建成功', {
        batch_id: b.batchNo, batch_type: b.type, description: b.description, total_amount: yuanNumber(b.totalFen), total_count: b.totalCount,
        status: BATCH_STATUS[b.status], create_time: isoShanghai(b.createdAt),
      });
    });
  if (!id) return fail(405, '不支持的请求方法');
  if (call.method !== 'GET') return fail(405, '不支持的请求方法');
  const no = batchId.safeParse(id);
  if (!no.success) return fail(400, describeZodError(no.error));
  return guarded(async () => {
    const { batch, items, progress } = await app.batches.allItems(no.data);
    // Another client's batch, or one made in the app (salaries): as if it did not exist.
    if (batch.sourceKind !== 'api' || batch.sourceRef !== call.clientId) return fail(404, `批量任务 ${no.data} 不存在`);
    return ok(200, '查询成功', {
      batch_id: batch.batchNo,
      batch_type: batch.type,
      description: batch.description,
      total_amount: yuanNumber(batch.totalFen),
      total_count: batch.totalCount,
      success_count: progress.successCount,
      fail_count: progress.failedCount,
      processing_count: progress.inFlightCount + progress.pendingCount,
      cancelled_count: progress.cancelledCount,
      success_amount: yuanNumber(progress.successFen),
      fail_amount: yuanNumber(progress.failedFen),
      status: BATCH_STATUS[batch.status],
      create_time: isoShanghai(batch.createdAt),
      finish_time: batch.finishedAt === null ? null : isoShanghai(batch.finishedAt),
      items: items.map((i) => ({
        id: i.seq,
        recipient: i.payeeName,
        amount: yuanNumber(i.amountFen),
        status: ITEM_STATUS[i.status],
        payment_method: i.channel,
        account: maskPayee(i.channel, i.account),
        fail_reason: i.status === 'failed' || i.status === 'cancelled' ? i.failReason : null,
        finish_time: i.finishedAt === null ? null : isoShanghai(i.finishedAt),
        expected_arrival: i.arrivalDate ?? arrivalRuleOf(i.channel),
      })),
    });
  });
}
