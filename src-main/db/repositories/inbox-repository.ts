import type { EntityManager } from 'typeorm';
import { InboxEntity, type InboxRow } from '../entities/payment-entities';
import { insertRows, int } from '../bulk-insert';
import { insertedId } from '../bulk-update';
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

/** Where a notification stands, without its payload (what a batch needs to tell new from seen). */
export interface InboxState {
  id: number;
  platform: string;
  notificationId: string;
  status: InboxStatus;
  version: number;
}

/** A notification written to the inbox already settled (a batch applies first and records after). */
export interface SettledInboxEntry {
  platform: string;
  notificationId: string;
  eventKind: string;
  refNo: string;
  payload: unknown;
  receivedAt: number;
  status: Exclude<InboxStatus, 'received'>;
  outcome: string;
  appliedAt: number;
}

const INBOX_COLUMNS = ['platform', 'notification_id', 'received_at', 'event_kind', 'ref_no', 'payload_json', 'status', 'outcome', 'applied_at', 'version', 'updated_seq'] as const;

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
      const res = await this.em
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
        .updateEntity(false)
        .execute();
      // The insert holds the new row's lock until the transaction ends: no need to read it back.
      const id = insertedId(res.raw);
      const entry: InboxEntry = { id, platform: e.platform, notificationId: e.notificationId, receivedAt: e.at, eventKind: e.eventKind, refNo: e.refNo, payload: e.payload, status: 'received', outcome: null, appliedAt: null, version: 1 };
      return { entry, duplicate: false };
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

  /** The state of each given notification already in the inbox (a plain read), keyed `platform:notificationId`. */
  async states(keys: readonly { platform: string; notificationId: string }[]): Promise<Map<string, InboxState>> {
    const out = new Map<string, InboxState>();
    if (!keys.length) return out;
    const platforms = [...new Set(keys.map((k) => k.platform))];
    const ids = [...new Set(keys.map((k) => k.notificationId))];
    const rows = (await this.em.query(
      `SELECT id, platform, notification_id, status, version FROM notification_inbox WHERE platform IN (${platforms.map(() => '?').join(', ')}) AND notification_id IN (${ids.map(() => '?').join(', ')})`,
      [...platforms, ...ids],
    )) as { id: unknown; platform: string; notification_id: string; status: string; version: unknown }[];
    for (const r of rows) out.set(`${r.platform}:${r.notification_id}`, { id: int(r.id), platform: r.platform, notificationId: r.notification_id, status: r.status as InboxStatus, version: int(r.version) });
    return out;
  }

  /** New notifications with their outcome, in one multi-row INSERT (a duplicate key fails the whole statement). */
  async insertSettled(entries: readonly SettledInboxEntry[]): Promise<void> {
    const rows = entries.map((e) => [e.platform, e.notificationId, e.receivedAt, e.eventKind, e.refNo, JSON.stringify(e.payload), e.status, e.outcome.slice(0, 256), e.appliedAt, 1, this.nextSeq()]);
    await insertRows(this.em, 'notification_inbox', INBOX_COLUMNS, rows);
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
