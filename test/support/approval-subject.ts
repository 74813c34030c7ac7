import type { App } from '../../src-main/app';
import type { ApprovalBusinessType } from '../../src-main/core/approvals/approval-rules';
import type { Tx } from '../../src-main/db/store';
import type { Actor } from '../../src-main/services/actor';
import type { ApprovalSubject, ApprovalSubjectSummary } from '../../src-main/services/approvals/approval-subjects';
import type { ApprovalUser } from '../../src-main/services/approvals/approval-service';

/**
 * A test-only business under approval: it writes an audit entry in the deciding transaction for
 * every callback (so a test can see that the callback's writes commit or roll back with the
 * decision) and can be told to fail. `outcomes` is what committed, read back from the audit log.
 */
export class TestApprovalSubject implements ApprovalSubject {
  /** When set, the next callback writes its entry and then throws this. */
  failNext: Error | null = null;
  private readonly amounts = new Map<string, number>();

  constructor(
    private readonly app: App,
    readonly businessType: ApprovalBusinessType,
  ) {}

  async describe(_tx: Tx, ids: readonly string[]): Promise<Map<string, ApprovalSubjectSummary>> {
    const out = new Map<string, ApprovalSubjectSummary>();
    for (const id of ids) {
      const amountFen = this.amounts.get(id);
      if (amountFen !== undefined) out.set(id, { title: `测试单据 ${id}`, amountFen, fields: [{ label: '收款方', value: `供应商 ${id}` }], link: `/test/${id}` });
    }
    return out;
  }

  onApproved(tx: Tx, subjectId: string, actor: Actor): Promise<void> {
    return this.record(tx, 'test.approved', subjectId, actor, null);
  }

  onRejected(tx: Tx, subjectId: string, reason: string, actor: Actor): Promise<void> {
    return this.record(tx, 'test.rejected', subjectId, actor, reason);
  }

  onCancelled(tx: Tx, subjectId: string, actor: Actor): Promise<void> {
    return this.record(tx, 'test.cancelled', subjectId, actor, null);
  }

  private async record(tx: Tx, action: string, subjectId: string, actor: Actor, reason: string | null): Promise<void> {
    await tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'test_subject', entityId: subjectId, before: null, after: reason }, this.app.clock.now());
    const fail = this.failNext;
    if (fail) {
      this.failNext = null;
      throw fail;
    }
  }

  /** Submits a request for a new subject in its own transaction, as a business would; returns the request id. */
  submit(subjectId: string, amountFen: number, requester: Actor): Promise<number> {
    this.amounts.set(subjectId, amountFen);
    return this.app.store.transaction((tx) => this.app.approvals.submit(tx, { businessType: this.businessType, subjectId, amountFen, requester, title: `测试${subjectId}` }));
  }

  /** The callbacks that committed for a subject, in order: 'approved' | 'rejected' | 'cancelled'. */
  async outcomes(subjectId: string): Promise<string[]> {
    const page = await this.app.audit.list({ entityId: subjectId }, 1, 100);
    return page.items
      .filter((e) => e.entityType === 'test_subject')
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.action.replace('test.', ''));
  }
}

/** Registers a test subject for every business type of the engine. */
export function registerTestSubjects(app: App): Record<ApprovalBusinessType, TestApprovalSubject> {
  const make = (t: ApprovalBusinessType) => {
    const s = new TestApprovalSubject(app, t);
    app.approvals.register(s);
    return s;
  };
  return { refund: make('refund'), supplier_payment: make('supplier_payment'), payout_batch: make('payout_batch') };
}

let nextUserId = 10_000;
/** An approver for service-level tests: permissions come from the role (role_permissions), the id need not be a stored user. */
export const approverUser = (role: string, name = `${role}-${nextUserId}`): ApprovalUser => ({ id: nextUserId++, name, roles: [role] });
export const asActor = (u: ApprovalUser): Actor => ({ id: u.id, name: u.name });
