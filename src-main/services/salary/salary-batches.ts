import { DomainError } from '../../core/errors';
import { fenToYuanString } from '../../core/money';
import { maskEmployeeAccount, type Employee } from '../../core/salary/employee';
import {
  assertDraftable, isLineDraftable, linePayoutAfter, payDateOf, payoutCounts, sheetStatusFromCounts, SHEET_STATUS_LABELS,
  type SalaryLine,
} from '../../core/salary/salary-sheet';
import { PAYEE_CHANNEL_LABELS } from '../../core/suppliers/supplier-payment';
import { formatShanghai, shanghaiDate, type Clock } from '../../core/time';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { NewOutboxItem } from '../../db/repositories/outbox-repository';
import type { Store, Tx } from '../../db/store';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { BatchDrafting, BatchLineInput, DraftedBatch, SettledBatchItem } from '../batches/batch-ports';
import type { NotificationService } from '../notifications/notification-service';
import type { SettingsService } from '../settings/settings-service';
import { describeTotals, type SalarySheetService } from './salary-sheet-service';

export interface DraftResult extends DraftedBatch {
  month: string;
  lineCount: number;
  amountFen: number;
}

/**
 * From a reviewed 薪资表 to a salary 批量付款 and back (design document 2.3.2 steps 3 and 8–9):
 *  - the batch is drafted inside the sheet's own transaction, under the sheet's row lock, so two
 *    server instances running the pay-day job (or a person clicking at the same moment) draft it
 *    once: the second one finds the sheet already 已生成批量 and does nothing;
 *  - each batch item's settlement (called by the batch engine inside its settling transaction)
 *    moves the employee's line to 已发放 / 发放失败 / 已取消, keeps the sheet's counts and status, and
 *    writes the employee's 工资条 message to the notification outbox on success — all in that
 *    transaction, so a rolled-back settlement leaves no payslip behind.
 */
export class SalaryBatches {
  private batches: BatchDrafting | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    private readonly sheets: SalarySheetService,
    private readonly notifications: NotificationService,
  ) {}

  useBatches(batches: BatchDrafting): void {
    this.batches = batches;
  }

  private engine(): BatchDrafting {
    if (!this.batches) throw new DomainError('BATCHES_UNAVAILABLE', '批量付款服务不可用');
    return this.batches;
  }

  /** 生成批量付款 by hand: any time once the sheet is reviewed (also for lines cancelled from an earlier batch). */
  draftBatch(actor: Actor, month: string, version?: number): Promise<DraftResult> {
    return this.store.transaction(async (tx) => (await this.draftInTx(tx, actor, month, { auto: false, version }))!);
  }

  /**
   * The pay-day job: every reviewed sheet never drafted yet whose pay date has come (today or
   * missed while no server ran) gets its batch. Returns the months drafted by this instance.
   */
  async runPayDay(): Promise<string[]> {
    const { salary: schedule } = await this.settings.payoutSchedule();
    if (!schedule.autoDraft || !this.batches) return [];
    const today = shanghaiDate(this.clock.now());
    const due = (await this.store.read((tx) => tx.salary.sheetsAwaitingFirstBatch())).filter((m) => payDateOf(m, schedule) <= today);
    const drafted: string[] = [];
    for (const month of due) {
      try {
        const r = await this.store.transaction((tx) => this.draftInTx(tx, SYSTEM_ACTOR, month, { auto: true }));
        if (r) drafted.push(month);
      } catch (e) {
        // One month's trouble (an employee without a valid account) must not stop the others; it is tried again next tick.
        console.error('[salary-payday]', month, e);
      }
    }
    return drafted;
  }

  private async draftInTx(tx: Tx, actor: Actor, month: string, opts: { auto: boolean; version?: number }): Promise<DraftResult | null> {
    const sheet = await this.sheets.lockSheet(tx, month, false);
    // The job re-checks under the lock: another instance (or a person) may have drafted it meanwhile.
    if (opts.auto && (sheet.status !== 'approved' || sheet.batchId !== null)) return null;
    if (opts.version !== undefined && opts.version !== sheet.version) throw new ConcurrentUpdateError();
    assertDraftable(sheet.status);
    const lines = await tx.salary.linesOf(month, { forUpdate: true });
    const employees = await tx.salary.employeesByIds(lines.map((l) => l.employeeId));
    const take = lines.filter(isLineDraftable);
    if (!take.length) throw new DomainError('SALARY_NOTHING_TO_PAY', '薪资表中没有待发放的薪资（实发均为 0 或已发放）');
    const batchLines = take.map((l) => batchLineOf(l, employees.get(l.employeeId), month));
    const amountFen = take.reduce((s, l) => s + l.netFen, 0);
    const batch = await this.engine().draftInTx(
      tx,
      {
        type: 'salary', title: `${month} 员工工资`, sourceKind: 'salary_sheet', sourceRef: month, lines: batchLines,
        // Drafted on pay day by the job, it goes straight to the approvers; drafted by hand, finance submits it.
        submit: opts.auto,
        description: `${describeTotals(take.length, amountFen)}（薪资表 ${month}，${sheet.reviewedByName ?? ''} 审核）`,
      },
      actor,
    );
    const now = this.clock.now();
    const taken = new Set(take.map((l) => l.id));
    const skipped = lines.filter((l) => l.netFen === 0 && l.payoutStatus === 'unpaid');
    await tx.salary.updateLines([
      ...take.map((l) => ({ id: l.id, version: l.version, patch: { payoutStatus: 'in_batch' as const, batchId: batch.batchId, batchNo: batch.batchNo, batchItemId: null, failReason: null } })),
      ...skipped.map((l) => ({ id: l.id, version: l.version, patch: { payoutStatus: 'skipped' as const, batchId: null, batchNo: null, batchItemId: null, failReason: null } })),
    ]);
    const after = lines.map((l) => ({ payoutStatus: taken.has(l.id) ? ('in_batch' as const) : l.netFen === 0 && l.payoutStatus === 'unpaid' ? ('skipped' as const) : l.payoutStatus }));
    const counts = payoutCounts(after);
    await tx.salary.updateSheet(month, sheet.version, {
      status: 'batch_drafted', batchId: batch.batchId, batchNo: batch.batchNo, batchDraftedAt: now, batchDraftedByName: actor.name, payoutCounts: counts,
      ...(opts.auto ? { autoDrafted: true } : {}),
    });
    await this.sheets.audit(tx, actor, 'salary.sheet.batch', month, { status: sheet.status }, {
      status: 'batch_drafted', batchNo: batch.batchNo, lineCount: take.length, netFen: amountFen, auto: opts.auto,
    });
    return { ...batch, month, lineCount: take.length, amountFen };
  }

  /** Registered with the batch engine: salary items move their lines (2.3.2 step 8) and tell the employee (step 9). */
  readonly onItemSettled = async (tx: Tx, item: SettledBatchItem): Promise<void> => {
    if (item.sourceKind !== 'salary_sheet' || item.employeeId === null || !item.sourceRef) return;
    const month = item.sourceRef;
    // Sheet first, then the line: the order every writer of a sheet locks in.
    const sheet = await tx.salary.findSheet(month, { forUpdate: true });
    const line = await tx.salary.findLine(month, item.employeeId, { forUpdate: true });
    // A late answer about an item of an older batch of the month (its line was re-drafted since) changes nothing.
    if (!sheet || !line || line.batchId !== item.batchId) return;
    const next = linePayoutAfter(line.payoutStatus, item.state);
    if (next === line.payoutStatus && line.batchItemId === item.itemId) return; // a replay
    const now = this.clock.now();
    const employee = await tx.salary.findEmployee(item.employeeId);
    let payslipOutboxId = line.payslipOutboxId;
    const message = next === 'paid' && line.payoutStatus !== 'paid' && employee ? payslipMessage(line, employee, now) : null;
    if (message) payslipOutboxId = (await this.notifications.enqueue(tx, message)) ?? payslipOutboxId;
    await tx.salary.updateLine(line.id, line.version, {
      payoutStatus: next, batchItemId: item.itemId, paidAt: next === 'paid' ? (line.paidAt ?? now) : null,
      failReason: next === 'paid' ? null : (item.failReason ?? (next === 'cancelled' ? '批量付款已取消' : null)), payslipOutboxId,
    });
    const counts = { ...sheet.payoutCounts, [line.payoutStatus]: sheet.payoutCounts[line.payoutStatus] - 1 };
    counts[next] += 1;
    const status = sheetStatusFromCounts(counts);
    await tx.salary.updateSheet(month, sheet.version, { status, payoutCounts: counts });
    await this.sheets.audit(tx, SYSTEM_ACTOR, 'salary.line.payout', month, { employeeNo: employee?.employeeNo, payoutStatus: line.payoutStatus }, {
      employeeNo: employee?.employeeNo, name: employee?.name, payoutStatus: next, batchNo: item.batchNo, netFen: line.netFen, failReason: item.failReason,
      ...(status !== sheet.status ? { sheetStatus: SHEET_STATUS_LABELS[status] } : {}),
    });
  };
}

function batchLineOf(l: SalaryLine, e: Employee | undefined, month: string): BatchLineInput {
  if (!e) throw new DomainError('EMPLOYEE_NOT_FOUND', `员工 #${l.employeeId} 不存在`);
  return {
    payeeName: e.name, channel: e.payeeChannel, account: e.account, bankName: e.payeeChannel === 'bank' ? e.bankName : undefined, amountFen: l.netFen,
    remark: `${month} 工资 ${e.employeeNo}`, employeeId: e.id, contactPhone: e.phone || undefined,
  };
}

/** 工资条: by SMS to the employee's phone, or a WeChat message to the openid they are paid on; nothing when neither is known. */
export function payslipMessage(l: SalaryLine, e: Employee, paidAt: number): NewOutboxItem | null {
  const recipient = e.phone || (e.payeeChannel === 'wechat' ? e.account : '');
  if (!recipient) return null;
  return {
    channel: e.phone ? 'sms' : 'wechat_template',
    recipient,
    templateCode: 'salary_payslip',
    params: {
      name: e.name, month: l.month, paidAt: formatShanghai(paidAt), channel: PAYEE_CHANNEL_LABELS[e.payeeChannel], account: maskEmployeeAccount(e),
      base: fenToYuanString(l.baseFen), workload: fenToYuanString(l.workloadFen), allowance: fenToYuanString(l.allowanceFen), gross: fenToYuanString(l.grossFen),
      deduction: fenToYuanString(l.deductionFen), net: fenToYuanString(l.netFen),
    },
    dedupeKey: `payslip:${l.month}:${e.id}`,
  };
}
