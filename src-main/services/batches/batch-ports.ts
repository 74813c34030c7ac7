import type { Fen } from '../../core/money';
import type { PayeeChannel } from '../../core/suppliers/supplier-payment';
import type { Tx } from '../../db/store';
import type { Actor } from '../actor';

/**
 * What other features use of 批量付款 (issue 7): the salary sheets draft their month's batch through
 * `draftInTx` inside their own transaction, and follow each item's outcome through `onItemSettled`
 * (also inside the settling transaction, so a payslip's 已发放 and the item's 成功 commit together).
 */

export type BatchType = 'salary' | 'supplier';
export type BatchSourceKind = 'import' | 'manual' | 'api' | 'salary_sheet' | 'supplier_terms';

/** One payee line of a batch, already in fen. */
export interface BatchLineInput {
  payeeName: string;
  channel: PayeeChannel;
  /** Bank account number, WeChat openid, or Alipay login (e-mail / mobile / 2088… user id). */
  account: string;
  /** Required for bank transfers. */
  bankName?: string;
  amountFen: Fen;
  remark?: string;
  employeeId?: number;
  supplierId?: number;
  payableIds?: number[];
  /** Where the payee's 到账通知 goes (SMS), when known; WeChat payees are told through their openid. */
  contactPhone?: string;
}

export interface DraftBatchInput {
  type: BatchType;
  title: string;
  description?: string;
  sourceKind: BatchSourceKind;
  /** e.g. the salary sheet's month `2026-11`, or a contract reference. */
  sourceRef?: string;
  lines: BatchLineInput[];
  /** Sent for approval in the same transaction (the pay-day job: the batch "waits for approval", design 2.3). */
  submit?: boolean;
}

export interface DraftedBatch {
  batchId: number;
  batchNo: string;
}

/** An item that reached an end: paid, failed for good (after automatic retries, or not retryable), or cancelled. */
export interface SettledBatchItem {
  batchId: number;
  batchNo: string;
  itemId: number;
  sourceKind: string;
  sourceRef: string | null;
  employeeId: number | null;
  supplierId: number | null;
  payableIds: number[];
  state: 'success' | 'failed' | 'cancelled';
  amountFen: Fen;
  failReason: string | null;
}

/**
 * Called in the transaction that settles the item; throwing rolls the settlement back (it is then
 * tried again). A failed item that finance fixes and re-sends may later settle again as 'success'.
 */
export type ItemSettledListener = (tx: Tx, item: SettledBatchItem) => Promise<void>;

/** The part of BatchService the salary sheets call. */
export interface BatchDrafting {
  draftInTx(tx: Tx, input: DraftBatchInput, actor: Actor): Promise<DraftedBatch>;
  onItemSettled(listener: ItemSettledListener): void;
}
