import type { NewOrder } from '../src-main/db/repositories/order-repository';

/**
 * The raw-driver side of the benchmark: `payment_orders` rows as positional parameter arrays, the
 * way a hand-written bulk path would bind them. Column order matches the migration.
 */
export const ORDER_COLUMNS = [
  'order_no',
  'amount_fen',
  'paid_fen',
  'refunded_fen',
  'payment_method',
  'order_type',
  'status',
  'related_id',
  'description',
  'payer_id',
  'created_by',
  'created_at',
  'expire_at',
  'paid_at',
  'cancelled_at',
  'cancel_reason',
  'gateway_trade_no',
  'version',
  'updated_seq',
] as const;

export type OrderParam = string | number | null;

export function orderParams(o: NewOrder, seq: number): OrderParam[] {
  return [
    o.orderNo,
    o.amountFen,
    o.paidFen,
    o.refundedFen,
    o.method,
    o.type,
    o.status,
    o.relatedId,
    o.description,
    o.payerId,
    o.createdBy,
    o.createdAt,
    o.expireAt,
    o.paidAt,
    o.cancelledAt,
    o.cancelReason,
    o.gatewayTradeNo,
    1,
    seq,
  ];
}

/** `INSERT INTO payment_orders (…) VALUES (?,…),(?,…)…` for `rows` rows. */
export function insertOrdersSql(rows: number): string {
  const one = `(${ORDER_COLUMNS.map(() => '?').join(',')})`;
  return `INSERT INTO payment_orders (${ORDER_COLUMNS.join(',')}) VALUES ${Array.from({ length: rows }, () => one).join(',')}`;
}

/** Strictly increasing `updated_seq` values in the store's format (epoch-µs hybrid clock). */
export function seqSource(): () => number {
  let last = Date.now() * 1000;
  return () => ++last;
}
