import type { App } from '../../../src-main/app';
import { insertRows } from '../../../src-main/db/bulk-insert';
import type { BillRecord, BillSummary } from '../../../src-main/core/reconciliation/bill-record';
import type { RecordKind, RecordState } from '../../../src-main/core/reconciliation/recon-diff';
import type { PaymentMethod } from '../../../src-main/core/orders/order-types';
import { shanghaiDayStart } from '../../../src-main/core/time';
import type { ReconBill } from '../../../src-main/services/reconciliation/recon-service';

/**
 * Generated days for the reconciliation tests: our records written straight into the tables the
 * run reads (orders with their payment transactions, refunds), and the platform's bill as the
 * BillRecords a bill reader yields.
 */

/** "2025-03-10 12:00:00" Shanghai → epoch ms. */
export const at = (date: string, hms = '12:00:00') => {
  const [h, m, s] = hms.split(':').map(Number);
  return shanghaiDayStart(date) + ((h! * 60 + m!) * 60 + s!) * 1000;
};

export interface LocalPayment {
  orderNo: string;
  amountFen: number;
  /** Transaction status: success | pending | failed | refunded … */
  status: string;
  paidAt: number | null;
  tradeNo?: string | null;
  /** Extra success transactions for the same order (a payment recorded twice here). */
  duplicates?: number;
  method?: PaymentMethod;
}

export interface LocalRefund {
  refundNo: string;
  orderNo: string;
  amountFen: number;
  feeFen: number | null;
  state: string;
  succeededAt: number | null;
  method?: PaymentMethod;
}

let txSeq = 0;

export async function addLocal(app: App, payments: LocalPayment[], refunds: LocalRefund[] = []): Promise<void> {
  {
    const em = app.store.dataSource.manager;
    const orders = payments.map((p) => [p.orderNo, p.amountFen, p.status === 'pending' ? 0 : p.amountFen, 0, p.method ?? 'wechat', 'customer_order', p.status === 'pending' ? 'pending' : p.status === 'failed' ? 'cancelled' : 'paid', (p.paidAt ?? at('2025-01-01')) - 3_600_000, (p.paidAt ?? at('2025-01-01')) + 3_600_000, p.paidAt, p.tradeNo ?? null, 1, 0]);
    await insertRows(em, 'payment_orders', ['order_no', 'amount_fen', 'paid_fen', 'refunded_fen', 'payment_method', 'order_type', 'status', 'created_at', 'expire_at', 'paid_at', 'gateway_trade_no', 'version', 'updated_seq'], orders);
    const txs: unknown[][] = [];
    for (const p of payments)
      for (let i = 0; i <= (p.duplicates ?? 0); i++) {
        const t = p.paidAt ?? at('2025-01-01');
        txs.push([`T${String(++txSeq).padStart(20, '0')}`, p.orderNo, p.method ?? 'wechat', p.amountFen, p.status, 'payment', p.tradeNo ?? null, t - 60_000, t, 1, 0]);
      }
    await insertRows(em, 'transactions', ['transaction_no', 'order_no', 'payment_method', 'amount_fen', 'status', 'type', 'gateway_trade_no', 'created_at', 'updated_at', 'version', 'updated_seq'], txs);
    await insertRows(
      em,
      'refunds',
      ['refund_no', 'order_no', 'platform', 'amount_fen', 'reason', 'state', 'source', 'requested_by_name', 'fee_fen', 'succeeded_at', 'created_at', 'updated_at', 'version', 'updated_seq'],
      refunds.map((r) => [r.refundNo, r.orderNo, r.method ?? 'wechat', r.amountFen, '测试', r.state, 'staff', '测试', r.feeFen, r.succeededAt, (r.succeededAt ?? at('2025-01-01')) - 60_000, r.succeededAt ?? at('2025-01-01'), 1, 0]),
    );
  }
}

export interface PlatformLine {
  kind?: RecordKind;
  key: string;
  orderNo?: string;
  platformNo?: string;
  amountFen: number;
  feeFen?: number | null;
  state?: RecordState;
  at: number;
}

/** A bill of `date` as a reader would yield it (one record per line, its totals at the end). */
export function bill(channel: PaymentMethod, date: string, lines: PlatformLine[]): ReconBill & { records: AsyncIterable<BillRecord> } {
  const records: BillRecord[] = lines.map((l, i) => ({
    platform: channel,
    kind: l.kind ?? 'payment',
    key: l.key,
    orderNo: l.orderNo ?? l.key,
    platformNo: l.platformNo ?? `42000${l.key}`,
    amountFen: l.amountFen,
    feeFen: l.feeFen === undefined ? Math.round(l.amountFen * 0.006) : l.feeFen,
    state: l.state ?? 'success',
    at: l.at,
    billDate: date,
    line: i + 2,
    raw: { 商户订单号: l.orderNo ?? l.key, 金额: String(l.amountFen) },
  }));
  const summary: BillSummary = {
    count: records.length,
    paidFen: records.filter((r) => r.kind === 'payment').reduce((s, r) => s + r.amountFen, 0),
    refundedFen: records.filter((r) => r.kind === 'refund').reduce((s, r) => s + r.amountFen, 0),
    feeFen: records.reduce((s, r) => s + (r.feeFen ?? 0), 0),
  };
  return {
    records: {
      async *[Symbol.asyncIterator]() {
        yield* records;
      },
    },
    summary: Promise.resolve(summary),
  };
}

/** The differences of a run as `key → type`, read back through the workbench's list. */
export async function diffsOf(app: App, runId: number): Promise<Record<string, string>> {
  const page = await app.reconDiffs.list({ runId }, 'key', 'asc', 1, 200);
  return Object.fromEntries(page.items.map((d) => [d.key, d.type]));
}
