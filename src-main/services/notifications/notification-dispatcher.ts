import { MINUTE_MS, HOUR_MS, type Clock } from '../../core/time';
import type { OutboxItem } from '../../db/repositories/outbox-repository';
import type { Store } from '../../db/store';
import type { Logger } from '../logs/logger';
import { NotificationSendError, type NotificationProvider } from './notification-provider';

/** Waits after the 1st, 2nd, … failed attempt; after the last the item is marked failed. */
export const RETRY_DELAYS_MS: readonly number[] = [MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS, HOUR_MS, 4 * HOUR_MS];

export interface DispatchResult {
  sent: number[];
  retrying: number[];
  failed: number[];
}

/**
 * Sends pending outbox items. Items are claimed with a lease (OutboxRepository.claim: FOR UPDATE
 * SKIP LOCKED on MySQL), so several server instances never send the same item; a result is written
 * only while the lease is still ours. A provider that refuses is retried on RETRY_DELAYS_MS, a
 * permanent refusal or the last attempt marks the item failed for a person to look at.
 */
export class NotificationDispatcher {
  constructor(
    private readonly store: Store,
    private readonly provider: NotificationProvider,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly workerId: string,
    private readonly opts: { leaseMs?: number; batch?: number; delays?: readonly number[] } = {},
  ) {}

  async runOnce(): Promise<DispatchResult> {
    const now = this.clock.now();
    const items = await this.store.transaction((tx) => tx.outbox.claim(this.workerId, now, this.opts.leaseMs ?? 2 * MINUTE_MS, this.opts.batch ?? 50));
    const result: DispatchResult = { sent: [], retrying: [], failed: [] };
    for (const item of items) await this.dispatch(item, result);
    return result;
  }

  private async dispatch(item: OutboxItem, result: DispatchResult): Promise<void> {
    const delays = this.opts.delays ?? RETRY_DELAYS_MS;
    const attempts = item.attempts + 1;
    const log = { orderNo: item.orderNo, fields: { outboxId: item.id, channel: item.channel, template: item.templateCode, attempts } };
    try {
      const { providerRef } = await this.provider.send({ id: item.id, channel: item.channel, recipient: item.recipient, templateCode: item.templateCode, params: item.params });
      const at = this.clock.now();
      await this.store.transaction((tx) => tx.outbox.settle(item.id, this.workerId, { status: 'sent', attempts, nextAttemptAt: item.nextAttemptAt, sentAt: at, providerRef }));
      result.sent.push(item.id);
      this.logger.info('notification', 'message.sent', `消息已发送（${this.provider.name}）`, log);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const permanent = e instanceof NotificationSendError && e.permanent;
      const last = permanent || attempts > delays.length;
      const at = this.clock.now();
      await this.store.transaction((tx) =>
        tx.outbox.settle(item.id, this.workerId, { status: last ? 'failed' : 'pending', attempts, nextAttemptAt: last ? at : at + delays[attempts - 1]!, error: message }),
      );
      (last ? result.failed : result.retrying).push(item.id);
      if (last) this.logger.error('notification', 'message.failed', `消息发送失败，不再重试：${message}`, log);
      else this.logger.warn('notification', 'message.retry', `消息发送失败，稍后重试：${message}`, log);
    }
  }

  /** A clean stop gives back the items this instance holds but has not sent. */
  release(): Promise<void> {
    return this.store.transaction((tx) => tx.outbox.release(this.workerId));
  }
}
