import type { ChannelInput } from '../../../src-main/api/contract';
import { call } from '../../app/api';

export type ReportInput = ChannelInput<'recon.exportReport'>;

/**
 * Saves bytes the main process sent as base64 as a file, through the browser's download: in the web
 * host the browser's own download, in the desktop app Electron's (which asks where to save it).
 */
export function saveFile(fileName: string, mimeType: string, base64: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has taken the blob by the next task; keep the URL a little longer for slow hosts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** 导出 Excel: the report workbook built in the main process, saved as a file. */
export async function downloadReport(input: ReportInput): Promise<{ fileName: string; differences: number }> {
  const file = await call('recon.exportReport', input);
  saveFile(file.fileName, file.mimeType, file.content);
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
