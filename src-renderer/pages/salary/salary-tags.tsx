import { Tag } from 'antd';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { useVocabulary } from '../../app/vocabulary-context';

export type SheetStatus = ChannelOutput<'salary.sheet'>['status'];
export type LinePayoutStatus = ChannelOutput<'salary.sheet'>['lines'][number]['payoutStatus'];

// Being prepared (grey/blue), waiting for a person (orange), cleared (cyan), money on its way (blue), paid (green), trouble (red).
const SHEET_COLORS: Record<SheetStatus, string> = {
  draft: 'default',
  submitted: 'warning',
  approved: 'cyan',
  rejected: 'error',
  batch_drafted: 'processing',
  paid: 'success',
  partially_failed: 'error',
};

const PAYOUT_COLORS: Record<LinePayoutStatus, string> = {
  unpaid: 'default',
  skipped: 'default',
  in_batch: 'processing',
  paid: 'success',
  failed: 'error',
  cancelled: 'warning',
};

export function SheetStatusTag({ status }: { status: SheetStatus }) {
  const v = useVocabulary();
  return (
    <Tag color={SHEET_COLORS[status]} data-status={status} data-testid="sheet-status">
      {v.salarySheetStatuses[status]}
    </Tag>
  );
}

export function PayoutStatusTag({ status }: { status: LinePayoutStatus }) {
  const v = useVocabulary();
  return (
    <Tag color={PAYOUT_COLORS[status]} data-status={status}>
      {v.salaryLinePayoutStatuses[status]}
    </Tag>
  );
}
