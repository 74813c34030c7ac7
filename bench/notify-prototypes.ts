import mysql from 'mysql2/promise';
import { snapshot, type AuditContent } from '../src-main/core/audit/audit-record';
import { compactShanghai } from '../src-main/core/time';
import type { OrderRow } from '../src-main/db/entities/order-entity';
import { orderFromRow } from '../src-main/db/repositories/order-repository';

/**
 * Prototypes that put numbers on the suggestions of the notification-ingest bench. They are NOT the
 * app: bench-only SQL written against the app's schema, to measure what a change in
 * src-main/services/payments/payment-service.ts would buy before anyone makes it.
 *
 *  - `replayOne`: the statements PaymentService.apply sends for one notification on MariaDB
 *    (13 for a new one, 4 for a duplicate — the bench counts them on the app's connection), replayed
 *    on the bare mysql2 driver, one transaction per notification: what the SQL itself costs
 *    without TypeORM and without HTTP. With `auditHeadLock: false`, the audit entry is written
 *    without `SELECT … FROM audit_head FOR UPDATE` (and so without the hash chain): what the one
 *    global lock costs.
 *  - `GroupCommitApplier`: the same writes for a whole batch of notifications in ONE transaction —
 *    every notification that arrived while the previous batch was committing — and each request is
 *    answered only after its batch committed (same durability as today: nothing is acknowledged
 *    before it is on disk). Four round trips per batch (multi-statement queries): the inbox rows
 *    with INSERT IGNORE on the unique key; the batch's inbox rows, orders and the audit head read
 *    `FOR UPDATE`; every write (order and pending-transaction updates, the audit entries chained in
 *    memory in one multi-row INSERT, the head, one UPDATE settling the inbox rows); one COMMIT (one
 *    redo-log flush).
 */

/** A notification after verification and decryption (what PaymentService.apply receives). */
export interface VerifiedPayment {
  notificationId: string;
  orderNo: string;
  amountFen: number;
  platformTradeNo: string;
  paidAt: number;
  /** The decrypted resource JSON (the inbox's payload_json). */
  payload: string;
}

export type Outcome = 'applied' | 'duplicate' | 'ignored';

export type AuditHasherFn = (content: AuditContent) => string;

const ORDER_SELECT = 'id, order_no, amount_fen, paid_fen, refunded_fen, payment_method, order_type, status, related_id, description, payer_id, created_by, created_at, expire_at, paid_at, cancelled_at, cancel_reason, gateway_trade_no, version, updated_seq';
const INBOX_INSERT = 'INSERT INTO notification_inbox (platform, notification_id, received_at, event_kind, ref_no, payload_json, status, outcome, applied_at, version, updated_seq) VALUES';
const TX_INSERT = 'INSERT INTO transactions (transaction_no, order_no, payment_method, amount_fen, status, type, gateway_trade_no, created_at, updated_at, version, updated_seq) VALUES';
const AUDIT_INSERT = 'INSERT INTO audit_log (seq, at, actor_id, actor_name, action, entity_type, entity_id, before_json, after_json, prev_hash, hash) VALUES';
const ACTOR = 'wechat 支付通知';

/** Strictly increasing `updated_seq` values (epoch-µs), as the store's SeqClock. */
function seqClock(): () => number {
  let last = 0;
  return () => {
    const c = Date.now() * 1000;
    last = c > last ? c : last + 1;
    return last;
  };
}

/** Unique transaction numbers in the business format (T + Shanghai time + 6 digits). */
function txNumbers(): (at: number) => string {
  let n = 0;
  return (at) => `T${compactShanghai(at)}${String(n++ % 1_000_000).padStart(6, '0')}`;
}

const numeric = (r: mysql.RowDataPacket) => r as unknown as OrderRow;
const auditOrder = (r: OrderRow, patch: Partial<OrderRow> = {}) => snapshot({ ...orderFromRow({ ...r, ...patch }), version: undefined });

function isDuplicateKey(e: unknown): boolean {
  return (e as { code?: string }).code === 'ER_DUP_ENTRY';
}

export interface ReplayContext {
  hasher: AuditHasherFn;
  auditHeadLock: boolean;
  seq: () => number;
  txNo: (at: number) => string;
  /** Audit sequence numbers when the head is not locked (no chain: a counter per process). */
  auditSeq: { next: number };
}

export function replayContext(hasher: AuditHasherFn, auditHeadLock: boolean): ReplayContext {
  return { hasher, auditHeadLock, seq: seqClock(), txNo: txNumbers(), auditSeq: { next: 1 } };
}

/**
 * One notification, one transaction, the app's statements in the app's order
 * (PaymentService.apply → InboxRepository.receive → applyTradeStatus → OrderService.confirmPaymentIn
 * → AuditRepository.append → InboxRepository.settle).
 */
export async function replayOne(pool: mysql.Pool, v: VerifiedPayment, ctx: ReplayContext): Promise<Outcome> {
  const conn = await pool.getConnection();
  try {
    await conn.query('START TRANSACTION');
    const now = Date.now();
    try {
      await conn.query(`${INBOX_INSERT} (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ['wechat', v.notificationId, now, 'payment', v.orderNo, v.payload, 'received', null, null, 1, ctx.seq()]);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    const [inbox] = await conn.query<mysql.RowDataPacket[]>('SELECT * FROM notification_inbox WHERE platform = ? AND notification_id = ? FOR UPDATE', ['wechat', v.notificationId]);
    const entry = inbox[0];
    if (!entry || entry.status !== 'received') {
      await conn.query('COMMIT');
      return 'duplicate';
    }
    const [first] = await conn.query<mysql.RowDataPacket[]>(`SELECT ${ORDER_SELECT} FROM payment_orders WHERE order_no = ? FOR UPDATE`, [v.orderNo]);
    const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT ${ORDER_SELECT} FROM payment_orders WHERE order_no = ? FOR UPDATE`, [v.orderNo]);
    const o = rows[0] ? numeric(rows[0]) : undefined;
    if (!first[0] || !o || o.status !== 'pending' || Number(o.amount_fen) !== v.amountFen) throw new Error(`replay: order ${v.orderNo} not payable`);
    const [upd] = await conn.query<mysql.ResultSetHeader>('UPDATE payment_orders SET version = ?, updated_seq = ?, status = ?, paid_fen = ?, paid_at = ?, gateway_trade_no = ? WHERE order_no = ? AND version = ?', [
      Number(o.version) + 1,
      ctx.seq(),
      'paid',
      v.amountFen,
      v.paidAt,
      v.platformTradeNo,
      v.orderNo,
      o.version,
    ]);
    if (upd.affectedRows !== 1) throw new Error('replay: concurrent update');
    const [txs] = await conn.query<mysql.RowDataPacket[]>('SELECT * FROM transactions WHERE order_no = ? ORDER BY created_at ASC, id ASC', [v.orderNo]);
    const pending = txs.find((t) => t.type === 'payment' && t.status === 'pending');
    if (pending) {
      const [tu] = await conn.query<mysql.ResultSetHeader>('UPDATE transactions SET status = ?, updated_at = ?, version = ?, updated_seq = ?, gateway_trade_no = ? WHERE transaction_no = ? AND version = ?', [
        'success',
        now,
        Number(pending.version) + 1,
        ctx.seq(),
        v.platformTradeNo,
        pending.transaction_no,
        pending.version,
      ]);
      if (tu.affectedRows !== 1) throw new Error('replay: transaction changed');
    } else await conn.query(`${TX_INSERT} (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [ctx.txNo(now), v.orderNo, 'wechat', v.amountFen, 'success', 'payment', v.platformTradeNo, now, now, 1, ctx.seq()]);
    const before = auditOrder(o);
    const after = auditOrder(o, { status: 'paid', paid_fen: v.amountFen, paid_at: v.paidAt, gateway_trade_no: v.platformTradeNo });
    if (ctx.auditHeadLock) {
      const [heads] = await conn.query<mysql.RowDataPacket[]>('SELECT * FROM audit_head WHERE id = 1 FOR UPDATE');
      const head = heads[0] as mysql.RowDataPacket;
      const content: AuditContent = { seq: Number(head.seq) + 1, at: now, actorId: null, actorName: ACTOR, action: 'order.pay', entityType: 'order', entityId: v.orderNo, before, after, prevHash: String(head.hash) };
      const hash = ctx.hasher(content);
      await conn.query(`${AUDIT_INSERT} (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [content.seq, now, null, ACTOR, 'order.pay', 'order', v.orderNo, before, after, content.prevHash, hash]);
      await conn.query('UPDATE audit_head SET seq = ?, hash = ?, version = ?, updated_seq = ? WHERE id = 1', [content.seq, hash, Number(head.version) + 1, ctx.seq()]);
    } else {
      // No global lock: the entry is written unchained (seq from a process counter), the head untouched.
      const seq = ctx.auditSeq.next++;
      const content: AuditContent = { seq, at: now, actorId: null, actorName: ACTOR, action: 'order.pay', entityType: 'order', entityId: v.orderNo, before, after, prevHash: '0'.repeat(64) };
      await conn.query(`${AUDIT_INSERT} (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [seq, now, null, ACTOR, 'order.pay', 'order', v.orderNo, before, after, content.prevHash, ctx.hasher(content)]);
    }
    const [settled] = await conn.query<mysql.ResultSetHeader>('UPDATE notification_inbox SET status = ?, outcome = ?, applied_at = ?, version = ?, updated_seq = ? WHERE id = ? AND version = ?', [
      'applied',
      `通知 ${v.notificationId}：支付成功`,
      Date.now(),
      Number(entry.version) + 1,
      ctx.seq(),
      entry.id,
      entry.version,
    ]);
    if (settled.affectedRows !== 1) throw new Error('replay: inbox row changed');
    await conn.query('COMMIT');
    return 'applied';
  } catch (e) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    conn.release();
  }
}

interface Pending {
  v: VerifiedPayment;
  resolve: (o: Outcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: `submit` queues a verified notification and resolves once the transaction holding
 * it has committed. One batch is in flight at a time; the next one takes everything that queued up
 * meanwhile (at most `maxBatch`).
 */
export class GroupCommitApplier {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** A new batch may start: no batch is still taking its locks. */
  private gate = true;
  private readonly seq = seqClock();
  readonly batchSizes: number[] = [];
  readonly counts: Record<Outcome, number> = { applied: 0, duplicate: 0, ignored: 0 };
  deadlockRetries = 0;

  /**
   * `maxInFlight` 2 pipelines: the next batch starts once the current one holds all its locks (the
   * audit head included), so its inserts and locking reads overlap the current batch's writes and
   * commit; it then waits for the audit head, which keeps the chain in commit order.
   */
  constructor(
    private readonly pool: mysql.Pool,
    private readonly hasher: AuditHasherFn,
    private readonly maxBatch = 512,
    private readonly maxInFlight = 1,
  ) {}

  submit(v: VerifiedPayment): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ v, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.queue.length === 0 || this.inFlight >= this.maxInFlight || !this.gate) return;
    this.inFlight++;
    this.gate = false;
    let opened = false;
    const open = () => {
      if (opened) return;
      opened = true;
      this.gate = true;
      this.kick();
    };
    const batch = this.queue.splice(0, this.maxBatch);
    this.batchSizes.push(batch.length);
    this.applyWithRetry(
      batch.map((p) => p.v),
      open,
    )
      .then((outcomes) =>
        batch.forEach((p, i) => {
          const o = outcomes[i] as Outcome;
          this.counts[o]++;
          p.resolve(o);
        }),
      )
      .catch((e: unknown) => batch.forEach((p) => p.reject(e)))
      .finally(() => {
        this.inFlight--;
        open();
        this.kick();
      });
  }

  /** InnoDB may pick an overlapping batch as a deadlock victim: it rolled back, so it runs again. */
  private async applyWithRetry(batch: VerifiedPayment[], locked: () => void): Promise<Outcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyBatch(batch, locked);
      } catch (e) {
        if ((e as { code?: string }).code !== 'ER_LOCK_DEADLOCK' || attempt >= 5) throw e;
        this.deadlockRetries++;
      }
    }
  }

  /**
   * The outcome of each notification of the batch, in order. Four round trips whatever the batch size
   * (multi-statement queries): (1) START TRANSACTION + INSERT IGNORE of the inbox rows; (2) the batch's
   * inbox rows, orders and the audit head, all `FOR UPDATE`; (3) every write — order and transaction
   * updates, the audit entries chained in memory, the head, the inbox settle; (4) COMMIT, once (3)'s
   * row counts are checked.
   */
  private async applyBatch(batch: VerifiedPayment[], locked: () => void): Promise<Outcome[]> {
    const conn = await this.pool.getConnection();
    try {
      const now = Date.now();
      const first = new Map<string, VerifiedPayment>();
      for (const v of batch) if (!first.has(v.notificationId)) first.set(v.notificationId, v);
      const distinct = [...first.values()];
      await conn.query(
        'START TRANSACTION;\n' +
          mysql.format(`${INBOX_INSERT.replace('INSERT INTO', 'INSERT IGNORE INTO')} ?`, [distinct.map((v) => ['wechat', v.notificationId, now, 'payment', v.orderNo, v.payload, 'received', null, null, 1, this.seq()])]),
      );
      const [reads] = await conn.query<mysql.RowDataPacket[][]>(
        [
          mysql.format('SELECT id, notification_id, status FROM notification_inbox WHERE platform = ? AND notification_id IN (?) FOR UPDATE', ['wechat', distinct.map((v) => v.notificationId)]),
          mysql.format(`SELECT ${ORDER_SELECT} FROM payment_orders WHERE order_no IN (?) FOR UPDATE`, [[...new Set(distinct.map((v) => v.orderNo))]]),
          'SELECT seq, hash, version FROM audit_head WHERE id = 1 FOR UPDATE',
        ].join(';\n'),
      );
      const [inbox = [], rows = [], heads = []] = reads;
      locked();
      const toApply = new Map<string, number>(); // notification id → inbox row id
      for (const r of inbox) if (r.status === 'received') toApply.set(String(r.notification_id), Number(r.id));
      // Within the batch the first delivery of an id applies; later copies (and ids already settled) are duplicates.
      const outcome = new Map<string, Outcome>();
      const writes: string[] = [];
      if (toApply.size) {
        const orders = new Map(rows.map((r) => [String(r.order_no), numeric(r)]));
        const audits: { orderNo: string; before: string; after: string }[] = [];
        const applied: number[] = [];
        const ignored: number[] = [];
        for (const v of distinct.filter((d) => toApply.has(d.notificationId))) {
          const o = orders.get(v.orderNo);
          const inboxId = toApply.get(v.notificationId) as number;
          if (!o || o.status !== 'pending' || Number(o.amount_fen) !== v.amountFen) {
            // The bench's notifications are all payable; the prototype does not model exceptions.
            outcome.set(v.notificationId, 'ignored');
            ignored.push(inboxId);
            continue;
          }
          const patch = { status: 'paid', paid_fen: v.amountFen, paid_at: v.paidAt, gateway_trade_no: v.platformTradeNo };
          writes.push(
            mysql.format('UPDATE payment_orders SET version = ?, updated_seq = ?, status = ?, paid_fen = ?, paid_at = ?, gateway_trade_no = ? WHERE order_no = ? AND version = ?', [
              Number(o.version) + 1,
              this.seq(),
              'paid',
              v.amountFen,
              v.paidAt,
              v.platformTradeNo,
              v.orderNo,
              o.version,
            ]),
            // The order's pending payment transaction (OrderService.create made it) turns success.
            mysql.format("UPDATE transactions SET status = 'success', updated_at = ?, version = version + 1, updated_seq = ?, gateway_trade_no = ? WHERE order_no = ? AND type = 'payment' AND status = 'pending'", [
              now,
              this.seq(),
              v.platformTradeNo,
              v.orderNo,
            ]),
          );
          audits.push({ orderNo: v.orderNo, before: auditOrder(o), after: auditOrder(o, patch) });
          orders.set(v.orderNo, { ...o, ...patch, version: Number(o.version) + 1 });
          outcome.set(v.notificationId, 'applied');
          applied.push(inboxId);
        }
        if (audits.length) {
          const head = heads[0] as mysql.RowDataPacket;
          let seq = Number(head.seq);
          let prevHash = String(head.hash);
          const auditRows = audits.map((a) => {
            const content: AuditContent = { seq: ++seq, at: now, actorId: null, actorName: ACTOR, action: 'order.pay', entityType: 'order', entityId: a.orderNo, before: a.before, after: a.after, prevHash };
            const hash = this.hasher(content);
            const row = [content.seq, now, null, ACTOR, 'order.pay', 'order', a.orderNo, a.before, a.after, prevHash, hash];
            prevHash = hash;
            return row;
          });
          writes.push(mysql.format(`${AUDIT_INSERT} ?`, [auditRows]), mysql.format('UPDATE audit_head SET seq = ?, hash = ?, version = ?, updated_seq = ? WHERE id = 1', [seq, prevHash, Number(head.version) + 1, this.seq()]));
        }
        const settle = (ids: number[], status: string, text: string) =>
          mysql.format('UPDATE notification_inbox SET status = ?, outcome = CONCAT(?, notification_id, ?), applied_at = ?, version = version + 1, updated_seq = ? WHERE id IN (?)', [status, '通知 ', text, now, this.seq(), ids]);
        if (applied.length) writes.push(settle(applied, 'applied', '：支付成功'));
        if (ignored.length) writes.push(settle(ignored, 'ignored', '：订单不可支付（原型未处理异常）'));
      }
      if (writes.length) {
        const [results] = await conn.query<mysql.ResultSetHeader[] | mysql.ResultSetHeader>(writes.join(';\n'));
        const list = Array.isArray(results) ? results : [results];
        const expected = writes.map((w) => (w.startsWith('UPDATE payment_orders') || w.startsWith('UPDATE transactions') || w.startsWith('UPDATE audit_head') ? 1 : null));
        if (list.some((r, k) => expected[k] !== null && r.affectedRows !== expected[k])) throw new Error('group commit: an order or its transaction changed under us');
      }
      await conn.query('COMMIT');
      const seen = new Set<string>();
      return batch.map((v) => {
        const o = seen.has(v.notificationId) ? 'duplicate' : (outcome.get(v.notificationId) ?? 'duplicate');
        seen.add(v.notificationId);
        return o;
      });
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      conn.release();
    }
  }
}
