import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import type { DiffType } from '../../core/reconciliation/recon-diff';
import { DIFF_STATUS_LABELS } from '../../core/reconciliation/recon-vocabulary';
import type { BulkDiffRow } from '../../db/repositories/recon-report-repository';
import type { DiffFilter, DiffStatus } from '../../db/repositories/recon-repository';
import type { Tx } from '../../db/store';
import type { Actor } from '../actor';

/** The most differences one bulk action changes (one transaction holds their row locks). */
export const MAX_BULK = 50_000;

/**
 * What the accountant selected: rows ticked in the table (each with the version it showed), or
 * "all matching the filter" as counted by `recon.selectDiffs` — the count and the change mark
 * (`updated_seq`) of that moment, so rows changed since are recognised.
 */
export type BulkSelection = { ids: { id: number; version: number }[] } | { filter: DiffFilter; count: number; seq: number };

export type BulkAction =
  | { kind: 'assign'; assigneeId: number | null }
  | { kind: 'status'; status: DiffStatus; reason?: string }
  | { kind: 'note'; body: string }
  | { kind: 'keep_local'; reason: string };

/**
 * A selection that is partly stale: `abort` changes nothing and names the rows changed meanwhile (the
 * workbench then asks whether to go on without them); `skip` applies to the others and names those
 * it left out.
 */
export type BulkConflictMode = 'abort' | 'skip';

export interface BulkConflict {
  id: number;
  /** Null when the difference no longer exists. */
  key: string | null;
  type: DiffType | null;
  /** changed: someone changed it since it was selected; gone: deleted; closed: 已处理/已忽略, the action does not apply. */
  reason: 'changed' | 'gone' | 'closed';
}

export interface BulkResult {
  /** False when `abort` found conflicts: nothing was changed. */
  done: boolean;
  applied: number;
  /** Selected rows that already were as asked (same status, same assignee). */
  unchanged: number;
  conflicts: BulkConflict[];
  /** Rows of a filter selection that no longer match it (changed out of it meanwhile); they cannot be named. */
  vanished: number;
  message: string;
}

const BULK_AUDIT_ACTION: Record<BulkAction['kind'], string> = { assign: 'recon.diff.assign', status: 'recon.diff.status', note: 'recon.diff.note', keep_local: 'recon.diff.keep_local' };
const BULK_LABEL: Record<BulkAction['kind'], string> = { assign: '分配处理人', status: '修改处理状态', note: '添加备注', keep_local: '以本地记录为准' };

const reasonOf = (text: string | undefined, what: string) => {
  const t = (text ?? '').trim();
  if (!t) throw new DomainError('RECON_REASON_REQUIRED', `请填写${what}`);
  return t;
};

const auditRow = (d: Pick<BulkDiffRow, 'status' | 'assigneeId' | 'assigneeName' | 'resolution' | 'resolutionNote' | 'refundNo'>) =>
  ({ status: d.status, assigneeId: d.assigneeId, assigneeName: d.assigneeName, resolution: d.resolution, resolutionNote: d.resolutionNote, refundNo: d.refundNo });

/** What one row becomes (columns to set and the audit's after), or null when it already is. */
type Change = { set: Record<string, unknown>; after: ReturnType<typeof auditRow> } | null;

/**
 * One bulk action of the difference workbench, inside the caller's transaction: the selected rows
 * are locked and checked (version for ticked rows, change mark for a filter selection), then changed
 * a few hundred per statement and audited one entry per difference (as the single actions are) plus
 * one entry for the bulk action itself. A refusal (bad reason, unknown user, too many rows, a
 * conflict under `abort`) leaves everything as it was.
 */
export async function applyBulk(tx: Tx, actor: Actor, now: number, selection: BulkSelection, action: BulkAction, mode: BulkConflictMode): Promise<BulkResult> {
  // The domain's own checks first: the contract validated the shapes, not the meaning.
  let assigneeName: string | null = null;
  if (action.kind === 'assign' && action.assigneeId !== null) {
    const u = await tx.users.findById(action.assigneeId);
    if (!u || !u.active) throw new DomainError('USER_NOT_FOUND', '指派的用户不存在或已停用');
    assigneeName = u.displayName;
  }
  const closing = action.kind === 'status' && (action.status === 'resolved' || action.status === 'ignored');
  const note =
    action.kind === 'keep_local'
      ? reasonOf(action.reason, '以本地为准的理由').slice(0, 512)
      : action.kind === 'note'
        ? reasonOf(action.body, '备注内容').slice(0, 1000)
        : closing
          ? reasonOf(action.kind === 'status' ? action.reason : '', action.kind === 'status' && action.status === 'ignored' ? '忽略原因' : '处理说明').slice(0, 512)
          : null;

  // Lock and check the selection.
  const conflicts: BulkConflict[] = [];
  let rows: BulkDiffRow[];
  let vanished = 0;
  if ('ids' in selection) {
    if (selection.ids.length === 0) throw new DomainError('RECON_BULK_EMPTY', '请先选择要处理的差异');
    if (selection.ids.length > MAX_BULK) throw new DomainError('RECON_BULK_TOO_MANY', `一次最多批量处理 ${MAX_BULK.toLocaleString('en-US')} 条差异，请缩小范围`);
    const wanted = new Map(selection.ids.map((s) => [s.id, s.version]));
    const locked = await tx.reconReports.lockByIds([...wanted.keys()]);
    const found = new Set(locked.map((r) => r.id));
    for (const id of wanted.keys()) if (!found.has(id)) conflicts.push({ id, key: null, type: null, reason: 'gone' });
    rows = [];
    for (const r of locked) {
      if (r.version !== wanted.get(r.id)) conflicts.push({ id: r.id, key: r.key, type: r.type, reason: 'changed' });
      else rows.push(r);
    }
  } else {
    if (selection.count === 0) throw new DomainError('RECON_BULK_EMPTY', '没有符合筛选条件的差异');
    const locked = await tx.reconReports.lockByFilter(selection.filter, MAX_BULK + 1);
    if (locked.length > MAX_BULK) throw new DomainError('RECON_BULK_TOO_MANY', `符合条件的差异超过 ${MAX_BULK.toLocaleString('en-US')} 条，一次最多批量处理这么多，请缩小筛选范围`);
    rows = [];
    for (const r of locked) {
      // Changed after the selection was counted: it may not be what the accountant looked at.
      if (r.updatedSeq > selection.seq) conflicts.push({ id: r.id, key: r.key, type: r.type, reason: 'changed' });
      else rows.push(r);
    }
    vanished = Math.max(0, selection.count - rows.length - conflicts.length);
  }
  if (action.kind === 'keep_local') {
    const open: BulkDiffRow[] = [];
    for (const r of rows) {
      if (r.status === 'resolved' || r.status === 'ignored') conflicts.push({ id: r.id, key: r.key, type: r.type, reason: 'closed' });
      else open.push(r);
    }
    rows = open;
  }
  conflicts.sort((a, b) => a.id - b.id);
  if (mode === 'abort' && (conflicts.length > 0 || vanished > 0)) {
    const parts = [conflicts.filter((c) => c.reason === 'changed').length, conflicts.filter((c) => c.reason === 'gone').length + vanished, conflicts.filter((c) => c.reason === 'closed').length];
    const said = [parts[0] ? `${parts[0]} 条已被他人修改` : '', parts[1] ? `${parts[1]} 条已不在所选范围内` : '', parts[2] ? `${parts[2]} 条已处理或已忽略` : ''].filter(Boolean).join('，');
    return { done: false, applied: 0, unchanged: 0, conflicts, vanished, message: `所选差异中${said}，未做任何修改` };
  }

  // What each row becomes.
  const resolvedBy = actor.name.slice(0, 64);
  const changeOf = (r: BulkDiffRow): Change => {
    const before = auditRow(r);
    switch (action.kind) {
      case 'assign': {
        if (r.assigneeId === action.assigneeId) return null;
        const status: DiffStatus = r.status === 'open' && action.assigneeId !== null ? 'in_progress' : r.status;
        return { set: { assignee_id: action.assigneeId, assignee_name: assigneeName, status }, after: { ...before, assigneeId: action.assigneeId, assigneeName, status } };
      }
      case 'status': {
        if (r.status === action.status) return null;
        const set = { status: action.status, resolution: closing ? 'manual' : null, resolution_note: note, resolved_by_name: closing ? resolvedBy : null, resolved_at: closing ? now : null };
        return { set, after: { ...before, status: action.status, resolution: closing ? 'manual' : null, resolutionNote: note } };
      }
      case 'keep_local': {
        const set = { status: 'resolved', resolution: 'keep_local', resolution_note: note, resolved_by_name: resolvedBy, resolved_at: now };
        return { set, after: { ...before, status: 'resolved', resolution: 'keep_local', resolutionNote: note } };
      }
      case 'note':
        return { set: {}, after: before };
    }
  };
  const changes: { row: BulkDiffRow; change: NonNullable<Change> }[] = [];
  for (const row of rows) {
    const change = changeOf(row);
    if (change) changes.push({ row, change });
  }
  const ref = `B${now}-${actor.id ?? 0}`;
  if (action.kind === 'note') await tx.reconReports.addNotes(changes.map((c) => c.row.id), actor, note!, now);
  else await tx.reconReports.updateMany(changes.map((c) => ({ id: c.row.id, version: c.row.version, set: c.change.set })), now);
  const auditAction = BULK_AUDIT_ACTION[action.kind];
  for (const { row, change } of changes)
    await tx.audit.append(
      {
        actorId: actor.id,
        actorName: actor.name,
        action: auditAction,
        entityType: 'recon_diff',
        entityId: String(row.id),
        before: action.kind === 'note' ? null : snapshot(auditRow(row)),
        after: snapshot(action.kind === 'note' ? { body: note, bulk: ref } : { ...change.after, bulk: ref }),
      },
      now,
    );
  const skipped = conflicts.map((c) => c.id);
  await tx.audit.append(
    {
      actorId: actor.id,
      actorName: actor.name,
      action: 'recon.diff.bulk',
      entityType: 'recon_diff',
      entityId: ref,
      before: null,
      after: snapshot({
        action: action.kind,
        ...(action.kind === 'assign' ? { assigneeId: action.assigneeId, assigneeName } : action.kind === 'status' ? { status: action.status } : {}),
        note,
        selection: 'ids' in selection ? { ids: selection.ids.length } : { filter: selection.filter, count: selection.count },
        applied: changes.length,
        skipped: skipped.length > 200 ? `${skipped.length} 条` : skipped,
        vanished,
      }),
    },
    now,
  );
  const unchanged = rows.length - changes.length;
  const what = action.kind === 'status' ? `标记为${DIFF_STATUS_LABELS[action.status]}` : BULK_LABEL[action.kind];
  const message = [`已${what} ${changes.length} 条`, unchanged ? `${unchanged} 条本已如此` : '', conflicts.length + vanished ? `跳过 ${conflicts.length + vanished} 条` : ''].filter(Boolean).join('，');
  return { done: true, applied: changes.length, unchanged, conflicts, vanished, message };
}
