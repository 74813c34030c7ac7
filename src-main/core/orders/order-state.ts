import { DomainError } from '../errors';
import type { Fen } from '../money';
import type { CancelReason, OrderStatus } from './order-types';

/**
 * The payment order's life (design document 4.1.1, 4.1.3):
 *   pending → paid | cancelled;  paid → refunded (only when everything paid has been refunded).
 * A partial refund keeps the order `paid` and raises `refundedFen`. Nothing leaves `cancelled` or
 * `refunded`. Every service goes through these functions, so the rules live in one place.
 */
export interface OrderMoney {
  status: OrderStatus;
  amountFen: Fen;
  paidFen: Fen;
  refundedFen: Fen;
}

export type OrderEvent =
  | { kind: 'pay'; amountFen: Fen }
  | { kind: 'cancel'; reason: CancelReason }
  | { kind: 'refund'; amountFen: Fen };

const ALLOWED: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'cancelled'],
  paid: ['paid', 'refunded'],
  cancelled: [],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function applyOrderEvent(order: OrderMoney, event: OrderEvent): OrderMoney {
  switch (event.kind) {
    case 'pay': {
      if (order.status === 'paid' || order.status === 'refunded')
        throw new DomainError('ORDER_ALREADY_PAID', '订单已支付，不能重复支付');
      if (order.status === 'cancelled')
        throw new DomainError('ORDER_CANCELLED', '订单已取消，不能再支付');
      if (event.amountFen !== order.amountFen)
        throw new DomainError('AMOUNT_MISMATCH', '支付金额与订单金额不一致');
      return { ...order, status: 'paid', paidFen: event.amountFen };
    }
    case 'cancel': {
      if (order.status === 'paid')
        throw new DomainError('ORDER_PAID_NOT_CANCELLABLE', '已支付订单不能取消，请走退款流程');
      if (order.status === 'refunded')
        throw new DomainError('ORDER_REFUNDED', '订单已退款，不能取消');
      if (order.status === 'cancelled') throw new DomainError('ORDER_ALREADY_CANCELLED', '订单已取消');
      return { ...order, status: 'cancelled' };
    }
    case 'refund': {
      if (order.status !== 'paid') throw new DomainError('ORDER_NOT_REFUNDABLE', '只有已支付订单可以退款');
      if (!Number.isSafeInteger(event.amountFen) || event.amountFen <= 0)
        throw new DomainError('AMOUNT_ZERO', '退款金额必须大于 0');
      const refunded = order.refundedFen + event.amountFen;
      if (refunded > order.paidFen)
        throw new DomainError('REFUND_EXCEEDS_PAID', '退款总额不能超过已支付金额');
      return { ...order, refundedFen: refunded, status: refunded === order.paidFen ? 'refunded' : 'paid' };
    }
  }
}
