import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Page, PageRequest } from '../../core/orders/order';
import type { PaymentMethod } from '../../core/orders/order-types';
import type { DailyTrendPoint, Transaction, TransactionFilter, TransactionSortField, TransactionStats } from '../../core/transactions/transaction';
import type { TransactionStatus, TransactionType } from '../../core/transactions/transaction-types';
import { TransactionEntity, type TransactionRow } from '../entities/transaction-entity';
import { insertRows, int } from '../bulk-insert';
import { updateRows } from '../bulk-update';
import { ConcurrentUpdateError } from './concurrency';

export function transactionFromRow(r: TransactionRow): Transaction {
  return {
    transactionNo: r.transaction_no,
    orderNo: r.order_no,
    method: r.payment_method as PaymentMethod,
    amountFen: r.amount_fen,
    status: r.status as TransactionStatus,
    type: r.type as TransactionType,
    gatewayTradeNo: r.gateway_trade_no,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export type NewTransaction = Omit<Transaction, 'version'>;

function toRow(t: NewTransaction, seq: number): Omit<TransactionRow, 'id'> {
  return {
    transaction_no: t.transactionNo,
    order_no: t.orderNo,
    payment_method: t.method,
    amount_fen: t.amountFen,
    status: t.status,
    type: t.type,
    gateway_trade_no: t.gatewayTradeNo,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    version: 1,
    updated_seq: seq,
  };
}

const TRANSACTION_COLUMNS = [
  'transaction_no', 'order_no', 'payment_method', 'amount_fen', 'status', 'type', 'gateway_trade_no', 'created_at', 'updated_at', 'version', 'updated_seq',
] as const satisfies readonly (keyof Omit<TransactionRow, 'id'>)[];

const SORT_COLUMNS: Record<TransactionSortField, string> = { createdAt: 't.created_at', amount: 't.amount_fen' };

export class TransactionRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
  ) {}

  async insert(t: NewTransaction): Promise<void> {
    await this.em.createQueryBuilder().insert().into(TransactionEntity).values(toRow(t, this.nextSeq())).execute();
  }

  async insertMany(ts: NewTransaction[]): Promise<void> {
    const rows = ts.map((t) => {
      const r = toRow(t, this.nextSeq());
      return TRANSACTION_COLUMNS.map((c) => r[c]);
    });
    await insertRows(this.em, 'transactions', TRANSACTION_COLUMNS, rows);
  }

  async findByNo(transactionNo: string): Promise<Transaction | null> {
    const row = await this.em.findOne(TransactionEntity, { where: { transaction_no: transactionNo } });
    return row ? transactionFromRow(row) : null;
  }

  async findByOrder(orderNo: string): Promise<Transaction[]> {
    const rows = await this.em
      .createQueryBuilder(TransactionEntity, 't')
      .where('t.order_no = :orderNo', { orderNo })
      .orderBy('t.created_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getMany();
    return rows.map(transactionFromRow);
  }

  async updateStatus(transactionNo: string, version: number, status: TransactionStatus, at: number, gatewayTradeNo?: string | null): Promise<void> {
    const set: Partial<TransactionRow> = { status, updated_at: at, version: version + 1, updated_seq: this.nextSeq() };
    if (gatewayTradeNo !== undefined) set.gateway_trade_no = gatewayTradeNo;
    const res = await this.em
      .createQueryBuilder()
      .update(TransactionEntity)
      .set(set)
      .where('transaction_no = :transactionNo AND version = :version', { transactionNo, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  /**
   * The first pending payment transaction of each given order (by creation), keyed by order number.
   * `forUpdate` (MySQL) reads the latest rows and locks them, as the caller is about to update them.
   */
  async pendingPayments(orderNos: readonly string[], opts: { forUpdate?: boolean } = {}): Promise<Map<string, Transaction>> {
    const out = new Map<string, Transaction>();
    if (!orderNos.length) return out;
    const nos = [...new Set(orderNos)];
    const rows = (await this.em.query(
      `SELECT ${TRANSACTION_COLUMNS.join(', ')} FROM transactions WHERE order_no IN (${nos.map(() => '?').join(', ')}) AND type = 'payment' AND status = 'pending' ORDER BY created_at, id${opts.forUpdate && this.em.connection.options.type === 'mysql' ? ' FOR UPDATE' : ''}`,
      nos,
    )) as TransactionRow[];
    for (const r of rows) {
      const t = transactionFromRow({ ...r, amount_fen: int(r.amount_fen), created_at: int(r.created_at), updated_at: int(r.updated_at), version: int(r.version) });
      if (!out.has(t.orderNo)) out.set(t.orderNo, t);
    }
    return out;
  }

  /** Several `updateStatus` in one statement; ConcurrentUpdateError if any row changed since read. */
  async updateStatusMany(updates: readonly { transactionNo: string; version: number; status: TransactionStatus; at: number; gatewayTradeNo: string | null }[]): Promise<void> {
    const changed = await updateRows(
      this.em,
      'transactions',
      'transaction_no',
      updates.map((u) => ({ key: u.transactionNo, version: u.version, set: { status: u.status, updated_at: u.at, gateway_trade_no: u.gatewayTradeNo, updated_seq: this.nextSeq() } })),
    );
    if (changed !== updates.length) throw new ConcurrentUpdateError();
  }

  async list(filter: TransactionFilter, page: PageRequest<TransactionSortField>): Promise<Page<Transaction>> {
    const where = this.filtered(filter);
    const dir = page.sortOrder === 'asc' ? 'ASC' : 'DESC';
    const [rows, count] = await Promise.all([
      where
        .clone()
        .orderBy(SORT_COLUMNS[page.sortBy], dir)
        .addOrderBy('t.id', dir)
        .offset((page.page - 1) * page.pageSize)
        .limit(page.pageSize)
        .getMany(),
      where.clone().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>(),
    ]);
    return { items: rows.map(transactionFromRow), total: Number(count?.n ?? 0), page: page.page, pageSize: page.pageSize };
  }

  private filtered(f: TransactionFilter): SelectQueryBuilder<TransactionRow> {
    const qb = this.em.createQueryBuilder(TransactionEntity, 't');
    if (f.transactionNo) qb.andWhere('t.transaction_no = :transactionNo', { transactionNo: f.transactionNo });
    if (f.orderNo) qb.andWhere('t.order_no = :orderNo', { orderNo: f.orderNo });
    if (f.statuses?.length) qb.andWhere('t.status IN (:...statuses)', { statuses: f.statuses });
    if (f.types?.length) qb.andWhere('t.type IN (:...types)', { types: f.types });
    if (f.methods?.length) qb.andWhere('t.payment_method IN (:...methods)', { methods: f.methods });
    if (f.createdFrom !== undefined) qb.andWhere('t.created_at >= :createdFrom', { createdFrom: f.createdFrom });
    if (f.createdTo !== undefined) qb.andWhere('t.created_at < :createdTo', { createdTo: f.createdTo });
    return qb;
  }

  /**
   * Successful payments per Asia/Shanghai day in [from, to), grouped by the database. The day number
   * is (instant + 8 h) div 1 day: integer division is `/` on SQLite integers and `DIV` on MySQL.
   */
  async dailyTrend(from: number, to: number): Promise<DailyTrendPoint[]> {
    const day = this.em.connection.options.type === 'mysql' ? '(t.created_at + 28800000) DIV 86400000' : '(t.created_at + 28800000) / 86400000';
    const rows = await this.em
      .createQueryBuilder(TransactionEntity, 't')
      .select(day, 'day')
      .addSelect('COUNT(*)', 'n')
      .addSelect('COALESCE(SUM(t.amount_fen), 0)', 'amount')
      .where('t.created_at >= :from AND t.created_at < :to', { from, to })
      .andWhere('t.type = :type', { type: 'payment' })
      .andWhere('t.status IN (:...statuses)', { statuses: ['success', 'refunding', 'refunded'] })
      .groupBy('day')
      .getRawMany<{ day: number | string; n: number | string; amount: number | string }>();
    const byDay = new Map(rows.map((r) => [Number(r.day), r]));
    const out: DailyTrendPoint[] = [];
    const firstDay = Math.floor((from + 28_800_000) / 86_400_000);
    const lastDay = Math.floor((to - 1 + 28_800_000) / 86_400_000);
    for (let d = firstDay; d <= lastDay; d++) {
      const r = byDay.get(d);
      out.push({ date: new Date(d * 86_400_000).toISOString().slice(0, 10), amountFen: Number(r?.amount ?? 0), count: Number(r?.n ?? 0) });
    }
    return out;
  }

  /**
   * Statistics of payment transactions created in [from, to), computed by the database in one
   * grouped pass. A payment that was later refunded still counts as a successful payment.
   */
  async stats(from: number, to: number): Promise<TransactionStats> {
    const rows = await this.em
      .createQueryBuilder(TransactionEntity, 't')
      .select('t.payment_method', 'method')
      .addSelect('t.status', 'status')
      .addSelect('t.type', 'type')
      .addSelect('COUNT(*)', 'n')
      .addSelect('COALESCE(SUM(t.amount_fen), 0)', 'amount')
      .where('t.created_at >= :from AND t.created_at < :to', { from, to })
      .groupBy('t.payment_method')
      .addGroupBy('t.status')
      .addGroupBy('t.type')
      .getRawMany<{ method: PaymentMethod; status: TransactionStatus; type: TransactionType; n: number | string; amount: number | string }>();

    const paidStatuses: TransactionStatus[] = ['success', 'refunding', 'refunded'];
    let totalAmountFen = 0, successCount = 0, failedCount = 0, pendingCount = 0, totalCount = 0, refundedAmountFen = 0;
    const byMethod = new Map<PaymentMethod, { amountFen: number; count: number }>();
    for (const r of rows) {
      const n = Number(r.n);
      const amount = Number(r.amount);
      if (r.type === 'refund') {
        if (r.status === 'success') refundedAmountFen += amount;
        continue;
      }
      if (r.type !== 'payment') continue;
      totalCount += n;
      if (paidStatuses.includes(r.status)) {
        successCount += n;
        totalAmountFen += amount;
        const m = byMethod.get(r.method) ?? { amountFen: 0, count: 0 };
        m.amountFen += amount;
        m.count += n;
        byMethod.set(r.method, m);
      } else if (r.status === 'failed') failedCount += n;
      else if (r.status === 'pending') pendingCount += n;
    }
    const finished = successCount + failedCount;
    return {
      totalAmountFen,
      successCount,
      totalCount,
      failedCount,
      pendingCount,
      successRate: finished ? successCount / finished : null,
      byMethod: [...byMethod.entries()]
        .map(([method, m]) => ({ method, ...m, share: totalAmountFen ? m.amountFen / totalAmountFen : 0 }))
        .sort((a, b) => b.amountFen - a.amountFen),
      refundedAmountFen,
    };
  }
}
