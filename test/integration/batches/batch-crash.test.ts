import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batchRig, lines, type BatchRig } from '../../support/batch-rig';
import type { CrashChildConfig } from '../../support/batch-crash-child';
import { STORE_KINDS } from '../../support/stores';

const CHILD = join(import.meta.dirname, '../../support/batch-crash-child.ts');
const ROOT = join(import.meta.dirname, '../../..');
const LEASE_MS = 400;
const KILLS = 6;
const ITEMS = 90;
const RATE = 30;

/** Starts an executor process, lets it work for `ms` after it is ready, then kills it with SIGKILL (no clean-up of any kind). */
async function runAndKill(configFile: string, ms: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, configFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let rounds = 0;
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      rounds += (text.match(/round [1-9]/g) ?? []).length;
      if (text.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`crash child exited (${code}) before it was ready: ${errors}`)));
  });
  await new Promise((r) => setTimeout(r, ms));
  child.kill('SIGKILL');
  await exited;
  return rounds;
}

/**
 * Crash safety (issue 7): an executor process is killed with SIGKILL at random moments while it
 * pays a batch — in a claim, between saving a request id and sending it, while the platform acts,
 * before its answer is recorded — again and again; each time its leases lapse and the next process
 * (or, at the end, the app itself) carries on. The simulated platforms' own books must show every
 * item paid exactly once, under one request id, and the batch complete.
 */
describe.each(STORE_KINDS)('crash safety on %s', (kind) => {
  let rig: BatchRig;
  let configFile = '';
  afterEach(async () => {
    rmSync(configFile, { force: true });
    await rig?.close();
  });

  it(`an executor killed ${KILLS} times at random points pays every item exactly once`, async () => {
    rig = await batchRig(kind, { fileStore: true, batches: { leaseMs: LEASE_MS } });
    // Slow enough that the children cannot finish the batch between them (6 × 350 ms at 30/s is fewer than
    // 90 sends), so the app's own executor must take over what the last one left.
    const s = await rig.app.batches.settings();
    await rig.app.batches.updateSettings(rig.maker, { ratePerSecond: RATE, financeRecipients: [], confirmWindowHours: 24 }, s.version);
    const batchLines = lines(ITEMS);
    const batchNo = await rig.submitted(batchLines);
    await rig.approve(batchNo);
    configFile = join(tmpdir(), `batch-crash-${process.pid}-${kind}.json`);
    let progressed = 0;
    for (let k = 0; k < KILLS; k++) {
      const cfg: CrashChildConfig = {
        store: rig.storeConfig, simulatorUrl: rig.sandbox.simulator.url, keys: rig.sandbox.keys, callbackBaseUrl: rig.server.url, workerId: `crash-${k}`, leaseMs: LEASE_MS, concurrency: 3,
      };
      writeFileSync(configFile, JSON.stringify(cfg));
      progressed += await runAndKill(configFile, randomInt(40, 350));
      // The dead process's leases lapse; its items are taken again (and queried first where a request id was saved).
      await new Promise((r) => setTimeout(r, LEASE_MS + 20));
    }
    // The killed processes did part of the work (and left some in flight), not all of it.
    const midway = await rig.app.batches.progress(batchNo);
    expect(midway.doneCount + midway.inFlightCount, `rounds finished by the children: ${progressed}`).toBeGreaterThan(0);
    expect(midway.successCount).toBeLessThan(ITEMS);

    await rig.settle();
    const done = await rig.app.batches.get(batchNo);
    expect(done.batch.status).toBe('completed');
    expect(done.progress).toMatchObject({ totalCount: ITEMS, successCount: ITEMS, successFen: done.batch.totalFen });
    expect(done.batch.totalFen).toBe(batchLines.reduce((s, l) => s + l.amountFen, 0));

    // The platforms' books: one transfer per item, under its first request id, paid once, for its amount.
    const ledger = rig.ledgerByItem();
    expect(ledger.size).toBe(ITEMS);
    const items = (await rig.app.batches.items(batchNo, {}, 1, 200)).items;
    for (const i of items) {
      const ts = ledger.get(i.itemRef)!;
      expect(ts.map((t) => [t.transferNo, t.state, t.amountFen]), i.itemRef).toEqual([[`${i.itemRef}T1`, 'success', i.amountFen]]);
    }
    expect((await rig.app.vouchers.list({}, 1, 1)).total).toBe(ITEMS);
    expect((await rig.app.audit.verify()).ok).toBe(true);
    const leftover = (await rig.app.store.dataSource.query(`SELECT COUNT(*) AS n FROM payout_batch_items WHERE lease_owner LIKE 'crash-%' AND status <> 'success'`)) as { n: unknown }[];
    expect(Number(leftover[0]!.n)).toBe(0);
  }, 120_000);
});
