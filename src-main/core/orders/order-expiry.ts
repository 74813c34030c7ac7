import { MINUTE_MS } from '../time';
import type { OrderType } from './order-types';

/**
 * Payment time limits (design document 2.1.3 and 2.2.3): a booking deposit must be paid within
 * 30 minutes or it is cancelled; a meal bill within 24 hours (then reminders). Payouts (salary,
 * supplier) are driven by approval, so their limit is generous. All configurable in settings.
 */
export type ExpiryMinutes = Record<OrderType, number>;

export const DEFAULT_EXPIRY_MINUTES: ExpiryMinutes = {
  customer_order: 30,
  meal_bill: 24 * 60,
  salary: 7 * 24 * 60,
  supplier_payment: 7 * 24 * 60,
};

export function expiresAt(type: OrderType, createdAt: number, minutes: ExpiryMinutes): number {
  return createdAt + minutes[type] * MINUTE_MS;
}

export function isExpired(expireAt: number, now: number): boolean {
  return now >= expireAt;
}
