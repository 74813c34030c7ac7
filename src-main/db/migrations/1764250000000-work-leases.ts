import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Leases on orders for the server's scheduled work (closing overdue orders, querying unpaid ones).
 * Several server instances share one MySQL: an instance claims rows with SELECT … FOR UPDATE SKIP
 * LOCKED and marks them leased for a while, so no two instances work on the same order; a crashed
 * instance's leases simply run out. Not an in-process lock (ARCHITECTURE.md, hosts/server.ts).
 */
export class WorkLeases1764250000000 implements MigrationInterface {
  name = 'WorkLeases1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('payment_orders', [
      new TableColumn({ name: 'lease_owner', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'lease_until', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'last_synced_at', type: 'bigint', isNullable: true }),
    ]);
    await q.createIndex('payment_orders', new TableIndex({ name: 'ix_orders_lease_owner', columnNames: ['lease_owner'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('payment_orders', 'ix_orders_lease_owner');
    await q.dropColumns('payment_orders', ['lease_owner', 'lease_until', 'last_synced_at']);
  }
}
