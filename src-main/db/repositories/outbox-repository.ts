import type { EntityManager } from 'typeorm';
import type { Page } from '../../core/orders/order';
import { int, intOrNull } from '../bulk-insert';
import { insertedId } from '../bulk-update';
import { isUniqueViolation } from '../db-errors';
import { OutboxEntity, type OutboxRow } from '../entities/ops-entities';

export type OutboxChannel = 'sms' | 'wechat_template' | 'email';
export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxItem {
  id: number;
  channel: OutboxChannel;
  recipient: string;
  templateCode: string;
  params: Record<string, string>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  sentAt: number | null;
  error: string | null;
  orderNo: string | null;
  providerRef: string | null;
  createdAt: number;
}

export interface NewOutboxItem {
  channel: OutboxChannel;
  recipient: string;
  templateCode: string;
  params: Record<string, string>;
  orderNo?: string | null;
  /** Enqueuing the same key twice keeps the first message (e.g. `paid:<orderNo>`). */
  dedupeKey?: string | null;
}

export interface OutboxFilter {
  status?: OutboxStatus;
  channel?: OutboxChannel;
  orderNo?: string;
}

const fromRow = (r: OutboxRow): OutboxItem => ({
  id: int(r.id),
  channel: r.channel as OutboxChannel,
  recipient: r.recipient,
  templateCode: r.template_code,
  params: JSON.parse(r.params_json) as Record<string, string>,
  status: r.status as OutboxStatus,
  attempts: int(r.attempts),
  nextAttemptAt: int(r.next_attempt_at),
  sentAt: intOrNull(r.sent_at),
  error: r.error,
  orderNo: r.order_no,
  providerRef: r.provider_ref,
  createdAt: int(r.created_at),
});

/**
 * The notification outbox. Items are claimed like orders' work leases (OrderClaims): inside a
 * transaction, SELECT … FOR UPDATE SKIP LOCKED on MySQL, then leased to one dispatcher until
 * `lease_until`; results are written back only by the lease holder, so two dispatchers never send
 * the same item, and a dead dispatcher's items come back when its lease runs out.
 */
export class OutboxRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly skipLocked: boolean,
  ) {}

  /** Returns the new item's id, or null when an item with the same dedupe key is already there. */
  async enqueue(item: NewOutboxItem, now: number): Promise<number | null> {
    try {
      const res = await this.em
        .createQueryBuilder()
        .insert()
        .into(OutboxEntity)
        .values({
          channel: item.channel,
          recipient: item.recipient,
          template_code: item.templateCode,
          params_json: JSON.stringify(item.params),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          sent_at: null,
          error: null,
          order_no: item.orderNo ?? null,
          dedupe_key: item.dedupeKey ?? null,
          provider_ref: null,
          created_at: now,
          lease_owner: null,
          lease_until: null,
          version: 1,
          updated_seq: this.nextSeq(),
        })
        .updateEntity(false)
        .execute();
      return insertedId(res.raw);
    } catch (e) {
      if (item.dedupeKey && isUniqueViolation(e)) return null;
      throw e;
    }
  }

  /**
   * Several items in one multi-row INSERT (a batch of paid orders); an item whose dedupe key is
   * already there is skipped, as `enqueue` does.
   */
  async enqueueMany(items: readonly NewOutboxItem[], now: number): Promise<void> {
    if (!items.length) return;
    const columns = ['channel', 'recipient', 'template_code', 'params_json', 'status', 'attempts', 'next_attempt_at', 'sent_at', 'error', 'order_no', 'dedupe_key', 'provider_ref', 'created_at', 'lease_owner', 'lease_until', 'version', 'updated_seq'];
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const params = items.flatMap((i) => [i.channel, i.recipient, i.templateCode, JSON.stringify(i.params), 'pending', 0, now, null, null, i.orderNo ?? null, i.dedupeKey ?? null, null, now, null, null, 1, this.nextSeq()]);
    // Only a duplicate key is skipped (not other errors, as INSERT IGNORE would): the row stays as it was.
    const onDuplicate = this.em.connection.options.type === 'mysql' ? ' ON DUPLICATE KEY UPDATE id = id' : ' ON CONFLICT DO NOTHING';
    await this.em.query(`INSERT INTO notification_outbox (${columns.join(', ')}) VALUES ${items.map(() => tuple).join(', ')}${onDuplicate}`, params);
  }

  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const rows = (await this.em.query(
      `SELECT id FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
       ORDER BY next_attempt_at, id LIMIT ${Math.trunc(limit)}${this.skipLocked ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      [now, now],
    )) as { id: number | string }[];
    if (!rows.length) return [];
    const ids = rows.map((r) => int(r.id));
    const marks = ids.map(() => '?').join(', ');
    await this.em.query(`UPDATE notification_outbox SET lease_owner = ?, lease_until = ?, updated_seq = ? WHERE id IN (${marks})`, [owner, now + leaseMs, this.nextSeq(), ...ids]);
    const items = await this.em.createQueryBuilder(OutboxEntity, 'o').where('o.id IN (:...ids)', { ids }).orderBy('o.next_attempt_at').addOrderBy('o.id').getMany();
    return items.map(fromRow);
  }

  /** Records a send's result, only if `owner` still holds the lease; false means someone else took it over. */
  async settle(id: number, owner: string, patch: { status: OutboxStatus; attempts: number; nextAttemptAt: number; sentAt?: number | null; error?: string | null; providerRef?: string | null }): Promise<boolean> {
    const res = await this.em
      .createQueryBuilder()
      .update(OutboxEntity)
      .set({
        status: patch.status,
        attempts: patch.attempts,
        next_attempt_at: patch.nextAttemptAt,
        sent_at: patch.sentAt ?? null,
        error: patch.error ? patch.error.slice(0, 500) : null,
        provider_ref: patch.providerRef ?? null,
        lease_owner: null,
        lease_until: null,
        version: () => 'version + 1',
        updated_seq: this.nextSeq(),
      })
      .where('id = :id AND lease_owner = :owner', { id, owner })
      .execute();
    return res.affected === 1;
  }

  async release(owner: string): Promise<void> {
    await this.em.query(`UPDATE notification_outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND status = 'pending'`, [owner]);
  }

  async list(f: OutboxFilter, page: number, pageSize: number): Promise<Page<OutboxItem>> {
    const qb = this.em.createQueryBuilder(OutboxEntity, 'o');
    if (f.status) qb.andWhere('o.status = :status', { status: f.status });
    if (f.channel) qb.andWhere('o.channel = :channel', { channel: f.channel });
    if (f.orderNo) qb.andWhere('o.order_no = :orderNo', { orderNo: f.orderNo });
    const [rows, total] = await qb.orderBy('o.created_at', 'DESC').addOrderBy('o.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getManyAndCount();
    return { items: rows.map(fromRow), total, page, pageSize };
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.em.createQueryBuilder(OutboxEntity, 'o').select('o.status', 'status').addSelect('COUNT(*)', 'n').groupBy('o.status').getRawMany<{ status: string; n: number | string }>();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
