import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

export interface PaymentRequestRow {
  id: number;
  order_no: string;
  platform: string;
  scene: string;
  created_at: number;
  result_json: string;
  version: number;
  updated_seq: number;
}

export const PaymentRequestEntity = new EntitySchema<PaymentRequestRow>({
  name: 'PaymentRequestRow',
  tableName: 'payment_requests',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    order_no: { type: 'varchar', length: 32 },
    platform: { type: 'varchar', length: 16 },
    scene: { type: 'varchar', length: 24 },
    created_at: instantColumn(),
    result_json: { type: 'text' },
    ...rowVersionColumns,
  },
});

export interface InboxRow {
  id: number;
  platform: string;
  notification_id: string;
  received_at: number;
  event_kind: string;
  ref_no: string;
  payload_json: string;
  status: string;
  outcome: string | null;
  applied_at: number | null;
  version: number;
  updated_seq: number;
}

export const InboxEntity = new EntitySchema<InboxRow>({
  name: 'InboxRow',
  tableName: 'notification_inbox',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    platform: { type: 'varchar', length: 16 },
    notification_id: { type: 'varchar', length: 128 },
    received_at: instantColumn(),
    event_kind: { type: 'varchar', length: 16 },
    ref_no: { type: 'varchar', length: 64 },
    payload_json: { type: 'text' },
    status: { type: 'varchar', length: 16 },
    outcome: { type: 'varchar', length: 256, nullable: true },
    applied_at: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});

export interface PaymentExceptionRow {
  id: number;
  order_no: string;
  platform: string;
  platform_trade_no: string;
  amount_fen: number;
  kind: string;
  status: string;
  detail: string;
  created_at: number;
  resolved_at: number | null;
  version: number;
  updated_seq: number;
}

export const PaymentExceptionEntity = new EntitySchema<PaymentExceptionRow>({
  name: 'PaymentExceptionRow',
  tableName: 'payment_exceptions',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    order_no: { type: 'varchar', length: 32 },
    platform: { type: 'varchar', length: 16 },
    platform_trade_no: { type: 'varchar', length: 64 },
    amount_fen: fenColumn(),
    kind: { type: 'varchar', length: 32 },
    status: { type: 'varchar', length: 16 },
    detail: { type: 'varchar', length: 256 },
    created_at: instantColumn(),
    resolved_at: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});
