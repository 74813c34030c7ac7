import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shape of `refunds` (退款); the domain type is `Refund` (db/repositories/refund-repository). */
export interface RefundRow {
  id: number;
  refund_no: string;
  order_no: string;
  platform: string;
  amount_fen: number;
  reason: string;
  state: string;
  retryable: boolean | number;
  fail_reason: string | null;
  source: string;
  requested_by: number | null;
  requested_by_name: string;
  related_ref: string | null;
  exception_id: number | null;
  platform_refund_no: string | null;
  fee_fen: number | null;
  attempts: number;
  sent_at: number | null;
  last_attempt_at: number | null;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  approved_at: number | null;
  succeeded_at: number | null;
  finished_at: number | null;
  arrival_channel: string | null;
  arrival_from: string | null;
  arrival_to: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  updated_seq: number;
}

export const RefundEntity = new EntitySchema<RefundRow>({
  name: 'RefundRow',
  tableName: 'refunds',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    refund_no: { type: 'varchar', length: 32 },
    order_no: { type: 'varchar', length: 32 },
    platform: { type: 'varchar', length: 16 },
    amount_fen: fenColumn(),
    reason: { type: 'varchar', length: 256 },
    state: { type: 'varchar', length: 24 },
    retryable: { type: 'boolean', default: false },
    fail_reason: { type: 'varchar', length: 256, nullable: true },
    source: { type: 'varchar', length: 16 },
    requested_by: { type: 'int', nullable: true },
    requested_by_name: { type: 'varchar', length: 64 },
    related_ref: { type: 'varchar', length: 32, nullable: true },
    exception_id: { type: 'int', nullable: true },
    platform_refund_no: { type: 'varchar', length: 64, nullable: true },
    fee_fen: fenColumn({ nullable: true }),
    attempts: { type: 'int', default: 0 },
    sent_at: instantColumn({ nullable: true }),
    last_attempt_at: instantColumn({ nullable: true }),
    next_attempt_at: instantColumn({ nullable: true }),
    lease_owner: { type: 'varchar', length: 64, nullable: true },
    lease_until: instantColumn({ nullable: true }),
    approved_at: instantColumn({ nullable: true }),
    succeeded_at: instantColumn({ nullable: true }),
    finished_at: instantColumn({ nullable: true }),
    arrival_channel: { type: 'varchar', length: 24, nullable: true },
    arrival_from: { type: 'varchar', length: 10, nullable: true },
    arrival_to: { type: 'varchar', length: 10, nullable: true },
    created_at: instantColumn(),
    updated_at: instantColumn(),
    ...rowVersionColumns,
  },
});
