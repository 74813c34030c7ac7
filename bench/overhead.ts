import Database from 'better-sqlite3';
import type { App } from '../src-main/app';
import { OrderEntity, type OrderRow } from '../src-main/db/entities/order-entity';
import { orderFromRow } from '../src-main/db/repositories/order-repository';
import { captureOurSql, type ListCase } from './list-bench';
import { percentile } from './measure';
import { ORDER_COLUMNS } from './order-rows';

/**
 * Where our layer's time goes on SQLite, beyond the SQL itself. The query builder below mirrors
 * OrderRepository.list (same filters, same explicit column list, same order, same paging, read with
 * getRawMany and mapped straight into the domain type) so each step can be timed alone.
 */
export interface SqliteOverhead {
  /** Building both statements with the query builder (p50, ms). */
  buildMs: number;
  /**
   * Running both statements through TypeORM (getRawMany + getRawOne: building, query runner,
   * statement cache) minus the bare driver running the same SQL texts on statements prepared in
   * advance (p50 of the per-case difference, ms).
   */
  typeormMs: number;
  /** Mapping the 50 raw rows into domain `Order`s (unprefix + orderFromRow, p50, ms). */
  mapMs: number;
  /** Preparing TypeORM's page statement on a cold statement cache (p50, ms). */
  prepareMs: number;
  /** Distinct SQL texts among the cases: TypeORM inlines numbers (time bounds, LIMIT/OFFSET) on SQLite. */
  distinctPageSql: number;
  cases: number;
  /** TypeORM's statement cache size on better-sqlite3 (`statementCacheSize`, default 100). */
  statementCacheSize: number;
}

/** As in OrderRepository.list: raw selects come back as `o_<column>`. */
function unprefix(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in r) out[k.startsWith('o_') ? k.slice(2) : k] = r[k];
  return out;
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
      .select(ORDER_COLUMNS.map((col) => `o.${col}`))
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .offset((c.page.page - 1) * c.page.pageSize)
      .limit(c.page.pageSize);
  const countQuery = (c: ListCase) => filtered(c).select('COUNT(*)', 'n');

  const db = new Database(path, { readonly: true });
  const build: number[] = [];
  const typeorm: number[] = [];
  const map: number[] = [];
  const prepare: number[] = [];
  const texts = new Set<string>();
  try {
    for (const [i, c] of cases.entries()) {
      let t0 = performance.now();
      const [pageSql, pageParams] = pageQuery(c).getQueryAndParameters();
      const [countSql, countParams] = countQuery(c).getQueryAndParameters();
      build.push(performance.now() - t0);
      texts.add(pageSql);

      // The bare driver on the very SQL texts TypeORM sends, prepared outside the timing.
      const barePage = db.prepare(pageSql);
      const bareCount = db.prepare(countSql);
      const viaTypeorm = async () => {
        const s = performance.now();
        const rows = await pageQuery(c).getRawMany<Record<string, unknown>>();
        await countQuery(c).getRawOne();
        return { ms: performance.now() - s, rows };
      };
      const bare = () => {
        const s = performance.now();
        barePage.all(...pageParams);
        bareCount.get(...countParams);
        return performance.now() - s;
      };
      let ours: { ms: number; rows: Record<string, unknown>[] };
      let raw: number;
      if (i % 2 === 0) {
        ours = await viaTypeorm();
        raw = bare();
      } else {
        raw = bare();
        ours = await viaTypeorm();
      }
      typeorm.push(ours.ms - raw);

      t0 = performance.now();
      ours.rows.map((r) => orderFromRow(unprefix(r) as unknown as OrderRow));
      map.push(performance.now() - t0);
    }

    const [pageSql] = await captureOurSql(app, cases[0] as ListCase);
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
    typeormMs: percentile(typeorm, 50),
    mapMs: percentile(map, 50),
    prepareMs: percentile(prepare, 50),
    distinctPageSql: texts.size,
    cases: cases.length,
    statementCacheSize: options.statementCacheSize ?? 100,
  };
}
