import { z } from 'zod';
import { INVOICE_KINDS, INVOICE_TITLE_TYPES } from '../core/meal-bills/invoice-request';
import { MAX_ITEMS_PER_BILL, MAX_QUANTITY, MEAL_BILL_STATUSES, MEALS } from '../core/meal-bills/meal-bill';
import { PAYMENT_METHODS } from '../core/orders/order-types';
import { shanghaiDate, shanghaiDayStart } from '../core/time';
import { actorOf, channel } from './channel';
import { billNo, requiredText, text, yuanAmount } from './schemas';

const method = z.enum(PAYMENT_METHODS, '支付方式必须是 微信支付/支付宝/银行卡 之一');
const stayNo = requiredText(32);

/** A calendar date that exists (2026-02-30 does not). */
const serviceDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => shanghaiDate(shanghaiDayStart(d)) === d, '日期不存在');

const item = z.strictObject({
  serviceDate,
  meal: z.enum(MEALS, '餐次必须是 早餐/午餐/晚餐/加餐 之一'),
  description: requiredText(128),
  quantity: z.number().int('数量必须是整数').min(1, '数量至少为 1').max(MAX_QUANTITY, `数量不能超过 ${MAX_QUANTITY}`),
  unitPrice: yuanAmount,
});
const items = z.array(item).min(1, '请至少添加一条消费明细').max(MAX_ITEMS_PER_BILL, `一张账单最多 ${MAX_ITEMS_PER_BILL} 条明细`);
const toItems = (list: z.output<typeof items>) => list.map(({ unitPrice, ...i }) => ({ ...i, unitPriceFen: unitPrice }));

/** 餐费账单 channels (design document 2.2). The prefix is one lower-case word, like every channel's. */
export const mealBillsChannels = {
  'mealbills.create': channel({
    access: 'mealbill:manage',
    input: z.strictObject({ stayNo, roomNo: requiredText(16), payerId: text(64).default(''), guestName: text(64).default(''), items }),
    handler: (ctx, i) => ctx.app.mealBills.create(actorOf(ctx), { ...i, items: toItems(i.items) }),
  }),

  'mealbills.addItems': channel({
    access: 'mealbill:manage',
    input: z.strictObject({ billNo, items, version: z.number().int().min(1).optional() }),
    handler: (ctx, i) => ctx.app.mealBills.addItems(actorOf(ctx), i.billNo, toItems(i.items), i.version),
  }),

  'mealbills.list': channel({
    access: 'mealbill:manage',
    input: z.strictObject({
      stayNo: text(32).optional(),
      roomNo: text(16).optional(),
      billNo: text(32).optional(),
      statuses: z.array(z.enum(MEAL_BILL_STATUSES, '账单状态不正确')).max(MEAL_BILL_STATUSES.length).optional(),
      page: z.number().int().min(1).max(1_000_000).default(1),
      pageSize: z.number().int().min(1).max(200).default(20),
    }),
    handler: (ctx, { page, pageSize, ...f }) =>
      ctx.app.mealBills.list({ ...f, stayNo: f.stayNo || undefined, roomNo: f.roomNo || undefined, billNo: f.billNo || undefined }, page, pageSize),
  }),

  'mealbills.get': channel({
    access: 'mealbill:manage',
    input: z.strictObject({ billNo }),
    handler: (ctx, i) => ctx.app.mealBills.get(i.billNo),
  }),

  'mealbills.cancel': channel({
    access: 'mealbill:manage',
    input: z.strictObject({ billNo, version: z.number().int().min(1).optional() }),
    handler: (ctx, i) => ctx.app.mealBills.cancel(actorOf(ctx), i.billNo, i.version),
  }),

  'mealbills.pay': channel({
    access: 'mealbill:manage',
    input: z.strictObject({ billNo, method }),
    handler: (ctx, i) => ctx.app.mealBillPayments.payOne(actorOf(ctx), i.billNo, i.method),
  }),

  'mealbills.checkout': channel({
    access: 'mealbill:manage',
    input: z.strictObject({ stayNo, method }),
    handler: (ctx, i) => ctx.app.mealBillPayments.checkout(actorOf(ctx), i.stayNo, i.method),
  }),

  'mealbills.requestInvoice': channel({
    access: 'mealbill:manage',
    input: z.strictObject({
      billNo,
      kind: z.enum(INVOICE_KINDS, '发票类型必须是 电子发票 或 纸质发票'),
      titleType: z.enum(INVOICE_TITLE_TYPES, '抬头类型必须是 单位 或 个人'),
      title: requiredText(128),
      taxId: text(20).default(''),
      email: text(128).default(''),
      postalAddress: text(256).default(''),
      recipient: text(64).default(''),
      phone: text(20).default(''),
    }),
    handler: (ctx, { billNo: no, ...i }) => ctx.app.mealBills.requestInvoice(actorOf(ctx), no, i),
  }),

  'mealbills.overdue': channel({
    access: 'mealbill:manage',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.mealBills.overdueMealBills(ctx.app.clock.now()),
  }),
};
