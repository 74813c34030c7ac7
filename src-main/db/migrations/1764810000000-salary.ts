import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str } from './table-helpers';

/**
 * 员工薪资发放 (issue 7, design document 2.3) and the supplier batches drafted by contract payment
 * terms (2.4.3):
 *  - `employees`: the payee of each salary, with the channel and account the employee chose (stored
 *    in full for the transfer, masked on every screen, revealed only through the audited reveal);
 *  - `salary_sheets`: one 薪资表 per month with its status, totals, who submitted / reviewed it and
 *    the 批量付款 drafted from it; `salary_lines`: one line per employee per month with every part of
 *    the calculation and the line's payout status, linked to its batch item;
 *  - `supplier_term_runs`: one row per day the supplier batch was drafted automatically (the unique
 *    date is what keeps two server instances from drafting it twice);
 *    `supplier_term_allocations`: the amount of each payable a supplier batch holds (reserved on the
 *    payable), paid or given back when its batch item settles.
 * Workload units are thousandths of a unit and rates hundredths of a fen (core/salary/salary-calc.ts).
 */
export class Salary1764810000000 implements MigrationInterface {
  name = 'Salary1764810000000';

  async up(q: QueryRunner): Promise<void> {
    const by = (name: string) => ({ name, type: 'int', isNullable: true });
    const int = (name: string, extra: object = {}) => ({ name, type: 'int', ...extra });
    await q.createTable(
      new Table({
        name: 'employees',
        columns: [
          id, str('employee_no', 32), str('name', 64), str('department', 64), str('payee_channel', 16), str('account', 128), str('bank_name', 64),
          str('phone', 20), big('base_fen'), big('rate_cfen'), int('active', { default: 1 }), by('created_by'), big('created_at'), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_employees_no', columnNames: ['employee_no'], isUnique: true }),
          new TableIndex({ name: 'ix_employees_name', columnNames: ['name'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'salary_sheets',
        columns: [
          id, str('month', 7), str('status', 24), int('line_count', { default: 0 }), big('gross_fen', { default: 0 }), big('deduction_fen', { default: 0 }),
          big('net_fen', { default: 0 }), by('submitted_by'), str('submitted_by_name', 64, { isNullable: true }), big('submitted_at', { isNullable: true }),
          by('reviewed_by'), str('reviewed_by_name', 64, { isNullable: true }), big('reviewed_at', { isNullable: true }), str('review_comment', 256, { isNullable: true }),
          int('batch_id', { isNullable: true }), str('batch_no', 32, { isNullable: true }), big('batch_drafted_at', { isNullable: true }),
          str('batch_drafted_by_name', 64, { isNullable: true }), int('auto_drafted', { default: 0 }),
          // Lines by payout status, kept under the sheet's row lock as items settle: the sheet's status follows from them.
          int('skipped_count', { default: 0 }), int('in_batch_count', { default: 0 }), int('paid_count', { default: 0 }), int('failed_count', { default: 0 }),
          int('cancelled_count', { default: 0 }), big('created_at'), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_salary_sheets_month', columnNames: ['month'], isUnique: true }),
          new TableIndex({ name: 'ix_salary_sheets_status', columnNames: ['status'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'salary_lines',
        columns: [
          id, str('month', 7), int('employee_id'), big('base_fen'), big('units_milli'), big('rate_cfen'), big('workload_fen'), big('allowance_fen'),
          big('deduction_fen'), big('gross_fen'), big('net_fen'), str('remark', 128), str('payout_status', 16), int('batch_id', { isNullable: true }),
          str('batch_no', 32, { isNullable: true }), int('batch_item_id', { isNullable: true }), big('paid_at', { isNullable: true }),
          str('fail_reason', 256, { isNullable: true }), int('payslip_outbox_id', { isNullable: true }), by('updated_by'), str('updated_by_name', 64),
          big('updated_at'), big('created_at'), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_salary_lines_month_employee', columnNames: ['month', 'employee_id'], isUnique: true }),
          new TableIndex({ name: 'ix_salary_lines_employee', columnNames: ['employee_id', 'month'] }),
          new TableIndex({ name: 'ix_salary_lines_batch', columnNames: ['batch_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'supplier_term_runs',
        columns: [
          id, str('run_date', 10), int('batch_id', { isNullable: true }), str('batch_no', 32, { isNullable: true }), int('line_count', { default: 0 }),
          big('amount_fen', { default: 0 }), big('created_at'), ...rowVersion,
        ],
        indices: [new TableIndex({ name: 'uq_supplier_term_runs_date', columnNames: ['run_date'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'supplier_term_allocations',
        columns: [
          id, int('batch_id'), str('batch_no', 32), int('payable_id'), int('supplier_id'), big('amount_fen'), str('status', 16),
          big('settled_at', { isNullable: true }), big('created_at'), ...rowVersion,
        ],
        indices: [
          new TableIndex({ name: 'uq_supplier_term_alloc', columnNames: ['batch_id', 'payable_id'], isUnique: true }),
          new TableIndex({ name: 'ix_supplier_term_alloc_payable', columnNames: ['payable_id', 'status'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['supplier_term_allocations', 'supplier_term_runs', 'salary_lines', 'salary_sheets', 'employees']) await q.dropTable(t);
  }
}
