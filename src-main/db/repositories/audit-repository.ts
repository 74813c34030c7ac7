import type { EntityManager } from 'typeorm';
import { type AuditContent } from '../../core/audit/audit-record';
import type { Page } from '../../core/orders/order';
import { AuditEntity, AuditHeadEntity, type AuditRow } from '../entities/audit-entity';

export interface AuditEntry extends AuditContent {
  hash: string;
}

export interface AuditFilter {
  from?: number;
  to?: number;
  actorId?: number;
  action?: string;
  entityId?: string;
}

/** Keyed hash of an entry's canonical content; supplied by security/audit-chain. */
export type AuditHasher = (content: AuditContent) => string;

export interface AuditInput {
  actorId: number | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  before: string | null;
  after: string | null;
}

function fromRow(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before_json,
    after: r.after_json,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export class AuditRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: AuditHasher,
    private readonly lockRows: boolean,
    private readonly nextSeq: () => number,
  ) {}

  /**
   * Appends one entry to the chain. The head row is locked for the rest of the transaction, so two
   * writers on MySQL cannot both link to the same predecessor; on SQLite the writer lock does that.
   */
  async append(input: AuditInput, at: number): Promise<AuditEntry> {
    const qb = this.em.createQueryBuilder(AuditHeadEntity, 'h').where('h.id = 1');
    if (this.lockRows) qb.setLock('pessimistic_write');
    const head = await qb.getOneOrFail();
    const content: AuditContent = { ...input, seq: head.seq + 1, at, prevHash: head.hash };
    const hash = this.hasher(content);
    await this.em
      .createQueryBuilder()
      .insert()
      .into(AuditEntity)
      .values({
        seq: content.seq,
        at,
        actor_id: input.actorId,
        actor_name: input.actorName,
        action: input.action,
        entity_type: input.entityType,
        entity_id: input.entityId,
        before_json: input.before,
        after_json: input.after,
        prev_hash: head.hash,
        hash,
      })
      .execute();
    await this.em
      .createQueryBuilder()
      .update(AuditHeadEntity)
      .set({ seq: content.seq, hash, version: head.version + 1, updated_seq: this.nextSeq() })
      .where('id = 1')
      .execute();
    return { ...content, hash };
  }

  async list(f: AuditFilter, page: number, pageSize: number): Promise<Page<AuditEntry>> {
    const qb = this.em.createQueryBuilder(AuditEntity, 'a');
    if (f.from !== undefined) qb.andWhere('a.at >= :from', { from: f.from });
    if (f.to !== undefined) qb.andWhere('a.at < :to', { to: f.to });
    if (f.actorId !== undefined) qb.andWhere('a.actor_id = :actorId', { actorId: f.actorId });
    if (f.action) qb.andWhere('a.action = :action', { action: f.action });
    if (f.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: f.entityId });
    const [rows, count] = await Promise.all([
      qb.clone().orderBy('a.seq', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getMany(),
      qb.clone().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>(),
    ]);
    return { items: rows.map(fromRow), total: Number(count?.n ?? 0), page, pageSize };
  }

  async forEntity(entityType: string, entityId: string): Promise<AuditEntry[]> {
    const rows = await this.em
      .createQueryBuilder(AuditEntity, 'a')
      .where('a.entity_type = :entityType AND a.entity_id = :entityId', { entityType, entityId })
      .orderBy('a.seq', 'ASC')
      .getMany();
    return rows.map(fromRow);
  }

  /** Entries with seq > afterSeq in chain order, for verification in chunks. */
  async chunk(afterSeq: number, size: number): Promise<AuditEntry[]> {
    const rows = await this.em.createQueryBuilder(AuditEntity, 'a').where('a.seq > :afterSeq', { afterSeq }).orderBy('a.seq', 'ASC').limit(size).getMany();
    return rows.map(fromRow);
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const h = await this.em.findOneByOrFail(AuditHeadEntity, { id: 1 });
    return { seq: h.seq, hash: h.hash };
  }

  async actions(): Promise<string[]> {
    const rows = await this.em.createQueryBuilder(AuditEntity, 'a').select('DISTINCT a.action', 'action').orderBy('a.action').getRawMany<{ action: string }>();
    return rows.map((r) => r.action);
  }
}
