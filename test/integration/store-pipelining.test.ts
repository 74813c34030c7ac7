import type { EntityManager } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { isDeadlock } from '../../src-main/db/db-errors';
import type { Tx } from '../../src-main/db/store';
import { STORE_KINDS, testApp } from '../support/stores';

/**
 * Store.transaction with writes sent without waiting for their answer (Tx.defer, the batched
 * notification path): a failure anywhere rolls the whole unit of work back, also the statements
 * that were already queued behind the failed one — on MySQL even when InnoDB ended the transaction
 * itself (a deadlock), which with START TRANSACTION would have let them commit on their own.
 */
const em = (tx: Tx) => (tx.logs as unknown as { em: EntityManager }).em;

describe.each(STORE_KINDS)('pipelined unit of work on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ app, close } = await testApp(kind));
    await app.store.dataSource.query('CREATE TABLE probe (id INT PRIMARY KEY, v INT NOT NULL)');
    await app.store.dataSource.query('INSERT INTO probe (id, v) VALUES (1, 0), (2, 0)');
  });
  afterEach(async () => {
    await app.store.dataSource.query('DROP TABLE probe');
    await close();
  });
  const rows = async () => ((await app.store.dataSource.query('SELECT id, v FROM probe ORDER BY id')) as { id: number; v: number }[]).map((r) => [Number(r.id), Number(r.v)]);

  it('a deferred write that fails rolls back what came before and after it; the next unit of work commits', async () => {
    const failed = app.store.transaction(async (tx) => {
      tx.defer(em(tx).query('UPDATE probe SET v = 1 WHERE id = 1'));
      tx.defer(em(tx).query('INSERT INTO probe (id, v) VALUES (2, 9)')); // duplicate key
      tx.defer(em(tx).query('INSERT INTO probe (id, v) VALUES (3, 3)'));
      return 'done';
    });
    await expect(failed).rejects.toThrow();
    expect(await rows()).toEqual([
      [1, 0],
      [2, 0],
    ]);
    await app.store.transaction(async (tx) => tx.defer(em(tx).query('INSERT INTO probe (id, v) VALUES (3, 3)')));
    expect(await rows()).toEqual([
      [1, 0],
      [2, 0],
      [3, 3],
    ]);
  });

  it.runIf(kind === 'mysql')('every pooled connection is back in autocommit after committed and failed units of work', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        app.store
          .transaction(async (tx) => {
            tx.defer(em(tx).query('UPDATE probe SET v = v + 1 WHERE id = 1'));
            if (i % 3 === 0) throw new Error('work failed');
          })
          .catch(() => undefined),
      ),
    );
    const modes = await Promise.all(Array.from({ length: 20 }, () => app.store.read(async (tx) => ((await em(tx).query('SELECT @@autocommit AS a')) as { a: unknown }[])[0]!.a)));
    expect(modes.map(Number)).toEqual(Array(20).fill(1));
    expect(await rows()).toEqual([
      [1, 8],
      [2, 0],
    ]);
  });

  it.runIf(kind === 'mysql')('a deadlock victim discards the statements queued behind the one that deadlocked', async () => {
    let release!: () => void;
    const bothLocked = new Promise<void>((r) => (release = r));
    let locked = 0;
    const lockedOne = () => {
      if (++locked === 2) release();
    };
    // Each locks one row, then (once both hold theirs) updates the other's row and queues a marker insert behind that update.
    const crossing = (mine: number, theirs: number) =>
      app.store.transaction(async (tx) => {
        await em(tx).query('SELECT v FROM probe WHERE id = ? FOR UPDATE', [mine]);
        lockedOne();
        await bothLocked;
        tx.defer(em(tx).query('UPDATE probe SET v = v + 1 WHERE id = ?', [theirs]));
        tx.defer(em(tx).query('INSERT INTO probe (id, v) VALUES (?, ?)', [10 + mine, mine]));
      });
    const results = await Promise.allSettled([crossing(1, 2), crossing(2, 1)]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(isDeadlock(rejected[0]!.reason)).toBe(true);
    const winner = results[0]!.status === 'fulfilled' ? 1 : 2;
    const loser = 3 - winner;
    // The winner's update and marker only: nothing of the victim, not even the marker sent after its deadlock.
    expect(await rows()).toEqual(
      [
        [1, loser === 1 ? 1 : 0],
        [2, loser === 2 ? 1 : 0],
        [10 + winner, winner],
      ].sort((a, b) => a[0]! - b[0]!),
    );
  });

  it('statements sent together keep their order and their own results; parameters with ? ; and quotes stay data', async () => {
    const tricky = "it's ?; DROP TABLE probe; -- ?";
    const results = await app.store.transaction(async (tx) => {
      const [a, b, c] = await Promise.all([
        em(tx).query('UPDATE probe SET v = ? WHERE id = ?', [7, 1]),
        em(tx).query('SELECT v FROM probe WHERE id = ?', [1]),
        em(tx).query('SELECT ? AS t, v FROM probe WHERE id = ?', [tricky, 2]),
      ]);
      return { a, b, c } as { a: unknown; b: { v: unknown }[]; c: { t: string; v: unknown }[] };
    });
    // The read sent right behind the update sees it: same order, one unit of work.
    expect(Number(results.b[0]!.v)).toBe(7);
    expect(results.c[0]!.t).toBe(tricky);
    expect(Number(results.c[0]!.v)).toBe(0);
    expect(await rows()).toEqual([
      [1, 7],
      [2, 0],
    ]);
  });

  it('a failing statement in the middle of statements sent together fails the unit of work and leaves nothing behind', async () => {
    const failed = app.store.transaction(async (tx) => {
      await Promise.all([
        em(tx).query('UPDATE probe SET v = 5 WHERE id = 1'),
        em(tx).query('INSERT INTO probe (id, v) VALUES (1, 1)'), // duplicate key
        em(tx).query('UPDATE probe SET v = 5 WHERE id = 2'),
      ]);
    });
    await expect(failed).rejects.toThrow(/Duplicate|UNIQUE/i);
    expect(await rows()).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('a statement that fails among statements sent together fails alone: the others run as if sent one by one', async () => {
    const outcome = await app.store.transaction(async (tx) => {
      const settled = await Promise.allSettled([
        em(tx).query('UPDATE probe SET v = 5 WHERE id = 1'),
        em(tx).query('INSERT INTO probe (id, v) VALUES (1, 1)'), // duplicate key, caught below
        em(tx).query('UPDATE probe SET v = 6 WHERE id = 2'),
        em(tx).query('SELECT v FROM probe WHERE id = 2'),
      ]);
      return settled.map((r) => r.status);
    });
    expect(outcome).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await rows()).toEqual([
      [1, 5],
      [2, 6],
    ]);
  });
});
