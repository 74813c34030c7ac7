import { changedFields, checkOfflineEdit, decideReplay, describeConflict, workStateOf, type DiffWorkState, type EditAuthor } from '../../core/offline/offline-edits';
import { DomainError, isDomainError } from '../../core/errors';
import type { Clock } from '../../core/time';
import type { OutboxEntry } from '../../db/repositories/offline-repository';
import type { ReconWorkflow } from '../reconciliation/recon-workflow';
import type { CacheMirror } from './cache-mirror';
import { isConnectionError } from './connection-errors';
import type { OfflineCache } from './offline-cache';

/** What the replay needs of the online differences workflow. */
export type DiffWorkflowPort = Pick<ReconWorkflow, 'get' | 'assign' | 'note' | 'setStatus' | 'act'>;
type DiffView = Awaited<ReturnType<DiffWorkflowPort['get']>>;

export interface ReplaySummary {
  applied: number;
  conflicts: number;
  /** Left queued behind an earlier conflict on the same difference. */
  waiting: number;
}

/** A note this entry may already have left on the server (sent just as the connection dropped, or before a crash). */
const NOTE_MATCH_WINDOW_MS = 60_000;

/**
 * Sends the outbox to the central store in the order the edits were made, each through the same
 * workflow as an online edit (its checks, its audit entry, its version check), as its author.
 * An edit is removed from the outbox only once the server has it. One the server's difference no
 * longer fits (core/offline decideReplay) is kept as a conflict with both versions for its author;
 * the later edits of that difference wait behind it, so their order is kept. A connection error
 * stops the replay where it is (thrown to the caller): the rest stays queued.
 */
export class OutboxReplay {
  constructor(
    private readonly cache: OfflineCache,
    private readonly workflow: DiffWorkflowPort,
    private readonly mirror: CacheMirror,
    private readonly clock: Clock,
  ) {}

  /** `after`: the difference as this person's edit just left it (keep mine), the base of their next edits of it. */
  async replay(after = new Map<number, DiffWorkState>()): Promise<ReplaySummary> {
    const entries = await this.cache.read((r) => r.offline.entries());
    const summary: ReplaySummary = { applied: 0, conflicts: 0, waiting: 0 };
    const blocked = new Set<number>();
    const claimedNotes = new Set<number>();
    for (const e of entries) {
      if (e.state === 'conflict') {
        blocked.add(e.diffId);
        continue;
      }
      if (blocked.has(e.diffId)) {
        summary.waiting++;
        continue;
      }
      const sent = await this.send(e, after.get(e.diffId) ?? e.seen, claimedNotes);
      if (sent) {
        summary.applied++;
        after.set(e.diffId, sent);
      } else {
        summary.conflicts++;
        blocked.add(e.diffId);
      }
    }
    return summary;
  }

  /** Sends one entry; the difference after it, or null when it was kept as a conflict. */
  private async send(e: OutboxEntry, seen: DiffWorkState, claimedNotes: Set<number>): Promise<DiffWorkState | null> {
    const author: EditAuthor = { id: e.authorId, name: e.authorName };
    const current = await this.current(e);
    if (!current) return null;
    const now = workStateOf(current.diff);
    if (e.edit.kind === 'note') {
      const body = e.edit.body;
      const there = current.notes.find((n) => !claimedNotes.has(n.id) && n.authorId === e.authorId && n.body === body && n.createdAt >= e.createdAt - NOTE_MATCH_WINDOW_MS);
      if (there) {
        claimedNotes.add(there.id);
        await this.done(e);
        return now;
      }
    }
    const decision = decideReplay(e.edit, seen, now, author, e.createdAt);
    if (decision.outcome === 'done') {
      await this.done(e);
      return now;
    }
    if (decision.outcome === 'conflict') {
      await this.conflict(e, now, describeConflict(seen, now, decision.changed));
      return null;
    }
    try {
      const view = await this.apply(e, decision.version);
      if (e.edit.kind === 'note') for (const n of view.notes) if (!current.notes.some((c) => c.id === n.id)) claimedNotes.add(n.id);
      await this.done(e);
      return workStateOf(view.diff);
    } catch (err) {
      if (isConnectionError(err) || !isDomainError(err)) throw err;
      // The server refused it (changed between our read and the send, or its rules say no): its author decides.
      const fresh = await this.current(e);
      if (fresh) {
        const theirs = workStateOf(fresh.diff);
        await this.conflict(e, theirs, err.code === 'CONCURRENT_UPDATE' ? describeConflict(seen, theirs, changedFields(seen, theirs)) : `中心数据库没有接受这项修改：${err.message}`);
      }
      return null;
    }
  }

  private async current(e: OutboxEntry): Promise<DiffView | null> {
    try {
      return await this.workflow.get(e.diffId);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      await this.cache.write((r) => r.offline.markConflict(e.id, e.seen, `中心数据库中找不到该差异：${err.message}`, this.clock.now()));
      return null;
    }
  }

  private apply(e: OutboxEntry, version: number): Promise<DiffView> {
    const actor = { id: e.authorId, name: e.authorName };
    const edit = e.edit;
    switch (edit.kind) {
      case 'note':
        return this.workflow.note(actor, e.diffId, edit.body);
      case 'assign':
        return this.workflow.assign(actor, e.diffId, edit.assigneeId, version);
      case 'status':
        return this.workflow.setStatus(actor, e.diffId, edit.status, edit.reason ?? undefined, version);
      case 'keep_local':
        return this.workflow.act(actor, e.diffId, { kind: 'keep_local', reason: edit.reason }, version) as Promise<DiffView>;
    }
  }

  private async done(e: OutboxEntry): Promise<void> {
    await this.cache.write((r) => r.offline.remove(e.id));
    await this.mirror.mirrorDiff(e.diffId);
  }

  private async conflict(e: OutboxEntry, theirs: DiffWorkState, message: string): Promise<void> {
    await this.cache.write((r) => r.offline.markConflict(e.id, theirs, message, this.clock.now()));
    await this.mirror.mirrorDiff(e.diffId);
  }

  /** 保留我的修改: the edit sent again on top of the server's current version (its rules still apply), then what waited behind it. */
  async keepMine(author: EditAuthor, entryId: number): Promise<ReplaySummary> {
    const e = await this.ownConflict(author, entryId);
    const current = await this.workflow.get(e.diffId);
    const now = workStateOf(current.diff);
    const edit = checkOfflineEdit(now, e.edit, author);
    let after = now;
    if (edit) {
      const decision = decideReplay(edit, now, now, author, this.clock.now());
      if (decision.outcome === 'apply') after = workStateOf((await this.apply({ ...e, edit }, decision.version)).diff);
    }
    await this.done(e);
    return this.replay(new Map([[e.diffId, after]]));
  }

  /** 采用对方的版本: the edit is dropped; the server's version stands. What waited behind it is tried next. */
  async takeTheirs(author: EditAuthor, entryId: number): Promise<ReplaySummary> {
    const e = await this.ownConflict(author, entryId);
    await this.done(e);
    return this.replay();
  }

  private async ownConflict(author: EditAuthor, entryId: number): Promise<OutboxEntry> {
    const e = await this.cache.read((r) => r.offline.entry(entryId));
    if (!e || e.state !== 'conflict') throw new DomainError('OFFLINE_EDIT_NOT_FOUND', '该离线修改不存在或已处理，请刷新');
    if (e.authorId !== author.id) throw new DomainError('OFFLINE_EDIT_NOT_YOURS', `这是${e.authorName}的离线修改，只能由本人处理`);
    return e;
  }
}
