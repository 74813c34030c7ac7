import type { ChannelOutput } from '../../src-main/api/contract';

/** Shapes the renderer works with, taken from the contract so they cannot drift from the main process. */
export type SessionInfo = NonNullable<ChannelOutput<'auth.status'>['session']>;
export type SessionUser = SessionInfo['user'];
export type Permission = SessionInfo['permissions'][number];
export type Vocabulary = ChannelOutput<'meta.vocabulary'>;
export type Role = keyof Vocabulary['roles'];
export type PaymentMethod = keyof Vocabulary['paymentMethods'];
export type OrderType = keyof Vocabulary['orderTypes'];
export type OrderStatus = keyof Vocabulary['orderStatuses'];
export type TransactionStatus = keyof Vocabulary['transactionStatuses'];
export type TransactionType = keyof Vocabulary['transactionTypes'];
export type ServiceType = keyof Vocabulary['serviceTypes'];
export type BookingStatus = keyof Vocabulary['bookingStatuses'];

export type OrderDetail = ChannelOutput<'orders.get'>;
export type Order = OrderDetail['order'];
export type Transaction = OrderDetail['transactions'][number];
export type AuditEntry = OrderDetail['history'][number];
export type UserRecord = ChannelOutput<'users.list'>[number];
export type RoleRecord = ChannelOutput<'roles.list'>[number];
export type TransactionStats = ChannelOutput<'transactions.stats'>;
export type ChainVerdict = ChannelOutput<'audit.verify'>;
export type OrderRules = ChannelOutput<'settings.getOrderRules'>;
export type ChannelsOverview = ChannelOutput<'channels.get'>;
export type ChannelConfig = ChannelsOverview['channels'][number];
export type ChannelPlatform = ChannelConfig['platform'];
export type ChannelKey = ChannelConfig['keys'][number];
export type BookingDetail = ChannelOutput<'bookings.get'>;
export type Booking = BookingDetail['booking'];
export type DepositRules = ChannelOutput<'bookings.depositRules'>;
export type RefundState = keyof Vocabulary['refundStates'];
export type RefundDetail = ChannelOutput<'refunds.get'>;
export type Refund = RefundDetail['refund'];
export type OrderRefunds = ChannelOutput<'refunds.forOrder'>;
export type RefundTiers = ChannelOutput<'refunds.tiers'>;
