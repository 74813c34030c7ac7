import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, id, rowVersion, str, text } from './table-helpers';

/**
 * The desktop's offline cache of the central store (ARCHITECTURE.md, connected mode; issue 6,
 * differences workflow). The cache is a SQLite file with the same schema as every store, so the
 * reconciliation tables it mirrors are read by the same repository; these two tables are its own.
 * The same migration set runs on MySQL, where they simply stay empty.
 *
 * - `offline_outbox`: edits of 对账差异 made while the central store could not be reached, in the
 *   order they were made, each with the difference as its author saw it (`seen_json`, including
 *   the version). Sent when the connection is back; one that conflicts stays here (`state`
 *   conflict, the server's version in `theirs_json`) until its author keeps it or drops it.
 * - `offline_scopes`: what the desktop mirrors and how far: the run list, and the days (channel and
 *   date range) whose differences were opened, each with its `updated_seq` cursors.
 */
export class OfflineOutbox1764830000000 implements MigrationInterface {
  name = 'OfflineOutbox1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'offline_outbox',
        columns: [
          id,
          { name: 'author_id', type: 'int', isNullable: true },
          str('author_name', 64),
          { name: 'diff_id', type: 'int' },
          str('edit_kind', 16),
          text('edit_json'),
          text('seen_json'),
          str('state', 12),
          text('theirs_json', { isNullable: true }),
          str('conflict_message', 1000, { isNullable: true }),
          big('created_at'),
          big('updated_at'),
          ...rowVersion,
        ],
        indices: [new TableIndex({ name: 'ix_offline_outbox_diff', columnNames: ['diff_id', 'id'] }), new TableIndex({ name: 'ix_offline_outbox_author', columnNames: ['author_id', 'state'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'offline_scopes',
        columns: [
          id,
          str('scope_key', 64),
          str('channel', 16, { isNullable: true }),
          str('date_from', 10, { isNullable: true }),
          str('date_to', 10, { isNullable: true }),
          big('row_seq', { default: 0 }),
          big('note_seq', { default: 0 }),
          big('adjustment_seq', { default: 0 }),
          big('opened_at'),
          big('refreshed_at', { isNullable: true }),
          ...rowVersion,
        ],
        indices: [new TableIndex({ name: 'uq_offline_scopes_key', columnNames: ['scope_key'], isUnique: true })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('offline_scopes');
    await q.dropTable('offline_outbox');
  }
}
