import { describe, expect, it } from 'vitest';
import { AUDIT_FIELD_LABELS } from '../../../src-main/core/audit/audit-vocabulary';
import { BATCH_SOURCE_KINDS, BATCH_SOURCE_LABELS } from '../../../src-main/core/batches/batch-state';
import { BATCH_AUDIT_FIELD_LABELS } from '../../../src-main/core/batches/batch-vocabulary';

describe('批量付款 words in the audit log and the source of a batch', () => {
  it('the item history names its fields: the WeChat confirmation deadline, a payee who may be a person', () => {
    expect(AUDIT_FIELD_LABELS.confirmExpiresAt).toBe('收款确认截止');
    expect(AUDIT_FIELD_LABELS.payeeName).toBe('收款人');
    for (const [field, label] of Object.entries(BATCH_AUDIT_FIELD_LABELS)) expect(AUDIT_FIELD_LABELS[field], field).toBe(label);
  });

  it('leaves the labels other records rely on as they are', () => {
    expect(AUDIT_FIELD_LABELS).toMatchObject({ type: '订单类型', title: '发票抬头', totalFen: '总价', status: '状态', bankName: '开户银行', amountFen: '金额', transferNo: '转账单号' });
  });

  it('typed lines are a source of their own: 手工录入', () => {
    expect(BATCH_SOURCE_KINDS).toContain('manual');
    expect(BATCH_SOURCE_LABELS.manual).toBe('手工录入');
    expect(BATCH_SOURCE_LABELS.import).toBe('文件导入');
    // The column holds up to 24 characters (migration 1764800000000-payout-batches).
    for (const k of BATCH_SOURCE_KINDS) expect(k.length).toBeLessThanOrEqual(24);
  });
});
