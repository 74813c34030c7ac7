import { DomainError } from '../errors';
import { MAX_FEN, type Fen } from '../money';
import { openFen, type Payable } from '../suppliers/supplier-payment';

/**
 * 供应商批量付款 by contract payment terms (design document 2.4.3 付款周期, issue 7): the payables
 * falling due are gathered into one supplier 批量付款, one line per supplier (each supplier is paid
 * once, for all of its due payables). A payable is taken only when nothing else is paying it: no
 * money held on it (a submitted 付款单 or another batch reserves), no open 付款单 over it (a draft
 * someone is preparing), and something still owed. What is taken is reserved on the payable at
 * once, like a submitted 付款单, so neither a 付款单 nor a second batch can pay it again.
 */
export interface SupplierTermsSchedule {
  /** Draft the supplier batch automatically once a day. */
  autoDraft: boolean;
  /** Take payables due within this many days from today (0: due today or overdue). */
  leadDays: number;
}

export const DEFAULT_SUPPLIER_TERMS_SCHEDULE: SupplierTermsSchedule = { autoDraft: true, leadDays: 0 };
export const MAX_LEAD_DAYS = 31;

export function validateSupplierTerms(s: SupplierTermsSchedule): SupplierTermsSchedule {
  if (!Number.isInteger(s.leadDays) || s.leadDays < 0 || s.leadDays > MAX_LEAD_DAYS) throw new DomainError('SUPPLIER_TERMS_INVALID', `提前付款天数应为 0 至 ${MAX_LEAD_DAYS} 天`);
  return { autoDraft: Boolean(s.autoDraft), leadDays: s.leadDays };
}

export interface TermsLine {
  supplierId: number;
  /** In id order (the order payables are locked in). */
  allocations: { payableId: number; amountFen: Fen }[];
  amountFen: Fen;
}

/**
 * Which payables a supplier batch takes, grouped per supplier (suppliers in id order). `dueTo` is the
 * last due date taken; `blocked` are payables an open 付款单 refers to; `activeSuppliers` those that
 * may still be paid.
 */
export function planTermsBatch(payables: readonly Payable[], dueTo: string, blocked: ReadonlySet<number>, activeSuppliers: ReadonlySet<number>): TermsLine[] {
  const bySupplier = new Map<number, TermsLine>();
  for (const p of [...payables].sort((a, b) => a.id - b.id)) {
    if (p.dueDate > dueTo || p.reservedFen !== 0 || p.status !== 'open' || blocked.has(p.id) || !activeSuppliers.has(p.supplierId)) continue;
    const amount = openFen(p);
    if (amount <= 0) continue;
    const line = bySupplier.get(p.supplierId) ?? { supplierId: p.supplierId, allocations: [], amountFen: 0 };
    line.allocations.push({ payableId: p.id, amountFen: amount });
    line.amountFen += amount;
    if (line.amountFen > MAX_FEN) throw new DomainError('AMOUNT_TOO_LARGE', '供应商到期应付合计超过上限');
    bySupplier.set(p.supplierId, line);
  }
  return [...bySupplier.values()].sort((a, b) => a.supplierId - b.supplierId);
}

/** Where a reserved allocation goes when its batch item settles: paid on success, given back on cancel, held on a failure (it may be re-sent). */
export function allocationAfter(state: 'success' | 'failed' | 'cancelled'): 'paid' | 'released' | 'reserved' {
  return state === 'success' ? 'paid' : state === 'cancelled' ? 'released' : 'reserved';
}
