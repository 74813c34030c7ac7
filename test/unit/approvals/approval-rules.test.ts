import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_BUSINESS_TYPES,
  assertValidApprovalRules,
  DEFAULT_APPROVAL_RULES,
  describeAmountRange,
  levelsFor,
  ruleCovers,
  ruleFor,
  validateApprovalRules,
  type ApprovalBusinessType,
  type ApprovalRule,
} from '../../../src-main/core/approvals/approval-rules';
import { ROLES } from '../../../src-main/core/access/permissions';
import { DomainError } from '../../../src-main/core/errors';
import { MAX_FEN } from '../../../src-main/core/money';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'NO_ERROR';
};
const yuan = (n: number) => n * 100;

describe('default approval rules', () => {
  it('are valid against the seeded roles', () => {
    expect(validateApprovalRules(DEFAULT_APPROVAL_RULES)).toEqual([]);
    expect(() => assertValidApprovalRules(DEFAULT_APPROVAL_RULES, ROLES)).not.toThrow();
  });

  it.each([
    ['refund', yuan(5_000) - 1, ['accountant']],
    ['refund', yuan(5_000), ['accountant']],
    ['refund', yuan(5_000) + 1, ['accountant', 'approver']],
    ['supplier_payment', yuan(10_000) - 1, ['accountant']],
    ['supplier_payment', yuan(10_000), ['accountant']],
    ['supplier_payment', yuan(10_000) + 1, ['accountant', 'approver']],
    ['supplier_payment', yuan(50_000) - 1, ['accountant', 'approver']],
    ['supplier_payment', yuan(50_000), ['accountant', 'approver']],
    ['supplier_payment', yuan(50_000) + 1, ['accountant', 'approver', 'admin']],
    ['payout_batch', yuan(100_000) - 1, ['accountant', 'approver']],
    ['payout_batch', yuan(100_000), ['accountant', 'approver']],
    ['payout_batch', yuan(100_000) + 1, ['accountant', 'approver', 'admin']],
  ] as const)('%s of %d fen → %j', (type, amount, levels) => {
    expect(levelsFor(DEFAULT_APPROVAL_RULES, type, amount)).toEqual(levels);
  });

  it('every threshold: exactly on it belongs to the lower rule, one fen below too, one fen above to the next', () => {
    for (const type of APPROVAL_BUSINESS_TYPES) {
      const rules = DEFAULT_APPROVAL_RULES.filter((r) => r.businessType === type);
      for (const r of rules) {
        if (r.upToFen === null) continue;
        const next = rules.find((n) => n.overFen === r.upToFen)!;
        expect(ruleFor(DEFAULT_APPROVAL_RULES, type, r.upToFen)).toBe(r);
        expect(ruleFor(DEFAULT_APPROVAL_RULES, type, r.upToFen - 1)).toBe(r);
        expect(ruleFor(DEFAULT_APPROVAL_RULES, type, r.upToFen + 1)).toBe(next);
      }
      expect(ruleFor(DEFAULT_APPROVAL_RULES, type, 1).overFen).toBe(0);
      expect(ruleFor(DEFAULT_APPROVAL_RULES, type, MAX_FEN).upToFen).toBeNull();
    }
  });

  it('supplier payments above ¥50,000 go 会计 → 审批人 → 管理员', () => {
    expect(levelsFor(DEFAULT_APPROVAL_RULES, 'supplier_payment', yuan(50_000) + 1)).toEqual(['accountant', 'approver', 'admin']);
  });

  it('refuses amounts that are not a valid amount of money', () => {
    expect(() => levelsFor(DEFAULT_APPROVAL_RULES, 'refund', 0)).toThrow('金额必须大于 0');
    expect(() => levelsFor(DEFAULT_APPROVAL_RULES, 'refund', -1)).toThrow('金额不能为负数');
    expect(() => levelsFor(DEFAULT_APPROVAL_RULES, 'refund', 10.5)).toThrow('金额必须是整数分');
    expect(code(() => levelsFor(DEFAULT_APPROVAL_RULES, 'refund', MAX_FEN + 1))).toBe('AMOUNT_TOO_LARGE');
  });

  it('describes the ranges as the rules editor shows them', () => {
    expect(describeAmountRange({ overFen: 0, upToFen: yuan(5_000) })).toBe('不超过 ¥5,000.00');
    expect(describeAmountRange({ overFen: yuan(10_000), upToFen: yuan(50_000) })).toBe('¥10,000.00 以上至 ¥50,000.00（含）');
    expect(describeAmountRange({ overFen: yuan(50_000), upToFen: null })).toBe('¥50,000.00 以上');
    expect(describeAmountRange({ overFen: 0, upToFen: null })).toBe('任意金额');
  });
});

const anyAmount: Omit<ApprovalRule, 'businessType'> = { overFen: 0, upToFen: null, levels: ['accountant'] };
const base: ApprovalRule[] = APPROVAL_BUSINESS_TYPES.map((businessType) => ({ businessType, ...anyAmount }));
const withRefundRules = (refundRules: Omit<ApprovalRule, 'businessType'>[]): ApprovalRule[] => [
  ...base.filter((r) => r.businessType !== 'refund'),
  ...refundRules.map((r) => ({ businessType: 'refund' as const, ...r })),
];

describe('invalid rule sets are refused with what is wrong', () => {
  it.each<[string, ApprovalRule[], string]>([
    ['a gap between rules', withRefundRules([{ overFen: 0, upToFen: yuan(5_000), levels: ['accountant'] }, { overFen: yuan(6_000), upToFen: null, levels: ['approver'] }]), '退款规则金额区间有空缺：¥5,000.00 以上至 ¥6,000.00（含）没有规则'],
    ['overlapping rules', withRefundRules([{ overFen: 0, upToFen: yuan(5_000), levels: ['accountant'] }, { overFen: yuan(4_000), upToFen: null, levels: ['approver'] }]), '退款规则金额区间重叠'],
    ['two open-ended rules', withRefundRules([{ overFen: 0, upToFen: null, levels: ['accountant'] }, { overFen: yuan(4_000), upToFen: null, levels: ['approver'] }]), '退款规则金额区间重叠'],
    ['the same rule twice', withRefundRules([anyAmount, anyAmount]), '退款规则金额区间重叠'],
    ['small amounts not covered', withRefundRules([{ overFen: 1, upToFen: null, levels: ['accountant'] }]), '退款规则没有覆盖 ¥0.01 及以下的金额'],
    ['large amounts not covered', withRefundRules([{ overFen: 0, upToFen: yuan(5_000), levels: ['accountant'] }]), '退款规则没有覆盖 ¥5,000.00 以上的金额'],
    ['a type without rules', base.filter((r) => r.businessType !== 'payout_batch'), '缺少批量付款的审批规则'],
    ['no levels', withRefundRules([{ overFen: 0, upToFen: null, levels: [] }]), '退款规则（任意金额）至少需要一级审批'],
    ['an unknown role', withRefundRules([{ overFen: 0, upToFen: null, levels: ['accountant', 'general_manager'] }]), '退款规则（任意金额）第 2 级的审批角色「general_manager」不存在'],
    ['upper bound not above lower', withRefundRules([{ overFen: 0, upToFen: 0, levels: ['accountant'] }, { overFen: 0, upToFen: null, levels: ['accountant'] }]), '的上限必须大于下限'],
    ['a fractional bound', withRefundRules([{ overFen: 0, upToFen: 100.5, levels: ['accountant'] }, { overFen: 100.5, upToFen: null, levels: ['accountant'] }]), '的金额界限必须是 0 到 ¥100,000,000,000.00 之间的整数分'],
    ['a negative bound', withRefundRules([{ overFen: -1, upToFen: null, levels: ['accountant'] }]), '的金额界限必须是'],
  ])('%s', (_label, rules, message) => {
    expect(validateApprovalRules(rules).join('；')).toContain(message);
    expect(() => assertValidApprovalRules(rules)).toThrow(message);
  });

  it('roles are checked against the list given, so database roles can be used', () => {
    const roles = ['accountant', 'finance_manager', 'general_manager'];
    const rules = withRefundRules([
      { overFen: 0, upToFen: yuan(50_000), levels: ['accountant'] },
      { overFen: yuan(50_000), upToFen: null, levels: ['accountant', 'finance_manager', 'general_manager'] },
    ]);
    expect(validateApprovalRules(rules, roles)).toEqual([]);
    expect(validateApprovalRules(rules)).toContain('退款规则（¥50,000.00 以上）第 2 级的审批角色「finance_manager」不存在');
  });

  it('an unvalidated set still never yields a silent choice: missing or ambiguous rules are errors', () => {
    const gap = withRefundRules([{ overFen: 0, upToFen: 100, levels: ['accountant'] }, { overFen: 200, upToFen: null, levels: ['admin'] }]);
    expect(code(() => levelsFor(gap, 'refund', 150))).toBe('APPROVAL_RULE_MISSING');
    expect(() => levelsFor(gap, 'refund', 150)).toThrow('没有适用于退款 ¥1.50 的审批规则');
    const overlap = withRefundRules([anyAmount, { overFen: 100, upToFen: null, levels: ['admin'] }]);
    expect(code(() => levelsFor(overlap, 'refund', 101))).toBe('APPROVAL_RULE_AMBIGUOUS');
    expect(levelsFor(overlap, 'refund', 100)).toEqual(['accountant']);
  });
});

/** A valid rule set: per type, sorted distinct thresholds split 1 … MAX_FEN into (over, upTo] ranges. */
const levelsArb = fc.array(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 4 });
const rulesOfType = (businessType: ApprovalBusinessType): fc.Arbitrary<ApprovalRule[]> =>
  fc
    .uniqueArray(fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: MAX_FEN - 1 })), { maxLength: 5 })
    .chain((ts) => {
      const cuts = [...ts].sort((a, b) => a - b);
      const bounds = [0, ...cuts];
      return fc.array(levelsArb, { minLength: bounds.length, maxLength: bounds.length }).map((levels) =>
        bounds.map((overFen, i) => ({ businessType, overFen, upToFen: cuts[i] ?? null, levels: levels[i]! })),
      );
    });
const validRuleSet: fc.Arbitrary<ApprovalRule[]> = fc
  .tuple(...APPROVAL_BUSINESS_TYPES.map(rulesOfType))
  .chain((groups) => fc.shuffledSubarray(groups.flat(), { minLength: groups.flat().length }));
const thresholdsOf = (rules: readonly ApprovalRule[]) => rules.flatMap((r) => [r.overFen, r.upToFen ?? MAX_FEN]);

describe('property: for any valid rule set and amount, exactly one rule applies', () => {
  it('random amounts and every threshold ±1 are covered by exactly one rule of their type', () => {
    fc.assert(
      fc.property(validRuleSet, fc.integer({ min: 1, max: MAX_FEN }), fc.constantFrom(...APPROVAL_BUSINESS_TYPES), (rules, random, type) => {
        expect(validateApprovalRules(rules)).toEqual([]);
        const edges = thresholdsOf(rules).flatMap((t) => [t - 1, t, t + 1]);
        for (const amount of [random, 1, MAX_FEN, ...edges].filter((a) => a >= 1 && a <= MAX_FEN)) {
          const covering = rules.filter((r) => r.businessType === type && ruleCovers(r, amount));
          expect(covering).toHaveLength(1);
          expect(levelsFor(rules, type, amount)).toBe(covering[0]!.levels);
          // An amount exactly on a threshold belongs to the rule it closes.
          const closing = rules.find((r) => r.businessType === type && r.upToFen === amount);
          if (closing) expect(covering[0]).toBe(closing);
        }
      }),
    );
  });

  it('dropping a rule or moving a boundary makes the set invalid, and some amount then has 0 or 2 rules', () => {
    const mutation = fc.record({ pick: fc.nat(), kind: fc.constantFrom('drop' as const, 'lower' as const, 'raise' as const), by: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(
      fc.property(validRuleSet, mutation, (rules, m) => {
        const i = m.pick % rules.length;
        const target = rules[i]!;
        let mutated: ApprovalRule[];
        let witness: number;
        if (m.kind === 'drop' || target.overFen === 0) {
          mutated = rules.filter((_, j) => j !== i);
          witness = target.overFen + 1;
        } else if (m.kind === 'lower') {
          const by = Math.min(m.by, target.overFen);
          mutated = rules.map((r, j) => (j === i ? { ...r, overFen: r.overFen - by } : r));
          witness = target.overFen; // now in this rule and in the one below
        } else {
          mutated = rules.map((r, j) => (j === i ? { ...r, overFen: r.overFen + m.by } : r));
          witness = target.overFen + 1; // now in no rule
        }
        expect(validateApprovalRules(mutated).length).toBeGreaterThan(0);
        const count = mutated.filter((r) => r.businessType === target.businessType && ruleCovers(r, witness)).length;
        expect(count === 0 || count === 2).toBe(true);
      }),
    );
  });
});
