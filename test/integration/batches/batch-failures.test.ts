import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_FIELD_LABELS } from '../../../src-main/core/audit/audit-vocabulary';
import { itemRefOf } from '../../../src-main/core/batches/batch-state';
import { HOUR_MS } from '../../../src-main/core/time';
import type { BankPlatform } from '../../../src-main/gateways/simulator/bank-platform';
import type { WechatPlatform } from '../../../src-main/gateways/simulator/wechat-platform';
import type { SettledBatchItem } from '../../../src-main/services/batches/batch-ports';
import { ALIPAY, BANK, batchRig, OPENID, type BatchRig, type BatchRigOptions } from '../../support/batch-rig';
import { STORE_KINDS } from '../../support/stores';
import { TestClock } from '../../support/test-clock';

describe.each(STORE_KINDS)('batch payouts on %s: retries, unknown outcomes, WeChat confirmation, failures', (kind) => {
  let rig: BatchRig;
  const open = async (opts: BatchRigOptions = {}) => (rig = await batchRig(kind, opts));
  afterEach(() => rig?.close());

  const itemsOf = async (batchNo: string) => (await rig.app.batches.items(batchNo, {}, 1, 100)).items;
  const historyOf = async (itemId: number) => (await rig.app.batches.item(itemId)).history;

  it('a busy platform is asked again with the SAME request id (queried first), and pays once', async () => {
    await open();
    rig.sandbox.simulator.inject('wechat', { kind: 'server_error', operation: 'transfer' });
    (rig.sandbox.simulator.get('bank') as BankPlatform).rejectNext('transfer', 'SYSTEM_BUSY');
    const batchNo = await rig.submitted([
      { payeeName: '李四', channel: 'wechat', account: OPENID, amountFen: 8_800 },
      { payeeName: '张三', channel: 'bank', account: BANK, bankName: '工商银行', amountFen: 9_900 },
    ]);
    await rig.approve(batchNo);
    await rig.app.batches.runDue();
    const first = await itemsOf(batchNo);
    for (const i of first) expect(i).toMatchObject({ status: 'sending', tries: 2, transferNo: `${i.itemRef}T1` });
    expect(first[0]!.failReason).toMatch(/500（结果未知/);
    expect(first[1]!.failReason).toMatch(/SYSTEM_BUSY/);
    await rig.settle();
    for (const i of await itemsOf(batchNo)) expect(i).toMatchObject({ status: 'success', attempt: 1, transferNo: `${i.itemRef}T1` });
    expect([...rig.ledgerByItem().values()].map((ts) => ts.map((t) => t.transferNo.slice(-2)))).toEqual([['T1'], ['T1']]);
    const actions = (await historyOf(first[0]!.id)).map((h) => h.action);
    expect(actions.slice(0, 2)).toEqual(['batch_item.send', 'batch_item.pending']);
    expect(actions.at(-1)).toBe('batch_item.success');
    expect(actions.filter((a) => a === 'batch_item.send')).toHaveLength(1);
  });

  it('a timeout after the platform acted is queried, never resent; one lost before it acted is resent with the same id', async () => {
    await open({ sandbox: { timeoutMs: 300 } });
    rig.sandbox.simulator.inject('alipay', { kind: 'timeout_after_effect', operation: 'transfer' });
    rig.sandbox.simulator.inject('wechat', { kind: 'timeout_before_effect', operation: 'transfer' });
    const batchNo = await rig.submitted([
      { payeeName: '王五', channel: 'alipay', account: ALIPAY, amountFen: 12_300 },
      { payeeName: '李四', channel: 'wechat', account: OPENID, amountFen: 4_500 },
    ]);
    await rig.approve(batchNo);
    await rig.app.batches.runDue();
    const [ali, wx] = await itemsOf(batchNo);
    expect(ali).toMatchObject({ status: 'sending', failReason: expect.stringContaining('结果未知') });
    expect(wx).toMatchObject({ status: 'sending' });
    // Alipay already paid; WeChat never saw the request.
    expect(rig.ledgerByItem().get(ali!.itemRef)).toHaveLength(1);
    expect(rig.ledgerByItem().get(wx!.itemRef)).toBeUndefined();
    await rig.settle();
    const after = await itemsOf(batchNo);
    expect(after.map((i) => [i.status, i.transferNo])).toEqual([['success', `${ali!.itemRef}T1`], ['success', `${wx!.itemRef}T1`]]);
    expect([...rig.ledgerByItem().values()].map((ts) => ts.length)).toEqual([1, 1]);
  });

  it('WAIT_USER_CONFIRM: the item waits for the payee; confirming pays it; duplicate and late notifications change nothing', async () => {
    await open({ sandbox: { wechatAutoConfirmMs: null } });
    const settled: SettledBatchItem[] = [];
    rig.app.batches.onItemSettled(async (_tx, i) => void settled.push(i));
    rig.sandbox.simulator.inject('wechat', { kind: 'notify_duplicate', operation: 'transfer' }, { kind: 'notify_delay_ms', operation: 'transfer', ms: 30 });
    const batchNo = await rig.submitted([{ payeeName: '李四', channel: 'wechat', account: OPENID, amountFen: 300_000 }]);
    await rig.approve(batchNo);
    await rig.app.batches.drain();
    const [waiting] = await itemsOf(batchNo);
    expect(waiting).toMatchObject({ status: 'wait_confirm', statusLabel: '待收款确认' });
    expect(waiting!.confirmExpiresAt! - waiting!.sentAt!).toBe(24 * HOUR_MS);
    expect((await rig.app.batches.progress(batchNo)).waitConfirmCount).toBe(1);
    // 查询结果 asks WeChat now: still waiting for the payee.
    expect(await rig.app.batches.refreshItem(waiting!.id)).toMatchObject({ status: 'wait_confirm' });

    (rig.sandbox.simulator.get('wechat') as WechatPlatform).confirmTransfer(waiting!.transferNo!);
    await rig.settle();
    const [paid] = await itemsOf(batchNo);
    expect(paid).toMatchObject({ status: 'success', arrivalRule: 'T+0' });
    expect(settled.map((s) => s.state)).toEqual(['success']);
    // Both deliveries of the notification reached the server: the second was ignored.
    const inbox = (await rig.app.store.dataSource.query(`SELECT COUNT(*) AS n FROM notification_inbox`)) as { n: unknown }[];
    expect(Number(inbox[0]!.n)).toBeGreaterThanOrEqual(1);
    expect((await historyOf(paid!.id)).filter((h) => h.action === 'batch_item.success')).toHaveLength(1);
    expect((await rig.app.vouchers.list({}, 1, 10)).total).toBe(1);
  });

  it('an unconfirmed WeChat transfer is cancelled when its window passes and lands in the failure list; cancelling a batch withdraws its waiting bills', async () => {
    const clock = new TestClock(Date.now());
    await open({ sandbox: { wechatAutoConfirmMs: null, clock }, app: { clock } });
    await rig.app.batches.updateSettings({ id: null, name: '测试' }, { ratePerSecond: 500, financeRecipients: ['13900001111'], confirmWindowHours: 2 }, (await rig.app.batches.settings()).version);
    const a = await rig.submitted([{ payeeName: '李四', channel: 'wechat', account: OPENID, amountFen: 1_000 }]);
    const b = await rig.submitted([
      { payeeName: '赵六', channel: 'wechat', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS7x', amountFen: 2_000 },
      { payeeName: '钱七', channel: 'bank', account: BANK, bankName: '工行', amountFen: 3_000 },
    ]);
    await rig.approve(a);
    await rig.approve(b);
    await rig.app.batches.pause(rig.maker, b);
    await rig.app.batches.resume(rig.maker, b);
    await rig.app.batches.runDue();
    await rig.sandbox.simulator.notifier.idle();
    expect((await itemsOf(a))[0]!.status).toBe('wait_confirm');

    // Batch b is cancelled while its WeChat bill waits: the bill is withdrawn, the bank transfer (already sent) finishes.
    await rig.app.batches.cancel(rig.maker, b, undefined, '收款人信息有误');
    await rig.settle();
    const itemsB = await itemsOf(b);
    expect(itemsB.map((i) => [i.payeeName, i.status])).toEqual([['赵六', 'cancelled'], ['钱七', 'success']]);
    expect(rig.ledgerByItem().get(itemsB[0]!.itemRef)?.[0]?.state).toBe('cancelled');
    expect((await rig.app.batches.get(b)).batch.status).toBe('cancelled');

    // Batch a: two hours later nobody confirmed; the bill is cancelled at WeChat and the item fails (retryable by re-sending).
    clock.advance(2 * HOUR_MS + 1);
    await rig.settle();
    const [expired] = await itemsOf(a);
    expect(expired).toMatchObject({ status: 'failed', retryable: true, failReason: '收款人未在有效期内确认收款，转账已撤销', canResend: true });
    expect((await historyOf(expired!.id)).map((h) => h.action)).toContain('batch_item.cancel_request');
    expect((await rig.app.batches.get(a)).batch).toMatchObject({ status: 'failed', statusLabel: '全部失败' });
    const finance = (await rig.app.notifications.list({}, 1, 50)).items.filter((n) => n.templateCode === 'payout_failures');
    expect(finance.map((n) => n.recipient)).toEqual(['139****1111']);
  });

  it('a passing failure (receiving bank unavailable) is retried automatically under a new request id; a payee problem goes to the failure list, is fixed and re-sent through approval', async () => {
    await open();
    const settled: SettledBatchItem[] = [];
    rig.app.batches.onItemSettled(async (_tx, i) => void settled.push(i));
    rig.sandbox.simulator.inject('bank', { kind: 'transfer_fail', operation: 'transfer', code: 'BANK_UNAVAILABLE' });
    rig.sandbox.simulator.inject('wechat', { kind: 'transfer_fail', operation: 'transfer', code: 'NAME_NOT_CORRECT' });
    const batchNo = await rig.submitted([
      { payeeName: '张三', channel: 'bank', account: BANK, bankName: '工商银行', amountFen: 10_000, employeeId: 1 },
      { payeeName: '李思', channel: 'wechat', account: OPENID, amountFen: 20_000, employeeId: 2 },
    ]);
    await rig.approve(batchNo);
    await rig.settle();
    const [bank, wx] = await itemsOf(batchNo);
    expect(bank).toMatchObject({ status: 'success', attempt: 2, transferNo: `${bank!.itemRef}T2` });
    expect(rig.ledgerByItem().get(bank!.itemRef)!.map((t) => [t.transferNo.slice(-2), t.state])).toEqual([['T1', 'failed'], ['T2', 'success']]);
    // WeChat's bare fail_reason code is stored (and told to the listeners, e.g. the salary sheet) in words, the code beside them.
    const nameWrong = '收款人姓名与账户不一致（NAME_NOT_CORRECT）';
    expect(wx).toMatchObject({ status: 'failed', retryable: false, failReason: nameWrong, canFix: true, canResend: true });
    expect((await rig.app.batches.get(batchNo)).batch.status).toBe('partial_failed');
    expect(settled.map((s) => [s.employeeId, s.state, s.failReason])).toEqual([[2, 'failed', nameWrong], [1, 'success', null]]);
    const retried = (await historyOf(bank!.id)).find((h) => h.action === 'batch_item.retry')!;
    expect(JSON.parse(retried.after!)).toMatchObject({ attempt: 2, reason: '收款银行暂不可用（BANK_UNAVAILABLE）' });

    // The failure list, the fix (audited with masked accounts) and the re-send through its own approval.
    const failures = await rig.app.batches.items(batchNo, { statuses: ['failed'] }, 1, 10);
    expect(failures.items.map((i) => i.payeeName)).toEqual(['李思']);
    const fixed = await rig.app.batches.fixItem(rig.maker, wx!.id, wx!.version, { payeeName: '李四', channel: 'wechat', account: OPENID });
    const bad = await rig.app.batches.fixItem(rig.maker, wx!.id, fixed.version, { payeeName: '李四', channel: 'bank', account: '12' }).catch((e: Error) => e.message);
    expect(bad).toBe('收款账号：银行账号应为 8 至 32 位数字；开户银行：银行转账需填写开户银行');
    await rig.app.batches.resendItem(rig.maker, wx!.id);
    expect((await itemsOf(batchNo))[1]).toMatchObject({ status: 'resend_approval', statusLabel: '重发审批中' });
    const own = await rig.app.approvals.list(rig.maker, { scope: 'todo', businessType: 'payout_batch' }, 1, 10);
    expect(own.items.find((r) => r.subjectId === wx!.itemRef)).toBeUndefined();
    await rig.approve(wx!.itemRef);
    expect((await rig.app.batches.get(batchNo)).batch.status).toBe('running');
    await rig.settle();
    const resent = (await itemsOf(batchNo))[1]!;
    expect(resent).toMatchObject({ status: 'success', attempt: 2, transferNo: `${wx!.itemRef}T2`, payeeName: '李四' });
    expect((await rig.app.batches.get(batchNo)).batch.status).toBe('completed');
    expect(settled.map((s) => [s.employeeId, s.state])).toEqual([[2, 'failed'], [1, 'success'], [2, 'success']]);
    const fix = (await historyOf(wx!.id)).find((h) => h.action === 'batch_item.fix')!;
    expect(`${fix.before}${fix.after}`).not.toContain(OPENID);
    // The corrected payee is a person here: the field reads 收款人 (not a supplier's 收款单位), every field in words.
    const fixFields = Object.keys(JSON.parse(fix.after!) as object);
    expect(Object.fromEntries(fixFields.map((f) => [f, AUDIT_FIELD_LABELS[f]]))).toEqual({ payeeName: '收款人', channel: '收款方式', account: '收款账号', bankName: '开户银行' });
    // The voucher of the re-sent item prints the re-send's approvals.
    const v = await rig.app.vouchers.get(resent.voucherNo!);
    expect(v.approvals.length).toBeGreaterThan(0);
    expect(v.subjectId).toBe(itemRefOf(batchNo, 2));
  });

  it('pause stops sending, resume continues; cancel takes out the rest; a notification of an older attempt never pays twice', async () => {
    await open();
    const settled: SettledBatchItem[] = [];
    rig.app.batches.onItemSettled(async (_tx, i) => void settled.push(i));
    const many = Array.from({ length: 6 }, (_, i) => ({ payeeName: `员工${i}`, channel: 'alipay' as const, account: `p${i}@example.com`, amountFen: 100 + i }));
    const batchNo = await rig.submitted(many);
    await rig.approve(batchNo);
    await rig.app.batches.runDue(2);
    await rig.app.batches.pause(rig.maker, batchNo);
    await rig.app.batches.drain();
    let p = await rig.app.batches.progress(batchNo);
    expect(p).toMatchObject({ status: 'paused', successCount: 2, pendingCount: 4 });
    await rig.app.batches.resume(rig.maker, batchNo);
    await rig.app.batches.runDue(2);
    const cancelled = await rig.app.batches.cancel(rig.maker, batchNo);
    expect(cancelled.status).toBe('cancelled');
    p = await rig.app.batches.progress(batchNo);
    expect(p).toMatchObject({ successCount: 4, cancelledCount: 2, cancelledFen: 104 + 105, pendingCount: 0, percent: 100 });
    expect(settled.filter((s) => s.state === 'cancelled')).toHaveLength(2);
    expect(rig.ledgerByItem().size).toBe(4);
    const resume = await rig.app.batches.resume(rig.maker, batchNo).catch((e: Error) => e.message);
    expect(resume).toBe('批量任务已取消，不能继续执行');

    // A forged-late success of a superseded attempt is an exception for a person, not a second payment.
    const item = (await itemsOf(batchNo))[0]!;
    const outcome = await rig.app.store.transaction((tx) =>
      rig.app.batches.transferHandler(tx, 'alipay', { kind: 'transfer', transferNo: `${item.itemRef}T9`, state: 'success', amountFen: item.amountFen }, '测试'),
    );
    expect(outcome.kind).toBe('exception');
    const dup = await rig.app.store.transaction((tx) => rig.app.batches.transferHandler(tx, 'alipay', { kind: 'transfer', transferNo: item.transferNo!, state: 'success', amountFen: item.amountFen }, '测试'));
    expect(dup.kind).toBe('ignored');
    expect((await rig.app.vouchers.list({}, 1, 20)).total).toBe(4);
  });
});
