import type { ChannelInput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { saveBase64File } from '../../components/file-transfer';

export type ReportInput = ChannelInput<'recon.exportReport'>;

/** 导出 Excel: the report workbook built in the main process, saved as a file. */
export async function downloadReport(input: ReportInput): Promise<{ fileName: string; differences: number }> {
  const file = await call('recon.exportReport', input);
  saveBase64File(file.fileName, file.mimeType, file.content);
  return file;
}

/** The printable report's address (src-renderer/print/ReconReport.tsx). */
export function reportPath(input: ReportInput): string {
  const q = new URLSearchParams({ period: input.period, date: input.date, ...(input.channel ? { channel: input.channel } : {}) });
  return `/reconciliation/report?${q.toString()}`;
}

/** The report a run belongs to: its day, or its week / month. */
export function runReportInput(run: { period: ReportInput['period']; date: string; channel: NonNullable<ReportInput['channel']> }): ReportInput {
  return { period: run.period, date: run.date, channel: run.channel };
}
