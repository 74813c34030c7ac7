import type { ChannelInput, ChannelOutput } from '../../../src-main/api/contract';

/** Shapes of the 对账 channels, taken from the contract. */
export type ReconRunReport = ChannelOutput<'recon.listRuns'>['items'][number];
export type ReconRunDetail = ChannelOutput<'recon.getRun'>;
export type ReconDiffRow = ChannelOutput<'recon.listDiffs'>['items'][number];
export type ReconDiffView = ChannelOutput<'recon.getDiff'>;
export type StagedRecord = ReconDiffView['diff']['local'][number];
export type DiffType = ReconDiffRow['type'];
export type DiffStatus = ReconDiffRow['status'];
export type RunStatus = ReconRunReport['status'];
export type DiffSortField = NonNullable<ChannelInput<'recon.listDiffs'>['sortBy']>;
export type DiffAction = ChannelInput<'recon.actOnDiff'>['action'];
export type AdjustmentAccount = Extract<DiffAction, { kind: 'adjust' }>['account'];

/** Full type names come from the core through meta.vocabulary (`v.diffTypes`); these are the short forms for tags and summary tiles. */
export const DIFF_TYPE_SHORT: Record<DiffType, string> = {
  duplicate_local: '重复单·本地',
  duplicate_platform: '重复单·平台',
  missing_local: '漏单',
  missing_platform: '平台无此单',
  status: '状态差异',
  amount: '金额差异',
  fee: '手续费差异',
};

// Money missing or doubled is red, a disagreement about a record orange, a fee gold.
export const DIFF_TYPE_COLORS: Record<DiffType, string> = {
  duplicate_local: 'magenta',
  duplicate_platform: 'magenta',
  missing_local: 'red',
  missing_platform: 'volcano',
  status: 'orange',
  amount: 'gold',
  fee: 'blue',
};

export const DIFF_STATUS_LABELS: Record<DiffStatus, string> = { open: '待处理', in_progress: '处理中', resolved: '已处理', ignored: '已忽略' };
export const DIFF_STATUS_COLORS: Record<DiffStatus, string> = { open: 'warning', in_progress: 'processing', resolved: 'success', ignored: 'default' };

export const RUN_STATUS_LABELS: Record<RunStatus, string> = { scheduled: '待执行', running: '对账中', done: '已完成', failed: '失败' };
export const RUN_STATUS_COLORS: Record<RunStatus, string> = { scheduled: 'default', running: 'processing', done: 'success', failed: 'error' };

export const PERIOD_LABELS: Record<ReconRunReport['period'], string> = { daily: '日对账', weekly: '周对账', monthly: '月对账' };

export const RESOLUTION_LABELS: Record<NonNullable<ReconDiffRow['resolution']>, string> = {
  requery: '重新查询支付平台',
  accept_platform: '以平台记录为准',
  keep_local: '以本地记录为准',
  refund_duplicate: '重复付款退款',
  adjust: '调账',
  rerun: '重新对账后已一致',
  manual: '人工处理',
};

export const ADJUSTMENT_ACCOUNT_LABELS: Record<AdjustmentAccount, string> = { amount: '金额调整', fee: '手续费调整', other: '其他调整' };

export const RECORD_STATE_LABELS: Record<StagedRecord['state'], string> = { success: '成功', pending: '未完成', closed: '已关闭', failed: '失败' };
export const RECORD_KIND_LABELS: Record<StagedRecord['kind'], string> = { payment: '支付', refund: '退款' };

export const DIFF_SORT_FIELDS = ['billDate', 'amount', 'type', 'status', 'key'] as const satisfies readonly DiffSortField[];

export const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };
