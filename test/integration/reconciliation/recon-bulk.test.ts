import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import type { ChannelInput } from '../../../src-main/api/contract';
import { callers, type Caller } from '../../support/callers';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { addLocal, at, bill } from './recon-world';

const D = '2025-03-10';
type Filter = Omit<ChannelInput<'recon.selectDiffs'>, never>;

describe.each(STORE_KINDS)('bulk actions on differences on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let accountant: Caller;
  let other: Caller;
  let c: Awaited<ReturnType<typeof callers>>;
  let accountantId = 0;

  const list = async (f: Filter = {}) => (await accountant.ok('recon.listDiffs', { ...f, sortBy: 'key', sortOrder: 'asc', pageSize: 200 })).items;
  const row = async (key: string) => (await list({ search: key })).find((d) => d.key === key)!;
  const audits = async (action: string) => (await app.audit.list({ action }, 1, 200)).items;
  const auditCount = async () => (await app.audit.list({}, 1, 1)).total;

  beforeEach(async () => {
    ({ app, close } = await testApp(kind, { clock: new TestClock(at('2025-03-11', '10:30:00')) }));
    c = await callers(app);
    accountant = await c.as('accountant');
    other = await c.as('accountant', 'qian');
    accountantId = (await c.admin.ok('users.list', {})).find((u) => u.username === 'accountant')!.id;
    // Twelve of our payments the platform never billed (平台无此单), two amounts that differ, one 漏单.
    const ours = Array.from({ length: 12 }, (_, i) => ({ orderNo: `P1${String(i).padStart(2, '0')}`, amountFen: 1000 + i, status: 'success', paidAt: at(D, '09:00:00') }));
    await addLocal(app, [...ours, { orderNo: 'P201', amountFen: 5000, status: 'success', paidAt: at(D, '10:00:00') }, { orderNo: 'P202', amountFen: 6000, status: 'success', paidAt: at(D, '10:00:00') }]);
    await app.recon.runDay(
      { id: null, name: '测试' },
      {
        channel: 'wechat',
        date: D,
        bill: bill('wechat', D, [
          { key: 'P201', amountFen: 4900, at: at(D, '10:00:00') },
          { key: 'P202', amountFen: 6100, at: at(D, '10:00:00') },
          { key: 'P301', amountFen: 700, at: at(D, '11:00:00') },
        ]),
      },
    );
  });
  afterEach(() => close());

  it('ticked rows: assigned in one call, one audit entry per difference and one for the bulk', async () => {
    const picked = (await list({ types: ['missing_platform'] })).slice(0, 3);
    const before = await auditCount();
    const r = await accountant.ok('recon.bulkDiffs', { selection: { ids: picked.map((d) => ({ id: d.id, version: d.version })) }, action: { kind: 'assign', assigneeId: accountantId } });
    expect(r).toEqual({ done: true, applied: 3, unchanged: 0, conflicts: [], vanished: 0, message: '已分配处理人 3 条' });
    for (const d of picked) expect(await row(d.key)).toMatchObject({ assigneeName: 'accountant 用户', status: 'in_progress', version: d.version + 1 });
    expect(await auditCount()).toBe(before + 4);
    const assigned = await audits('recon.diff.assign');
    expect(assigned.map((a) => a.entityId).sort()).toEqual(picked.map((d) => String(d.id)).sort());
    expect(JSON.parse(assigned[0]!.after!)).toMatchObject({ assigneeName: 'accountant 用户', status: 'in_progress', bulk: expect.stringMatching(/^B\d+-\d+$/) });
    const [bulk] = await audits('recon.diff.bulk');
    expect(JSON.parse(bulk!.after!)).toMatchObject({ action: 'assign', applied: 3, selection: { ids: 3 } });
  });

  it('a conflict under abort names the row changed meanwhile and changes nothing; skip applies to the others', async () => {
    const picked = await list({ types: ['missing_platform'] });
    const [a, b, d] = [picked[0]!, picked[1]!, picked[2]!];
    // Someone else takes b first.
    await other.ok('recon.setDiffStatus', { diffId: b.id, status: 'in_progress' });
    const selection = { ids: [a, b, d].map((x) => ({ id: x.id, version: x.version })) };
    const before = await auditCount();
    const refused = await accountant.ok('recon.bulkDiffs', { selection, action: { kind: 'status', status: 'ignored', reason: '测试单，无需处理' } });
    expect(refused).toEqual({ done: false, applied: 0, unchanged: 0, conflicts: [{ id: b.id, key: b.key, type: 'missing_platform', reason: 'changed' }], vanished: 0, message: '所选差异中1 条已被他人修改，未做任何修改' });
    expect(await auditCount()).toBe(before);
    for (const x of [a, d]) expect(await row(x.key)).toMatchObject({ status: 'open', version: x.version });

    const applied = await accountant.ok('recon.bulkDiffs', { selection, action: { kind: 'status', status: 'ignored', reason: '测试单，无需处理' }, onConflict: 'skip' });
    expect(applied).toMatchObject({ done: true, applied: 2, conflicts: [{ id: b.id, reason: 'changed' }], message: '已标记为已忽略 2 条，跳过 1 条' });
    for (const x of [a, d]) expect(await row(x.key)).toMatchObject({ status: 'ignored', resolution: 'manual', resolutionNote: '测试单，无需处理', resolvedByName: 'accountant 用户' });
    expect(await row(b.key)).toMatchObject({ status: 'in_progress', resolution: null });
    expect((await audits('recon.diff.status')).filter((e) => JSON.parse(e.after!).bulk).map((e) => e.entityId).sort()).toEqual([String(a.id), String(d.id)].sort());
    const [bulk] = await audits('recon.diff.bulk');
    expect(JSON.parse(bulk!.after!)).toMatchObject({ action: 'status', status: 'ignored', applied: 2, skipped: [b.id] });
  });

  it('all matching the filter: counted, then kept ours in one call; exactly the rows the table lists', async () => {
    for (const f of [{ types: ['missing_platform'] }, { statuses: ['open'] }, { search: 'P10' }, { types: ['amount'], search: 'P2' }, { kind: 'refund' }] as Filter[]) {
      const sel = await accountant.ok('recon.selectDiffs', f);
      const listed = await list(f);
      expect(sel.count, JSON.stringify(f)).toBe(listed.length);
      expect(sel.amountFen).toBe(listed.reduce((s, d) => s + d.amountFen, 0));
    }
    const filter: Filter = { types: ['missing_platform'] };
    const sel = await accountant.ok('recon.selectDiffs', filter);
    expect(sel).toMatchObject({ count: 12, amountFen: 12 * 1000 + 66 });
    const r = await accountant.ok('recon.bulkDiffs', { selection: { filter, count: sel.count, seq: sel.seq }, action: { kind: 'keep_local', reason: '平台次日补单' } });
    expect(r).toMatchObject({ done: true, applied: 12, conflicts: [], message: '已以本地记录为准 12 条' });
    expect((await list(filter)).every((d) => d.status === 'resolved' && d.resolution === 'keep_local' && d.resolutionNote === '平台次日补单')).toBe(true);
    expect(await list({ types: ['amount'], statuses: ['open'] })).toHaveLength(2);
    expect(await audits('recon.diff.keep_local')).toHaveLength(12);
  });

  it('a filter selection that changed meanwhile: a changed row is named, a row gone out of the filter is counted; abort changes nothing', async () => {
    const filter: Filter = { statuses: ['open'], types: ['missing_platform'] };
    const sel = await accountant.ok('recon.selectDiffs', filter);
    const [x, y] = await list(filter);
    await other.ok('recon.assignDiff', { diffId: x!.id, assigneeId: accountantId }); // leaves the filter (处理中)
    await other.ok('recon.noteDiff', { diffId: y!.id, body: '先看一下' }); // a note does not change the difference
    await other.ok('recon.setDiffStatus', { diffId: y!.id, status: 'open' }); // no change either
    const selection = { filter, count: sel.count, seq: sel.seq };
    const refused = await accountant.ok('recon.bulkDiffs', { selection, action: { kind: 'note', body: '批量核对中' } });
    expect(refused).toMatchObject({ done: false, applied: 0, conflicts: [], vanished: 1, message: '所选差异中1 条已不在所选范围内，未做任何修改' });
    expect(await audits('recon.diff.note')).toHaveLength(1);

    // A row changed but still matching is named.
    const sel2 = await accountant.ok('recon.selectDiffs', filter);
    const z = (await list(filter))[3]!;
    await other.ok('recon.setDiffStatus', { diffId: z.id, status: 'in_progress' });
    await other.ok('recon.setDiffStatus', { diffId: z.id, status: 'open' }); // back in the filter, with a new version
    const again = await accountant.ok('recon.bulkDiffs', { selection: { filter, count: sel2.count, seq: sel2.seq }, action: { kind: 'note', body: '批量核对中' } });
    expect(again).toMatchObject({ done: false, conflicts: [{ id: z.id, key: z.key, type: 'missing_platform', reason: 'changed' }], vanished: 0 });
    const skipped = await accountant.ok('recon.bulkDiffs', { selection: { filter, count: sel2.count, seq: sel2.seq }, action: { kind: 'note', body: '批量核对中' }, onConflict: 'skip' });
    expect(skipped).toMatchObject({ done: true, applied: sel2.count - 1, conflicts: [{ id: z.id }] });
    const notes = (await accountant.ok('recon.getDiff', { diffId: y!.id })).notes.map((n) => n.body);
    expect(notes).toEqual(['先看一下', '批量核对中']);
    expect((await accountant.ok('recon.getDiff', { diffId: z.id })).notes).toEqual([]);
    expect(await audits('recon.diff.note')).toHaveLength(1 + sel2.count - 1);
  });

  it('keep ours skips what is already closed; the domain refuses a missing reason, an unknown user, an empty selection', async () => {
    const [p, q] = await list({ types: ['missing_platform'] });
    await other.ok('recon.actOnDiff', { diffId: q!.id, action: { kind: 'keep_local', reason: '已核实' } });
    const q2 = await row(q!.key);
    const selection = { ids: [p!, q2].map((x) => ({ id: x.id, version: x.version })) };
    const refused = await accountant.ok('recon.bulkDiffs', { selection, action: { kind: 'keep_local', reason: '平台次日补单' } });
    expect(refused).toMatchObject({ done: false, conflicts: [{ id: q!.id, reason: 'closed' }], message: '所选差异中1 条已处理或已忽略，未做任何修改' });

    const before = await auditCount();
    expect(await accountant.call('recon.bulkDiffs', { selection, action: { kind: 'status', status: 'resolved' } })).toEqual({ ok: false, error: { code: 'RECON_REASON_REQUIRED', message: '请填写处理说明' } });
    expect(await accountant.call('recon.bulkDiffs', { selection, action: { kind: 'status', status: 'ignored', reason: '   ' } })).toEqual({ ok: false, error: { code: 'RECON_REASON_REQUIRED', message: '请填写忽略原因' } });
    expect(await accountant.call('recon.bulkDiffs', { selection, action: { kind: 'assign', assigneeId: 9999 } })).toEqual({ ok: false, error: { code: 'USER_NOT_FOUND', message: '指派的用户不存在或已停用' } });
    const empty = await accountant.raw('recon.bulkDiffs', { selection: { ids: [] }, action: { kind: 'note', body: 'x' } });
    expect(empty).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.stringify(empty)).toContain('请先选择要处理的差异');
    expect(await auditCount()).toBe(before);
    expect(await row(p!.key)).toMatchObject({ status: 'open', version: p!.version });

    // Who may only look, may not act in bulk either.
    const auditor = await c.as('auditor');
    expect(await auditor.call('recon.bulkDiffs', { selection, action: { kind: 'note', body: 'x' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await auditor.call('recon.selectDiffs', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('assignees are the active users whose role may resolve differences', async () => {
    await c.as('auditor');
    const names = (await accountant.ok('recon.listAssignees', {})).map((u) => u.displayName).sort();
    expect(names).toEqual(['accountant 用户', 'accountant 用户', '系统管理员'].sort());
  });
});
