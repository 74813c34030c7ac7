import { z } from 'zod';
import { PAYMENT_METHODS } from '../core/orders/order-types';
import { MAX_TIER_HOURS } from '../core/refunds/cancellation-refund';
import { REFUND_STATES } from '../core/refunds/refund-state';
import { actorOf, channel } from './channel';
import { businessNo, instant, orderNo, requiredText, text, yuanAmount } from './schemas';

const refundNo = businessNo('R', '退款单号');
const version = z.number().int().min(1).optional();

/** 退款管理 channels (issue 5, design document 4.4). Approval itself goes through the 审批中心 (approvals.*). */
export const refundsChannels = {
  'refunds.request': channel({
    access: 'refund:request',
    input: z.strictObject({ orderNo, amount: yuanAmount, refundReason: requiredText(256) }),
    handler: (ctx, i) => ctx.app.refunds.request(actorOf(ctx), { orderNo: i.orderNo, amountFen: i.amount, reason: i.refundReason, source: 'staff' }),
  }),

  /** 支付异常 → 退款: money collected that could not be applied goes back through the same approval. */
  'refunds.requestForException': channel({
    access: 'refund:request',
    input: z.strictObject({ exceptionId: z.number().int().min(1), amount: yuanAmount, refundReason: requiredText(256) }),
    handler: (ctx, i) => ctx.app.refunds.requestForException(actorOf(ctx), { exceptionId: i.exceptionId, amountFen: i.amount, reason: i.refundReason }),
  }),

  'refunds.list': channel({
    access: 'refund:view',
    input: z.strictObject({
      refundNo: text(32).optional(),
      orderNo: text(32).optional(),
      states: z.array(z.enum(REFUND_STATES, '退款状态不正确')).max(REFUND_STATES.length).optional(),
      platforms: z.array(z.enum(PAYMENT_METHODS, '支付方式不正确')).max(PAYMENT_METHODS.length).optional(),
      createdFrom: instant.optional(),
      createdTo: instant.optional(),
      page: z.number().int().min(1).max(1_000_000).default(1),
      pageSize: z.number().int().min(1).max(200).default(20),
    }),
    handler: (ctx, { page, pageSize, ...f }) => ctx.app.refunds.list({ ...f, refundNo: f.refundNo || undefined, orderNo: f.orderNo || undefined }, page, pageSize),
  }),

  'refunds.get': channel({
    access: 'refund:view',
    input: z.strictObject({ refundNo }),
    handler: (ctx, i) => ctx.app.refunds.get(i.refundNo),
  }),

  /** The order detail's 退款 card: paid, refunded, in progress, still refundable, and the refunds. */
  'refunds.forOrder': channel({
    access: 'refund:view',
    input: z.strictObject({ orderNo }),
    handler: (ctx, i) => ctx.app.refunds.forOrder(i.orderNo),
  }),

  'refunds.retry': channel({
    access: 'refund:execute',
    input: z.strictObject({ refundNo, version }),
    handler: (ctx, i) => ctx.app.refunds.retry(actorOf(ctx), i.refundNo, i.version),
  }),

  'refunds.close': channel({
    access: 'refund:execute',
    input: z.strictObject({ refundNo, closeReason: requiredText(256), version }),
    handler: (ctx, i) => ctx.app.refunds.close(actorOf(ctx), i.refundNo, i.closeReason, i.version),
  }),

  /** 查询平台结果: asks the platform now about a refund already sent. */
  'refunds.sync': channel({
    access: 'refund:execute',
    input: z.strictObject({ refundNo }),
    handler: (ctx, i) => ctx.app.refunds.sync(i.refundNo),
  }),

  // The tier table is a setting: whoever may read 系统设置 may read it.
  'refunds.tiers': channel({
    access: 'settings:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.refunds.cancellationTiers(),
  }),

  'refunds.updateTiers': channel({
    access: 'settings:manage',
    input: z.strictObject({
      tiers: z
        .array(
          z.strictObject({
            minHoursBefore: z.number().int('提前小时数必须是整数').min(0, '提前小时数不能为负').max(MAX_TIER_HOURS, `提前小时数不能超过 ${MAX_TIER_HOURS}`),
            percent: z.number().int('退款比例必须是整数').min(0, '退款比例不能为负').max(100, '退款比例不能超过 100%'),
          }),
        )
        .min(1, '至少需要一个档位')
        .max(20, '档位不能超过 20 个'),
      version: z.number().int().min(1).nullable(),
    }),
    handler: (ctx, i) => ctx.app.refunds.updateCancellationTiers(actorOf(ctx), i.tiers, i.version),
  }),
};
