import Database from 'better-sqlite3';
import type { App } from '../src-main/app';
import { OrderEntity } from '../src-main/db/entities/order-entity';
import { orderFromRow } from '../src-main/db/repositories/order-repository';
import { captureOurSql, type ListCase } from './list-bench';
import { percentile } from './measure';

/**
 * Where our layer's time goes on SQLite, beyond the SQL itself. The query builder below mirrors
 * OrderRepository.list (same filters, same order, same paging) so each step can be timed alone.
 */
export interface SqliteOverhead {
  /** Building both statements with the query builder (p50, ms). */
  buildMs: number;
  /** getMany() + orderFromRow versus getRawMany() on the same page query (p50 of the difference, ms). */
  hydrateMs: number;
  /** Preparing TypeORM's page statement on a cold statement cache (p50, ms). */
  prepareMs: number;
  /** Distinct SQL texts among the cases: TypeORM inlines numbers (time bounds, LIMIT/OFFSET) on SQLite. */
  distinctPageSql: number;
  cases: number;
  /** TypeORM's statement cache size on better-sqlite3 (`statementCacheSize`, default 100). */
  statementCacheSize: number;
}

export async function analyseSqliteOverhead(app: App, path: string, cases: ListCase[]): Promise<SqliteOverhead> {
  const ds = app.store.dataSource;
  const filtered = (c: ListCase) =>
    ds
      .createQueryBuilder(OrderEntity, 'o')
      .andWhere('o.status IN (:...statuses)', { statuses: c.filter.statuses })
      .andWhere('o.payment_method IN (:...methods)', { methods: c.filter.methods })
      .andWhere('o.created_at >= :createdFrom', { createdFrom: c.filter.createdFrom })
      .andWhere('o.created_at < :createdTo', { createdTo: c.filter.createdTo });
  const pageQuery = (c: ListCase) =>
    filtered(c)
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .offset((c.page.page - 1) * c.page.pageSize)
      .limit(c.page.pageSize);

  const build: number[] = [];
  const hydrate: number[] = [];
  for (const c of cases) {
    let t0 = performance.now();
    pageQuery(c).getQueryAndParameters();
    filtered(c).select('COUNT(*)', 'n').getQueryAndParameters();
    build.push(performance.now() - t0);
    t0 = performance.now();
    (await pageQuery(c).getMany()).map(orderFromRow);
    const full = performance.now() - t0;
    t0 = performance.now();
    await pageQuery(c).getRawMany();
    hydrate.push(full - (performance.now() - t0));
  }

  const texts = new Set<string>();
  for (const c of cases) texts.add(pageQuery(c).getQueryAndParameters()[0]);
  const [pageSql] = await captureOurSql(app, cases[0] as ListCase);
  const db = new Database(path, { readonly: true });
  const prepare: number[] = [];
  try {
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      db.prepare(pageSql?.sql ?? 'SELECT 1');
      prepare.push(performance.now() - t0);
    }
  } finally {
    db.close();
  }
  const options = ds.options as { statementCacheSize?: number };
  return {
    buildMs: percentile(build, 50),
    hydrateMs: percentile(hydrate, 50),
    prepareMs: percentile(prepare, 50),
    distinctPageSql: texts.size,
    cases: cases.length,
    statementCacheSize: options.statementCacheSize ?? 100,
  };
}
