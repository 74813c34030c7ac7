import { z } from 'zod';
import { ConcurrentUpdateError } from '../db/repositories/concurrency';
import { assertBookingTransition, BOOKING_STATUSES } from '../core/bookings/booking';
import { BASIS_POINTS, SERVICE_TYPES } from '../core/bookings/deposit';
import { PAYMENT_METHODS } from '../core/orders/order-types';
import { actorOf, channel } from './channel';
import { bookingNo, instant, requiredText, text, yuanAmount } from './schemas';

const serviceType = z.enum(SERVICE_TYPES, '服务类型必须是 客房/包间餐饮/会议室 之一');
const method = z.enum(PAYMENT_METHODS, '支付方式必须是 微信支付/支付宝/银行卡 之一');
const ratio = z.number().int('定金比例最多两位小数').min(1, '定金比例至少 0.01%').max(BASIS_POINTS, '定金比例不能超过 100%');

/** 客户预定定金 channels (design document 2.1). */
export const bookingsChannels = {
  // The ratios are settings: whoever may read 系统设置 may read them (the auditor included).
  'bookings.depositRules': channel({
    access: 'settings:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.bookings.depositRules(),
  }),

  'bookings.updateDepositRules': channel({
    access: 'settings:manage',
    input: z.strictObject({
      ratios: z.strictObject(Object.fromEntries(SERVICE_TYPES.map((t) => [t, ratio])) as Record<(typeof SERVICE_TYPES)[number], typeof ratio>),
      version: z.number().int().min(1).nullable(),
    }),
    handler: (ctx, i) => ctx.app.bookings.updateDepositRules(actorOf(ctx), i.ratios, i.version),
  }),

  /** The deposit the create form shows while the total is typed: the same rule the booking will use. */
  'bookings.quoteDeposit': channel({
    access: 'booking:manage',
    input: z.strictObject({ serviceType, total: yuanAmount }),
    handler: (ctx, i) => ctx.app.bookings.quoteDeposit(i.serviceType, i.total),
  }),

  'bookings.create': channel({
    access: 'booking:manage',
    input: z.strictObject({
      payerId: requiredText(64),
      guestName: requiredText(64),
      serviceType,
      appointmentAt: instant,
      total: yuanAmount,
      method,
      note: text(256).default(''),
    }),
    handler: (ctx, i) =>
      ctx.app.bookings.create(actorOf(ctx), {
        payerId: i.payerId,
        guestName: i.guestName,
        serviceType: i.serviceType,
        appointmentAt: i.appointmentAt,
        totalFen: i.total,
        method: i.method,
        note: i.note,
      }),
  }),

  'bookings.list': channel({
    access: 'booking:manage',
    input: z.strictObject({
      bookingNo: text(32).optional(),
      payerId: text(64).optional(),
      statuses: z.array(z.enum(BOOKING_STATUSES, '预定状态不正确')).max(BOOKING_STATUSES.length).optional(),
      serviceTypes: z.array(serviceType).max(SERVICE_TYPES.length).optional(),
      page: z.number().int().min(1).max(1_000_000).default(1),
      pageSize: z.number().int().min(1).max(200).default(20),
    }),
    handler: (ctx, { page, pageSize, ...f }) =>
      ctx.app.bookings.list({ ...f, bookingNo: f.bookingNo || undefined, payerId: f.payerId || undefined }, page, pageSize),
  }),

  'bookings.get': channel({
    access: 'booking:manage',
    input: z.strictObject({ bookingNo }),
    handler: (ctx, i) => ctx.app.bookings.get(i.bookingNo),
  }),

  /** 取消预定 preview: the tier for the time left, its percent and the refund it grants (what the cancellation will request). */
  'bookings.cancellationQuote': channel({
    access: 'booking:manage',
    input: z.strictObject({ bookingNo }),
    handler: (ctx, i) => ctx.app.bookings.cancellationQuote(i.bookingNo),
  }),

  'bookings.cancel': channel({
    access: 'booking:manage',
    input: z.strictObject({ bookingNo, version: z.number().int().min(1).optional() }),
    handler: async (ctx, i) => {
      // The deposit's platform trade is closed first, so the guest can no longer pay a cancelled booking —
      // but only once the request is known to be acceptable: a stale screen or a booking that can no
      // longer be cancelled must not leave behind a trade nobody can pay.
      const { booking } = await ctx.app.bookings.get(i.bookingNo);
      if (i.version !== undefined && i.version !== booking.version) throw new ConcurrentUpdateError();
      assertBookingTransition(booking.status, 'cancelled');
      await ctx.app.payments.closeBeforeCancel(booking.depositOrderNo);
      return ctx.app.bookings.cancel(actorOf(ctx), i.bookingNo, i.version);
    },
  }),
};
