import { DomainError } from '../errors';
import type { Fen } from '../money';
import type { ServiceType } from './deposit';

/**
 * 客户预定 (design document 2.1): awaiting_deposit → confirmed (the deposit order was paid) |
 * cancelled (the deposit order expired, or the guest or staff cancelled before paying), and
 * confirmed → cancelled when a booking whose deposit was paid is cancelled: the deposit order stays
 * paid and the refund the cancellation tiers grant is requested (refunds, design document 2.1.3).
 * Nothing leaves cancelled.
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
  if (from === 'confirmed') {
    if (to === 'cancelled') return;
    throw new DomainError('BOOKING_CONFIRMED', '预定已确认');
  }
  throw new DomainError('BOOKING_CANCELLED', '预定已取消');
}
