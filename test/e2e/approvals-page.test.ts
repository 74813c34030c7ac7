import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src-main/core/access/permissions';
import { SYSTEM_ACTOR, type Actor } from '../../src-main/services/actor';
import type { ApprovalUser } from '../../src-main/services/approvals/approval-service';
import { registerTestSubjects, type TestApprovalSubject } from '../support/approval-subject';
import { ADMIN_PASSWORD } from '../support/callers';
import { startE2E, type E2E } from './support/harness';

/**
 * 审批中心 through the real UI: empty at first (badge 0), the 审批规则 editor saves a narrower
 * bulk band for refunds, a ¥60,000 supplier payment approved by a 会计 and an 审批人 waits for
 * the administrator (badge 1, levels with names and times) who approves it; the administrator's own
 * request says why they cannot decide it and can be withdrawn; a 会计 approves two small refunds at
 * once. The businesses are a test subject until the refund and supplier-payment modules plug in.
 */
describe('审批中心 end to end', () => {
  let e: E2E;
  let page: Page;
  let subjects: Record<'refund' | 'supplier_payment' | 'payout_batch', TestApprovalSubject>;
  const users = new Map<string, ApprovalUser>();

  const addUser = async (username: string, displayName: string, role: Role): Promise<ApprovalUser> => {
    const u = await e.app.users.create(SYSTEM_ACTOR, { username, displayName, password: ADMIN_PASSWORD, role });
    const au = { id: u.id, name: u.displayName, roles: [role] };
    users.set(username, au);
    return au;
  };
  const actor = (u: ApprovalUser): Actor => ({ id: u.id, name: u.name });
  const badge = (p: Page = page) => p.getByTestId('side-nav').getByTestId('approvals-badge').getAttribute('data-count');

  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    await e.signInAsAdmin('admin', '周总经理', ADMIN_PASSWORD);
    subjects = registerTestSubjects(e.app);
    await addUser('kuaiji', '李会计', 'accountant');
    await addUser('kuaiji2', '赵会计', 'accountant');
    await addUser('jingli', '陈经理', 'approver');
    await addUser('chuna', '王出纳', 'cashier');
  });
  afterAll(() => e?.close());

  it('shows the empty 待我审批 list and a zero badge in the navigation', async () => {
    await page.getByTestId('side-nav').getByText('审批中心').click();
    await expect.poll(() => page.getByTestId('approvals-table').textContent()).toContain('暂无待您审批的申请');
    expect(await badge()).toBe('0');
    await e.shot('approvals-empty');
  });

  it('审批规则: edits the refund bands and saves them; a missing limit is caught first', async () => {
    await page.getByTestId('approval-tabs').getByRole('tab', { name: '审批规则' }).click();
    const refunds = page.getByTestId('rules-refund');
    const limit = refunds.getByTestId('upto-refund-0');
    await expect.poll(() => limit.inputValue()).toBe('5000.00');
    await limit.fill('');
    await page.getByTestId('save-approval-rules').click();
    await expect.poll(() => refunds.textContent()).toContain('请输入上限金额');
    await limit.fill('3000');
    await page.getByTestId('save-approval-rules').click();
    await expect.poll(() => page.getByText('审批规则已保存').count()).toBe(1);
    await expect.poll(async () => (await e.app.approvals.rules()).rules.find((r) => r.businessType === 'refund' && r.overFen === 0)?.upToFen).toBe(300_000);
    await expect.poll(() => refunds.getByTestId('upto-refund-0').inputValue()).toBe('3000.00');
    await expect.poll(() => refunds.textContent()).toContain('超过 ¥3,000.00');
    await e.shot('approval-rules');
    const log = await e.app.audit.list({ action: 'approval.rules' }, 1, 5);
    expect(log.items[0]?.actorName).toBe('周总经理');
  });

  it('the administrator approves the last level of a ¥60,000 supplier payment; the badge follows', async () => {
    const cashier = users.get('chuna')!;
    const id = await subjects.supplier_payment.submit('SP-2026-0017', 6_000_000, actor(cashier));
    await e.app.approvals.decide(users.get('kuaiji')!, id, { decision: 'approve', level: 1, reason: '合同、发票齐全' });
    await e.app.approvals.decide(users.get('jingli')!, id, { decision: 'approve', level: 2 });
    await page.reload();
    await expect.poll(() => badge()).toBe('1');
    await page.getByTestId('approval-tabs').getByRole('tab', { name: /待我审批/ }).click();
    await page.getByTestId(`approval-link-${id}`).click();
    const detail = page.getByTestId('approval-detail');
    await expect.poll(() => detail.getByTestId('approval-amount').textContent()).toBe('¥60,000.00');
    const steps = detail.getByTestId('approval-steps');
    await expect.poll(() => steps.textContent()).toContain('第 1 级 · 会计李会计 同意');
    expect(await steps.textContent()).toContain('第 2 级 · 审批人陈经理 同意');
    expect(await detail.getByTestId('approval-subject').textContent()).toContain('供应商 SP-2026-0017');
    expect(await detail.getByTestId('approval-history').textContent()).toContain('合同、发票齐全');
    await e.shot('approval-detail-pending');
    await detail.getByTestId('approve').click();
    await page.getByTestId('decision-reason').fill('同意付款');
    await page.getByTestId('decision-ok').click();
    await expect.poll(() => steps.textContent()).toContain('第 3 级 · 管理员周总经理 同意');
    await expect.poll(() => badge()).toBe('0');
    expect(await subjects.supplier_payment.outcomes('SP-2026-0017')).toEqual(['approved']);
    await e.shot('approval-detail-approved');
  });

  it('my own request: why I cannot decide it, and withdrawing it', async () => {
    const admin = (await e.app.users.list()).find((u) => u.username === 'admin')!;
    const id = await subjects.refund.submit('R-OWN-1', 450_000, { id: admin.id, name: admin.displayName });
    await page.goto(`${new URL(page.url()).origin}/#/approvals?tab=mine`);
    await page.getByTestId(`approval-link-${id}`).click();
    const detail = page.getByTestId('approval-detail');
    await expect.poll(() => detail.getByTestId('cannot-decide').textContent()).toContain('申请人不能审批自己提交的申请');
    expect(await detail.getByTestId('approve').count()).toBe(0);
    await detail.getByTestId('comment-input').fill('请尽快处理，客人在等');
    await detail.getByTestId('comment-send').click();
    await expect.poll(() => detail.getByTestId('approval-history').textContent()).toContain('请尽快处理，客人在等');
    await e.shot('approval-own-request');
    await detail.getByTestId('withdraw').click();
    await page.getByTestId('decision-reason').fill('金额有误');
    await page.getByTestId('decision-ok').click();
    await expect.poll(() => detail.getByTestId('approval-history').textContent()).toContain('撤回申请');
    expect(await subjects.refund.outcomes('R-OWN-1')).toEqual(['cancelled']);
  });

  it('a 会计 approves two small refunds at once; the large one is left for one-by-one review', async () => {
    const cashier = users.get('chuna')!;
    const small1 = await subjects.refund.submit('R-SMALL-1', 120_000, actor(cashier));
    const small2 = await subjects.refund.submit('R-SMALL-2', 300_000, actor(cashier));
    const large = await subjects.refund.submit('R-LARGE-1', 300_001, actor(cashier));
    const acc = await e.newPage();
    const form = acc.getByTestId('login-form');
    await form.getByLabel('用户名').fill('kuaiji2');
    await form.getByLabel('密码').fill(ADMIN_PASSWORD);
    await acc.getByRole('button', { name: '登录', exact: true }).click();
    await acc.getByTestId('current-user').waitFor();
    await expect.poll(() => badge(acc)).toBe('3');
    await acc.getByTestId('side-nav').getByText('审批中心').click();
    const table = acc.getByTestId('approvals-table');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(3);
    const row = (id: number) => table.locator('tr.ant-table-row', { has: acc.getByTestId(`approval-link-${id}`) });
    expect(await row(large).locator('input[type=checkbox]').isDisabled()).toBe(true);
    await row(small1).locator('input[type=checkbox]').check();
    await row(small2).locator('input[type=checkbox]').check();
    await e.shot('approvals-bulk-selected', acc);
    await acc.getByTestId('bulk-approve').click();
    await acc.locator('.ant-popconfirm').getByRole('button', { name: '同意' }).click();
    await expect.poll(() => acc.getByText('已同意 2 笔申请').count()).toBe(1);
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    await expect.poll(() => badge(acc)).toBe('1');
    expect(await subjects.refund.outcomes('R-SMALL-1')).toEqual(['approved']);
    expect(await subjects.refund.outcomes('R-SMALL-2')).toEqual(['approved']);
    await e.shot('approvals-after-bulk', acc);
  });
});
