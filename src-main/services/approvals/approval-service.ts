import { PERMISSION_LABELS, type Permission } from '../../core/access/permissions';
import {
  APPROVAL_STATUS_LABELS,
  canDecide,
  cancelApproval,
  currentLevel,
  currentRole,
  decide,
  type ApprovalDecisionKind,
  type ApprovalFlow,
  type ApprovalStatus,
} from '../../core/approvals/approval-flow';
import {
  APPROVAL_BUSINESS_TYPE_LABELS,
  APPROVAL_BUSINESS_TYPES,
  assertValidApprovalRules,
  ruleFor,
  type ApprovalBusinessType,
  type ApprovalRule,
} from '../../core/approvals/approval-rules';
import { snapshot } from '../../core/audit/audit-record';
import { DomainError, isDomainError } from '../../core/errors';
import { checkFen } from '../../core/money';
import type { Page } from '../../core/orders/order';
import type { Clock } from '../../core/time';
import { ApprovalAlreadyPendingError, type ApprovalEntry, type ApprovalRequest, type ApprovalRequestFilter } from '../../db/repositories/approval-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { ApprovalSubject, ApprovalSubjectSummary, ApprovalSubmission } from './approval-subjects';

/**
 * The one approval engine (issue 5) for refunds, supplier payment orders and payout batches.
 *
 * A business submits inside its own transaction (`submit(tx, …)`); the levels are copied from the
 * rule in force at that moment, so a later rule edit never changes a request under way. Deciding
 * takes the request's row lock (MySQL; SQLite serializes writers) and checks its version, and a
 * unique key (request, level) backs both: of two approvers racing on one level exactly one wins,
 * the other is told to refresh. The subject's callback runs in the deciding transaction: if it
 * throws, the decision is not recorded either.
 *
 * Deciding needs two things: the per-type permission (approval:refund / approval:supplier_payment /
 * approval:payout_batch, read from the database for the user's roles at the moment of the decision)
 * and the role the current level names (core/approvals/approval-flow.ts, with maker-checker).
 */

/** A logged-in user as the engine sees them. Users hold one role today: pass `[user.role]`. */
export interface ApprovalUser {
  id: number;
  name: string;
  roles: readonly string[];
}

export interface DecideInput {
  decision: ApprovalDecisionKind;
  /** Required for a reject; an optional remark for an approve. */
  reason?: string | null;
  /** The level the approver's screen showed; refused when the request has moved on. */
  level: number;
}

export type ApprovalScope = 'todo' | 'mine' | 'all';

export interface ApprovalListFilter {
  /** todo: 待我审批; mine: 我发起的; all: 全部. */
  scope?: ApprovalScope;
  businessType?: ApprovalBusinessType;
  status?: ApprovalStatus;
  minFen?: number;
  maxFen?: number;
  createdFrom?: number;
  createdTo?: number;
  keyword?: string;
}

export interface ApprovalListItem extends ApprovalRequest {
  /** The name of the role the current level waits for (null once decided). */
  currentRoleName: string | null;
  /** Whether the viewer may approve or reject it now. */
  canDecide: boolean;
  summary: ApprovalSubjectSummary | null;
}

export interface ApprovalStep {
  level: number;
  role: string;
  roleName: string;
  state: 'approved' | 'rejected' | 'current' | 'waiting' | 'skipped';
  approverName: string | null;
  at: number | null;
  reason: string | null;
}

export interface ApprovalHistoryEntry extends ApprovalEntry {
  roleName: string;
}

export interface ApprovalDetail {
  request: ApprovalRequest;
  summary: ApprovalSubjectSummary | null;
  steps: ApprovalStep[];
  /** Decisions and comments, oldest first. */
  history: ApprovalHistoryEntry[];
  viewer: {
    canDecide: boolean;
    /** Why the viewer cannot decide (own request, level already decided by them, wrong role, no permission…), or null. */
    cannotDecide: string | null;
    canWithdraw: boolean;
    /** Whether the request may be approved in a batch (its rule allows it). */
    bulkApprovable: boolean;
  };
}

export type BulkApproveResult = { id: number; ok: true; status: ApprovalStatus } | { id: number; ok: false; code: string; message: string };

/** What a voucher prints: the approvals of a subject's latest request, with names and times. */
export interface SubjectApprovals {
  requestId: number;
  status: ApprovalStatus;
  requesterName: string;
  createdAt: number;
  decidedAt: number | null;
  decisions: Array<{ level: number; approverId: number; approverName: string; role: string; roleName: string; decision: ApprovalDecisionKind; reason: string | null; at: number }>;
}

/** A rule as the editor reads and sends it back. */
export type ApprovalRuleRecord = Omit<ApprovalRule, 'levels' | 'bulkApprovable'> & { levels: string[]; bulkApprovable: boolean };

export interface ApprovalRulesView {
  revision: number;
  rules: ApprovalRuleRecord[];
  /** The roles that exist (codes and names), for the editor's level pickers. */
  roles: Array<{ code: string; name: string }>;
}

const typeLabel = (t: ApprovalBusinessType) => APPROVAL_BUSINESS_TYPE_LABELS[t];
const permissionFor = (t: ApprovalBusinessType): Permission => `approval:${t}`;

function flowOf(r: ApprovalRequest, entries: readonly ApprovalEntry[]): ApprovalFlow {
  return {
    businessType: r.businessType,
    amountFen: r.amountFen,
    levels: r.levels,
    status: r.status,
    decisions: entries
      .filter((e) => e.requestId === r.id && e.decision !== 'comment')
      .map((e) => ({ level: e.level ?? 0, approverId: e.approverId, approverRole: e.approverRole, decision: e.decision as ApprovalDecisionKind, reason: e.reason, at: e.at })),
  };
}

export class ApprovalService {
  private readonly subjects = new Map<ApprovalBusinessType, ApprovalSubject>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Connects a business to the engine (app.ts does it for refunds, supplier payments, payout
   * batches). One subject per business type; a later registration replaces the earlier one, which
   * is how a test swaps in its own subject.
   */
  register(subject: ApprovalSubject): void {
    this.subjects.set(subject.businessType, subject);
  }

  /**
   * Opens the approval of a subject inside the business's transaction and returns the request id.
   * The levels are the current rule's; refused when the subject already has a pending request.
   */
  async submit(tx: Tx, s: ApprovalSubmission): Promise<number> {
    if (!(APPROVAL_BUSINESS_TYPES as readonly string[]).includes(s.businessType)) throw new DomainError('APPROVAL_TYPE_UNKNOWN', `未知的审批业务类型：${s.businessType}`);
    checkFen(s.amountFen);
    const subjectId = s.subjectId.trim();
    if (!subjectId || subjectId.length > 64) throw new DomainError('APPROVAL_SUBJECT_INVALID', '审批对象编号不正确');
    const { rules } = await tx.approvals.ruleSet();
    const rule = ruleFor(rules, s.businessType, s.amountFen);
    const now = this.clock.now();
    const title = s.title.trim() || `${typeLabel(s.businessType)} ${subjectId}`;
    let id: number;
    try {
      id = await tx.approvals.insertRequest({
        businessType: s.businessType,
        subjectId,
        amountFen: s.amountFen,
        title,
        requesterId: s.requester.id,
        requesterName: s.requester.name,
        levels: [...rule.levels],
        bulkApprovable: rule.bulkApprovable === true,
        createdAt: now,
      });
    } catch (e) {
      if (e instanceof ApprovalAlreadyPendingError) throw new DomainError('APPROVAL_ALREADY_PENDING', `${typeLabel(s.businessType)} ${subjectId} 已在审批中，不能重复提交`);
      throw e;
    }
    await tx.audit.append(
      {
        actorId: s.requester.id,
        actorName: s.requester.name,
        action: 'approval.submit',
        entityType: 'approval',
        entityId: String(id),
        before: null,
        after: snapshot({ businessType: s.businessType, subjectId, amountFen: s.amountFen, title, levels: rule.levels, status: 'pending' }),
      },
      now,
    );
    return id;
  }

  /** Approve or reject the current level. Returns the request as it is afterwards. */
  async decide(user: ApprovalUser, requestId: number, input: DecideInput): Promise<ApprovalRequest> {
    return this.guardPermission(user, requestId, () => this.store.transaction((tx) => this.decideIn(tx, user, requestId, input, false)));
  }

  /**
   * Approves several requests, each in its own transaction (one refused request does not hold up
   * the others), only where the request's rule allows bulk approval. `level` is the level the
   * approver's list showed, as for a single decision.
   */
  async bulkApprove(user: ApprovalUser, items: ReadonlyArray<{ id: number; level: number }>): Promise<BulkApproveResult[]> {
    const results: BulkApproveResult[] = [];
    for (const { id, level } of items) {
      try {
        const r = await this.guardPermission(user, id, () => this.store.transaction((tx) => this.decideIn(tx, user, id, { decision: 'approve', level }, true)));
        results.push({ id, ok: true, status: r.status });
      } catch (e) {
        if (!isDomainError(e)) throw e;
        results.push({ id, ok: false, code: e.code, message: e.message });
      }
    }
    return results;
  }

  private async decideIn(tx: Tx, user: ApprovalUser, requestId: number, input: DecideInput, bulk: boolean): Promise<ApprovalRequest> {
    const req = await this.mustFind(tx, requestId, true);
    const subject = this.subjectOf(req.businessType);
    await this.assertTypePermission(tx, user, req.businessType);
    if (bulk && !req.bulkApprovable) throw new DomainError('APPROVAL_BULK_NOT_ALLOWED', `${req.title}：按审批规则不能批量审批，请逐笔审批`);
    const entries = await tx.approvals.entriesOf([req.id]);
    const before = flowOf(req, entries);
    const now = this.clock.now();
    const after = decide(before, { approverId: user.id, roles: user.roles, decision: input.decision, reason: input.reason ?? null, at: now, level: input.level }, req.requesterId);
    const made = after.decisions[after.decisions.length - 1]!;
    try {
      await tx.approvals.insertEntry({ requestId: req.id, level: made.level, approverId: user.id, approverName: user.name, approverRole: made.approverRole, decision: made.decision, reason: made.reason, at: now });
      await tx.approvals.update(req.id, req.version, { status: after.status, currentLevel: currentLevel(after), currentRole: currentRole(after), decidedAt: after.status === 'pending' ? null : now });
    } catch (e) {
      if (e instanceof ConcurrentUpdateError) throw new DomainError('APPROVAL_LEVEL_STALE', '该申请刚刚已被他人处理，请刷新后重试');
      throw e;
    }
    const actor: Actor = { id: user.id, name: user.name };
    if (after.status === 'approved') await subject.onApproved(tx, req.subjectId, actor);
    if (after.status === 'rejected') await subject.onRejected(tx, req.subjectId, made.reason ?? '', actor);
    await tx.audit.append(
      {
        actorId: user.id,
        actorName: user.name,
        action: made.decision === 'approve' ? 'approval.approve' : 'approval.reject',
        entityType: 'approval',
        entityId: String(req.id),
        before: snapshot({ status: before.status, level: made.level }),
        after: snapshot({ businessType: req.businessType, subjectId: req.subjectId, amountFen: req.amountFen, status: after.status, level: made.level, role: made.approverRole, reason: made.reason, ...(bulk ? { bulk: true } : {}) }),
      },
      now,
    );
    return (await tx.approvals.find(req.id))!;
  }

  /** A remark on the request by anyone who may see it (the requester answering a question, an approver asking one). */
  async comment(user: ApprovalUser, requestId: number, text: string): Promise<void> {
    const body = text.trim();
    if (!body) throw new DomainError('APPROVAL_COMMENT_EMPTY', '评论内容不能为空');
    await this.store.transaction(async (tx) => {
      const req = await this.mustFind(tx, requestId, false);
      const now = this.clock.now();
      await tx.approvals.insertEntry({ requestId: req.id, level: req.currentLevel, approverId: user.id, approverName: user.name, approverRole: user.roles[0] ?? '', decision: 'comment', reason: body, at: now });
      await tx.audit.append({ actorId: user.id, actorName: user.name, action: 'approval.comment', entityType: 'approval', entityId: String(req.id), before: null, after: snapshot({ comment: body }) }, now);
    });
  }

  /** The requester withdraws (撤回) their pending request; the subject hears it in the same transaction. */
  async withdraw(actor: Actor, requestId: number, reason?: string | null): Promise<ApprovalRequest> {
    return this.store.transaction(async (tx) => {
      const req = await this.mustFind(tx, requestId, true);
      const subject = this.subjectOf(req.businessType);
      if (req.requesterId === null || actor.id !== req.requesterId) throw new DomainError('APPROVAL_WITHDRAW_FORBIDDEN', '只有申请人本人可以撤回申请');
      const after = cancelApproval(flowOf(req, []));
      const now = this.clock.now();
      const note = reason?.trim() || null;
      try {
        await tx.approvals.update(req.id, req.version, { status: after.status, currentLevel: null, currentRole: null, decidedAt: now });
      } catch (e) {
        if (e instanceof ConcurrentUpdateError) throw new DomainError('APPROVAL_LEVEL_STALE', '该申请刚刚已被他人处理，请刷新后重试');
        throw e;
      }
      if (note) await tx.approvals.insertEntry({ requestId: req.id, level: req.currentLevel, approverId: actor.id, approverName: actor.name, approverRole: '', decision: 'comment', reason: `撤回：${note}`, at: now });
      await subject.onCancelled(tx, req.subjectId, actor);
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action: 'approval.withdraw', entityType: 'approval', entityId: String(req.id), before: snapshot({ status: req.status }), after: snapshot({ status: after.status, reason: note }) },
        now,
      );
      return (await tx.approvals.find(req.id))!;
    });
  }

  async list(user: ApprovalUser, f: ApprovalListFilter, page: number, pageSize: number): Promise<Page<ApprovalListItem>> {
    return this.store.read(async (tx) => {
      const types = await this.decidableTypes(tx, user);
      const filter: ApprovalRequestFilter = {
        businessTypes: f.businessType ? [f.businessType] : undefined,
        statuses: f.status ? [f.status] : undefined,
        requesterId: f.scope === 'mine' ? user.id : undefined,
        decidableBy: f.scope === 'todo' ? { userId: user.id, roles: user.roles, types } : undefined,
        minFen: f.minFen,
        maxFen: f.maxFen,
        createdFrom: f.createdFrom,
        createdTo: f.createdTo,
        keyword: f.keyword?.trim() || undefined,
      };
      const found = await tx.approvals.list(filter, page, pageSize);
      const entries = await tx.approvals.entriesOf(found.items.map((r) => r.id));
      const names = await this.roleNames(tx);
      const summaries = await this.describe(tx, found.items);
      return {
        ...found,
        items: found.items.map((r) => ({
          ...r,
          currentRoleName: r.currentRole === null ? null : (names.get(r.currentRole) ?? r.currentRole),
          canDecide: types.includes(r.businessType) && this.subjects.has(r.businessType) && canDecide(flowOf(r, entries), user.id, user.roles, r.requesterId),
          summary: summaries.get(r.id) ?? null,
        })),
      };
    });
  }

  /** How many requests wait for this user's decision now (the number in the navigation). */
  async pendingForMe(user: ApprovalUser): Promise<number> {
    return this.store.read(async (tx) => tx.approvals.count({ decidableBy: { userId: user.id, roles: user.roles, types: await this.decidableTypes(tx, user) } }));
  }

  async get(user: ApprovalUser, requestId: number): Promise<ApprovalDetail> {
    return this.store.read(async (tx) => {
      const req = await this.mustFind(tx, requestId, false);
      const entries = await tx.approvals.entriesOf([req.id]);
      const names = await this.roleNames(tx);
      const nameOf = (role: string) => names.get(role) ?? role;
      const flow = flowOf(req, entries);
      const summary = (await this.describe(tx, [req])).get(req.id) ?? null;
      const steps: ApprovalStep[] = req.levels.map((role, i) => {
        const level = i + 1;
        const d = entries.find((e) => e.decision !== 'comment' && e.level === level);
        const state: ApprovalStep['state'] = d
          ? d.decision === 'approve'
            ? 'approved'
            : 'rejected'
          : req.currentLevel === level
            ? 'current'
            : req.status === 'pending'
              ? 'waiting'
              : 'skipped';
        return { level, role, roleName: nameOf(role), state, approverName: d?.approverName ?? null, at: d?.at ?? null, reason: d?.reason ?? null };
      });
      const cannotDecide = await this.whyCannotDecide(tx, user, req, flow);
      return {
        request: req,
        summary,
        steps,
        history: entries.map((e) => ({ ...e, roleName: e.approverRole ? nameOf(e.approverRole) : '' })),
        viewer: { canDecide: cannotDecide === null, cannotDecide, canWithdraw: req.status === 'pending' && req.requesterId !== null && req.requesterId === user.id, bulkApprovable: req.bulkApprovable },
      };
    });
  }

  /** The approvals of the subject's latest request (for its voucher and detail page), or null if never submitted. */
  async approvalsOf(tx: Tx, businessType: ApprovalBusinessType, subjectId: string): Promise<SubjectApprovals | null> {
    const req = await tx.approvals.latestOf(businessType, subjectId);
    if (!req) return null;
    const entries = await tx.approvals.entriesOf([req.id]);
    const names = await this.roleNames(tx);
    return {
      requestId: req.id,
      status: req.status,
      requesterName: req.requesterName,
      createdAt: req.createdAt,
      decidedAt: req.decidedAt,
      decisions: entries
        .filter((e) => e.decision !== 'comment')
        .map((e) => ({ level: e.level ?? 0, approverId: e.approverId, approverName: e.approverName, role: e.approverRole, roleName: names.get(e.approverRole) ?? e.approverRole, decision: e.decision as ApprovalDecisionKind, reason: e.reason, at: e.at })),
    };
  }

  /**
   * The subject's latest approval as a core flow, for `assertAmountEditable` / `isFrozen`
   * (core/approvals/approval-flow.ts) before a business changes an amount; null if never submitted.
   */
  async flowOf(tx: Tx, businessType: ApprovalBusinessType, subjectId: string): Promise<ApprovalFlow | null> {
    const req = await tx.approvals.latestOf(businessType, subjectId);
    return req ? flowOf(req, await tx.approvals.entriesOf([req.id])) : null;
  }

  rules(): Promise<ApprovalRulesView> {
    return this.store.read((tx) => this.rulesView(tx));
  }

  private async rulesView(tx: Tx): Promise<ApprovalRulesView> {
    const { revision, rules } = await tx.approvals.ruleSet();
    return {
      revision,
      rules: rules.map((r) => ({ businessType: r.businessType, overFen: r.overFen, upToFen: r.upToFen, levels: [...r.levels], bulkApprovable: r.bulkApprovable === true })),
      roles: (await tx.users.roles()).map((r) => ({ code: r.code, name: r.name })),
    };
  }

  /**
   * Replaces the rule set edited at `revision` (refused if someone saved in between). Validated by
   * the core against the roles that exist. Requests already submitted keep the levels they copied.
   */
  async updateRules(actor: Actor, revision: number, rules: readonly ApprovalRule[]): Promise<ApprovalRulesView> {
    return this.store.transaction(async (tx) => {
      const roles = await tx.users.roles();
      const clean = rules.map((r) => ({ businessType: r.businessType, overFen: r.overFen, upToFen: r.upToFen, levels: [...r.levels], bulkApprovable: r.bulkApprovable === true }));
      assertValidApprovalRules(clean, roles.map((r) => r.code));
      const before = await tx.approvals.ruleSet({ forUpdate: true });
      let next: number;
      try {
        next = await tx.approvals.replaceRules(revision, clean);
      } catch (e) {
        if (e instanceof ConcurrentUpdateError) throw new DomainError('CONCURRENT_UPDATE', '审批规则已被他人修改，请重新加载后再保存');
        throw e;
      }
      const now = this.clock.now();
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action: 'approval.rules', entityType: 'approval_rules', entityId: 'rules', before: snapshot({ revision: before.revision, rules: before.rules }), after: snapshot({ revision: next, rules: clean }) },
        now,
      );
      return this.rulesView(tx);
    });
  }

  private async mustFind(tx: Tx, id: number, forUpdate: boolean): Promise<ApprovalRequest> {
    const req = await tx.approvals.find(id, { forUpdate });
    if (!req) throw new DomainError('APPROVAL_NOT_FOUND', '审批申请不存在');
    return req;
  }

  private subjectOf(type: ApprovalBusinessType): ApprovalSubject {
    const s = this.subjects.get(type);
    if (!s) throw new DomainError('APPROVAL_SUBJECT_UNKNOWN', `${typeLabel(type)}尚未接入审批中心，暂不能处理`);
    return s;
  }

  private async permissionsOf(tx: Tx, user: ApprovalUser): Promise<Set<Permission>> {
    const all = await Promise.all(user.roles.map((r) => tx.users.permissionsOf(r)));
    return new Set(all.flat());
  }

  /** The business types whose per-type approval permission the user holds (read from the database now). */
  private async decidableTypes(tx: Tx, user: ApprovalUser): Promise<ApprovalBusinessType[]> {
    const granted = await this.permissionsOf(tx, user);
    return APPROVAL_BUSINESS_TYPES.filter((t) => granted.has(permissionFor(t)));
  }

  private async assertTypePermission(tx: Tx, user: ApprovalUser, type: ApprovalBusinessType): Promise<void> {
    if (!(await this.permissionsOf(tx, user)).has(permissionFor(type)))
      throw new DomainError('FORBIDDEN', `没有权限：${PERMISSION_LABELS[permissionFor(type)]}。请联系管理员开通。`);
  }

  /** A refused decision for want of the per-type permission is audited like any refused channel (api/dispatch). */
  private async guardPermission<T>(user: ApprovalUser, requestId: number, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isDomainError(e) && e.code === 'FORBIDDEN')
        await this.store.transaction((tx) =>
          tx.audit.append({ actorId: user.id, actorName: user.name, action: 'access.denied', entityType: 'approval', entityId: String(requestId), before: null, after: snapshot({ reason: e.message }) }, this.clock.now()),
        );
      throw e;
    }
  }

  private async whyCannotDecide(tx: Tx, user: ApprovalUser, req: ApprovalRequest, flow: ApprovalFlow): Promise<string | null> {
    if (req.status !== 'pending') return `该申请${APPROVAL_STATUS_LABELS[req.status]}，不能再审批`;
    if (!this.subjects.has(req.businessType)) return `${typeLabel(req.businessType)}尚未接入审批中心，暂不能处理`;
    // The requester is told the rule that binds them whatever they are granted (a 出纳 following their own refund).
    if (req.requesterId !== null && req.requesterId === user.id) return '申请人不能审批自己提交的申请';
    if (!(await this.decidableTypes(tx, user)).includes(req.businessType)) return `没有权限：${PERMISSION_LABELS[permissionFor(req.businessType)]}。请联系管理员开通。`;
    try {
      // The core's own checks, as a dry run: the same words the refusal would use.
      decide(flow, { approverId: user.id, roles: user.roles, decision: 'approve', at: this.clock.now() }, req.requesterId);
      return null;
    } catch (e) {
      if (isDomainError(e)) return e.message;
      throw e;
    }
  }

  private async roleNames(tx: Tx): Promise<Map<string, string>> {
    return new Map((await tx.users.roles()).map((r) => [r.code as string, r.name]));
  }

  /** The subjects' own summaries, per request id; requests whose business is not connected or does not know the id get none. */
  private async describe(tx: Tx, reqs: readonly ApprovalRequest[]): Promise<Map<number, ApprovalSubjectSummary>> {
    const out = new Map<number, ApprovalSubjectSummary>();
    for (const type of APPROVAL_BUSINESS_TYPES) {
      const subject = this.subjects.get(type);
      const ofType = reqs.filter((r) => r.businessType === type);
      if (!subject || ofType.length === 0) continue;
      const found = await subject.describe(tx, [...new Set(ofType.map((r) => r.subjectId))]);
      for (const r of ofType) {
        const s = found.get(r.subjectId);
        if (s) out.set(r.id, s);
      }
    }
    return out;
  }
}
