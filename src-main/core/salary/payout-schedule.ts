import { DEFAULT_SALARY_SCHEDULE, validateSchedule, type SalarySchedule } from './salary-sheet';
import { DEFAULT_SUPPLIER_TERMS_SCHEDULE, validateSupplierTerms, type SupplierTermsSchedule } from './supplier-terms';

/** 发放设置 (系统设置, key `payout_schedule`): when batches are drafted automatically (issue 7). */
export interface PayoutSchedule {
  salary: SalarySchedule;
  supplierTerms: SupplierTermsSchedule;
}

export const DEFAULT_PAYOUT_SCHEDULE: PayoutSchedule = { salary: DEFAULT_SALARY_SCHEDULE, supplierTerms: DEFAULT_SUPPLIER_TERMS_SCHEDULE };

export function validatePayoutSchedule(s: PayoutSchedule): PayoutSchedule {
  return { salary: validateSchedule(s.salary), supplierTerms: validateSupplierTerms(s.supplierTerms) };
}

/** A stored value merged over the defaults (a key added later gets its default). */
export function payoutScheduleOf(stored: unknown): PayoutSchedule {
  const v = (stored ?? {}) as Partial<PayoutSchedule>;
  return { salary: { ...DEFAULT_SALARY_SCHEDULE, ...v.salary }, supplierTerms: { ...DEFAULT_SUPPLIER_TERMS_SCHEDULE, ...v.supplierTerms } };
}
