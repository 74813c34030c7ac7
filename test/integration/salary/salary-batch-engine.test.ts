import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shanghaiDate, DAY_MS } from '../../../src-main/core/time';
import { batchRig, BANK, OPENID, type BatchRig } from '../../support/batch-rig';
import { STORE_KINDS } from '../../support/stores';

const MONTH = '2026-10';

/**
 * The salary sheet and the supplier terms through the real batch engine on the three simulators:
 * drafted by our services inside their transactions, submitted and approved like any batch, paid
 * item by item — and the settlements come back to the sheet's lines (工资条 written) and the payables.
 */
describe.each(STORE_KINDS)('salary and supplier-terms batches through the batch engine on %s', (kind) => {
  let rig: BatchRig;
  beforeEach(async () => {
    rig = await batchRig(kind);
  });
  afterEach(() => rig.close());

  it('a reviewed sheet becomes a salary batch; once paid, every line is 已发放, the sheet 已发放, and each employee has a 工资条', async () => {
    const { app, maker, approver } = rig;
    const base = { department: '厨房', bankName: '中国工商银行', baseFen: 0, rateCfen: 0, active: true };
    const a = await app.salary.employees.create(maker, { ...base, employeeNo: 'E001', name: '张三', payeeChannel: 'bank', account: BANK, phone: '13812345678' });
    const b = await app.salary.employees.create(maker, { ...base, employeeNo: 'E002', name: '李四', payeeChannel: 'wechat', account: OPENID, bankName: '', phone: '' });
    await app.salary.sheets.saveLine(maker, { month: MONTH, employeeId: a.id, baseFen: 500_000, unitsMilli: 12_500, rateCfen: 355_000, allowanceFen: 30_000, deductionFen: 61_234, remark: '' });
    await app.salary.sheets.saveLine(maker, { month: MONTH, employeeId: b.id, baseFen: 420_000, unitsMilli: 0, rateCfen: 0, allowanceFen: 0, deductionFen: 0, remark: '' });
    await app.salary.sheets.submit(maker, MONTH);
    await expect(app.salary.sheets.review(maker, MONTH, 'approve', '')).rejects.toThrow('不能审核自己的薪资表');
    await app.salary.sheets.review(approver, MONTH, 'approve', '');

    const drafted = await app.salary.payouts.draftBatch(maker, MONTH);
    const detail = await app.batches.get(drafted.batchNo);
    expect(detail.batch).toMatchObject({ type: 'salary', sourceKind: 'salary_sheet', sourceRef: MONTH, totalCount: 2, totalFen: 513_141 + 420_000, status: 'draft' });

    await app.batches.submit(maker, drafted.batchNo);
    await rig.approve(drafted.batchNo);
    await rig.settle();
    expect((await app.batches.get(drafted.batchNo)).batch.status).toBe('completed');

    const sheet = await app.salary.sheets.sheet(MONTH, maker);
    expect(sheet.status).toBe('paid');
    expect(sheet.lines.map((l) => [l.employeeNo, l.payoutStatus, l.batchNo, typeof l.batchItemId])).toEqual([['E001', 'paid', drafted.batchNo, 'number'], ['E002', 'paid', drafted.batchNo, 'number']]);
    const slips = (await app.notifications.list({}, 1, 50)).items.filter((n) => n.templateCode === 'salary_payslip');
    expect(slips.map((n) => [n.channel, n.recipient]).sort()).toEqual([['sms', '138****5678'], ['wechat_template', 'oU***6o']]);
    const slip = await app.salary.payslips.payslip(a.id, MONTH);
    expect(slip).toMatchObject({ payoutStatusLabel: '已发放', notification: { channelLabel: '短信' } });
    expect(slip.notification?.content).toContain('实发 5131.41 元');
    expect((await app.audit.verify()).ok).toBe(true);
  });

  it('payables falling due are paid by a supplier batch and their reservations settle with its items', async () => {
    const { app, maker } = rig;
    const today = shanghaiDate(app.clock.now());
    const invoiced = shanghaiDate(app.clock.now() - 40 * DAY_MS);
    const s = await app.suppliers.create(maker, {
      name: '鲜丰食材有限公司', payeeChannel: 'bank', bankName: '中国工商银行', bankBranch: '西湖支行', accountNo: BANK, accountName: '鲜丰食材有限公司', wechatOpenId: '', alipayLogin: '',
      contactPhone: '13812345678', paymentTermDays: 30, active: true,
    });
    const p1 = await app.suppliers.createPayable(maker, { supplierId: s.id, referenceNo: 'INV-1', description: '蔬菜', amountFen: 300_000, invoiceDate: invoiced });
    const p2 = await app.suppliers.createPayable(maker, { supplierId: s.id, referenceNo: 'INV-2', description: '肉类', amountFen: 123_456, invoiceDate: invoiced });
    const r = await app.salary.supplierTerms.draftNow(maker);
    expect(r).toMatchObject({ runDate: today, supplierCount: 1, payableCount: 2, amountFen: 423_456 });
    await app.batches.submit(maker, r.batchNo);
    await rig.approve(r.batchNo);
    await rig.settle();
    for (const id of [p1.id, p2.id]) expect((await app.suppliers.getPayable(id)).payable).toMatchObject({ status: 'paid', reservedFen: 0, openFen: 0 });
    const items = (await app.batches.items(r.batchNo, {}, 1, 10)).items;
    expect(items.map((i) => [i.status, i.amountFen])).toEqual([['success', 423_456]]);
  });
});
