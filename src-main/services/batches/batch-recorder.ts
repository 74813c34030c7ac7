import type { Store } from '../../db/store';
import type { BatchSettlement, CallResult } from './batch-settlement';

interface Pending {
  itemId: number;
  transferNo: string;
  result: CallResult;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Records the platform's answers of several items in one transaction (group commit): while one
 * group commits, the answers arriving meanwhile wait and go together in the next. Each transaction
 * ends with the audit chain's head lock and a COMMIT; one per item made them the bottleneck of a
 * 10,000-item batch. The group's items are locked first, in id order (as every multi-item writer
 * does), so a group never deadlocks with another one. Should a group fail (a conflict), each of its
 * answers is recorded on its own, so one item's trouble does not hold the others back; an answer
 * that cannot be recorded at all is safe to lose: the item stays in flight and is asked again.
 */
export class GroupRecorder {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly settlement: BatchSettlement,
    private readonly owner: string,
    private readonly maxGroup = 50,
  ) {}

  record(itemId: number, transferNo: string, result: CallResult): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ itemId, transferNo, result, resolve, reject });
      this.flushing ??= this.flush().finally(() => {
        this.flushing = null;
      });
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const group = this.queue.splice(0, this.maxGroup);
      try {
        await this.store.transaction(async (tx) => {
          await tx.batches.itemsByIds(group.map((g) => g.itemId), { forUpdate: true });
          for (const g of group) await this.settlement.record(tx, g.itemId, g.transferNo, g.result, this.owner);
        });
        for (const g of group) g.resolve();
      } catch {
        for (const g of group) {
          try {
            await this.store.transaction((tx) => this.settlement.record(tx, g.itemId, g.transferNo, g.result, this.owner));
            g.resolve();
          } catch (e) {
            g.reject(e);
          }
        }
      }
    }
  }
}
