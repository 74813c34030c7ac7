import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str } from './table-helpers';

/**
 * The first schema. Written with TypeORM's Table API rather than raw DDL so the same file runs on
 * SQLite and MySQL/MariaDB. Append-only: never edit a migration that has shipped; add a new one.
 */
// The roles and grants as they were when this migration was written: later changes come in later
// migrations, so that re-running history always yields the same database.
const ROLES_AT_START: [string, string, string[]][] = [
  ['admin', '管理员', ['order:view', 'order:create', 'order:cancel', 'transaction:view', 'stats:view', 'audit:view', 'audit:verify', 'user:view', 'user:manage', 'settings:view', 'settings:manage']],
  ['accountant', '会计', ['order:view', 'order:create', 'order:cancel', 'transaction:view', 'stats:view', 'settings:view']],
  ['cashier', '出纳', ['order:view', 'order:create', 'order:cancel', 'transaction:view']],
  ['approver', '审批人', ['order:view', 'transaction:view', 'stats:view']],
  ['auditor', '审计', ['order:view', 'transaction:view', 'stats:view', 'audit:view', 'audit:verify', 'user:view', 'settings:view']],
];

export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          str('username', 64),
          str('display_name', 64),
          str('password_hash', 255),
          str('role', 32),
          { name: 'active', type: 'boolean', default: true },
          big('created_at'),
          ...rowVersion,
        ],
        indices: [new TableIndex({ name: 'uq_users_username', columnNames: ['username'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({ name: 'roles', columns: [str('code', 32, { isPrimary: true }), str('name', 64), ...rowVersion] }),
    );
    await q.createTable(
      new Table({
        name: 'role_permissions',
        columns: [str('role', 32, { isPrimary: true }), str('permission', 64, { isPrimary: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'payment_orders',
        columns: [
          id,
          str('order_no', 32),
          big('amount_fen'),
          big('paid_fen', { default: 0 }),
          big('refunded_fen', { default: 0 }),
          str('payment_method', 16),
          str('order_type', 32),
          str('status', 16),
          str('related_id', 64, { default: "''" }),
          str('description', 256, { default: "''" }),
          str('payer_id', 64, { default: "''" }),
          { name: 'created_by', type: 'int', isNullable: true },
          big('created_at'),
          big('expire_at'),
          big('paid_at', { isNullable: true }),
          big('cancelled_at', { isNullable: true }),
          str('cancel_reason', 16, { isNullable: true }),
          str('gateway_trade_no', 64, { isNullable: true }),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_orders_order_no', columnNames: ['order_no'], isUnique: true }),
          // The list screen filters by status and method within a period and sorts by time.
          new TableIndex({ name: 'ix_orders_status_method_created', columnNames: ['status', 'payment_method', 'created_at'] }),
          new TableIndex({ name: 'ix_orders_type_created', columnNames: ['order_type', 'created_at'] }),
          new TableIndex({ name: 'ix_orders_payer_created', columnNames: ['payer_id', 'created_at'] }),
          new TableIndex({ name: 'ix_orders_created', columnNames: ['created_at'] }),
          // The expiry scheduler looks for pending orders past their limit.
          new TableIndex({ name: 'ix_orders_status_expire', columnNames: ['status', 'expire_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'transactions',
        columns: [
          id,
          str('transaction_no', 32),
          str('order_no', 32),
          str('payment_method', 16),
          big('amount_fen'),
          str('status', 16),
          str('type', 16),
          str('gateway_trade_no', 64, { isNullable: true }),
          big('created_at'),
          big('updated_at'),
          ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_transactions_no', columnNames: ['transaction_no'], isUnique: true }),
          new TableIndex({ name: 'ix_transactions_order', columnNames: ['order_no', 'created_at'] }),
          new TableIndex({ name: 'ix_transactions_status_created', columnNames: ['status', 'created_at'] }),
          new TableIndex({ name: 'ix_transactions_created', columnNames: ['created_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          big('seq', { isPrimary: true }),
          big('at'),
          { name: 'actor_id', type: 'int', isNullable: true },
          str('actor_name', 64),
          str('action', 64),
          str('entity_type', 32),
          str('entity_id', 64),
          { name: 'before_json', type: 'text', isNullable: true },
          { name: 'after_json', type: 'text', isNullable: true },
          str('prev_hash', 64),
          str('hash', 64),
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_at', columnNames: ['at'] }),
          new TableIndex({ name: 'ix_audit_actor_at', columnNames: ['actor_id', 'at'] }),
          new TableIndex({ name: 'ix_audit_action_at', columnNames: ['action', 'at'] }),
          new TableIndex({ name: 'ix_audit_entity', columnNames: ['entity_type', 'entity_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_head',
        columns: [{ name: 'id', type: 'int', isPrimary: true }, big('seq'), str('hash', 64), ...rowVersion],
      }),
    );
    await q.createTable(
      new Table({
        name: 'settings',
        columns: [str('key', 64, { isPrimary: true }), { name: 'value_json', type: 'text' }, big('updated_at'), ...rowVersion],
      }),
    );

    await q.query(`INSERT INTO audit_head (id, seq, hash, version, updated_seq) VALUES (1, 0, ?, 1, 0)`, ['0'.repeat(64)]);
    for (const [role, name, permissions] of ROLES_AT_START) {
      await q.query(`INSERT INTO roles (code, name, version, updated_seq) VALUES (?, ?, 1, 0)`, [role, name]);
      for (const permission of permissions) await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, [role, permission]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['settings', 'audit_head', 'audit_log', 'transactions', 'payment_orders', 'role_permissions', 'roles', 'users'])
      await q.dropTable(t);
  }
}
