import type { Store } from '../../db/store';
import { GroupCommit, type BatchResult } from '../group-commit';
import type { BatchSettlement, CallResult } from './batch-settlement';

interface Answer {
  itemId: number;
  transferNo: string;
  result: CallResult;
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
  private readonly answers: GroupCommit<Answer, void>;

  constructor(
    private readonly store: Store,
    private readonly settlement: BatchSettlement,
    private readonly owner: string,
    maxGroup = 50,
  ) {
    this.answers = new GroupCommit((group) => this.recordGroup(group), maxGroup);
  }

  record(itemId: number, transferNo: string, result: CallResult): Promise<void> {
    return this.answers.submit({ itemId, transferNo, result });
  }

  private async recordGroup(group: Answer[]): Promise<BatchResult<void>[]> {
    try {
      await this.store.transaction(async (tx) => {
        await tx.batches.itemsByIds(group.map((g) => g.itemId), { forUpdate: true });
        for (const g of group) await this.settlement.record(tx, g.itemId, g.transferNo, g.result, this.owner);
      });
      return group.map(() => ({ ok: true, value: undefined }));
    } catch {
      const out: BatchResult<void>[] = [];
      for (const g of group) {
        try {
          await this.store.transaction((tx) => this.settlement.record(tx, g.itemId, g.transferNo, g.result, this.owner));
          out.push({ ok: true, value: undefined });
        } catch (error) {
          out.push({ ok: false, error });
        }
      }
      return out;
    }
  }
}
