import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type App } from '../../../src-main/app';
import { makeDispatcher } from '../../../src-main/api/dispatch';
import { SessionStore } from '../../../src-main/security/sessions';
import { ADMIN_PASSWORD, Caller, callers } from '../../support/callers';
import { freshStore, TEST_AUDIT_KEY, type TestStore } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { addLocal, at, bill } from '../reconciliation/recon-world';
import { TcpProxy } from './tcp-proxy';

export const D = '2025-03-10';

/**
 * A connected desktop (the app on MariaDB through a proxy the test cuts, with its SQLite cache) and
 * a colleague at another desk (a second app straight on the same MariaDB), around one reconciled day:
 * P02 金额差异, P03 状态差异, P04 漏单, P05 平台无此单, P06 重复单（平台）, R02 手续费差异.
 */
export interface OfflineWorld {
  desk: App;
  colleagueApp: App;
  proxy: TcpProxy;
  clock: TestClock;
  /** 赵会计 at the connected desk. */
  me: Caller;
  /** 钱会计 at another desk, always online. */
  colleague: Caller;
  ids: { zhao: number; qian: number };
  runId: number;
  diffId(key: string): Promise<number>;
  /** Opens the desk's app again on the same cache file (a restart). */
  reopenDesk(): Promise<App>;
  close(): Promise<void>;
}

const errors: unknown[] = [];
export const internalErrors = () => errors.splice(0);

export async function login(app: App, username: string): Promise<Caller> {
  const c = new Caller(makeDispatcher(app, new SessionStore(app.clock), (e) => errors.push(e)));
  await c.ok('auth.login', { username, password: ADMIN_PASSWORD });
  return c;
}

export async function offlineWorld(): Promise<OfflineWorld> {
  const store: TestStore = await freshStore('mysql');
  const proxy = await TcpProxy.start();
  const clock = new TestClock(at('2025-03-11', '10:30:00'));
  const cachePath = join(tmpdir(), `pay-cache-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
  const url = store.config.kind === 'mysql' ? store.config.url : '';
  const openDesk = () => openApp({ store: { kind: 'mysql', url: proxy.route(url) }, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, clock, offline: { path: cachePath, probeIntervalMs: 0, refreshEveryMs: 0 } });
  let desk = await openDesk();
  const c = await callers(desk);
  const ids: Record<string, number> = {};
  for (const [username, displayName] of [['zhao', '赵会计'], ['qian', '钱会计']] as const)
    ids[username] = (await c.admin.ok('users.create', { username, displayName, password: ADMIN_PASSWORD, role: 'accountant' })).id;
  const colleagueApp = await openApp({ store: { kind: 'mysql', url }, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, clock });
  await addLocal(
    desk,
    [
      { orderNo: 'P02', amountFen: 10000, status: 'success', paidAt: at(D, '09:10:00') },
      { orderNo: 'P03', amountFen: 5000, status: 'pending', paidAt: null },
      { orderNo: 'P05', amountFen: 7000, status: 'success', paidAt: at(D, '12:00:00') },
      { orderNo: 'P06', amountFen: 3000, status: 'success', paidAt: at(D, '13:00:00'), tradeNo: '4200P06a' },
      { orderNo: 'P12', amountFen: 20000, status: 'success', paidAt: at(D, '08:00:00') },
    ],
    [{ refundNo: 'R02', orderNo: 'P12', amountFen: 5000, feeFen: -30, state: 'success', succeededAt: at(D, '15:10:00') }],
  );
  const run = await desk.recon.runDay(
    { id: null, name: '测试' },
    {
      channel: 'wechat',
      date: D,
      bill: bill('wechat', D, [
        { key: 'P02', amountFen: 9000, at: at(D, '09:10:01') },
        { key: 'P03', amountFen: 5000, at: at(D, '10:00:00') },
        { key: 'P04', amountFen: 8800, at: at(D, '11:00:00'), platformNo: '4200P04' },
        { key: 'P06', amountFen: 3000, at: at(D, '13:00:00'), platformNo: '4200P06a' },
        { key: 'P06', amountFen: 3000, at: at(D, '13:05:00'), platformNo: '4200P06b' },
        { key: 'P12', amountFen: 20000, at: at(D, '08:00:00') },
        { kind: 'refund', key: 'R02', orderNo: 'P12', amountFen: 5000, feeFen: -31, at: at(D, '15:10:00') },
      ]),
    },
  );
  let me = await login(desk, 'zhao');
  const colleague = await login(colleagueApp, 'qian');
  const world: OfflineWorld = {
    get desk() {
      return desk;
    },
    colleagueApp,
    proxy,
    clock,
    get me() {
      return me;
    },
    colleague,
    ids: { zhao: ids.zhao!, qian: ids.qian! },
    runId: run.id,
    diffId: async (key) => (await colleague.ok('recon.listDiffs', { search: key })).items.find((d) => d.key === key)!.id,
    reopenDesk: async () => {
      desk = await openDesk();
      me = await login(desk, 'zhao');
      return desk;
    },
    close: async () => {
      await proxy.restore();
      await desk.close().catch(() => undefined);
      await colleagueApp.close();
      await proxy.stop();
      await store.drop();
      for (const x of ['', '-wal', '-shm']) rmSync(cachePath + x, { force: true });
    },
  };
  return world;
}

/** The accountant opens the run and a few differences while online: what the desk can work on offline. */
export async function openWhileOnline(w: OfflineWorld, keys: string[]): Promise<void> {
  await w.me.ok('recon.getRun', { runId: w.runId });
  await w.me.ok('recon.listDiffs', { runId: w.runId });
  for (const k of keys) await w.me.ok('recon.getDiff', { diffId: await w.diffId(k) });
  await w.desk.reconOffline.settled();
}
