import { describe, expect, it } from 'vitest';
import { checkLines, duplicateIssues } from '../../../src-main/core/batches/batch-lines';
import { MAX_PREVIEW_ROWS, previewRows } from '../../../src-main/services/batches/batch-preview';

const rows = (candidates: Parameters<typeof checkLines>[0]) => {
  const checked = checkLines(candidates);
  return previewRows(candidates, { ...checked, warnings: duplicateIssues(checked.lines) });
};

describe('导入预览: every row with its verdict', () => {
  it('valid rows as checked (masked account, amount in fen), invalid ones as read, duplicates flagged', () => {
    const out = rows([
      { rowNo: 2, payeeName: ' 张伟 ', channel: '银行', account: '6222 0212 3456 7890 123', bankName: '工行', amount: '8,500.00' },
      { rowNo: 3, payeeName: '陈静', channel: '银行转账', account: '6217001234567890', bankName: '', amount: '9100.255' },
      { rowNo: 4, payeeName: '赵六', channel: '现金', account: '12345678', amount: 10 },
      { rowNo: 5, payeeName: '张伟', channel: 'bank', account: '6222021234567890123', bankName: '工行', amount: 1 },
    ]);
    expect(out.map((r) => [r.rowNo, r.result])).toEqual([[2, 'ok'], [3, 'error'], [4, 'error'], [5, 'duplicate']]);
    expect(out[0]).toMatchObject({ payeeName: '张伟', channel: '银行转账', accountMasked: '622202*********0123', amountFen: 850_000, amountText: '' });
    // An invalid row keeps what the file held, the account still masked.
    expect(out[1]).toMatchObject({ amountFen: null, amountText: '9100.255', accountMasked: expect.not.stringContaining('6217001234567890') });
    expect(out[2]).toMatchObject({ channel: '现金', amountFen: null, amountText: '10' });
    for (const r of out) expect(r.accountMasked).not.toMatch(/\d{9,}/);
  });

  it('lists at most MAX_PREVIEW_ROWS rows', () => {
    const many = Array.from({ length: MAX_PREVIEW_ROWS + 3 }, (_, i) => ({ rowNo: i + 2, payeeName: `员工${i}`, channel: 'alipay', account: `p${i}@example.com`, amount: '1' }));
    expect(rows(many)).toHaveLength(MAX_PREVIEW_ROWS);
  });
});
