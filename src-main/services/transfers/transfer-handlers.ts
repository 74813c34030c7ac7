import type { Platform, NotificationEvent } from '../../gateways/gateway';
import type { Tx } from '../../db/store';

export type TransferEvent = Extract<NotificationEvent, { kind: 'transfer' }>;
export type TransferOutcome = { kind: 'applied' | 'exception' | 'ignored'; detail: string };
export type TransferHandler = (tx: Tx, platform: Platform, event: TransferEvent, source: string) => Promise<TransferOutcome>;

/**
 * Transfer notifications reach PaymentService.apply as one kind; who owns a transfer is told by its
 * number's prefix (our transfer numbers start with the owner's business-number letter: `S…` 付款单,
 * batch payout items get their own). Supplier payments register 'S'; issue 7's batches register theirs.
 * A number nobody owns is recorded as an exception for a person to look at, never dropped silently.
 */
export class TransferHandlers {
  private readonly byPrefix = new Map<string, TransferHandler>();

  register(prefix: string, handler: TransferHandler): void {
    if (!prefix) throw new Error('transfer handler prefix must not be empty');
    this.byPrefix.set(prefix, handler);
  }

  /** The handler whose prefix is the longest one the transfer number starts with. */
  handlerFor(transferNo: string): TransferHandler | undefined {
    let best: [string, TransferHandler] | undefined;
    for (const entry of this.byPrefix) if (transferNo.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
    return best?.[1];
  }

  readonly handle = (tx: Tx, platform: Platform, event: TransferEvent, source: string): Promise<TransferOutcome> => {
    const handler = this.handlerFor(event.transferNo);
    if (!handler) return Promise.resolve({ kind: 'exception', detail: `${source}：转账单号 ${event.transferNo} 不属于任何付款业务` });
    return handler(tx, platform, event, source);
  };
}
