import { ROLES, ROLE_LABELS, type Role } from '../access/permissions';
import { DomainError } from '../errors';
import { checkFen, formatYuan, MAX_FEN, type Fen } from '../money';

/**
 * Approval rules as data (issue 5, design document 2.4.3 超过一定金额的付款需要多级审批, 5.3.1):
 * one engine for refunds, supplier payments and payout batches. Administrators edit the rules; a
 * request copies the levels of its rule when it is submitted (approval-flow.ts `startApproval`), so
 * editing a rule never changes an approval already under way.
 *
 * A rule covers the amounts `overFen < amount ≤ upToFen` of one business type (upToFen null: no upper
 * limit). An amount exactly on a threshold belongs to the LOWER rule: "退款 ≤ ¥5,000 会计审批" includes
 * ¥5,000.00, and "> ¥5,000" starts at ¥5,000.01 — the way the thresholds are written in the issue and
 * in the finance policy they come from.
 *
 * Levels name role codes as strings, not the `Role` type: roles live in the database and will be
 * edited (财务经理, 总经理 are not seeded yet), so a rule set is checked against the role list the
 * caller has, ROLES by default.
 */
export const APPROVAL_BUSINESS_TYPES = ['refund', 'supplier_payment', 'payout_batch'] as const;
export type ApprovalBusinessType = (typeof APPROVAL_BUSINESS_TYPES)[number];
export const APPROVAL_BUSINESS_TYPE_LABELS: Record<ApprovalBusinessType, string> = {
  refund: '退款',
  supplier_payment: '供应商付款',
  payout_batch: '批量付款',
};

export interface ApprovalRule {
  businessType: ApprovalBusinessType;
  /** Exclusive lower bound in fen; 0 for the first rule of a type. */
  overFen: Fen;
  /** Inclusive upper bound in fen; null for the last rule of a type (no limit). */
  upToFen: Fen | null;
  /** Role code approving each level, level 1 first. */
  levels: readonly string[];
  /**
   * Whether requests under this rule may be approved several at a time (批量审批) in the 审批中心.
   * Meant for small, routine amounts; absent means no. Copied to the request at submission.
   */
  bulkApprovable?: boolean;
}

const YUAN = 100;

/**
 * Seeded with the roles that exist today (approver 审批人 stands for 财务经理, admin 管理员 for 总经理):
 *  - refunds up to ¥5,000 are a 会计's call; above, a second person signs;
 *  - supplier payments grow from one to three levels, > ¥50,000: 会计 → 审批人 → 管理员;
 *  - payout batches (salaries) move many people's money at once: always at least two levels.
 * Only small refunds (≤ ¥5,000) may be approved in bulk; everything else is read one by one.
 */
export const DEFAULT_APPROVAL_RULES: readonly ApprovalRule[] = [
  { businessType: 'refund', overFen: 0, upToFen: 5_000 * YUAN, levels: ['accountant'], bulkApprovable: true },
  { businessType: 'refund', overFen: 5_000 * YUAN, upToFen: null, levels: ['accountant', 'approver'], bulkApprovable: false },
  { businessType: 'supplier_payment', overFen: 0, upToFen: 10_000 * YUAN, levels: ['accountant'], bulkApprovable: false },
  { businessType: 'supplier_payment', overFen: 10_000 * YUAN, upToFen: 50_000 * YUAN, levels: ['accountant', 'approver'], bulkApprovable: false },
  { businessType: 'supplier_payment', overFen: 50_000 * YUAN, upToFen: null, levels: ['accountant', 'approver', 'admin'], bulkApprovable: false },
  { businessType: 'payout_batch', overFen: 0, upToFen: 100_000 * YUAN, levels: ['accountant', 'approver'], bulkApprovable: false },
  { businessType: 'payout_batch', overFen: 100_000 * YUAN, upToFen: null, levels: ['accountant', 'approver', 'admin'], bulkApprovable: false },
];

/** Does this rule cover the amount? overFen < amount ≤ upToFen. */
export function ruleCovers(rule: ApprovalRule, amountFen: Fen): boolean {
  return amountFen > rule.overFen && (rule.upToFen === null || amountFen <= rule.upToFen);
}

/** "不超过 ¥5,000.00", "¥5,000.00 以上至 ¥50,000.00（含）", "¥50,000.00 以上", "任意金额". */
export function describeAmountRange(rule: Pick<ApprovalRule, 'overFen' | 'upToFen'>): string {
  if (rule.overFen === 0) return rule.upToFen === null ? '任意金额' : `不超过 ${formatYuan(rule.upToFen)}`;
  if (rule.upToFen === null) return `${formatYuan(rule.overFen)} 以上`;
  return `${formatYuan(rule.overFen)} 以上至 ${formatYuan(rule.upToFen)}（含）`;
}

/** The role's Chinese name when it is a seeded role, otherwise its code (a role added in the database). */
export function roleLabel(role: string): string {
  return (ROLES as readonly string[]).includes(role) ? ROLE_LABELS[role as Role] : role;
}

const isBound = (n: number) => Number.isSafeInteger(n) && n >= 0 && n <= MAX_FEN;

/**
 * Every problem of a rule set, in Chinese, for the rules editor; empty when valid. Valid means:
 * every business type has rules; per type, sorted by `overFen`, the first starts at 0, each starts
 * where the previous one ends, the last has no upper limit (so every amount 1 fen … MAX_FEN is covered
 * by exactly one rule); every rule has at least one level and only known roles.
 */
export function validateApprovalRules(rules: readonly ApprovalRule[], knownRoles: readonly string[] = ROLES): string[] {
  const problems: string[] = [];
  for (const r of rules) {
    const what = `${APPROVAL_BUSINESS_TYPE_LABELS[r.businessType] ?? r.businessType}规则（${describeRangeSafely(r)}）`;
    if (!(APPROVAL_BUSINESS_TYPES as readonly string[]).includes(r.businessType)) problems.push(`未知的业务类型：${r.businessType}`);
    if (!isBound(r.overFen) || (r.upToFen !== null && !isBound(r.upToFen)))
      problems.push(`${what}的金额界限必须是 0 到 ${formatYuan(MAX_FEN)} 之间的整数分`);
    else if (r.upToFen !== null && r.upToFen <= r.overFen) problems.push(`${what}的上限必须大于下限`);
    if (r.levels.length === 0) problems.push(`${what}至少需要一级审批`);
    r.levels.forEach((role, i) => {
      if (!knownRoles.includes(role)) problems.push(`${what}第 ${i + 1} 级的审批角色「${role}」不存在`);
    });
  }
  for (const type of APPROVAL_BUSINESS_TYPES) {
    const label = APPROVAL_BUSINESS_TYPE_LABELS[type];
    const ofType = rules.filter((r) => r.businessType === type).sort((a, b) => a.overFen - b.overFen);
    if (ofType.length === 0) {
      problems.push(`缺少${label}的审批规则`);
      continue;
    }
    if (ofType[0]!.overFen !== 0) problems.push(`${label}规则没有覆盖 ${formatYuan(ofType[0]!.overFen)} 及以下的金额`);
    for (let i = 1; i < ofType.length; i++) {
      const prev = ofType[i - 1]!;
      const cur = ofType[i]!;
      if (prev.upToFen === null || prev.upToFen > cur.overFen)
        problems.push(`${label}规则金额区间重叠：「${describeRangeSafely(prev)}」与「${describeRangeSafely(cur)}」`);
      else if (prev.upToFen < cur.overFen)
        problems.push(`${label}规则金额区间有空缺：${formatYuan(prev.upToFen)} 以上至 ${formatYuan(cur.overFen)}（含）没有规则`);
    }
    const last = ofType[ofType.length - 1]!;
    if (last.upToFen !== null) problems.push(`${label}规则没有覆盖 ${formatYuan(last.upToFen)} 以上的金额`);
  }
  return problems;
}

function describeRangeSafely(r: Pick<ApprovalRule, 'overFen' | 'upToFen'>): string {
  return isBound(r.overFen) && (r.upToFen === null || isBound(r.upToFen)) ? describeAmountRange(r) : '金额无效';
}

export function assertValidApprovalRules(rules: readonly ApprovalRule[], knownRoles: readonly string[] = ROLES): void {
  const problems = validateApprovalRules(rules, knownRoles);
  if (problems.length > 0) throw new DomainError('APPROVAL_RULES_INVALID', problems.join('；'));
}

/** The one rule for this type and amount. The rule set is assumed validated when it was saved. */
export function ruleFor(rules: readonly ApprovalRule[], type: ApprovalBusinessType, amountFen: Fen): ApprovalRule {
  checkFen(amountFen);
  const matching = rules.filter((r) => r.businessType === type && ruleCovers(r, amountFen));
  const label = APPROVAL_BUSINESS_TYPE_LABELS[type];
  if (matching.length === 0)
    throw new DomainError('APPROVAL_RULE_MISSING', `没有适用于${label} ${formatYuan(amountFen)} 的审批规则，请管理员检查审批规则设置`);
  if (matching.length > 1)
    throw new DomainError('APPROVAL_RULE_AMBIGUOUS', `${label} ${formatYuan(amountFen)} 同时符合多条审批规则，请管理员检查审批规则设置`);
  return matching[0]!;
}

/** The levels (role codes, level 1 first) that must approve this request. */
export function levelsFor(rules: readonly ApprovalRule[], type: ApprovalBusinessType, amountFen: Fen): readonly string[] {
  return ruleFor(rules, type, amountFen).levels;
}
