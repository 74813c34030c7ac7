import {
  checkOfflineEdit,
  describeEdit,
  onlineOnlyRefusal,
  ONLINE_ONLY_ACTIONS,
  previewEdit,
  workStateOf,
  type DiffWorkState,
  type EditAuthor,
  type OfflineEdit,
  type OnlineOnlyAction,
} from '../../core/offline/offline-edits';
import { DomainError } from '../../core/errors';
import type { Page } from '../../core/orders/order';
import { DIFF_TYPE_LABELS } from '../../core/reconciliation/recon-diff';
import type { Clock } from '../../core/time';
import type { OutboxEntry } from '../../db/repositories/offline-repository';
import type { DiffFilter, DiffNote, DiffResolution, DiffSortField, DiffStatus, ReconDiff, ReconRun, RunFilter } from '../../db/repositories/recon-repository';
import type { Actor } from '../actor';
import { runReport, type ReconService } from '../reconciliation/recon-service';
import type { DiffAction, ReconWorkflow } from '../reconciliation/recon-workflow';
import type { CacheMirror } from './cache-mirror';
import type { ConnectionMonitor } from './connection-monitor';
import type { OfflineCache } from './offline-cache';
import type { OutboxReplay, ReplaySummary } from './outbox-replay';

type WorkflowView = Awaited<ReturnType<ReconWorkflow['get']>>;

/** A queued or conflicting edit as its author sees it. */
export interface OfflineEditView {
  id: number;
  diffId: number;
  kind: OfflineEdit['kind'];
  summary: string;
  state: OutboxEntry['state'];
  authorName: string;
  createdAt: number;
  /** The difference it belongs to, as cached (null when it is not in the cache). */
  diff: { key: string; type: ReconDiff['type']; typeLabel: string; channel: ReconDiff['channel']; billDate: string } | null;
  /** In conflict: the difference as the author saw it, as the edit would make it, and as it is now on the server. */
  conflict: { message: string; seen: DiffWorkState; mine: DiffWorkState; theirs: DiffWorkState } | null;
}

/** A difference in the side panel, with where it was read from and this person's edits of it still in the outbox. */
export type DiffView = WorkflowView & { offline: { source: 'live' | 'cache'; edits: OfflineEditView[] } };
export interface DiffRow extends ReconDiff {
  /** This desk's edits of it still in the outbox (0 when none or in standalone mode). */
  queuedEdits: number;
}

export interface OfflineStatus {
  /** Connected mode (central MySQL with a local cache); false in standalone mode. */
  connected: boolean;
  offline: boolean;
  since: number | null;
  reason: string | null;
  /** This person's edits waiting to be sent, and those in conflict. */
  queued: number;
  conflicts: number;
  /** Everyone's edits in this desktop's outbox. */
  queuedAll: number;
  cachedRuns: number;
  cachedDiffs: number;
}

export interface OfflineParts {
  cache: OfflineCache;
  mirror: CacheMirror;
  monitor: ConnectionMonitor;
  replay: OutboxReplay;
  /** Least time between two automatic mirror refreshes while online. */
  refreshEveryMs: number;
  log?: (e: Record<string, unknown>) => void;
}

const MAX_EDITS_SHOWN = 200;

function notCached(what: string): DomainError {
  return new DomainError('OFFLINE_NOT_CACHED', `当前离线（无法连接中心数据库），${what}没有缓存在本机：离线前打开过的对账批次和差异才能离线查看。请恢复连接后再试`);
}

const offlineRefusal = (what: string) =>
  new DomainError('OFFLINE_UNAVAILABLE', `当前离线（无法连接中心数据库），不能${what}。离线时可以查看已缓存的对账差异并记录备注、分配和处理状态，恢复连接后自动同步`);

/** The difference with the queued edits applied, as the desktop shows it until they are sent. */
function overlay<T extends ReconDiff>(d: T, entries: readonly OutboxEntry[]): T {
  const pending = entries.filter((e) => e.state === 'pending' && e.diffId === d.id);
  if (!pending.length) return d;
  const s = pending.reduce((st, e) => previewEdit(st, e.edit, { id: e.authorId, name: e.authorName }, e.createdAt), workStateOf(d));
  return { ...d, status: s.status as DiffStatus, assigneeId: s.assigneeId, assigneeName: s.assigneeName, resolution: s.resolution as DiffResolution | null, resolutionNote: s.resolutionNote, resolvedByName: s.resolvedByName, resolvedAt: s.resolvedAt };
}

/**
 * The reconciliation workbench's way to its data in connected mode — the port the 对账 channels
 * call (api/reconciliation.ts). While the central store answers, every call goes to the online
 * services as before and what was read is mirrored into the cache in the background. When it does
 * not (a connection error, see connection-errors.ts), reads come from the cache and notes,
 * assignment, status and 以本地为准 go to the outbox, checked by the same rules; money-moving and
 * platform actions are refused with a reason. When the connection is back the outbox is replayed
 * (OutboxReplay) before any new edit is sent, then the mirror is refreshed. In standalone mode
 * (`parts` null) it passes everything through.
 */
export class OfflineRecon {
  private replaying: Promise<ReplaySummary> | null = null;
  /** Replays done so far, and what the last one did (sync() reports it). */
  private replays = 0;
  private lastReplay: ReplaySummary | null = null;
  private work: Promise<unknown> = Promise.resolve();
  private lastRefresh = 0;
  private refreshQueued = false;

  constructor(
    private readonly runs: Pick<ReconService, 'listRuns' | 'getRun'>,
    private readonly workflow: ReconWorkflow,
    private readonly clock: Clock,
    private readonly parts: OfflineParts | null,
  ) {
    parts?.monitor.onReconnect(async () => void (await this.syncNow()));
  }

  get connected(): boolean {
    return this.parts !== null;
  }

  // ───────────────────────────── reads ─────────────────────────────

  async listRuns(f: RunFilter, page: number, pageSize: number): Promise<Page<ReconRun>> {
    return this.read(
      () => this.runs.listRuns(f, page, pageSize),
      (c) => c.read((r) => r.recon.listRuns(f, page, pageSize)),
    );
  }

  async getRun(id: number) {
    return this.read(
      async () => {
        const got = await this.runs.getRun(id);
        // Opening a run is what puts its differences in the cache.
        this.background(async (p) => {
          if (await p.mirror.trackRun(got.run)) await this.refreshNow();
        });
        return got;
      },
      (c) =>
        c.read(async (r) => {
          const run = await r.recon.run(id);
          if (!run) throw notCached(`对账运行 ${id} `);
          const diffsByStatus = run.period === 'daily' ? null : await r.recon.diffCounts(run.channel, run.billDate, run.periodEnd);
          return { run, report: runReport(run), diffsByStatus };
        }),
    );
  }

  async listDiffs(f: DiffFilter, sortBy: DiffSortField, sortOrder: 'asc' | 'desc', page: number, pageSize: number): Promise<Page<DiffRow>> {
    const withQueued = async (p: Page<ReconDiff>, fromCache: boolean): Promise<Page<DiffRow>> => {
      const entries = this.parts ? await this.parts.cache.read((r) => r.offline.entries()) : [];
      const items = p.items.map((d) => ({ ...(fromCache ? overlay(d, entries) : d), queuedEdits: entries.filter((e) => e.diffId === d.id).length }));
      return { ...p, items };
    };
    // Offline, the filter and sort apply to the cached rows (the server's state as last seen); the queued edits are shown on them.
    return this.read(
      async () => withQueued(await this.workflow.list(f, sortBy, sortOrder, page, pageSize), false),
      async (c) => withQueued(await c.read((r) => r.recon.listDiffs(f, sortBy, sortOrder, page, pageSize)), true),
    );
  }

  async getDiff(id: number, viewer: EditAuthor): Promise<DiffView> {
    return this.read(
      async () => {
        const v = await this.workflow.get(id);
        this.background((p) => p.mirror.mirrorDiff(id));
        return this.live(v, viewer);
      },
      () => this.cached(id, viewer),
    );
  }

  // ───────────────────────────── edits ─────────────────────────────

  assign(actor: Actor, id: number, assigneeId: number | null, version?: number): Promise<DiffView> {
    return this.edit(actor, id, version, { kind: 'assign', assigneeId, assigneeName: null }, () => this.workflow.assign(actor, id, assigneeId, version));
  }

  note(actor: Actor, id: number, body: string): Promise<DiffView> {
    return this.edit(actor, id, undefined, { kind: 'note', body }, () => this.workflow.note(actor, id, body));
  }

  setStatus(actor: Actor, id: number, status: DiffStatus, reason: string | undefined, version?: number): Promise<DiffView> {
    return this.edit(actor, id, version, { kind: 'status', status, reason: reason ?? null }, () => this.workflow.setStatus(actor, id, status, reason, version));
  }

  /** 以本地记录为准 can wait for the connection; the other actions move money or ask a platform and cannot. */
  act(actor: Actor, id: number, action: DiffAction, version?: number): Promise<DiffView> {
    const online = () => this.workflow.act(actor, id, action, version) as Promise<WorkflowView>;
    if (action.kind === 'keep_local') return this.edit(actor, id, version, { kind: 'keep_local', reason: action.reason }, online);
    const refusal = onlineOnlyRefusal(action.kind as OnlineOnlyAction);
    return this.onlineOnly(refusal, async () => this.live(await online(), actor), ONLINE_ONLY_ACTIONS[action.kind as OnlineOnlyAction]);
  }

  /** Anything else that writes the central store (bill import, period runs, platform download): online or refused. */
  requireOnline<T>(what: string, work: () => Promise<T>): Promise<T> {
    return this.onlineOnly(offlineRefusal(what), work, what);
  }

  // ───────────────────────────── the outbox ─────────────────────────────

  async status(viewer: EditAuthor): Promise<OfflineStatus> {
    const p = this.parts;
    if (!p) return { connected: false, offline: false, since: null, reason: null, queued: 0, conflicts: 0, queuedAll: 0, cachedRuns: 0, cachedDiffs: 0 };
    p.monitor.probeIfDue();
    const s = p.monitor.snapshot();
    const [counts, cached] = await p.cache.read(async (r) => [await r.offline.counts(viewer.id), await r.offline.mirroredCounts()] as const);
    if (!s.offline && counts.all > 0) this.background(() => this.flush());
    return { connected: true, offline: s.offline, since: s.since, reason: s.reason, queued: counts.pending, conflicts: counts.conflicts, queuedAll: counts.all, cachedRuns: cached.runs, cachedDiffs: cached.diffs };
  }

  /** This person's queued and conflicting edits, oldest first. */
  async edits(viewer: EditAuthor): Promise<OfflineEditView[]> {
    if (!this.parts) return [];
    return this.parts.cache.read(async (r) => {
      const entries = (await r.offline.entries({ authorId: viewer.id })).slice(0, MAX_EDITS_SHOWN);
      const views: OfflineEditView[] = [];
      for (const e of entries) views.push(this.editView(e, await r.recon.diff(e.diffId)));
      return views;
    });
  }

  /** 保留我的修改 / 采用对方的版本 for an edit in conflict; needs the connection. */
  async resolve(actor: Actor, entryId: number, choice: 'mine' | 'theirs'): Promise<{ replay: ReplaySummary; status: OfflineStatus }> {
    const p = this.parts;
    if (!p) throw new DomainError('OFFLINE_EDIT_NOT_FOUND', '该离线修改不存在或已处理，请刷新');
    const replay = await this.onlineOnly(offlineRefusal('处理离线修改的冲突'), () => this.exclusive(() => (choice === 'mine' ? p.replay.keepMine(actor, entryId) : p.replay.takeTheirs(actor, entryId))), '处理离线修改的冲突');
    return { replay, status: await this.status(actor) };
  }

  /** 立即同步: tries the connection; when it answers, sends the outbox and refreshes the cache. `replay`: what was sent (null while offline). */
  async sync(viewer: EditAuthor): Promise<{ replay: ReplaySummary | null; status: OfflineStatus }> {
    const p = this.parts;
    if (!p) return { replay: null, status: await this.status(viewer) };
    const before = this.replays;
    let replay: ReplaySummary | null = null;
    try {
      // Back online, the monitor's listener sends the outbox at once; its summary is the answer then.
      if (!p.monitor.offline || (await p.monitor.probe())) replay = this.replays > before && this.lastReplay ? this.lastReplay : await this.syncNow();
    } catch (e) {
      if (!p.monitor.noteFailure(e)) throw e;
    }
    return { replay, status: await this.status(viewer) };
  }

  /** Waits for the background work (mirroring, replays) started so far; tests and close() use it. */
  async settled(): Promise<void> {
    let seen: Promise<unknown> | null = null;
    while (seen !== this.work) {
      seen = this.work;
      await seen;
    }
  }

  async close(): Promise<void> {
    if (!this.parts) return;
    this.parts.mirror.stop();
    await this.parts.monitor.stop();
    await this.settled();
    await this.parts.cache.close();
  }

  // ───────────────────────────── inside ─────────────────────────────

  private async read<T>(online: () => Promise<T>, offline: (c: OfflineCache) => Promise<T>): Promise<T> {
    const p = this.parts;
    if (!p) return online();
    if (!p.monitor.offline) {
      try {
        const v = await online();
        this.kick();
        return v;
      } catch (e) {
        if (!p.monitor.noteFailure(e)) throw e;
      }
    } else p.monitor.probeIfDue();
    return offline(p.cache);
  }

  private async edit(actor: Actor, id: number, version: number | undefined, edit: OfflineEdit, online: () => Promise<WorkflowView>): Promise<DiffView> {
    const p = this.parts;
    if (!p) return this.live(await online(), actor);
    if (!p.monitor.offline) {
      try {
        // The queue first: an edit made now comes after the ones made offline.
        await this.flush();
        const v = await online();
        this.background((q) => q.mirror.mirrorDiff(id));
        return this.live(v, actor);
      } catch (e) {
        if (!p.monitor.noteFailure(e)) throw e;
      }
    }
    return this.queue(actor, id, version, edit);
  }

  private async queue(actor: Actor, id: number, version: number | undefined, edit: OfflineEdit): Promise<DiffView> {
    const { cache } = this.parts!;
    const { seen, checked } = await cache.read(async (r) => {
      const d = await r.recon.diff(id);
      if (!d) throw notCached(`差异 #${id} `);
      const seen = workStateOf(d);
      if (version !== undefined && version !== seen.version) throw new DomainError('CONCURRENT_UPDATE', '该差异已被他人处理，请刷新后重试');
      const queued = await r.offline.entries({ diffId: id, states: ['pending'] });
      const shown = queued.reduce((s, e) => previewEdit(s, e.edit, { id: e.authorId, name: e.authorName }, e.createdAt), seen);
      return { seen, checked: checkOfflineEdit(shown, edit, actor) };
    });
    if (checked) await cache.write((r) => r.offline.queue({ author: actor, diffId: id, edit: checked, seen, at: this.clock.now() }));
    return this.cached(id, actor);
  }

  private async onlineOnly<T>(refusal: DomainError, work: () => Promise<T>, what: string): Promise<T> {
    const p = this.parts;
    if (!p) return work();
    if (p.monitor.offline) {
      p.monitor.probeIfDue();
      throw refusal;
    }
    try {
      return await work();
    } catch (e) {
      if (!p.monitor.noteFailure(e)) throw e;
      // Lost in the middle: what reached the central store is not known here.
      throw new DomainError('OFFLINE_INTERRUPTED', `与中心数据库的连接中断，「${what}」可能没有完成。请恢复连接后刷新，查看结果后再决定是否重试`);
    }
  }

  private async cached(id: number, viewer: EditAuthor): Promise<DiffView> {
    return this.parts!.cache.read(async (r) => {
      const diff = await r.recon.diff(id);
      if (!diff) throw notCached(`差异 #${id} `);
      const [notes, adjustments, entries] = [await r.recon.notes(id), await r.recon.adjustments(id), await r.offline.entries({ diffId: id })];
      const queuedNotes: (DiffNote & { pending: true })[] = entries
        .filter((e) => e.edit.kind === 'note' && e.state === 'pending')
        .map((e) => ({ id: -e.id, diffId: id, authorId: e.authorId, authorName: `${e.authorName}（离线，待同步）`, body: e.edit.kind === 'note' ? e.edit.body : '', createdAt: e.createdAt, pending: true }));
      return {
        diff: overlay(diff, entries),
        typeLabel: DIFF_TYPE_LABELS[diff.type],
        notes: [...notes, ...queuedNotes],
        adjustments,
        offline: { source: 'cache' as const, edits: entries.filter((e) => e.authorId === viewer.id).map((e) => this.editView(e, diff)) },
      };
    });
  }

  private async live(v: WorkflowView, viewer: EditAuthor): Promise<DiffView> {
    const entries = this.parts ? await this.parts.cache.read((r) => r.offline.entries({ diffId: v.diff.id, authorId: viewer.id })) : [];
    return { ...v, offline: { source: 'live', edits: entries.map((e) => this.editView(e, v.diff)) } };
  }

  private editView(e: OutboxEntry, d: ReconDiff | null): OfflineEditView {
    const author = { id: e.authorId, name: e.authorName };
    return {
      id: e.id,
      diffId: e.diffId,
      kind: e.edit.kind,
      summary: describeEdit(e.edit),
      state: e.state,
      authorName: e.authorName,
      createdAt: e.createdAt,
      diff: d ? { key: d.key, type: d.type, typeLabel: DIFF_TYPE_LABELS[d.type], channel: d.channel, billDate: d.billDate } : null,
      conflict: e.state === 'conflict' && e.theirs ? { message: e.conflictMessage ?? '', seen: e.seen, mine: previewEdit(e.seen, e.edit, author, e.createdAt), theirs: e.theirs } : null,
    };
  }

  /** Sends what is queued (one replay at a time). */
  private flush(): Promise<ReplaySummary> {
    const p = this.parts!;
    this.replaying ??= (async () => {
      try {
        const pending = await p.cache.read((r) => r.offline.entries({ states: ['pending'] }));
        if (!pending.length) return { applied: 0, conflicts: 0, waiting: 0 };
        const summary = await p.replay.replay();
        this.replays++;
        this.lastReplay = summary;
        return summary;
      } finally {
        this.replaying = null;
      }
    })();
    return this.replaying;
  }

  /** Conflict choices wait for a replay in progress, so an edit is never sent twice at once. */
  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.replaying?.catch(() => undefined);
    return work();
  }

  private async syncNow(): Promise<ReplaySummary> {
    const summary = await this.flush();
    await this.refreshNow();
    return summary;
  }

  private async refreshNow(): Promise<void> {
    this.lastRefresh = this.clock.now();
    await this.parts!.mirror.refresh();
  }

  /** After an online read: send a leftover queue, and refresh the mirror when it is due. */
  private kick(): void {
    const p = this.parts!;
    if (this.refreshQueued || this.clock.now() - this.lastRefresh < p.refreshEveryMs) return;
    this.refreshQueued = true;
    this.background(async () => {
      try {
        await this.flush();
        await this.refreshNow();
      } finally {
        this.refreshQueued = false;
      }
    });
  }

  /** Work that must not hold up the answer; a lost connection there takes the desktop offline like anywhere else. Nothing in standalone mode. */
  private background(work: (p: OfflineParts) => Promise<unknown>): void {
    const p = this.parts;
    if (!p) return;
    this.work = this.work.then(() => work(p)).catch((e: unknown) => {
      if (!p.monitor.noteFailure(e)) p.log?.({ event: 'offline_cache_error', error: e instanceof Error ? e.message : String(e) });
    });
  }
}
