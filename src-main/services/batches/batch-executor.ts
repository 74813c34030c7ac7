import { performance } from 'node:perf_hooks';
import type { BatchItem, PayoutBatch } from '../../core/batches/batch';
import { claimSize, confirmExpired, nextSlot } from '../../core/batches/batch-policy';
import { SENDING_BATCH_STATUSES, transferNoOf } from '../../core/batches/batch-state';
import { DomainError } from '../../core/errors';
import { MINUTE_MS } from '../../core/time';
import type { Platform } from '../../gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected } from '../../gateways/gateway-errors';
import { isDeadlock } from '../../db/db-errors';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Tx } from '../../db/store';
import { SYSTEM_ACTOR } from '../actor';
import type { GatewayRegistry } from '../payments/gateway-registry';
import { auditBatch, auditItem, readBatchSettings, type BatchDeps } from './batch-context';
import { GroupRecorder } from './batch-recorder';
import { SendGate, type Admission } from './batch-send-gate';
import type { BatchSettlement, CallResult } from './batch-settlement';

/** Query answers meaning "this request id was never received" (WeChat NOT_FOUND, Alipay ORDER_NOT_EXIST, bank TRANSFER_NOT_EXIST). */
const NOT_FOUND_CODES = new Set(['NOT_FOUND', 'ORDER_NOT_EXIST', 'TRANSFER_NOT_EXIST']);

export interface ExecutorOptions {
  /** How long claimed items stay with this instance if it dies mid-send. */
  leaseMs: number;
  /** Items worked on at once by this instance (each waits for its turn under the rate limit). */
  concurrency: number;
  /** Largest claim per round. */
  maxClaim: number;
  /** When a sent item whose answer never came is looked at again if this instance dies right after sending. */
  recheckMs: number;
}

export const DEFAULT_EXECUTOR_OPTIONS: ExecutorOptions = { leaseMs: MINUTE_MS, concurrency: 4, maxClaim: 200, recheckMs: 30_000 };

type Step = { item: BatchItem; batch: PayoutBatch; transferNo: string; action: 'send' | 'query_then_resend' | 'query' | 'cancel' };

/**
 * The batch executor (issue 7): claims due items with leases (FOR UPDATE SKIP LOCKED, so server
 * instances never share an item) and
 *   1. in the claiming transaction decides what to do with each;
 *   2. works on them, paced to the configured items per second: a first send passes the send gate
 *      (SendGate) when its turn comes — batch still being sent? then its request id is saved and
 *      committed, and only then does the request leave; a paused or cancelled batch's items are
 *      given back unsent (pending, or cancelled with their batch), so 暂停 / 取消剩余 hold at once;
 *   3. talks to the platform outside any transaction;
 *   4. records the answers, several items per transaction (GroupRecorder → BatchSettlement.record).
 * Whatever instant the process dies at, the item is claimed again after its lease: an item whose
 * request id was saved is in `sending` and is QUERIED first; only a "never received" answer leads
 * to a resend, with the same id, which the platform deduplicates. So no item is paid twice, and
 * none is lost (its lease lapses, someone takes it).
 */
export class BatchExecutor {
  private lastSlot: number | null = null;
  private pumping: Promise<void> | null = null;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly deps: BatchDeps,
    private readonly gateways: GatewayRegistry,
    private readonly settlement: BatchSettlement,
    private readonly workerId: string,
    private readonly callbackBaseUrl: () => string,
    private readonly opts: ExecutorOptions,
    private readonly autoRun: boolean,
    private readonly log: (message: string, e?: unknown) => void,
  ) {
    this.recorder = new GroupRecorder(deps.store, settlement, workerId);
    this.gate = new SendGate(deps, settlement, workerId, opts.recheckMs);
  }

  private readonly recorder: GroupRecorder;
  private readonly gate: SendGate;

  /**
   * One round: claim what is due (within the rate and the lease), work on the items (first sends
   * through the send gate, one by one as their turn comes), record the answers in groups, finish
   * idle batches. Returns the items claimed.
   */
  async runDue(limit = this.opts.maxClaim): Promise<number> {
    const { clock } = this.deps;
    const { rate, steps, claimed } = await this.claimTx(async (tx) => {
      const settings = await readBatchSettings(tx);
      const size = claimSize(settings.ratePerSecond, this.opts.leaseMs, Math.min(limit, this.opts.maxClaim));
      const sending = await tx.batches.sendingBatches();
      // 待执行 → 执行中 before its items are claimed: batch row first, then items (every writer locks in that order).
      for (const b of sending) if (b.status === 'approved') await this.start(tx, b.id);
      const ids = await tx.batchClaims.claim(this.workerId, clock.now(), this.opts.leaseMs, size, sending.map((b) => b.id));
      return { rate: settings.ratePerSecond, steps: await this.prepare(tx, ids), claimed: ids.length };
    });
    await this.work(steps, rate);
    await this.finishIdle();
    return claimed;
  }

  /** A claiming unit of work, run again when MySQL picked it as a deadlock victim or a row changed under it (it rolled back whole). */
  private async claimTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.store.transaction(async (tx) => {
          await tx.batchClaims.readCommitted();
          return work(tx);
        });
      } catch (e) {
        if (attempt >= 5 || !(isDeadlock(e) || e instanceof ConcurrentUpdateError)) throw e;
        await new Promise((r) => setTimeout(r, 5 * attempt));
      }
    }
  }

  private async work(steps: Step[], rate: number): Promise<void> {
    let next = 0;
    // Batches the gate found paused or cancelled: their remaining first sends are given back at once, unpaced.
    const held = new Set<number>();
    const skipped: number[] = [];
    const take = (): Step | null => {
      while (next < steps.length && !this.stopped) {
        const step = steps[next++]!;
        if (step.action === 'send' && held.has(step.batch.id)) skipped.push(step.item.id);
        else return step;
      }
      return null;
    };
    const worker = async () => {
      for (let step = take(); step; step = take()) if ((await this.process(step, rate)) === 'held') held.add(step.batch.id);
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, steps.length) }, worker));
    if (this.stopped && next < steps.length) await this.deps.store.transaction((tx) => tx.batchClaims.release(this.workerId)).catch(() => undefined);
    else if (skipped.length) await this.deps.store.transaction((tx) => tx.batchClaims.releaseMany(this.workerId, skipped)).catch((e: unknown) => this.log('归还暂停批量任务的明细失败', e));
  }

  /** Rounds until nothing is due now (tests, the benchmark, 立即执行). */
  async drain(maxRounds = 10_000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) if ((await this.runDue()) === 0) return;
  }

  /** One item now, whatever its next check time (查询结果 of one item); refused when another instance holds it. */
  async runOne(itemId: number): Promise<void> {
    const { clock } = this.deps;
    const { rate, steps, claimed } = await this.claimTx(async (tx) => {
      const ids = await tx.batchClaims.claim(this.workerId, clock.now(), this.opts.leaseMs, 1, [], itemId);
      return { rate: (await readBatchSettings(tx)).ratePerSecond, steps: await this.prepare(tx, ids), claimed: ids.length };
    });
    if (!claimed) throw new DomainError('BATCH_ITEM_BUSY', '该明细正在由其他终端处理，请稍后刷新');
    await this.work(steps, rate);
    await this.finishIdle();
  }

  /** Finishes every batch none of whose items owes an outcome any more. */
  async finishIdle(): Promise<void> {
    const ids = await this.deps.store.read((tx) => tx.batches.idleBatchIds());
    for (const id of ids) await this.deps.store.transaction((tx) => this.settlement.finishIfIdle(tx, id)).catch((e: unknown) => this.log(`结束批量任务 #${id} 失败`, e));
  }

  /** Starts working in the background (after an approval, a resume, the periodic job); returns at once. */
  kick(): void {
    if (!this.autoRun || this.stopped || this.pumping) return;
    this.pumping = (async () => {
      try {
        while (!this.stopped && (await this.runDue()) > 0);
      } catch (e) {
        this.log('批量付款执行失败', e);
      } finally {
        this.pumping = null;
      }
    })();
  }

  /** A kick once the caller's transaction has committed (approval callbacks run inside it). */
  kickSoon(delayMs = 50): void {
    if (!this.autoRun || this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.kick();
    }, delayMs);
    t.unref();
    this.timers.add(t);
  }

  /** Stops after the items in hand, gives back the leases of the rest (a clean shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.pumping;
    await this.deps.store.transaction((tx) => tx.batchClaims.release(this.workerId)).catch(() => undefined);
  }

  // ─── one item ───

  /** One item: its turn under the rate limit, the send gate for a first send, the platform, the answer recorded. */
  private async process(step: Step, rate: number): Promise<Admission | null> {
    const itemId = step.item.id;
    let done = false;
    try {
      await this.pace(rate);
      if (step.action === 'send') {
        const admission = await this.gate.admit(step.item, step.batch, step.transferNo);
        if (admission !== 'send') {
          done = true; // not sent; the gate gave the lease back
          return admission;
        }
        step = { ...step, item: { ...step.item, status: 'sending', transferNo: step.transferNo, version: step.item.version + 1 } };
      }
      const result = await this.call(step);
      await this.recorder.record(itemId, step.transferNo, result);
      done = true;
      return 'send';
    } catch (e) {
      // One item's trouble (a store hiccup) must not stop the others; its lease lapses and it is taken again.
      this.log(`批量付款明细 #${itemId} 处理失败`, e);
      return null;
    } finally {
      if (!done) await this.deps.store.transaction((tx) => tx.batchClaims.release(this.workerId, itemId)).catch(() => undefined);
    }
  }

  /**
   * Step 1, in the claiming transaction (the claimed rows are locked by it): what to do with each
   * item. Nothing is marked sent here — a first send's request id is saved by the send gate right
   * before it leaves. Items with nothing to do now (their batch paused meanwhile) are given back.
   */
  private async prepare(tx: Tx, ids: readonly number[]): Promise<Step[]> {
    if (!ids.length) return [];
    const now = this.deps.clock.now();
    const items = await tx.batches.itemsByIds(ids);
    const batches = await tx.batches.batchesByIds(items.map((i) => i.batchId));
    const steps: Step[] = [];
    const idle: number[] = [];
    for (const item of items) {
      const batch = batches.get(item.batchId);
      const step = batch ? this.decide(item, batch, now) : null;
      if (step) steps.push(step);
      else idle.push(item.id);
    }
    if (idle.length) await tx.batchClaims.releaseMany(this.workerId, idle);
    return steps;
  }

  private decide(item: BatchItem, batch: PayoutBatch, now: number): Step | null {
    switch (item.status) {
      case 'pending': {
        if (!SENDING_BATCH_STATUSES.includes(batch.status)) return null;
        return { item, batch, transferNo: transferNoOf(batch.batchNo, item.seq, item.attempt), action: 'send' };
      }
      case 'sending':
        return item.transferNo ? { item, batch, transferNo: item.transferNo, action: 'query_then_resend' } : null;
      case 'processing':
        return item.transferNo ? { item, batch, transferNo: item.transferNo, action: 'query' } : null;
      case 'wait_confirm': {
        if (!item.transferNo) return null;
        const giveUp = batch.status === 'cancelled' || confirmExpired(item.confirmExpiresAt, now);
        return { item, batch, transferNo: item.transferNo, action: giveUp ? 'cancel' : 'query' };
      }
      default:
        return null;
    }
  }

  /** 待执行 → 执行中 (under the batch's row lock; of two instances the first wins). */
  private async start(tx: Tx, batchId: number): Promise<void> {
    const b = await tx.batches.findBatch(batchId, { forUpdate: true });
    if (!b || b.status !== 'approved') return;
    await tx.batches.updateBatch(b.id, b.version, { status: 'running', startedAt: this.deps.clock.now() });
    await auditBatch(this.deps, tx, SYSTEM_ACTOR, 'batch.start', b.batchNo, { status: 'approved' }, { status: 'running' });
  }

  /** Waits for this instance's next slot under the rate limit (real elapsed time, not the business clock). */
  private async pace(rate: number): Promise<void> {
    const now = performance.now();
    const slot = nextSlot(this.lastSlot, now, rate);
    this.lastSlot = slot;
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
  }

  // ─── step 2: the platform ───

  private async call(s: Step): Promise<CallResult> {
    switch (s.action) {
      case 'send':
        return this.send(s.item, s.transferNo);
      case 'query_then_resend':
        return this.queryThenResend(s.item, s.transferNo);
      case 'query':
        return this.query(s.item, s.transferNo);
      case 'cancel':
        return this.cancel(s.item, s.transferNo);
    }
  }

  private async send(item: BatchItem, transferNo: string): Promise<CallResult> {
    try {
      const status = await this.gateways.get(item.channel as Platform).transfer({
        transferNo, amountFen: item.amountFen, payee: { account: item.account, name: item.payeeName, bankName: item.bankName || undefined },
        remark: (item.remark || '批量付款').slice(0, 20), notifyUrl: `${this.callbackBaseUrl()}/api/payment/callback/${item.channel}`,
      });
      return { kind: 'status', status, sent: true };
    } catch (e) {
      return failure(e, true);
    }
  }

  /** Outcome unknown: ask first; only "never received" leads to a resend, with the same number. */
  private async queryThenResend(item: BatchItem, transferNo: string): Promise<CallResult> {
    try {
      return { kind: 'status', status: await this.gateways.get(item.channel as Platform).queryTransfer(transferNo), sent: false };
    } catch (e) {
      if (e instanceof GatewayRejected && NOT_FOUND_CODES.has(e.code)) return this.send(item, transferNo);
      return failure(e, false);
    }
  }

  private async query(item: BatchItem, transferNo: string): Promise<CallResult> {
    try {
      return { kind: 'status', status: await this.gateways.get(item.channel as Platform).queryTransfer(transferNo), sent: false };
    } catch (e) {
      return failure(e, false);
    }
  }

  /** The payee did not confirm in time, or the batch was cancelled: withdraw the WeChat bill (the answer may say it was paid meanwhile). */
  private async cancel(item: BatchItem, transferNo: string): Promise<CallResult> {
    const gateway = this.gateways.get(item.channel as Platform);
    if (!gateway.cancelTransfer) return this.query(item, transferNo);
    try {
      const status = await gateway.cancelTransfer(transferNo);
      await this.deps.store
        .transaction(async (tx) => {
          const batch = await tx.batches.findBatch(item.batchId);
          if (batch) await auditItem(this.deps, tx, SYSTEM_ACTOR, 'batch_item.cancel_request', batch, item.seq, null, { transferNo, answer: status.state });
        })
        .catch(() => undefined);
      return { kind: 'status', status, sent: false };
    } catch (e) {
      return failure(e, false);
    }
  }
}

function failure(e: unknown, sent: boolean): CallResult {
  if (e instanceof GatewayRejected) return { kind: 'rejected', message: `${e.code} ${e.message}`, retryable: e.retryable, sent };
  if (e instanceof GatewayOutcomeUnknown) return { kind: 'unknown', message: e.message, sent };
  if (e instanceof DomainError) return { kind: 'rejected', message: e.message, retryable: true, sent };
  return { kind: 'unknown', message: (e as Error).message, sent };
}
