import { parseChannel, type CheckedLine, type LineCandidate, type RowIssue } from '../../core/batches/batch-lines';
import type { Fen } from '../../core/money';
import { maskPayee, PAYEE_CHANNEL_LABELS } from '../../core/suppliers/supplier-payment';

/** Rows shown by the 导入预览 (the first of them; the counts of the result are complete). */
export const MAX_PREVIEW_ROWS = 500;

/** One row of an import or typed list as the 预览 shows it: what was read, the account masked, and its verdict. */
export interface PreviewRow {
  rowNo: number;
  payeeName: string;
  /** The channel's label, or the text as written when it is not one. */
  channel: string;
  accountMasked: string;
  bankName: string;
  /** The checked amount; null when the cell could not be read as one (`amountText` says what it held). */
  amountFen: Fen | null;
  amountText: string;
  remark: string;
  /** ok: passes; error: must be fixed (nothing is created); duplicate: to be confirmed. */
  result: 'ok' | 'error' | 'duplicate';
}

const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').slice(0, max);

/**
 * Every row with its verdict, in row order: valid rows as checked (so the amount is what will be
 * paid), invalid ones as read. Accounts are masked like everywhere on screen.
 */
export function previewRows(candidates: readonly LineCandidate[], r: { lines: readonly CheckedLine[]; errors: readonly RowIssue[]; warnings: readonly RowIssue[] }): PreviewRow[] {
  const lines = new Map(r.lines.map((l) => [l.rowNo, l]));
  const bad = new Set(r.errors.map((e) => e.rowNo));
  const doubtful = new Set(r.warnings.map((w) => w.rowNo));
  return candidates.slice(0, MAX_PREVIEW_ROWS).map((c) => {
    const l = lines.get(c.rowNo);
    const result = bad.has(c.rowNo) || !l ? 'error' : doubtful.has(c.rowNo) ? 'duplicate' : 'ok';
    if (l)
      return {
        rowNo: c.rowNo, payeeName: l.payeeName, channel: PAYEE_CHANNEL_LABELS[l.channel], accountMasked: maskPayee(l.channel, l.account), bankName: l.bankName, amountFen: l.amountFen,
        amountText: '', remark: l.remark, result,
      };
    const channel = parseChannel(c.channel);
    const account = text(c.account, 64);
    return {
      rowNo: c.rowNo, payeeName: text(c.payeeName, 64), channel: channel ? PAYEE_CHANNEL_LABELS[channel] : text(c.channel, 20), accountMasked: account ? maskPayee(channel ?? 'wechat', account) : '',
      bankName: text(c.bankName, 64), amountFen: null, amountText: text(c.amount, 32), remark: text(c.remark, 64), result,
    };
  });
}
