import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkOfflineEdit,
  decideReplay,
  describeConflict,
  onlineOnlyRefusal,
  previewEdit,
  type DiffWorkState,
  type OfflineEdit,
  type WorkStatus,
} from '../../../src-main/core/offline/offline-edits';

const me = { id: 7, name: '赵会计' };
const other = { id: 8, name: '钱会计' };
const AT = Date.UTC(2026, 2, 11, 3);
const state = (over: Partial<DiffWorkState> = {}): DiffWorkState => ({
  version: 3,
  status: 'open',
  assigneeId: null,
  assigneeName: null,
  resolution: null,
  resolutionNote: null,
  resolvedByName: null,
  resolvedAt: null,
  amountFen: 1000,
  localAmountFen: 10_000,
  platformAmountFen: 9000,
  fields: ['amount'],
  ...over,
});

describe('what may be queued offline', () => {
  it('checks edits by the workflow’s rules against the difference as shown', () => {
    expect(checkOfflineEdit(state(), { kind: 'note', body: '  已联系客服 ' }, me)).toEqual({ kind: 'note', body: '已联系客服' });
    expect(() => checkOfflineEdit(state(), { kind: 'note', body: '  ' }, me)).toThrow('请填写备注内容');
    expect(checkOfflineEdit(state(), { kind: 'assign', assigneeId: 7, assigneeName: null }, me)).toEqual({ kind: 'assign', assigneeId: 7, assigneeName: '赵会计' });
    expect(() => checkOfflineEdit(state(), { kind: 'assign', assigneeId: 8, assigneeName: null }, me)).toThrow('离线时只能分配给自己');
    expect(checkOfflineEdit(state({ assigneeId: 7 }), { kind: 'assign', assigneeId: 7, assigneeName: null }, me)).toBeNull();
    expect(checkOfflineEdit(state(), { kind: 'status', status: 'open', reason: null }, me)).toBeNull();
    expect(() => checkOfflineEdit(state(), { kind: 'status', status: 'ignored', reason: '' }, me)).toThrow('请填写忽略原因');
    expect(() => checkOfflineEdit(state({ status: 'resolved' }), { kind: 'keep_local', reason: '本地正确' }, me)).toThrow('该差异已处理，如需再处理请先改回处理中');
  });

  it('refuses money-moving and platform actions with the reason', () => {
    expect(onlineOnlyRefusal('refund_duplicate').message).toMatch(/^离线状态下不能「重复付款退款」：该操作会动用资金或需要查询支付平台/);
    expect(onlineOnlyRefusal('accept_platform').code).toBe('OFFLINE_ACTION_REFUSED');
  });

  it('previews an edit as the workflow would apply it', () => {
    expect(previewEdit(state(), { kind: 'assign', assigneeId: 7, assigneeName: '赵会计' }, me, AT)).toMatchObject({ status: 'in_progress', assigneeName: '赵会计', version: 3 });
    expect(previewEdit(state(), { kind: 'keep_local', reason: '本地正确' }, me, AT)).toMatchObject({ status: 'resolved', resolution: 'keep_local', resolutionNote: '本地正确', resolvedByName: '赵会计', resolvedAt: AT });
    expect(previewEdit(state({ status: 'resolved', resolution: 'manual' }), { kind: 'status', status: 'in_progress', reason: null }, me, AT)).toMatchObject({ status: 'in_progress', resolution: null });
  });
});

describe('replaying a queued edit against the server’s difference', () => {
  const assignMe: OfflineEdit = { kind: 'assign', assigneeId: 7, assigneeName: '赵会计' };
  const close: OfflineEdit = { kind: 'keep_local', reason: '本地正确' };

  it('sends it at the same version', () => {
    expect(decideReplay(assignMe, state(), state(), me, AT)).toEqual({ outcome: 'apply', version: 3 });
  });

  it('sends it at the new version when only the machine refreshed the difference', () => {
    expect(decideReplay(assignMe, state(), state({ version: 4, amountFen: 1200, platformAmountFen: 8800 }), me, AT)).toEqual({ outcome: 'apply', version: 4 });
  });

  it('holds a closing decision whose amounts changed meanwhile', () => {
    expect(decideReplay(close, state(), state({ version: 4, amountFen: 1200 }), me, AT)).toEqual({ outcome: 'conflict', changed: ['amountFen'] });
  });

  it('is a conflict when someone else decided meanwhile, described in the accountant’s words', () => {
    const theirs = state({ version: 5, status: 'resolved', resolution: 'manual', resolutionNote: '平台已补单', resolvedByName: '钱会计' });
    const d = decideReplay(close, state(), theirs, me, AT);
    expect(d).toEqual({ outcome: 'conflict', changed: ['status', 'resolution', 'resolutionNote'] });
    expect(describeConflict(state(), theirs, d.outcome === 'conflict' ? d.changed : [])).toBe('离线期间该差异已被修改：处理状态 待处理 → 已处理；处理方式 — → 人工处理；处理说明 — → 平台已补单（钱会计）');
    expect(decideReplay(assignMe, state(), state({ version: 4, assigneeId: 8, assigneeName: '钱会计', status: 'in_progress' }), me, AT)).toMatchObject({ outcome: 'conflict' });
  });

  it('is done when the server already has exactly this change', () => {
    expect(decideReplay(assignMe, state(), state({ version: 4, assigneeId: 7, assigneeName: '赵会计', status: 'in_progress' }), me, AT)).toEqual({ outcome: 'done' });
  });

  it('always sends a note: it only adds to the record', () => {
    expect(decideReplay({ kind: 'note', body: 'x' }, state(), state({ version: 9, status: 'ignored' }), me, AT)).toEqual({ outcome: 'apply', version: 9 });
  });

  it('never sends an edit over a decision someone else changed (property)', () => {
    const statuses: WorkStatus[] = ['open', 'in_progress', 'resolved', 'ignored'];
    const edit = fc.oneof(
      fc.constant<OfflineEdit>(assignMe),
      fc.constantFrom(...statuses).map<OfflineEdit>((s) => ({ kind: 'status', status: s, reason: '说明' })),
      fc.constant<OfflineEdit>(close),
    );
    const change = fc.record({ status: fc.constantFrom(...statuses), assignee: fc.constantFrom(null, me, other), note: fc.constantFrom(null, '他人说明') });
    fc.assert(
      fc.property(edit, change, fc.integer({ min: 1, max: 5 }), (e, c, bump) => {
        const seen = state();
        const current = state({ version: seen.version + bump, status: c.status, assigneeId: c.assignee?.id ?? null, assigneeName: c.assignee?.name ?? null, resolutionNote: c.note });
        const d = decideReplay(e, seen, current, me, AT);
        const decidedByOthers = current.status !== seen.status || current.assigneeId !== seen.assigneeId || current.resolutionNote !== seen.resolutionNote;
        const mine = previewEdit(seen, e, me, AT);
        const alreadyThere = mine.status === current.status && mine.assigneeId === current.assigneeId && mine.resolution === current.resolution && mine.resolutionNote === current.resolutionNote;
        if (alreadyThere) expect(d.outcome).toBe('done');
        else if (decidedByOthers) expect(d.outcome).toBe('conflict');
        else expect(d).toEqual({ outcome: 'apply', version: current.version });
      }),
    );
  });
});
