import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { formatYuan, type Fen } from '../../core/money';
import { allocationAfter, planTermsBatch, type TermsLine } from '../../core/salary/supplier-terms';
import { payableStatus, payeeAccountOf, type Payable, type SupplierPaymentStatus } from '../../core/suppliers/supplier-payment';
import { DAY_MS, shanghaiDate, shanghaiDayStart, type Clock } from '../../core/time';
import { isUniqueViolation } from '../../db/db-errors';
import type { Store, Tx } from '../../db/store';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { BatchDrafting, BatchLineInput, SettledBatchItem } from '../batches/batch-ports';
import type { SettingsService } from '../settings/settings-service';

/** 付款单 states in which a 付款单 still means to pay its payables (a draft being prepared included). */
const OPEN_PAYMENT_STATUSES: ReadonlySet<SupplierPaymentStatus> = new Set(['draft', 'pending_approval', 'approved', 'processing', 'failed', 'rejected']);

export interface TermsDraftResult {
  batchId: number;
  batchNo: string;
  runDate: string;
  dueTo: string;
  supplierCount: number;
  payableCount: number;
  amountFen: Fen;
}

/**
 * Supplier 批量付款 following the contracts' payment terms (design document 2.4.3 付款周期): the
 * payables falling due (due date from the supplier's term, payables.due_date) are drafted into one
 * supplier batch — once a day by the job, or when finance asks — and reserved on the payables in the
 * same transaction, exactly like a submitted 付款单 reserves them (supplier-payment-service.ts), so
 * the 付款单 flow and the next batch see nothing left to pay. The batch item's settlement pays the
 * reservation (success), gives it back (cancelled) or keeps it (failed: it may be re-sent).
 * Payables are read and written through the supplier repository, locked in id order like every
 * other writer of payables.
 */
export class SupplierTermsBatches {
  private batches: BatchDrafting | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
  ) {}

  useBatches(batches: BatchDrafting): void {
    this.batches = batches;
  }

  private engine(): BatchDrafting {
    if (!this.batches) throw new DomainError('BATCHES_UNAVAILABLE', '批量付款服务不可用');
    return this.batches;
  }

  /** 按付款周期生成供应商批量付款, by hand (any time; what is due and not yet being paid). */
  async draftNow(actor: Actor): Promise<TermsDraftResult> {
    const r = await this.store.transaction((tx) => this.draftInTx(tx, actor, false));
    if (!r) throw new DomainError('SUPPLIER_TERMS_NOTHING_DUE', '没有到期且尚未付款的应付款（已在付款单或批量付款中的不会重复付款）');
    return r;
  }

  /** The daily job: the first instance to claim today's run drafts the batch; the others find the day taken. */
  async runDaily(): Promise<TermsDraftResult | null> {
    const { supplierTerms } = await this.settings.payoutSchedule();
    if (!supplierTerms.autoDraft || !this.batches) return null;
    const today = shanghaiDate(this.clock.now());
    if (await this.store.read((tx) => tx.supplierTerms.findRun(today))) return null;
    try {
      return await this.store.transaction((tx) => this.draftInTx(tx, SYSTEM_ACTOR, true));
    } catch (e) {
      if (isUniqueViolation(e)) return null; // another instance claimed the day first
      throw e;
    }
  }

  private async draftInTx(tx: Tx, actor: Actor, daily: boolean): Promise<TermsDraftResult | null> {
    const now = this.clock.now();
    const runDate = shanghaiDate(now);
    // The day's claim comes first: a second instance blocks on the unique date until this commits, then fails.
    if (daily) await tx.supplierTerms.insertRun(runDate, now);
    const { supplierTerms } = await this.settings.payoutSchedule(tx);
    const dueTo = shanghaiDate(shanghaiDayStart(runDate) + supplierTerms.leadDays * DAY_MS);
    const candidates = await dueOpenPayables(tx, dueTo);
    const blocked = await paidByOpenPaymentOrders(tx, candidates.map((p) => p.id));
    const fresh = await tx.suppliers.payablesByIds(candidates.filter((p) => !blocked.has(p.id)).map((p) => p.id), { forUpdate: true });
    const suppliers = await tx.suppliers.suppliersByIds([...fresh.values()].map((p) => p.supplierId));
    const active = new Set([...suppliers.values()].filter((s) => s.active).map((s) => s.id));
    const plan = planTermsBatch([...fresh.values()], dueTo, blocked, active);
    if (!plan.length) {
      if (daily) await tx.supplierTerms.completeRun(runDate, null, 0, 0);
      return null;
    }
    const amountFen = plan.reduce((s, l) => s + l.amountFen, 0);
    const payableCount = plan.reduce((s, l) => s + l.allocations.length, 0);
    const lines: BatchLineInput[] = plan.map((l) => {
      const s = suppliers.get(l.supplierId)!;
      const refs = l.allocations.map((a) => fresh.get(a.payableId)!.referenceNo);
      return {
        payeeName: s.accountName, channel: s.payeeChannel, account: payeeAccountOf(s),
        bankName: s.payeeChannel === 'bank' ? [s.bankName, s.bankBranch].filter(Boolean).join(' ') : undefined, amountFen: l.amountFen,
        remark: `应付款 ${refs.join('、')}`.slice(0, 120), supplierId: s.id, payableIds: l.allocations.map((a) => a.payableId), contactPhone: s.contactPhone || undefined,
      };
    });
    const batch = await this.engine().draftInTx(
      tx,
      {
        type: 'supplier', title: `${runDate} 供应商到期付款`, sourceKind: 'supplier_terms', sourceRef: runDate, lines,
        // The daily job's batch goes to the approvers at once, like the pay-day salary batch.
        submit: daily,
        description: `按合同付款周期到期（截至 ${dueTo}）：${plan.length} 家供应商，${payableCount} 笔应付款，合计 ${formatYuan(amountFen)}`,
      },
      actor,
    );
    await this.reserve(tx, actor, plan, fresh, batch.batchNo);
    await tx.supplierTerms.insertAllocations(batch, plan.flatMap((l) => l.allocations.map((a) => ({ ...a, supplierId: l.supplierId }))), now);
    if (daily) await tx.supplierTerms.completeRun(runDate, batch, plan.length, amountFen);
    await tx.audit.append(
      {
        actorId: actor.id, actorName: actor.name, action: 'supplier_terms.batch', entityType: 'supplier_terms', entityId: runDate, before: null,
        after: snapshot({ batchNo: batch.batchNo, dueTo, supplierCount: plan.length, payableIds: plan.flatMap((l) => l.allocations.map((a) => a.payableId)), amountFen }),
      },
      now,
    );
    return { ...batch, runDate, dueTo, supplierCount: plan.length, payableCount, amountFen };
  }

  /** The batch holds each payable's open amount, as a submitted 付款单 would. */
  private async reserve(tx: Tx, actor: Actor, plan: readonly TermsLine[], payables: ReadonlyMap<number, Payable>, batchNo: string): Promise<void> {
    for (const a of plan.flatMap((l) => l.allocations).sort((x, y) => x.payableId - y.payableId)) {
      const p = payables.get(a.payableId)!;
      const next = { ...p, reservedFen: p.reservedFen + a.amountFen };
      await tx.suppliers.updatePayable(p.id, p.version, { reservedFen: next.reservedFen, status: payableStatus(next) });
      await this.auditPayable(tx, actor, 'payable.reserve_batch', p, { reservedFen: p.reservedFen, status: p.status }, { reservedFen: next.reservedFen, status: payableStatus(next), batchNo });
    }
  }

  /** Registered with the batch engine: a supplier-terms item pays, releases or keeps its payables' reservations. */
  readonly onItemSettled = async (tx: Tx, item: SettledBatchItem): Promise<void> => {
    if (item.sourceKind !== 'supplier_terms' || !item.payableIds.length) return;
    const target = allocationAfter(item.state);
    if (target === 'reserved') return; // failed: the item may still be fixed and re-sent
    // Payables first (id order), then the allocations: the order drafting locks them in.
    const payables = await tx.suppliers.payablesByIds(item.payableIds, { forUpdate: true });
    const allocations = await tx.supplierTerms.allocationsOf(item.batchId, item.payableIds, { forUpdate: true });
    const now = this.clock.now();
    for (const a of allocations) {
      if (a.status !== 'reserved') continue; // settled before: a replayed or reordered result
      const p = payables.get(a.payableId);
      if (!p) throw new Error(`payable ${a.payableId} of batch ${item.batchNo} vanished`);
      const next = target === 'paid' ? { ...p, paidFen: p.paidFen + a.amountFen, reservedFen: p.reservedFen - a.amountFen } : { ...p, reservedFen: Math.max(0, p.reservedFen - a.amountFen) };
      if (next.reservedFen < 0 || next.paidFen > next.amountFen) throw new Error(`payable ${p.id}: paid/reserved out of bounds`);
      await tx.suppliers.updatePayable(p.id, p.version, { paidFen: next.paidFen, reservedFen: next.reservedFen, status: payableStatus(next) });
      if (!(await tx.supplierTerms.settleAllocation(a.id, a.version, target, now))) throw new Error(`allocation ${a.id} changed under its lock`);
      await this.auditPayable(tx, SYSTEM_ACTOR, target === 'paid' ? 'payable.paid' : 'payable.release_batch', p, { paidFen: p.paidFen, reservedFen: p.reservedFen, status: p.status }, {
        paidFen: next.paidFen, reservedFen: next.reservedFen, status: payableStatus(next), batchNo: item.batchNo,
      });
    }
  };

  private auditPayable(tx: Tx, actor: Actor, action: string, p: Payable, before: object, after: object) {
    return tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'payable', entityId: String(p.id), before: snapshot(before), after: snapshot(after) }, this.clock.now());
  }
}

/** Payables with nothing held on them and money owed, due by `dueTo` (all pages). */
async function dueOpenPayables(tx: Tx, dueTo: string): Promise<Payable[]> {
  const out: Payable[] = [];
  for (let page = 1; ; page++) {
    const p = await tx.suppliers.listPayables({ statuses: ['open'], dueTo }, page, 200);
    out.push(...p.items);
    if (p.items.length < 200 || out.length >= p.total) return out;
  }
}

/** Payables some 付款单 (even a draft being prepared) means to pay: the batch leaves them to it. */
async function paidByOpenPaymentOrders(tx: Tx, payableIds: readonly number[]): Promise<Set<number>> {
  const blocked = new Set<number>();
  for (const id of payableIds) {
    const refs = await tx.suppliers.paymentsOfPayable(id);
    if (!refs.length) continue;
    const payments = await tx.suppliers.paymentsByNos(refs.map((r) => r.paymentNo));
    if (payments.some((p) => OPEN_PAYMENT_STATUSES.has(p.status))) blocked.add(id);
  }
  return blocked;
}
