import { ReconDiffRepository } from './recon-diff-repository';

/**
 * 对账 storage, one responsibility per file, each class adding its part to the previous one:
 *  - recon-run-repository.ts: the runs (recon_runs), scheduled runs claimed with SKIP LOCKED leases;
 *  - recon-records-repository.ts: our side of a day read for the join, in keyset pages, and the records
 *    held for the next day (recon_held);
 *  - recon-diff-repository.ts: the differences by identity and their workflow (notes, adjustments), the
 *    workbench's list.
 * The join itself runs in the service (services/reconciliation/recon-join.ts): the bill is streamed
 * once and never stored; only differences and held records are written.
 */
export class ReconRepository extends ReconDiffRepository {}

export { RECON_PERIODS, RECON_RUN_STATUSES, type ReconPeriod, type ReconRun, type ReconRunStatus, type RunFilter } from './recon-run-repository';
export { paymentState, refundState, type DayCursor, type LocalPage, type LocalRecord, type StagedRow, type TakeLocal } from './recon-records-repository';
export {
  DIFF_RESOLUTIONS,
  DIFF_SORT_FIELDS,
  DIFF_STATUSES,
  type Adjustment,
  type DiffFilter,
  type DiffNote,
  type DiffResolution,
  type DiffSortField,
  type DiffStatus,
  type FoundDiff,
  type ReconDiff,
  type ReconDiffDetail,
} from './recon-diff-repository';
