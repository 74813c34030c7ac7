import type { EntityManager } from 'typeorm';
import type { Page } from '../../core/orders/order';
import { PaymentExceptionEntity, PaymentRequestEntity, type PaymentExceptionRow } from '../entities/payment-entities';
import { isUniqueViolation } from '../db-errors';

export interface PaymentException {
  id: number;
  orderNo: string;
  platform: string;
  platformTradeNo: string;
  amountFen: number;
  /** paid_after_close: money arrived for a cancelled order; amount_mismatch: the platform collected a different amount. */
  kind: 'paid_after_close' | 'amount_mismatch' | 'duplicate_payment' | 'unknown_order' | 'wrong_channel';
  status: 'open' | 'resolved';
  detail: string;
  createdAt: number;
  resolvedAt: number | null;
}

const fromRow = (r: PaymentExceptionRow): PaymentException => ({
  id: r.id,
  orderNo: r.order_no,
  platform: r.platform,
  platformTradeNo: r.platform_trade_no,
  amountFen: r.amount_fen,
  kind: r.kind as PaymentException['kind'],
  status: r.status as PaymentException['status'],
  detail: r.detail,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
});

/** What we asked the platforms for, and the money that arrived where it should not have. */
export class PaymentRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
  ) {}

  async findRequest(orderNo: string, scene: string): Promise<{ result: unknown; createdAt: number } | null> {
    const row = await this.em.findOne(PaymentRequestEntity, { where: { order_no: orderNo, scene } });
    return row ? { result: JSON.parse(row.result_json) as unknown, createdAt: row.created_at } : null;
  }

  async hasRequest(orderNo: string): Promise<boolean> {
    return (await this.em.count(PaymentRequestEntity, { where: { order_no: orderNo } })) > 0;
  }

  async platformsRequested(orderNo: string): Promise<string[]> {
    const rows = await this.em.find(PaymentRequestEntity, { where: { order_no: orderNo } });
    return [...new Set(rows.map((r) => r.platform))];
  }

  async saveRequest(orderNo: string, platform: string, scene: string, result: unknown, at: number): Promise<void> {
    await this.em
      .createQueryBuilder()
      .insert()
      .into(PaymentRequestEntity)
      .values({ order_no: orderNo, platform, scene, created_at: at, result_json: JSON.stringify(result), version: 1, updated_seq: this.nextSeq() })
      .execute();
  }

  /** Records an exception once per platform trade and kind; a repeat (a replayed notification) is a no-op. */
  async recordException(e: Omit<PaymentException, 'id' | 'status' | 'resolvedAt'>): Promise<boolean> {
    try {
      await this.em
        .createQueryBuilder()
        .insert()
        .into(PaymentExceptionEntity)
        .values({
          order_no: e.orderNo,
          platform: e.platform,
          platform_trade_no: e.platformTradeNo,
          amount_fen: e.amountFen,
          kind: e.kind,
          status: 'open',
          detail: e.detail.slice(0, 256),
          created_at: e.createdAt,
          resolved_at: null,
          version: 1,
          updated_seq: this.nextSeq(),
        })
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async exceptions(status: 'open' | 'resolved' | undefined, page: number, pageSize: number): Promise<Page<PaymentException>> {
    const qb = this.em.createQueryBuilder(PaymentExceptionEntity, 'e');
    if (status) qb.where('e.status = :status', { status });
    const [rows, total] = await Promise.all([
      qb.clone().orderBy('e.created_at', 'DESC').addOrderBy('e.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getMany(),
      qb.clone().getCount(),
    ]);
    return { items: rows.map(fromRow), total, page, pageSize };
  }
}
