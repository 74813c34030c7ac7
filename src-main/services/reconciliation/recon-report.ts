import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, type PaymentMethod } from '../../core/orders/order-types';
import { DIFF_TYPES, type DiffType } from '../../core/reconciliation/recon-diff';
import { RECON_REPORT_LABELS } from '../../core/reconciliation/recon-vocabulary';
import type { Clock } from '../../core/time';
import type { ReportDiff } from '../../db/repositories/recon-report-repository';
import { DIFF_STATUSES, type DiffStatus, type ReconPeriod, type ReconRun } from '../../db/repositories/recon-repository';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import { writeReportWorkbook } from './recon-report-excel';
import { addDays, periodRange } from './recon-service';

export interface ReportInput {
  period: ReconPeriod;
  /** Any day of the period (YYYY-MM-DD): the day itself, its week (Monday–Sunday) or its month. */
  date: string;
  /** One channel, or every channel reconciled in the period. */
  channel?: PaymentMethod;
}

type Counted = Record<DiffType, { count: number; amountFen: number }>;

/** A channel's (or all channels') figures over the period: the sum of its current daily runs. */
export interface ReportTotals {
  channel: PaymentMethod | null;
  days: number;
  billCount: number;
  localCount: number;
  billPaidFen: number;
  billRefundedFen: number;
  platformFeeFen: number;
  matchedCount: number;
  matchedFen: number;
  heldCount: number;
  diffCount: number;
  diffFen: number;
  diffs: Counted;
}

export interface ReportDay extends ReportTotals {
  channel: PaymentMethod;
  date: string;
  runId: number;
}

export interface ReportTypeRow {
  type: DiffType;
  count: number;
  amountFen: number;
  /** Where the period's differences of this type stand now. */
  statuses: Record<DiffStatus, number>;
}

export interface ReconReportModel {
  period: ReconPeriod;
  from: string;
  to: string;
  channel: PaymentMethod | null;
  title: string;
  generatedAt: number;
  generatedBy: string;
  channels: ReportTotals[];
  total: ReportTotals;
  byType: ReportTypeRow[];
  /** One row per channel and day (weekly and monthly reports). */
  days: ReportDay[];
  adjustments: { channel: PaymentMethod; account: string; count: number; amountFen: number }[];
  /** Days of the period without a finished daily run, per channel reconciled in it. */
  missingDays: { channel: PaymentMethod; dates: string[] }[];
  /** The largest differences (the printed report's table). */
  top: ReportDiff[];
}

const emptyCounted = (): Counted => Object.fromEntries(DIFF_TYPES.map((t) => [t, { count: 0, amountFen: 0 }])) as Counted;
const emptyTotals = (channel: PaymentMethod | null): ReportTotals => ({
  channel,
  days: 0,
  billCount: 0,
  localCount: 0,
  billPaidFen: 0,
  billRefundedFen: 0,
  platformFeeFen: 0,
  matchedCount: 0,
  matchedFen: 0,
  heldCount: 0,
  diffCount: 0,
  diffFen: 0,
  diffs: emptyCounted(),
});

function add(t: ReportTotals, r: ReconRun): void {
  t.days++;
  t.billCount += r.billCount;
  t.localCount += r.localCount;
  t.billPaidFen += r.billPaidFen;
  t.billRefundedFen += r.billRefundedFen;
  t.platformFeeFen += r.platformFeeFen;
  t.matchedCount += r.summary.matchedCount;
  t.matchedFen += r.summary.matchedFen;
  t.heldCount += r.summary.heldCount;
  for (const type of DIFF_TYPES) {
    const d = r.summary.diffs[type];
    t.diffs[type].count += d.count;
    t.diffs[type].amountFen += d.amountFen;
    t.diffCount += d.count;
    t.diffFen += d.amountFen;
  }
}

const TOP_DIFFS = 20;

/**
 * 对账报表 per day, week or month (design document 4.3.1 step 4 对账报表, issue 6): the current
 * daily runs of the period added up per channel and in total, the differences by type with where
 * they stand now, the days, the adjustments; as an Excel workbook (recon-report-excel.ts, streamed
 * a page of differences at a time) or as the data of the printable report.
 */
export class ReconReportService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Differences read per query while writing the workbook's detail sheet. */
    private readonly pageSize = 2000,
  ) {}

  private range(input: ReportInput): { from: string; to: string } {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || addDays(input.date, 0) !== input.date) throw new DomainError('RECON_DATE_INVALID', `报表日期不正确：${input.date}（应为 YYYY-MM-DD）`);
    return input.period === 'daily' ? { from: input.date, to: input.date } : periodRange(input.period, input.date);
  }

  /** The daily runs a report covers, in date then channel order. */
  private async runsOf(r: Tx, input: ReportInput, from: string, to: string): Promise<ReconRun[]> {
    const channels = input.channel ? [input.channel] : PAYMENT_METHODS;
    const runs: ReconRun[] = [];
    for (const c of channels) runs.push(...(await r.recon.currentDailyRuns(c, from, to)));
    return runs.sort((a, b) => a.billDate.localeCompare(b.billDate) || PAYMENT_METHODS.indexOf(a.channel) - PAYMENT_METHODS.indexOf(b.channel));
  }

  private async build(r: Tx, actor: Actor, input: ReportInput): Promise<{ model: ReconReportModel; runs: ReconRun[] }> {
    const { from, to } = this.range(input);
    const runs = await this.runsOf(r, input, from, to);
    const span = input.period === 'daily' ? from : `${from} 至 ${to}`;
    if (!runs.length) throw new DomainError('RECON_REPORT_EMPTY', `${input.channel ? PAYMENT_METHOD_LABELS[input.channel] : '各渠道'} ${span} 还没有完成的对账，无法生成报表`);

    const byChannel = new Map<PaymentMethod, ReportTotals>();
    const total = emptyTotals(null);
    const days: ReportDay[] = [];
    for (const run of runs) {
      let t = byChannel.get(run.channel);
      if (!t) byChannel.set(run.channel, (t = emptyTotals(run.channel)));
      add(t, run);
      add(total, run);
      const day: ReportDay = { ...emptyTotals(run.channel), channel: run.channel, date: run.billDate, runId: run.id };
      add(day, run);
      days.push(day);
    }
    const channels = PAYMENT_METHODS.filter((c) => byChannel.has(c)).map((c) => byChannel.get(c)!);
    const missingDays = channels.map((t) => {
      const covered = new Set(days.filter((d) => d.channel === t.channel).map((d) => d.date));
      const dates: string[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) if (!covered.has(d)) dates.push(d);
      return { channel: t.channel!, dates };
    });

    const runIds = runs.map((x) => x.id);
    const statuses = await r.reconReports.statusCounts(runIds);
    const byType: ReportTypeRow[] = DIFF_TYPES.map((type) => ({
      type,
      count: total.diffs[type].count,
      amountFen: total.diffs[type].amountFen,
      statuses: Object.fromEntries(DIFF_STATUSES.map((s) => [s, statuses.filter((x) => x.type === type && x.status === s).reduce((n, x) => n + x.count, 0)])) as Record<DiffStatus, number>,
    }));
    const model: ReconReportModel = {
      period: input.period,
      from,
      to,
      channel: input.channel ?? null,
      title: `${input.channel ? PAYMENT_METHOD_LABELS[input.channel] : '全部渠道'} ${RECON_REPORT_LABELS[input.period]}（${span}）`,
      generatedAt: this.clock.now(),
      generatedBy: actor.name,
      channels,
      total,
      byType,
      days: input.period === 'daily' ? [] : days,
      adjustments: await r.reconReports.adjustmentTotals(from, to, input.channel),
      missingDays: missingDays.filter((m) => m.dates.length > 0),
      top: await r.reconReports.topDiffs(runIds, TOP_DIFFS),
    };
    return { model, runs };
  }

  /** The report's figures and largest differences (the printable report). */
  async report(actor: Actor, input: ReportInput): Promise<ReconReportModel> {
    return (await this.store.read((r) => this.build(r, actor, input))).model;
  }

  /**
   * The Excel workbook: 汇总, 按日 (week / month) and 差异明细 with every difference of the period.
   * Written with exceljs's streaming writer, the differences read a page at a time, so memory holds
   * the compressed file and one page, whatever the number of differences. The export is audited.
   */
  async exportExcel(actor: Actor, input: ReportInput): Promise<{ fileName: string; bytes: Buffer; differences: number }> {
    const { model, runs } = await this.store.read((r) => this.build(r, actor, input));
    const pages = this.detailPages(runs);
    const { bytes, rows } = await writeReportWorkbook(model, pages);
    const scope = input.channel ?? 'all';
    const span = input.period === 'daily' ? model.from : `${model.from}_${model.to}`;
    const fileName = `${RECON_REPORT_LABELS[input.period]}_${input.channel ? PAYMENT_METHOD_LABELS[input.channel] : '全部渠道'}_${span}.xlsx`;
    await this.store.transaction((tx) =>
      tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'recon.report.export', entityType: 'recon_report', entityId: `${input.period}:${scope}:${span}`, before: null, after: snapshot({ fileName, differences: rows, size: bytes.length }) }, this.clock.now()),
    );
    return { fileName, bytes, differences: rows };
  }

  /** The period's differences, run by run, a page at a time, with their notes and adjustments. */
  private async *detailPages(runs: readonly ReconRun[]): AsyncIterable<DetailRow[]> {
    for (const run of runs) {
      let after = 0;
      for (;;) {
        const page = await this.store.read(async (r) => {
          const diffs = await r.reconReports.diffPage(run.id, after, this.pageSize);
          const ids = diffs.map((d) => d.id);
          const notes = await r.reconReports.notesOf(ids);
          const adjustments = await r.reconReports.adjustmentsOf(ids);
          return diffs.map((d) => ({ diff: d, notes: notes.get(d.id) ?? [], adjustments: adjustments.get(d.id) ?? [] }));
        });
        if (page.length) yield page;
        if (page.length < this.pageSize) break;
        after = page[page.length - 1]!.diff.id;
      }
    }
  }
}

export interface DetailRow {
  diff: ReportDiff;
  notes: { authorName: string; body: string; createdAt: number }[];
  adjustments: { account: string; amountFen: number; reason: string }[];
}
