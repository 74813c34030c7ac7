import { Tag } from 'antd';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { useVocabulary } from '../../app/vocabulary-context';

export type PaymentStatus = ChannelOutput<'supplierpayments.get'>['payment']['status'];
export type PayableStatus = ChannelOutput<'payables.get'>['payable']['status'];

// Orange waits for a person, blue is with the platform, green is paid, red failed, grey is closed.
const PAYMENT_COLORS: Record<PaymentStatus, string> = {
  draft: 'default',
  pending_approval: 'warning',
  approved: 'cyan',
  processing: 'processing',
  success: 'success',
  failed: 'error',
  rejected: 'magenta',
  cancelled: 'default',
};
const PAYABLE_COLORS: Record<PayableStatus, string> = { open: 'warning', in_payment: 'processing', paid: 'success' };

export function PaymentStatusTag({ status }: { status: PaymentStatus }) {
  const v = useVocabulary();
  return (
    <Tag color={PAYMENT_COLORS[status]} data-status={status}>
      {v.supplierPaymentStatuses[status]}
    </Tag>
  );
}

export function PayableStatusTag({ status, overdue }: { status: PayableStatus; overdue?: boolean }) {
  const v = useVocabulary();
  return (
    <>
      <Tag color={PAYABLE_COLORS[status]} data-status={status}>
        {v.payableStatuses[status]}
      </Tag>
      {overdue ? <Tag color="error">逾期</Tag> : null}
    </>
  );
}
