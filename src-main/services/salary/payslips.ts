import { DomainError } from '../../core/errors';
import { OUTBOX_CHANNEL_LABELS, OUTBOX_STATUS_LABELS, renderTemplate, type OutboxChannelCode, type OutboxStatusCode } from '../../core/notifications/notification-templates';
import { formatRate, formatUnits } from '../../core/salary/salary-calc';
import { checkMonth, LINE_PAYOUT_STATUS_LABELS, SHEET_STATUS_LABELS, type SheetStatus } from '../../core/salary/salary-sheet';
import type { Store } from '../../db/store';
import { employeeView, type EmployeeView } from './employee-service';
import { lineView, type SheetLineView } from './salary-sheet-service';

export interface PayslipView {
  employee: EmployeeView;
  month: string;
  line: SheetLineView;
  unitsText: string;
  rateText: string;
  payoutStatusLabel: string;
  sheetStatus: SheetStatus;
  sheetStatusLabel: string;
  /** The 工资条 message (once paid): its channel, whether it was sent, and its words. */
  notification: { channelLabel: string; statusLabel: string; sentAt: number | null; content: string } | null;
}

/** 工资条 lookup (design document 2.3.1 提供薪资明细查询): one employee's months, and one month in detail. */
export class Payslips {
  constructor(private readonly store: Store) {}

  /** The months an employee has a salary line, newest first. */
  async months(employeeId: number) {
    return this.store.read(async (tx) => {
      const e = await tx.salary.findEmployee(employeeId);
      if (!e) throw new DomainError('EMPLOYEE_NOT_FOUND', `员工 #${employeeId} 不存在`);
      const lines = await tx.salary.linesOfEmployee(employeeId);
      return {
        employee: employeeView(e),
        months: lines.map((l) => ({ month: l.month, grossFen: l.grossFen, deductionFen: l.deductionFen, netFen: l.netFen, payoutStatus: l.payoutStatus, payoutStatusLabel: LINE_PAYOUT_STATUS_LABELS[l.payoutStatus], paidAt: l.paidAt })),
      };
    });
  }

  async payslip(employeeId: number, month: string): Promise<PayslipView> {
    checkMonth(month);
    return this.store.read(async (tx) => {
      const e = await tx.salary.findEmployee(employeeId);
      if (!e) throw new DomainError('EMPLOYEE_NOT_FOUND', `员工 #${employeeId} 不存在`);
      const line = await tx.salary.findLine(month, employeeId);
      if (!line) throw new DomainError('PAYSLIP_NOT_FOUND', `${e.name} 在 ${month} 没有薪资记录`);
      const sheet = await tx.salary.findSheet(month);
      const status = sheet?.status ?? 'draft';
      let notification: PayslipView['notification'] = null;
      if (line.payslipOutboxId !== null) {
        const sent = (await tx.salary.outboxStatuses([line.payslipOutboxId])).get(line.payslipOutboxId);
        if (sent)
          notification = {
            channelLabel: OUTBOX_CHANNEL_LABELS[sent.channel as OutboxChannelCode] ?? sent.channel,
            statusLabel: OUTBOX_STATUS_LABELS[sent.status as OutboxStatusCode] ?? sent.status,
            sentAt: sent.sentAt,
            content: renderTemplate('salary_payslip', sent.params),
          };
      }
      return {
        employee: employeeView(e), month, line: lineView(line, e), unitsText: formatUnits(line.unitsMilli), rateText: formatRate(line.rateCfen),
        payoutStatusLabel: LINE_PAYOUT_STATUS_LABELS[line.payoutStatus], sheetStatus: status, sheetStatusLabel: SHEET_STATUS_LABELS[status], notification,
      };
    });
  }
}
