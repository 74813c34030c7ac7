import { DomainError } from '../errors';
import type { Fen } from '../money';
import { APPROVAL_BUSINESS_TYPE_LABELS, levelsFor, roleLabel, type ApprovalBusinessType, type ApprovalRule } from './approval-rules';

/**
 * One approval request (issue 5: maker-checker). Levels are decided in order, level 1 first; each
 * level is one approve by one person holding that level's role. A reject at any level ends the
 * request. The rules, checked by `decide`:
 *  - decisions only while the request is pending;
 *  - the requester (the maker) never decides on their own request;
 *  - one person decides at most one level of a request, so N levels always mean N people;
 *  - the approver holds the role the current level names;
 *  - a reject carries a reason (the requester must know what to fix);
 *  - the decision is for the current level; a stale screen that shows an earlier level is refused.
 *
 * Levels are numbered from 1, as the accountant reads them (第 1 级), in the decisions as well.
 * Users are database ids; the requester is null when the request came from outside (a customer's
 * refund through the REST API), in which case no staff member is the maker.
 */
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export const APPROVAL_STATUS_LABELS: Record<ApprovalStatus, string> = {
  pending: '审批中',
  approved: '已通过',
  rejected: '已驳回',
  cancelled: '已撤回',
};

export type ApprovalDecisionKind = 'approve' | 'reject';
export const APPROVAL_DECISION_LABELS: Record<ApprovalDecisionKind, string> = { approve: '同意', reject: '驳回' };

export interface ApprovalDecision {
  /** 1-based level this decision was made at. */
  level: number;
  approverId: number;
  /** The level's role, which the approver held when deciding (kept for the history and the voucher). */
  approverRole: string;
  decision: ApprovalDecisionKind;
  /** Required for reject; an optional comment for approve. */
  reason: string | null;
  at: number;
}

export interface ApprovalFlow {
  businessType: ApprovalBusinessType;
  /** The amount approved: frozen from submission on (see isFrozen). */
  amountFen: Fen;
  /** Role code for each level, level 1 first; copied from the rule at submission. */
  levels: readonly string[];
  decisions: readonly ApprovalDecision[];
  status: ApprovalStatus;
}

export interface DecisionInput {
  approverId: number;
  /** Every role the approver holds now. */
  roles: readonly string[];
  decision: ApprovalDecisionKind;
  reason?: string | null;
  at: number;
  /** The level the approver's screen showed; when given it must still be the current level. */
  level?: number;
}

/** A new pending request with the levels of the rule that covers its type and amount. */
export function startApproval(rules: readonly ApprovalRule[], businessType: ApprovalBusinessType, amountFen: Fen): ApprovalFlow {
  return newApprovalFlow(businessType, amountFen, levelsFor(rules, businessType, amountFen));
}

export function newApprovalFlow(businessType: ApprovalBusinessType, amountFen: Fen, levels: readonly string[]): ApprovalFlow {
  if (levels.length === 0) throw new DomainError('APPROVAL_LEVELS_EMPTY', '审批流程至少需要一级审批');
  return { businessType, amountFen, levels: [...levels], decisions: [], status: 'pending' };
}

/** The 1-based level awaiting a decision, or null when the request is no longer pending. */
export function currentLevel(flow: ApprovalFlow): number | null {
  if (flow.status !== 'pending') return null;
  return flow.decisions.filter((d) => d.decision === 'approve').length + 1;
}

/** The role that must decide now, or null when nothing is awaited. */
export function currentRole(flow: ApprovalFlow): string | null {
  const level = currentLevel(flow);
  return level === null ? null : (flow.levels[level - 1] ?? null);
}

/**
 * Whether `userId` with `roles` may decide now: the same rules as `decide` without the reason.
 * For the 审批中心 list (my pending approvals) and for enabling the buttons.
 */
export function canDecide(flow: ApprovalFlow, userId: number, roles: readonly string[], requesterId: number | null): boolean {
  const role = currentRole(flow);
  return role !== null && userId !== requesterId && !flow.decisions.some((d) => d.approverId === userId) && roles.includes(role);
}

export function decide(flow: ApprovalFlow, input: DecisionInput, requesterId: number | null): ApprovalFlow {
  if (flow.status !== 'pending')
    throw new DomainError('APPROVAL_NOT_PENDING', `该申请${APPROVAL_STATUS_LABELS[flow.status]}，不能再审批`);
  const level = currentLevel(flow)!;
  const role = flow.levels[level - 1];
  if (role === undefined) throw new DomainError('APPROVAL_LEVELS_EXHAUSTED', '审批级别数据异常：所有级别均已审批但申请仍在审批中');
  if (input.level !== undefined && input.level !== level)
    throw new DomainError('APPROVAL_LEVEL_STALE', `该申请已进入第 ${level} 级审批，请刷新后重试`);
  if (requesterId !== null && input.approverId === requesterId)
    throw new DomainError('APPROVAL_SELF', '申请人不能审批自己提交的申请');
  const earlier = flow.decisions.find((d) => d.approverId === input.approverId);
  if (earlier)
    throw new DomainError('APPROVAL_SAME_PERSON', `同一人只能审批一个级别，您已审批过第 ${earlier.level} 级`);
  if (!input.roles.includes(role))
    throw new DomainError('APPROVAL_ROLE_REQUIRED', `第 ${level} 级需由「${roleLabel(role)}」审批，您没有该角色`);
  const reason = input.reason?.trim() || null;
  if (input.decision === 'reject' && reason === null) throw new DomainError('APPROVAL_REASON_REQUIRED', '驳回必须填写原因');
  if (!Number.isSafeInteger(input.at)) throw new DomainError('TIME_INVALID', '审批时间无效');

  const decision: ApprovalDecision = { level, approverId: input.approverId, approverRole: role, decision: input.decision, reason, at: input.at };
  const decisions = [...flow.decisions, decision];
  const status: ApprovalStatus = input.decision === 'reject' ? 'rejected' : level === flow.levels.length ? 'approved' : 'pending';
  return { ...flow, decisions, status };
}

/** The requester withdraws (撤回) a request that is still pending; who may do so is the service's check. */
export function cancelApproval(flow: ApprovalFlow): ApprovalFlow {
  if (flow.status !== 'pending')
    throw new DomainError('APPROVAL_NOT_PENDING', `该申请${APPROVAL_STATUS_LABELS[flow.status]}，不能撤回`);
  return { ...flow, status: 'cancelled' };
}

/**
 * The amount cannot change while a request is under approval (the approvers would sign something
 * else) nor after it was approved (the approval is for that amount). A rejected or withdrawn request
 * may be corrected and submitted again, as a new approval.
 */
export function isFrozen(flow: ApprovalFlow | null): boolean {
  return flow !== null && (flow.status === 'pending' || flow.status === 'approved');
}

export function assertAmountEditable(flow: ApprovalFlow | null): void {
  if (flow && isFrozen(flow))
    throw new DomainError(
      'APPROVAL_FROZEN',
      flow.status === 'pending'
        ? `${APPROVAL_BUSINESS_TYPE_LABELS[flow.businessType]}正在审批中，金额不能修改；如需修改请先撤回`
        : `${APPROVAL_BUSINESS_TYPE_LABELS[flow.businessType]}已审批通过，金额不能修改`,
    );
}
