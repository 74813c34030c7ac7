import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shape of `payment_orders` (支付订单). Domain code uses `Order` from services; see order-mapper. */
export interface OrderRow {
  id: number;
  order_no: string;
  amount_fen: number;
  paid_fen: number;
  refunded_fen: number;
  payment_method: string;
  order_type: string;
  status: string;
  related_id: string;
  description: string;
  payer_id: string;
  created_by: number | null;
  created_at: number;
  expire_at: number;
  paid_at: number | null;
  cancelled_at: number | null;
  cancel_reason: string | null;
  gateway_trade_no: string | null;
  lease_owner?: string | null;
  lease_until?: number | null;
  last_synced_at?: number | null;
  version: number;
  updated_seq: number;
}

export const OrderEntity = new EntitySchema<OrderRow>({
  name: 'OrderRow',
  tableName: 'payment_orders',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    order_no: { type: 'varchar', length: 32 },
    amount_fen: fenColumn(),
    paid_fen: fenColumn({ default: 0 }),
    refunded_fen: fenColumn({ default: 0 }),
    payment_method: { type: 'varchar', length: 16 },
    order_type: { type: 'varchar', length: 32 },
    status: { type: 'varchar', length: 16 },
    related_id: { type: 'varchar', length: 64, default: '' },
    description: { type: 'varchar', length: 256, default: '' },
    payer_id: { type: 'varchar', length: 64, default: '' },
    created_by: { type: 'int', nullable: true },
    created_at: instantColumn(),
    expire_at: instantColumn(),
    paid_at: instantColumn({ nullable: true }),
    cancelled_at: instantColumn({ nullable: true }),
    cancel_reason: { type: 'varchar', length: 16, nullable: true },
    gateway_trade_no: { type: 'varchar', length: 64, nullable: true },
    lease_owner: { type: 'varchar', length: 64, nullable: true },
    lease_until: instantColumn({ nullable: true }),
    last_synced_at: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});
