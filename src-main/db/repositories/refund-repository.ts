import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Page } from '../../core/orders/order';
import type { PaymentMethod } from '../../core/orders/order-types';
import type { Refund, RefundFilter, RefundSource } from '../../core/refunds/refund';
import type { RefundState } from '../../core/refunds/refund-state';
import { int, intOrNull } from '../bulk-insert';
import { PaymentExceptionEntity } from '../entities/payment-entities';
import { RefundEntity, type RefundRow } from '../entities/refund-entity';
import { ConcurrentUpdateError } from './concurrency';

function fromRow(r: RefundRow): Refund {
  return {
    refundNo: r.refund_no,
    orderNo: r.order_no,
    platform: r.platform as PaymentMethod,
    amountFen: int(r.amount_fen),
    reason: r.reason,
    state: r.state as RefundState,
    retryable: Boolean(Number(r.retryable)),
    failReason: r.fail_reason,
    source: r.source as RefundSource,
    requestedBy: intOrNull(r.requested_by),
    requestedByName: r.requested_by_name,
    relatedRef: r.related_ref,
    exceptionId: intOrNull(r.exception_id),
    platformRefundNo: r.platform_refund_no,
    feeFen: intOrNull(r.fee_fen),
    attempts: int(r.attempts),
    sentAt: intOrNull(r.sent_at),
    lastAttemptAt: intOrNull(r.last_attempt_at),
    nextAttemptAt: intOrNull(r.next_attempt_at),
    approvedAt: intOrNull(r.approved_at),
    succeededAt: intOrNull(r.succeeded_at),
    finishedAt: intOrNull(r.finished_at),
    arrivalChannel: r.arrival_channel,
    arrivalFrom: r.arrival_from,
    arrivalTo: r.arrival_to,
    createdAt: int(r.created_at),
    updatedAt: int(r.updated_at),
    version: int(r.version),
  };
}

export type NewRefund = Pick<Refund, 'refundNo' | 'orderNo' | 'platform' | 'amountFen' | 'reason' | 'source' | 'requestedBy' | 'requestedByName' | 'relatedRef' | 'exceptionId' | 'createdAt'>;

export type RefundPatch = Partial<
  Pick<
    Refund,
    | 'state' | 'retryable' | 'failReason' | 'platformRefundNo' | 'feeFen' | 'attempts' | 'sentAt' | 'lastAttemptAt' | 'nextAttemptAt' | 'approvedAt'
    | 'succeededAt' | 'finishedAt' | 'arrivalChannel' | 'arrivalFrom' | 'arrivalTo'
  >
>;

const PATCH_COLUMNS: Record<keyof RefundPatch, keyof RefundRow> = {
  state: 'state',
  retryable: 'retryable',
  failReason: 'fail_reason',
  platformRefundNo: 'platform_refund_no',
  feeFen: 'fee_fen',
  attempts: 'attempts',
  sentAt: 'sent_at',
  lastAttemptAt: 'last_attempt_at',
  nextAttemptAt: 'next_attempt_at',
  approvedAt: 'approved_at',
  succeededAt: 'succeeded_at',
  finishedAt: 'finished_at',
  arrivalChannel: 'arrival_channel',
  arrivalFrom: 'arrival_from',
  arrivalTo: 'arrival_to',
};

export class RefundRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  async insert(r: NewRefund): Promise<Refund> {
    const row: Omit<RefundRow, 'id'> = {
      refund_no: r.refundNo, order_no: r.orderNo, platform: r.platform, amount_fen: r.amountFen, reason: r.reason, state: 'pending_approval',
      retryable: false, fail_reason: null, source: r.source, requested_by: r.requestedBy, requested_by_name: r.requestedByName,
      related_ref: r.relatedRef, exception_id: r.exceptionId, platform_refund_no: null, fee_fen: null, attempts: 0, sent_at: null,
      last_attempt_at: null, next_attempt_at: null, lease_owner: null, lease_until: null, approved_at: null, succeeded_at: null,
      finished_at: null, arrival_channel: null, arrival_from: null, arrival_to: null, created_at: r.createdAt, updated_at: r.createdAt,
      version: 1, updated_seq: this.nextSeq(),
    };
    await this.em.createQueryBuilder().insert().into(RefundEntity).values(row).execute();
    return fromRow({ id: 0, ...row });
  }

  /** `forUpdate` takes a row lock on MySQL (SQLite's single writer already serializes). */
  async findByNo(refundNo: string, opts: { forUpdate?: boolean } = {}): Promise<Refund | null> {
    const qb = this.em.createQueryBuilder(RefundEntity, 'r').where('r.refund_no = :refundNo', { refundNo });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? fromRow(row) : null;
  }

  /**
   * Every refund of an order, oldest first. With `forUpdate` the rows are read with a locking read on
   * MySQL, which sees the latest committed rows (not the transaction's snapshot): the caller holds the
   * order's lock, so no refund of this order can be added or change state meanwhile.
   */
  async forOrder(orderNo: string, opts: { forUpdate?: boolean } = {}): Promise<Refund[]> {
    const qb = this.em.createQueryBuilder(RefundEntity, 'r').where('r.order_no = :orderNo', { orderNo }).orderBy('r.created_at', 'ASC').addOrderBy('r.id', 'ASC');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    return (await qb.getMany()).map(fromRow);
  }

  async forException(exceptionId: number, opts: { forUpdate?: boolean } = {}): Promise<Refund[]> {
    const qb = this.em.createQueryBuilder(RefundEntity, 'r').where('r.exception_id = :exceptionId', { exceptionId }).orderBy('r.id', 'ASC');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    return (await qb.getMany()).map(fromRow);
  }

  async list(f: RefundFilter, page: number, pageSize: number): Promise<Page<Refund>> {
    const qb = this.filtered(f);
    const [rows, total] = await qb.orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(fromRow), total, page, pageSize };
  }

  private filtered(f: RefundFilter): SelectQueryBuilder<RefundRow> {
    const qb = this.em.createQueryBuilder(RefundEntity, 'r');
    if (f.refundNo) qb.andWhere('r.refund_no = :refundNo', { refundNo: f.refundNo });
    if (f.orderNo) qb.andWhere('r.order_no = :orderNo', { orderNo: f.orderNo });
    if (f.states?.length) qb.andWhere('r.state IN (:...states)', { states: f.states });
    if (f.platforms?.length) qb.andWhere('r.platform IN (:...platforms)', { platforms: f.platforms });
    if (f.createdFrom !== undefined) qb.andWhere('r.created_at >= :createdFrom', { createdFrom: f.createdFrom });
    if (f.createdTo !== undefined) qb.andWhere('r.created_at < :createdTo', { createdTo: f.createdTo });
    return qb;
  }

  /** Optimistic update: ConcurrentUpdateError when the row changed since `version`. */
  async update(refundNo: string, version: number, patch: RefundPatch, at: number): Promise<void> {
    const set: Record<string, unknown> = { version: version + 1, updated_seq: this.nextSeq(), updated_at: at };
    for (const [k, v] of Object.entries(patch)) set[PATCH_COLUMNS[k as keyof RefundPatch]] = v;
    const res = await this.em.createQueryBuilder().update(RefundEntity).set(set).where('refund_no = :refundNo AND version = :version', { refundNo, version }).execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  /**
   * Claims approved refunds due for sending or querying and leases them to `owner` until
   * `now + leaseMs`. Inside a transaction: on MySQL the rows are locked FOR UPDATE SKIP LOCKED, so a
   * second server instance claiming at the same moment skips them; a crashed owner's lease runs out.
   */
  async claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<string[]> {
    const rows = (await this.em.query(
      `SELECT id, refund_no FROM refunds WHERE state = 'processing' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
       AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ${Math.trunc(limit)}${this.lockRows ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      [now, now],
    )) as { id: number; refund_no: string }[];
    if (!rows.length) return [];
    const ids = rows.map((r) => Number(r.id));
    await this.em.query(`UPDATE refunds SET lease_owner = ?, lease_until = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [owner, now + leaseMs, ...ids]);
    return rows.map((r) => r.refund_no);
  }

  /** Claims one refund (an explicit 查询 / 立即发送 by a person); false when another instance holds it. */
  async claimOne(refundNo: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const rows = (await this.em.query(
      `SELECT id FROM refunds WHERE refund_no = ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)${this.lockRows ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      [refundNo, now, owner],
    )) as { id: number }[];
    if (!rows.length) return false;
    await this.em.query(`UPDATE refunds SET lease_owner = ?, lease_until = ? WHERE id = ?`, [owner, now + leaseMs, Number(rows[0]!.id)]);
    return true;
  }

  /**
   * The 支付异常 a refund returns money of (payment_exceptions, written by the payment inbox). Read
   * here, not through PaymentRepository, because the refund's money check needs it locked with the
   * refunds that hold against it.
   */
  async exception(id: number, opts: { forUpdate?: boolean } = {}): Promise<{ id: number; orderNo: string; platform: string; amountFen: number; status: string; kind: string } | null> {
    const qb = this.em.createQueryBuilder(PaymentExceptionEntity, 'e').where('e.id = :id', { id });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? { id: int(row.id), orderNo: row.order_no, platform: row.platform, amountFen: int(row.amount_fen), status: row.status, kind: row.kind } : null;
  }

  /** The exception's money went back in full: it is resolved. */
  async resolveException(id: number, at: number): Promise<void> {
    await this.em.createQueryBuilder().update(PaymentExceptionEntity).set({ status: 'resolved', resolved_at: at, version: () => 'version + 1', updated_seq: this.nextSeq() }).where('id = :id AND status = :open', { id, open: 'open' }).execute();
  }

  async release(owner: string, refundNo?: string): Promise<void> {
    if (refundNo) await this.em.query(`UPDATE refunds SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND refund_no = ?`, [owner, refundNo]);
    else await this.em.query(`UPDATE refunds SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?`, [owner]);
  }
}
