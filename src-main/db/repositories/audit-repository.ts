import type { EntityManager } from 'typeorm';
import { type AuditContent } from '../../core/audit/audit-record';
import type { Page } from '../../core/orders/order';
import { insertRows, int } from '../bulk-insert';
import { execute } from '../bulk-update';
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

const AUDIT_COLUMNS = ['seq', 'at', 'actor_id', 'actor_name', 'action', 'entity_type', 'entity_id', 'before_json', 'after_json', 'prev_hash', 'hash'] as const;

export class AuditRepository {
  /** Entries of this unit of work not yet linked into the chain (only when `deferred`). */
  private pending: { input: AuditInput; at: number }[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly hasher: AuditHasher,
    private readonly lockRows: boolean,
    private readonly nextSeq: () => number,
    /**
     * Inside a store transaction: entries are kept until `flush`, which the store calls right before
     * COMMIT. The chain head's row lock is then taken as the transaction's last step and held only
     * for one INSERT and one UPDATE, instead of from the first audited change to the end.
     */
    private readonly deferred = false,
    /** Tx.defer, for `flush(true)`. */
    private readonly defer?: (write: Promise<unknown>) => void,
  ) {}

  /**
   * Adds one entry to the chain, in the order of the calls. Deferred (in a transaction) it is linked
   * and written by `flush` at the end of the transaction; otherwise at once.
   */
  async append(input: AuditInput, at: number): Promise<void> {
    this.pending.push({ input, at });
    if (!this.deferred) await this.flush();
  }

  /**
   * Links the pending entries to the chain head and writes them: the head row is locked (on MySQL
   * until the transaction ends, so two writers cannot both link to the same predecessor; on SQLite
   * the writer lock does that), the entries go in one multi-row INSERT, the head is moved once.
   * `pipelined` (the store's last step before COMMIT): both are sent without waiting (Tx.defer) and
   * the store waits for them before COMMIT; otherwise they have answered when this returns.
   */
  async flush(pipelined = false): Promise<void> {
    if (!this.pending.length) return;
    const entries = this.pending;
    this.pending = [];
    const [head] = (await this.em.query(`SELECT seq, hash, version FROM audit_head WHERE id = 1${this.lockRows ? ' FOR UPDATE' : ''}`)) as { seq: unknown; hash: string; version: unknown }[];
    if (!head) throw new Error('audit_head row missing');
    let prevHash = head.hash;
    let seq = int(head.seq);
    const rows: unknown[][] = [];
    for (const { input, at } of entries) {
      const content: AuditContent = { ...input, seq: ++seq, at, prevHash };
      const hash = this.hasher(content);
      rows.push([seq, at, input.actorId, input.actorName, input.action, input.entityType, input.entityId, input.before, input.after, prevHash, hash]);
      prevHash = hash;
    }
    // Raw statements (no query building): the head row stays locked until COMMIT, so the two are independent of each other.
    const insert = insertRows(this.em, 'audit_log', AUDIT_COLUMNS, rows);
    const update = execute(this.em, 'UPDATE audit_head SET seq = ?, hash = ?, version = ?, updated_seq = ? WHERE id = 1', [seq, prevHash, int(head.version) + 1, this.nextSeq()]);
    if (pipelined && this.defer) {
      this.defer(insert);
      this.defer(update);
    } else await Promise.all([insert, update]);
  }

  async list(f: AuditFilter, page: number, pageSize: number): Promise<Page<AuditEntry>> {
    await this.flush(); // a read inside the transaction sees its own entries
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
    await this.flush(); // a read inside the transaction sees its own entries
    const rows = await this.em
      .createQueryBuilder(AuditEntity, 'a')
      .where('a.entity_type = :entityType AND a.entity_id = :entityId', { entityType, entityId })
      .orderBy('a.seq', 'ASC')
      .getMany();
    return rows.map(fromRow);
  }

  /** Entries with seq > afterSeq in chain order, for verification in chunks. */
  async chunk(afterSeq: number, size: number): Promise<AuditEntry[]> {
    await this.flush(); // a read inside the transaction sees its own entries
    const rows = await this.em.createQueryBuilder(AuditEntity, 'a').where('a.seq > :afterSeq', { afterSeq }).orderBy('a.seq', 'ASC').limit(size).getMany();
    return rows.map(fromRow);
  }

  async head(): Promise<{ seq: number; hash: string }> {
    await this.flush(); // a read inside the transaction sees its own entries
    const h = await this.em.findOneByOrFail(AuditHeadEntity, { id: 1 });
    return { seq: h.seq, hash: h.hash };
  }

  async actions(): Promise<string[]> {
    const rows = await this.em.createQueryBuilder(AuditEntity, 'a').select('DISTINCT a.action', 'action').orderBy('a.action').getRawMany<{ action: string }>();
    return rows.map((r) => r.action);
  }
}
