import type { EntityManager } from 'typeorm';
import type { Page } from '../../core/orders/order';
import { int, intOrNull } from '../bulk-insert';
import { isUniqueViolation } from '../db-errors';
import { AlertEntity, type AlertRow } from '../entities/ops-entities';
import { ConcurrentUpdateError } from './concurrency';

export interface Alert {
  id: number;
  kind: string;
  level: 'warn' | 'error';
  message: string;
  firstAt: number;
  lastAt: number;
  count: number;
  acknowledgedBy: number | null;
  acknowledgedByName: string | null;
  acknowledgedAt: number | null;
  version: number;
}

const fromRow = (r: AlertRow): Alert => ({
  id: int(r.id),
  kind: r.kind,
  level: r.level === 'error' ? 'error' : 'warn',
  message: r.message,
  firstAt: int(r.first_at),
  lastAt: int(r.last_at),
  count: int(r.count),
  acknowledgedBy: intOrNull(r.acknowledged_by),
  acknowledgedByName: r.acknowledged_by_name,
  acknowledgedAt: intOrNull(r.acknowledged_at),
  version: int(r.version),
});

/**
 * Alerts raised by the rules (services/alerts). At most one open (unacknowledged) alert per kind —
 * enforced by the unique `open_key`, so two server instances evaluating at once cannot both open one.
 */
export class AlertRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  async findOpen(kind: string): Promise<Alert | null> {
    const qb = this.em.createQueryBuilder(AlertEntity, 'a').where('a.open_key = :kind', { kind });
    if (this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? fromRow(row) : null;
  }

  /** Opens an alert; false when another instance opened one of this kind first. */
  async open(a: { kind: string; level: 'warn' | 'error'; message: string; at: number }): Promise<boolean> {
    try {
      await this.em
        .createQueryBuilder()
        .insert()
        .into(AlertEntity)
        .values({ kind: a.kind, level: a.level, message: a.message.slice(0, 500), first_at: a.at, last_at: a.at, count: 1, open_key: a.kind, acknowledged_by: null, acknowledged_by_name: null, acknowledged_at: null, version: 1, updated_seq: this.nextSeq() })
        .execute();
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async repeat(a: Alert, patch: { level: 'warn' | 'error'; message: string; at: number }): Promise<void> {
    const res = await this.em
      .createQueryBuilder()
      .update(AlertEntity)
      .set({ level: patch.level, message: patch.message.slice(0, 500), last_at: patch.at, count: a.count + 1, version: a.version + 1, updated_seq: this.nextSeq() })
      .where('id = :id AND version = :version', { id: a.id, version: a.version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async find(id: number): Promise<Alert | null> {
    const row = await this.em.findOne(AlertEntity, { where: { id } });
    return row ? fromRow(row) : null;
  }

  async acknowledge(id: number, version: number, by: { id: number | null; name: string }, at: number): Promise<void> {
    const res = await this.em
      .createQueryBuilder()
      .update(AlertEntity)
      .set({ open_key: null, acknowledged_by: by.id, acknowledged_by_name: by.name.slice(0, 64), acknowledged_at: at, version: version + 1, updated_seq: this.nextSeq() })
      .where('id = :id AND version = :version AND open_key IS NOT NULL', { id, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async list(open: boolean | undefined, page: number, pageSize: number): Promise<Page<Alert>> {
    const qb = this.em.createQueryBuilder(AlertEntity, 'a');
    if (open === true) qb.where('a.open_key IS NOT NULL');
    if (open === false) qb.where('a.open_key IS NULL');
    const [rows, total] = await qb.orderBy('a.last_at', 'DESC').addOrderBy('a.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getManyAndCount();
    return { items: rows.map(fromRow), total, page, pageSize };
  }

  async countOpen(): Promise<number> {
    return this.em.createQueryBuilder(AlertEntity, 'a').where('a.open_key IS NOT NULL').getCount();
  }
}
