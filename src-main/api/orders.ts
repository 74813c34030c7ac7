import { z } from 'zod';
import { ORDER_SORT_FIELDS } from '../core/orders/order';
import { ORDER_STATUSES, ORDER_TYPES, PAYMENT_METHODS } from '../core/orders/order-types';
import { actorOf, channel } from './channel';
import { instant, orderNo, pageFields, text, yuanAmount } from './schemas';

const method = z.enum(PAYMENT_METHODS, '支付方式必须是 微信支付/支付宝/银行卡 之一');
const orderType = z.enum(ORDER_TYPES, '订单类型不正确');
const status = z.enum(ORDER_STATUSES, '订单状态不正确');

/** 支付订单 channels (design document 4.1, 6.1). */
export const ordersChannels = {
  'orders.create': channel({
    access: 'order:create',
    input: z.strictObject({
      amount: yuanAmount,
      method,
      type: orderType,
      relatedId: text(64).default(''),
      description: text(256).default(''),
      payerId: text(64).default(''),
    }),
    handler: (ctx, i) =>
      ctx.app.orders.create(actorOf(ctx), {
        amountFen: i.amount,
        method: i.method,
        type: i.type,
        relatedId: i.relatedId,
        description: i.description,
        payerId: i.payerId,
      }),
  }),

  'orders.list': channel({
    access: 'order:view',
    input: z.strictObject({
      orderNo: text(32).optional(),
      payerId: text(64).optional(),
      relatedId: text(64).optional(),
      statuses: z.array(status).max(ORDER_STATUSES.length).optional(),
      methods: z.array(method).max(PAYMENT_METHODS.length).optional(),
      types: z.array(orderType).max(ORDER_TYPES.length).optional(),
      createdFrom: instant.optional(),
      createdTo: instant.optional(),
      ...pageFields(ORDER_SORT_FIELDS),
    }),
    handler: (ctx, { page, pageSize, sortBy, sortOrder, ...filter }) =>
      ctx.app.orders.list(
        { ...filter, orderNo: filter.orderNo || undefined, payerId: filter.payerId || undefined, relatedId: filter.relatedId || undefined },
        { page, pageSize, sortBy, sortOrder },
      ),
  }),

  'orders.get': channel({
    access: 'order:view',
    input: z.strictObject({ orderNo }),
    handler: (ctx, i) => ctx.app.orders.get(i.orderNo),
  }),

  'orders.cancel': channel({
    access: 'order:cancel',
    input: z.strictObject({
      orderNo,
      reason: z.enum(['user', 'admin'], '取消原因必须是 用户取消 或 管理员取消'),
      version: z.number().int().min(1).optional(),
    }),
    handler: (ctx, i) => ctx.app.payments.cancel(actorOf(ctx), i.orderNo, i.reason, i.version),
  }),
};
