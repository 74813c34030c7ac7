import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str } from './table-helpers';

/**
 * 批量付款 (issue 7, design document 2.3, 2.4, 4.5): batch tasks and their items, one payee each.
 *
 * Each item carries its own transfer: the current attempt's request id (`transfer_no`, unique, saved
 * before the first send), the platform's answer, and the executor's lease (`lease_owner`,
 * `lease_until`, claimed with FOR UPDATE SKIP LOCKED so two server instances never work on the same
 * item). Accounts are stored in full (the transfer needs them) and shown masked.
 */
export class PayoutBatches1764800000000 implements MigrationInterface {
  name = 'PayoutBatches1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const nullableBig = (name: string) => big(name, { isNullable: true });
    await q.createTable(
      new Table({
        name: 'payout_batches',
        columns: [
          id, str('batch_no', 24), str('type', 16), str('title', 128), str('description', 512), str('source_kind', 24), str('source_ref', 64, { isNullable: true }),
          str('status', 24), { name: 'total_count', type: 'int' }, big('total_fen'), { name: 'created_by', type: 'int', isNullable: true }, str('created_by_name', 64),
          big('created_at'), nullableBig('submitted_at'), nullableBig('approved_at'), nullableBig('started_at'), nullableBig('paused_at'), nullableBig('finished_at'),
          nullableBig('cancelled_at'), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_payout_batches_no', columnNames: ['batch_no'], isUnique: true }),
          new TableIndex({ name: 'ix_payout_batches_status', columnNames: ['status', 'created_at'] }),
          new TableIndex({ name: 'ix_payout_batches_source', columnNames: ['source_kind', 'source_ref'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'payout_batch_items',
        columns: [
          id, { name: 'batch_id', type: 'int' }, { name: 'seq', type: 'int' }, str('payee_name', 64), str('channel', 16), str('account', 128), str('bank_name', 64),
          big('amount_fen'), str('remark', 64), str('contact_phone', 20), { name: 'employee_id', type: 'int', isNullable: true },
          { name: 'supplier_id', type: 'int', isNullable: true }, str('payable_ids', 1024), str('status', 24), { name: 'attempt', type: 'int', default: 1 },
          { name: 'tries', type: 'int', default: 0 }, str('transfer_no', 32, { isNullable: true }), str('platform_transfer_no', 64, { isNullable: true }),
          str('fail_reason', 256, { isNullable: true }), { name: 'retryable', type: 'int', isNullable: true }, big('next_at', { default: 0 }),
          nullableBig('confirm_expires_at'), nullableBig('sent_at'), nullableBig('finished_at'), str('arrival_rule', 8, { isNullable: true }),
          str('arrival_date', 10, { isNullable: true }), str('voucher_no', 20, { isNullable: true }), str('lease_owner', 96, { isNullable: true }),
          nullableBig('lease_until'), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_payout_batch_items_seq', columnNames: ['batch_id', 'seq'], isUnique: true }),
          // The request id of an attempt belongs to exactly one item, ever.
          new TableIndex({ name: 'uq_payout_batch_items_transfer', columnNames: ['transfer_no'], isUnique: true }),
          new TableIndex({ name: 'ix_payout_batch_items_work', columnNames: ['status', 'next_at'] }),
          new TableIndex({ name: 'ix_payout_batch_items_batch', columnNames: ['batch_id', 'status'] }),
          new TableIndex({ name: 'ix_payout_batch_items_payee', columnNames: ['account', 'channel'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('payout_batch_items');
    await q.dropTable('payout_batches');
  }
}
