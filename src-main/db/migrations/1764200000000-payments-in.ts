import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str, text } from './table-helpers';

/**
 * Payments in (issue 4): what we asked each platform for (so a second "pay" reuses it), the inbox
 * of platform notifications (one row per platform notification id: duplicates are recognised by the
 * unique key), and payment exceptions (money that arrived for an order that cannot take it).
 */
export class PaymentsIn1764200000000 implements MigrationInterface {
  name = 'PaymentsIn1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'payment_requests',
        columns: [id, str('order_no', 32), str('platform', 16), str('scene', 24), big('created_at'), text('result_json'), ...rowVersion],
        indices: [new TableIndex({ name: 'uq_payment_requests_order_scene', columnNames: ['order_no', 'scene'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'notification_inbox',
        columns: [
          id,
          str('platform', 16),
          str('notification_id', 128),
          big('received_at'),
          str('event_kind', 16),
          str('ref_no', 64),
          text('payload_json'),
          str('status', 16),
          str('outcome', 256, { isNullable: true }),
          big('applied_at', { isNullable: true }),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_inbox_platform_notification', columnNames: ['platform', 'notification_id'], isUnique: true }),
          new TableIndex({ name: 'ix_inbox_status_received', columnNames: ['status', 'received_at'] }),
          new TableIndex({ name: 'ix_inbox_ref', columnNames: ['ref_no'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'payment_exceptions',
        columns: [
          id,
          str('order_no', 32),
          str('platform', 16),
          str('platform_trade_no', 64),
          big('amount_fen'),
          str('kind', 32),
          str('status', 16),
          str('detail', 256),
          big('created_at'),
          big('resolved_at', { isNullable: true }),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_exceptions_trade_kind', columnNames: ['platform', 'platform_trade_no', 'kind'], isUnique: true }),
          new TableIndex({ name: 'ix_exceptions_status_created', columnNames: ['status', 'created_at'] }),
          new TableIndex({ name: 'ix_exceptions_order', columnNames: ['order_no'] }),
        ],
      }),
    );
    for (const [role, permission] of [
      ['admin', 'payment:collect'],
      ['accountant', 'payment:collect'],
      ['cashier', 'payment:collect'],
      ['admin', 'payment:exceptions'],
      ['accountant', 'payment:exceptions'],
      ['auditor', 'payment:exceptions'],
    ])
      await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, [role, permission]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permissions WHERE permission IN ('payment:collect', 'payment:exceptions')`);
    for (const t of ['payment_exceptions', 'notification_inbox', 'payment_requests']) await q.dropTable(t);
  }
}
