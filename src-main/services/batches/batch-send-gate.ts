import type { BatchItem, PayoutBatch } from '../../core/batches/batch';
import { SENDING_BATCH_STATUSES } from '../../core/batches/batch-state';
import { isDeadlock } from '../../db/db-errors';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Tx } from '../../db/store';
import { SYSTEM_ACTOR } from '../actor';
import { GroupCommit } from '../group-commit';
import { auditItem, type BatchDeps } from './batch-context';
import type { BatchSettlement } from './batch-settlement';

/**
 * What the gate says about an item about to be sent for the first time:
 *  - `send`: its request id is saved (committed), it may leave now;
 *  - `held`: its batch is no longer being sent (paused, cancelled): not sent, lease given back;
 *  - `gone`: the item changed meanwhile (cancelled with its batch, taken by another instance): not sent.
 */
export type Admission = 'send' | 'held' | 'gone';

interface Waiting {
  item: BatchItem;
  batch: PayoutBatch;
  transferNo: string;
}

/**
 * The last check before an item's FIRST send, so that 暂停 and 取消剩余 act at once: the executor
 * claims items ahead (up to half a lease of sends) but saves an item's request id only here, right
 * before its turn under the rate limit, in the same transaction that re-reads its batch (share-locked,
 * so a pause or cancel committing meanwhile waits for it or is seen) and its row (locked). An item
 * refused here was never sent and never had a request id, so giving it back is not "un-sending" it.
 *
 * The items reaching the gate while one group commits go together in the next (group commit, as
 * GroupRecorder does for the answers): at hundreds of sends per second this is one transaction per
 * few items, not one per item.
 */
export class SendGate {
  private readonly waiting: GroupCommit<Waiting, Admission>;

  constructor(
    private readonly deps: BatchDeps,
    private readonly settlement: BatchSettlement,
    private readonly owner: string,
    private readonly recheckMs: number,
    maxGroup = 50,
  ) {
    // A group that fails fails each of its items (GroupCommit), which the executor leaves for the next round.
    this.waiting = new GroupCommit(async (group) => (await this.decideTx(group)).map((value) => ({ ok: true, value })), maxGroup);
  }

  admit(item: BatchItem, batch: PayoutBatch, transferNo: string): Promise<Admission> {
    return this.waiting.submit({ item, batch, transferNo });
  }

  /** Run again when MySQL picked it as a deadlock victim (it rolled back whole). */
  private async decideTx(group: Waiting[]): Promise<Admission[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.store.transaction((tx) => this.decide(tx, group));
      } catch (e) {
        if (attempt >= 3 || !(isDeadlock(e) || e instanceof ConcurrentUpdateError)) throw e;
        await new Promise((r) => setTimeout(r, 5 * attempt));
      }
    }
  }

  private async decide(tx: Tx, group: Waiting[]): Promise<Admission[]> {
    const now = this.deps.clock.now();
    // Batch rows first, then items (the order every writer of both locks them in), sent together: one round trip.
    const [statuses, rows] = await Promise.all([tx.batches.statusesForSend(group.map((g) => g.item.batchId)), tx.batches.itemsByIds(group.map((g) => g.item.id), { forUpdate: true })]);
    const current = new Map(rows.map((i) => [i.id, i]));
    const verdicts: Admission[] = [];
    const admitted: Waiting[] = [];
    const refused: number[] = [];
    for (const g of group) {
      const status = statuses.get(g.item.batchId);
      const row = current.get(g.item.id);
      const unchanged = !!row && row.status === 'pending' && row.version === g.item.version && row.attempt === g.item.attempt;
      if (!status || !SENDING_BATCH_STATUSES.includes(status)) {
        // A cancel takes every pending item out itself; one left pending (it turned pending again meanwhile) is cancelled here.
        if (status === 'cancelled' && unchanged) await this.settlement.cancel(tx, row, { ...g.batch, status }, '批量任务已取消');
        verdicts.push('held');
        refused.push(g.item.id);
      } else if (!unchanged) {
        verdicts.push('gone');
        refused.push(g.item.id);
      } else {
        verdicts.push('send');
        admitted.push(g);
      }
    }
    // The rows are locked and checked: the writes go out without waiting (the COMMIT waits for them, a failure rolls all back).
    if (admitted.length) tx.defer(tx.batches.markSending(admitted.map((g) => ({ item: g.item, transferNo: g.transferNo })), now, now + this.recheckMs));
    if (refused.length) tx.defer(tx.batchClaims.releaseMany(this.owner, refused));
    for (const g of admitted)
      await auditItem(this.deps, tx, SYSTEM_ACTOR, 'batch_item.send', g.batch, g.item.seq, { status: 'pending' }, { status: 'sending', transferNo: g.transferNo, attempt: g.item.attempt });
    return verdicts;
  }
}
