import type { EntityManager } from 'typeorm';
import { InboxEntity, type InboxRow } from '../entities/payment-entities';
import { isUniqueViolation } from '../db-errors';
import { ConcurrentUpdateError } from './concurrency';

export type InboxStatus = 'received' | 'applied' | 'exception' | 'ignored';

export interface InboxEntry {
  id: number;
  platform: string;
  notificationId: string;
  receivedAt: number;
  eventKind: string;
  refNo: string;
  payload: unknown;
  status: InboxStatus;
  outcome: string | null;
  appliedAt: number | null;
  version: number;
}

const fromRow = (r: InboxRow): InboxEntry => ({
  id: r.id,
  platform: r.platform,
  notificationId: r.notification_id,
  receivedAt: r.received_at,
  eventKind: r.event_kind,
  refNo: r.ref_no,
  payload: JSON.parse(r.payload_json) as unknown,
  status: r.status as InboxStatus,
  outcome: r.outcome,
  appliedAt: r.applied_at,
  version: r.version,
});

/**
 * Platform notifications as received, keyed by (platform, notification id). The unique key is what
 * makes a duplicate delivery harmless: the second insert finds the first row.
 */
export class InboxRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  /** Inserts the notification, or returns the row already there for the same platform id. */
  async receive(e: { platform: string; notificationId: string; eventKind: string; refNo: string; payload: unknown; at: number }): Promise<{ entry: InboxEntry; duplicate: boolean }> {
    try {
      await this.em
        .createQueryBuilder()
        .insert()
        .into(InboxEntity)
        .values({
          platform: e.platform,
          notification_id: e.notificationId,
          received_at: e.at,
          event_kind: e.eventKind,
          ref_no: e.refNo,
          payload_json: JSON.stringify(e.payload),
          status: 'received',
          outcome: null,
          applied_at: null,
          version: 1,
          updated_seq: this.nextSeq(),
        })
        .execute();
      return { entry: (await this.find(e.platform, e.notificationId, true))!, duplicate: false };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return { entry: (await this.find(e.platform, e.notificationId, true))!, duplicate: true };
    }
  }

  async find(platform: string, notificationId: string, forUpdate = false): Promise<InboxEntry | null> {
    const qb = this.em.createQueryBuilder(InboxEntity, 'i').where('i.platform = :platform AND i.notification_id = :notificationId', { platform, notificationId });
    if (forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? fromRow(row) : null;
  }

  async settle(id: number, version: number, status: InboxStatus, outcome: string, at: number): Promise<void> {
    const res = await this.em
      .createQueryBuilder()
      .update(InboxEntity)
      .set({ status, outcome: outcome.slice(0, 256), applied_at: at, version: version + 1, updated_seq: this.nextSeq() })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async forRef(refNo: string): Promise<InboxEntry[]> {
    const rows = await this.em.find(InboxEntity, { where: { ref_no: refNo }, order: { received_at: 'ASC', id: 'ASC' } });
    return rows.map(fromRow);
  }
}
