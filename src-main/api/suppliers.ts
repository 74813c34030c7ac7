import { z } from 'zod';
import { MAX_PAYMENT_TERM_DAYS, PAYABLE_STATUSES, PAYEE_CHANNELS, SUPPLIER_PAYMENT_STATUSES } from '../core/suppliers/supplier-payment';
import { shanghaiDate, shanghaiDayStart } from '../core/time';
import { actorOf, channel } from './channel';
import { requiredText, text, yuanAmount } from './schemas';

const id = z.number('编号必须是数字').int().min(1, '编号不正确');
const version = z.number().int().min(1);
const page = {
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
};
// The full account or phone of a supplier is read through the generic `sensitive.reveal` (entityType 'supplier').

/** A calendar date that exists (2026-02-30 does not). */
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => shanghaiDate(shanghaiDayStart(d)) === d, '日期不存在');
export const paymentNo = z
  .string()
  .trim()
  .regex(/^S\d{20}$/, '付款单号格式不正确（应为 S 加 20 位数字）');

const supplierFields = {
  name: requiredText(128),
  payeeChannel: z.enum(PAYEE_CHANNELS, '收款方式必须是 银行转账/微信转账/支付宝转账 之一'),
  bankName: text(64).default(''),
  bankBranch: text(128).default(''),
  accountName: requiredText(128),
  paymentTermDays: z.number('付款周期必须是数字').int('付款周期必须是整数天').min(0, '付款周期不能为负').max(MAX_PAYMENT_TERM_DAYS, `付款周期不能超过 ${MAX_PAYMENT_TERM_DAYS} 天`),
  active: z.boolean().default(true),
};
const accountFields = {
  accountNo: text(40),
  wechatOpenId: text(64),
  alipayLogin: text(128),
  contactPhone: text(20),
};

const allocations = z
  .array(z.strictObject({ payableId: id, amount: yuanAmount }))
  .min(1, '请至少选择一笔应付款')
  .max(100, '一张付款单最多 100 笔应付款')
  .transform((list) => list.map((a) => ({ payableId: a.payableId, amountFen: a.amount })));

const payableFields = {
  referenceNo: requiredText(64),
  description: text(256).default(''),
  amount: yuanAmount,
  invoiceDate: date,
  dueDate: date.optional(),
};

/** 供应商, 应付款, 付款单 (design document 2.4). */
export const suppliersChannels = {
  'suppliers.list': channel({
    access: 'supplier:view',
    input: z.strictObject({ name: text(64).optional(), activeOnly: z.boolean().optional(), ...page }),
    handler: (ctx, { page: p, pageSize, ...f }) => ctx.app.suppliers.list({ name: f.name || undefined, activeOnly: f.activeOnly }, p, pageSize),
  }),

  'suppliers.get': channel({
    access: 'supplier:view',
    input: z.strictObject({ id }),
    handler: (ctx, i) => ctx.app.suppliers.get(i.id),
  }),

  'suppliers.create': channel({
    access: 'supplier:manage',
    input: z.strictObject({
      ...supplierFields,
      accountNo: accountFields.accountNo.default(''),
      wechatOpenId: accountFields.wechatOpenId.default(''),
      alipayLogin: accountFields.alipayLogin.default(''),
      contactPhone: accountFields.contactPhone.default(''),
    }),
    handler: (ctx, i) => ctx.app.suppliers.create(actorOf(ctx), i),
  }),

  /** Account fields left out keep their stored values (the form only ever shows them masked). */
  'suppliers.update': channel({
    access: 'supplier:manage',
    input: z.strictObject({
      id,
      version,
      ...supplierFields,
      accountNo: accountFields.accountNo.optional(),
      wechatOpenId: accountFields.wechatOpenId.optional(),
      alipayLogin: accountFields.alipayLogin.optional(),
      contactPhone: accountFields.contactPhone.optional(),
    }),
    handler: (ctx, { id: sid, version: v, ...i }) => ctx.app.suppliers.update(actorOf(ctx), sid, v, i),
  }),

  'payables.list': channel({
    access: 'supplier:view',
    input: z.strictObject({
      supplierId: id.optional(),
      statuses: z.array(z.enum(PAYABLE_STATUSES, '应付款状态不正确')).max(PAYABLE_STATUSES.length).optional(),
      overdueOnly: z.boolean().optional(),
      referenceNo: text(64).optional(),
      ...page,
    }),
    handler: (ctx, { page: p, pageSize, ...f }) => ctx.app.suppliers.listPayables({ ...f, referenceNo: f.referenceNo || undefined }, p, pageSize),
  }),

  /** 到期应付: what falls due within the next days (by the contracts' payment terms), overdue included. */
  'payables.due': channel({
    access: 'supplier:view',
    input: z.strictObject({ withinDays: z.number().int().min(0).max(366).default(7) }),
    handler: (ctx, i) => ctx.app.suppliers.dueList(i.withinDays),
  }),

  'payables.get': channel({
    access: 'supplier:view',
    input: z.strictObject({ id }),
    handler: (ctx, i) => ctx.app.suppliers.getPayable(i.id),
  }),

  'payables.create': channel({
    access: 'supplier:manage',
    input: z.strictObject({ supplierId: id, ...payableFields }),
    handler: (ctx, { amount, ...i }) => ctx.app.suppliers.createPayable(actorOf(ctx), { ...i, amountFen: amount }),
  }),

  'payables.update': channel({
    access: 'supplier:manage',
    input: z.strictObject({ id, version, ...payableFields }),
    handler: (ctx, { id: pid, version: v, amount, ...i }) => ctx.app.suppliers.updatePayable(actorOf(ctx), pid, v, { ...i, amountFen: amount }),
  }),

  'supplierpayments.create': channel({
    access: 'supplier_payment:create',
    input: z.strictObject({ supplierId: id, allocations, purpose: requiredText(128) }),
    handler: (ctx, i) => ctx.app.supplierPayments.create(actorOf(ctx), i),
  }),

  'supplierpayments.update': channel({
    access: 'supplier_payment:create',
    input: z.strictObject({ paymentNo, version, allocations, purpose: requiredText(128) }),
    handler: (ctx, i) => ctx.app.supplierPayments.update(actorOf(ctx), i.paymentNo, i.version, i),
  }),

  'supplierpayments.submit': channel({
    access: 'supplier_payment:create',
    input: z.strictObject({ paymentNo, version: version.optional() }),
    handler: (ctx, i) => ctx.app.supplierPayments.submit(actorOf(ctx), i.paymentNo, i.version),
  }),

  'supplierpayments.withdraw': channel({
    access: 'supplier_payment:create',
    input: z.strictObject({ paymentNo, reason: text(256).optional() }),
    handler: (ctx, i) => ctx.app.supplierPayments.withdraw(actorOf(ctx), i.paymentNo, i.reason),
  }),

  'supplierpayments.cancel': channel({
    access: 'supplier_payment:create',
    input: z.strictObject({ paymentNo, version: version.optional() }),
    handler: (ctx, i) => ctx.app.supplierPayments.cancel(actorOf(ctx), i.paymentNo, i.version),
  }),

  'supplierpayments.list': channel({
    access: 'supplier:view',
    input: z.strictObject({
      supplierId: id.optional(),
      statuses: z.array(z.enum(SUPPLIER_PAYMENT_STATUSES, '付款单状态不正确')).max(SUPPLIER_PAYMENT_STATUSES.length).optional(),
      paymentNo: text(32).optional(),
      ...page,
    }),
    handler: (ctx, { page: p, pageSize, ...f }) => ctx.app.supplierPayments.list({ ...f, paymentNo: f.paymentNo || undefined }, p, pageSize),
  }),

  'supplierpayments.get': channel({
    access: 'supplier:view',
    input: z.strictObject({ paymentNo }),
    handler: (ctx, i) => ctx.app.supplierPayments.get(i.paymentNo),
  }),

  /** 立即付款: sends an approved 付款单 now (the executor job would within its interval). */
  'supplierpayments.execute': channel({
    access: 'supplier_payment:execute',
    input: z.strictObject({ paymentNo }),
    handler: (ctx, i) => ctx.app.supplierPayments.execute(actorOf(ctx), i.paymentNo),
  }),

  /** 重新付款 after a retryable failure (a new transfer number; the old attempt definitely failed). */
  'supplierpayments.retry': channel({
    access: 'supplier_payment:execute',
    input: z.strictObject({ paymentNo }),
    handler: (ctx, i) => ctx.app.supplierPayments.retry(actorOf(ctx), i.paymentNo),
  }),

  /** 查询结果: asks the platform about a transfer in progress (or of unknown outcome) now. */
  'supplierpayments.sync': channel({
    access: 'supplier_payment:execute',
    input: z.strictObject({ paymentNo }),
    handler: (ctx, i) => ctx.app.supplierPayments.execute(actorOf(ctx), i.paymentNo),
  }),
};
