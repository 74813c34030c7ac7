import type { Fen } from '../money';
import type { PayeeChannel } from '../suppliers/supplier-payment';
import type { BatchSourceKindCode, BatchStatus, BatchTypeCode, ItemStatus } from './batch-state';

/** A 批量付款任务 as the services see it (row mapping in db/repositories/batch-repository.ts). */
export interface PayoutBatch {
  id: number;
  batchNo: string;
  type: BatchTypeCode;
  title: string;
  description: string;
  sourceKind: BatchSourceKindCode;
  sourceRef: string | null;
  status: BatchStatus;
  /** Fixed when drafted: the count and the sum of the items (a property test holds them equal). */
  totalCount: number;
  totalFen: Fen;
  createdBy: number | null;
  createdByName: string;
  createdAt: number;
  submittedAt: number | null;
  approvedAt: number | null;
  startedAt: number | null;
  pausedAt: number | null;
  finishedAt: number | null;
  cancelledAt: number | null;
  version: number;
}

/** One payee of a batch and where its transfer stands. */
export interface BatchItem {
  id: number;
  batchId: number;
  /** 1-based position in the batch (the row order of the import). */
  seq: number;
  payeeName: string;
  channel: PayeeChannel;
  /** Full account; screens get it masked. */
  account: string;
  bankName: string;
  amountFen: Fen;
  remark: string;
  contactPhone: string;
  employeeId: number | null;
  supplierId: number | null;
  payableIds: number[];
  status: ItemStatus;
  /** The attempt the current request id belongs to (1 = the first). */
  attempt: number;
  /** Platform calls of the current attempt (sends and queries without an answer): drives the backoff. */
  tries: number;
  /** The current attempt's request id, saved before its first send; null until then. */
  transferNo: string | null;
  platformTransferNo: string | null;
  failReason: string | null;
  /** For a failed item: whether sending again may succeed without changing the payee. */
  retryable: boolean | null;
  /** When the executor looks at the item next (send, query, cancel). */
  nextAt: number;
  /** WeChat WAIT_USER_CONFIRM: when we stop waiting for the payee and cancel the bill. */
  confirmExpiresAt: number | null;
  sentAt: number | null;
  finishedAt: number | null;
  arrivalRule: string | null;
  arrivalDate: string | null;
  voucherNo: string | null;
  version: number;
}

export type NewBatch = Omit<PayoutBatch, 'id' | 'version'>;

export type NewBatchItem = Pick<BatchItem, 'seq' | 'payeeName' | 'channel' | 'account' | 'bankName' | 'amountFen' | 'remark' | 'contactPhone' | 'employeeId' | 'supplierId' | 'payableIds'>;
