import { DomainError } from '../errors';
import type { Fen } from '../money';
import type { ServiceType } from './deposit';

/**
 * 客户预定 (design document 2.1): awaiting_deposit → confirmed (the deposit order was paid) |
 * cancelled (the deposit order expired, or the guest or staff cancelled before paying). The
 * booking follows its deposit order; nothing leaves confirmed or cancelled here (refund by
 * cancellation time belongs to the refunds issue).
 */
export const BOOKING_STATUSES = ['awaiting_deposit', 'confirmed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  awaiting_deposit: '待付定金',
  confirmed: '已确认',
  cancelled: '已取消',
};

export interface Booking {
  bookingNo: string;
  payerId: string;
  guestName: string;
  serviceType: ServiceType;
  appointmentAt: number;
  totalFen: Fen;
  depositFen: Fen;
  depositRatioBp: number;
  status: BookingStatus;
  depositOrderNo: string;
  note: string;
  createdBy: number | null;
  createdAt: number;
  confirmedAt: number | null;
  cancelledAt: number | null;
  version: number;
}

export function assertBookingTransition(from: BookingStatus, to: BookingStatus): void {
  if (from === 'awaiting_deposit' && to !== 'awaiting_deposit') return;
  if (from === 'confirmed')
    throw new DomainError('BOOKING_CONFIRMED', to === 'cancelled' ? '预定已确认（定金已付），取消需走退款流程' : '预定已确认');
  throw new DomainError('BOOKING_CANCELLED', '预定已取消');
}
