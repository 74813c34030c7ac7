import { Tag } from 'antd';
import type { BookingStatus, OrderStatus, RefundState, TransactionStatus } from '../app/api-types';
import { useVocabulary } from '../app/vocabulary-context';

// Colours carry meaning at a glance: orange waits for money, green has it, grey is closed, purple went back.
const ORDER_COLORS: Record<OrderStatus, string> = {
  pending: 'warning',
  paid: 'success',
  cancelled: 'default',
  refunded: 'purple',
};

const TRANSACTION_COLORS: Record<TransactionStatus, string> = {
  pending: 'warning',
  success: 'success',
  failed: 'error',
  refunding: 'processing',
  refunded: 'purple',
};

// A booking waits for its deposit (orange), is confirmed once it is paid (green), or is closed (grey).
const BOOKING_COLORS: Record<BookingStatus, string> = {
  awaiting_deposit: 'warning',
  confirmed: 'success',
  cancelled: 'default',
};

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const v = useVocabulary();
  return (
    <Tag color={ORDER_COLORS[status]} data-status={status}>
      {v.orderStatuses[status]}
    </Tag>
  );
}

export function TransactionStatusTag({ status }: { status: TransactionStatus }) {
  const v = useVocabulary();
  return (
    <Tag color={TRANSACTION_COLORS[status]} data-status={status}>
      {v.transactionStatuses[status]}
    </Tag>
  );
}

export function BookingStatusTag({ status }: { status: BookingStatus }) {
  const v = useVocabulary();
  return (
    <Tag color={BOOKING_COLORS[status]} data-status={status}>
      {v.bookingStatuses[status]}
    </Tag>
  );
}

// A refund waits for a person (orange), is at the platform (blue), went back (purple), failed (red) or ended (grey).
const REFUND_COLORS: Record<RefundState, string> = {
  pending_approval: 'warning',
  processing: 'processing',
  success: 'purple',
  failed: 'error',
  rejected: 'default',
  closed: 'default',
};

export function RefundStatusTag({ status }: { status: RefundState }) {
  const v = useVocabulary();
  return (
    <Tag color={REFUND_COLORS[status]} data-status={status}>
      {v.refundStates[status]}
    </Tag>
  );
}
