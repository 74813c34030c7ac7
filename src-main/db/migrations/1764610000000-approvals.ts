import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str, text } from './table-helpers';

/**
 * The approval engine (issue 5; design document 2.4.3, 5.3.1): the rules as data, one request per
 * submission of a refund / payment order / payout batch, and every decision and comment on it.
 *
 *  - `approval_rules.revision` is the same on every row of the current rule set: an edit replaces the
 *    whole set and increments it, so two administrators editing at once cannot interleave rows.
 *  - `approval_requests.live_key` is `<business_type>:<subject_id>` while the request is pending and
 *    NULL after; its unique key allows one live request per subject across server instances.
 *  - `approval_decisions.level_key` is the level for an approve/reject and NULL for a comment; the
 *    unique key (request_id, level_key) lets exactly one of two racing approvers decide a level.
 *
 * The seeded rules are DEFAULT_APPROVAL_RULES (core/approvals/approval-rules.ts) as they are today,
 * copied here as data so the migration never changes: later changes of the defaults need a migration
 * of their own, and an administrator's edits are kept.
 */
const YUAN = 100;
const SEED: ReadonlyArray<[type: string, overFen: number, upToFen: number | null, levels: string[], bulk: boolean]> = [
  ['refund', 0, 5_000 * YUAN, ['accountant'], true],
  ['refund', 5_000 * YUAN, null, ['accountant', 'approver'], false],
  ['supplier_payment', 0, 10_000 * YUAN, ['accountant'], false],
  ['supplier_payment', 10_000 * YUAN, 50_000 * YUAN, ['accountant', 'approver'], false],
  ['supplier_payment', 50_000 * YUAN, null, ['accountant', 'approver', 'admin'], false],
  ['payout_batch', 0, 100_000 * YUAN, ['accountant', 'approver'], false],
  ['payout_batch', 100_000 * YUAN, null, ['accountant', 'approver', 'admin'], false],
];

export class Approvals1764610000000 implements MigrationInterface {
  name = 'Approvals1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'approval_rules',
        columns: [
          id,
          str('business_type', 24),
          big('over_fen'),
          big('up_to_fen', { isNullable: true }),
          text('levels_json'),
          { name: 'bulk_approvable', type: 'boolean', default: false },
          { name: 'revision', type: 'int' },
          ...rowVersion,
        ],
        indices: [new TableIndex({ name: 'uq_approval_rules_band', columnNames: ['revision', 'business_type', 'over_fen'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'approval_requests',
        columns: [
          id,
          str('business_type', 24),
          str('subject_id', 64),
          big('amount_fen'),
          str('title', 200),
          { name: 'requester_id', type: 'int', isNullable: true },
          str('requester_name', 64),
          str('status', 16),
          text('levels_json'),
          { name: 'bulk_approvable', type: 'boolean', default: false },
          { name: 'current_level', type: 'int', isNullable: true },
          str('current_role', 32, { isNullable: true }),
          str('live_key', 100, { isNullable: true }),
          big('created_at'),
          big('decided_at', { isNullable: true }),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_approval_requests_live', columnNames: ['live_key'], isUnique: true }),
          new TableIndex({ name: 'ix_approval_requests_subject', columnNames: ['business_type', 'subject_id'] }),
          new TableIndex({ name: 'ix_approval_requests_status_created', columnNames: ['status', 'created_at'] }),
          new TableIndex({ name: 'ix_approval_requests_role', columnNames: ['current_role', 'status'] }),
          new TableIndex({ name: 'ix_approval_requests_requester', columnNames: ['requester_id', 'created_at'] }),
          new TableIndex({ name: 'ix_approval_requests_created', columnNames: ['created_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'approval_decisions',
        columns: [
          id,
          { name: 'request_id', type: 'int' },
          { name: 'level', type: 'int', isNullable: true },
          { name: 'level_key', type: 'int', isNullable: true },
          { name: 'approver_id', type: 'int' },
          str('approver_name', 64),
          str('approver_role', 32),
          str('decision', 16),
          str('reason', 500, { isNullable: true }),
          big('at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_approval_decisions_level', columnNames: ['request_id', 'level_key'], isUnique: true }),
          new TableIndex({ name: 'ix_approval_decisions_approver', columnNames: ['approver_id', 'request_id'] }),
        ],
      }),
    );
    for (const [type, overFen, upToFen, levels, bulk] of SEED)
      await q.query(
        `INSERT INTO approval_rules (business_type, over_fen, up_to_fen, levels_json, bulk_approvable, revision, version, updated_seq) VALUES (?, ?, ?, ?, ?, 1, 1, 0)`,
        [type, overFen, upToFen, JSON.stringify(levels), bulk ? 1 : 0],
      );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['approval_decisions', 'approval_requests', 'approval_rules']) await q.dropTable(t);
  }
}
