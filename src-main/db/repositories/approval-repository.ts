import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { ApprovalStatus } from '../../core/approvals/approval-flow';
import type { ApprovalBusinessType, ApprovalRule } from '../../core/approvals/approval-rules';
import type { Page } from '../../core/orders/order';
import { int, intOrNull } from '../bulk-insert';
import { isUniqueViolation } from '../db-errors';
import { ApprovalDecisionEntity, ApprovalRequestEntity, ApprovalRuleEntity, type ApprovalDecisionRow, type ApprovalRequestRow, type ApprovalRuleRow } from '../entities/approval-entities';
import { ConcurrentUpdateError } from './concurrency';
import { likePattern } from './log-repository';

export interface ApprovalRequest {
  id: number;
  businessType: ApprovalBusinessType;
  subjectId: string;
  amountFen: number;
  title: string;
  requesterId: number | null;
  requesterName: string;
  status: ApprovalStatus;
  levels: string[];
  bulkApprovable: boolean;
  currentLevel: number | null;
  currentRole: string | null;
  createdAt: number;
  decidedAt: number | null;
  version: number;
}

export type ApprovalEntryKind = 'approve' | 'reject' | 'comment';

/** One line of a request's history: a decision at a level, or a comment. */
export interface ApprovalEntry {
  id: number;
  requestId: number;
  level: number | null;
  approverId: number;
  approverName: string;
  approverRole: string;
  decision: ApprovalEntryKind;
  reason: string | null;
  at: number;
}

export interface ApprovalRuleSet {
  /** Incremented by every edit; an edit names the revision it was made on. */
  revision: number;
  rules: ApprovalRule[];
}

export interface ApprovalRequestFilter {
  businessTypes?: readonly ApprovalBusinessType[];
  statuses?: readonly ApprovalStatus[];
  requesterId?: number;
  /** Pending requests this user may decide now: their role is the current level's, a type they may approve, not their own, no level decided by them yet. */
  decidableBy?: { userId: number; roles: readonly string[]; types: readonly ApprovalBusinessType[] };
  minFen?: number;
  maxFen?: number;
  createdFrom?: number;
  createdTo?: number;
  /** Part of the subject's number or of the title. */
  keyword?: string;
}

/** Someone submitted a request for this subject a moment earlier (the unique live key). */
export class ApprovalAlreadyPendingError extends Error {}

const parseLevels = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`approval levels are not a list of role codes: ${json}`);
  return v;
};

const requestFromRow = (r: ApprovalRequestRow): ApprovalRequest => ({
  id: int(r.id),
  businessType: r.business_type as ApprovalBusinessType,
  subjectId: r.subject_id,
  amountFen: int(r.amount_fen),
  title: r.title,
  requesterId: intOrNull(r.requester_id),
  requesterName: r.requester_name,
  status: r.status as ApprovalStatus,
  levels: parseLevels(r.levels_json),
  bulkApprovable: Boolean(r.bulk_approvable),
  currentLevel: intOrNull(r.current_level),
  currentRole: r.current_role,
  createdAt: int(r.created_at),
  decidedAt: intOrNull(r.decided_at),
  version: int(r.version),
});

const entryFromRow = (r: ApprovalDecisionRow): ApprovalEntry => ({
  id: int(r.id),
  requestId: int(r.request_id),
  level: intOrNull(r.level),
  approverId: int(r.approver_id),
  approverName: r.approver_name,
  approverRole: r.approver_role,
  decision: r.decision as ApprovalEntryKind,
  reason: r.reason,
  at: int(r.at),
});

const ruleFromRow = (r: ApprovalRuleRow): ApprovalRule => ({
  businessType: r.business_type as ApprovalBusinessType,
  overFen: int(r.over_fen),
  upToFen: intOrNull(r.up_to_fen),
  levels: parseLevels(r.levels_json),
  bulkApprovable: Boolean(r.bulk_approvable),
});

export const liveKeyOf = (type: string, subjectId: string) => `${type}:${subjectId}`;

/** The approval engine's tables (migration 1764610000000): rules, requests, decisions and comments. */
export class ApprovalRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  /** The current rule set; `forUpdate` locks it (on MySQL) for an edit. */
  async ruleSet(opts: { forUpdate?: boolean } = {}): Promise<ApprovalRuleSet> {
    const qb = this.em.createQueryBuilder(ApprovalRuleEntity, 'r').orderBy('r.business_type', 'ASC').addOrderBy('r.over_fen', 'ASC');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const rows = await qb.getMany();
    return { revision: rows.length ? Math.max(...rows.map((r) => int(r.revision))) : 0, rules: rows.map(ruleFromRow) };
  }

  /** Replaces the whole rule set made at `revision`; ConcurrentUpdateError when someone saved first. */
  async replaceRules(revision: number, rules: readonly ApprovalRule[]): Promise<number> {
    const current = await this.ruleSet({ forUpdate: true });
    if (current.revision !== revision) throw new ConcurrentUpdateError();
    await this.em.createQueryBuilder().delete().from(ApprovalRuleEntity).execute();
    const next = revision + 1;
    if (rules.length)
      await this.em
        .createQueryBuilder()
        .insert()
        .into(ApprovalRuleEntity)
        .values(
          rules.map((r) => ({
            business_type: r.businessType,
            over_fen: r.overFen,
            up_to_fen: r.upToFen,
            levels_json: JSON.stringify(r.levels),
            bulk_approvable: r.bulkApprovable === true,
            revision: next,
            version: 1,
            updated_seq: this.nextSeq(),
          })),
        )
        .execute();
    return next;
  }

  /** A new pending request; ApprovalAlreadyPendingError when the subject has one already. */
  async insertRequest(r: Omit<ApprovalRequest, 'id' | 'version' | 'status' | 'decidedAt' | 'currentLevel' | 'currentRole'>): Promise<number> {
    try {
      const res = await this.em
        .createQueryBuilder()
        .insert()
        .into(ApprovalRequestEntity)
        .values({
          business_type: r.businessType,
          subject_id: r.subjectId,
          amount_fen: r.amountFen,
          title: r.title.slice(0, 200),
          requester_id: r.requesterId,
          requester_name: r.requesterName.slice(0, 64),
          status: 'pending',
          levels_json: JSON.stringify(r.levels),
          bulk_approvable: r.bulkApprovable,
          current_level: 1,
          current_role: r.levels[0] ?? null,
          live_key: liveKeyOf(r.businessType, r.subjectId),
          created_at: r.createdAt,
          decided_at: null,
          version: 1,
          updated_seq: this.nextSeq(),
        })
        .execute();
      return int(res.identifiers[0]?.id ?? (res.raw as { insertId?: number }).insertId);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ApprovalAlreadyPendingError();
      throw e;
    }
  }

  async find(id: number, opts: { forUpdate?: boolean } = {}): Promise<ApprovalRequest | null> {
    const qb = this.em.createQueryBuilder(ApprovalRequestEntity, 'r').where('r.id = :id', { id });
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? requestFromRow(row) : null;
  }

  /** The subject's latest request (the live one if any), or null when it was never submitted. */
  async latestOf(businessType: ApprovalBusinessType, subjectId: string): Promise<ApprovalRequest | null> {
    const row = await this.em
      .createQueryBuilder(ApprovalRequestEntity, 'r')
      .where('r.business_type = :businessType AND r.subject_id = :subjectId', { businessType, subjectId })
      .orderBy('r.id', 'DESC')
      .getOne();
    return row ? requestFromRow(row) : null;
  }

  /** Moves the request on (next level, or a final status); ConcurrentUpdateError when it changed meanwhile. */
  async update(id: number, version: number, patch: { status: ApprovalStatus; currentLevel: number | null; currentRole: string | null; decidedAt: number | null }): Promise<void> {
    const pending = patch.status === 'pending';
    const res = await this.em
      .createQueryBuilder()
      .update(ApprovalRequestEntity)
      .set({
        status: patch.status,
        current_level: pending ? patch.currentLevel : null,
        current_role: pending ? patch.currentRole : null,
        decided_at: patch.decidedAt,
        // Leaving `pending` frees the subject for a new request (after a reject or a withdrawal).
        ...(pending ? {} : { live_key: null }),
        version: version + 1,
        updated_seq: this.nextSeq(),
      })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  /** Records an approve/reject (one per level: a second one for the same level is a ConcurrentUpdateError) or a comment. */
  async insertEntry(e: Omit<ApprovalEntry, 'id'>): Promise<void> {
    try {
      await this.em
        .createQueryBuilder()
        .insert()
        .into(ApprovalDecisionEntity)
        .values({
          request_id: e.requestId,
          level: e.level,
          level_key: e.decision === 'comment' ? null : e.level,
          approver_id: e.approverId,
          approver_name: e.approverName.slice(0, 64),
          approver_role: e.approverRole.slice(0, 32),
          decision: e.decision,
          reason: e.reason === null ? null : e.reason.slice(0, 500),
          at: e.at,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConcurrentUpdateError();
      throw err;
    }
  }

  /** The history of the requests, oldest first. */
  async entriesOf(requestIds: readonly number[]): Promise<ApprovalEntry[]> {
    if (requestIds.length === 0) return [];
    const rows = await this.em
      .createQueryBuilder(ApprovalDecisionEntity, 'd')
      .where('d.request_id IN (:...ids)', { ids: [...requestIds] })
      .orderBy('d.at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getMany();
    return rows.map(entryFromRow);
  }

  async list(f: ApprovalRequestFilter, page: number, pageSize: number): Promise<Page<ApprovalRequest>> {
    const qb = this.filtered(f);
    const [rows, total] = await qb.orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').offset((page - 1) * pageSize).limit(pageSize).getManyAndCount();
    return { items: rows.map(requestFromRow), total, page, pageSize };
  }

  async count(f: ApprovalRequestFilter): Promise<number> {
    return this.filtered(f).getCount();
  }

  private filtered(f: ApprovalRequestFilter): SelectQueryBuilder<ApprovalRequestRow> {
    const qb = this.em.createQueryBuilder(ApprovalRequestEntity, 'r').where('1 = 1');
    if (f.businessTypes) {
      if (f.businessTypes.length === 0) qb.andWhere('1 = 0');
      else qb.andWhere('r.business_type IN (:...types)', { types: [...f.businessTypes] });
    }
    if (f.statuses?.length) qb.andWhere('r.status IN (:...statuses)', { statuses: [...f.statuses] });
    if (f.requesterId !== undefined) qb.andWhere('r.requester_id = :requesterId', { requesterId: f.requesterId });
    if (f.minFen !== undefined) qb.andWhere('r.amount_fen >= :minFen', { minFen: f.minFen });
    if (f.maxFen !== undefined) qb.andWhere('r.amount_fen <= :maxFen', { maxFen: f.maxFen });
    if (f.createdFrom !== undefined) qb.andWhere('r.created_at >= :createdFrom', { createdFrom: f.createdFrom });
    if (f.createdTo !== undefined) qb.andWhere('r.created_at < :createdTo', { createdTo: f.createdTo });
    if (f.keyword) qb.andWhere(`(r.subject_id LIKE :kw ESCAPE '!' OR r.title LIKE :kw ESCAPE '!')`, { kw: likePattern(f.keyword) });
    const d = f.decidableBy;
    if (d) {
      if (d.roles.length === 0 || d.types.length === 0) qb.andWhere('1 = 0');
      else
        qb.andWhere("r.status = 'pending'")
          .andWhere('r.current_role IN (:...decRoles)', { decRoles: [...d.roles] })
          .andWhere('r.business_type IN (:...decTypes)', { decTypes: [...d.types] })
          .andWhere('(r.requester_id IS NULL OR r.requester_id <> :decUser)', { decUser: d.userId })
          .andWhere('NOT EXISTS (SELECT 1 FROM approval_decisions d WHERE d.request_id = r.id AND d.approver_id = :decUser AND d.level_key IS NOT NULL)');
    }
    return qb;
  }
}
