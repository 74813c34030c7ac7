import type { EntityManager } from 'typeorm';
import type { BatchItem, NewBatch, NewBatchItem, PayoutBatch } from '../../core/batches/batch';
import { payeeKey, type OpenPayee } from '../../core/batches/batch-lines';
import type { StatusSum } from '../../core/batches/batch-progress';
import {
  ACTIVE_ITEM_STATUSES, OPEN_BATCH_STATUSES, type BatchSourceKindCode, type BatchStatus, type BatchTypeCode, type ItemStatus,
} from '../../core/batches/batch-state';
import type { Page } from '../../core/orders/order';
import type { PayeeChannel } from '../../core/suppliers/supplier-payment';
import { insertRows, int, intOrNull } from '../bulk-insert';
import { execute, updateRows } from '../bulk-update';
import type { PayoutBatchItemRow, PayoutBatchRow } from '../entities/batch-entities';
import { ConcurrentUpdateError } from './concurrency';

function batchFromRow(r: PayoutBatchRow): PayoutBatch {
  return {
    id: int(r.id), batchNo: r.batch_no, type: r.type as BatchTypeCode, title: r.title, description: r.description, sourceKind: r.source_kind as BatchSourceKindCode,
    sourceRef: r.source_ref, status: r.status as BatchStatus, totalCount: int(r.total_count), totalFen: int(r.total_fen), createdBy: intOrNull(r.created_by),
    createdByName: r.created_by_name, createdAt: int(r.created_at), submittedAt: intOrNull(r.submitted_at), approvedAt: intOrNull(r.approved_at),
    startedAt: intOrNull(r.started_at), pausedAt: intOrNull(r.paused_at), finishedAt: intOrNull(r.finished_at), cancelledAt: intOrNull(r.cancelled_at), version: int(r.version),
  };
}

function itemFromRow(r: PayoutBatchItemRow): BatchItem {
  return {
    id: int(r.id), batchId: int(r.batch_id), seq: int(r.seq), payeeName: r.payee_name, channel: r.channel as PayeeChannel, account: r.account, bankName: r.bank_name,
    amountFen: int(r.amount_fen), remark: r.remark, contactPhone: r.contact_phone, employeeId: intOrNull(r.employee_id), supplierId: intOrNull(r.supplier_id),
    payableIds: (JSON.parse(r.payable_ids || '[]') as unknown[]).map(int), status: r.status as ItemStatus, attempt: int(r.attempt), tries: int(r.tries),
    transferNo: r.transfer_no, platformTransferNo: r.platform_transfer_no, failReason: r.fail_reason, retryable: r.retryable === null ? null : int(r.retryable) === 1,
    nextAt: int(r.next_at), confirmExpiresAt: intOrNull(r.confirm_expires_at), sentAt: intOrNull(r.sent_at), finishedAt: intOrNull(r.finished_at),
    arrivalRule: r.arrival_rule, arrivalDate: r.arrival_date, voucherNo: r.voucher_no, version: int(r.version),
  };
}

export type BatchPatch = Partial<Pick<PayoutBatch, 'status' | 'submittedAt' | 'approvedAt' | 'startedAt' | 'pausedAt' | 'finishedAt' | 'cancelledAt'>>;
const BATCH_COLUMNS: Record<keyof BatchPatch, keyof PayoutBatchRow> = {
  status: 'status', submittedAt: 'submitted_at', approvedAt: 'approved_at', startedAt: 'started_at', pausedAt: 'paused_at', finishedAt: 'finished_at', cancelledAt: 'cancelled_at',
};

export type ItemPatch = Partial<Omit<BatchItem, 'id' | 'batchId' | 'seq' | 'amountFen' | 'employeeId' | 'supplierId' | 'payableIds' | 'version'>>;
const ITEM_COLUMNS: Record<keyof ItemPatch, keyof PayoutBatchItemRow> = {
  payeeName: 'payee_name', channel: 'channel', account: 'account', bankName: 'bank_name', remark: 'remark', contactPhone: 'contact_phone', status: 'status',
  attempt: 'attempt', tries: 'tries', transferNo: 'transfer_no', platformTransferNo: 'platform_transfer_no', failReason: 'fail_reason', retryable: 'retryable',
  nextAt: 'next_at', confirmExpiresAt: 'confirm_expires_at', sentAt: 'sent_at', finishedAt: 'finished_at', arrivalRule: 'arrival_rule', arrivalDate: 'arrival_date',
  voucherNo: 'voucher_no',
};

export interface BatchFilter {
  statuses?: BatchStatus[];
  type?: BatchTypeCode;
  /** Batch number (exact) or words of the title. */
  keyword?: string;
  createdFrom?: number;
  createdTo?: number;
}

export interface ItemFilter {
  statuses?: ItemStatus[];
  /** Payee name (contains) or item sequence (exact). */
  keyword?: string;
  channel?: PayeeChannel;
}

const ITEM_INSERT_COLUMNS = [
  'batch_id', 'seq', 'payee_name', 'channel', 'account', 'bank_name', 'amount_fen', 'remark', 'contact_phone', 'employee_id', 'supplier_id', 'payable_ids', 'status',
  'attempt', 'tries', 'next_at', 'version', 'updated_seq',
] as const;

const placeholders = (n: number) => Array(n).fill('?').join(', ');
/** A LIKE pattern with `!` as the escape character (the same on SQLite and MySQL, unlike backslash). */
const like = (s: string) => `%${s.replace(/[%_!]/g, (c) => `!${c}`)}%`;

/** 批量付款任务 and their items. Hot paths (10,000 items) are multi-row statements, never per-row ORM calls. */
export class BatchRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  private get forUpdate() {
    return this.lockRows ? ' FOR UPDATE' : '';
  }

  // ─── batches ───
  async insertBatch(b: NewBatch): Promise<number> {
    const cols = [
      'batch_no', 'type', 'title', 'description', 'source_kind', 'source_ref', 'status', 'total_count', 'total_fen', 'created_by', 'created_by_name', 'created_at',
      'submitted_at', 'approved_at', 'started_at', 'paused_at', 'finished_at', 'cancelled_at', 'version', 'updated_seq',
    ];
    await insertRows(this.em, 'payout_batches', cols, [[
      b.batchNo, b.type, b.title, b.description, b.sourceKind, b.sourceRef, b.status, b.totalCount, b.totalFen, b.createdBy, b.createdByName, b.createdAt,
      b.submittedAt, b.approvedAt, b.startedAt, b.pausedAt, b.finishedAt, b.cancelledAt, 1, this.nextSeq(),
    ]]);
    const [row] = (await this.em.query(`SELECT id FROM payout_batches WHERE batch_no = ?`, [b.batchNo])) as { id: unknown }[];
    if (!row) throw new Error(`batch ${b.batchNo} not found after insert`);
    return int(row.id);
  }

  /** All items of a new batch in multi-row INSERTs (a 10,000-item batch is 20 statements). */
  async insertItems(batchId: number, items: readonly NewBatchItem[]): Promise<void> {
    const rows = items.map((i) => [
      batchId, i.seq, i.payeeName, i.channel, i.account, i.bankName, i.amountFen, i.remark, i.contactPhone, i.employeeId, i.supplierId, JSON.stringify(i.payableIds),
      'pending', 1, 0, 0, 1, this.nextSeq(),
    ]);
    await insertRows(this.em, 'payout_batch_items', ITEM_INSERT_COLUMNS, rows, 500);
  }

  async findBatch(id: number, opts: { forUpdate?: boolean } = {}): Promise<PayoutBatch | null> {
    const [row] = (await this.em.query(`SELECT * FROM payout_batches WHERE id = ?${opts.forUpdate ? this.forUpdate : ''}`, [id])) as PayoutBatchRow[];
    return row ? batchFromRow(row) : null;
  }

  async findBatchByNo(batchNo: string, opts: { forUpdate?: boolean } = {}): Promise<PayoutBatch | null> {
    const [row] = (await this.em.query(`SELECT * FROM payout_batches WHERE batch_no = ?${opts.forUpdate ? this.forUpdate : ''}`, [batchNo])) as PayoutBatchRow[];
    return row ? batchFromRow(row) : null;
  }

  async batchesByNos(nos: readonly string[]): Promise<PayoutBatch[]> {
    if (!nos.length) return [];
    const unique = [...new Set(nos)];
    return ((await this.em.query(`SELECT * FROM payout_batches WHERE batch_no IN (${placeholders(unique.length)})`, unique)) as PayoutBatchRow[]).map(batchFromRow);
  }

  /**
   * The statuses of these batches, their rows share-locked on MySQL (in id order) for the rest of the
   * unit of work: the executor's last check before a first send. A pause or cancel (which locks the
   * batch row for update) then either committed before — and is seen — or waits until the items
   * checked here are marked as sent.
   */
  async statusesForSend(ids: readonly number[]): Promise<Map<number, BatchStatus>> {
    if (!ids.length) return new Map();
    const unique = [...new Set(ids)].sort((a, b) => a - b);
    const lock = this.lockRows ? ' LOCK IN SHARE MODE' : '';
    const rows = (await this.em.query(`SELECT id, status FROM payout_batches WHERE id IN (${placeholders(unique.length)}) ORDER BY id${lock}`, unique)) as { id: unknown; status: string }[];
    return new Map(rows.map((r) => [int(r.id), r.status as BatchStatus]));
  }

  async batchesByIds(ids: readonly number[]): Promise<Map<number, PayoutBatch>> {
    if (!ids.length) return new Map();
    const unique = [...new Set(ids)];
    const rows = (await this.em.query(`SELECT * FROM payout_batches WHERE id IN (${placeholders(unique.length)})`, unique)) as PayoutBatchRow[];
    return new Map(rows.map((r) => [int(r.id), batchFromRow(r)]));
  }

  async listBatches(f: BatchFilter, page: number, pageSize: number): Promise<Page<PayoutBatch>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.statuses?.length) {
      where.push(`status IN (${placeholders(f.statuses.length)})`);
      params.push(...f.statuses);
    }
    if (f.type) {
      where.push('type = ?');
      params.push(f.type);
    }
    if (f.keyword) {
      where.push(`(batch_no = ? OR title LIKE ? ESCAPE '!')`);
      params.push(f.keyword, like(f.keyword));
    }
    if (f.createdFrom !== undefined) {
      where.push('created_at >= ?');
      params.push(f.createdFrom);
    }
    if (f.createdTo !== undefined) {
      where.push('created_at < ?');
      params.push(f.createdTo);
    }
    const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const [count] = (await this.em.query(`SELECT COUNT(*) AS n FROM payout_batches${w}`, params)) as { n: unknown }[];
    const rows = (await this.em.query(`SELECT * FROM payout_batches${w} ORDER BY created_at DESC, id DESC LIMIT ${Math.trunc(pageSize)} OFFSET ${Math.trunc((page - 1) * pageSize)}`, params)) as PayoutBatchRow[];
    return { items: rows.map(batchFromRow), total: int(count?.n ?? 0), page, pageSize };
  }

  async updateBatch(id: number, version: number, patch: BatchPatch): Promise<void> {
    const sets: string[] = ['version = ?', 'updated_seq = ?'];
    const params: unknown[] = [version + 1, this.nextSeq()];
    for (const [k, v] of Object.entries(patch)) {
      sets.push(`${BATCH_COLUMNS[k as keyof BatchPatch]} = ?`);
      params.push(v);
    }
    const n = await execute(this.em, `UPDATE payout_batches SET ${sets.join(', ')} WHERE id = ? AND version = ?`, [...params, id, version]);
    if (n !== 1) throw new ConcurrentUpdateError();
  }

  // ─── items ───
  async findItem(id: number, opts: { forUpdate?: boolean } = {}): Promise<BatchItem | null> {
    const [row] = (await this.em.query(`SELECT * FROM payout_batch_items WHERE id = ?${opts.forUpdate ? this.forUpdate : ''}`, [id])) as PayoutBatchItemRow[];
    return row ? itemFromRow(row) : null;
  }

  async findItemBySeq(batchId: number, seq: number, opts: { forUpdate?: boolean } = {}): Promise<BatchItem | null> {
    const [row] = (await this.em.query(`SELECT * FROM payout_batch_items WHERE batch_id = ? AND seq = ?${opts.forUpdate ? this.forUpdate : ''}`, [batchId, seq])) as PayoutBatchItemRow[];
    return row ? itemFromRow(row) : null;
  }

  /** Items by id, in id order; `forUpdate` locks them in that order (every multi-item writer locks in id order). */
  async itemsByIds(ids: readonly number[], opts: { forUpdate?: boolean } = {}): Promise<BatchItem[]> {
    if (!ids.length) return [];
    const unique = [...new Set(ids)];
    const rows = (await this.em.query(`SELECT * FROM payout_batch_items WHERE id IN (${placeholders(unique.length)}) ORDER BY id${opts.forUpdate ? this.forUpdate : ''}`, unique)) as PayoutBatchItemRow[];
    return rows.map(itemFromRow);
  }

  /**
   * Pending items → sending under their request ids, in ONE statement (the executor's send gate, just
   * before the sends): each row only if it still has the version read; fewer changed rows than asked
   * throws (all roll back).
   */
  async markSending(rows: readonly { item: BatchItem; transferNo: string }[], now: number, nextAt: number): Promise<void> {
    if (!rows.length) return;
    const seq = this.nextSeq();
    const changed = await updateRows(
      this.em,
      'payout_batch_items',
      'id',
      rows.map(({ item, transferNo }) => ({
        key: item.id, version: item.version,
        set: { status: 'sending', transfer_no: transferNo, tries: 1, sent_at: item.sentAt ?? now, next_at: nextAt, fail_reason: null, updated_seq: seq },
      })),
    );
    if (changed !== rows.length) throw new ConcurrentUpdateError();
  }

  async listItems(batchId: number, f: ItemFilter, page: number, pageSize: number): Promise<Page<BatchItem>> {
    const where = ['batch_id = ?'];
    const params: unknown[] = [batchId];
    if (f.statuses?.length) {
      where.push(`status IN (${placeholders(f.statuses.length)})`);
      params.push(...f.statuses);
    }
    if (f.channel) {
      where.push('channel = ?');
      params.push(f.channel);
    }
    if (f.keyword) {
      const seq = /^\d{1,5}$/.test(f.keyword) ? Number(f.keyword) : -1;
      where.push(`(payee_name LIKE ? ESCAPE '!' OR seq = ?)`);
      params.push(like(f.keyword), seq);
    }
    const w = where.join(' AND ');
    const [count] = (await this.em.query(`SELECT COUNT(*) AS n FROM payout_batch_items WHERE ${w}`, params)) as { n: unknown }[];
    const rows = (await this.em.query(`SELECT * FROM payout_batch_items WHERE ${w} ORDER BY seq LIMIT ${Math.trunc(pageSize)} OFFSET ${Math.trunc((page - 1) * pageSize)}`, params)) as PayoutBatchItemRow[];
    return { items: rows.map(itemFromRow), total: int(count?.n ?? 0), page, pageSize };
  }

  /** Every item of a batch in order (reports, the REST answer). */
  async allItems(batchId: number, statuses?: readonly ItemStatus[]): Promise<BatchItem[]> {
    const filter = statuses?.length ? ` AND status IN (${placeholders(statuses.length)})` : '';
    const rows = (await this.em.query(`SELECT * FROM payout_batch_items WHERE batch_id = ?${filter} ORDER BY seq`, [batchId, ...(statuses ?? [])])) as PayoutBatchItemRow[];
    return rows.map(itemFromRow);
  }

  async updateItem(id: number, version: number, patch: ItemPatch): Promise<void> {
    const sets: string[] = ['version = ?', 'updated_seq = ?'];
    const params: unknown[] = [version + 1, this.nextSeq()];
    for (const [k, v] of Object.entries(patch)) {
      sets.push(`${ITEM_COLUMNS[k as keyof ItemPatch]} = ?`);
      params.push(k === 'retryable' ? (v === null || v === undefined ? null : v ? 1 : 0) : v);
    }
    const n = await execute(this.em, `UPDATE payout_batch_items SET ${sets.join(', ')} WHERE id = ? AND version = ?`, [...params, id, version]);
    if (n !== 1) throw new ConcurrentUpdateError();
  }

  /** The not-yet-sent items of a batch, locked (cancel takes them out in one statement after). */
  async pendingItems(batchId: number): Promise<BatchItem[]> {
    const rows = (await this.em.query(`SELECT * FROM payout_batch_items WHERE batch_id = ? AND status = 'pending' ORDER BY seq${this.forUpdate}`, [batchId])) as PayoutBatchItemRow[];
    return rows.map(itemFromRow);
  }

  /** Cancels not-yet-sent items in one statement; only those still pending change. */
  async cancelPending(ids: readonly number[], reason: string, at: number): Promise<number> {
    let changed = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      changed += await execute(
        this.em,
        `UPDATE payout_batch_items SET status = 'cancelled', fail_reason = ?, finished_at = ?, next_at = 0, version = version + 1, updated_seq = ? WHERE status = 'pending' AND id IN (${placeholders(part.length)})`,
        [reason, at, this.nextSeq(), ...part],
      );
    }
    return changed;
  }

  /** Per status: how many items and how much money (the live progress, one GROUP BY). */
  async statusSums(batchId: number): Promise<StatusSum[]> {
    const rows = (await this.em.query(`SELECT status, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS fen FROM payout_batch_items WHERE batch_id = ? GROUP BY status`, [batchId])) as {
      status: string;
      n: unknown;
      fen: unknown;
    }[];
    return rows.map((r) => ({ status: r.status as ItemStatus, count: int(r.n), fen: int(r.fen) }));
  }

  async statusSumsOf(batchIds: readonly number[]): Promise<Map<number, StatusSum[]>> {
    const out = new Map<number, StatusSum[]>();
    if (!batchIds.length) return out;
    const rows = (await this.em.query(
      `SELECT batch_id, status, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS fen FROM payout_batch_items WHERE batch_id IN (${placeholders(batchIds.length)}) GROUP BY batch_id, status`,
      [...batchIds],
    )) as { batch_id: unknown; status: string; n: unknown; fen: unknown }[];
    for (const r of rows) {
      const id = int(r.batch_id);
      out.set(id, [...(out.get(id) ?? []), { status: r.status as ItemStatus, count: int(r.n), fen: int(r.fen) }]);
    }
    return out;
  }

  /** Items and amounts per payee channel (the approver's summary). */
  async channelSums(batchId: number): Promise<{ channel: PayeeChannel; count: number; fen: number }[]> {
    const rows = (await this.em.query(`SELECT channel, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS fen FROM payout_batch_items WHERE batch_id = ? GROUP BY channel ORDER BY channel`, [batchId])) as {
      channel: string;
      n: unknown;
      fen: unknown;
    }[];
    return rows.map((r) => ({ channel: r.channel as PayeeChannel, count: int(r.n), fen: int(r.fen) }));
  }

  /** Moves WeChat bills still waiting for their payee to the front of the queue (a cancelled batch withdraws them). */
  async dueWaitingConfirm(batchId: number, at: number): Promise<number> {
    return execute(this.em, `UPDATE payout_batch_items SET next_at = ?, updated_seq = ? WHERE batch_id = ? AND status = 'wait_confirm'`, [at, this.nextSeq(), batchId]);
  }

  /** Items of a batch waiting for their re-send approval. */
  async countResendApprovals(batchId: number): Promise<number> {
    const [row] = (await this.em.query(`SELECT COUNT(*) AS n FROM payout_batch_items WHERE batch_id = ? AND status = 'resend_approval'`, [batchId])) as { n: unknown }[];
    return int(row?.n ?? 0);
  }

  /** Payees of these accounts in batches still open (not finished, not cancelled), excluding failed and cancelled items. */
  async openPayees(lines: readonly { channel: PayeeChannel; account: string }[], exceptBatchId?: number): Promise<OpenPayee[]> {
    const accounts = [...new Set(lines.map((l) => l.account))];
    const wanted = new Set(lines.map((l) => payeeKey(l.channel, l.account)));
    const out: OpenPayee[] = [];
    for (let i = 0; i < accounts.length; i += 500) {
      const part = accounts.slice(i, i + 500);
      const rows = (await this.em.query(
        `SELECT i.channel, i.account, i.amount_fen, b.batch_no FROM payout_batch_items i JOIN payout_batches b ON b.id = i.batch_id
         WHERE i.account IN (${placeholders(part.length)}) AND b.status IN (${placeholders(OPEN_BATCH_STATUSES.length)}) AND i.status NOT IN ('failed', 'cancelled') AND b.id <> ?`,
        [...part, ...OPEN_BATCH_STATUSES, exceptBatchId ?? -1],
      )) as { channel: string; account: string; amount_fen: unknown; batch_no: string }[];
      for (const r of rows) {
        const key = payeeKey(r.channel as PayeeChannel, r.account);
        if (wanted.has(key)) out.push({ key, batchNo: r.batch_no, amountFen: int(r.amount_fen) });
      }
    }
    return out;
  }

  /** Batches that may be finished: sending or paused, and none of their items still owing an outcome. */
  async idleBatchIds(): Promise<number[]> {
    const rows = (await this.em.query(
      `SELECT b.id FROM payout_batches b WHERE b.status IN ('approved', 'running', 'paused')
       AND NOT EXISTS (SELECT 1 FROM payout_batch_items i WHERE i.batch_id = b.id AND i.status IN (${placeholders(ACTIVE_ITEM_STATUSES.length)}))`,
      [...ACTIVE_ITEM_STATUSES],
    )) as { id: unknown }[];
    return rows.map((r) => int(r.id));
  }

  /** Batches whose pending items are to be sent now. */
  async sendingBatches(): Promise<{ id: number; status: BatchStatus }[]> {
    const rows = (await this.em.query(`SELECT id, status FROM payout_batches WHERE status IN ('approved', 'running')`)) as { id: unknown; status: string }[];
    return rows.map((r) => ({ id: int(r.id), status: r.status as BatchStatus }));
  }
}

/**
 * Leases on batch items for the executor. Like SupplierPaymentClaims: candidates are locked FOR
 * UPDATE SKIP LOCKED on MySQL, so server instances sharing the database never take the same item;
 * a crashed instance's lease lapses after `leaseMs` and the item is taken again — and then queried
 * before anything is resent, because its request id was saved before the first send.
 */
export class BatchItemClaims {
  constructor(
    private readonly em: EntityManager,
    private readonly skipLocked: boolean,
  ) {}

  /**
   * Items due now: in flight first (money on its way: query, confirm expiry, cancel), then pending
   * items of the batches being sent, in their order. Only the items' own rows are locked (a join
   * would lock the batch row and stall the other instances).
   */
  async claim(owner: string, now: number, leaseMs: number, limit: number, sendingBatchIds: readonly number[], only?: number): Promise<number[]> {
    const lock = this.skipLocked ? ' FOR UPDATE SKIP LOCKED' : '';
    const free = '(lease_until IS NULL OR lease_until < ?)';
    const ids: number[] = [];
    if (only !== undefined) {
      const rows = (await this.em.query(`SELECT id FROM payout_batch_items WHERE id = ? AND ${free}${lock}`, [only, now])) as { id: unknown }[];
      ids.push(...rows.map((r) => int(r.id)));
    } else {
      const inFlight = (await this.em.query(
        `SELECT id FROM payout_batch_items WHERE status IN ('sending', 'processing', 'wait_confirm') AND next_at <= ? AND ${free} ORDER BY next_at, id LIMIT ${Math.trunc(limit)}${lock}`,
        [now, now],
      )) as { id: unknown }[];
      ids.push(...inFlight.map((r) => int(r.id)));
      const left = limit - ids.length;
      if (left > 0 && sendingBatchIds.length) {
        const pending = (await this.em.query(
          `SELECT id FROM payout_batch_items WHERE status = 'pending' AND next_at <= ? AND batch_id IN (${placeholders(sendingBatchIds.length)}) AND ${free}
           ORDER BY next_at, id LIMIT ${Math.trunc(left)}${lock}`,
          [now, ...sendingBatchIds, now],
        )) as { id: unknown }[];
        ids.push(...pending.map((r) => int(r.id)));
      }
    }
    if (!ids.length) return [];
    await this.em.query(`UPDATE payout_batch_items SET lease_owner = ?, lease_until = ? WHERE id IN (${placeholders(ids.length)})`, [owner, now + leaseMs, ...ids]);
    return ids;
  }

  /**
   * MySQL: this unit of work reads committed rows and takes no gap locks (must be its first statement).
   * A claim scans the work index with FOR UPDATE SKIP LOCKED; under REPEATABLE READ that also locks the
   * gaps, and a notification moving an item between statuses at the same moment then deadlocks with it.
   */
  async readCommitted(): Promise<void> {
    if (this.skipLocked) await this.em.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  }

  /** Gives back this owner's leases on these items (one statement). */
  async releaseMany(owner: string, itemIds: readonly number[]): Promise<void> {
    for (let i = 0; i < itemIds.length; i += 500) {
      const part = itemIds.slice(i, i + 500);
      await this.em.query(`UPDATE payout_batch_items SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND id IN (${placeholders(part.length)})`, [owner, ...part]);
    }
  }

  async release(owner: string, itemId?: number): Promise<void> {
    if (itemId !== undefined) await this.em.query(`UPDATE payout_batch_items SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND id = ?`, [owner, itemId]);
    else await this.em.query(`UPDATE payout_batch_items SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?`, [owner]);
  }

  async leaseOwner(itemId: number): Promise<string | null> {
    const [row] = (await this.em.query(`SELECT lease_owner FROM payout_batch_items WHERE id = ?`, [itemId])) as { lease_owner: string | null }[];
    return row?.lease_owner ?? null;
  }
}
