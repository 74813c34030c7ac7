import type { RecordKind, RecordState } from '../../core/reconciliation/recon-diff';
import type { PaymentMethod } from '../../core/orders/order-types';
import { execute } from '../bulk-update';
import { insertRows, int, intOrNull } from '../bulk-insert';
import { ReconRunRepository, str } from './recon-run-repository';

/** One record of either side as a difference shows it (recon_diffs.local_json / platform_json) and as it is held. */
export interface StagedRow {
  side: 'platform' | 'local';
  kind: RecordKind;
  /** Platform: the line's ordinal in the bill (negative: held by the previous day's run); local: the row's id. */
  seq: number;
  key: string;
  orderNo: string;
  platformNo: string | null;
  amountFen: number;
  feeFen: number | null;
  state: RecordState;
  sourceState: string | null;
  at: number;
  line: number | null;
  raw: Record<string, string> | null;
  carried: boolean;
}

/** A local record as the join reads it: the fields the rule compares, nothing to show. */
export interface LocalRecord {
  seq: number;
  key: string;
  amountFen: number;
  feeFen: number | null;
  state: RecordState;
  at: number;
}

/** Where a keyset page of the day's records ends: (time, tie-breaker) of its last row — the order number for payments, the id for refunds. */
export interface DayCursor<T extends string | number = string | number> {
  at: number;
  tie: T;
}

/** Takes one record of a page, field by field (a million of them: no object each). */
export type TakeLocal = (seq: number, key: string, amountFen: number, feeFen: number | null, state: RecordState, at: number) => void;

/** A page of our side of the day: where the next one starts, and its records, converted as they are taken. */
export interface LocalPage<C extends DayCursor = DayCursor> {
  next: C | null;
  /** The page was full: there may be more after `next`. */
  more: boolean;
  each(take: TakeLocal): void;
}

/** The payment transaction status in the rule's vocabulary. */
export function paymentState(status: string): RecordState {
  return status === 'success' || status === 'refunding' || status === 'refunded' ? 'success' : status === 'failed' ? 'closed' : 'pending';
}

/** The refund state in the rule's vocabulary. */
export function refundState(state: string): RecordState {
  return state === 'success' ? 'success' : state === 'failed' ? 'failed' : state === 'closed' || state === 'rejected' ? 'closed' : 'pending';
}

/** The parts of the drivers' connections that `arrays` uses. */
interface SqliteConnection {
  prepare(sql: string): { raw(on: boolean): { all(...params: unknown[]): unknown[][] } };
}
interface MysqlConnection {
  query(options: { sql: string; values: unknown[]; rowsAsArray: boolean }, done: (e: Error | null, rows: unknown) => void): void;
}

const inList = (n: number) => `(${Array(n).fill('?').join(', ')})`;

/**
 * Our side of a reconciliation day, read for the join in ReconService, and the one-sided records
 * held for the next day (recon_held). The day's records are read in keyset pages in time order (one
 * index range scan each: ix_orders_method_paid_no, ix_refunds_platform_succeeded), so neither the
 * database nor the driver ever holds the whole day in one result; the join needs only the compared
 * fields, and the few records that end up in a difference are read again in full by id.
 */
export class ReconRecordsRepository extends ReconRunRepository {
  /**
   * The payment transactions of the orders of `channel` paid in [from, to), a page of `orders`
   * orders after `after` in (paid_at, id) order, every payment transaction of each order — the
   * unsuccessful ones too: they belong to the day's join when the bill has their key.
   */
  async paidPayments(channel: PaymentMethod, from: number, to: number, after: DayCursor<string> | null, orders: number): Promise<LocalPage<DayCursor<string>>> {
    const c = after ?? { at: from, tie: '' };
    // (paid_at, order_no) is the order of ix_orders_method_paid_no: the page is read in index order, no sort.
    const rows = await this.arrays(
      `SELECT o.order_no, o.paid_at, t.id, t.amount_fen, t.status
       FROM (SELECT order_no, paid_at FROM payment_orders WHERE payment_method = ? AND paid_at >= ? AND paid_at < ? AND (paid_at > ? OR (paid_at = ? AND order_no > ?))
             ORDER BY paid_at, order_no LIMIT ${Math.trunc(orders)}) o
       LEFT JOIN transactions t ON t.order_no = o.order_no AND t.type = 'payment'`,
      // The range starts at the cursor (paid_at >= its time): the OR alone would make the index range start at the day's start.
      [channel, c.at, to, c.at, c.at, c.tie],
    );
    let next: DayCursor<string> | null = null;
    let last: unknown = null;
    let count = 0;
    for (const row of rows) {
      const orderNo = String(row[0]);
      const paid = int(row[1]);
      // Orders, not rows: a page is full when it has `orders` orders. (Were an order's rows ever not
      // together, it would count twice: at worst one more page is read, never one less.)
      if (orderNo !== last) count++;
      last = orderNo;
      if (!next || paid > next.at || (paid === next.at && orderNo > next.tie)) next = { at: paid, tie: orderNo };
    }
    return {
      next,
      more: count >= orders,
      each(take) {
        for (const [key, paid, seq, amount, status] of rows) {
          if (seq === null || seq === undefined) continue; // an order without a payment transaction
          take(int(seq), String(key), int(amount), null, paymentState(String(status)), int(paid));
        }
      },
    };
  }

  /** The refunds of `channel` that succeeded in [from, to), a page of `limit` after `after` in (succeeded_at, id) order. */
  async succeededRefunds(channel: PaymentMethod, from: number, to: number, after: DayCursor<number> | null, limit: number): Promise<LocalPage<DayCursor<number>>> {
    const c = after ?? { at: from, tie: 0 };
    const rows = await this.arrays(
      `SELECT id, refund_no, amount_fen, fee_fen, succeeded_at FROM refunds
       WHERE platform = ? AND state = 'success' AND succeeded_at >= ? AND succeeded_at < ? AND (succeeded_at > ? OR (succeeded_at = ? AND id > ?))
       ORDER BY succeeded_at, id LIMIT ${Math.trunc(limit)}`,
      [channel, c.at, to, c.at, c.at, c.tie],
    );
    const last = rows[rows.length - 1];
    return {
      next: last ? { at: int(last[4]), tie: int(last[0]) } : null,
      more: rows.length >= limit,
      each(take) {
        for (const [seq, key, amount, fee, at] of rows) take(int(seq), String(key), int(amount), intOrNull(fee), 'success', int(at));
      },
    };
  }

  /**
   * Rows as arrays, straight from the driver: the day's side is a million rows, and the object
   * TypeORM's query makes of each (better-sqlite3 `all()`, mysql2's row parser) costs more than the
   * rest of the join; arrays (better-sqlite3 `raw()`, mysql2 `rowsAsArray`) cost about half. On
   * SQLite the one connection is the unit of work's too, so the rows are the same as em.query's.
   */
  private async arrays(sql: string, params: unknown[]): Promise<unknown[][]> {
    if (this.em.connection.options.type === 'better-sqlite3') {
      const db = (this.em.connection.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
      return db.prepare(sql).raw(true).all(...params);
    }
    const runner = this.em.queryRunner ?? this.em.connection.createQueryRunner();
    try {
      const conn = (await runner.connect()) as MysqlConnection;
      return await new Promise<unknown[][]>((ok, fail) => conn.query({ sql, values: params, rowsAsArray: true }, (e, rows) => (e ? fail(e) : ok(rows as unknown[][]))));
    } finally {
      if (!this.em.queryRunner) await runner.release();
    }
  }

  /**
   * Our records of `kind` with the given keys (out_trade_no = order_no, out_refund_no = refund_no),
   * whatever their day; `laterSuccess`: a success after `dayEnd`, which belongs to its own day.
   */
  async recordsByKey(channel: PaymentMethod, kind: RecordKind, keys: readonly string[], dayEnd: number): Promise<(LocalRecord & { laterSuccess: boolean })[]> {
    const out: (LocalRecord & { laterSuccess: boolean })[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      // Only the keys select (a unique-index lookup each); the channel is checked here, so that no
      // planner is tempted by the channel's index instead (a scan of every order of the channel).
      if (kind === 'payment') {
        const rows = await this.q(
          `SELECT t.id AS seq, t.order_no AS k, t.amount_fen AS a, t.status AS ss, COALESCE(o.paid_at, t.updated_at) AS at_, o.paid_at AS paid, o.payment_method AS m
           FROM payment_orders o JOIN transactions t ON t.order_no = o.order_no AND t.type = 'payment' WHERE o.order_no IN ${inList(part.length)}`,
          part,
        );
        for (const r of rows) {
          if (r.m !== channel) continue;
          const state = paymentState(String(r.ss));
          out.push({ seq: int(r.seq), key: String(r.k), amountFen: int(r.a), feeFen: null, state, at: int(r.at_), laterSuccess: state === 'success' && (intOrNull(r.paid) ?? 0) >= dayEnd });
        }
      } else {
        const rows = await this.q(
          `SELECT id AS seq, refund_no AS k, amount_fen AS a, fee_fen AS f, state AS ss, COALESCE(succeeded_at, updated_at) AS at_, succeeded_at AS done, platform AS m
           FROM refunds WHERE refund_no IN ${inList(part.length)}`,
          part,
        );
        for (const r of rows) {
          if (r.m !== channel) continue;
          const state = refundState(String(r.ss));
          out.push({ seq: int(r.seq), key: String(r.k), amountFen: int(r.a), feeFen: intOrNull(r.f), state, at: int(r.at_), laterSuccess: String(r.ss) === 'success' && (intOrNull(r.done) ?? 0) >= dayEnd });
        }
      }
    }
    return out;
  }

  /** Our records of `kind` in full, by id (those a difference or a held record shows), not carried. */
  async localRows(kind: RecordKind, ids: readonly number[]): Promise<StagedRow[]> {
    const out: StagedRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const rows =
        kind === 'payment'
          ? await this.q(
              `SELECT t.id AS seq, t.order_no AS k, t.order_no AS o, t.gateway_trade_no AS p, t.amount_fen AS a, NULL AS f, t.status AS ss, COALESCE(o.paid_at, t.updated_at) AS at_
               FROM transactions t JOIN payment_orders o ON o.order_no = t.order_no WHERE t.id IN ${inList(part.length)}`,
              part,
            )
          : await this.q(
              `SELECT id AS seq, refund_no AS k, order_no AS o, platform_refund_no AS p, amount_fen AS a, fee_fen AS f, state AS ss, COALESCE(succeeded_at, updated_at) AS at_
               FROM refunds WHERE id IN ${inList(part.length)}`,
              part,
            );
      for (const r of rows) {
        const ss = String(r.ss);
        out.push({
          side: 'local',
          kind,
          seq: int(r.seq),
          key: String(r.k),
          orderNo: String(r.o),
          platformNo: str(r.p),
          amountFen: int(r.a),
          feeFen: intOrNull(r.f),
          state: kind === 'payment' ? paymentState(ss) : refundState(ss),
          sourceState: ss,
          at: int(r.at_),
          line: null,
          raw: null,
          carried: false,
        });
      }
    }
    return out;
  }

  // ───────────────────────────── held records ─────────────────────────────

  async hold(channel: PaymentMethod, fromDate: string, toDate: string, runId: number, rows: readonly StagedRow[], at: number): Promise<void> {
    await insertRows(
      this.em,
      'recon_held',
      ['channel', 'side', 'kind', 'match_key', 'from_date', 'to_date', 'from_run_id', 'record_json', 'created_at', 'version', 'updated_seq'],
      rows.map((r) => [channel, r.side, r.kind, r.key, fromDate, toDate, runId, JSON.stringify(r), at, 1, this.nextSeq()]),
    );
  }

  /** The platform records the previous day's run held for `billDate`, carried into its join (never held again). */
  async heldPlatform(channel: PaymentMethod, billDate: string): Promise<StagedRow[]> {
    const held = await this.q(`SELECT id, record_json FROM recon_held WHERE channel = ? AND to_date = ? AND side = 'platform'`, [channel, billDate]);
    return held.map((h) => {
      const r = JSON.parse(String(h.record_json)) as StagedRow;
      // Negative sequence numbers: never the ordinal of a line of today's bill.
      return { side: 'platform', kind: r.kind, seq: -int(h.id), key: r.key, orderNo: r.orderNo, platformNo: r.platformNo, amountFen: r.amountFen, feeFen: r.feeFen, state: r.state, sourceState: r.sourceState, at: r.at, line: r.line, raw: r.raw, carried: true };
    });
  }

  /** The keys of our records the previous day's run held for `billDate`: they join today, whatever their day. */
  async heldLocalKeys(channel: PaymentMethod, billDate: string): Promise<{ kind: RecordKind; key: string }[]> {
    const rows = await this.q(`SELECT DISTINCT kind, match_key FROM recon_held WHERE channel = ? AND to_date = ? AND side = 'local'`, [channel, billDate]);
    return rows.map((r) => ({ kind: r.kind as RecordKind, key: String(r.match_key) }));
  }

  /** The day's held records of earlier runs give way to this run's (at its end, in its last transaction). */
  async replaceHeld(channel: PaymentMethod, fromDate: string, runId: number): Promise<void> {
    await this.q(`DELETE FROM recon_held WHERE channel = ? AND from_date = ? AND from_run_id <> ?`, [channel, fromDate, runId]);
  }

  /** A failed run's held records are dropped with it. */
  async clearHeldOfRun(runId: number): Promise<void> {
    await this.q(`DELETE FROM recon_held WHERE from_run_id = ?`, [runId]);
  }

  async consumeHeld(channel: PaymentMethod, toDate: string, runId: number): Promise<number> {
    return execute(this.em, `UPDATE recon_held SET consumed_run_id = ?, version = version + 1, updated_seq = ? WHERE channel = ? AND to_date = ?`, [runId, this.nextSeq(), channel, toDate]);
  }
}

