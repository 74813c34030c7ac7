import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str } from './table-helpers';

/**
 * 供应商付款 (issue 5, design document 2.4): suppliers and their payee accounts, payables (应付款),
 * payment orders (付款单) with the payables they pay, and payment vouchers (付款凭证) for every kind
 * of money out, numbered per year without gaps through `voucher_counters`.
 *
 * Account numbers are stored in full (the transfer needs them); every screen and the voucher get them
 * masked, and the full value is read only through the audited reveal.
 */
export class Suppliers1764630000000 implements MigrationInterface {
  name = 'Suppliers1764630000000';

  async up(q: QueryRunner): Promise<void> {
    const by = (name: string) => ({ name, type: 'int', isNullable: true });
    await q.createTable(
      new Table({
        name: 'suppliers',
        columns: [
          id, str('name', 128), str('payee_channel', 16), str('bank_name', 64), str('bank_branch', 128), str('account_no', 40), str('account_name', 128),
          str('wechat_openid', 64), str('alipay_login', 128), str('contact_phone', 20), { name: 'payment_term_days', type: 'int' },
          { name: 'active', type: 'int', default: 1 }, by('created_by'), big('created_at'), ...rowVersion,
        ],
        indices: [new TableIndex({ name: 'uq_suppliers_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'payables',
        columns: [
          id, { name: 'supplier_id', type: 'int' }, str('reference_no', 64), str('description', 256), big('amount_fen'), big('paid_fen'), big('reserved_fen'),
          str('invoice_date', 10), str('due_date', 10), str('status', 16), by('created_by'), big('created_at'), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_payables_supplier_ref', columnNames: ['supplier_id', 'reference_no'], isUnique: true }),
          new TableIndex({ name: 'ix_payables_status_due', columnNames: ['status', 'due_date'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'supplier_payments',
        columns: [
          id, str('payment_no', 32), { name: 'supplier_id', type: 'int' }, str('status', 24), big('amount_fen'), str('purpose', 128),
          // The payee as approved: later edits of the supplier do not redirect an approved payment.
          str('payee_channel', 16, { isNullable: true }), str('payee_account', 128, { isNullable: true }), str('payee_name', 128, { isNullable: true }),
          str('payee_bank', 200, { isNullable: true }),
          // Saved before the first send and reused on every resend of that attempt; a new attempt only after a definite failure.
          str('transfer_no', 40, { isNullable: true }), { name: 'attempt', type: 'int', default: 0 }, str('platform_transfer_no', 64, { isNullable: true }),
          str('transfer_state', 24, { isNullable: true }), str('fail_reason', 256, { isNullable: true }), { name: 'retryable', type: 'int', isNullable: true },
          str('voucher_no', 20, { isNullable: true }), by('created_by'), str('created_by_name', 64), big('created_at'), big('submitted_at', { isNullable: true }),
          big('approved_at', { isNullable: true }), big('sent_at', { isNullable: true }), big('finished_at', { isNullable: true }),
          big('next_check_at', { isNullable: true }), str('lease_owner', 96, { isNullable: true }), big('lease_until', { isNullable: true }), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_supplier_payments_no', columnNames: ['payment_no'], isUnique: true }),
          new TableIndex({ name: 'uq_supplier_payments_transfer', columnNames: ['transfer_no'], isUnique: true }),
          new TableIndex({ name: 'ix_supplier_payments_work', columnNames: ['status', 'next_check_at'] }),
          new TableIndex({ name: 'ix_supplier_payments_supplier', columnNames: ['supplier_id', 'created_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'supplier_payment_payables',
        columns: [id, str('payment_no', 32), { name: 'payable_id', type: 'int' }, big('amount_fen'), ...rowVersion],
        indices: [
          new TableIndex({ name: 'uq_supplier_payment_payables', columnNames: ['payment_no', 'payable_id'], isUnique: true }),
          new TableIndex({ name: 'ix_supplier_payment_payables_payable', columnNames: ['payable_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'vouchers',
        columns: [
          id, str('voucher_no', 20), { name: 'year', type: 'int' }, { name: 'seq', type: 'int' }, str('kind', 24), str('subject_id', 40), str('payer_name', 128),
          str('payee_name', 128), str('payee_channel', 16), str('payee_account', 128), str('payee_bank', 200), big('amount_fen'), str('purpose', 256),
          str('reference_no', 64), big('issued_at'), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_vouchers_no', columnNames: ['voucher_no'], isUnique: true }),
          new TableIndex({ name: 'uq_vouchers_year_seq', columnNames: ['year', 'seq'], isUnique: true }),
          // One voucher per paid subject: issuing twice (a replayed notification) returns the first.
          new TableIndex({ name: 'uq_vouchers_subject', columnNames: ['kind', 'subject_id'], isUnique: true }),
          new TableIndex({ name: 'ix_vouchers_issued', columnNames: ['issued_at'] }),
        ],
      }),
    );
    // One row per year, locked while a number is drawn: numbers are sequential and a rolled-back payment leaves no gap.
    await q.createTable(new Table({ name: 'voucher_counters', columns: [{ name: 'year', type: 'int', isPrimary: true }, { name: 'last_seq', type: 'int' }] }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['voucher_counters', 'vouchers', 'supplier_payment_payables', 'supplier_payments', 'payables', 'suppliers']) await q.dropTable(t);
  }
}
