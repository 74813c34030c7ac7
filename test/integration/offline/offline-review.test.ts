import mysql from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../../src-main/app';
import { TEST_AUDIT_KEY, testApp } from '../../support/stores';
import { callers } from '../../support/callers';
import { internalErrors, login, offlineWorld, openWhileOnline, type OfflineWorld } from './offline-world';

/**
 * Offline review of 对账差异 in connected mode (issue 6; ARCHITECTURE.md, connected mode): the desk
 * reaches MariaDB through a proxy the test cuts. Edits made offline wait in the cache's outbox, money
 * stays untouched, and when the connection is back they are sent in order with version checks; what
 * a colleague changed meanwhile is shown as a conflict and settled by keep mine / take theirs.
 */
describe('offline review of reconciliation differences (connected desktop on MariaDB)', () => {
  let w: OfflineWorld;
  beforeEach(async () => {
    w = await offlineWorld();
  });
  afterEach(async () => {
    await w.close();
    expect(internalErrors()).toEqual([]);
  });

  /** What the central store holds, read by the colleague's app (never through the desk's cache). */
  const central = (key: string) => w.diffId(key).then((id) => w.colleague.ok('recon.getDiff', { diffId: id }));

  it('works from the cache offline: reads, queued notes and decisions, money actions refused; replayed in order when the connection returns', async () => {
    await openWhileOnline(w, ['P02', 'P04', 'P05']);
    const [p02, p04, p05, p03] = [await w.diffId('P02'), await w.diffId('P04'), await w.diffId('P05'), await w.diffId('P03')];
    expect(await w.me.ok('recon.getOfflineStatus', {})).toMatchObject({ connected: true, offline: false, queued: 0, cachedRuns: 1, cachedDiffs: 6 });

    await w.proxy.cut();
    // Reads answer from the cache: the run, its six differences with search and sort, one difference with both records.
    const run = await w.me.ok('recon.getRun', { runId: w.runId });
    expect(run.report).toMatchObject({ date: '2025-03-10', differenceCount: 6 });
    const list = await w.me.ok('recon.listDiffs', { runId: w.runId, sortBy: 'amount', sortOrder: 'desc' });
    expect(list.items.map((d) => d.key)).toEqual(['P04', 'P05', 'P03', 'P06', 'P02', 'R02']);
    expect((await w.me.ok('recon.listDiffs', { search: '4200P06b' })).items.map((d) => d.key)).toEqual(['P06']);
    expect(await w.me.ok('recon.getOfflineStatus', {})).toMatchObject({ connected: true, offline: true, reason: expect.stringMatching(/^(ECONNREFUSED|PROTOCOL_CONNECTION_LOST)$/) });
    // Outside the workbench a call that needs the central store says so (logged for the operators), in Chinese.
    const orders = await w.me.call('orders.list', {});
    expect(orders).toMatchObject({ ok: false, error: { code: 'DB_UNAVAILABLE', message: expect.stringContaining('无法连接中央数据库') } });
    expect(internalErrors()).toHaveLength(1);
    const shown = await w.me.ok('recon.getDiff', { diffId: p02 });
    expect(shown.offline.source).toBe('cache');
    expect(shown.diff.local[0]!.amountFen).toBe(10000);

    // Notes, assignment, status and 以本地为准 are queued; the panel shows them at once.
    await w.me.ok('recon.noteDiff', { diffId: p02, body: '已联系微信支付客服核实' });
    const assigned = await w.me.ok('recon.assignDiff', { diffId: p02, assigneeId: w.ids.zhao, version: shown.diff.version });
    expect(assigned.diff).toMatchObject({ status: 'in_progress', assigneeName: '赵会计' });
    expect(assigned.notes.map((n) => [n.authorName, n.body])).toEqual([['赵会计（离线，待同步）', '已联系微信支付客服核实']]);
    expect(assigned.offline.edits.map((e) => [e.summary, e.state])).toEqual([
      ['备注：已联系微信支付客服核实', 'pending'],
      ['分配给 赵会计', 'pending'],
    ]);
    const p05v = (await w.me.ok('recon.getDiff', { diffId: p05 })).diff.version;
    const kept = await w.me.ok('recon.actOnDiff', { diffId: p05, version: p05v, action: { kind: 'keep_local', reason: '平台账单漏记，已与客服确认' } });
    expect(kept.diff).toMatchObject({ status: 'resolved', resolution: 'keep_local' });
    // The list shows the queued decision too, and how many edits wait on each row.
    const after = await w.me.ok('recon.listDiffs', { runId: w.runId, sortBy: 'key', sortOrder: 'asc' });
    expect(after.items.find((d) => d.key === 'P05')).toMatchObject({ status: 'resolved', queuedEdits: 1 });
    expect(after.items.find((d) => d.key === 'P02')).toMatchObject({ status: 'in_progress', queuedEdits: 2 });

    // The same rules as online: a closing status needs its reason; others cannot be assigned without the user list.
    expect(await w.me.call('recon.setDiffStatus', { diffId: p02, status: 'ignored', version: shown.diff.version })).toMatchObject({ ok: false, error: { message: '请填写忽略原因' } });
    expect(await w.me.call('recon.assignDiff', { diffId: p02, assigneeId: w.ids.qian, version: shown.diff.version })).toMatchObject({ ok: false, error: { code: 'OFFLINE_ASSIGN_OTHERS' } });

    // Money-moving and platform actions are refused, with the reason.
    for (const action of [{ kind: 'accept_platform', reason: '以平台为准' }, { kind: 'refund_duplicate', reason: '重复收款' }, { kind: 'requery' }, { kind: 'adjust', account: 'amount', direction: 'increase', amount: '10.00', reason: '调账' }] as const) {
      const r = await w.me.call('recon.actOnDiff', { diffId: p04, action });
      expect(r.ok ? 'ok' : r.error.code, action.kind).toBe('OFFLINE_ACTION_REFUSED');
    }
    const refused = await w.me.call('recon.actOnDiff', { diffId: p04, action: { kind: 'accept_platform', reason: '以平台为准' } });
    expect(!refused.ok && refused.error.message).toMatch(/^离线状态下不能「以平台记录为准」：该操作会动用资金或需要查询支付平台，必须连接中心数据库后进行/);
    expect(await w.me.call('recon.runFromPlatform', { channel: 'wechat', date: '2025-03-10' })).toMatchObject({ ok: false, error: { code: 'OFFLINE_UNAVAILABLE', message: expect.stringContaining('不能从平台下载账单') } });
    expect(await w.me.call('recon.bulkDiffs', { selection: { ids: [{ id: p04, version: 1 }] }, action: { kind: 'note', body: '批量备注' } })).toMatchObject({ ok: false, error: { code: 'OFFLINE_UNAVAILABLE', message: expect.stringContaining('不能批量处理差异') } });
    // A difference never opened before going offline is not in the cache: said so.
    expect(await w.me.call('recon.getDiff', { diffId: p03 })).toMatchObject({ ok: true });
    expect(await w.me.call('recon.getDiff', { diffId: 999_999 })).toMatchObject({ ok: false, error: { code: 'OFFLINE_NOT_CACHED' } });

    expect(await w.me.ok('recon.getOfflineStatus', {})).toMatchObject({ offline: true, queued: 3, conflicts: 0 });
    // Nothing has reached the central store.
    expect((await central('P02')).notes).toEqual([]);
    expect((await central('P05')).diff.status).toBe('open');

    await w.proxy.restore();
    const synced = await w.me.ok('recon.syncOffline', {});
    await w.desk.reconOffline.settled();
    expect(synced.status).toMatchObject({ offline: false });
    expect(await w.me.ok('recon.getOfflineStatus', {})).toMatchObject({ offline: false, queued: 0, conflicts: 0 });
    const p02now = await central('P02');
    expect(p02now.notes.map((n) => [n.authorName, n.body])).toEqual([['赵会计', '已联系微信支付客服核实']]);
    expect(p02now.diff).toMatchObject({ status: 'in_progress', assigneeName: '赵会计' });
    expect((await central('P05')).diff).toMatchObject({ status: 'resolved', resolution: 'keep_local', resolutionNote: '平台账单漏记，已与客服确认', resolvedByName: '赵会计' });
    // Each went through the workflow: audited as 赵会计's, in the order made.
    const audit = (await w.colleagueApp.audit.list({}, 1, 50)).items.filter((a) => a.action.startsWith('recon.diff.')).reverse();
    expect(audit.map((a) => [a.action, a.actorName])).toEqual([
      ['recon.diff.note', '赵会计'],
      ['recon.diff.assign', '赵会计'],
      ['recon.diff.keep_local', '赵会计'],
    ]);
    // The desk reads live again.
    expect((await w.me.ok('recon.getDiff', { diffId: p02 })).offline.source).toBe('live');
  });

  it('shows a conflict with both versions when a colleague changed the difference meanwhile; keep mine and take theirs both settle it', async () => {
    await openWhileOnline(w, ['P02', 'P05']);
    const [p02, p05] = [await w.diffId('P02'), await w.diffId('P05')];
    const seen02 = (await w.me.ok('recon.getDiff', { diffId: p02 })).diff.version;
    const seen05 = (await w.me.ok('recon.getDiff', { diffId: p05 })).diff.version;
    await w.proxy.cut();
    await w.me.ok('recon.setDiffStatus', { diffId: p02, status: 'resolved', reason: '差额为平台优惠，已核实', version: seen02 });
    await w.me.ok('recon.noteDiff', { diffId: p02, body: '附：客服工单 88231' });
    await w.me.ok('recon.actOnDiff', { diffId: p05, version: seen05, action: { kind: 'keep_local', reason: '本地记录正确' } });
    // Meanwhile, at another desk.
    await w.colleague.ok('recon.setDiffStatus', { diffId: p02, status: 'ignored', reason: '金额差异由平台活动造成，忽略', version: seen02 });
    await w.colleague.ok('recon.assignDiff', { diffId: p05, assigneeId: w.ids.qian, version: seen05 });

    await w.proxy.restore();
    const synced = await w.me.ok('recon.syncOffline', {});
    expect(synced.replay).toEqual({ applied: 0, conflicts: 2, waiting: 1 });
    expect(synced.status).toMatchObject({ offline: false, queued: 1, conflicts: 2 });
    // Never overwritten: the central store still has the colleague's decisions.
    expect((await central('P02')).diff).toMatchObject({ status: 'ignored', resolutionNote: '金额差异由平台活动造成，忽略' });
    expect((await central('P05')).diff).toMatchObject({ status: 'in_progress', assigneeName: '钱会计' });

    const edits = await w.me.ok('recon.listOfflineEdits', {});
    expect(edits.map((e) => [e.diff?.key, e.summary, e.state])).toEqual([
      ['P02', '标记为 已处理：差额为平台优惠，已核实', 'conflict'],
      ['P02', '备注：附：客服工单 88231', 'pending'],
      ['P05', '以本地记录为准：本地记录正确', 'conflict'],
    ]);
    const c02 = edits[0]!.conflict!;
    expect(c02.message).toBe('离线期间该差异已被修改：处理状态 待处理 → 已忽略；处理方式 — → 人工处理；处理说明 — → 金额差异由平台活动造成，忽略（钱会计）');
    expect([c02.seen.status, c02.mine.status, c02.theirs.status]).toEqual(['open', 'resolved', 'ignored']);
    expect([c02.mine.resolutionNote, c02.theirs.resolutionNote]).toEqual(['差额为平台优惠，已核实', '金额差异由平台活动造成，忽略']);
    expect(edits[2]!.conflict!.theirs).toMatchObject({ assigneeName: '钱会计', status: 'in_progress' });
    // Someone else at the same desk cannot settle 赵会计's conflict.
    const qianHere = await login(w.desk, 'qian');
    expect(await qianHere.call('recon.resolveOfflineEdit', { editId: edits[0]!.id, choice: 'theirs' })).toEqual({ ok: false, error: { code: 'OFFLINE_EDIT_NOT_YOURS', message: '这是赵会计的离线修改，只能由本人处理' } });
    expect(await qianHere.ok('recon.listOfflineEdits', {})).toEqual([]);

    // Keep mine: sent on top of the colleague's version (audited as a change from 已忽略), then the note that waited behind it.
    const kept = await w.me.ok('recon.resolveOfflineEdit', { editId: edits[0]!.id, choice: 'mine' });
    expect(kept.replay).toEqual({ applied: 1, conflicts: 0, waiting: 0 });
    expect(kept.status).toMatchObject({ queued: 0, conflicts: 1 });
    const p02now = await central('P02');
    expect(p02now.diff).toMatchObject({ status: 'resolved', resolution: 'manual', resolutionNote: '差额为平台优惠，已核实', resolvedByName: '赵会计' });
    expect(p02now.notes.map((n) => n.body)).toEqual(['附：客服工单 88231']);

    // Take theirs: dropped; the colleague's assignment stands and nothing of mine was sent.
    const taken = await w.me.ok('recon.resolveOfflineEdit', { editId: edits[2]!.id, choice: 'theirs' });
    expect(taken.status).toMatchObject({ queued: 0, conflicts: 0 });
    expect((await central('P05')).diff).toMatchObject({ status: 'in_progress', assigneeName: '钱会计', resolution: null });
    expect(await w.me.ok('recon.listOfflineEdits', {})).toEqual([]);
    expect(await w.me.call('recon.resolveOfflineEdit', { editId: edits[2]!.id, choice: 'mine' })).toMatchObject({ ok: false, error: { code: 'OFFLINE_EDIT_NOT_FOUND' } });
  });

  it('sends an edit whose difference only the machine changed meanwhile (a re-run), at the new version', async () => {
    await openWhileOnline(w, ['P02']);
    const p02 = await w.diffId('P02');
    const seen = (await w.me.ok('recon.getDiff', { diffId: p02 })).diff.version;
    await w.proxy.cut();
    await w.me.ok('recon.assignDiff', { diffId: p02, assigneeId: w.ids.zhao, version: seen });
    // The day is reconciled again at the other desk: P02's row is refreshed by the machine, version bumped.
    const db = await mysql.createConnection((w.colleagueApp.store.dataSource.options as { url: string }).url);
    await db.query('UPDATE recon_diffs SET last_found_at = last_found_at + 1, version = version + 1, updated_seq = updated_seq + 1 WHERE id = ?', [p02]);
    await db.end();
    await w.proxy.restore();
    expect((await w.me.ok('recon.syncOffline', {})).replay).toEqual({ applied: 1, conflicts: 0, waiting: 0 });
    expect((await central('P02')).diff).toMatchObject({ assigneeName: '赵会计', status: 'in_progress', version: seen + 2 });
  });

  it('keeps the outbox in the cache file across a restart; the desk needs the central store to start and sends it then', async () => {
    await openWhileOnline(w, ['P02']);
    const p02 = await w.diffId('P02');
    await w.proxy.cut();
    await w.me.ok('recon.noteDiff', { diffId: p02, body: '重启前记下的备注' });
    await w.me.ok('recon.setDiffStatus', { diffId: p02, status: 'in_progress' });
    await w.desk.close();
    // Signing in and the user list are the central store's: the app does not start without it.
    await expect(openApp({ store: { kind: 'mysql', url: w.proxy.route('mysql://root@127.0.0.1:3306/x') }, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0 })).rejects.toThrow();
    await w.proxy.restore();
    const desk = await w.reopenDesk();
    expect(await w.me.ok('recon.getOfflineStatus', {})).toMatchObject({ offline: false, queued: 2 });
    await w.me.ok('recon.syncOffline', {});
    await desk.reconOffline.settled();
    const p02now = await central('P02');
    expect(p02now.notes.map((n) => [n.authorName, n.body])).toEqual([['赵会计', '重启前记下的备注']]);
    expect(p02now.diff.status).toBe('in_progress');
    expect(await w.me.ok('recon.getOfflineStatus', {})).toMatchObject({ queued: 0 });
  });

  it('notices a connection reset as well as a refused one, and comes back by itself on the next probe', async () => {
    await openWhileOnline(w, ['P02']);
    const p02 = await w.diffId('P02');
    await w.proxy.cut('reset');
    expect((await w.me.ok('recon.getDiff', { diffId: p02 })).offline.source).toBe('cache');
    expect(await w.me.ok('recon.getOfflineStatus', {})).toMatchObject({ offline: true });
    await w.me.ok('recon.noteDiff', { diffId: p02, body: '连接被重置时记下' });
    await w.proxy.restore();
    // The status poll (every 5 s in the UI) probes once the last probe is a second old; the reconnect sends the outbox.
    w.clock.advance(2000);
    await expect.poll(async () => w.me.ok('recon.getOfflineStatus', {})).toMatchObject({ offline: false, queued: 0 });
    expect((await central('P02')).notes.map((n) => n.body)).toEqual(['连接被重置时记下']);
  });

  it('refreshes the cache by updated_seq while online: a colleague’s change is there offline', async () => {
    await openWhileOnline(w, []);
    const p03 = await w.diffId('P03');
    await w.colleague.ok('recon.noteDiff', { diffId: p03, body: '钱会计的核实记录' });
    await w.colleague.ok('recon.setDiffStatus', { diffId: p03, status: 'ignored', reason: '支付未完成，平台已关单' });
    await w.me.ok('recon.syncOffline', {});
    await w.proxy.cut();
    const p03cached = await w.me.ok('recon.getDiff', { diffId: p03 });
    expect(p03cached.offline.source).toBe('cache');
    expect(p03cached.diff).toMatchObject({ status: 'ignored', resolutionNote: '支付未完成，平台已关单' });
    expect(p03cached.notes.map((n) => n.body)).toEqual(['钱会计的核实记录']);
    expect((await w.me.ok('recon.listDiffs', { runId: w.runId, statuses: ['ignored'] })).items.map((d) => d.key)).toEqual(['P03']);
  });
});

describe('the embedded store (standalone mode)', () => {
  it('has no offline cache: the port passes everything through', async () => {
    const { app, close } = await testApp('sqlite');
    try {
      const c = await callers(app);
      expect(await c.admin.ok('recon.getOfflineStatus', {})).toEqual({ connected: false, offline: false, since: null, reason: null, queued: 0, conflicts: 0, queuedAll: 0, cachedRuns: 0, cachedDiffs: 0 });
      expect(await c.admin.ok('recon.listOfflineEdits', {})).toEqual([]);
      expect((await c.admin.ok('recon.syncOffline', {})).replay).toBeNull();
    } finally {
      await close();
    }
  });
});
