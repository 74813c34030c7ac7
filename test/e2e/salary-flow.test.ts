import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../src-main/core/time';
import { SYSTEM_ACTOR } from '../../src-main/services/actor';
import { ADMIN_PASSWORD } from '../support/callers';
import { xlsx } from '../integration/salary/salary-fixtures';
import { startE2E, type E2E } from './support/harness';

const CARD = '6222021234567890123';

/** The month the 薪资表 opens on: last month in Asia/Shanghai (its salary is paid this month). */
function lastMonth(now: number): string {
  const [y, m] = shanghaiDate(now).split('-').map(Number) as [number, number];
  const i = y * 12 + m - 2;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/**
 * 员工薪资发放 through the real UI: the 会计 registers an employee (account masked), fills two
 * employees' lines on the month's 薪资表 watching the totals, and submits it; the 审批人 (who did not
 * fill it) reviews and approves it in another session; the 会计 drafts the salary 批量付款 and sees
 * its number on the sheet.
 */
describe('薪资表 end to end', () => {
  let e: E2E;
  let acc: Page;
  let month = '';

  const signIn = async (username: string): Promise<Page> => {
    const page = await e.newPage();
    const form = page.getByTestId('login-form');
    await form.getByLabel('用户名').fill(username);
    await form.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('current-user').waitFor();
    return page;
  };

  beforeAll(async () => {
    e = await startE2E();
    await e.signInAsAdmin('admin', '周主管', ADMIN_PASSWORD);
    await e.app.users.create(SYSTEM_ACTOR, { username: 'kuaiji', displayName: '李会计', password: ADMIN_PASSWORD, role: 'accountant' });
    await e.app.users.create(SYSTEM_ACTOR, { username: 'shenpi', displayName: '赵审批', password: ADMIN_PASSWORD, role: 'approver' });
    month = lastMonth(e.app.clock.now());
    // A second employee already on file, paid by WeChat.
    await e.app.salary.employees.create(SYSTEM_ACTOR, {
      employeeNo: 'E002', name: '李四', department: '前厅', payeeChannel: 'wechat', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', bankName: '', phone: '13900001111', baseFen: 420_000,
      rateCfen: 0, active: true,
    });
    acc = await signIn('kuaiji');
  });
  afterAll(() => e?.close());

  it('the accountant registers an employee; the account shows masked', async () => {
    await acc.getByTestId('side-nav').getByText('员工', { exact: true }).click();
    await acc.getByTestId('create-employee').click();
    const form = acc.getByTestId('employee-form');
    await form.getByLabel('工号').fill('E001');
    await form.getByLabel('姓名').fill('张三');
    await form.getByLabel('部门').fill('厨房');
    await form.getByLabel('开户银行').fill('中国工商银行');
    await form.getByLabel('银行卡号').fill(CARD);
    await form.getByLabel('手机号（工资条短信）').fill('13812345678');
    await form.getByLabel('默认基本工资（元）').fill('5000');
    await form.getByLabel('默认工作量单价（元）').fill('35.5');
    await acc.getByRole('button', { name: '保存' }).click();
    await form.waitFor({ state: 'detached' });
    const table = acc.getByTestId('employee-table');
    await expect.poll(() => table.textContent()).toContain('622202*********0123');
    expect(await table.textContent()).not.toContain(CARD);
    // A 会计 may not reveal full accounts (no 查看完整敏感信息).
    expect(await table.getByRole('button', { name: '显示完整收款账号' }).count()).toBe(0);
    await e.shot('salary-employees', acc);
  });

  it('an Excel file with a wrong row is refused with the row’s problem, and nothing is saved', async () => {
    await acc.getByTestId('side-nav').getByText('薪资表', { exact: true }).click();
    await acc.getByTestId('salary-lines').getByLabel('张三 工作量').waitFor();
    await acc.getByRole('button', { name: '导入 Excel' }).click();
    const content = Buffer.from(await xlsx([['E001', '张三', '厨房', 5000, 10, 35.5, 0, 0, ''], ['E002', '李四', '前厅', 100, 0, 0, 0, 200, '']]), 'base64');
    await acc.getByTestId('import-sheet').locator('input[type=file]').setInputFiles({ name: '薪资表.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: content });
    const errors = acc.getByTestId('import-errors');
    await expect.poll(() => errors.textContent()).toContain('第 3 行');
    expect(await errors.textContent()).toContain('实发工资不能为负：应发 ¥100.00，扣款 ¥200.00');
    await e.shot('salary-import-errors', acc);
    await acc.keyboard.press('Escape');
    await acc.getByTestId('import-errors').waitFor({ state: 'detached' });
    expect((await e.app.salary.sheets.sheet(month, SYSTEM_ACTOR)).exists).toBe(false);
  });

  it('fills two lines on the 薪资表 with live totals, saves them and submits the sheet for review', async () => {
    const lines = acc.getByTestId('salary-lines');
    await lines.getByLabel('张三 工作量').waitFor();
    // 张三: the defaults (¥5,000, ¥35.5 per unit) plus 12.5 units, ¥300 allowance, ¥612.34 deductions → ¥5,131.41.
    await lines.getByLabel('张三 工作量').fill('12.5');
    await lines.getByLabel('张三 津贴').fill('300');
    await lines.getByLabel('张三 扣款').fill('612.34');
    await lines.getByLabel('李四 扣款').fill('200');
    const total = acc.getByTestId('total-net');
    await expect.poll(() => total.textContent()).toBe('¥9,131.41');
    // A negative net pay is caught before saving.
    await lines.getByLabel('李四 扣款').fill('5000');
    await expect.poll(() => lines.getByTestId('line-problem').textContent()).toBe('实发工资不能为负');
    await lines.getByLabel('李四 扣款').fill('200');
    await e.shot('salary-sheet-editing', acc);
    await acc.getByTestId('save-all').click();
    await expect.poll(() => acc.getByTestId('sheet-summary').textContent()).toContain('¥9,131.41');
    expect(await lines.textContent()).toContain('已填写');
    expect(await lines.textContent()).not.toContain('未保存');

    await acc.getByTestId('submit-sheet').click();
    await acc.getByRole('button', { name: '提交', exact: true }).click();
    await expect.poll(() => acc.getByTestId('sheet-status').first().textContent()).toBe('待审核');
    // The 会计 holds no 审核 permission: no review button here.
    expect(await acc.getByTestId('review-sheet-button').count()).toBe(0);
    const saved = await e.app.salary.sheets.sheet(month, SYSTEM_ACTOR);
    expect(saved.lines.map((l) => [l.employeeNo, l.workloadFen, l.netFen])).toEqual([['E001', 44_375, 513_141], ['E002', 0, 400_000]]);
  });

  it('the approver, who did not fill it, approves the sheet in another session', async () => {
    const approver = await signIn('shenpi');
    await approver.getByTestId('side-nav').getByText('薪资表', { exact: true }).click();
    await approver.getByTestId('review-sheet-button').click();
    const dialog = approver.getByTestId('review-sheet');
    await expect.poll(() => dialog.textContent()).toContain('共 2 人，实发合计 ¥9,131.41');
    await dialog.getByLabel('备注（可选）').fill('核对无误');
    await approver.getByRole('button', { name: '审核通过' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => approver.getByTestId('sheet-status').first().textContent()).toBe('已审核');
    await expect.poll(() => approver.getByTestId('sheet-summary').textContent()).toContain('赵审批');
    await e.shot('salary-sheet-approved', approver);
    await approver.close();
  });

  it('the accountant drafts the salary batch and sees its number on the sheet', async () => {
    await acc.getByRole('button', { name: '刷新' }).click();
    await acc.getByTestId('draft-batch').click();
    await acc.getByRole('button', { name: '生成', exact: true }).click();
    const batchNo = acc.getByTestId('sheet-batch-no');
    await batchNo.waitFor();
    expect(await batchNo.textContent()).toMatch(/^B\d{20}$/);
    await expect.poll(() => acc.getByTestId('sheet-status').first().textContent()).toBe('已生成批量');
    expect(await acc.getByTestId('salary-lines').textContent()).toContain('发放中');
    const batch = await e.app.batches.get((await batchNo.textContent())!);
    expect(batch.batch).toMatchObject({ type: 'salary', sourceRef: month, totalCount: 2, totalFen: 913_141, status: 'draft' });
    await e.shot('salary-sheet-batch', acc);

    // The payslip lookup shows the month for 张三, not yet paid.
    await acc.getByTestId('side-nav').getByText('工资条', { exact: true }).click();
    await acc.getByTestId('payslip-employee').click();
    await acc.locator('.ant-select-dropdown').getByText('E001 张三 · 厨房').click();
    const slip = acc.getByTestId('payslip');
    await expect.poll(() => slip.textContent()).toContain('¥5,131.41');
    await acc.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    expect(await acc.getByTestId('payslip-months').textContent()).toContain(month);
    expect(await slip.textContent()).toContain('发放中');
    await e.shot('salary-payslip', acc);
  });

  it('fits a 1280 × 720 window: the sheet (being filled and reviewed) and the employees never scroll sideways', async () => {
    await acc.setViewportSize({ width: 1280, height: 720 });
    const sideways = (testId: string) => acc.getByTestId(testId).locator('.ant-table-content, .ant-table-body').first().evaluate((el) => el.scrollWidth - el.clientWidth);
    await acc.getByTestId('side-nav').getByText('员工', { exact: true }).click();
    await acc.getByTestId('employee-table').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await sideways('employee-table')).toBeLessThanOrEqual(1);
    await e.shot('salary-1280-employees', acc);
    await acc.evaluate((m) => (location.hash = `#/salary/sheets?month=${m}`), month);
    await acc.getByTestId('salary-lines').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await sideways('salary-lines')).toBeLessThanOrEqual(1);
    await e.shot('salary-1280-sheet-reviewed', acc);
    // Next month's sheet is a draft: every employee's row is a row of inputs.
    const [y, m] = month.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    await acc.evaluate((n) => (location.hash = `#/salary/sheets?month=${n}`), next);
    await acc.getByTestId('salary-lines').getByLabel('张三 工作量').waitFor();
    expect(await sideways('salary-lines')).toBeLessThanOrEqual(1);
    await e.shot('salary-1280-sheet-editing', acc);
  });
});
