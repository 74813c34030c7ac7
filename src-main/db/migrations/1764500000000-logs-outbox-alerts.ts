import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str, text } from './table-helpers';

/**
 * Operations (issue 4; design document 7): `system_logs` indexes the structured log lines for the
 * 系统日志 page (the rotating file keeps them too), `alerts` holds what the alert rules raised until
 * someone acknowledges it, and `notification_outbox` carries SMS / WeChat template / e-mail messages
 * to customers, suppliers and staff, written in the transaction of the event that causes them and
 * sent later by a dispatcher that claims rows with leases (like payment_orders' work leases).
 */
export class LogsOutboxAlerts1764500000000 implements MigrationInterface {
  name = 'LogsOutboxAlerts1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'system_logs',
        columns: [id, big('at'), str('level', 8), str('category', 16), str('event', 64), str('order_no', 64, { isNullable: true }), str('message', 1000), text('fields_json')],
        indices: [
          new TableIndex({ name: 'ix_logs_at', columnNames: ['at'] }),
          new TableIndex({ name: 'ix_logs_level_at', columnNames: ['level', 'at'] }),
          new TableIndex({ name: 'ix_logs_event_at', columnNames: ['event', 'at'] }),
          new TableIndex({ name: 'ix_logs_order', columnNames: ['order_no'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'alerts',
        columns: [
          id,
          str('kind', 32),
          str('level', 8),
          str('message', 500),
          big('first_at'),
          big('last_at'),
          { name: 'count', type: 'int' },
          str('open_key', 32, { isNullable: true }),
          { name: 'acknowledged_by', type: 'int', isNullable: true },
          str('acknowledged_by_name', 64, { isNullable: true }),
          big('acknowledged_at', { isNullable: true }),
          ...rowVersion,
        ],
        indices: [new TableIndex({ name: 'uq_alerts_open_key', columnNames: ['open_key'], isUnique: true }), new TableIndex({ name: 'ix_alerts_last_at', columnNames: ['last_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'notification_outbox',
        columns: [
          id,
          str('channel', 24),
          str('recipient', 128),
          str('template_code', 64),
          text('params_json'),
          str('status', 16),
          { name: 'attempts', type: 'int', default: 0 },
          big('next_attempt_at'),
          big('sent_at', { isNullable: true }),
          str('error', 500, { isNullable: true }),
          str('order_no', 64, { isNullable: true }),
          str('dedupe_key', 128, { isNullable: true }),
          str('provider_ref', 64, { isNullable: true }),
          big('created_at'),
          str('lease_owner', 64, { isNullable: true }),
          big('lease_until', { isNullable: true }),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_outbox_dedupe', columnNames: ['dedupe_key'], isUnique: true }),
          new TableIndex({ name: 'ix_outbox_status_next', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_outbox_order', columnNames: ['order_no'] }),
          new TableIndex({ name: 'ix_outbox_created', columnNames: ['created_at'] }),
        ],
      }),
    );
    for (const [role, permission] of [
      ['admin', 'logs:view'],
      ['auditor', 'logs:view'],
      ['admin', 'alerts:view'],
      ['accountant', 'alerts:view'],
      ['auditor', 'alerts:view'],
      ['admin', 'alerts:manage'],
      ['accountant', 'alerts:manage'],
      ['admin', 'notifications:view'],
      ['accountant', 'notifications:view'],
      ['auditor', 'notifications:view'],
    ])
      await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, [role, permission]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permissions WHERE permission IN ('logs:view', 'alerts:view', 'alerts:manage', 'notifications:view')`);
    for (const t of ['notification_outbox', 'alerts', 'system_logs']) await q.dropTable(t);
  }
}
