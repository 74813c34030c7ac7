import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** One amount band of one business type in the current rule set (see migration 1764610000000). */
export interface ApprovalRuleRow {
  id: number;
  business_type: string;
  over_fen: number;
  up_to_fen: number | null;
  /** Role codes, level 1 first, as a JSON array. */
  levels_json: string;
  bulk_approvable: boolean;
  /** The rule set's revision; the same on every row of the current set. */
  revision: number;
  version: number;
  updated_seq: number;
}

export const ApprovalRuleEntity = new EntitySchema<ApprovalRuleRow>({
  name: 'ApprovalRuleRow',
  tableName: 'approval_rules',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    business_type: { type: 'varchar', length: 24 },
    over_fen: fenColumn(),
    up_to_fen: fenColumn({ nullable: true }),
    levels_json: { type: 'text' },
    bulk_approvable: { type: 'boolean', default: false },
    revision: { type: 'int' },
    ...rowVersionColumns,
  },
});

export interface ApprovalRequestRow {
  id: number;
  business_type: string;
  subject_id: string;
  amount_fen: number;
  title: string;
  requester_id: number | null;
  requester_name: string;
  status: string;
  /** Role codes copied from the rule at submission, level 1 first. */
  levels_json: string;
  bulk_approvable: boolean;
  /** 1-based level awaiting a decision, NULL once decided or withdrawn. */
  current_level: number | null;
  /** The role of `current_level` (for "待我审批" queries), NULL once decided or withdrawn. */
  current_role: string | null;
  /** `<business_type>:<subject_id>` while pending, NULL after: one live request per subject. */
  live_key: string | null;
  created_at: number;
  decided_at: number | null;
  version: number;
  updated_seq: number;
}

export const ApprovalRequestEntity = new EntitySchema<ApprovalRequestRow>({
  name: 'ApprovalRequestRow',
  tableName: 'approval_requests',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    business_type: { type: 'varchar', length: 24 },
    subject_id: { type: 'varchar', length: 64 },
    amount_fen: fenColumn(),
    title: { type: 'varchar', length: 200 },
    requester_id: { type: 'int', nullable: true },
    requester_name: { type: 'varchar', length: 64 },
    status: { type: 'varchar', length: 16 },
    levels_json: { type: 'text' },
    bulk_approvable: { type: 'boolean', default: false },
    current_level: { type: 'int', nullable: true },
    current_role: { type: 'varchar', length: 32, nullable: true },
    live_key: { type: 'varchar', length: 100, nullable: true },
    created_at: instantColumn(),
    decided_at: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});

/** An approve, a reject or a comment on a request. Immutable. */
export interface ApprovalDecisionRow {
  id: number;
  request_id: number;
  /** The level decided, or for a comment the level under way when it was written (NULL once decided). */
  level: number | null;
  /** `level` for approve/reject, NULL for comments: unique per request, so one decision per level. */
  level_key: number | null;
  approver_id: number;
  approver_name: string;
  approver_role: string;
  decision: string;
  reason: string | null;
  at: number;
}

export const ApprovalDecisionEntity = new EntitySchema<ApprovalDecisionRow>({
  name: 'ApprovalDecisionRow',
  tableName: 'approval_decisions',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    request_id: { type: 'int' },
    level: { type: 'int', nullable: true },
    level_key: { type: 'int', nullable: true },
    approver_id: { type: 'int' },
    approver_name: { type: 'varchar', length: 64 },
    approver_role: { type: 'varchar', length: 32 },
    decision: { type: 'varchar', length: 16 },
    reason: { type: 'varchar', length: 500, nullable: true },
    at: instantColumn(),
  },
});
