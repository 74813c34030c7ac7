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

// Status, resolution, period, record and field names come from the core through meta.vocabulary
// (v.diffStatuses, v.diffResolutions, v.reconPeriods, v.reconRunStatuses, v.reconRecordStates,
// v.reconRecordKinds, v.adjustmentAccounts, v.reconFields); only colours and short forms live here.
export const DIFF_STATUS_COLORS: Record<DiffStatus, string> = { open: 'warning', in_progress: 'processing', resolved: 'success', ignored: 'default' };

export const RUN_STATUS_COLORS: Record<RunStatus, string> = { scheduled: 'default', running: 'processing', done: 'success', failed: 'error' };

export const DIFF_SORT_FIELDS = ['billDate', 'amount', 'type', 'status', 'key'] as const satisfies readonly DiffSortField[];

export const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };
