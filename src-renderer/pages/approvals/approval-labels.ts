import type { ChannelInput, ChannelOutput } from '../../../src-main/api/contract';

export type ApprovalListItem = ChannelOutput<'approvals.list'>['items'][number];
export type ApprovalDetail = ChannelOutput<'approvals.get'>;
export type ApprovalStep = ApprovalDetail['steps'][number];
export type ApprovalHistoryEntry = ApprovalDetail['history'][number];
export type ApprovalStatus = ApprovalListItem['status'];
export type ApprovalBusinessType = ApprovalListItem['businessType'];
export type ApprovalScope = NonNullable<ChannelInput<'approvals.list'>['scope']>;
export type ApprovalRulesView = ChannelOutput<'approvals.rules'>;
export type ApprovalRuleRecord = ApprovalRulesView['rules'][number];

/** The words of the 审批中心 (the main process keeps the same codes in core/approvals). */
export const BUSINESS_TYPE_LABELS: Record<ApprovalBusinessType, string> = { refund: '退款', supplier_payment: '供应商付款', payout_batch: '批量付款' };
export const BUSINESS_TYPES = Object.keys(BUSINESS_TYPE_LABELS) as ApprovalBusinessType[];
export const APPROVAL_STATUS_LABELS: Record<ApprovalStatus, string> = { pending: '审批中', approved: '已通过', rejected: '已驳回', cancelled: '已撤回' };
export const APPROVAL_STATUS_COLORS: Record<ApprovalStatus, string> = { pending: 'processing', approved: 'success', rejected: 'error', cancelled: 'default' };
export const SCOPE_LABELS: Record<ApprovalScope, string> = { todo: '待我审批', mine: '我发起的', all: '全部' };

/** Fired after a decision, so the navigation's count follows at once instead of at the next poll. */
export const APPROVALS_CHANGED = 'approvals:changed';
export const announceApprovalsChanged = () => window.dispatchEvent(new Event(APPROVALS_CHANGED));
