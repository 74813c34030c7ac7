import { DomainError } from '../errors';
import { formatYuan } from '../money';
import { DIFF_RESOLUTION_LABELS, DIFF_STATUS_LABELS } from '../reconciliation/recon-vocabulary';

/**
 * Offline review of 对账差异 (issue 6: "notes and decisions can be made offline on the local SQLite
 * copy and are queued for sending"; ARCHITECTURE.md, connected mode). The pure part: which edits may
 * be queued, what the difference looks like with them, and — when the connection is back — whether a
 * queued edit can still be sent, is already there, or conflicts with what someone else did meanwhile.
 * The services (services/offline) store, read and send; the rules are here so they are unit-tested.
 */

export type WorkStatus = keyof typeof DIFF_STATUS_LABELS;

/**
 * A difference as far as a person's decision is concerned: its workflow columns and the machine's
 * facts a closing decision rests on (amounts, differing fields). `version` is the server's.
 */
export interface DiffWorkState {
  version: number;
  status: WorkStatus;
  assigneeId: number | null;
  assigneeName: string | null;
  resolution: string | null;
  resolutionNote: string | null;
  resolvedByName: string | null;
  resolvedAt: number | null;
  amountFen: number;
  localAmountFen: number | null;
  platformAmountFen: number | null;
  fields: string[];
}

/** The edits that can wait for the connection: none of them moves money or asks a payment platform. */
export type OfflineEdit =
  | { kind: 'note'; body: string }
  | { kind: 'assign'; assigneeId: number | null; assigneeName: string | null }
  | { kind: 'status'; status: WorkStatus; reason: string | null }
  | { kind: 'keep_local'; reason: string };
export type OfflineEditKind = OfflineEdit['kind'];

/** The actions on a difference that need the central store and the platforms there and then. */
export const ONLINE_ONLY_ACTIONS = {
  requery: '重新查询支付平台',
  accept_platform: '以平台记录为准',
  refund_duplicate: '重复付款退款',
  adjust: '调账',
} as const;
export type OnlineOnlyAction = keyof typeof ONLINE_ONLY_ACTIONS;

export interface EditAuthor {
  id: number | null;
  name: string;
}

/** The workflow columns a person decides; a change to any of them by someone else is a conflict. */
const WORK_FIELDS = ['status', 'assigneeId', 'resolution', 'resolutionNote'] as const;
/** The machine's facts (a re-run refreshes them); they matter only to an edit that closes the difference. */
const MACHINE_FIELDS = ['amountFen', 'localAmountFen', 'platformAmountFen', 'fields'] as const;
export type WorkField = (typeof WORK_FIELDS)[number] | (typeof MACHINE_FIELDS)[number];

export function workStateOf(d: DiffWorkState): DiffWorkState {
  return {
    version: d.version,
    status: d.status,
    assigneeId: d.assigneeId,
    assigneeName: d.assigneeName,
    resolution: d.resolution,
    resolutionNote: d.resolutionNote,
    resolvedByName: d.resolvedByName,
    resolvedAt: d.resolvedAt,
    amountFen: d.amountFen,
    localAmountFen: d.localAmountFen,
    platformAmountFen: d.platformAmountFen,
    fields: [...d.fields],
  };
}

export const isClosed = (s: WorkStatus) => s === 'resolved' || s === 'ignored';
const closes = (e: OfflineEdit) => e.kind === 'keep_local' || (e.kind === 'status' && isClosed(e.status));

function required(text: string | null | undefined, what: string, max: number): string {
  const t = (text ?? '').trim();
  if (!t) throw new DomainError('RECON_REASON_REQUIRED', `请填写${what}`);
  return t.slice(0, max);
}

/** Why a money-moving or platform action is refused while the central store cannot be reached. */
export function onlineOnlyRefusal(action: OnlineOnlyAction): DomainError {
  return new DomainError(
    'OFFLINE_ACTION_REFUSED',
    `离线状态下不能「${ONLINE_ONLY_ACTIONS[action]}」：该操作会动用资金或需要查询支付平台，必须连接中心数据库后进行。备注、分配、处理状态和「以本地记录为准」可以离线记录，恢复连接后自动同步。`,
  );
}

/**
 * The same rules as the online workflow (services/reconciliation/recon-workflow.ts), checked against
 * the difference as the desktop shows it (the cached row with the edits already queued). Returns
 * the edit as it will be sent, or null when it changes nothing (the same status again).
 */
export function checkOfflineEdit(state: DiffWorkState, edit: OfflineEdit, author: EditAuthor): OfflineEdit | null {
  switch (edit.kind) {
    case 'note':
      return { kind: 'note', body: required(edit.body, '备注内容', 1000) };
    case 'assign':
      // Who else may take a difference is the central user list's to say: offline, only oneself.
      if (edit.assigneeId !== null && edit.assigneeId !== author.id) throw new DomainError('OFFLINE_ASSIGN_OTHERS', '离线时只能分配给自己或取消分配；分配给他人请在恢复连接后进行');
      if (edit.assigneeId === state.assigneeId) return null;
      return { kind: 'assign', assigneeId: edit.assigneeId, assigneeName: edit.assigneeId === null ? null : author.name.slice(0, 64) };
    case 'status': {
      if (edit.status === state.status) return null;
      const reason = isClosed(edit.status) ? required(edit.reason, edit.status === 'ignored' ? '忽略原因' : '处理说明', 512) : null;
      return { kind: 'status', status: edit.status, reason };
    }
    case 'keep_local':
      if (isClosed(state.status)) throw new DomainError('RECON_DIFF_CLOSED', `该差异${DIFF_STATUS_LABELS[state.status]}，如需再处理请先改回处理中`);
      return { kind: 'keep_local', reason: required(edit.reason, '以本地为准的理由', 512) };
  }
}

/** The difference after `edit`, as the workflow would leave it (what the desktop shows until it is sent). */
export function previewEdit(state: DiffWorkState, edit: OfflineEdit, author: EditAuthor, at: number): DiffWorkState {
  const next = { ...state, fields: [...state.fields] };
  const close = (resolution: string, note: string) => Object.assign(next, { status: 'resolved', resolution, resolutionNote: note, resolvedByName: author.name.slice(0, 64), resolvedAt: at });
  switch (edit.kind) {
    case 'note':
      break;
    case 'assign':
      next.assigneeId = edit.assigneeId;
      next.assigneeName = edit.assigneeName;
      if (state.status === 'open' && edit.assigneeId !== null) next.status = 'in_progress';
      break;
    case 'status':
      next.status = edit.status;
      if (isClosed(edit.status)) Object.assign(next, { resolution: 'manual', resolutionNote: edit.reason, resolvedByName: author.name.slice(0, 64), resolvedAt: at });
      else Object.assign(next, { resolution: null, resolutionNote: null, resolvedByName: null, resolvedAt: null });
      break;
    case 'keep_local':
      close('keep_local', edit.reason);
      break;
  }
  return next;
}

const same = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.join(',') === b.join(',') : a === b);

/** The fields that differ between two states of one difference, the person's first. */
export function changedFields(a: DiffWorkState, b: DiffWorkState): WorkField[] {
  return [...WORK_FIELDS, ...MACHINE_FIELDS].filter((f) => !same(a[f], b[f]));
}

export type ReplayDecision =
  /** Send it, checked against this version. */
  | { outcome: 'apply'; version: number }
  /** The server already shows exactly this change (e.g. it went through just as the line dropped): nothing to send. */
  | { outcome: 'done' }
  /** Someone changed the difference meanwhile: the person chooses (keep mine / take theirs); never overwritten silently. */
  | { outcome: 'conflict'; changed: WorkField[] };

/**
 * A queued edit against the difference as the server has it now. `seen` is what the edit was made
 * on (the cached row, or the server's answer to this person's previous queued edit of the same
 * difference). Same version: send it. Otherwise the version moved, and it matters who moved it:
 * a re-run refreshes the machine's columns and bumps the version without touching a person's
 * decision — then the edit is sent against the new version, except an edit that closes the
 * difference, which rests on the amounts it saw. A changed decision (status, assignee, resolution)
 * is a conflict. A note only adds to the record and is always sent.
 */
export function decideReplay(edit: OfflineEdit, seen: DiffWorkState, current: DiffWorkState, author: EditAuthor, at: number): ReplayDecision {
  if (edit.kind === 'note') return { outcome: 'apply', version: current.version };
  const mine = previewEdit(seen, edit, author, at);
  if (WORK_FIELDS.every((f) => same(mine[f], current[f]))) return { outcome: 'done' };
  if (current.version === seen.version) return { outcome: 'apply', version: current.version };
  const changed = changedFields(seen, current);
  const decided = changed.filter((f) => (WORK_FIELDS as readonly string[]).includes(f));
  if (decided.length || (closes(edit) && changed.length)) return { outcome: 'conflict', changed };
  return { outcome: 'apply', version: current.version };
}

const FIELD_LABELS: Record<WorkField, string> = {
  status: '处理状态',
  assigneeId: '处理人',
  resolution: '处理方式',
  resolutionNote: '处理说明',
  amountFen: '差异金额',
  localAmountFen: '本地金额',
  platformAmountFen: '平台金额',
  fields: '差异字段',
};

function shown(s: DiffWorkState, f: WorkField): string {
  switch (f) {
    case 'status':
      return DIFF_STATUS_LABELS[s.status];
    case 'assigneeId':
      return s.assigneeName ?? '未分配';
    case 'resolution':
      return s.resolution ? (DIFF_RESOLUTION_LABELS[s.resolution as keyof typeof DIFF_RESOLUTION_LABELS] ?? s.resolution) : '—';
    case 'fields':
      return s.fields.join('、') || '—';
    case 'amountFen':
    case 'localAmountFen':
    case 'platformAmountFen': {
      const v = s[f];
      return v === null ? '—' : formatYuan(v);
    }
    default:
      return s[f] ?? '—';
  }
}

/** "处理状态 待处理 → 已处理（李四）；…": what changed while the edit waited, in the accountant's words. */
export function describeConflict(seen: DiffWorkState, current: DiffWorkState, changed: readonly WorkField[]): string {
  const parts = changed.map((f) => `${FIELD_LABELS[f]} ${shown(seen, f)} → ${shown(current, f)}`);
  const by = current.resolvedByName && changed.includes('status') && isClosed(current.status) ? `（${current.resolvedByName}）` : '';
  return `离线期间该差异已被修改：${parts.join('；')}${by}`;
}

/** One queued edit in a line ("备注：…", "分配给 张三", "标记为 已处理：…", "以本地记录为准：…"). */
export function describeEdit(edit: OfflineEdit): string {
  switch (edit.kind) {
    case 'note':
      return `备注：${edit.body}`;
    case 'assign':
      return edit.assigneeName ? `分配给 ${edit.assigneeName}` : '取消分配';
    case 'status':
      return `标记为 ${DIFF_STATUS_LABELS[edit.status]}${edit.reason ? `：${edit.reason}` : ''}`;
    case 'keep_local':
      return `以本地记录为准：${edit.reason}`;
  }
}
