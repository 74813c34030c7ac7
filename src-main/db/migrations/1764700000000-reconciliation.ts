import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str, text } from './table-helpers';

/** The difference types of core/reconciliation/recon-diff.ts, frozen here as this migration's column names. */
const DIFF_TYPES_AT_START = ['duplicate_local', 'duplicate_platform', 'missing_local', 'missing_platform', 'status', 'amount', 'fee'];

/**
 * 对账 (issue 6, design document 4.3): runs, the staging table of one run's bill and local rows, the
 * differences and their workflow (notes, adjustments), and the records held for the next day.
 *
 * - `recon_runs`: one row per run (daily per channel, weekly / monthly over the daily results). A
 *   scheduled daily run is a row created before its bill is downloaded (`schedule_key` is unique, so
 *   two server instances create it once) and claimed with SELECT … FOR UPDATE SKIP LOCKED leases.
 *   The summary is kept as columns (counts and amounts per difference type) so the run list and the
 *   weekly / monthly sums are plain SQL.
 * - `recon_bill_rows`: staging. Both sides of the day go here (`side` platform | local) so the join
 *   is one ordered index scan by (run, kind, key), whatever the number of rows on either side; the
 *   rows are deleted when the run ends. Its primary key is (run_id, side, kind, seq): seq is the
 *   bill line's ordinal or the local row's id, so no auto-increment counter grows by a million a day.
 * - `recon_diffs`: one row per difference IDENTITY (channel, kind, key, type). A re-run updates the
 *   machine's columns and keeps status, assignee, resolution and notes; a difference that is gone
 *   after a re-run is marked resolved with resolution `rerun`.
 * - `recon_held`: one-sided records near midnight carried to the next day's run (never reported twice).
 * - Two indexes on existing tables: the local side of a day is read by channel and success time.
 */
export class Reconciliation1764700000000 implements MigrationInterface {
  name = 'Reconciliation1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'recon_runs',
        columns: [
          id,
          str('channel', 16),
          str('bill_date', 10),
          str('period', 8),
          str('period_end', 10),
          str('status', 12),
          { name: 'is_current', type: 'boolean', default: false },
          str('schedule_key', 48, { isNullable: true }),
          { name: 'started_by', type: 'int', isNullable: true },
          str('started_by_name', 64),
          big('started_at', { isNullable: true }),
          big('finished_at', { isNullable: true }),
          str('file_name', 256, { isNullable: true }),
          str('sha256', 64, { isNullable: true }),
          { name: 'bill_count', type: 'int', default: 0 },
          big('bill_paid_fen', { default: 0 }),
          big('bill_refunded_fen', { default: 0 }),
          { name: 'local_count', type: 'int', default: 0 },
          { name: 'matched_count', type: 'int', default: 0 },
          big('matched_fen', { default: 0 }),
          big('platform_fee_fen', { default: 0 }),
          { name: 'held_count', type: 'int', default: 0 },
          { name: 'carried_count', type: 'int', default: 0 },
          { name: 'diff_count', type: 'int', default: 0 },
          ...DIFF_TYPES_AT_START.flatMap((t) => [{ name: `diff_${t}_count`, type: 'int', default: 0 }, big(`diff_${t}_fen`, { default: 0 })]),
          { name: 'rerun_resolved_count', type: 'int', default: 0 },
          { name: 'days_covered', type: 'int', default: 0 },
          str('error', 512, { isNullable: true }),
          { name: 'attempts', type: 'int', default: 0 },
          big('next_attempt_at', { isNullable: true }),
          str('lease_owner', 64, { isNullable: true }),
          big('lease_until', { isNullable: true }),
          big('created_at'),
          big('updated_at'),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_recon_runs_schedule', columnNames: ['schedule_key'], isUnique: true }),
          new TableIndex({ name: 'ix_recon_runs_day', columnNames: ['channel', 'bill_date', 'period'] }),
          new TableIndex({ name: 'ix_recon_runs_period_date', columnNames: ['period', 'bill_date'] }),
          new TableIndex({ name: 'ix_recon_runs_due', columnNames: ['status', 'next_attempt_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recon_bill_rows',
        columns: [
          { name: 'run_id', type: 'int', isPrimary: true },
          str('side', 8, { isPrimary: true }),
          str('kind', 8, { isPrimary: true }),
          big('seq', { isPrimary: true }),
          str('match_key', 64),
          str('order_no', 64),
          str('platform_no', 64, { isNullable: true }),
          big('amount_fen'),
          big('fee_fen', { isNullable: true }),
          str('state', 8),
          str('source_state', 24, { isNullable: true }),
          big('at'),
          { name: 'line', type: 'int', isNullable: true },
          text('raw_json', { isNullable: true }),
          { name: 'carried', type: 'boolean', default: false },
        ],
        indices: [new TableIndex({ name: 'ix_recon_bill_rows_key', columnNames: ['run_id', 'kind', 'match_key'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recon_diffs',
        columns: [
          id,
          str('identity', 200),
          str('channel', 16),
          str('kind', 8),
          str('match_key', 64),
          str('order_no', 64),
          str('diff_type', 24),
          str('fields', 64),
          str('bill_date', 10),
          { name: 'run_id', type: 'int' },
          { name: 'local_count', type: 'int', default: 0 },
          { name: 'platform_count', type: 'int', default: 0 },
          big('local_amount_fen', { isNullable: true }),
          big('platform_amount_fen', { isNullable: true }),
          big('amount_fen'),
          text('local_json'),
          text('platform_json'),
          str('status', 16),
          { name: 'assignee_id', type: 'int', isNullable: true },
          str('assignee_name', 64, { isNullable: true }),
          str('resolution', 24, { isNullable: true }),
          str('resolution_note', 512, { isNullable: true }),
          str('resolved_by_name', 64, { isNullable: true }),
          big('resolved_at', { isNullable: true }),
          str('refund_no', 32, { isNullable: true }),
          big('first_found_at'),
          big('last_found_at'),
          big('created_at'),
          big('updated_at'),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_recon_diffs_identity', columnNames: ['identity'], isUnique: true }),
          new TableIndex({ name: 'ix_recon_diffs_day_type', columnNames: ['channel', 'bill_date', 'diff_type'] }),
          new TableIndex({ name: 'ix_recon_diffs_status_date', columnNames: ['status', 'bill_date'] }),
          new TableIndex({ name: 'ix_recon_diffs_run', columnNames: ['run_id'] }),
          new TableIndex({ name: 'ix_recon_diffs_order', columnNames: ['order_no'] }),
          new TableIndex({ name: 'ix_recon_diffs_key', columnNames: ['match_key'] }),
          new TableIndex({ name: 'ix_recon_diffs_assignee', columnNames: ['assignee_id', 'status'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recon_diff_notes',
        columns: [id, { name: 'diff_id', type: 'int' }, { name: 'author_id', type: 'int', isNullable: true }, str('author_name', 64), str('body', 1000), big('created_at'), ...rowVersion],
        indices: [new TableIndex({ name: 'ix_recon_notes_diff', columnNames: ['diff_id', 'created_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recon_held',
        columns: [
          id,
          str('channel', 16),
          str('side', 8),
          str('kind', 8),
          str('match_key', 64),
          str('from_date', 10),
          str('to_date', 10),
          { name: 'from_run_id', type: 'int' },
          { name: 'consumed_run_id', type: 'int', isNullable: true },
          text('record_json'),
          big('created_at'),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'ix_recon_held_to', columnNames: ['channel', 'to_date', 'side', 'kind'] }),
          new TableIndex({ name: 'ix_recon_held_from', columnNames: ['channel', 'from_date'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'recon_adjustments',
        columns: [
          id,
          { name: 'diff_id', type: 'int' },
          str('channel', 16),
          str('bill_date', 10),
          str('kind', 8),
          str('match_key', 64),
          str('account', 16),
          big('amount_fen'),
          str('reason', 256),
          { name: 'created_by', type: 'int', isNullable: true },
          str('created_by_name', 64),
          big('created_at'),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'ix_recon_adjustments_diff', columnNames: ['diff_id'] }),
          new TableIndex({ name: 'ix_recon_adjustments_day', columnNames: ['channel', 'bill_date'] }),
        ],
      }),
    );
    await q.createIndex('payment_orders', new TableIndex({ name: 'ix_orders_method_paid', columnNames: ['payment_method', 'paid_at'] }));
    await q.createIndex('refunds', new TableIndex({ name: 'ix_refunds_platform_succeeded', columnNames: ['platform', 'succeeded_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('refunds', 'ix_refunds_platform_succeeded');
    await q.dropIndex('payment_orders', 'ix_orders_method_paid');
    for (const t of ['recon_adjustments', 'recon_held', 'recon_diff_notes', 'recon_diffs', 'recon_bill_rows', 'recon_runs']) await q.dropTable(t);
  }
}
