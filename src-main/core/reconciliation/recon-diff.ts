import { DomainError } from '../errors';
import type { Fen } from '../money';

/**
 * Reconciliation against a platform's bill (design document 4.3, issue 6): the classification of one
 * merchant number (out_trade_no for payments, out_refund_no / out_request_no for refunds) given the
 * records both sides have for it. The store does the join (a full outer join on the key, in SQL, so
 * a million rows never sit in memory); this is the rule applied to each joined key.
 *
 * Outcomes:
 *  - matched: one record each side, same state, amount and (when both know it) fee;
 *  - a difference, one per key, by priority: 重复单 (a side has the key twice) > 漏单 / 平台无此单
 *    (one side only) > 状态差异 > 金额差异 > 手续费差异 — the first is what the accountant must act on;
 *    `fields` lists every field that differs, so the workbench highlights them all;
 *  - held: a one-sided record within `holdWindowMs` of the end of the bill day. A payment at 23:59:58
 *    may be in the next day's bill, or our clock put it at 00:00:01 of the next day: it is carried to the
 *    next day's run and matched there, and reported only if still one-sided then (never twice).
 */
export const DIFF_TYPES = ['duplicate_local', 'duplicate_platform', 'missing_local', 'missing_platform', 'status', 'amount', 'fee'] as const;
export type DiffType = (typeof DIFF_TYPES)[number];
export const DIFF_TYPE_LABELS: Record<DiffType, string> = {
  duplicate_local: '重复单（本地）',
  duplicate_platform: '重复单（平台）',
  missing_local: '漏单（平台有、本地无）',
  missing_platform: '平台无此单（本地有、平台无）',
  status: '状态差异',
  amount: '金额差异',
  fee: '手续费差异',
};

export const RECORD_KINDS = ['payment', 'refund'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Both sides in one vocabulary: success = money moved (paid / refunded); anything else did not. */
export const RECORD_STATES = ['success', 'pending', 'closed', 'failed'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export interface ReconRecord {
  kind: RecordKind;
  /** out_trade_no (payments) or out_refund_no (refunds). */
  key: string;
  amountFen: Fen;
  /** Null when the side does not know the fee (our records before the bill arrives). */
  feeFen: Fen | null;
  state: RecordState;
  /** When the money moved on this side (epoch ms). */
  at: number;
}

export type DiffField = 'count' | 'presence' | 'state' | 'amount' | 'fee';

export type KeyOutcome =
  | { outcome: 'matched' }
  | { outcome: 'held'; side: 'local' | 'platform' }
  | { outcome: 'diff'; type: DiffType; fields: DiffField[] };

export interface ClassifyContext {
  /** End of the bill day (exclusive), epoch ms: 00:00 Asia/Shanghai of the next day. */
  dayEnd: number;
  /** How close to dayEnd a one-sided record is held for the next day instead of reported. */
  holdWindowMs: number;
  /** True when the records were carried from the previous day: they are never held again. */
  carried?: (r: ReconRecord) => boolean;
}

/** One key's records on both sides; they must be of one kind and carry this key. */
export function classifyKey(allLocal: readonly ReconRecord[], platform: readonly ReconRecord[], ctx: ClassifyContext): KeyOutcome {
  const local = standingLocal(allLocal);
  const all = [...allLocal, ...platform];
  if (all.length === 0) throw new DomainError('RECON_EMPTY_KEY', '对账键没有任何记录');
  if (all.some((r) => r.key !== all[0]!.key || r.kind !== all[0]!.kind))
    throw new DomainError('RECON_MIXED_KEY', `对账键 ${all[0]!.key} 混入了其他单号或类型的记录`);
  if (platform.length > 1) return { outcome: 'diff', type: 'duplicate_platform', fields: ['count'] };
  if (local.length > 1) return { outcome: 'diff', type: 'duplicate_local', fields: ['count'] };
  const ours = local[0];
  const theirs = platform[0];
  if (!ours || !theirs) {
    const only = (ours ?? theirs)!;
    const side = ours ? 'local' : 'platform';
    // Only money that moved is missing on the other side; a closed or pending local order with no bill line is normal.
    if (only.state !== 'success') return { outcome: 'matched' };
    const nearMidnight = only.at >= ctx.dayEnd - ctx.holdWindowMs && only.at < ctx.dayEnd + ctx.holdWindowMs;
    if (nearMidnight && !ctx.carried?.(only)) return { outcome: 'held', side };
    return { outcome: 'diff', type: ours ? 'missing_platform' : 'missing_local', fields: ['presence'] };
  }
  const fields: DiffField[] = [];
  if (ours.state !== theirs.state) fields.push('state');
  if (ours.amountFen !== theirs.amountFen) fields.push('amount');
  if (ours.feeFen !== null && theirs.feeFen !== null && ours.feeFen !== theirs.feeFen) fields.push('fee');
  if (fields.length === 0) return { outcome: 'matched' };
  const type: DiffType = fields.includes('state') ? 'status' : fields.includes('amount') ? 'amount' : 'fee';
  return { outcome: 'diff', type, fields };
}

/**
 * An order may carry payment attempts that moved no money (failed, closed) beside the one that was
 * paid: those are not a second payment. The attempts that moved money stand for the order (two of
 * them are a real 重复单); with none, its latest attempt does.
 */
export function standingLocal(local: readonly ReconRecord[]): readonly ReconRecord[] {
  if (local.length < 2) return local;
  const moved = local.filter((r) => r.state === 'success');
  return moved.length ? moved : [local[local.length - 1]!];
}

/** The money a difference is about, for the run summary (金额 per type). */
export function diffAmountFen(type: DiffType, allLocal: readonly ReconRecord[], platform: readonly ReconRecord[]): Fen {
  const local = standingLocal(allLocal);
  const sum = (rs: readonly ReconRecord[]) => rs.reduce((s, r) => s + r.amountFen, 0);
  switch (type) {
    case 'duplicate_platform':
      return sum(platform.slice(1));
    case 'duplicate_local':
      return sum(local.slice(1));
    case 'missing_local':
      return sum(platform);
    case 'missing_platform':
      return sum(local);
    case 'status': {
      // The money that moved on one side only: the side that says success.
      const moved = platform[0]?.state === 'success' ? platform[0] : local[0]?.state === 'success' ? local[0] : undefined;
      return moved?.amountFen ?? 0;
    }
    case 'amount':
      return Math.abs(sum(platform) - sum(local));
    case 'fee':
      return Math.abs((platform[0]?.feeFen ?? 0) - (local[0]?.feeFen ?? 0));
  }
}

export interface ReconSummary {
  matchedCount: number;
  matchedFen: Fen;
  heldCount: number;
  diffs: Record<DiffType, { count: number; amountFen: Fen }>;
}

export function emptySummary(): ReconSummary {
  const diffs = Object.fromEntries(DIFF_TYPES.map((t) => [t, { count: 0, amountFen: 0 }])) as ReconSummary['diffs'];
  return { matchedCount: 0, matchedFen: 0, heldCount: 0, diffs };
}

/** Adds one key's outcome to a run summary (mutates and returns it: a run folds a million keys). */
export function addToSummary(s: ReconSummary, o: KeyOutcome, local: readonly ReconRecord[], platform: readonly ReconRecord[]): ReconSummary {
  if (o.outcome === 'matched') {
    if (local.length > 0 && platform.length > 0) {
      s.matchedCount++;
      s.matchedFen += platform[0]!.amountFen;
    }
  } else if (o.outcome === 'held') s.heldCount++;
  else {
    const d = s.diffs[o.type];
    d.count++;
    d.amountFen += diffAmountFen(o.type, local, platform);
  }
  return s;
}
