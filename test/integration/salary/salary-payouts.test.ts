import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../../src-main/app';
import { DAY_MS } from '../../../src-main/core/time';
import { ADMIN_PASSWORD, callers, type Caller } from '../../support/callers';
import { freshStore, STORE_KINDS, TEST_AUDIT_KEY, type TestStore } from '../../support/stores';
import { TestClock } from '../../support/test-clock';
import { FakeBatches } from './fake-batches';
import { employeeInput } from './salary-fixtures';

// 2026-11-09 10:00 Asia/Shanghai: the day before the October salary's pay day (次月 10 日).
const BEFORE_PAY_DAY = Date.UTC(2026, 10, 9, 2, 0, 0);
const MONTH = '2026-10';

describe.each(STORE_KINDS)('salary batches and payouts on %s', (kind) => {
  let store: TestStore;
  let clock: TestClock;
  let app: App;
  let fake: FakeBatches;
  let accountant: Caller;
  let approver: Caller;
  let admin: Caller;
  let relogin: () => Promise<void>;
  const others: App[] = [];

  beforeEach(async () => {
    store = await freshStore(kind, { sqliteFile: true });
    clock = new TestClock(BEFORE_PAY_DAY);
    app = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, clock, workerId: 'one' });
    fake = new FakeBatches(app);
    app.salary.useBatches(fake);
    const c = await callers(app);
    admin = c.admin;
    accountant = await c.as('accountant', 'acc1');
    approver = await c.as('approver', 'appr1');
    // Sessions lapse when the test clock moves a day: log in again as the same people.
    relogin = async () => {
      for (const [name, set] of [['acc1', (x: Caller) => (accountant = x)], ['appr1', (x: Caller) => (approver = x)], ['admin', (x: Caller) => (admin = x)]] as const) {
        const x = c.fresh();
        await x.ok('auth.login', { username: name, password: ADMIN_PASSWORD });
        set(x);
      }
    };
  });
  afterEach(async () => {
    for (const o of others.splice(0)) await o.close();
    await app.close();
    await store.drop();
  });

  /** Three employees (one paid nothing this month), the October sheet filled by the accountant and approved by the approver. */
  async function reviewedSheet() {
    const a = await accountant.ok('salary.saveEmployee', employeeInput());
    const b = await accountant.ok('salary.saveEmployee', employeeInput({ employeeNo: 'E002', name: '李四', payeeChannel: 'wechat', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', bankName: '', phone: '' }));
    const z = await accountant.ok('salary.saveEmployee', employeeInput({ employeeNo: 'E003', name: '王五', phone: '' }));
    await accountant.ok('salary.saveLine', { month: MONTH, employeeId: a.id, baseSalary: '5000', units: '12.5', rate: '35.5', allowance: '300', deduction: '612.34' });
    await accountant.ok('salary.saveLine', { month: MONTH, employeeId: b.id, baseSalary: '4200' });
    await accountant.ok('salary.saveLine', { month: MONTH, employeeId: z.id, baseSalary: '0' });
    await accountant.ok('salary.submitSheet', { month: MONTH });
    await approver.ok('salary.reviewSheet', { month: MONTH, decision: 'approve' });
    return { a, b, z };
  }
  const sheet = () => accountant.ok('salary.sheet', { month: MONTH });

  it('the pay-day job drafts the reviewed sheet exactly once, on its pay day, even with two instances running it at the same moment', async () => {
    const { a, b } = await reviewedSheet();
    expect(await app.salary.payouts.runPayDay()).toEqual([]);
    expect(fake.drafts).toHaveLength(0);

    clock.advance(DAY_MS); // 2026-11-10
    await relogin();
    // A second server instance on the same database (MySQL); on the embedded store the same app twice at once.
    let second = app;
    let secondFake = fake;
    if (kind === 'mysql') {
      second = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, clock, workerId: 'two' });
      others.push(second);
      secondFake = new FakeBatches(second);
      second.salary.useBatches(secondFake);
    }
    const runs = await Promise.all([app.salary.payouts.runPayDay(), second.salary.payouts.runPayDay(), app.salary.payouts.runPayDay()]);
    expect(runs.flat()).toEqual([MONTH]);
    const drafts = kind === 'mysql' ? [...fake.drafts, ...secondFake.drafts] : fake.drafts;
    expect(drafts).toHaveLength(1);
    const d = drafts[0]!;
    expect(d.actor.name).toBe('系统');
    // Drafted by the job, it goes to the approvers at once (it "waits for approval").
    expect(d.input).toMatchObject({ type: 'salary', title: '2026-10 员工工资', sourceKind: 'salary_sheet', sourceRef: MONTH, submit: true });
    expect(d.input.description).toBe('2 人，实发合计 ¥9,331.41（薪资表 2026-10，approver 用户 审核）');
    expect(d.input.lines).toEqual([
      { payeeName: '张三', channel: 'bank', account: '6222021234567890123', bankName: '中国工商银行', amountFen: 513_141, remark: '2026-10 工资 E001', employeeId: a.id, contactPhone: '13812345678' },
      { payeeName: '李四', channel: 'wechat', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', bankName: undefined, amountFen: 420_000, remark: '2026-10 工资 E002', employeeId: b.id, contactPhone: undefined },
    ]);

    const s = await sheet();
    expect(s).toMatchObject({ status: 'batch_drafted', statusLabel: '已生成批量', sheet: { batchNo: d.batchNo, autoDrafted: true, batchDraftedByName: '系统' } });
    expect(s.lines.map((l) => [l.employeeNo, l.payoutStatus, l.batchNo])).toEqual([['E001', 'in_batch', d.batchNo], ['E002', 'in_batch', d.batchNo], ['E003', 'skipped', null]]);
    // Later ticks and a person clicking find it drafted.
    expect(await app.salary.payouts.runPayDay()).toEqual([]);
    const twice = await accountant.call('salary.draftBatch', { month: MONTH });
    expect(twice.ok || twice.error.message).toBe('薪资表已生成批量，不能重复生成批量付款');
  });

  it('a batch is drafted by hand only from a reviewed sheet, and a failing batch engine leaves the sheet as it was', async () => {
    const e = await accountant.ok('salary.saveEmployee', employeeInput());
    await accountant.ok('salary.saveLine', { month: MONTH, employeeId: e.id, baseSalary: '3000' });
    const early = await accountant.call('salary.draftBatch', { month: MONTH });
    expect(early.ok || early.error.message).toBe('薪资表草稿，审核通过后才能生成批量付款');
    await accountant.ok('salary.submitSheet', { month: MONTH });
    await approver.ok('salary.reviewSheet', { month: MONTH, decision: 'approve' });
    fake.failNext = true;
    expect((await accountant.call('salary.draftBatch', { month: MONTH })).ok).toBe(false);
    expect((await sheet()).status).toBe('approved');
    expect((await sheet()).lines[0]!.payoutStatus).toBe('unpaid');
    const r = await accountant.ok('salary.draftBatch', { month: MONTH });
    expect(r).toMatchObject({ month: MONTH, lineCount: 1, amountFen: 300_000, batchNo: fake.drafts[0]!.batchNo });
    expect((await sheet()).sheet?.autoDrafted).toBe(false);
  });

  it('settled items move the lines to 已发放 / 发放失败, write the 工资条 once, and the sheet follows to 部分失败 and 已发放', async () => {
    const { a, b } = await reviewedSheet();
    const first = await accountant.ok('salary.draftBatch', { month: MONTH });
    const [ia, ib] = fake.items(first.batchId);

    await fake.settle(ia!, 'success');
    await fake.settle(ia!, 'success'); // a replayed notification
    await fake.settle(ia!, 'failed', '迟到的失败'); // a reordered older answer: paid stays paid
    await fake.settle(ib!, 'failed', '收款人姓名不符');
    let s = await sheet();
    expect(s.status).toBe('partially_failed');
    expect(s.lines.map((l) => [l.employeeNo, l.payoutStatus, l.failReason])).toEqual([['E001', 'paid', null], ['E002', 'failed', '收款人姓名不符'], ['E003', 'skipped', null]]);
    expect(s.sheet?.payoutCounts).toEqual({ unpaid: 0, skipped: 1, in_batch: 0, paid: 1, failed: 1, cancelled: 0 });

    // One 工资条 for 张三 (SMS to the masked phone); 李四 has no phone: by WeChat to the openid once paid.
    const sent = await admin.ok('notifications.list', {});
    const slips = sent.items.filter((n) => n.templateCode === 'salary_payslip');
    expect(slips).toHaveLength(1);
    expect(slips[0]).toMatchObject({ channel: 'sms', recipient: '138****5678', templateLabel: '工资条' });
    expect(slips[0]!.content).toContain('张三，您 2026-10 的工资已于 2026-11-09 10:00:00 通过银行转账发放至 622202*********0123：应发 5743.75 元');
    expect(slips[0]!.content).toContain('实发 5131.41 元');

    // Finance fixed 李四's payee and the item was re-sent through the batch: it succeeds.
    await fake.settle(ib!, 'success');
    s = await sheet();
    expect(s.status).toBe('paid');
    expect(s.statusLabel).toBe('已发放');
    const slip = await accountant.ok('salary.payslip', { employeeId: b.id, month: MONTH });
    expect(slip).toMatchObject({ payoutStatusLabel: '已发放', sheetStatusLabel: '已发放', notification: { channelLabel: '微信模板消息', statusLabel: '待发送' } });
    expect(slip.line).toMatchObject({ netFen: 420_000, accountMasked: 'oUp*********************eS6o' });
    const months = await accountant.ok('salary.payslips', { employeeId: a.id });
    expect(months.months).toEqual([{ month: MONTH, grossFen: 574_375, deductionFen: 61_234, netFen: 513_141, payoutStatus: 'paid', payoutStatusLabel: '已发放', paidAt: clock.t }]);
    const none = await accountant.call('salary.payslip', { employeeId: a.id, month: '2026-09' });
    expect(none.ok || none.error.message).toBe('张三 在 2026-09 没有薪资记录');

    const history = s.history.filter((h) => h.action === 'salary.line.payout');
    expect(history).toHaveLength(3);
  });

  it('a cancelled batch puts the sheet back to 已审核; it is drafted again by hand, never again by the job', async () => {
    await reviewedSheet();
    clock.advance(DAY_MS);
    await relogin();
    await app.salary.payouts.runPayDay();
    const [ia, ib] = fake.items(fake.drafts[0]!.batchId);
    await fake.settle(ia!, 'cancelled', null);
    expect((await sheet()).status).toBe('batch_drafted');
    await fake.settle(ib!, 'cancelled', null);
    let s = await sheet();
    expect(s.status).toBe('approved');
    expect(s.lines.map((l) => [l.payoutStatus, l.failReason])).toEqual([['cancelled', '批量付款已取消'], ['cancelled', '批量付款已取消'], ['skipped', null]]);
    expect(await app.salary.payouts.runPayDay()).toEqual([]);

    const again = await accountant.ok('salary.draftBatch', { month: MONTH });
    expect(fake.drafts).toHaveLength(2);
    expect(fake.drafts[1]!.input.lines).toHaveLength(2);
    // A late answer about the first batch's item changes nothing now.
    await fake.settle(ia!, 'success');
    s = await sheet();
    expect(s.lines.map((l) => [l.payoutStatus, l.batchNo])).toEqual([['in_batch', again.batchNo], ['in_batch', again.batchNo], ['skipped', null]]);
  });
});
