import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FIELD_LABELS } from '../../../src-main/core/audit/audit-vocabulary';
import { itemRefOf } from '../../../src-main/core/batches/batch-state';
import type { AuditEntry } from '../../../src-main/db/repositories/audit-repository';
import type { SettledBatchItem } from '../../../src-main/services/batches/batch-ports';
import { ALIPAY, BANK, batchRig, lines, OPENID, type BatchRig } from '../../support/batch-rig';
import { STORE_KINDS } from '../../support/stores';

/** Snapshot fields an accountant would see untranslated in a history (as `action.field`). */
function unlabelled(entries: readonly AuditEntry[]): string[] {
  const out = new Set<string>();
  for (const e of entries)
    for (const snap of [e.before, e.after])
      if (snap) for (const key of Object.keys(JSON.parse(snap) as object)) if (!(key in AUDIT_FIELD_LABELS)) out.add(`${e.action}.${key}`);
  return [...out].sort();
}

describe.each(STORE_KINDS)('batch payouts on %s: approval, execution on the three simulators, vouchers, progress', (kind) => {
  let rig: BatchRig;
  beforeEach(async () => {
    rig = await batchRig(kind);
  });
  afterEach(() => rig.close());

  it('a mixed batch is approved in two levels, paid item by item with request ids saved first, vouchers issued, payees and listeners told', async () => {
    const { app } = rig;
    const settled: SettledBatchItem[] = [];
    app.batches.onItemSettled(async (_tx, i) => {
      settled.push(i);
    });
    const batchNo = await rig.submitted([
      { payeeName: '张三', channel: 'bank', account: BANK, bankName: '中国工商银行杭州分行', amountFen: 500_000, remark: '11月工资', employeeId: 7, contactPhone: '13812345678' },
      { payeeName: '李四', channel: 'wechat', account: OPENID, amountFen: 300_050, employeeId: 8 },
      { payeeName: '王五', channel: 'alipay', account: ALIPAY, amountFen: 12_345, supplierId: 3, payableIds: [11, 12] },
    ]);
    expect(batchNo).toMatch(/^B\d{20}$/);
    let detail = await app.batches.get(batchNo);
    expect(detail.batch).toMatchObject({ status: 'pending_approval', totalCount: 3, totalFen: 812_395, statusLabel: '待审批' });
    // Nothing is sent before approval.
    await app.batches.drain();
    expect(rig.ledgerByItem().size).toBe(0);

    // The approver sees the batch summarized per channel, accounts never in full.
    const list = await app.approvals.list(rig.accountant, { scope: 'todo', businessType: 'payout_batch' }, 1, 10);
    const req = list.items.find((r) => r.subjectId === batchNo)!;
    expect(req.summary?.fields).toEqual(expect.arrayContaining([{ label: '笔数', value: '3 笔' }, { label: '银行转账', value: '1 笔，¥5,000.00' }, { label: '合计金额', value: '¥8,123.95' }]));
    expect(JSON.stringify(req.summary)).not.toContain(BANK);

    await rig.approve(batchNo);
    expect((await app.batches.get(batchNo)).batch.status).toBe('approved');
    await rig.settle();

    detail = await app.batches.get(batchNo);
    expect(detail.batch.status).toBe('completed');
    expect(detail.progress).toMatchObject({ totalCount: 3, doneCount: 3, successCount: 3, successFen: 812_395, failedCount: 0, percent: 100 });
    const items = (await app.batches.items(batchNo, {}, 1, 50)).items;
    for (const i of items) {
      expect(i).toMatchObject({ status: 'success', attempt: 1, transferNo: `${itemRefOf(batchNo, i.seq)}T1`, voucherNo: expect.stringMatching(/^FK\d{4}-\d{6}$/) });
      expect(i.arrivalDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(items.map((i) => i.arrivalRule)).toEqual(['T+1', 'T+0', 'T+0']);
    expect(items[0]!.accountMasked).toBe('622202*********0123');
    expect(items[0]!.contactPhoneMasked).toBe('138****5678');
    expect(JSON.stringify(items)).not.toContain('13812345678');
    expect(JSON.stringify(items)).not.toContain(BANK);

    // Each platform holds exactly one transfer per item, for the amount asked.
    const ledger = rig.ledgerByItem();
    expect([...ledger.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, ts]) => ts.map((t) => [t.platform, t.state, t.amountFen]))).toEqual([[['bank', 'success', 500_000]], [['wechat', 'success', 300_050]], [['alipay', 'success', 12_345]]]);

    // The voucher prints the batch's approvals.
    const voucher = await app.vouchers.get(items[0]!.voucherNo!);
    expect(voucher).toMatchObject({ kind: 'payout', subjectId: itemRefOf(batchNo, 1), payeeName: '张三', amountFen: 500_000, amountInCapitals: '伍仟元整' });
    expect(voucher.approvals.map((a) => a.approverName)).toEqual(['复核会计', '审批人']);

    // Payees: SMS to the line's mobile, WeChat template to the openid; the Alipay payee has no contact.
    const outbox = (await app.notifications.list({}, 1, 50)).items.filter((n) => n.templateCode === 'payout_success');
    expect(outbox.map((n) => [n.channel, n.recipient]).sort()).toEqual([['sms', '138****5678'], ['wechat_template', 'oU***6o']].sort());

    // The listeners heard each item once, with its references.
    expect(settled.map((s) => [s.state, s.employeeId, s.supplierId, s.payableIds]).sort()).toEqual([['success', 7, null, []], ['success', 8, null, []], ['success', null, 3, [11, 12]]].sort());

    // The audit trail of an item: sent with its request id before the answer.
    const history = (await app.batches.item(items[1]!.id)).history.map((h) => h.action);
    expect(history.slice(0, 1)).toEqual(['batch_item.send']);
    expect(history).toContain('batch_item.success');
    expect((await app.audit.verify()).ok).toBe(true);

    // Every field of the batch's and its items' histories has its words (the WeChat item waited for its payee: 收款确认截止).
    const histories = [...(await app.batches.get(batchNo)).history, ...(await Promise.all(items.map(async (i) => (await app.batches.item(i.id)).history))).flat()];
    expect(histories.some((h) => h.after?.includes('confirmExpiresAt'))).toBe(true);
    expect(unlabelled(histories)).toEqual([]);
    expect(AUDIT_FIELD_LABELS.confirmExpiresAt).toBe('收款确认截止');
  });

  it('the result report lists every item with its result; the batch totals equal the sum of the items', async () => {
    const { app } = rig;
    const batchNo = await rig.submitted(lines(7));
    await rig.approve(batchNo);
    await rig.settle();
    const report = await app.batches.report(batchNo);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.content as unknown as ArrayBuffer);
    const detail = wb.getWorksheet('明细')!;
    expect(detail.getRow(1).getCell(3).value).toBe('收款人');
    expect(detail.rowCount).toBe(1 + 7 + 1);
    expect(detail.getRow(2).getCell(8).value).toBe('成功');
    const sum = lines(7).reduce((s, l) => s + l.amountFen, 0);
    expect(detail.getRow(9).getCell(7).value).toBe(sum / 100);
    const d = await app.batches.get(batchNo);
    expect(d.batch.totalFen).toBe(sum);
    expect(d.progress.totalFen).toBe(sum);
  });
});
