import { z } from 'zod';
import { ORDER_TYPES } from '../core/orders/order-types';
import { actorOf, channel } from './channel';
import { yuanAmount } from './schemas';

const minutes = z.number().int().min(1, '支付时限至少 1 分钟').max(30 * 24 * 60, '支付时限最长 30 天');

/** 系统设置: order time limits and the single-order limit (design document 2.1.3, 2.2.3). */
export const settingsChannels = {
  'settings.getOrderRules': channel({
    access: 'settings:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.settings.orderSettings(),
  }),

  'settings.updateOrderRules': channel({
    access: 'settings:manage',
    input: z.strictObject({
      expiryMinutes: z.strictObject(Object.fromEntries(ORDER_TYPES.map((t) => [t, minutes])) as Record<(typeof ORDER_TYPES)[number], typeof minutes>),
      maxOrderAmount: yuanAmount,
      version: z.number().int().min(1).nullable(),
    }),
    handler: (ctx, i) => ctx.app.settings.updateOrderSettings(actorOf(ctx), { expiryMinutes: i.expiryMinutes, maxOrderAmountFen: i.maxOrderAmount }, i.version),
  }),
};
