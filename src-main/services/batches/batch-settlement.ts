import { maskPayee, PAYEE_CHANNEL_LABELS } from '../../core/suppliers/supplier-payment';
import type { BatchItem, PayoutBatch } from '../../core/batches/batch';
import { backoffMs, confirmExpired, mayRetryAutomatically, payoutArrival, type RetryPolicy } from '../../core/batches/batch-policy';
import { progressOf } from '../../core/batches/batch-progress';
import { BATCH_TYPE_LABELS, finishedStatus, IN_FLIGHT_ITEM_STATUSES, itemRefOf, type ItemCounts } from '../../core/batches/batch-state';
import { describeTransferFailure } from '../../core/batches/transfer-failures';
import { fenToYuanString, formatYuan } from '../../core/money';
import { formatShanghai, HOUR_MS } from '../../core/time';
import type { TransferStatus } from '../../gateways/gateway';
import type { ItemPatch } from '../../db/repositories/batch-repository';
import type { Tx } from '../../db/store';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { TransferOutcome } from '../transfers/transfer-handlers';
import { auditBatch, auditItem, readBatchSettings, type BatchDeps } from './batch-context';
import type { SettledBatchItem } from './batch-ports';

/** What a platform call came back with (the executor's send, query or cancel). */
export type CallResult =
  | { kind: 'status'; status: TransferStatus; sent: boolean }
  /** No answer we can trust (timeout, 5xx, unreadable): the request id is queried before anything is resent. */
  | { kind: 'unknown'; message: string; sent: boolean }
  /** The platform refused the request itself; `retryable` refusals (busy, rate limited) did nothing and are asked again. */
  | { kind: 'rejected'; message: string; retryable: boolean; sent: boolean };

export interface SettlementOptions {
  /** When an accepted transfer is asked about next. */
  checkDelayMs: number;
  /** When a transfer waiting for its WeChat payee is asked about next (the notification usually comes first). */
  confirmPollMs: number;
  retry: RetryPolicy;
  random: () => number;
}

type Status = Pick<TransferStatus, 'state' | 'amountFen' | 'platformTransferNo' | 'succeededAt' | 'failReason' | 'retryable'>;

/**
 * Where a batch item's transfer ends up, in the transaction that learns it (the executor's answer, a
 * query, a notification): paid (付款凭证, the payee told, listeners), failed (for good, or back to
 * pending under a new attempt number while automatic retries are left), cancelled — or still on its
 * way. Every change is audited in the same transaction; an answer about an older attempt changes nothing.
 */
export class BatchSettlement {
  constructor(
    private readonly deps: BatchDeps,
    private readonly opts: SettlementOptions,
  ) {}

  /** The executor's result for the attempt `transferNo`; also gives back this instance's lease. */
  async record(tx: Tx, itemId: number, transferNo: string, r: CallResult, owner: string): Promise<void> {
    await tx.batchClaims.release(owner, itemId);
    const item = await tx.batches.findItem(itemId, { forUpdate: true });
    // A notification may have finished it meanwhile; an older attempt's answer changes nothing.
    if (!item || item.transferNo !== transferNo || !IN_FLIGHT_ITEM_STATUSES.includes(item.status)) return;
    const batch = await tx.batches.findBatch(item.batchId);
    if (!batch) return;
    const now = this.deps.clock.now();
    if (r.kind === 'status') {
      await this.applyStatus(tx, item, batch, r.status, SYSTEM_ACTOR, '平台应答');
      return;
    }
    if (r.kind === 'rejected' && !r.retryable && r.sent) {
      await this.fail(tx, item, batch, r.message, false);
      return;
    }
    // Unknown, or refused for a passing reason: ask again later — query first, then the same number.
    const tries = item.tries + 1;
    const answer = r.kind === 'rejected' ? describeTransferFailure(item.channel, r.message) : r.message;
    await tx.batches.updateItem(item.id, item.version, { tries, failReason: answer.slice(0, 256), nextAt: now + backoffMs(tries, this.opts.retry, this.opts.random()) });
    await auditItem(this.deps, tx, SYSTEM_ACTOR, 'batch_item.pending', batch, item.seq, null, { transferNo, tries, message: r.message });
  }

  /** A platform status for the current attempt of an in-flight item (answer, query or notification). */
  async applyStatus(tx: Tx, item: BatchItem, batch: PayoutBatch, st: Status, actor: Actor, source: string): Promise<TransferOutcome> {
    const now = this.deps.clock.now();
    const ref = itemRefOf(batch.batchNo, item.seq);
    switch (st.state) {
      case 'success': {
        if (st.amountFen && st.amountFen !== item.amountFen) {
          // Money moved, but not what we asked: a person must look; the item is not retried or failed.
          await tx.batches.updateItem(item.id, item.version, { failReason: `平台报告金额 ${formatYuan(st.amountFen)} 与明细不符，需人工核对`, nextAt: now + HOUR_MS });
          await auditItem(this.deps, tx, actor, 'batch_item.mismatch', batch, item.seq, null, { reportedFen: st.amountFen, amountFen: item.amountFen, source });
          return { kind: 'exception', detail: `批量付款明细 ${ref} 金额 ${formatYuan(item.amountFen)}，平台报告 ${formatYuan(st.amountFen)}，需人工核对` };
        }
        await this.succeed(tx, item, batch, st.platformTransferNo ?? item.platformTransferNo, st.succeededAt ?? now, actor);
        return { kind: 'applied', detail: `批量付款明细 ${ref} 付款成功` };
      }
      case 'failed':
        if (st.retryable === undefined) {
          // A notification without the reason's class: the query says whether it may be retried.
          await tx.batches.updateItem(item.id, item.version, { failReason: (st.failReason ? describeTransferFailure(item.channel, st.failReason) : '平台通知转账失败').slice(0, 256), nextAt: now });
          return { kind: 'applied', detail: `批量付款明细 ${ref} 转账失败，待查询确认原因` };
        }
        if (st.retryable && mayRetryAutomatically(item.attempt, this.opts.retry) && batch.status !== 'cancelled') {
          await this.retryWithNewAttempt(tx, item, batch, st.failReason ?? '转账失败');
          return { kind: 'applied', detail: `批量付款明细 ${ref} 转账失败，稍后自动重试` };
        }
        await this.fail(tx, item, batch, st.failReason ?? '转账失败', st.retryable);
        return { kind: 'applied', detail: `批量付款明细 ${ref} 付款失败：${st.failReason ?? ''}` };
      case 'cancelled':
        if (batch.status === 'cancelled') await this.cancel(tx, item, batch, '批量任务已取消，转账已撤销');
        // The payee did not accept in time (or we withdrew the bill): nothing moved; send again once they are reached.
        else await this.fail(tx, item, batch, '收款人未在有效期内确认收款，转账已撤销', true);
        return { kind: 'applied', detail: `批量付款明细 ${ref} 转账已撤销` };
      case 'wait_user_confirm': {
        const settings = await readBatchSettings(tx);
        const expiresAt = item.confirmExpiresAt ?? (item.sentAt ?? now) + settings.confirmWindowHours * HOUR_MS;
        const nextAt = confirmExpired(expiresAt, now) || batch.status === 'cancelled' ? now : Math.min(now + this.opts.confirmPollMs, expiresAt);
        await tx.batches.updateItem(item.id, item.version, {
          status: 'wait_confirm', confirmExpiresAt: expiresAt, platformTransferNo: st.platformTransferNo ?? item.platformTransferNo, failReason: null, tries: 0, nextAt,
        });
        if (item.status !== 'wait_confirm') await auditItem(this.deps, tx, actor, 'batch_item.wait_confirm', batch, item.seq, { status: item.status }, { status: 'wait_confirm', confirmExpiresAt: expiresAt, source });
        return { kind: 'applied', detail: `批量付款明细 ${ref} 待收款人确认` };
      }
      default: {
        // Accepted and on its way (a cancel request answered CANCELING also lands here).
        const cancelling = item.status === 'wait_confirm';
        await tx.batches.updateItem(item.id, item.version, {
          status: 'processing', platformTransferNo: st.platformTransferNo ?? item.platformTransferNo, tries: 0, nextAt: now + this.opts.checkDelayMs,
          failReason: cancelling ? '已申请撤销转账，等待微信确认' : null,
        });
        if (item.status !== 'processing') await auditItem(this.deps, tx, actor, 'batch_item.accepted', batch, item.seq, { status: item.status }, { status: 'processing', source });
        return { kind: 'applied', detail: `批量付款明细 ${ref} 转账处理中` };
      }
    }
  }

  /** A definite, passing failure: back to pending under the next attempt number, after a backoff. */
  private async retryWithNewAttempt(tx: Tx, item: BatchItem, batch: PayoutBatch, platformReason: string): Promise<void> {
    const reason = describeTransferFailure(item.channel, platformReason);
    const patch: ItemPatch = {
      status: 'pending', attempt: item.attempt + 1, transferNo: null, platformTransferNo: null, tries: 0, confirmExpiresAt: null, failReason: `上次失败：${reason}`.slice(0, 256),
      nextAt: this.deps.clock.now() + backoffMs(item.attempt, this.opts.retry, this.opts.random()),
    };
    await tx.batches.updateItem(item.id, item.version, patch);
    await auditItem(this.deps, tx, SYSTEM_ACTOR, 'batch_item.retry', batch, item.seq, { transferNo: item.transferNo, attempt: item.attempt }, { attempt: item.attempt + 1, reason });
  }

  private async succeed(tx: Tx, item: BatchItem, batch: PayoutBatch, platformTransferNo: string | null, succeededAt: number, actor: Actor): Promise<void> {
    const ref = itemRefOf(batch.batchNo, item.seq);
    const arrival = payoutArrival(item.channel, succeededAt);
    const purpose = `${BATCH_TYPE_LABELS[batch.type]}：${batch.title}${item.remark ? `（${item.remark}）` : ''}`.slice(0, 256);
    const voucherNo = await this.deps.vouchers.issue(tx, {
      kind: 'payout', subjectId: ref, payerName: this.deps.payerName, payeeName: item.payeeName, payeeAccount: item.account, payeeChannel: item.channel,
      payeeBank: item.bankName, amountFen: item.amountFen, purpose, referenceNo: platformTransferNo ?? item.transferNo ?? '', issuedAt: succeededAt,
    });
    await tx.batches.updateItem(item.id, item.version, {
      status: 'success', platformTransferNo, finishedAt: succeededAt, arrivalRule: arrival.rule, arrivalDate: arrival.date, voucherNo, failReason: null, retryable: null,
      tries: 0, nextAt: 0, confirmExpiresAt: null,
    });
    await auditItem(this.deps, tx, actor, 'batch_item.success', batch, item.seq, { status: item.status }, { status: 'success', transferNo: item.transferNo, platformTransferNo, voucherNo });
    await this.tellPayee(tx, item, batch, ref, succeededAt, arrival.text);
    await this.settled(tx, item, batch, 'success', null);
  }

  /** `why`: the platform's report (a code, its words) or our own sentence; stored in the accountant's words. */
  async fail(tx: Tx, item: BatchItem, batch: PayoutBatch, why: string, retryable: boolean): Promise<void> {
    const reason = describeTransferFailure(item.channel, why);
    const now = this.deps.clock.now();
    await tx.batches.updateItem(item.id, item.version, { status: 'failed', failReason: reason.slice(0, 256), retryable, finishedAt: now, nextAt: 0, tries: 0 });
    await auditItem(this.deps, tx, SYSTEM_ACTOR, 'batch_item.fail', batch, item.seq, { status: item.status }, { status: 'failed', transferNo: item.transferNo, failReason: reason, retryable });
    await this.settled(tx, item, batch, 'failed', reason);
  }

  async cancel(tx: Tx, item: BatchItem, batch: PayoutBatch, reason: string, actor: Actor = SYSTEM_ACTOR): Promise<void> {
    await tx.batches.updateItem(item.id, item.version, { status: 'cancelled', failReason: reason, finishedAt: this.deps.clock.now(), nextAt: 0, tries: 0 });
    await auditItem(this.deps, tx, actor, 'batch_item.cancel', batch, item.seq, { status: item.status }, { status: 'cancelled', reason });
    await this.settled(tx, item, batch, 'cancelled', reason);
  }

  /** The listeners (salary sheets, supplier terms) follow the item in the same transaction. */
  async settled(tx: Tx, item: BatchItem, batch: PayoutBatch, state: SettledBatchItem['state'], failReason: string | null): Promise<void> {
    if (!this.deps.listeners.length) return;
    const event: SettledBatchItem = {
      batchId: batch.id, batchNo: batch.batchNo, itemId: item.id, sourceKind: batch.sourceKind, sourceRef: batch.sourceRef, employeeId: item.employeeId,
      supplierId: item.supplierId, payableIds: item.payableIds, state, amountFen: item.amountFen, failReason,
    };
    for (const l of this.deps.listeners) await l(tx, event);
  }

  /** 到账通知: the payee's mobile when the line has one, a WeChat payee's openid, a supplier's contact phone. */
  private async tellPayee(tx: Tx, item: BatchItem, batch: PayoutBatch, ref: string, paidAt: number, arrival: string): Promise<void> {
    // A salary batch's payee gets the payslip (the salary sheets send it from their listener), not a second message.
    if (batch.sourceKind === 'salary_sheet') return;
    const params = {
      payee: item.payeeName, purpose: batch.title, amount: fenToYuanString(item.amountFen), paidAt: formatShanghai(paidAt), channel: PAYEE_CHANNEL_LABELS[item.channel],
      account: maskPayee(item.channel, item.account), arrival, batchNo: batch.batchNo,
    };
    let target: { channel: 'sms' | 'wechat_template'; recipient: string } | null = null;
    if (item.contactPhone) target = { channel: 'sms', recipient: item.contactPhone };
    else if (item.channel === 'wechat') target = { channel: 'wechat_template', recipient: item.account };
    else if (item.supplierId !== null) {
      const phone = (await tx.suppliers.findSupplier(item.supplierId))?.contactPhone;
      if (phone) target = { channel: 'sms', recipient: phone };
    }
    if (!target) return;
    await this.deps.notifications.enqueue(tx, { ...target, templateCode: 'payout_success', params, dedupeKey: `payout-paid:${ref}` });
  }

  /**
   * Finishes a batch none of whose items owes an outcome any more (completed, partial_failed,
   * failed), under the batch's row lock; tells finance when items failed. Called by the executor
   * after each round (counting a batch's items on every settlement would read 10,000 rows 10,000 times).
   */
  async finishIfIdle(tx: Tx, batchId: number): Promise<boolean> {
    const batch = await tx.batches.findBatch(batchId, { forUpdate: true });
    if (!batch || !['approved', 'running', 'paused'].includes(batch.status)) return false;
    const sums = await tx.batches.statusSums(batchId);
    const counts: ItemCounts = Object.fromEntries(sums.map((s) => [s.status, s.count]));
    const next = finishedStatus(batch.status, counts);
    if (!next) return false;
    const now = this.deps.clock.now();
    await tx.batches.updateBatch(batch.id, batch.version, { status: next, finishedAt: now });
    const p = progressOf(sums);
    await auditBatch(this.deps, tx, SYSTEM_ACTOR, 'batch.finish', batch.batchNo, { status: batch.status }, { status: next, successCount: p.successCount, successFen: p.successFen, failedCount: p.failedCount, failedFen: p.failedFen });
    if (p.failedCount > 0) {
      const settings = await readBatchSettings(tx);
      for (const recipient of settings.financeRecipients)
        await this.deps.notifications.enqueue(tx, {
          channel: recipient.includes('@') ? 'email' : 'sms', recipient, templateCode: 'payout_failures',
          params: { batchNo: batch.batchNo, title: batch.title, successCount: String(p.successCount), failedCount: String(p.failedCount), failedAmount: fenToYuanString(p.failedFen) },
          dedupeKey: `batch-failures:${batch.batchNo}:${p.successCount}:${p.failedCount}:${recipient}`,
        });
    }
    return true;
  }
}
