import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str } from './table-helpers';

/**
 * 客户预定定金 and 餐费账单 (issue 4, design document 2.1 and 2.2): bookings with their deposit
 * order, meal bills of a stay with their items and invoice requests, and the permissions to work
 * them, granted here so that replaying history always yields the same roles.
 */
export class StaysAndBookings1764400000000 implements MigrationInterface {
  name = 'StaysAndBookings1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'bookings',
        columns: [
          id, str('booking_no', 32), str('payer_id', 64), str('guest_name', 64), str('service_type', 32), big('appointment_at'),
          big('total_fen'), big('deposit_fen'), { name: 'deposit_ratio_bp', type: 'int' }, str('status', 24), str('deposit_order_no', 32),
          str('note', 256), { name: 'created_by', type: 'int', isNullable: true }, big('created_at'),
          big('confirmed_at', { isNullable: true }), big('cancelled_at', { isNullable: true }), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_bookings_no', columnNames: ['booking_no'], isUnique: true }),
          new TableIndex({ name: 'ix_bookings_deposit_order', columnNames: ['deposit_order_no'] }),
          new TableIndex({ name: 'ix_bookings_status_created', columnNames: ['status', 'created_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'meal_bills',
        columns: [
          id, str('bill_no', 32), str('stay_no', 32), str('room_no', 16), str('payer_id', 64), str('guest_name', 64), str('status', 16),
          big('total_fen'), str('order_no', 32, { isNullable: true }), big('due_at', { isNullable: true }),
          { name: 'created_by', type: 'int', isNullable: true }, big('created_at'), big('paid_at', { isNullable: true }),
          big('cancelled_at', { isNullable: true }), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_meal_bills_no', columnNames: ['bill_no'], isUnique: true }),
          new TableIndex({ name: 'ix_meal_bills_stay', columnNames: ['stay_no', 'created_at'] }),
          new TableIndex({ name: 'ix_meal_bills_order', columnNames: ['order_no'] }),
          new TableIndex({ name: 'ix_meal_bills_status_due', columnNames: ['status', 'due_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'meal_bill_items',
        columns: [
          id, str('bill_no', 32), { name: 'line_no', type: 'int' }, str('service_date', 10), str('meal', 16), str('description', 128),
          { name: 'quantity', type: 'int' }, big('unit_price_fen'), big('amount_fen'), big('created_at'), ...rowVersion,
        ],
        indices: [new TableIndex({ name: 'uq_meal_bill_items_line', columnNames: ['bill_no', 'line_no'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'meal_bill_invoices',
        columns: [
          id, str('bill_no', 32), str('kind', 16), str('title_type', 16), str('title', 128), str('tax_id', 20), str('email', 128),
          str('postal_address', 256), str('recipient', 64), str('phone', 20), str('status', 16),
          { name: 'requested_by', type: 'int', isNullable: true }, big('requested_at'), ...rowVersion,
        ],
        // One invoice per bill: a second request for the same bill is refused by this key too.
        indices: [new TableIndex({ name: 'uq_meal_bill_invoices_bill', columnNames: ['bill_no'], isUnique: true })],
      }),
    );
    for (const role of ['admin', 'accountant', 'cashier'])
      for (const permission of ['booking:manage', 'mealbill:manage'])
        await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, [role, permission]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permissions WHERE permission IN ('booking:manage', 'mealbill:manage')`);
    for (const t of ['meal_bill_invoices', 'meal_bill_items', 'meal_bills', 'bookings']) await q.dropTable(t);
  }
}
