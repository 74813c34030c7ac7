import type { Clock } from '../../core/time';
import type { Store } from '../../db/store';
import type { BatchDrafting } from '../batches/batch-ports';
import type { NotificationService } from '../notifications/notification-service';
import type { SettingsService } from '../settings/settings-service';
import { EmployeeService } from './employee-service';
import { Payslips } from './payslips';
import { SalaryBatches } from './salary-batches';
import { SalaryImport } from './salary-import';
import { SalarySheetService } from './salary-sheet-service';
import { SupplierTermsBatches } from './supplier-terms-batches';

/**
 * 薪资 (issue 7, design document 2.3) and the supplier batches by payment terms (2.4.3), as the
 * composition root sees them: the services, the one call that joins them to the batch engine, and
 * the periodic jobs (pay day, daily supplier terms), each a no-op until it is due.
 */
export class SalaryServices {
  readonly employees: EmployeeService;
  readonly sheets: SalarySheetService;
  readonly imports: SalaryImport;
  /** Drafting the salary batch (pay day or by hand) and following its items. */
  readonly payouts: SalaryBatches;
  readonly payslips: Payslips;
  readonly supplierTerms: SupplierTermsBatches;

  constructor(store: Store, clock: Clock, settings: SettingsService, notifications: NotificationService) {
    this.employees = new EmployeeService(store, clock);
    this.sheets = new SalarySheetService(store, clock, settings);
    this.imports = new SalaryImport(store, clock, this.sheets);
    this.payouts = new SalaryBatches(store, clock, settings, this.sheets, notifications);
    this.payslips = new Payslips(store);
    this.supplierTerms = new SupplierTermsBatches(store, clock, settings);
  }

  /** Drafts go through the batch engine; its item settlements come back to the sheets and payables. */
  useBatches(batches: BatchDrafting): void {
    this.payouts.useBatches(batches);
    this.supplierTerms.useBatches(batches);
    batches.onItemSettled(this.payouts.onItemSettled);
    batches.onItemSettled(this.supplierTerms.onItemSettled);
  }

  /** One periodic job for operations.addJob: trouble is logged and tried again next tick, never stops the other jobs. */
  async runDue(): Promise<void> {
    await this.payouts.runPayDay().catch((e: unknown) => console.error('[salary-payday]', e));
    await this.supplierTerms.runDaily().catch((e: unknown) => console.error('[supplier-terms]', e));
  }
}
