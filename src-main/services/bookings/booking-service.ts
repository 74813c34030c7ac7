import { snapshot } from '../../core/audit/audit-record';
import { assertBookingTransition, type Booking, type BookingStatus } from '../../core/bookings/booking';
import { checkRatio, DEFAULT_DEPOSIT_RATIOS, depositFen, formatRatio, SERVICE_TYPE_LABELS, SERVICE_TYPES, type DepositRatios, type ServiceType } from '../../core/bookings/deposit';
import { DomainError } from '../../core/errors';
import { checkFen, type Fen } from '../../core/money';
import type { Order, Page } from '../../core/orders/order';
import type { PaymentMethod } from '../../core/orders/order-types';
import { formatShanghai, type Clock } from '../../core/time';
import type { Refund } from '../../core/refunds/refund';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import type { BookingFilter } from '../../db/repositories/booking-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { NumberAllocator } from '../number-allocator';
import type { OrderEvents, OrderService } from '../orders/order-service';

export interface CreateBookingInput {
  payerId: string;
  guestName: string;
  serviceType: ServiceType;
  appointmentAt: number;
  totalFen: Fen;
  method: PaymentMethod;
  note: string;
}

export interface BookingDetail {
  booking: Booking;
  depositOrder: Order | null;
  history: AuditEntry[];
  /** Refunds asked for by this booking's cancellation (退款 of the deposit order naming the booking). */
  refunds: Refund[];
}

/** 取消预定 preview: what cancelling now would refund by the tier table (computed by the server). */
export interface BookingCancellationQuote {
  bookingNo: string;
  /** When the quote was computed (the tier depends on the time left). */
  at: number;
  appointmentAt: number;
  paidFen: Fen;
  msBefore: number;
  percent: number;
  tierText: string;
  refundFen: Fen;
}

/** The refund a cancelled booking's paid deposit gets (RefundService, by the cancellation tiers). */
export interface BookingRefunds {
  cancellationQuote(tx: Tx, booking: Booking, at: number): Promise<{ paidFen: Fen; msBefore: number; percent: number; tierText: string; refundFen: Fen }>;
  refundForCancelledBooking(tx: Tx, actor: Actor, booking: Booking, at: number): Promise<{ refund: { refundNo: string; amountFen: Fen } | null; percent: number; tierText: string; refundFen: Fen }>;
}

const SETTINGS_KEY = 'deposit';
const auditBooking = (b: Booking) => snapshot({ ...b, version: undefined });

/**
 * 客户预定定金 (design document 2.1): a booking and its deposit payment order are created in one
 * transaction; afterwards the booking follows its deposit order (paid → confirmed, cancelled or
 * expired → cancelled) through the OrderEvents it receives inside the order's own transaction.
 */
export class BookingService implements OrderEvents {
  private refunds: BookingRefunds | null = null;

  constructor(
    private readonly store: Store,
    private readonly orders: OrderService,
    private readonly numbers: NumberAllocator,
    private readonly clock: Clock,
  ) {}

  /** Set at start-up (app.ts): without it a booking whose deposit was paid cannot be cancelled. */
  useRefunds(refunds: BookingRefunds): void {
    this.refunds = refunds;
  }

  async depositRules(tx?: Tx): Promise<{ ratios: DepositRatios; version: number | null }> {
    const stored = tx ? await tx.settings.get(SETTINGS_KEY) : await this.store.read((r) => r.settings.get(SETTINGS_KEY));
    const value = (stored?.value ?? {}) as { ratios?: Partial<DepositRatios> };
    return { ratios: { ...DEFAULT_DEPOSIT_RATIOS, ...value.ratios }, version: stored?.version ?? null };
  }

  async updateDepositRules(actor: Actor, ratios: DepositRatios, expectedVersion: number | null): Promise<DepositRatios> {
    for (const t of SERVICE_TYPES) checkRatio(ratios[t]);
    return this.store.transaction(async (tx) => {
      const before = await this.depositRules(tx);
      const now = this.clock.now();
      const value = { ratios: Object.fromEntries(SERVICE_TYPES.map((t) => [t, ratios[t]])) as DepositRatios };
      await tx.settings.put(SETTINGS_KEY, value, expectedVersion, now);
      await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'settings.update', entityType: 'settings', entityId: SETTINGS_KEY, before: snapshot({ ratios: before.ratios }), after: snapshot(value) }, now);
      return value.ratios;
    });
  }

  async quoteDeposit(serviceType: ServiceType, totalFen: Fen): Promise<{ depositFen: Fen; ratioBp: number }> {
    const ratioBp = (await this.depositRules()).ratios[serviceType];
    return { depositFen: depositFen(totalFen, ratioBp), ratioBp };
  }

  async create(actor: Actor, input: CreateBookingInput): Promise<{ booking: Booking; depositOrder: Order }> {
    checkFen(input.totalFen);
    const now = this.clock.now();
    if (input.appointmentAt <= now) throw new DomainError('APPOINTMENT_PAST', '预约时间必须晚于当前时间');
    return this.store.transaction(async (tx) => {
      const { ratios } = await this.depositRules(tx);
      const ratio = ratios[input.serviceType];
      const deposit = depositFen(input.totalFen, ratio);
      const draft = await this.numbers.insertWithFreshNumber('K', now, async (bookingNo) => {
        const b: Booking = {
          bookingNo, payerId: input.payerId, guestName: input.guestName, serviceType: input.serviceType, appointmentAt: input.appointmentAt,
          totalFen: input.totalFen, depositFen: deposit, depositRatioBp: ratio, status: 'awaiting_deposit', depositOrderNo: '', note: input.note,
          createdBy: actor.id, createdAt: now, confirmedAt: null, cancelledAt: null, version: 1,
        };
        await tx.bookings.insert(b);
        return b;
      });
      const depositOrder = await this.orders.createIn(tx, actor, {
        amountFen: deposit,
        method: input.method,
        type: 'customer_order',
        relatedId: draft.bookingNo,
        description: `${SERVICE_TYPE_LABELS[input.serviceType]}预定定金（${formatRatio(ratio)}）预约 ${formatShanghai(input.appointmentAt).slice(0, 16)}`,
        payerId: input.payerId,
      });
      await tx.bookings.attachDepositOrder(draft.bookingNo, depositOrder.orderNo);
      const booking: Booking = { ...draft, depositOrderNo: depositOrder.orderNo };
      await this.audit(tx, actor, 'booking.create', booking.bookingNo, null, auditBooking(booking), now);
      return { booking, depositOrder };
    });
  }

  /** The guest or the front desk cancels before the deposit is paid: the deposit order is cancelled, and with it the booking. */
  async cancel(actor: Actor, bookingNo: string, expectedVersion?: number): Promise<Booking> {
    return this.store.transaction(async (tx) => {
      const booking = await tx.bookings.findByNo(bookingNo, { forUpdate: true });
      if (!booking) throw new DomainError('BOOKING_NOT_FOUND', `预定 ${bookingNo} 不存在`);
      if (expectedVersion !== undefined && expectedVersion !== booking.version) throw new ConcurrentUpdateError();
      assertBookingTransition(booking.status, 'cancelled');
      if (booking.status === 'confirmed') return this.cancelConfirmed(tx, actor, booking);
      await this.orders.cancelInTx(tx, actor, booking.depositOrderNo, 'user');
      const after = await tx.bookings.findByNo(bookingNo);
      if (after?.status !== 'cancelled') throw new Error(`booking ${bookingNo} did not follow its deposit order`);
      return after;
    });
  }

  /**
   * The deposit was paid: the order stays paid, the booking is cancelled, and the refund the tier
   * table grants for the time left before the appointment is requested in the same transaction.
   */
  private async cancelConfirmed(tx: Tx, actor: Actor, booking: Booking): Promise<Booking> {
    if (!this.refunds) throw new DomainError('REFUNDS_UNAVAILABLE', '退款功能不可用，不能取消已付定金的预定');
    const now = this.clock.now();
    const refund = await this.refunds.refundForCancelledBooking(tx, actor, booking, now);
    await tx.bookings.update(booking.bookingNo, booking.version, { status: 'cancelled', cancelledAt: now });
    const after: Booking = { ...booking, status: 'cancelled', cancelledAt: now, version: booking.version + 1 };
    await tx.audit.append(
      {
        actorId: actor.id,
        actorName: actor.name,
        action: 'booking.cancel',
        entityType: 'booking',
        entityId: booking.bookingNo,
        before: auditBooking(booking),
        after: snapshot({ ...after, version: undefined, refundNo: refund.refund?.refundNo ?? null, refundFen: refund.refundFen, refundRule: refund.tierText }),
      },
      now,
    );
    return after;
  }

  /**
   * What 取消预定 would do now: for a booking whose deposit was paid, the tier for the time left and
   * the refund it grants (the same computation the cancellation uses); for one still awaiting its
   * deposit, nothing to refund.
   */
  async cancellationQuote(bookingNo: string): Promise<BookingCancellationQuote> {
    return this.store.read(async (r) => {
      const booking = await r.bookings.findByNo(bookingNo);
      if (!booking) throw new DomainError('BOOKING_NOT_FOUND', `预定 ${bookingNo} 不存在`);
      assertBookingTransition(booking.status, 'cancelled');
      const at = this.clock.now();
      const base = { bookingNo, at, appointmentAt: booking.appointmentAt };
      if (booking.status !== 'confirmed') return { ...base, paidFen: 0, msBefore: booking.appointmentAt - at, percent: 0, tierText: '定金未支付，无需退款', refundFen: 0 };
      if (!this.refunds) throw new DomainError('REFUNDS_UNAVAILABLE', '退款功能不可用，不能取消已付定金的预定');
      const q = await this.refunds.cancellationQuote(r, booking, at);
      return { ...base, paidFen: q.paidFen, msBefore: q.msBefore, percent: q.percent, tierText: q.tierText, refundFen: q.refundFen };
    });
  }

  async get(bookingNo: string): Promise<BookingDetail> {
    return this.store.read(async (r) => {
      const booking = await r.bookings.findByNo(bookingNo);
      if (!booking) throw new DomainError('BOOKING_NOT_FOUND', `预定 ${bookingNo} 不存在`);
      const [depositOrder, history, orderRefunds] = await Promise.all([r.orders.findByNo(booking.depositOrderNo), r.audit.forEntity('booking', bookingNo), r.refunds.forOrder(booking.depositOrderNo)]);
      const refunds = orderRefunds.filter((x) => x.relatedRef === bookingNo && x.exceptionId === null);
      return { booking, depositOrder, history, refunds };
    });
  }

  list(filter: BookingFilter, page: number, pageSize: number): Promise<Page<Booking>> {
    return this.store.read((r) => r.bookings.list(filter, page, pageSize));
  }

  async orderPaid(tx: Tx, order: Order, actor: Actor, at: number): Promise<void> {
    await this.follow(tx, order, 'confirmed', actor, at);
  }

  /** A batch of paid orders (payment notifications applied together): their bookings read in one go. */
  async ordersPaid(tx: Tx, orders: Order[], actor: Actor, at: number): Promise<void> {
    const bookings = await tx.bookings.findByDepositOrders(orders.map((o) => o.orderNo), { forUpdate: true });
    for (const o of orders) await this.follow(tx, o, 'confirmed', actor, at, bookings.get(o.orderNo) ?? null);
  }

  async orderCancelled(tx: Tx, order: Order, actor: Actor, at: number): Promise<void> {
    await this.follow(tx, order, 'cancelled', actor, at);
  }

  private async follow(tx: Tx, order: Order, to: BookingStatus, actor: Actor, at: number, locked?: Booking | null): Promise<void> {
    const booking = locked !== undefined ? locked : await tx.bookings.findByDepositOrder(order.orderNo, { forUpdate: true });
    // A customer_order typed in by hand on the orders page has no booking behind it.
    if (!booking || booking.status === to) return;
    assertBookingTransition(booking.status, to);
    const patch = to === 'confirmed' ? { status: to, confirmedAt: at } : { status: to, cancelledAt: at };
    await tx.bookings.update(booking.bookingNo, booking.version, patch);
    const after: Booking = { ...booking, ...patch, version: booking.version + 1 };
    const action = to === 'confirmed' ? 'booking.confirm' : order.cancelReason === 'expired' ? 'booking.expire' : 'booking.cancel';
    await this.audit(tx, actor, action, booking.bookingNo, auditBooking(booking), auditBooking(after), at);
  }

  private audit(tx: Tx, actor: Actor, action: string, bookingNo: string, before: string | null, after: string | null, at: number) {
    return tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'booking', entityId: bookingNo, before, after }, at);
  }
}
