import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { str } from './table-helpers';

/** Rows per batch of the platform-number backfill. */
const BACKFILL = 1000;

/**
 * Indexes for the reconciliation benchmark's two measured paths (issue 6, bench/RESULTS.md
 * "§ Reconciliation vs DuckDB"):
 *
 * - The day's side of a run reads the orders of a channel paid that day and their payment
 *   transactions (ReconRecordsRepository.paidPayments). `ix_orders_method_paid` becomes
 *   `ix_orders_method_paid_no` with `order_no` added, and `ix_transactions_order_payment` covers the
 *   join (order_no, type → status, amount_fen; the id comes with every index): a million-order day is
 *   two index range scans, no row lookups. On MariaDB that took the server's part of the day from
 *   3.3 s to 1.4 s of CPU (bench, 1,000,000 orders, 128 MiB buffer pool).
 * - The 对账工作台's difference table (ReconDiffRepository.listDiffs) on a run with 100,000 differences:
 *   a difference row carries both sides' snapshots (kilobytes), so every filter, sort and search
 *   column of the table is in `ix_recon_diffs_list`, led by the run: the count and the page's ids are
 *   read from the index alone and only the page's 50 rows from the table. The platform numbers a
 *   search matches were inside `platform_json`; they get a column of their own, `platform_nos`
 *   (`|n1|n2|`), filled for the rows already there.
 */
export class ReconIndexes1764820000000 implements MigrationInterface {
  name = 'ReconIndexes1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('payment_orders', 'ix_orders_method_paid');
    await q.createIndex('payment_orders', new TableIndex({ name: 'ix_orders_method_paid_no', columnNames: ['payment_method', 'paid_at', 'order_no'] }));
    await q.createIndex('transactions', new TableIndex({ name: 'ix_transactions_order_payment', columnNames: ['order_no', 'type', 'status', 'amount_fen'] }));

    await q.addColumn('recon_diffs', new TableColumn(str('platform_nos', 255, { default: "''" })));
    for (let after = 0; ; ) {
      const rows = (await q.query(`SELECT id, platform_json FROM recon_diffs WHERE id > ? ORDER BY id LIMIT ${BACKFILL}`, [after])) as { id: number | string; platform_json: string }[];
      if (!rows.length) break;
      for (const r of rows) {
        const nos = (JSON.parse(r.platform_json) as { platformNo: string | null }[]).map((p) => p.platformNo);
        await q.query(`UPDATE recon_diffs SET platform_nos = ? WHERE id = ?`, [platformNos(nos), r.id]);
      }
      after = Number(rows[rows.length - 1]!.id);
    }
    await q.createIndex(
      'recon_diffs',
      new TableIndex({ name: 'ix_recon_diffs_list', columnNames: ['run_id', 'status', 'diff_type', 'kind', 'assignee_id', 'amount_fen', 'bill_date', 'match_key', 'order_no', 'platform_nos'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('recon_diffs', 'ix_recon_diffs_list');
    await q.dropColumn('recon_diffs', 'platform_nos');
    await q.dropIndex('transactions', 'ix_transactions_order_payment');
    await q.dropIndex('payment_orders', 'ix_orders_method_paid_no');
    await q.createIndex('payment_orders', new TableIndex({ name: 'ix_orders_method_paid', columnNames: ['payment_method', 'paid_at'] }));
  }
}

/** `|n1|n2|`: every platform number of a difference, searchable by prefix as `%|<prefix>%`; cut at a whole number to fit 255. */
function platformNos(nos: readonly (string | null)[]): string {
  let out = '|';
  for (const n of nos) {
    if (!n) continue;
    if (out.length + n.length + 1 > 255) break;
    out += `${n}|`;
  }
  return out === '|' ? '' : out;
}
