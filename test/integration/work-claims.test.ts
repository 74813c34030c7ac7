import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app';
import { HOUR_MS } from '../../src-main/core/time';
import { freshStore, TEST_AUDIT_KEY } from '../support/stores';
import { TestClock } from '../support/test-clock';

const run = promisify(execFile);
const WORKER = join(import.meta.dirname, '../support/claim-worker.ts');

/**
 * Several server instances share one MariaDB (ARCHITECTURE.md): scheduled work is claimed with
 * SELECT … FOR UPDATE SKIP LOCKED and leases, never an in-process lock. Two real processes close
 * the same overdue orders at once: each order is claimed by exactly one of them, and cancelled once.
 */
describe('work claims across two server processes on MariaDB', () => {
  it('two processes never take the same order', async () => {
    const store = await freshStore('mysql');
    if (store.config.kind !== 'mysql') throw new Error('mysql expected');
    const past = new TestClock(Date.now() - 3 * HOUR_MS);
    const app = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, clock: past });
    try {
      const orders = [];
      for (let i = 0; i < 40; i++)
        orders.push((await app.orders.create({ id: 1, name: '测试' }, { amountFen: 100 + i, method: 'wechat', type: 'customer_order', relatedId: '', description: '', payerId: '' })).orderNo);
      const [a, b] = await Promise.all(
        ['worker-a', 'worker-b'].map(async (id) => JSON.parse((await run('npx', ['tsx', WORKER, (store.config as { url: string }).url, id], { cwd: join(import.meta.dirname, '../..') })).stdout) as string[]),
      );
      expect(a!.filter((o) => b!.includes(o))).toEqual([]);
      expect([...a!, ...b!].sort()).toEqual([...orders].sort());
      expect(a!.length).toBeGreaterThan(0);
      expect(b!.length).toBeGreaterThan(0);
      for (const o of orders) {
        const d = await app.orders.get(o);
        expect(d.order.status).toBe('cancelled');
        expect(d.history.filter((h) => h.action === 'order.expire')).toHaveLength(1);
      }
      const leftover = (await app.store.dataSource.query(`SELECT COUNT(*) AS n FROM payment_orders WHERE lease_owner IS NOT NULL`)) as { n: number | string }[];
      expect(Number(leftover[0]!.n)).toBe(0);
    } finally {
      await app.close();
      await store.drop();
    }
  }, 120_000);
});
