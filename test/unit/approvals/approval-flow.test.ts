import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertAmountEditable,
  canDecide,
  cancelApproval,
  currentLevel,
  currentRole,
  decide,
  isFrozen,
  newApprovalFlow,
  startApproval,
  type ApprovalFlow,
  type DecisionInput,
} from '../../../src-main/core/approvals/approval-flow';
import { DEFAULT_APPROVAL_RULES } from '../../../src-main/core/approvals/approval-rules';
import { DomainError } from '../../../src-main/core/errors';

const REQUESTER = 1;
const at = Date.UTC(2024, 0, 2, 2, 0, 0);
const approve = (approverId: number, roles: string[], extra: Partial<DecisionInput> = {}): DecisionInput => ({ approverId, roles, decision: 'approve', at, ...extra });
const reject = (approverId: number, roles: string[], reason: string | null): DecisionInput => ({ approverId, roles, decision: 'reject', reason, at });
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'NO_ERROR';
};

const threeLevels = () => newApprovalFlow('supplier_payment', 6_000_000, ['accountant', 'approver', 'admin']);

describe('starting an approval', () => {
  it('copies the levels of the rule that covers the amount', () => {
    expect(startApproval(DEFAULT_APPROVAL_RULES, 'refund', 500_000)).toEqual({
      businessType: 'refund',
      amountFen: 500_000,
      levels: ['accountant'],
      decisions: [],
      status: 'pending',
    });
    expect(startApproval(DEFAULT_APPROVAL_RULES, 'refund', 500_001).levels).toEqual(['accountant', 'approver']);
    expect(startApproval(DEFAULT_APPROVAL_RULES, 'supplier_payment', 5_000_001).levels).toEqual(['accountant', 'approver', 'admin']);
  });

  it('a flow without levels is refused', () => {
    expect(() => newApprovalFlow('refund', 100, [])).toThrow('审批流程至少需要一级审批');
  });
});

describe('deciding: levels in order, each by a different eligible person', () => {
  it('three levels approved by three people make the request approved, with the history kept', () => {
    let f = threeLevels();
    expect(currentLevel(f)).toBe(1);
    f = decide(f, approve(2, ['accountant'], { reason: ' 金额与合同一致 ' }), REQUESTER);
    expect([currentLevel(f), currentRole(f), f.status]).toEqual([2, 'approver', 'pending']);
    f = decide(f, approve(3, ['approver', 'auditor']), REQUESTER);
    f = decide(f, approve(4, ['admin'], { level: 3 }), REQUESTER);
    expect(f.status).toBe('approved');
    expect(currentLevel(f)).toBeNull();
    expect(f.decisions).toEqual([
      { level: 1, approverId: 2, approverRole: 'accountant', decision: 'approve', reason: '金额与合同一致', at },
      { level: 2, approverId: 3, approverRole: 'approver', decision: 'approve', reason: null, at },
      { level: 3, approverId: 4, approverRole: 'admin', decision: 'approve', reason: null, at },
    ]);
  });

  it('the requester can never decide on their own request, even holding the role', () => {
    const f = threeLevels();
    expect(() => decide(f, approve(REQUESTER, ['accountant', 'approver', 'admin']), REQUESTER)).toThrow('申请人不能审批自己提交的申请');
    expect(code(() => decide(f, reject(REQUESTER, ['accountant'], '不要了'), REQUESTER))).toBe('APPROVAL_SELF');
    // ... at a later level too.
    const f2 = decide(f, approve(2, ['accountant']), REQUESTER);
    expect(code(() => decide(f2, approve(REQUESTER, ['approver']), REQUESTER))).toBe('APPROVAL_SELF');
  });

  it('a request from outside (customer refund through the REST API) has no staff maker', () => {
    const f = newApprovalFlow('refund', 100, ['accountant']);
    expect(decide(f, approve(1, ['accountant']), null).status).toBe('approved');
  });

  it('one person approves at most one level, even holding the next level’s role', () => {
    let f = newApprovalFlow('refund', 600_000, ['accountant', 'accountant']);
    f = decide(f, approve(2, ['accountant']), REQUESTER);
    expect(() => decide(f, approve(2, ['accountant']), REQUESTER)).toThrow('同一人只能审批一个级别，您已审批过第 1 级');
    let g = threeLevels();
    g = decide(g, approve(2, ['accountant', 'approver']), REQUESTER);
    expect(code(() => decide(g, approve(2, ['accountant', 'approver']), REQUESTER))).toBe('APPROVAL_SAME_PERSON');
    expect(decide(f, approve(3, ['accountant']), REQUESTER).status).toBe('approved');
  });

  it('the approver must hold the current level’s role', () => {
    const f = threeLevels();
    expect(() => decide(f, approve(2, ['cashier']), REQUESTER)).toThrow('第 1 级需由「会计」审批，您没有该角色');
    expect(() => decide(f, approve(2, ['approver']), REQUESTER)).toThrow('第 1 级需由「会计」审批，您没有该角色');
    expect(() => decide(f, reject(2, [], '不同意'), REQUESTER)).toThrow('第 1 级需由「会计」审批，您没有该角色');
    const custom = newApprovalFlow('supplier_payment', 100, ['finance_manager']);
    expect(() => decide(custom, approve(2, ['accountant']), REQUESTER)).toThrow('第 1 级需由「finance_manager」审批，您没有该角色');
  });

  it('a reject needs a reason and ends the request', () => {
    const f = threeLevels();
    for (const blank of [null, '', '   '])
      expect(() => decide(f, reject(2, ['accountant'], blank), REQUESTER)).toThrow('驳回必须填写原因');
    const r = decide(f, reject(2, ['accountant'], '缺少发票'), REQUESTER);
    expect(r.status).toBe('rejected');
    expect(r.decisions.at(-1)).toMatchObject({ level: 1, decision: 'reject', reason: '缺少发票' });
    expect(() => decide(r, approve(3, ['accountant']), REQUESTER)).toThrow('该申请已驳回，不能再审批');
  });

  it('a later level can reject after earlier approvals', () => {
    let f = threeLevels();
    f = decide(f, approve(2, ['accountant']), REQUESTER);
    f = decide(f, reject(3, ['approver'], '超出预算'), REQUESTER);
    expect(f.status).toBe('rejected');
    expect(currentLevel(f)).toBeNull();
  });

  it('decisions only while pending', () => {
    const approved = decide(newApprovalFlow('refund', 100, ['accountant']), approve(2, ['accountant']), REQUESTER);
    expect(() => decide(approved, approve(3, ['accountant']), REQUESTER)).toThrow('该申请已通过，不能再审批');
    const cancelled = cancelApproval(threeLevels());
    expect(cancelled.status).toBe('cancelled');
    expect(() => decide(cancelled, approve(2, ['accountant']), REQUESTER)).toThrow('该申请已撤回，不能再审批');
    expect(() => cancelApproval(cancelled)).toThrow('该申请已撤回，不能撤回');
    expect(() => cancelApproval(approved)).toThrow('该申请已通过，不能撤回');
  });

  it('the decision is for the current level: a stale screen is refused', () => {
    const f = decide(threeLevels(), approve(2, ['accountant']), REQUESTER);
    expect(() => decide(f, approve(3, ['approver'], { level: 1 }), REQUESTER)).toThrow('该申请已进入第 2 级审批，请刷新后重试');
    expect(() => decide(f, approve(3, ['approver'], { level: 3 }), REQUESTER)).toThrow('该申请已进入第 2 级审批，请刷新后重试');
    expect(decide(f, approve(3, ['approver'], { level: 2 }), REQUESTER).decisions.at(-1)!.level).toBe(2);
  });

  it('canDecide agrees with decide for the pending list', () => {
    const f = decide(threeLevels(), approve(2, ['accountant']), REQUESTER);
    expect(canDecide(f, 3, ['approver'], REQUESTER)).toBe(true);
    expect(canDecide(f, 2, ['approver'], REQUESTER)).toBe(false);
    expect(canDecide(f, REQUESTER, ['approver'], REQUESTER)).toBe(false);
    expect(canDecide(f, 3, ['accountant'], REQUESTER)).toBe(false);
    expect(canDecide(cancelApproval(f), 3, ['approver'], REQUESTER)).toBe(false);
  });
});

describe('the amount is frozen under approval and after it', () => {
  it.each([
    ['not submitted', null, false],
    ['pending', threeLevels(), true],
    ['approved', decide(newApprovalFlow('refund', 100, ['accountant']), approve(2, ['accountant']), REQUESTER), true],
    ['rejected', decide(threeLevels(), reject(2, ['accountant'], '错误'), REQUESTER), false],
    ['cancelled', cancelApproval(threeLevels()), false],
  ] as const)('%s → frozen: %s', (_label, flow: ApprovalFlow | null, frozen) => {
    expect(isFrozen(flow)).toBe(frozen);
    if (frozen) expect(code(() => assertAmountEditable(flow))).toBe('APPROVAL_FROZEN');
    else expect(() => assertAmountEditable(flow)).not.toThrow();
  });

  it('says why in Chinese', () => {
    expect(() => assertAmountEditable(threeLevels())).toThrow('供应商付款正在审批中，金额不能修改；如需修改请先撤回');
    const approved = decide(newApprovalFlow('refund', 100, ['accountant']), approve(2, ['accountant']), REQUESTER);
    expect(() => assertAmountEditable(approved)).toThrow('退款已审批通过，金额不能修改');
  });
});

describe('property: random decision sequences keep maker-checker', () => {
  const ROLE_POOL = ['accountant', 'approver', 'admin', 'cashier'] as const;
  const scenario = fc.record({
    levels: fc.array(fc.constantFrom(...ROLE_POOL), { minLength: 1, maxLength: 4 }),
    // People 1..6 and the roles each holds.
    people: fc.array(fc.subarray([...ROLE_POOL]), { minLength: 6, maxLength: 6 }),
    requester: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
    attempts: fc.array(
      fc.record({
        person: fc.integer({ min: 1, max: 6 }),
        decision: fc.constantFrom<'approve' | 'reject'>('approve', 'approve', 'approve', 'reject'),
        reason: fc.constantFrom(null, '', ' ', '理由'),
        // Mostly the screen is fresh; sometimes it shows a level that may be stale.
        claimLevel: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
      }),
      { minLength: 3, maxLength: 40, size: 'medium' },
    ),
    // Sometimes the requester withdraws before attempt number `cancelAt`.
    cancelAt: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(40) }),
  });

  it('never the requester, never one person twice, approved only with every level approved by distinct eligible people', () => {
    // What the runs reached, so a generator that never gets anywhere fails the test instead of passing it.
    const seen = new Map<string, number>();
    const see = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    fc.assert(
      fc.property(scenario, ({ levels, people, requester, attempts, cancelAt }) => {
        const rolesOf = (id: number) => people[id - 1]!;
        let flow = newApprovalFlow('supplier_payment', 100_000, levels);
        attempts.forEach((a, step) => {
          if (step === cancelAt && flow.status === 'pending') flow = cancelApproval(flow);
          // The oracle, written independently of decide().
          const approves = flow.decisions.filter((d) => d.decision === 'approve').length;
          const level = approves + 1;
          const reasonOk = a.decision === 'approve' || (a.reason ?? '').trim() !== '';
          const expectOk =
            flow.status === 'pending' &&
            (a.claimLevel === undefined || a.claimLevel === level) &&
            a.person !== requester &&
            flow.decisions.every((d) => d.approverId !== a.person) &&
            rolesOf(a.person).includes(levels[level - 1]!) &&
            reasonOk;
          const before = flow;
          try {
            flow = decide(flow, { approverId: a.person, roles: rolesOf(a.person), decision: a.decision, reason: a.reason, at: step, level: a.claimLevel }, requester);
            expect(expectOk).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
            expect(expectOk).toBe(false);
            expect(flow).toBe(before);
            see((e as DomainError).code);
          }
        });

        const ids = flow.decisions.map((d) => d.approverId);
        expect(ids).not.toContain(requester);
        expect(new Set(ids).size).toBe(ids.length);
        flow.decisions.forEach((d, i) => {
          expect(d.level).toBe(i + 1);
          expect(d.approverRole).toBe(levels[i]);
          expect(rolesOf(d.approverId)).toContain(d.approverRole);
          if (d.decision === 'reject') {
            expect(d.reason).toBeTruthy();
            expect(i).toBe(flow.decisions.length - 1);
          }
        });
        const approves = flow.decisions.filter((d) => d.decision === 'approve');
        if (flow.status === 'approved') {
          expect(approves.map((d) => d.level)).toEqual(levels.map((_, i) => i + 1));
          expect(new Set(approves.map((d) => d.approverId)).size).toBe(levels.length);
        } else expect(approves.length).toBeLessThan(levels.length);
        expect(flow.status === 'rejected').toBe(flow.decisions.at(-1)?.decision === 'reject');
        expect(isFrozen(flow)).toBe(flow.status === 'pending' || flow.status === 'approved');
        see(flow.status);
        if (flow.status === 'approved' && levels.length > 1) see('approved_multi_level');
      }),
      { numRuns: 500 },
    );
    for (const k of ['approved', 'approved_multi_level', 'rejected', 'cancelled', 'APPROVAL_SELF', 'APPROVAL_SAME_PERSON', 'APPROVAL_ROLE_REQUIRED', 'APPROVAL_REASON_REQUIRED', 'APPROVAL_LEVEL_STALE', 'APPROVAL_NOT_PENDING'])
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
  });
});
