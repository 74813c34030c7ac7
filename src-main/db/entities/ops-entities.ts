import { EntitySchema } from 'typeorm';
import { instantColumn, rowVersionColumns } from '../columns';

/** One structured log entry as indexed for the 系统日志 page (the file keeps the same lines). Immutable. */
export interface SystemLogRow {
  id: number;
  at: number;
  level: string;
  category: string;
  event: string;
  order_no: string | null;
  message: string;
  fields_json: string;
}

export const SystemLogEntity = new EntitySchema<SystemLogRow>({
  name: 'SystemLogRow',
  tableName: 'system_logs',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    at: instantColumn(),
    level: { type: 'varchar', length: 8 },
    category: { type: 'varchar', length: 16 },
    event: { type: 'varchar', length: 64 },
    order_no: { type: 'varchar', length: 64, nullable: true },
    message: { type: 'varchar', length: 1000 },
    fields_json: { type: 'text' },
  },
});

export interface AlertRow {
  id: number;
  kind: string;
  level: string;
  message: string;
  first_at: number;
  last_at: number;
  count: number;
  /** `kind` while unacknowledged, NULL after: the unique key allows one open alert per kind across instances. */
  open_key: string | null;
  acknowledged_by: number | null;
  acknowledged_by_name: string | null;
  acknowledged_at: number | null;
  version: number;
  updated_seq: number;
}

export const AlertEntity = new EntitySchema<AlertRow>({
  name: 'AlertRow',
  tableName: 'alerts',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    kind: { type: 'varchar', length: 32 },
    level: { type: 'varchar', length: 8 },
    message: { type: 'varchar', length: 500 },
    first_at: instantColumn(),
    last_at: instantColumn(),
    count: { type: 'int' },
    open_key: { type: 'varchar', length: 32, nullable: true },
    acknowledged_by: { type: 'int', nullable: true },
    acknowledged_by_name: { type: 'varchar', length: 64, nullable: true },
    acknowledged_at: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});

export interface OutboxRow {
  id: number;
  channel: string;
  recipient: string;
  template_code: string;
  params_json: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  sent_at: number | null;
  error: string | null;
  order_no: string | null;
  dedupe_key: string | null;
  provider_ref: string | null;
  created_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  version: number;
  updated_seq: number;
}

export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'OutboxRow',
  tableName: 'notification_outbox',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    channel: { type: 'varchar', length: 24 },
    recipient: { type: 'varchar', length: 128 },
    template_code: { type: 'varchar', length: 64 },
    params_json: { type: 'text' },
    status: { type: 'varchar', length: 16 },
    attempts: { type: 'int' },
    next_attempt_at: instantColumn(),
    sent_at: instantColumn({ nullable: true }),
    error: { type: 'varchar', length: 500, nullable: true },
    order_no: { type: 'varchar', length: 64, nullable: true },
    dedupe_key: { type: 'varchar', length: 128, nullable: true },
    provider_ref: { type: 'varchar', length: 64, nullable: true },
    created_at: instantColumn(),
    lease_owner: { type: 'varchar', length: 64, nullable: true },
    lease_until: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});
