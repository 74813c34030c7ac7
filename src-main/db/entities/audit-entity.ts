import { EntitySchema } from 'typeorm';
import { bigintAsNumber, instantColumn, rowVersionColumns } from '../columns';

/** Audit entries are append-only, so they carry no version; the head row is the chain's lock. */
export interface AuditRow {
  seq: number;
  at: number;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export const AuditEntity = new EntitySchema<AuditRow>({
  name: 'AuditRow',
  tableName: 'audit_log',
  columns: {
    seq: { type: 'bigint', primary: true, transformer: bigintAsNumber },
    at: instantColumn(),
    actor_id: { type: 'int', nullable: true },
    actor_name: { type: 'varchar', length: 64 },
    action: { type: 'varchar', length: 64 },
    entity_type: { type: 'varchar', length: 32 },
    entity_id: { type: 'varchar', length: 64 },
    before_json: { type: 'text', nullable: true },
    after_json: { type: 'text', nullable: true },
    prev_hash: { type: 'varchar', length: 64 },
    hash: { type: 'varchar', length: 64 },
  },
});

export interface AuditHeadRow {
  id: number;
  seq: number;
  hash: string;
  version: number;
  updated_seq: number;
}

export const AuditHeadEntity = new EntitySchema<AuditHeadRow>({
  name: 'AuditHeadRow',
  tableName: 'audit_head',
  columns: {
    id: { type: 'int', primary: true },
    seq: { type: 'bigint', transformer: bigintAsNumber },
    hash: { type: 'varchar', length: 64 },
    ...rowVersionColumns,
  },
});
