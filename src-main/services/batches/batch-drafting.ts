import type { NewBatchItem, PayoutBatch } from '../../core/batches/batch';
import { checkLines, describeIssues, duplicateIssues, type CheckedLine, type LineCandidate, type RowIssue } from '../../core/batches/batch-lines';
import { BATCH_SOURCE_KINDS, BATCH_TYPES } from '../../core/batches/batch-state';
import { DomainError } from '../../core/errors';
import type { Fen } from '../../core/money';
import { PAYEE_CHANNEL_LABELS, PAYEE_CHANNELS } from '../../core/suppliers/supplier-payment';
import type { Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { NumberAllocator } from '../number-allocator';
import { auditBatch, type BatchDeps } from './batch-context';
import type { BatchLineInput, DraftBatchInput } from './batch-ports';
import type { BatchView } from './batch-views';
import type { PreviewRow } from './batch-preview';

/**
 * Drafting a batch: the header checked, every line checked (all problems listed by row), duplicates
 * flagged, then the batch and its items written in one transaction — items in multi-row INSERTs.
 */

export interface ChannelSum {
  channel: string;
  channelLabel: string;
  count: number;
  fen: Fen;
}

/** What an import (or a typed create) answers: the batch, or why none was created, with the rows to fix. */
export interface BatchImportResult {
  created: BatchView | null;
  /** Why nothing was created: row errors, payees appearing twice (confirm to go on), or only a preview was asked for. */
  blockedBy: 'errors' | 'duplicates' | 'preview' | null;
  rowCount: number;
  totalFen: Fen;
  byChannel: ChannelSum[];
  /** The first MAX_LISTED problems, in row order; the counts are complete. */
  errors: RowIssue[];
  errorCount: number;
  warnings: RowIssue[];
  warningCount: number;
  /** When nothing was created: every row (the first MAX_PREVIEW_ROWS) with its verdict, for the 导入预览. */
  rows?: PreviewRow[];
}

export const MAX_LISTED = 500;

export interface BatchHeader {
  type: DraftBatchInput['type'];
  title: string;
  description: string;
  sourceKind: DraftBatchInput['sourceKind'];
  sourceRef: string | null;
}

export function checkHeader(input: Pick<DraftBatchInput, 'type' | 'title' | 'description' | 'sourceKind' | 'sourceRef'>): BatchHeader {
  if (!BATCH_TYPES.includes(input.type)) throw new DomainError('BATCH_TYPE_INVALID', '批量类型应为 员工薪资 或 供应商付款');
  if (!BATCH_SOURCE_KINDS.includes(input.sourceKind)) throw new DomainError('BATCH_SOURCE_INVALID', '批量任务来源不正确');
  const title = (input.title ?? '').trim();
  if (!title) throw new DomainError('BATCH_TITLE_REQUIRED', '请填写批量任务名称');
  if (title.length > 128) throw new DomainError('BATCH_TITLE_TOO_LONG', '批量任务名称不能超过 128 个字符');
  const description = (input.description ?? '').trim();
  if (description.length > 512) throw new DomainError('BATCH_DESCRIPTION_TOO_LONG', '批量任务说明不能超过 512 个字符');
  const sourceRef = input.sourceRef?.trim() || null;
  if (sourceRef && sourceRef.length > 64) throw new DomainError('BATCH_SOURCE_INVALID', '来源编号不能超过 64 个字符');
  return { type: input.type, title, description, sourceKind: input.sourceKind, sourceRef };
}

export function byChannelOf(lines: readonly { channel: (typeof PAYEE_CHANNELS)[number]; amountFen: Fen }[]): ChannelSum[] {
  return PAYEE_CHANNELS.map((c) => {
    const of = lines.filter((l) => l.channel === c);
    return { channel: c, channelLabel: PAYEE_CHANNEL_LABELS[c], count: of.length, fen: of.reduce((s, l) => s + l.amountFen, 0) };
  }).filter((c) => c.count > 0);
}

/** Every line checked, and the valid ones against each other and against the batches still open. */
export async function checkCandidates(tx: Tx, candidates: readonly LineCandidate[], structural: readonly RowIssue[] = [], unit: '行' | '笔' = '行') {
  const checked = checkLines(candidates);
  // A file whose header could not be read has no lines: say what is wrong with it, not that it is empty.
  const lineErrors = structural.length && !candidates.length ? checked.errors.filter((e) => e.rowNo > 0) : checked.errors;
  const errors = [...structural, ...lineErrors].sort((a, b) => a.rowNo - b.rowNo);
  const open = checked.lines.length ? await tx.batches.openPayees(checked.lines) : [];
  const warnings = duplicateIssues(checked.lines, open, unit);
  return { lines: checked.lines, errors, warnings, totalFen: checked.totalFen };
}

export function importResult(
  r: { lines: CheckedLine[]; errors: RowIssue[]; warnings: RowIssue[]; totalFen: Fen },
  rowCount: number,
  created: BatchView | null,
  blockedBy: BatchImportResult['blockedBy'],
): BatchImportResult {
  return {
    created, blockedBy, rowCount, totalFen: r.totalFen, byChannel: byChannelOf(r.lines), errors: r.errors.slice(0, MAX_LISTED), errorCount: r.errors.length,
    warnings: r.warnings.slice(0, MAX_LISTED), warningCount: r.warnings.length,
  };
}

const optionalId = (v: unknown, label: string): number | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new DomainError('BATCH_LINES_INVALID', `${label}不正确`);
  return v;
};

/** The references a program's line carries (employee, supplier, payables), checked. */
export function refsOf(l: Pick<BatchLineInput, 'employeeId' | 'supplierId' | 'payableIds'> | undefined): Pick<NewBatchItem, 'employeeId' | 'supplierId' | 'payableIds'> {
  const payableIds = l?.payableIds ?? [];
  if (!Array.isArray(payableIds) || payableIds.length > 100) throw new DomainError('BATCH_LINES_INVALID', '一笔付款最多关联 100 笔应付款');
  return { employeeId: optionalId(l?.employeeId, '员工编号'), supplierId: optionalId(l?.supplierId, '供应商编号'), payableIds: payableIds.map((id) => optionalId(id, '应付款编号')!) };
}

/** Lines a program passes (salary sheets, supplier terms, the API): errors are thrown, listed by line. */
export function checkProgramLines(lines: readonly BatchLineInput[]): (CheckedLine & Pick<NewBatchItem, 'employeeId' | 'supplierId' | 'payableIds'>)[] {
  if (!Array.isArray(lines)) throw new DomainError('BATCH_LINES_INVALID', '收款明细不正确');
  const candidates: LineCandidate[] = lines.map((l, i) => ({
    rowNo: i + 1, payeeName: l.payeeName, channel: l.channel, account: l.account, bankName: l.bankName, amountFen: l.amountFen, remark: l.remark, contactPhone: l.contactPhone,
  }));
  const checked = checkLines(candidates);
  if (checked.errors.length) throw new DomainError('BATCH_LINES_INVALID', `收款明细有误：${describeIssues(checked.errors, 5, '笔')}`);
  return checked.lines.map((l) => ({ ...l, ...refsOf(lines[l.rowNo - 1]) }));
}

/** Writes the batch (status draft) and its items; audited. */
export async function insertDraft(
  deps: BatchDeps,
  numbers: NumberAllocator,
  tx: Tx,
  header: BatchHeader,
  lines: readonly (CheckedLine & Partial<Pick<NewBatchItem, 'employeeId' | 'supplierId' | 'payableIds'>>)[],
  actor: Actor,
): Promise<PayoutBatch> {
  if (!lines.length) throw new DomainError('BATCH_EMPTY', '没有收款明细：请至少填写一行');
  const now = deps.clock.now();
  const totalFen = lines.reduce((s, l) => s + l.amountFen, 0);
  const batch = await numbers.insertWithFreshNumber('B', now, async (batchNo) => {
    const b: Omit<PayoutBatch, 'id' | 'version'> = {
      batchNo, ...header, status: 'draft', totalCount: lines.length, totalFen, createdBy: actor.id, createdByName: actor.name.slice(0, 64), createdAt: now,
      submittedAt: null, approvedAt: null, startedAt: null, pausedAt: null, finishedAt: null, cancelledAt: null,
    };
    const id = await tx.batches.insertBatch(b);
    return { ...b, id, version: 1 };
  });
  await tx.batches.insertItems(
    batch.id,
    lines.map((l, i) => ({
      seq: i + 1, payeeName: l.payeeName, channel: l.channel, account: l.account, bankName: l.bankName, amountFen: l.amountFen, remark: l.remark, contactPhone: l.contactPhone,
      employeeId: l.employeeId ?? null, supplierId: l.supplierId ?? null, payableIds: l.payableIds ?? [],
    })),
  );
  // Keys of the batch's own (batch-vocabulary.ts BATCH_AUDIT_FIELD_LABELS): `type` and `title` are an order's and an invoice's elsewhere.
  await auditBatch(deps, tx, actor, 'batch.create', batch.batchNo, null, {
    batchType: header.type, batchTitle: header.title, sourceKind: header.sourceKind, sourceRef: header.sourceRef, totalCount: lines.length, totalAmountFen: totalFen,
  });
  return batch;
}
