import type { ApprovalBusinessType } from '../../core/approvals/approval-rules';
import type { Fen } from '../../core/money';
import type { Tx } from '../../db/store';
import type { Actor } from '../actor';

/**
 * The port between the one approval engine (ApprovalService) and the businesses it approves:
 * refunds, supplier payment orders (付款单), payout batches. A business submits a request inside its
 * own transaction (`ApprovalService.submit(tx, …)`); the engine calls back, inside the deciding
 * transaction, when the request is finally approved, rejected or withdrawn, so the subject's state
 * and the approval always commit together.
 *
 * Work that talks to a gateway (sending the refund, the transfer) never runs in the callback: the
 * callback moves the subject to its "approved, to send" state and the business's executor (a
 * scheduler job or an explicit action) sends it after the commit.
 */
export interface ApprovalSubjectSummary {
  /** What the approver reads first, e.g. 「退款 R20261126… 订单 P… 」. */
  title: string;
  amountFen: Fen;
  /** Labelled lines shown in the 审批中心 detail (payee, order, reason, due dates…), already masked. */
  fields: ReadonlyArray<{ label: string; value: string }>;
  /** Where the app shows the subject itself (a renderer route), if it has a page. */
  link?: string;
}

export interface ApprovalSubject {
  readonly businessType: ApprovalBusinessType;
  /** For the 审批中心 list and detail; ids the business does not know are left out of the map. */
  describe(tx: Tx, subjectIds: readonly string[]): Promise<Map<string, ApprovalSubjectSummary>>;
  /** The last level approved. */
  onApproved(tx: Tx, subjectId: string, actor: Actor): Promise<void>;
  /** A level rejected (reason required by the engine). */
  onRejected(tx: Tx, subjectId: string, reason: string, actor: Actor): Promise<void>;
  /** The requester withdrew (撤回) the request while it was pending. */
  onCancelled(tx: Tx, subjectId: string, actor: Actor): Promise<void>;
}

/** What a business passes to `ApprovalService.submit`. */
export interface ApprovalSubmission {
  businessType: ApprovalBusinessType;
  /** The subject's own number (refund no, payment order no, batch no); one live request per subject. */
  subjectId: string;
  amountFen: Fen;
  /** The maker; null when a customer asked through the REST API (no staff member is the maker). */
  requester: Actor;
  title: string;
}
