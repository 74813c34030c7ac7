import { Tag } from 'antd';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { useVocabulary } from '../../app/vocabulary-context';

export type BatchListItem = ChannelOutput<'batches.list'>['items'][number];
export type BatchDetail = ChannelOutput<'batches.get'>;
export type Batch = BatchDetail['batch'];
export type BatchProgress = BatchDetail['progress'];
export type BatchStatus = Batch['status'];
export type BatchType = Batch['type'];
export type BatchItem = ChannelOutput<'batches.items'>['items'][number];
export type ItemStatus = BatchItem['status'];
export type PayeeChannel = BatchItem['channel'];

// Being prepared (grey), waiting for a person (orange), cleared to send (cyan), money on its way (blue),
// held (gold), paid (green), trouble (red / magenta), closed (grey).
const BATCH_COLORS: Record<BatchStatus, string> = {
  draft: 'default',
  pending_approval: 'warning',
  rejected: 'magenta',
  approved: 'cyan',
  running: 'processing',
  paused: 'gold',
  completed: 'success',
  partial_failed: 'error',
  failed: 'error',
  cancelled: 'default',
};

const ITEM_COLORS: Record<ItemStatus, string> = {
  pending: 'default',
  sending: 'processing',
  processing: 'processing',
  wait_confirm: 'warning',
  success: 'success',
  failed: 'error',
  cancelled: 'default',
  resend_approval: 'purple',
};

const TYPE_COLORS: Record<BatchType, string> = { salary: 'blue', supplier: 'geekblue' };

/** Batches whose numbers still move without anyone acting: the screens poll them. */
export const LIVE_BATCH_STATUSES: readonly BatchStatus[] = ['approved', 'running'];

export function BatchStatusTag({ status }: { status: BatchStatus }) {
  const v = useVocabulary();
  return (
    <Tag color={BATCH_COLORS[status]} data-status={status} data-testid="batch-status" style={{ marginInlineEnd: 0 }}>
      {v.batchStatuses[status]}
    </Tag>
  );
}

export function BatchTypeTag({ type }: { type: BatchType }) {
  const v = useVocabulary();
  return (
    <Tag color={TYPE_COLORS[type]} bordered={false} style={{ marginInlineEnd: 0 }}>
      {v.batchTypes[type]}
    </Tag>
  );
}

export function ItemStatusTag({ status }: { status: ItemStatus }) {
  const v = useVocabulary();
  return (
    <Tag color={ITEM_COLORS[status]} data-status={status} style={{ marginInlineEnd: 0 }}>
      {v.batchItemStatuses[status]}
    </Tag>
  );
}
