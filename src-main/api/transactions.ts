import { z } from 'zod';
import { PAYMENT_METHODS } from '../core/orders/order-types';
import { TRANSACTION_SORT_FIELDS } from '../core/transactions/transaction';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES } from '../core/transactions/transaction-types';
import { channel } from './channel';
import { instant, pageFields, text, transactionNo } from './schemas';

/** 交易记录 channels (design document 4.2). */
export const transactionsChannels = {
  'transactions.list': channel({
    access: 'transaction:view',
    input: z.strictObject({
      transactionNo: text(32).optional(),
      orderNo: text(32).optional(),
      statuses: z.array(z.enum(TRANSACTION_STATUSES, '交易状态不正确')).max(TRANSACTION_STATUSES.length).optional(),
      types: z.array(z.enum(TRANSACTION_TYPES, '交易类型不正确')).max(TRANSACTION_TYPES.length).optional(),
      methods: z.array(z.enum(PAYMENT_METHODS, '支付方式不正确')).max(PAYMENT_METHODS.length).optional(),
      createdFrom: instant.optional(),
      createdTo: instant.optional(),
      ...pageFields(TRANSACTION_SORT_FIELDS),
    }),
    handler: (ctx, { page, pageSize, sortBy, sortOrder, ...filter }) =>
      ctx.app.transactions.list(
        { ...filter, transactionNo: filter.transactionNo || undefined, orderNo: filter.orderNo || undefined },
        { page, pageSize, sortBy, sortOrder },
      ),
  }),

  'transactions.get': channel({
    access: 'transaction:view',
    input: z.strictObject({ transactionNo }),
    handler: (ctx, i) => ctx.app.transactions.get(i.transactionNo),
  }),

  'transactions.stats': channel({
    access: 'stats:view',
    input: z.strictObject({ from: instant, to: instant }),
    handler: (ctx, i) => ctx.app.transactions.stats(i.from, i.to),
  }),

  /** Daily successful payment amount and count, by Asia/Shanghai business day (支付趋势). */
  'transactions.trend': channel({
    access: 'stats:view',
    input: z.strictObject({ from: instant, to: instant }),
    handler: (ctx, i) => ctx.app.transactions.trend(i.from, i.to),
  }),
};
