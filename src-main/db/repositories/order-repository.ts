import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Order, OrderFilter, OrderSortField, Page, PageRequest } from '../../core/orders/order';
import type { CancelReason, OrderStatus, OrderType, PaymentMethod } from '../../core/orders/order-types';
import { OrderEntity, type OrderRow } from '../entities/order-entity';
import { insertRows, int, intOrNull } from '../bulk-insert';
import { updateRows } from '../bulk-update';
import { ConcurrentUpdateError } from './concurrency';

/** Maps a row read by TypeORM (numbers already converted) or raw (BIGINT may be a string). */
export function orderFromRow(r: OrderRow): Order {
  return {
    orderNo: r.order_no,
    amountFen: int(r.amount_fen),
    paidFen: int(r.paid_fen),
    refundedFen: int(r.refunded_fen),
    method: r.payment_method as PaymentMethod,
    type: r.order_type as OrderType,
    status: r.status as OrderStatus,
    relatedId: r.related_id,
    description: r.description,
    payerId: r.payer_id,
    createdBy: intOrNull(r.created_by),
    createdAt: int(r.created_at),
    expireAt: int(r.expire_at),
    paidAt: intOrNull(r.paid_at),
    cancelledAt: intOrNull(r.cancelled_at),
    cancelReason: r.cancel_reason as CancelReason | null,
    gatewayTradeNo: r.gateway_trade_no,
    version: int(r.version),
  };
}

export type NewOrder = Omit<Order, 'version'>;

function toRow(o: NewOrder, seq: number): Omit<OrderRow, 'id'> {
  return {
    order_no: o.orderNo,
    amount_fen: o.amountFen,
    paid_fen: o.paidFen,
    refunded_fen: o.refundedFen,
    payment_method: o.method,
    order_type: o.type,
    status: o.status,
    related_id: o.relatedId,
    description: o.description,
    payer_id: o.payerId,
    created_by: o.createdBy,
    created_at: o.createdAt,
    expire_at: o.expireAt,
    paid_at: o.paidAt,
    cancelled_at: o.cancelledAt,
    cancel_reason: o.cancelReason,
    gateway_trade_no: o.gatewayTradeNo,
    version: 1,
    updated_seq: seq,
  };
}

/** Every column but the surrogate id, in one fixed order (bulk insert, raw list reads). */
const ORDER_COLUMNS = [
  'order_no', 'amount_fen', 'paid_fen', 'refunded_fen', 'payment_method', 'order_type', 'status', 'related_id', 'description', 'payer_id',
  'created_by', 'created_at', 'expire_at', 'paid_at', 'cancelled_at', 'cancel_reason', 'gateway_trade_no', 'version', 'updated_seq',
] as const satisfies readonly (keyof Omit<OrderRow, 'id'>)[];

const SORT_COLUMNS: Record<OrderSortField, string> = { createdAt: 'o.created_at', amount: 'o.amount_fen', expireAt: 'o.expire_at' };

/** Raw selects come back as `o_<column>`. */
function unprefix(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in r) out[k.startsWith('o_') ? k.slice(2) : k] = r[k];
  return out;
}

export type OrderPatch = Partial<Pick<Order, 'status' | 'paidFen' | 'refundedFen' | 'paidAt' | 'cancelledAt' | 'cancelReason' | 'gatewayTradeNo'>>;

const PATCH_COLUMNS: Record<keyof OrderPatch, keyof OrderRow> = {
  status: 'status',
  paidFen: 'paid_fen',
  refundedFen: 'refunded_fen',
  paidAt: 'paid_at',
  cancelledAt: 'cancelled_at',
  cancelReason: 'cancel_reason',
  gatewayTradeNo: 'gateway_trade_no',
};

export class OrderRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  async insert(order: NewOrder): Promise<void> {
    await this.em.createQueryBuilder().insert().into(OrderEntity).values(toRow(order, this.nextSeq())).execute();
  }

  /** Many rows, one multi-row statement per chunk: the demo-data and bulk-import path. */
  async insertMany(orders: NewOrder[]): Promise<void> {
    const rows = orders.map((o) => {
      const r = toRow(o, this.nextSeq());
      return ORDER_COLUMNS.map((c) => r[c]);
    });
    await insertRows(this.em, 'payment_orders', ORDER_COLUMNS, rows);
  }

  /** `forUpdate` takes a row lock on MySQL (SQLite's writer lock already serializes). */
  async findByNo(orderNo: string, opts: { forUpdate?: boolean } = {}): Promise<Order | null> {
    const qb = this.em.createQueryBuilder(OrderEntity, 'o').where('o.order_no = :orderNo', { orderNo });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? orderFromRow(row) : null;
  }

  /**
   * Several orders in one read, keyed by order number (missing ones are absent). `forUpdate` locks
   * them on MySQL, in index order, so two batches over the same orders cannot deadlock on each other.
   */
  async findManyByNo(orderNos: readonly string[], opts: { forUpdate?: boolean } = {}): Promise<Map<string, Order>> {
    const out = new Map<string, Order>();
    const nos = [...new Set(orderNos)].sort();
    if (!nos.length) return out;
    const rows = (await this.em.query(
      `SELECT ${ORDER_COLUMNS.join(', ')} FROM payment_orders WHERE order_no IN (${nos.map(() => '?').join(', ')}) ORDER BY order_no${opts.forUpdate && this.lockRows ? ' FOR UPDATE' : ''}`,
      nos,
    )) as OrderRow[];
    for (const r of rows) out.set(r.order_no, orderFromRow(r));
    return out;
  }

  /** Several optimistic updates (same patch fields each) in one statement; ConcurrentUpdateError if any row changed since read. */
  async updateMany(updates: readonly { orderNo: string; version: number; patch: OrderPatch }[]): Promise<void> {
    const changed = await updateRows(
      this.em,
      'payment_orders',
      'order_no',
      updates.map((u) => {
        const set: Record<string, unknown> = { updated_seq: this.nextSeq() };
        for (const [k, v] of Object.entries(u.patch)) set[PATCH_COLUMNS[k as keyof OrderPatch]] = v;
        return { key: u.orderNo, version: u.version, set };
      }),
    );
    if (changed !== updates.length) throw new ConcurrentUpdateError();
  }

  async list(filter: OrderFilter, page: PageRequest<OrderSortField>): Promise<Page<Order>> {
    const where = this.filtered(filter);
    // Raw rows straight into the domain type: TypeORM's entity hydration was a third of our
    // overhead over the bare driver on this, the busiest screen (bench/RESULTS.md).
    const [rows, count] = await Promise.all([
      where
        .clone()
        .select(ORDER_COLUMNS.map((c) => `o.${c}`))
        .orderBy(SORT_COLUMNS[page.sortBy], page.sortOrder === 'asc' ? 'ASC' : 'DESC')
        .addOrderBy('o.id', page.sortOrder === 'asc' ? 'ASC' : 'DESC')
        .offset((page.page - 1) * page.pageSize)
        .limit(page.pageSize)
        .getRawMany<Record<string, unknown>>(),
      where.clone().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>(),
    ]);
    return { items: rows.map((r) => orderFromRow(unprefix(r) as unknown as OrderRow)), total: Number(count?.n ?? 0), page: page.page, pageSize: page.pageSize };
  }

  private filtered(f: OrderFilter): SelectQueryBuilder<OrderRow> {
    const qb = this.em.createQueryBuilder(OrderEntity, 'o');
    if (f.orderNo) qb.andWhere('o.order_no = :orderNo', { orderNo: f.orderNo });
    if (f.payerId) qb.andWhere('o.payer_id = :payerId', { payerId: f.payerId });
    if (f.relatedId) qb.andWhere('o.related_id = :relatedId', { relatedId: f.relatedId });
    if (f.statuses?.length) qb.andWhere('o.status IN (:...statuses)', { statuses: f.statuses });
    if (f.methods?.length) qb.andWhere('o.payment_method IN (:...methods)', { methods: f.methods });
    if (f.types?.length) qb.andWhere('o.order_type IN (:...types)', { types: f.types });
    if (f.createdFrom !== undefined) qb.andWhere('o.created_at >= :createdFrom', { createdFrom: f.createdFrom });
    if (f.createdTo !== undefined) qb.andWhere('o.created_at < :createdTo', { createdTo: f.createdTo });
    return qb;
  }

  /** Optimistic update: fails with ConcurrentUpdateError when someone changed the row since `version`. */
  async update(orderNo: string, version: number, patch: OrderPatch): Promise<void> {
    const set: Record<string, unknown> = { version: version + 1, updated_seq: this.nextSeq() };
    for (const [k, v] of Object.entries(patch)) set[PATCH_COLUMNS[k as keyof OrderPatch]] = v;
    const res = await this.em
      .createQueryBuilder()
      .update(OrderEntity)
      .set(set)
      .where('order_no = :orderNo AND version = :version', { orderNo, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  /** Pending orders whose payment time limit has passed, oldest first. */
  async findExpiredPending(now: number, limit: number): Promise<Order[]> {
    const rows = await this.em
      .createQueryBuilder(OrderEntity, 'o')
      .where('o.status = :status AND o.expire_at <= :now', { status: 'pending', now })
      .orderBy('o.expire_at', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map(orderFromRow);
  }
}

/** Scheduled work on orders, claimed with leases so several server instances never overlap. */
export type OrderWork = 'close_overdue' | 'sync_unpaid';

export class OrderClaims {
  constructor(
    private readonly em: EntityManager,
    private readonly skipLocked: boolean,
  ) {}

  /**
   * Claims up to `limit` orders for `work` and leases them to `owner` until `now + leaseMs`. Must run
   * inside a transaction: on MySQL the candidate rows are locked FOR UPDATE SKIP LOCKED, so a second
   * instance claiming at the same moment skips them instead of waiting; on SQLite the single writer
   * serializes claims anyway.
   */
  async claim(work: OrderWork, owner: string, now: number, leaseMs: number, limit: number, minAgeMs = 60_000): Promise<string[]> {
    const where =
      work === 'close_overdue'
        ? `status = 'pending' AND expire_at <= ?`
        : `status = 'pending' AND expire_at > ? AND created_at <= ? AND (last_synced_at IS NULL OR last_synced_at <= ?)
           AND EXISTS (SELECT 1 FROM payment_requests r WHERE r.order_no = payment_orders.order_no)`;
    const params: unknown[] = work === 'close_overdue' ? [now] : [now, now - minAgeMs, now - minAgeMs];
    const rows = (await this.em.query(
      `SELECT id, order_no FROM payment_orders WHERE ${where} AND (lease_until IS NULL OR lease_until < ?)
       ORDER BY ${work === 'close_overdue' ? 'expire_at' : 'created_at'} LIMIT ${Math.trunc(limit)}${this.skipLocked ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      [...params, now],
    )) as { id: number; order_no: string }[];
    if (!rows.length) return [];
    const ids = rows.map((r) => Number(r.id));
    await this.em.query(`UPDATE payment_orders SET lease_owner = ?, lease_until = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [owner, now + leaseMs, ...ids]);
    return rows.map((r) => r.order_no);
  }

  async markSynced(orderNo: string, at: number): Promise<void> {
    await this.em.query(`UPDATE payment_orders SET last_synced_at = ? WHERE order_no = ?`, [at, orderNo]);
  }

  /** Gives back one order (work done) or all of an owner's (a clean stop), so others may take them at once. */
  async release(owner: string, orderNo?: string): Promise<void> {
    if (orderNo) await this.em.query(`UPDATE payment_orders SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND order_no = ?`, [owner, orderNo]);
    else await this.em.query(`UPDATE payment_orders SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?`, [owner]);
  }
}
