import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str } from './table-helpers';

/**
 * 退款 (issue 5, design document 4.4): one row per refund request, from 待审批 to its end.
 *
 * - `refund_no` is also the platform's out_refund_no / out_request_no: it exists before the first
 *   attempt and every resend uses it, so the platforms' own idempotency makes a resend the same refund.
 * - `attempts` / `last_attempt_at` are written and committed BEFORE each call to the platform: a crash
 *   or a timeout after that point leaves a refund that must be queried before it may be sent again.
 * - `lease_owner` / `lease_until` / `next_attempt_at`: the executor claims due refunds with
 *   SELECT … FOR UPDATE SKIP LOCKED, as the order scheduler does (work-leases migration).
 * - The order's own `refunded_fen` and status (paid → refunded) already exist (initial schema).
 */
export class Refunds1764620000000 implements MigrationInterface {
  name = 'Refunds1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'refunds',
        columns: [
          id,
          str('refund_no', 32),
          str('order_no', 32),
          str('platform', 16),
          big('amount_fen'),
          str('reason', 256),
          str('state', 24),
          { name: 'retryable', type: 'boolean', default: false },
          str('fail_reason', 256, { isNullable: true }),
          str('source', 16),
          { name: 'requested_by', type: 'int', isNullable: true },
          str('requested_by_name', 64),
          str('related_ref', 32, { isNullable: true }),
          { name: 'exception_id', type: 'int', isNullable: true },
          str('platform_refund_no', 64, { isNullable: true }),
          big('fee_fen', { isNullable: true }),
          { name: 'attempts', type: 'int', default: 0 },
          big('sent_at', { isNullable: true }),
          big('last_attempt_at', { isNullable: true }),
          big('next_attempt_at', { isNullable: true }),
          str('lease_owner', 64, { isNullable: true }),
          big('lease_until', { isNullable: true }),
          big('approved_at', { isNullable: true }),
          big('succeeded_at', { isNullable: true }),
          big('finished_at', { isNullable: true }),
          str('arrival_channel', 24, { isNullable: true }),
          str('arrival_from', 10, { isNullable: true }),
          str('arrival_to', 10, { isNullable: true }),
          big('created_at'),
          big('updated_at'),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_refunds_no', columnNames: ['refund_no'], isUnique: true }),
          new TableIndex({ name: 'ix_refunds_order', columnNames: ['order_no', 'created_at'] }),
          new TableIndex({ name: 'ix_refunds_state_created', columnNames: ['state', 'created_at'] }),
          new TableIndex({ name: 'ix_refunds_due', columnNames: ['state', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_refunds_exception', columnNames: ['exception_id'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('refunds');
  }
}
