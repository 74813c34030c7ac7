import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { callers, type Caller } from '../../support/callers';
import { STORE_KINDS, testApp } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { employeeInput, xlsx } from './salary-fixtures';

const CARD = '6222021234567890123';
const MONTH = '2026-11';

describe.each(STORE_KINDS)('salary sheets on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let admin: Caller;
  let accountant: Caller;
  let approver: Caller;
  let cashier: Caller;

  beforeEach(async () => {
    ({ app, close } = await testApp(kind, { clock: new TestClock() }));
    const c = await callers(app);
    admin = c.admin;
    accountant = await c.as('accountant', 'acc1');
    approver = await c.as('approver', 'appr1');
    cashier = await c.as('cashier', 'cash1');
  });
  afterEach(() => close());

  const sheet = (by: Caller = accountant) => by.ok('salary.sheet', { month: MONTH });

  it('employees are listed with masked accounts; the full account is revealed only through the audited reveal', async () => {
    const e = await accountant.ok('salary.saveEmployee', employeeInput());
    expect(e).toMatchObject({ employeeNo: 'E001', accountMasked: '622202*********0123', phoneMasked: '138****5678', baseFen: 500_000, rateCfen: 355_000 });
    const listed = await approver.ok('salary.listEmployees', { keyword: '厨房' });
    expect(listed.total).toBe(1);
    expect(JSON.stringify(listed)).not.toContain(CARD);
    expect((await cashier.call('salary.listEmployees', {})).ok).toBe(false);

    const reveal = { entityType: 'employee' as const, entityId: String(e.id), field: 'account' };
    expect((await accountant.call('sensitive.reveal', reveal)).ok).toBe(false);
    expect(await admin.ok('sensitive.reveal', reveal)).toEqual({ value: CARD });

    // An update leaving the account out keeps it; changing channel needs the new account.
    const moved = await accountant.call('salary.saveEmployee', { ...employeeInput({ payeeChannel: 'alipay', account: undefined }), id: e.id, version: e.version });
    expect(moved.ok || moved.error.message).toBe('更换发放方式时请填写新的收款账号');
    const kept = await accountant.ok('salary.saveEmployee', { ...employeeInput({ account: undefined, department: '前厅' }), id: e.id, version: e.version });
    expect(kept.department).toBe('前厅');
    expect(await admin.ok('sensitive.reveal', reveal)).toEqual({ value: CARD });
    const stale = await accountant.call('salary.saveEmployee', { ...employeeInput(), id: e.id, version: e.version });
    expect(stale.ok || stale.error.code).toBe('CONCURRENT_UPDATE');

    const dup = await accountant.call('salary.saveEmployee', employeeInput({ name: '李四' }));
    expect(dup.ok || dup.error.message).toBe('工号 E001 已被其他员工使用');
    const bad = await accountant.call('salary.saveEmployee', employeeInput({ employeeNo: 'E002', account: '12ab' }));
    expect(bad.ok || bad.error.message).toBe('银行账号应为 8 至 32 位数字');

    const { history } = await admin.ok('salary.getEmployee', { id: e.id });
    expect(history.map((h) => h.action)).toEqual(['employee.create', 'sensitive.reveal', 'employee.update', 'sensitive.reveal']);
    for (const h of history) expect(`${h.before}${h.after}`).not.toContain(CARD);
  });

  it('a line is calculated in fen and persisted; totals follow; a negative net pay is refused and changes nothing', async () => {
    const a = await accountant.ok('salary.saveEmployee', employeeInput());
    const b = await accountant.ok('salary.saveEmployee', employeeInput({ employeeNo: 'E002', name: '李四', payeeChannel: 'wechat', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', bankName: '', phone: '' }));
    const empty = await sheet();
    expect(empty).toMatchObject({ exists: false, status: 'draft', statusLabel: '草稿', payDate: '2026-12-10', schedule: '每月 10 日发放上月工资' });
    expect(empty.missing.map((m) => m.employeeNo)).toEqual(['E001', 'E002']);

    // 12.5 × ¥35.5 = ¥443.75; ¥5,000 + 443.75 + 300 − 612.34 = ¥5,131.41.
    const saved = await accountant.ok('salary.saveLine', { month: MONTH, employeeId: a.id, baseSalary: '5000', units: '12.5', rate: '35.5', allowance: '300', deduction: '612.34' });
    expect(saved.line).toMatchObject({ workloadFen: 44_375, grossFen: 574_375, netFen: 513_141, employeeName: '张三', payoutStatus: 'unpaid' });
    // ⅓ unit × ¥1 = 0.333 yuan → 33 fen (half up at the fen).
    await accountant.ok('salary.saveLine', { month: MONTH, employeeId: b.id, baseSalary: 0, units: 0.333, rate: 1, allowance: 0, deduction: 0 });
    const s = await sheet();
    expect(s.totals).toMatchObject({ lineCount: 2, workloadFen: 44_408, grossFen: 574_408, deductionFen: 61_234, netFen: 513_174 });
    expect(s.sheet).toMatchObject({ status: 'draft', lineCount: 2, netFen: 513_174 });
    expect(s.missing).toEqual([]);

    const negative = await accountant.call('salary.saveLine', { month: MONTH, employeeId: b.id, baseSalary: '100', deduction: '100.01', version: s.lines[1]!.version });
    expect(negative.ok || negative.error.message).toBe('实发工资不能为负：应发 ¥100.00，扣款 ¥100.01');
    const precision = await accountant.call('salary.saveLine', { month: MONTH, employeeId: b.id, baseSalary: '100', units: '1.2345', rate: '1' });
    expect(precision.ok || precision.error.message).toBe('工作量最多保留 3 位小数');
    expect((await sheet()).totals.netFen).toBe(513_174);

    // A line edited by someone else meanwhile is not overwritten.
    const stale = await accountant.call('salary.saveLine', { month: MONTH, employeeId: a.id, baseSalary: '1', version: 99 });
    expect(stale.ok || stale.error.code).toBe('CONCURRENT_UPDATE');
    // Nor is a line someone else added while this screen still showed the employee as missing.
    const added = await accountant.call('salary.saveLine', { month: MONTH, employeeId: a.id, baseSalary: '1', version: 0 });
    expect(added.ok || added.error.code).toBe('CONCURRENT_UPDATE');
    // Nobody without salary:edit fills the sheet.
    expect((await approver.call('salary.saveLine', { month: MONTH, employeeId: a.id, baseSalary: '1' })).ok).toBe(false);
  });

  it('maker-checker: the accountant who filled the sheet cannot review it; another person approves or rejects with a reason', async () => {
    const a = await accountant.ok('salary.saveEmployee', employeeInput());
    await accountant.ok('salary.saveEmployee', employeeInput({ employeeNo: 'E002', name: '李四', baseSalary: '4000', rate: '0' }));
    const generated = await accountant.ok('salary.generateSheet', { month: MONTH });
    expect(generated).toMatchObject({ created: 2, totals: { netFen: 900_000 } });
    expect((await accountant.call('salary.submitSheet', { month: '2026-13' })).ok).toBe(false);
    const submitted = await accountant.ok('salary.submitSheet', { month: MONTH });
    expect(submitted.status).toBe('submitted');

    // Frozen while under review.
    const frozen = await accountant.call('salary.saveLine', { month: MONTH, employeeId: a.id, baseSalary: '1' });
    expect(frozen.ok || frozen.error.message).toBe('薪资表待审核，不能修改（驳回后才能修改）');
    // The accountant holds no salary:review; an administrator who filled a line is a maker too.
    expect((await accountant.call('salary.reviewSheet', { month: MONTH, decision: 'approve' })).ok).toBe(false);
    const noReason = await approver.call('salary.reviewSheet', { month: MONTH, decision: 'reject' });
    expect(noReason.ok || noReason.error.message).toBe('驳回薪资表请填写原因');
    const rejected = await approver.ok('salary.reviewSheet', { month: MONTH, decision: 'reject', comment: '张三工作量未填' });
    expect(rejected).toMatchObject({ status: 'rejected', reviewComment: '张三工作量未填', reviewedByName: 'approver 用户' });

    await admin.ok('salary.saveLine', { month: MONTH, employeeId: a.id, baseSalary: '5000', units: '10', rate: '35.5' });
    await admin.ok('salary.submitSheet', { month: MONTH });
    const self = await admin.call('salary.reviewSheet', { month: MONTH, decision: 'approve' });
    expect(self.ok || self.error.message).toBe('您填写或提交了这张薪资表，不能审核自己的薪资表，请由另一位财务人员审核');
    expect((await admin.ok('salary.sheet', { month: MONTH })).filledByYou).toBe(true);
    expect((await approver.ok('salary.sheet', { month: MONTH })).filledByYou).toBe(false);

    const approved = await approver.ok('salary.reviewSheet', { month: MONTH, decision: 'approve', comment: '核对无误' });
    expect(approved).toMatchObject({ status: 'approved', netFen: 935_500 });
    const again = await approver.call('salary.reviewSheet', { month: MONTH, decision: 'approve' });
    expect(again.ok || again.error.message).toBe('薪资表已审核，不在待审核状态');

    const s = await sheet();
    expect(s.history.map((h) => h.action)).toEqual([
      'salary.sheet.generate', 'salary.sheet.submit', 'salary.sheet.reject', 'salary.line.save', 'salary.sheet.submit', 'salary.sheet.approve',
    ]);
    expect(s.history.at(-1)).toMatchObject({ actorName: 'approver 用户' });
  });

  it('imports a sheet from Excel: errors listed by row and nothing saved; a valid file fills the sheet', async () => {
    const a = await accountant.ok('salary.saveEmployee', employeeInput());
    await accountant.ok('salary.saveEmployee', employeeInput({ employeeNo: 'E002', name: '李四' }));
    await accountant.ok('salary.saveEmployee', employeeInput({ employeeNo: 'E003', name: '王五', active: false }));
    await accountant.ok('salary.saveLine', { month: MONTH, employeeId: a.id, baseSalary: '1000' });

    const template = await accountant.ok('salary.sheetTemplate', { month: MONTH });
    expect(template.fileName).toBe('薪资表-2026-11.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(template.content, 'base64') as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().slice(2, 4).map((r) => (r as unknown[]).slice(1, 9));
    // This month's line for E001, the defaults for E002; E003 is not active.
    expect(rows).toEqual([['E001', '张三', '厨房', 1000, 0, 0, 0, 0], ['E002', '李四', '厨房', 5000, 0, 35.5, 0, 0]]);

    const bad = await accountant.ok('salary.importSheet', {
      month: MONTH, fileName: 'x.xlsx',
      content: await xlsx([
        ['E001', '张三', '', 6000, 10, 35.5, 200, 100, ''],
        ['E009', '赵六', '', 100, 0, 0, 0, 0, ''],
        ['E002', '李四四', '', 100, 0, 0, 0, 0, ''],
        ['E003', '王五', '', 100, 0, 0, 0, 0, ''],
        ['E001', '张三', '', 100, 0, 0, 0, 0, ''],
        ['', '', '', 100, 0, 0, 0, 0, ''],
      ]),
    });
    expect(bad.ok).toBe(false);
    expect(bad.errors).toEqual([
      { row: 3, employeeNo: 'E009', message: '工号 E009 不存在，请先在「员工」中登记' },
      { row: 4, employeeNo: 'E002', message: '姓名「李四四」与工号 E002 的员工「李四」不一致' },
      { row: 5, employeeNo: 'E003', message: '员工 王五 已停用，不能加入薪资表' },
      { row: 6, employeeNo: 'E001', message: '工号 E001 在第 2 行已出现，同一员工只能有一行' },
      { row: 7, employeeNo: '', message: '工号为空' },
    ]);
    const money = await accountant.ok('salary.importSheet', {
      month: MONTH, fileName: 'x.xlsx',
      content: await xlsx([['E001', '张三', '', 100, 0, 0, 0, 100.5, ''], ['E002', '李四', '', '5,000', 0, 0, 0, 0, ''], ['E002x', '李四', '', 1.234, 0, 0, 0, 0, '']]),
    });
    expect(money.errors.map((e) => e.message)).toEqual(['实发工资不能为负：应发 ¥100.00，扣款 ¥100.50', '基本工资：金额格式不正确，应为数字，例如 100.00', '工号 E002x 不存在，请先在「员工」中登记']);
    // Nothing was saved by either file.
    expect((await sheet()).lines.map((l) => [l.employeeNo, l.netFen])).toEqual([['E001', 100_000]]);

    const good = await accountant.ok('salary.importSheet', {
      month: MONTH, fileName: 'x.xlsx',
      content: await xlsx([['E001', '张三', '厨房', 6000, 10, 35.5, 200, 100, '夜班'], ['E002', '李四', '厨房', 5000.5, 2.125, '0.1234', 0, 0, '']]),
    });
    expect(good).toMatchObject({ ok: true, created: 1, updated: 1, errors: [] });
    const s = await sheet();
    expect(s.lines.map((l) => [l.employeeNo, l.workloadFen, l.netFen, l.remark])).toEqual([['E001', 35_500, 645_500, '夜班'], ['E002', 26, 500_076, '']]);
    expect(s.totals.netFen).toBe(645_500 + 500_076);

    const notXlsx = await accountant.ok('salary.importSheet', { month: MONTH, fileName: 'x.xlsx', content: Buffer.from('hello').toString('base64') });
    expect(notXlsx.errors).toEqual([{ row: 0, employeeNo: '', message: '无法读取文件：请上传由模板填写的 Excel 文件（.xlsx）' }]);
  });

  it('the pay day is a setting only administrators change; it is audited', async () => {
    const s = await accountant.ok('salary.schedule', {});
    expect(s).toMatchObject({ salary: { payDay: 10, payMonth: 'next', autoDraft: true }, supplierTerms: { autoDraft: true, leadDays: 0 }, version: null });
    expect((await accountant.call('salary.updateSchedule', { ...s, version: null })).ok).toBe(false);
    const bad = await admin.call('salary.updateSchedule', { salary: { payDay: 32, payMonth: 'next', autoDraft: true }, supplierTerms: s.supplierTerms, version: null });
    expect(bad.ok || bad.error.message).toBe('发薪日应为每月 1 至 31 日');
    await admin.ok('salary.updateSchedule', { salary: { payDay: 5, payMonth: 'same', autoDraft: false }, supplierTerms: { autoDraft: false, leadDays: 3 }, version: null });
    expect((await sheet()).payDate).toBe('2026-11-05');
    const log = await app.audit.list({ action: 'salary.schedule.update' }, 1, 10);
    expect(log.items).toHaveLength(1);
  });
});
