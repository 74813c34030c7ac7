import { afterEach, describe, expect, it } from 'vitest';
import { batchRig, lines, type BatchRig } from '../../support/batch-rig';
import { STORE_KINDS } from '../../support/stores';

const ITEMS = 300;
/** Items the executor has between the send gate and the platform at most (its concurrency, the default). */
const CONCURRENCY = 4;

/**
 * 暂停 and 取消剩余 act at once (issue 7, UI review): the executor claims up to half a lease of sends
 * ahead (here 200 items), but an item's request id is saved — and the item sent — only when its turn
 * under the rate limit comes and its batch is still being sent. So once a pause or cancel has
 * committed, no more than the few requests already past that check reach the platforms; the
 * simulators' own books say so.
 */
describe.each(STORE_KINDS)('pause and cancel hold a running batch at once on %s', (kind) => {
  let rig: BatchRig;
  afterEach(() => rig?.close());

  const sent = () => rig.ledgerByItem().size;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function until(what: () => boolean, timeoutMs = 20_000): Promise<void> {
    for (const end = Date.now() + timeoutMs; !what(); await sleep(2)) if (Date.now() > end) throw new Error('timed out');
  }

  /** A 300-item batch, approved, paid in the background at 60 items per second. */
  async function running(): Promise<{ batchNo: string; executor: Promise<void> }> {
    rig = await batchRig(kind);
    const s = await rig.app.batches.settings();
    await rig.app.batches.updateSettings(rig.maker, { ratePerSecond: 60, financeRecipients: [], confirmWindowHours: 24 }, s.version);
    const batchNo = await rig.submitted(lines(ITEMS));
    await rig.approve(batchNo);
    const executor = rig.app.batches.drain();
    await until(() => sent() >= 5);
    return { batchNo, executor };
  }

  /** Every item the platforms hold has its request id saved; none without one reached them. */
  async function booksMatchItems(batchNo: string): Promise<void> {
    const ledger = rig.ledgerByItem();
    for (const i of (await rig.app.batches.items(batchNo, {}, 1, ITEMS)).items) {
      const ts = ledger.get(i.itemRef) ?? [];
      expect(ts.length, i.itemRef).toBeLessThanOrEqual(1);
      if (ts.length) expect(ts[0]!.transferNo, i.itemRef).toBe(i.transferNo);
      else expect(i.transferNo, i.itemRef).toBeNull();
    }
  }

  it('暂停: no further transfer reaches the platforms until 继续执行, then every item is paid once', async () => {
    const { batchNo, executor } = await running();
    await rig.app.batches.pause(rig.maker, batchNo);
    const atPause = sent();
    // The round in hand gives the rest of its claim back at once instead of pacing through it.
    await executor;
    await rig.sandbox.simulator.notifier.idle(5_000);
    const held = sent();
    expect(held - atPause).toBeLessThanOrEqual(CONCURRENCY);
    expect(held).toBeLessThan(ITEMS / 2);

    // The executor keeps running: nothing more leaves while the batch is paused.
    for (let i = 0; i < 3; i++) {
      await rig.app.batches.drain();
      await sleep(200);
    }
    expect(sent()).toBe(held);
    const p = await rig.app.batches.progress(batchNo);
    expect(p).toMatchObject({ status: 'paused', pendingCount: ITEMS - held, inFlightCount: 0 });
    await booksMatchItems(batchNo);

    await rig.app.batches.resume(rig.maker, batchNo);
    await rig.settle();
    const done = await rig.app.batches.get(batchNo);
    expect(done.batch.status).toBe('completed');
    expect(done.progress).toMatchObject({ successCount: ITEMS, pendingCount: 0 });
    const ledger = rig.ledgerByItem();
    expect(ledger.size).toBe(ITEMS);
    for (const ts of ledger.values()) expect(ts.map((t) => t.state)).toEqual(['success']);
    await booksMatchItems(batchNo);
  });

  it('取消剩余: the items not yet sent are cancelled and none of them reaches the platforms', async () => {
    const { batchNo, executor } = await running();
    await rig.app.batches.cancel(rig.maker, batchNo, undefined, '发现名单有误');
    const atCancel = sent();
    await executor;
    await rig.settle();
    const total = sent();
    expect(total - atCancel).toBeLessThanOrEqual(CONCURRENCY);
    expect(total).toBeLessThan(ITEMS / 2);

    const done = await rig.app.batches.get(batchNo);
    expect(done.batch.status).toBe('cancelled');
    expect(done.progress.inFlightCount + done.progress.pendingCount).toBe(0);
    const items = (await rig.app.batches.items(batchNo, {}, 1, ITEMS)).items;
    const ledger = rig.ledgerByItem();
    const unsent = items.filter((i) => !ledger.has(i.itemRef));
    expect(unsent.length).toBe(ITEMS - total);
    for (const i of unsent) expect(i, i.itemRef).toMatchObject({ status: 'cancelled', transferNo: null, failReason: '批量任务已取消：发现名单有误' });
    // What had left before the cancel finishes: paid, or (a WeChat bill still waiting for its payee) withdrawn.
    for (const i of items.filter((x) => ledger.has(x.itemRef))) expect(['success', 'cancelled'], i.itemRef).toContain(i.status);
    await booksMatchItems(batchNo);
    expect((await rig.app.audit.verify()).ok).toBe(true);
  });
});
