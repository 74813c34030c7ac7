import { z } from 'zod';
import { actorOf, channel } from './channel';
import { orderNo, text } from './schemas';

const SCENES = ['wechat_jsapi', 'wechat_native', 'alipay_page', 'alipay_wap', 'alipay_precreate', 'bank_quick', 'bank_online'] as const;

/** 收款台 and 支付异常 channels (design document 2.1, 2.2, 5.2). */
export const paymentsChannels = {
  'payments.start': channel({
    access: 'payment:collect',
    input: z.strictObject({
      orderNo,
      scene: z.enum(SCENES, '支付场景不正确'),
      payerOpenId: text(128).optional(),
      bankCardToken: text(128).optional(),
    }),
    handler: (ctx, i) => ctx.app.payments.start(actorOf(ctx), { orderNo: i.orderNo, scene: i.scene, payerOpenId: i.payerOpenId || undefined, bankCardToken: i.bankCardToken || undefined }),
  }),

  /** Asks the platform now (the 收款台 polls this while the payer pays). */
  'payments.sync': channel({
    access: 'payment:collect',
    input: z.strictObject({ orderNo }),
    handler: async (ctx, i) => {
      const status = await ctx.app.payments.sync(i.orderNo);
      const { order } = await ctx.app.orders.get(i.orderNo);
      return { order, platformState: status?.state ?? null };
    },
  }),

  'payments.exceptions': channel({
    access: 'payment:exceptions',
    input: z.strictObject({
      status: z.enum(['open', 'resolved']).optional(),
      page: z.number().int().min(1).max(100_000).default(1),
      pageSize: z.number().int().min(1).max(200).default(20),
    }),
    handler: (ctx, i) => ctx.app.payments.exceptions(i.status, i.page, i.pageSize),
  }),
};
