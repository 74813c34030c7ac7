import type { BatchItem, PayoutBatch } from '../../core/batches/batch';
import { arrivalRuleOf, PAYOUT_ARRIVAL_DAYS } from '../../core/batches/batch-policy';
import type { BatchProgress } from '../../core/batches/batch-progress';
import { BATCH_SOURCE_LABELS, BATCH_STATUS_LABELS, BATCH_TYPE_LABELS, canBatch, ITEM_STATUS_LABELS, itemRefOf, type BatchStatus } from '../../core/batches/batch-state';
import { describeTransferFailure } from '../../core/batches/transfer-failures';
import { maskPhone } from '../../core/access/masking';
import { maskPayee, PAYEE_CHANNEL_LABELS } from '../../core/suppliers/supplier-payment';

/** A batch as the screens and the REST API get it. */
export interface BatchView extends PayoutBatch {
  statusLabel: string;
  typeLabel: string;
  sourceLabel: string;
  /** What the toolbar may offer (the server checks again). */
  actions: { submit: boolean; withdraw: boolean; pause: boolean; resume: boolean; cancel: boolean };
}

/** An item as the screens get it: account and mobile masked, labels added. */
export interface BatchItemView extends Omit<BatchItem, 'account' | 'contactPhone'> {
  /** `B…I00042`: what the accountant quotes. */
  itemRef: string;
  accountMasked: string;
  contactPhoneMasked: string;
  statusLabel: string;
  channelLabel: string;
  /** T+0 / T+1 by channel; after success the date is in `arrivalDate`. */
  expectedArrival: string;
  /** Whether finance may change the payee and send the item again through approval. */
  canFix: boolean;
  canResend: boolean;
}

export interface BatchDetail {
  batch: BatchView;
  progress: BatchProgress;
  /** Items and amounts per payee channel. */
  byChannel: { channel: string; channelLabel: string; count: number; fen: number }[];
}

export function batchView(b: PayoutBatch): BatchView {
  const s: BatchStatus = b.status;
  return {
    ...b,
    statusLabel: BATCH_STATUS_LABELS[s],
    typeLabel: BATCH_TYPE_LABELS[b.type],
    sourceLabel: BATCH_SOURCE_LABELS[b.sourceKind],
    actions: { submit: canBatch('submit', s), withdraw: canBatch('withdraw', s), pause: canBatch('pause', s), resume: canBatch('resume', s), cancel: canBatch('cancel', s) },
  };
}

export function itemView(batch: Pick<PayoutBatch, 'batchNo' | 'status'>, i: BatchItem): BatchItemView {
  const { account, contactPhone, ...rest } = i;
  const open = batch.status !== 'cancelled' && i.status === 'failed';
  return {
    ...rest,
    // Rows written before the reasons were put into words still hold the platform's bare code.
    failReason: i.failReason === null ? null : describeTransferFailure(i.channel, i.failReason),
    itemRef: itemRefOf(batch.batchNo, i.seq),
    accountMasked: maskPayee(i.channel, account),
    contactPhoneMasked: contactPhone ? maskPhone(contactPhone) : '',
    statusLabel: ITEM_STATUS_LABELS[i.status],
    channelLabel: PAYEE_CHANNEL_LABELS[i.channel],
    expectedArrival: i.arrivalDate ? `${i.arrivalDate}（${i.arrivalRule ?? arrivalRuleOf(i.channel)}）` : `${arrivalRuleOf(i.channel)}（${PAYOUT_ARRIVAL_DAYS[i.channel] === 0 ? '实时到账' : '次个工作日到账'}）`,
    canFix: open,
    canResend: open,
  };
}
