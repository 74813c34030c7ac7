import { snapshot } from '../../core/audit/audit-record';
import type { Booking } from '../../core/bookings/booking';
import type { Fen } from '../../core/money';
import {
  assertValidCancellationTiers,
  DEFAULT_CANCELLATION_TIERS,
  describeCancellationTier,
  refundForCancellation,
  type CancellationTier,
} from '../../core/refunds/cancellation-refund';
import type { Refund } from '../../core/refunds/refund';
import { refundableRemainingFen } from '../../core/refunds/refund-state';
import type { Clock } from '../../core/time';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import { orderRefunds } from './refund-shared';
import type { RequestRefundInput } from './refund-service';

/** What cancelling a booking now would refund (the same rule `refundForCancelledBooking` applies). */
export interface CancellationQuote {
  /** The deposit paid (0 when the deposit order is not paid). */
  paidFen: Fen;
  /** Milliseconds between now and the appointment; negative once it started. */
  msBefore: number;
  percent: number;
  /** 「提前 24–48 小时取消，退还定金 50%」. */
  tierText: string;
  /** What the tier grants, capped by what is still refundable on the deposit order. */
  refundFen: Fen;
  tiers: CancellationTier[];
  tierIndex: number;
}

const TIERS_KEY = 'refund_tiers';

/** 预约取消按时间退款 (design document 2.1.3): the editable tier table and the refund a cancellation gets. */
export class CancellationRefunds {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** RefundService.requestIn: the refund is requested in the cancelling transaction. */
    private readonly requestIn: (tx: Tx, actor: Actor, input: RequestRefundInput) => Promise<Refund>,
  ) {}

  async tiers(tx?: Tx): Promise<{ tiers: CancellationTier[]; version: number | null }> {
    const stored = tx ? await tx.settings.get(TIERS_KEY) : await this.store.read((r) => r.settings.get(TIERS_KEY));
    const value = (stored?.value ?? {}) as { tiers?: CancellationTier[] };
    return { tiers: value.tiers?.length ? value.tiers : DEFAULT_CANCELLATION_TIERS.map((t) => ({ ...t })), version: stored?.version ?? null };
  }

  async updateTiers(actor: Actor, tiers: CancellationTier[], expectedVersion: number | null): Promise<CancellationTier[]> {
    assertValidCancellationTiers(tiers);
    return this.store.transaction(async (tx) => {
      const before = await this.tiers(tx);
      const now = this.clock.now();
      const value = { tiers: tiers.map((t) => ({ minHoursBefore: t.minHoursBefore, percent: t.percent })) };
      await tx.settings.put(TIERS_KEY, value, expectedVersion, now);
      await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'settings.update', entityType: 'settings', entityId: TIERS_KEY, before: snapshot({ tiers: before.tiers }), after: snapshot(value) }, now);
      return value.tiers;
    });
  }

  /**
   * 预约取消按时间退款 (design document 2.1.3): a booking whose deposit was paid is cancelled; the
   * tier table decides how much of the deposit goes back, and that refund is requested (through
   * approval) in the cancelling transaction. Nothing is requested when the tier grants 0.
   */
  async refundFor(tx: Tx, actor: Actor, booking: Booking, at: number): Promise<{ refund: Refund | null; percent: number; tierText: string; refundFen: Fen }> {
    const quote = await this.quote(tx, booking, at, { forUpdate: true });
    if (quote.refundFen <= 0) return { refund: null, percent: quote.percent, tierText: quote.tierText, refundFen: 0 };
    const refund = await this.requestIn(tx, actor, { orderNo: booking.depositOrderNo, amountFen: quote.refundFen, reason: `预定 ${booking.bookingNo} 取消：${quote.tierText}`, source: 'booking_cancel', relatedRef: booking.bookingNo });
    return { refund, percent: quote.percent, tierText: quote.tierText, refundFen: quote.refundFen };
  }

  /**
   * What cancelling `booking` at `at` would refund: the tier for the time left, its percent of the
   * paid deposit (rounded down), capped by what the deposit order still has refundable. The 取消预定
   * confirmation shows it; `refundFor` requests exactly this.
   */
  async quote(tx: Tx, booking: Booking, at: number, opts: { forUpdate?: boolean } = {}): Promise<CancellationQuote> {
    const { tiers } = await this.tiers(tx);
    const order = await tx.orders.findByNo(booking.depositOrderNo);
    const paid = order?.status === 'paid' ? order.paidFen : 0;
    const quote = refundForCancellation(paid, booking.appointmentAt, at, tiers);
    const tierText = `${describeCancellationTier(tiers, quote.tierIndex)}，退还定金 ${quote.percent}%`;
    const base = { paidFen: paid, msBefore: quote.msBefore, percent: quote.percent, tierText, tiers, tierIndex: quote.tierIndex };
    if (!order || quote.refundFen <= 0) return { ...base, refundFen: 0 };
    const refunds = orderRefunds(await tx.refunds.forOrder(order.orderNo, { forUpdate: opts.forUpdate ?? false }));
    return { ...base, refundFen: Math.max(0, Math.min(quote.refundFen, refundableRemainingFen(order.paidFen, refunds))) };
  }

}
