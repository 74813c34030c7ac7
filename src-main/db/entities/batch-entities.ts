import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shapes of `payout_batches` (批量付款任务) and `payout_batch_items` (one payee each). */
export interface PayoutBatchRow {
  id: number;
  batch_no: string;
  type: string;
  title: string;
  description: string;
  source_kind: string;
  source_ref: string | null;
  status: string;
  total_count: number;
  total_fen: number;
  created_by: number | null;
  created_by_name: string;
  created_at: number;
  submitted_at: number | null;
  approved_at: number | null;
  started_at: number | null;
  paused_at: number | null;
  finished_at: number | null;
  cancelled_at: number | null;
  version: number;
  updated_seq: number;
}

export interface PayoutBatchItemRow {
  id: number;
  batch_id: number;
  seq: number;
  payee_name: string;
  channel: string;
  account: string;
  bank_name: string;
  amount_fen: number;
  remark: string;
  contact_phone: string;
  employee_id: number | null;
  supplier_id: number | null;
  /** JSON array of payable ids (supplier batches), '[]' otherwise. */
  payable_ids: string;
  status: string;
  attempt: number;
  tries: number;
  transfer_no: string | null;
  platform_transfer_no: string | null;
  fail_reason: string | null;
  retryable: number | null;
  next_at: number;
  confirm_expires_at: number | null;
  sent_at: number | null;
  finished_at: number | null;
  arrival_rule: string | null;
  arrival_date: string | null;
  voucher_no: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  version: number;
  updated_seq: number;
}

const id = { type: 'integer', primary: true, generated: 'increment' } as const;
const vc = (length: number, nullable = false) => ({ type: 'varchar', length, nullable }) as const;
const int = (nullable = false) => ({ type: 'int', nullable }) as const;

export const PayoutBatchEntity = new EntitySchema<PayoutBatchRow>({
  name: 'PayoutBatchRow',
  tableName: 'payout_batches',
  columns: {
    id,
    batch_no: vc(24),
    type: vc(16),
    title: vc(128),
    description: vc(512),
    source_kind: vc(24),
    source_ref: vc(64, true),
    status: vc(24),
    total_count: int(),
    total_fen: fenColumn(),
    created_by: int(true),
    created_by_name: vc(64),
    created_at: instantColumn(),
    submitted_at: instantColumn({ nullable: true }),
    approved_at: instantColumn({ nullable: true }),
    started_at: instantColumn({ nullable: true }),
    paused_at: instantColumn({ nullable: true }),
    finished_at: instantColumn({ nullable: true }),
    cancelled_at: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});

export const PayoutBatchItemEntity = new EntitySchema<PayoutBatchItemRow>({
  name: 'PayoutBatchItemRow',
  tableName: 'payout_batch_items',
  columns: {
    id,
    batch_id: int(),
    seq: int(),
    payee_name: vc(64),
    channel: vc(16),
    account: vc(128),
    bank_name: vc(64),
    amount_fen: fenColumn(),
    remark: vc(64),
    contact_phone: vc(20),
    employee_id: int(true),
    supplier_id: int(true),
    payable_ids: vc(1024),
    status: vc(24),
    attempt: { type: 'int', default: 1 },
    tries: { type: 'int', default: 0 },
    transfer_no: vc(32, true),
    platform_transfer_no: vc(64, true),
    fail_reason: vc(256, true),
    retryable: int(true),
    next_at: instantColumn({ default: 0 }),
    confirm_expires_at: instantColumn({ nullable: true }),
    sent_at: instantColumn({ nullable: true }),
    finished_at: instantColumn({ nullable: true }),
    arrival_rule: vc(8, true),
    arrival_date: vc(10, true),
    voucher_no: vc(20, true),
    lease_owner: vc(96, true),
    lease_until: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});
