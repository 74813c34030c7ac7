import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelInput } from '../../../src-main/api/contract';
import { shanghaiDate } from '../../../src-main/core/time';
import { callers, type Caller } from '../../support/callers';
import { paymentRig, type PaymentRig } from '../../support/payment-rig';
import { STORE_KINDS } from '../../support/stores';

const BANK_ACCOUNT = '6222021234567890123';

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(STORE_KINDS)('supplier payments on %s', (kind) => {
  let rig: PaymentRig;
  let admin: Caller;
  let accountant: Caller;
  let cashier: Caller;
  let as: Awaited<ReturnType<typeof callers>>['as'];

  beforeEach(async () => {
    rig = await paymentRig(kind);
    const c = await callers(rig.app);
    admin = c.admin;
    as = c.as;
    accountant = await c.as('accountant', 'acc1');
    cashier = await c.as('cashier', 'cash1');
  });
  afterEach(() => rig.close());

  const today = () => shanghaiDate(rig.app.clock.now());
  const supplier = (over: Partial<ChannelInput<'suppliers.create'>> = {}) =>
    admin.ok('suppliers.create', {
      name: '鲜丰食材有限公司', payeeChannel: 'bank', bankName: '中国工商银行', bankBranch: '杭州西湖支行', accountNo: BANK_ACCOUNT,
      accountName: '鲜丰食材有限公司', contactPhone: '13812345678', paymentTermDays: 30, ...over,
    });
  const payable = (supplierId: number, referenceNo: string, amount: string) =>
    admin.ok('payables.create', { supplierId, referenceNo, description: '蔬菜货款', amount, invoiceDate: today() });
  const approveAll = async (paymentNo: string, by: Caller = accountant) => {
    const list = await by.ok('approvals.list', { scope: 'todo', businessType: 'supplier_payment' });
    const req = list.items.find((r) => r.subjectId === paymentNo);
    if (!req) throw new Error(`no approval for ${paymentNo}`);
    await by.ok('approvals.decide', { id: req.id, level: req.currentLevel ?? 1, decision: 'approve' });
  };
  const detail = (paymentNo: string) => admin.ok('supplierpayments.get', { paymentNo });

  it('suppliers are listed with masked accounts; the full account needs sensitive:unmask and each reveal is audited without the value', async () => {
    const s = await supplier();
    expect(s.accountNoMasked).toBe('622202*********0123');
    expect(s.contactPhoneMasked).toBe('138****5678');
    const listed = await cashier.ok('suppliers.list', {});
    expect(JSON.stringify(listed)).not.toContain(BANK_ACCOUNT);
    expect(JSON.stringify(await admin.ok('suppliers.get', { id: s.id }))).not.toContain(BANK_ACCOUNT);

    // The one generic reveal: the supplier's fields are in the sensitive-field registry.
    const reveal = (field: string) => ({ entityType: 'supplier' as const, entityId: String(s.id), field });
    const refused = await cashier.call('sensitive.reveal', reveal('accountNo'));
    expect(refused.ok).toBe(false);
    expect(await admin.ok('sensitive.reveal', reveal('accountNo'))).toEqual({ value: BANK_ACCOUNT });
    expect(await admin.ok('sensitive.reveal', reveal('contactPhone'))).toEqual({ value: '13812345678' });
    // Not a sensitive field of a supplier, and no such supplier: refused, nothing audited.
    expect((await admin.call('sensitive.reveal', reveal('name'))).ok).toBe(false);
    expect((await admin.call('sensitive.reveal', { ...reveal('accountNo'), entityId: '999999' })).ok).toBe(false);
    expect((await admin.call('sensitive.reveal', { ...reveal('accountNo'), entityId: 'abc' })).ok).toBe(false);

    // An update that leaves the account out keeps it.
    await admin.ok('suppliers.update', { id: s.id, version: s.version, name: s.name, payeeChannel: 'bank', bankName: '中国工商银行', bankBranch: '杭州分行', accountName: s.accountName, paymentTermDays: 45, active: true });
    expect(await admin.ok('sensitive.reveal', reveal('accountNo'))).toEqual({ value: BANK_ACCOUNT });

    const history = await rig.app.store.read((tx) => tx.audit.forEntity('supplier', String(s.id)));
    const reveals = history.filter((h) => h.action === 'sensitive.reveal');
    expect(reveals).toHaveLength(3);
    expect(reveals.map((r) => JSON.parse(r.after ?? '{}').field)).toEqual(['accountNo', 'contactPhone', 'accountNo']);
    for (const h of history) expect(`${h.before}${h.after}`).not.toContain(BANK_ACCOUNT);
    expect(history.map((h) => h.action)).toContain('supplier.update');

    // Payee data is checked: a bank account must be digits.
    const bad = await admin.call('suppliers.create', { name: '另一家', payeeChannel: 'bank', bankName: '农行', accountNo: '12ab', accountName: '另一家', paymentTermDays: 10 });
    expect(bad.ok || bad.error.message).toBe('银行账号应为 8 至 32 位数字');
  });

  it('a 付款单 cannot pay more than is open; submitting reserves, the amount is frozen under approval, withdraw and reject give it back', async () => {
    const s = await supplier();
    const a = await payable(s.id, 'INV-001', '3000');
    const b = await payable(s.id, 'INV-002', '2000');
    expect(a.dueDate > today()).toBe(true);

    const over = await admin.call('supplierpayments.create', { supplierId: s.id, allocations: [{ payableId: a.id, amount: '3000.01' }], purpose: '货款' });
    expect(over.ok || over.error.code).toBe('PAYMENT_EXCEEDS_OPEN');

    const p1 = await admin.ok('supplierpayments.create', { supplierId: s.id, allocations: [{ payableId: a.id, amount: '3000' }, { payableId: b.id, amount: '1000' }], purpose: '11月蔬菜货款' });
    expect(p1).toMatchObject({ status: 'draft', amountFen: 400_000, paymentNo: expect.stringMatching(/^S\d{20}$/) });
    const p2 = await admin.ok('supplierpayments.create', { supplierId: s.id, allocations: [{ payableId: a.id, amount: '100' }], purpose: '重复的付款' });

    await admin.ok('supplierpayments.submit', { paymentNo: p1.paymentNo });
    const reserved = await admin.ok('payables.get', { id: a.id });
    expect(reserved.payable).toMatchObject({ status: 'in_payment', reservedFen: 300_000, openFen: 0 });
    // The second draft now asks for money that is held by the first.
    const second = await admin.call('supplierpayments.submit', { paymentNo: p2.paymentNo });
    expect(second.ok || second.error.code).toBe('PAYMENT_EXCEEDS_OPEN');

    const current = (await detail(p1.paymentNo)).payment;
    const frozen = await admin.call('supplierpayments.update', { paymentNo: p1.paymentNo, version: current.version, allocations: [{ payableId: a.id, amount: '10' }], purpose: '改金额' });
    expect(frozen.ok || frozen.error.code).toBe('APPROVAL_FROZEN');

    // The maker cannot approve their own 付款单.
    const own = await admin.ok('approvals.list', { scope: 'todo', businessType: 'supplier_payment' });
    expect(own.items.find((r) => r.subjectId === p1.paymentNo)).toBeUndefined();

    const withdrawn = await admin.ok('supplierpayments.withdraw', { paymentNo: p1.paymentNo });
    expect(withdrawn.status).toBe('draft');
    expect((await admin.ok('payables.get', { id: a.id })).payable).toMatchObject({ status: 'open', reservedFen: 0 });

    await admin.ok('supplierpayments.submit', { paymentNo: p1.paymentNo });
    const list = await accountant.ok('approvals.list', { scope: 'todo', businessType: 'supplier_payment' });
    const req = list.items.find((r) => r.subjectId === p1.paymentNo)!;
    expect(req.summary?.fields).toEqual(expect.arrayContaining([{ label: '收款账号', value: '622202*********0123' }]));
    await accountant.ok('approvals.decide', { id: req.id, level: 1, decision: 'reject', reason: '发票未到' });
    expect((await detail(p1.paymentNo)).payment).toMatchObject({ status: 'rejected', failReason: '审批驳回：发票未到' });
    expect((await admin.ok('payables.get', { id: a.id })).payable).toMatchObject({ status: 'open', reservedFen: 0 });
    // A rejected 付款单 may be corrected and submitted again.
    const fixed = await admin.ok('supplierpayments.update', { paymentNo: p1.paymentNo, version: (await detail(p1.paymentNo)).payment.version, allocations: [{ payableId: a.id, amount: '2500' }], purpose: '11月蔬菜货款' });
    expect(fixed.amountFen).toBe(250_000);
  });

  it('approved → executed by Alipay transfer: payables paid, voucher issued with 大写金额 and the approvals, the supplier told', async () => {
    const s = await supplier({ name: '云海餐具', payeeChannel: 'alipay', bankName: '', accountNo: '', alipayLogin: 'finance@yunhai.example', accountName: '云海餐具有限公司' });
    const a = await payable(s.id, 'YH-7', '12345.60');
    const p = await admin.ok('supplierpayments.create', { supplierId: s.id, allocations: [{ payableId: a.id, amount: '12345.60' }], purpose: '餐具采购款' });
    await admin.ok('supplierpayments.submit', { paymentNo: p.paymentNo });
    const execBefore = await admin.call('supplierpayments.execute', { paymentNo: p.paymentNo });
    expect(execBefore.ok || execBefore.error.code).toBe('PAYMENT_NOT_EXECUTABLE');

    // ¥12,345.60 > ¥10,000: two levels, 会计 then 审批人, two different people.
    await approveAll(p.paymentNo);
    expect((await detail(p.paymentNo)).payment.status).toBe('pending_approval');
    await approveAll(p.paymentNo, await as('approver', 'appr1'));
    expect((await detail(p.paymentNo)).payment.status).toBe('approved');

    // Cashiers may not send money.
    expect((await cashier.call('supplierpayments.execute', { paymentNo: p.paymentNo })).ok).toBe(false);
    const done = await admin.ok('supplierpayments.execute', { paymentNo: p.paymentNo });
    expect(done).toMatchObject({ status: 'success', transferNo: `${p.paymentNo}T1`, voucherNo: expect.stringMatching(/^FK\d{4}-\d{6}$/) });
    expect(done.platformTransferNo).toBeTruthy();
    expect(rig.sandbox.simulator.get('alipay').ledger.transfers.get(`${p.paymentNo}T1`)).toMatchObject({ amountFen: 1_234_560, account: 'finance@yunhai.example' });

    expect((await admin.ok('payables.get', { id: a.id })).payable).toMatchObject({ status: 'paid', paidFen: 1_234_560, reservedFen: 0, openFen: 0 });
    const v = await cashier.ok('vouchers.get', { voucherNo: done.voucherNo! });
    expect(v).toMatchObject({
      kind: 'supplier_payment', subjectId: p.paymentNo, payeeName: '云海餐具有限公司', payeeAccountMasked: 'f******@yunhai.example', amountFen: 1_234_560,
      amountInCapitals: '壹万贰仟叁佰肆拾伍元陆角整', purpose: '餐具采购款', requesterName: '系统管理员',
    });
    expect(v.approvals.map((x) => [x.level, x.approverName, x.roleName, x.decision])).toEqual([
      [1, 'accountant 用户', '会计', '同意'],
      [2, 'approver 用户', '审批人', '同意'],
    ]);
    expect(JSON.stringify(v)).not.toContain('finance@yunhai.example');
    expect((await admin.ok('vouchers.list', {})).items.map((x) => x.voucherNo)).toEqual([done.voucherNo]);

    const outbox = await rig.app.store.read((tx) => tx.outbox.list({}, 1, 50));
    const sms = outbox.items.filter((i) => i.templateCode === 'supplier_payment_success');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', recipient: '13812345678' });
    expect(sms[0]!.params).toMatchObject({ paymentNo: p.paymentNo, amount: '12345.60' });
  });

  it('a transfer whose answer is lost is queried, never sent twice; a request that failed before the platform acted is resent with the same number', async () => {
    const s = await supplier({ name: '云海餐具', payeeChannel: 'alipay', bankName: '', accountNo: '', alipayLogin: 'pay@yunhai.example', accountName: '云海餐具有限公司' });
    const a = await payable(s.id, 'YH-8', '800');
    const b = await payable(s.id, 'YH-9', '600');
    const alipay = rig.sandbox.simulator.get('alipay');

    const p = await admin.ok('supplierpayments.create', { supplierId: s.id, allocations: [{ payableId: a.id, amount: '800' }], purpose: '货款' });
    await admin.ok('supplierpayments.submit', { paymentNo: p.paymentNo });
    await approveAll(p.paymentNo);
    // The platform acts, but its answer cannot be trusted (as good as lost): the outcome is unknown.
    rig.sandbox.simulator.inject('alipay', { kind: 'bad_response_signature', operation: 'transfer' });
    const unknown = await admin.ok('supplierpayments.execute', { paymentNo: p.paymentNo });
    expect(unknown).toMatchObject({ status: 'processing', transferState: 'unknown', transferNo: `${p.paymentNo}T1` });
    expect(alipay.ledger.transfers.has(`${p.paymentNo}T1`)).toBe(true);
    const synced = await admin.ok('supplierpayments.sync', { paymentNo: p.paymentNo });
    expect(synced).toMatchObject({ status: 'success', transferNo: `${p.paymentNo}T1` });
    expect([...alipay.ledger.transfers.keys()].filter((k) => k.startsWith(p.paymentNo))).toEqual([`${p.paymentNo}T1`]);
    // A duplicate run changes nothing.
    expect((await admin.call('supplierpayments.execute', { paymentNo: p.paymentNo })).ok).toBe(false);
    expect(await rig.app.supplierPayments.runDue()).toBe(0);

    const q = await admin.ok('supplierpayments.create', { supplierId: s.id, allocations: [{ payableId: b.id, amount: '600' }], purpose: '货款' });
    await admin.ok('supplierpayments.submit', { paymentNo: q.paymentNo });
    await approveAll(q.paymentNo);
    // HTTP 500 before the platform acted: also unknown to us.
    rig.sandbox.simulator.inject('alipay', { kind: 'server_error', operation: 'transfer' });
    expect(await admin.ok('supplierpayments.execute', { paymentNo: q.paymentNo })).toMatchObject({ status: 'processing', transferState: 'unknown' });
    expect(alipay.ledger.transfers.has(`${q.paymentNo}T1`)).toBe(false);
    // The query finds nothing, so the same number is sent again.
    expect(await admin.ok('supplierpayments.sync', { paymentNo: q.paymentNo })).toMatchObject({ status: 'success', transferNo: `${q.paymentNo}T1` });
    expect(alipay.ledger.transfers.get(`${q.paymentNo}T1`)).toMatchObject({ amountFen: 60_000 });
    const vouchers = (await admin.ok('vouchers.list', {})).items.map((v) => v.voucherNo).sort();
    expect(vouchers).toHaveLength(2);
    const [first, second] = vouchers.map((v) => Number(v.slice(-6)));
    expect(second).toBe(first! + 1);
  });

  it('bank transfer: the result arrives by notification; a wrong account is a failure that cannot be retried, and voiding gives the payables back', async () => {
    const s = await supplier();
    const a = await payable(s.id, 'INV-100', '1500');
    const p = await admin.ok('supplierpayments.create', { supplierId: s.id, allocations: [{ payableId: a.id, amount: '1500' }], purpose: '货款' });
    await admin.ok('supplierpayments.submit', { paymentNo: p.paymentNo });
    await approveAll(p.paymentNo);
    // The bank accepts at once and notifies right after: the notification may be applied before execute answers.
    const sent = await admin.ok('supplierpayments.execute', { paymentNo: p.paymentNo });
    expect(['processing', 'success']).toContain(sent.status);
    const paid = await until(() => detail(p.paymentNo), (d) => d.payment.status === 'success');
    expect(paid.payment).toMatchObject({ status: 'success', voucherNo: expect.stringMatching(/^FK/) });
    expect(paid.allocations[0]).toMatchObject({ payableStatus: 'paid' });
    const inbox = await rig.app.store.read((tx) => tx.inbox.forRef(`${p.paymentNo}T1`));
    expect(inbox.map((i) => i.status)).toContain('applied');

    const wrong = await supplier({ name: '错账户供应商', accountNo: '6222020000000000000', accountName: '错账户供应商', contactPhone: '' });
    const w = await payable(wrong.id, 'W-1', '99');
    const q = await admin.ok('supplierpayments.create', { supplierId: wrong.id, allocations: [{ payableId: w.id, amount: '99' }], purpose: '货款' });
    await admin.ok('supplierpayments.submit', { paymentNo: q.paymentNo });
    await approveAll(q.paymentNo);
    await admin.ok('supplierpayments.execute', { paymentNo: q.paymentNo });
    // The failure notification does not say whether it can be retried: the payment waits for a query.
    await until(() => detail(q.paymentNo), (d) => d.payment.failReason !== null);
    const failed = await admin.ok('supplierpayments.sync', { paymentNo: q.paymentNo });
    expect(failed).toMatchObject({ status: 'failed', retryable: false });
    expect(failed.failReason).toBeTruthy();
    const retry = await admin.call('supplierpayments.retry', { paymentNo: q.paymentNo });
    expect(retry.ok || retry.error.code).toBe('PAYMENT_NOT_RETRYABLE');
    expect((await admin.ok('payables.get', { id: w.id })).payable.status).toBe('in_payment');
    expect(await admin.ok('supplierpayments.cancel', { paymentNo: q.paymentNo })).toMatchObject({ status: 'cancelled' });
    expect((await admin.ok('payables.get', { id: w.id })).payable).toMatchObject({ status: 'open', reservedFen: 0, paidFen: 0 });
    expect((await admin.ok('vouchers.list', {})).total).toBe(1);
  });

  it('a retryable bank failure is retried under a new transfer number; the old attempt\'s late news changes nothing', async () => {
    const s = await supplier({ accountNo: '6222021234565030', contactPhone: '' });
    const a = await payable(s.id, 'R-1', '50');
    const p = await admin.ok('supplierpayments.create', { supplierId: s.id, allocations: [{ payableId: a.id, amount: '50' }], purpose: '货款' });
    await admin.ok('supplierpayments.submit', { paymentNo: p.paymentNo });
    await approveAll(p.paymentNo);
    await admin.ok('supplierpayments.execute', { paymentNo: p.paymentNo });
    await until(() => detail(p.paymentNo), (d) => d.payment.failReason !== null);
    expect(await admin.ok('supplierpayments.sync', { paymentNo: p.paymentNo })).toMatchObject({ status: 'failed', retryable: true });
    const again = await admin.ok('supplierpayments.retry', { paymentNo: p.paymentNo });
    expect(again).toMatchObject({ status: 'processing', transferNo: `${p.paymentNo}T2`, attempt: 2 });
    const old = await rig.app.store.transaction((tx) =>
      rig.app.supplierPayments.transferHandler(tx, 'bank', { kind: 'transfer', transferNo: `${p.paymentNo}T1`, state: 'success', amountFen: 5_000 }, 'test'),
    );
    expect(old.kind).toBe('ignored');
    expect((await detail(p.paymentNo)).payment.status).toBe('processing');
  });
});
