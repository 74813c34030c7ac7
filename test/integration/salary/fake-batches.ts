import type { App } from '../../../src-main/app';
import type { Tx } from '../../../src-main/db/store';
import type { Actor } from '../../../src-main/services/actor';
import type { BatchDrafting, DraftBatchInput, ItemSettledListener, SettledBatchItem } from '../../../src-main/services/batches/batch-ports';

export interface FakeItem {
  batchId: number;
  batchNo: string;
  itemId: number;
  input: DraftBatchInput;
  line: DraftBatchInput['lines'][number];
}

/**
 * Stands in for the batch engine where a test is about the salary side only: drafts are recorded
 * (and rolled back with the caller's transaction), settlements are replayed to the listeners inside
 * a store transaction as the engine does.
 */
export class FakeBatches implements BatchDrafting {
  readonly drafts: { batchId: number; batchNo: string; input: DraftBatchInput; actor: Actor }[] = [];
  private readonly listeners: ItemSettledListener[] = [];
  private next = 1;
  /** Set to make the next draft fail (the caller's transaction must roll back). */
  failNext = false;

  constructor(private readonly app: App) {}

  async draftInTx(_tx: Tx, input: DraftBatchInput, actor: Actor) {
    // A real engine writes rows in tx; yielding lets a concurrent caller run in between.
    await new Promise((r) => setTimeout(r, 5));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('batch engine down');
    }
    const batchId = this.next++;
    const batchNo = `B${String(batchId).padStart(20, '0')}`;
    this.drafts.push({ batchId, batchNo, input, actor });
    return { batchId, batchNo };
  }

  onItemSettled(listener: ItemSettledListener): void {
    this.listeners.push(listener);
  }

  items(batchId: number): FakeItem[] {
    const d = this.drafts.find((x) => x.batchId === batchId);
    if (!d) throw new Error(`no batch ${batchId}`);
    return d.input.lines.map((line, i) => ({ batchId, batchNo: d.batchNo, itemId: batchId * 1000 + i + 1, input: d.input, line }));
  }

  settle(item: FakeItem, state: SettledBatchItem['state'], failReason: string | null = null): Promise<void> {
    const event: SettledBatchItem = {
      batchId: item.batchId, batchNo: item.batchNo, itemId: item.itemId, sourceKind: item.input.sourceKind, sourceRef: item.input.sourceRef ?? null,
      employeeId: item.line.employeeId ?? null, supplierId: item.line.supplierId ?? null, payableIds: item.line.payableIds ?? [], state, amountFen: item.line.amountFen,
      failReason,
    };
    return this.app.store.transaction(async (tx) => {
      for (const l of this.listeners) await l(tx, event);
    });
  }
}
