import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { DEFAULT_APPROVAL_RULES, type ApprovalRule } from '../../src-main/core/approvals/approval-rules';
import type { Actor } from '../../src-main/services/actor';
import { approverUser, asActor, registerTestSubjects, type TestApprovalSubject } from '../support/approval-subject';
import { callers } from '../support/callers';
import { STORE_KINDS, testApp } from '../support/stores';

/**
 * The approval engine through its service (and, at the end, the contract) on both stores, with a
 * test-only business under approval: rule thresholds, maker-checker, per-type permissions, racing
 * approvers, callback failures, withdrawal, rule edits, bulk approval, lists and the audit trail.
 */
const YUAN = 100;
let seq = 0;
const newSubjectId = () => `S${Date.now() % 100000}-${++seq}`;

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { code: err.code ?? 'THROWN', message: err.message };
  }
  throw new Error('expected a refusal');
}

describe.each(STORE_KINDS)('approval engine on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let subjects: Record<'refund' | 'supplier_payment' | 'payout_batch', TestApprovalSubject>;
  const maker: Actor = { id: 1, name: '出纳 王芳' };
  const acc1 = approverUser('accountant', '会计 李明');
  const acc2 = approverUser('accountant', '会计 赵敏');
  const boss = approverUser('approver', '财务经理 陈刚');
  const admin = approverUser('admin', '总经理 周强');
  const auditor = approverUser('auditor', '审计 孙丽');
  const cashier = approverUser('cashier', '出纳 刘洋');

  beforeAll(async () => {
    ({ app, close } = await testApp(kind));
    subjects = registerTestSubjects(app);
  });
  afterAll(() => close());

  const detail = (id: number, viewer = acc1) => app.approvals.get(viewer, id);
  const auditOf = async (requestId: number) => (await app.audit.list({ entityId: String(requestId) }, 1, 100)).items.filter((e) => e.entityType === 'approval').map((e) => e.action).reverse();

  it('every threshold edge of every default rule picks the right levels (¥5,000.00 lower, ¥5,000.01 upper)', async () => {
    for (const type of ['refund', 'supplier_payment', 'payout_batch'] as const) {
      const rules = DEFAULT_APPROVAL_RULES.filter((r) => r.businessType === type);
      for (const [i, rule] of rules.entries()) {
        const amounts = rule.upToFen === null ? [rule.overFen + 1] : [rule.overFen + 1, rule.upToFen];
        for (const amount of amounts) {
          const id = await subjects[type].submit(newSubjectId(), amount, maker);
          const d = await detail(id);
          expect(d.steps.map((s) => s.role), `${type} ${amount}`).toEqual(rule.levels);
          expect(d.request.bulkApprovable).toBe(rule.bulkApprovable === true);
        }
        if (rule.upToFen !== null) {
          const above = await subjects[type].submit(newSubjectId(), rule.upToFen + 1, maker);
          expect((await detail(above)).steps.map((s) => s.role), `${type} ${rule.upToFen + 1}`).toEqual(rules[i + 1]!.levels);
        }
      }
    }
    // Spelled out for the thresholds of the issue.
    const r5000 = await subjects.refund.submit(newSubjectId(), 5_000 * YUAN, maker);
    const r5000_01 = await subjects.refund.submit(newSubjectId(), 5_000 * YUAN + 1, maker);
    const s50000_01 = await subjects.supplier_payment.submit(newSubjectId(), 50_000 * YUAN + 1, maker);
    expect((await detail(r5000)).steps.map((s) => s.roleName)).toEqual(['会计']);
    expect((await detail(r5000_01)).steps.map((s) => s.roleName)).toEqual(['会计', '审批人']);
    expect((await detail(s50000_01)).steps.map((s) => s.roleName)).toEqual(['会计', '审批人', '管理员']);
  });

  it('maker-checker: requester, same person twice, wrong role and missing per-type permission are refused; N people approve N levels', async () => {
    const subjectId = newSubjectId();
    const reqMaker = { ...approverUser('accountant', '会计 申请人') };
    const id = await subjects.refund.submit(subjectId, 8_000 * YUAN, asActor(reqMaker));
    expect(await refusal(app.approvals.decide(reqMaker, id, { decision: 'approve', level: 1 }))).toEqual({ code: 'APPROVAL_SELF', message: '申请人不能审批自己提交的申请' });
    expect((await detail(id, reqMaker)).viewer.cannotDecide).toBe('申请人不能审批自己提交的申请');

    expect(await refusal(app.approvals.decide(auditor, id, { decision: 'approve', level: 1 }))).toEqual({ code: 'FORBIDDEN', message: '没有权限：审批退款。请联系管理员开通。' });
    expect(await refusal(app.approvals.decide(cashier, id, { decision: 'approve', level: 1 }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(app.approvals.decide(boss, id, { decision: 'approve', level: 1 }))).toEqual({ code: 'APPROVAL_ROLE_REQUIRED', message: '第 1 级需由「会计」审批，您没有该角色' });

    await app.approvals.decide(acc1, id, { decision: 'approve', level: 1, reason: '单据齐全' });
    expect(await refusal(app.approvals.decide(acc1, id, { decision: 'approve', level: 2 }))).toEqual({ code: 'APPROVAL_SAME_PERSON', message: '同一人只能审批一个级别，您已审批过第 1 级' });
    expect(await refusal(app.approvals.decide(acc2, id, { decision: 'approve', level: 2 }))).toEqual({ code: 'APPROVAL_ROLE_REQUIRED', message: '第 2 级需由「审批人」审批，您没有该角色' });
    expect(await refusal(app.approvals.decide(acc2, id, { decision: 'approve', level: 1 }))).toMatchObject({ code: 'APPROVAL_LEVEL_STALE' });
    expect((await detail(id, acc1)).viewer).toMatchObject({ canDecide: false, cannotDecide: '同一人只能审批一个级别，您已审批过第 1 级' });
    expect((await detail(id, boss)).viewer).toMatchObject({ canDecide: true, cannotDecide: null });

    // The level's role without the per-type permission is not enough either.
    await app.store.dataSource.query(`DELETE FROM role_permissions WHERE role = 'approver' AND permission = 'approval:refund'`);
    try {
      expect(await refusal(app.approvals.decide(boss, id, { decision: 'approve', level: 2 }))).toEqual({ code: 'FORBIDDEN', message: '没有权限：审批退款。请联系管理员开通。' });
      expect((await detail(id, boss)).viewer.cannotDecide).toBe('没有权限：审批退款。请联系管理员开通。');
      expect(await app.approvals.pendingForMe(boss)).toBe(0);
    } finally {
      await app.store.dataSource.query(`INSERT INTO role_permissions (role, permission) VALUES ('approver', 'approval:refund')`);
    }
    const denied = (await app.audit.list({ action: 'access.denied', entityId: String(id) }, 1, 10)).items;
    expect(denied.map((e) => e.actorName).sort()).toEqual([auditor.name, boss.name, cashier.name].sort());

    expect(await subjects.refund.outcomes(subjectId)).toEqual([]);
    const done = await app.approvals.decide(boss, id, { decision: 'approve', level: 2 });
    expect(done.status).toBe('approved');
    expect(await subjects.refund.outcomes(subjectId)).toEqual(['approved']);
    const d = await detail(id);
    expect(d.steps.map((s) => [s.state, s.approverName])).toEqual([
      ['approved', acc1.name],
      ['approved', boss.name],
    ]);
    const forVoucher = await app.store.read((tx) => app.approvals.approvalsOf(tx, 'refund', subjectId));
    expect(forVoucher).toMatchObject({ status: 'approved', requesterName: '会计 申请人' });
    expect(forVoucher!.decisions.map((x) => [x.level, x.approverName, x.roleName, x.decision, x.reason])).toEqual([
      [1, acc1.name, '会计', 'approve', '单据齐全'],
      [2, boss.name, '审批人', 'approve', null],
    ]);
    expect(await refusal(app.approvals.decide(admin, id, { decision: 'approve', level: 2 }))).toEqual({ code: 'APPROVAL_NOT_PENDING', message: '该申请已通过，不能再审批' });
    expect(await auditOf(id)).toEqual(['approval.submit', 'access.denied', 'access.denied', 'approval.approve', 'access.denied', 'approval.approve']);
  });

  it('a reject needs a reason, ends the request and tells the subject', async () => {
    const subjectId = newSubjectId();
    const id = await subjects.supplier_payment.submit(subjectId, 20_000 * YUAN, maker);
    expect(await refusal(app.approvals.decide(acc1, id, { decision: 'reject', level: 1, reason: '  ' }))).toEqual({ code: 'APPROVAL_REASON_REQUIRED', message: '驳回必须填写原因' });
    const r = await app.approvals.decide(acc1, id, { decision: 'reject', level: 1, reason: '发票抬头不符' });
    expect(r.status).toBe('rejected');
    expect(await subjects.supplier_payment.outcomes(subjectId)).toEqual(['rejected']);
    const d = await detail(id, boss);
    expect(d.steps.map((s) => s.state)).toEqual(['rejected', 'skipped']);
    expect(d.steps[0]!.reason).toBe('发票抬头不符');
    expect(d.viewer.cannotDecide).toBe('该申请已驳回，不能再审批');
    // Rejected frees the subject: it may be corrected and submitted again.
    await subjects.supplier_payment.submit(subjectId, 19_000 * YUAN, maker);
    expect(await auditOf(id)).toEqual(['approval.submit', 'approval.reject']);
  });

  it('two approvers racing on one level: exactly one wins', async () => {
    for (let round = 0; round < 4; round++) {
      const subjectId = newSubjectId();
      const id = await subjects.refund.submit(subjectId, 100 * YUAN, maker);
      const decisions = round % 2 === 0 ? (['approve', 'approve'] as const) : (['approve', 'reject'] as const);
      const results = await Promise.allSettled([
        app.approvals.decide(acc1, id, { decision: decisions[0], level: 1, reason: '同意' }),
        app.approvals.decide(acc2, id, { decision: decisions[1], level: 1, reason: '不同意' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(['APPROVAL_LEVEL_STALE', 'APPROVAL_NOT_PENDING']).toContain((lost.reason as { code: string }).code);
      const d = await detail(id);
      expect(d.history.filter((h) => h.decision !== 'comment')).toHaveLength(1);
      expect((await subjects.refund.outcomes(subjectId)).length).toBe(1);
    }
  });

  it('a failing callback leaves the decision unrecorded; the retry succeeds', async () => {
    const subjectId = newSubjectId();
    const id = await subjects.refund.submit(subjectId, 300 * YUAN, maker);
    subjects.refund.failNext = new Error('退款服务不可用');
    await expect(app.approvals.decide(acc1, id, { decision: 'approve', level: 1 })).rejects.toThrow('退款服务不可用');
    const d = await detail(id);
    expect(d.request).toMatchObject({ status: 'pending', currentLevel: 1, version: 1 });
    expect(d.history).toEqual([]);
    expect(await subjects.refund.outcomes(subjectId)).toEqual([]);
    expect(await auditOf(id)).toEqual(['approval.submit']);
    await app.approvals.decide(acc1, id, { decision: 'approve', level: 1 });
    expect(await subjects.refund.outcomes(subjectId)).toEqual(['approved']);
  });

  it('withdrawal: only the requester, only while pending; it frees the subject for a new request', async () => {
    const subjectId = newSubjectId();
    const reqMaker = approverUser('cashier', '出纳 申请人');
    const id = await subjects.refund.submit(subjectId, 6_000 * YUAN, asActor(reqMaker));
    expect(await refusal(subjects.refund.submit(subjectId, 6_000 * YUAN, asActor(reqMaker)))).toEqual({ code: 'APPROVAL_ALREADY_PENDING', message: `退款 ${subjectId} 已在审批中，不能重复提交` });
    await app.approvals.decide(acc1, id, { decision: 'approve', level: 1 });
    expect(await refusal(app.approvals.withdraw(asActor(acc1), id))).toEqual({ code: 'APPROVAL_WITHDRAW_FORBIDDEN', message: '只有申请人本人可以撤回申请' });
    expect((await detail(id, reqMaker)).viewer.canWithdraw).toBe(true);
    const w = await app.approvals.withdraw(asActor(reqMaker), id, '金额填错');
    expect(w.status).toBe('cancelled');
    expect(await subjects.refund.outcomes(subjectId)).toEqual(['cancelled']);
    expect(await refusal(app.approvals.withdraw(asActor(reqMaker), id))).toEqual({ code: 'APPROVAL_NOT_PENDING', message: '该申请已撤回，不能撤回' });
    expect(await refusal(app.approvals.decide(boss, id, { decision: 'approve', level: 2 }))).toMatchObject({ code: 'APPROVAL_NOT_PENDING' });
    const d = await detail(id);
    expect(d.history.map((h) => [h.decision, h.reason])).toEqual([
      ['approve', null],
      ['comment', '撤回：金额填错'],
    ]);
    const again = await subjects.refund.submit(subjectId, 5_500 * YUAN, asActor(reqMaker));
    expect(again).not.toBe(id);
    // A request from outside (a customer through the REST API) has no staff requester: nobody may withdraw it.
    const external = await subjects.refund.submit(newSubjectId(), 100, { id: null, name: '客户' });
    expect(await refusal(app.approvals.withdraw(asActor(reqMaker), external))).toMatchObject({ code: 'APPROVAL_WITHDRAW_FORBIDDEN' });
    expect(await auditOf(id)).toEqual(['approval.submit', 'approval.approve', 'approval.withdraw']);
  });

  it('comments are kept in the history and audited', async () => {
    const id = await subjects.payout_batch.submit(newSubjectId(), 1_000 * YUAN, maker);
    await app.approvals.comment(boss, id, '  请附上工资表  ');
    await expect(app.approvals.comment(boss, id, '   ')).rejects.toThrow('评论内容不能为空');
    const d = await detail(id);
    expect(d.history.map((h) => [h.decision, h.approverName, h.roleName, h.reason, h.level])).toEqual([['comment', boss.name, '审批人', '请附上工资表', 1]]);
    expect(d.summary).toEqual({ title: expect.stringContaining('测试单据') as string, amountFen: 1_000 * YUAN, fields: [{ label: '收款方', value: expect.any(String) as string }], link: expect.any(String) as string });
    expect(await auditOf(id)).toEqual(['approval.submit', 'approval.comment']);
  });

  it('a rule edit applies to new requests only; stale and invalid edits are refused', async () => {
    const before = await app.approvals.rules();
    expect(before.rules).toHaveLength(DEFAULT_APPROVAL_RULES.length);
    expect(before.roles.map((r) => r.code)).toEqual(expect.arrayContaining(['admin', 'accountant', 'approver']));
    const open = await subjects.refund.submit(newSubjectId(), 4_000 * YUAN, maker);
    const edited: ApprovalRule[] = before.rules.map((r) => (r.businessType === 'refund' && r.overFen === 0 ? { ...r, upToFen: 1_000 * YUAN } : r.businessType === 'refund' ? { ...r, overFen: 1_000 * YUAN } : r));
    const saved = await app.approvals.updateRules({ id: 1, name: '系统管理员' }, before.revision, edited);
    expect(saved.revision).toBe(before.revision + 1);
    expect(saved.rules.filter((r) => r.businessType === 'refund').map((r) => [r.overFen, r.upToFen])).toEqual([
      [0, 1_000 * YUAN],
      [1_000 * YUAN, null],
    ]);
    // The open request keeps its single level and is approved by one 会计.
    expect((await detail(open)).steps.map((s) => s.role)).toEqual(['accountant']);
    expect((await app.approvals.decide(acc1, open, { decision: 'approve', level: 1 })).status).toBe('approved');
    // A new one of the same amount needs two.
    const fresh = await subjects.refund.submit(newSubjectId(), 4_000 * YUAN, maker);
    expect((await detail(fresh)).steps.map((s) => s.role)).toEqual(['accountant', 'approver']);

    expect(await refusal(app.approvals.updateRules({ id: 1, name: '系统管理员' }, before.revision, edited))).toEqual({ code: 'CONCURRENT_UPDATE', message: '审批规则已被他人修改，请重新加载后再保存' });
    const gap = edited.map((r) => (r.businessType === 'refund' && r.overFen > 0 ? { ...r, overFen: 2_000 * YUAN } : r));
    expect((await refusal(app.approvals.updateRules({ id: 1, name: '系统管理员' }, saved.revision, gap))).message).toBe('退款规则金额区间有空缺：¥1,000.00 以上至 ¥2,000.00（含）没有规则');
    const ghost = edited.map((r) => (r.businessType === 'payout_batch' ? { ...r, levels: ['总经理'] } : r));
    expect(await refusal(app.approvals.updateRules({ id: 1, name: '系统管理员' }, saved.revision, ghost))).toMatchObject({ code: 'APPROVAL_RULES_INVALID', message: expect.stringContaining('审批角色「总经理」不存在') as string });
    const log = (await app.audit.list({ action: 'approval.rules' }, 1, 10)).items;
    expect(log).toHaveLength(1);
    expect(log[0]!.before).toContain('"revision":1');
    // Back to the defaults for the other tests.
    await app.approvals.updateRules({ id: 1, name: '系统管理员' }, saved.revision, before.rules);
  });

  it('bulk approve acts only where the rule allows it and reports each request', async () => {
    const small1 = await subjects.refund.submit(newSubjectId(), 200 * YUAN, maker);
    const small2 = await subjects.refund.submit(newSubjectId(), 5_000 * YUAN, maker);
    const large = await subjects.refund.submit(newSubjectId(), 5_000 * YUAN + 1, maker);
    const supplier = await subjects.supplier_payment.submit(newSubjectId(), 100 * YUAN, maker);
    const own = await subjects.refund.submit(newSubjectId(), 100 * YUAN, asActor(acc2));
    const results = await app.approvals.bulkApprove(acc2, [small1, small2, large, supplier, own].map((id) => ({ id, level: 1 })));
    expect(results.map((r) => (r.ok ? [r.id, r.status] : [r.id, r.code]))).toEqual([
      [small1, 'approved'],
      [small2, 'approved'],
      [large, 'APPROVAL_BULK_NOT_ALLOWED'],
      [supplier, 'APPROVAL_BULK_NOT_ALLOWED'],
      [own, 'APPROVAL_SELF'],
    ]);
    expect((results[2] as { message: string }).message).toMatch(/按审批规则不能批量审批，请逐笔审批$/);
    expect((await detail(large)).request.status).toBe('pending');
    const entry = (await app.audit.list({ action: 'approval.approve', entityId: String(small1) }, 1, 1)).items[0]!;
    expect(JSON.parse(entry.after!)).toMatchObject({ bulk: true, status: 'approved' });
  });

  it('lists: 待我审批 with its count, 我发起的, filters by type, status, amount and date', async () => {
    const t = await testApp(kind);
    try {
      const s = registerTestSubjects(t.app);
      const me = approverUser('accountant', '会计 甲');
      const other = approverUser('accountant', '会计 乙');
      const a = await s.refund.submit('R-A', 100 * YUAN, asActor(me));
      const b = await s.refund.submit('R-B', 9_000 * YUAN, maker);
      const c = await s.supplier_payment.submit('SP-C', 60_000 * YUAN, maker);
      const d = await s.payout_batch.submit('PB-D', 500 * YUAN, maker);
      await t.app.approvals.decide(other, d, { decision: 'approve', level: 1 });
      const ids = async (f: Parameters<App['approvals']['list']>[1], who = me) => (await t.app.approvals.list(who, f, 1, 50)).items.map((x) => x.id);
      expect(await ids({ scope: 'todo' })).toEqual([c, b]);
      expect(await t.app.approvals.pendingForMe(me)).toBe(2);
      expect(await t.app.approvals.pendingForMe(other)).toBe(3);
      expect(await t.app.approvals.pendingForMe(boss)).toBe(1);
      expect(await t.app.approvals.pendingForMe(auditor)).toBe(0);
      expect(await ids({ scope: 'mine' })).toEqual([a]);
      expect(await ids({ scope: 'all' })).toEqual([d, c, b, a]);
      expect(await ids({ scope: 'all', businessType: 'refund' })).toEqual([b, a]);
      expect(await ids({ scope: 'all', minFen: 500 * YUAN, maxFen: 9_000 * YUAN })).toEqual([d, b]);
      expect(await ids({ scope: 'all', keyword: 'SP-' })).toEqual([c]);
      expect(await ids({ scope: 'all', createdFrom: t.app.clock.now() + 60_000 })).toEqual([]);
      await t.app.approvals.decide(other, b, { decision: 'reject', level: 1, reason: '重复申请' });
      expect(await ids({ scope: 'all', status: 'rejected' })).toEqual([b]);
      const page = await t.app.approvals.list(me, { scope: 'all' }, 1, 50);
      const row = page.items.find((x) => x.id === d)!;
      expect(row).toMatchObject({ currentLevel: 2, currentRole: 'approver', currentRoleName: '审批人', canDecide: false, summary: { title: '测试单据 PB-D' } });
      expect(page.items.find((x) => x.id === c)).toMatchObject({ canDecide: true });
      expect(page.items.find((x) => x.id === a)).toMatchObject({ canDecide: false });
    } finally {
      await t.close();
    }
  });

  it('through the contract: the caller’s own role decides, errors come back in Chinese', async () => {
    const t = await testApp(kind);
    try {
      const s = registerTestSubjects(t.app);
      const c = await callers(t.app);
      const accountant = await c.as('accountant', 'kuaiji');
      const cashier = await c.as('cashier', 'chuna');
      const auditorCaller = await c.as('auditor', 'shenji');
      const users = await c.admin.ok('users.list', {});
      const cashierUser = users.find((u) => u.username === 'chuna')!;
      const id = await s.refund.submit('R-CONTRACT', 800 * YUAN, { id: cashierUser.id, name: cashierUser.displayName });
      expect(await accountant.ok('approvals.pendingCount', {})).toEqual({ count: 1 });
      expect((await cashier.call('approvals.list', {})).ok).toBe(false);
      const seen = await auditorCaller.ok('approvals.get', { id });
      expect(seen.viewer).toMatchObject({ canDecide: false, cannotDecide: '没有权限：审批退款。请联系管理员开通。' });
      expect(await auditorCaller.call('approvals.decide', { id, level: 1, decision: 'approve' })).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '没有权限：审批退款。请联系管理员开通。' } });
      expect(await accountant.call('approvals.decide', { id, level: 1, decision: 'reject' })).toEqual({ ok: false, error: { code: 'APPROVAL_REASON_REQUIRED', message: '驳回必须填写原因' } });
      const list = await accountant.ok('approvals.list', { scope: 'todo', minAmount: '800.00', maxAmount: '800' });
      expect(list.items.map((x) => x.id)).toEqual([id]);
      const done = await accountant.ok('approvals.decide', { id, level: 1, decision: 'approve' });
      expect(done.status).toBe('approved');
      expect(await accountant.ok('approvals.pendingCount', {})).toEqual({ count: 0 });
      const rules = await accountant.ok('approvals.rules', {});
      expect((await accountant.call('approvals.updateRules', { revision: rules.revision, rules: rules.rules })).ok).toBe(false);
      const saved = await c.admin.ok('approvals.updateRules', { revision: rules.revision, rules: rules.rules });
      expect(saved.revision).toBe(rules.revision + 1);
      const bad = await c.admin.call('approvals.updateRules', { revision: saved.revision, rules: [{ businessType: 'refund', overFen: -1, upToFen: null, levels: ['accountant'] }] });
      expect(bad).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: '金额下限：金额界限不能为负数' } });
    } finally {
      await t.close();
    }
  });
});
