import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATA_DIR, ensureMysqlFixture, ensureSqliteFixture, FIXTURE } from './fixture';
import type { FixtureNote } from './report';

/**
 * Builds (or checks) the million-order fixtures. run.ts starts this in a child process, so the
 * heap churned by generating a million orders is gone before anything is timed.
 *   --sqlite PATH  --mysql BASE_URL --database NAME  --rebuild  --out FILE (JSON FixtureNote[])
 */
const { values } = parseArgs({
  options: {
    sqlite: { type: 'string' },
    mysql: { type: 'string' },
    database: { type: 'string', default: 'pay_bench' },
    rebuild: { type: 'boolean', default: false },
    out: { type: 'string', default: join(DATA_DIR, 'fixtures.json') },
  },
});
const notes: FixtureNote[] = [];
if (values.sqlite) {
  const f = await ensureSqliteFixture(values.sqlite, FIXTURE, values.rebuild);
  notes.push({ store: 'SQLite', where: '`bench/.data/orders-1m.sqlite`', built: f.built, buildSeconds: f.buildSeconds });
}
if (values.mysql) {
  const f = await ensureMysqlFixture(values.mysql, values.database, FIXTURE, values.rebuild);
  notes.push({ store: 'MariaDB', where: `database \`${values.database}\``, built: f.built, buildSeconds: f.buildSeconds });
}
writeFileSync(values.out, JSON.stringify(notes));
