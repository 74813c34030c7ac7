import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Page } from '../../core/orders/order';
import { insertRows, int } from '../bulk-insert';
import { SystemLogEntity, type SystemLogRow } from '../entities/ops-entities';

export interface SystemLog {
  id: number;
  at: number;
  level: string;
  category: string;
  event: string;
  orderNo: string | null;
  message: string;
  fields: unknown;
}

export interface LogFilter {
  from?: number;
  to?: number;
  levels?: string[];
  categories?: string[];
  orderNo?: string;
  keyword?: string;
}

export interface NewLogRow {
  at: number;
  level: string;
  category: string;
  event: string;
  orderNo: string | null;
  message: string;
  fieldsJson: string;
}

const COLUMNS = ['at', 'level', 'category', 'event', 'order_no', 'message', 'fields_json'] as const;

function parseFields(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return {};
  }
}

const fromRow = (r: SystemLogRow): SystemLog => ({ id: int(r.id), at: int(r.at), level: r.level, category: r.category, event: r.event, orderNo: r.order_no, message: r.message, fields: parseFields(r.fields_json) });

/** `%` and `_` typed by a user are literal: `!` escapes them (the same ESCAPE clause works on SQLite and MySQL). */
export const likePattern = (s: string) => `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** The indexed copy of the structured logs (services/logs): bulk append, query, count, retention. */
export class LogRepository {
  constructor(private readonly em: EntityManager) {}

  async insertMany(rows: readonly NewLogRow[]): Promise<void> {
    if (!rows.length) return;
    await insertRows(this.em, 'system_logs', COLUMNS, rows.map((r) => [r.at, r.level, r.category, r.event, r.orderNo, r.message, r.fieldsJson]), 200);
  }

  private filtered(f: LogFilter, withLevels: boolean): SelectQueryBuilder<SystemLogRow> {
    const qb = this.em.createQueryBuilder(SystemLogEntity, 'l');
    if (f.from !== undefined) qb.andWhere('l.at >= :from', { from: f.from });
    if (f.to !== undefined) qb.andWhere('l.at < :to', { to: f.to });
    if (withLevels && f.levels?.length) qb.andWhere('l.level IN (:...levels)', { levels: f.levels });
    if (f.categories?.length) qb.andWhere('l.category IN (:...categories)', { categories: f.categories });
    if (f.orderNo) qb.andWhere('l.order_no = :orderNo', { orderNo: f.orderNo });
    if (f.keyword) qb.andWhere(`(l.message LIKE :kw ESCAPE '!' OR l.fields_json LIKE :kw ESCAPE '!' OR l.event LIKE :kw ESCAPE '!')`, { kw: likePattern(f.keyword) });
    return qb;
  }

  async list(f: LogFilter, page: number, pageSize: number): Promise<Page<SystemLog>> {
    const qb = this.filtered(f, true);
    const [rows, total] = await Promise.all([
      qb.clone().orderBy('l.at', 'DESC').addOrderBy('l.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getMany(),
      qb.clone().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>(),
    ]);
    return { items: rows.map(fromRow), total: Number(total?.n ?? 0), page, pageSize };
  }

  /** Entries per level under the same filter except the level itself (the level filter's badges). */
  async countsByLevel(f: LogFilter): Promise<Record<string, number>> {
    const rows = await this.filtered(f, false).select('l.level', 'level').addSelect('COUNT(*)', 'n').groupBy('l.level').getRawMany<{ level: string; n: number | string }>();
    return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
  }

  /**
   * How many entries of each event code fell in [from, to) (what the alert rules count). A
   * `notify.batch` line stands for the `count` notifications of its batch (PaymentMetrics.batchApplied).
   */
  async countEvents(events: readonly string[], from: number, to: number): Promise<Record<string, number>> {
    if (!events.length) return {};
    const rows = await this.em
      .createQueryBuilder(SystemLogEntity, 'l')
      .select('l.event', 'event')
      .addSelect("SUM(CASE WHEN l.event = 'notify.batch' THEN COALESCE(JSON_EXTRACT(l.fields_json, '$.count'), 1) ELSE 1 END)", 'n')
      .where('l.event IN (:...events) AND l.at >= :from AND l.at < :to', { events, from, to })
      .groupBy('l.event')
      .getRawMany<{ event: string; n: number | string }>();
    return Object.fromEntries(rows.map((r) => [r.event, Number(r.n)]));
  }

  async deleteBefore(at: number): Promise<number> {
    const res = await this.em.createQueryBuilder().delete().from(SystemLogEntity).where('at < :at', { at }).execute();
    return res.affected ?? 0;
  }
}
