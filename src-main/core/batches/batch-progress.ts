import type { Fen } from '../money';
import { ITEM_STATUSES, type ItemStatus } from './batch-state';

/**
 * 任务进度 (design document 4.5.3): counts and amounts per item status, summed by the database
 * (one GROUP BY over the batch's items) and read here into what the progress bar shows.
 */
export interface StatusSum {
  status: ItemStatus;
  count: number;
  fen: Fen;
}

export interface BatchProgress {
  totalCount: number;
  totalFen: Fen;
  /** Items that reached an end (成功 + 失败 + 已取消). */
  doneCount: number;
  doneFen: Fen;
  successCount: number;
  successFen: Fen;
  failedCount: number;
  failedFen: Fen;
  cancelledCount: number;
  cancelledFen: Fen;
  /** Sent and not yet answered for good (发送中, 处理中, 待收款确认). */
  inFlightCount: number;
  inFlightFen: Fen;
  waitConfirmCount: number;
  /** Not sent yet (待发送, 重发审批中). */
  pendingCount: number;
  pendingFen: Fen;
  /** 0–100, by item count, rounded down (100 only when all are done). */
  percent: number;
  byStatus: Record<ItemStatus, { count: number; fen: Fen }>;
}

export function progressOf(sums: readonly StatusSum[]): BatchProgress {
  const byStatus = Object.fromEntries(ITEM_STATUSES.map((s) => [s, { count: 0, fen: 0 }])) as Record<ItemStatus, { count: number; fen: Fen }>;
  for (const s of sums) {
    byStatus[s.status].count += s.count;
    byStatus[s.status].fen += s.fen;
  }
  const sum = (statuses: readonly ItemStatus[], k: 'count' | 'fen') => statuses.reduce((a, s) => a + byStatus[s][k], 0);
  const all = ITEM_STATUSES;
  const done = ['success', 'failed', 'cancelled'] as const;
  const inFlight = ['sending', 'processing', 'wait_confirm'] as const;
  const pending = ['pending', 'resend_approval'] as const;
  const totalCount = sum(all, 'count');
  const doneCount = sum(done, 'count');
  return {
    totalCount,
    totalFen: sum(all, 'fen'),
    doneCount,
    doneFen: sum(done, 'fen'),
    successCount: byStatus.success.count,
    successFen: byStatus.success.fen,
    failedCount: byStatus.failed.count,
    failedFen: byStatus.failed.fen,
    cancelledCount: byStatus.cancelled.count,
    cancelledFen: byStatus.cancelled.fen,
    inFlightCount: sum(inFlight, 'count'),
    inFlightFen: sum(inFlight, 'fen'),
    waitConfirmCount: byStatus.wait_confirm.count,
    pendingCount: sum(pending, 'count'),
    pendingFen: sum(pending, 'fen'),
    percent: totalCount === 0 ? 0 : Math.floor((doneCount * 100) / totalCount),
    byStatus,
  };
}
