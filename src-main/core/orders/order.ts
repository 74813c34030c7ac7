import type { Fen } from '../money';
import type { CancelReason, OrderStatus, OrderType, PaymentMethod } from './order-types';

/** A payment order as the domain and the UI see it (money in fen, times in epoch ms). */
export interface Order {
  orderNo: string;
  amountFen: Fen;
  paidFen: Fen;
  refundedFen: Fen;
  method: PaymentMethod;
  type: OrderType;
  status: OrderStatus;
  relatedId: string;
  description: string;
  payerId: string;
  createdBy: number | null;
  createdAt: number;
  expireAt: number;
  paidAt: number | null;
  cancelledAt: number | null;
  cancelReason: CancelReason | null;
  gatewayTradeNo: string | null;
  version: number;
}

export const ORDER_SORT_FIELDS = ['createdAt', 'amount', 'expireAt'] as const;
export type OrderSortField = (typeof ORDER_SORT_FIELDS)[number];

export interface OrderFilter {
  orderNo?: string;
  payerId?: string;
  statuses?: OrderStatus[];
  methods?: PaymentMethod[];
  types?: OrderType[];
  relatedId?: string;
  createdFrom?: number;
  /** Exclusive upper bound. */
  createdTo?: number;
}

export interface PageRequest<S extends string> {
  page: number;
  pageSize: number;
  sortBy: S;
  sortOrder: 'asc' | 'desc';
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
