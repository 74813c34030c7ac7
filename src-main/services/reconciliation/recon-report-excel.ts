import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { PAYMENT_METHOD_LABELS } from '../../core/orders/order-types';
import { DIFF_TYPE_LABELS, DIFF_TYPES } from '../../core/reconciliation/recon-diff';
import {
  ADJUSTMENT_ACCOUNT_LABELS,
  DIFF_RESOLUTION_LABELS,
  DIFF_STATUS_LABELS,
  RECON_FIELD_LABELS,
  RECORD_KIND_LABELS,
  RECORD_STATE_LABELS,
} from '../../core/reconciliation/recon-vocabulary';
import { formatShanghai } from '../../core/time';
import type { StagedRow } from '../../db/repositories/recon-repository';
import type { DetailRow, ReconReportModel, ReportTotals } from './recon-report';

/** Amounts are stored in fen and written as yuan numbers in this format (negative in red, as accountants expect). */
export const MONEY_FORMAT = '"¥"#,##0.00;[Red]-"¥"#,##0.00';
const COUNT_FORMAT = '#,##0';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F2F5' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFAFAFA' } };
const THIN: Partial<ExcelJS.Borders> = { bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } } };

const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? null : fen / 100);
const label = <K extends string>(labels: Record<K, string>, code: string | null | undefined) => (code ? (labels[code as K] ?? code) : '');

type Col = { header: string; key: string; width: number; money?: boolean; count?: boolean };

/** A sheet's columns: widths and number formats by column, the header row bold on grey, frozen. */
function header(ws: ExcelJS.Worksheet, cols: readonly Col[], rowNumber?: number): void {
  const values = cols.map((c) => c.header);
  const row = rowNumber === undefined ? ws.addRow(values) : ws.getRow(rowNumber);
  if (rowNumber !== undefined) row.values = values;
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  row.height = 20;
  cols.forEach((_, i) => {
    const cell = row.getCell(i + 1);
    cell.fill = HEADER_FILL;
    cell.border = THIN;
  });
  row.commit();
}

function setColumns(ws: ExcelJS.Worksheet, cols: readonly Col[]): void {
  ws.columns = cols.map((c) => ({ key: c.key, width: c.width, style: c.money ? { numFmt: MONEY_FORMAT } : c.count ? { numFmt: COUNT_FORMAT } : {} }));
}

/** Adds a data row with the columns' number formats on its cells (the streaming writer does not apply column styles to values). */
function dataRow(ws: ExcelJS.Worksheet, cols: readonly Col[], values: readonly unknown[], opts: { bold?: boolean; fill?: ExcelJS.Fill } = {}): ExcelJS.Row {
  const row = ws.addRow([...values]);
  cols.forEach((c, i) => {
    const cell = row.getCell(i + 1);
    if (c.money) cell.numFmt = MONEY_FORMAT;
    else if (c.count) cell.numFmt = COUNT_FORMAT;
    if (opts.fill) cell.fill = opts.fill;
  });
  if (opts.bold) row.font = { bold: true };
  return row;
}

// ───────────────────────────── 汇总 ─────────────────────────────

const CHANNEL_COLS: Col[] = [
  { header: '渠道', key: 'a', width: 14 },
  { header: '对账天数', key: 'b', width: 10, count: true },
  { header: '账单笔数', key: 'c', width: 12, count: true },
  { header: '本地笔数', key: 'd', width: 12, count: true },
  { header: '已匹配笔数', key: 'e', width: 12, count: true },
  { header: '已匹配金额', key: 'f', width: 16, money: true },
  { header: '差异笔数', key: 'g', width: 10, count: true },
  { header: '差异金额', key: 'h', width: 16, money: true },
  { header: '平台手续费', key: 'i', width: 14, money: true },
  { header: '账单收款', key: 'j', width: 16, money: true },
  { header: '账单退款', key: 'k', width: 16, money: true },
  { header: '次日核对', key: 'l', width: 10, count: true },
];
const channelValues = (t: ReportTotals) => [
  t.channel ? PAYMENT_METHOD_LABELS[t.channel] : '合计',
  t.days,
  t.billCount,
  t.localCount,
  t.matchedCount,
  yuan(t.matchedFen),
  t.diffCount,
  yuan(t.diffFen),
  yuan(t.platformFeeFen),
  yuan(t.billPaidFen),
  yuan(t.billRefundedFen),
  t.heldCount,
];

// The 汇总 sheet stacks several small tables; each table's columns reuse the sheet's column widths.
const TYPE_COLS: Col[] = [
  { header: '差异类型', key: 'a', width: 14 },
  { header: '笔数', key: 'b', width: 10, count: true },
  { header: '金额', key: 'c', width: 12, money: true },
  { header: DIFF_STATUS_LABELS.open, key: 'd', width: 12, count: true },
  { header: DIFF_STATUS_LABELS.in_progress, key: 'e', width: 12, count: true },
  { header: DIFF_STATUS_LABELS.resolved, key: 'f', width: 16, count: true },
  { header: DIFF_STATUS_LABELS.ignored, key: 'g', width: 10, count: true },
];
const ADJ_COLS: Col[] = [
  { header: '渠道', key: 'a', width: 14 },
  { header: '调账科目', key: 'b', width: 10 },
  { header: '笔数', key: 'c', width: 12, count: true },
  { header: '调账金额', key: 'd', width: 12, money: true },
];

function summarySheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, m: ReconReportModel): void {
  const ws = wb.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: 2 }], properties: { tabColor: { argb: 'FF1677FF' } } });
  // The sheet stacks small tables (channels, types, fees, adjustments): its first column holds the long type names.
  setColumns(ws, CHANNEL_COLS.map((c, i) => ({ ...c, width: i === 0 ? 30 : Math.max(c.width, 12), money: false, count: false })));
  const title = ws.addRow([m.title]);
  title.font = { bold: true, size: 14 };
  title.height = 24;
  // Merged while the rows are still open: the streaming writer refuses to touch a committed row.
  ws.mergeCells(1, 1, 1, CHANNEL_COLS.length);
  title.commit();
  ws.addRow([`生成时间 ${formatShanghai(m.generatedAt)} · 生成人 ${m.generatedBy} · 金额单位：元 · 账单期间 ${m.from} 至 ${m.to}`]);
  ws.mergeCells(2, 1, 2, CHANNEL_COLS.length);
  ws.getRow(2).commit();
  const section = (text: string) => {
    ws.addRow([]).commit();
    const r = ws.addRow([text]);
    r.font = { bold: true, size: 12 };
    r.commit();
  };

  section('一、按渠道汇总');
  header(ws, CHANNEL_COLS);
  for (const t of m.channels) dataRow(ws, CHANNEL_COLS, channelValues(t)).commit();
  dataRow(ws, CHANNEL_COLS, channelValues(m.total), { bold: true, fill: TOTAL_FILL }).commit();

  section('二、差异按类型（笔数、金额为对账发现时；处理状态为当前）');
  header(ws, TYPE_COLS);
  for (const t of m.byType) dataRow(ws, TYPE_COLS, [DIFF_TYPE_LABELS[t.type], t.count, yuan(t.amountFen), t.statuses.open, t.statuses.in_progress, t.statuses.resolved, t.statuses.ignored]).commit();
  const sum = (f: (t: (typeof m.byType)[number]) => number) => m.byType.reduce((s, t) => s + f(t), 0);
  dataRow(
    ws,
    TYPE_COLS,
    ['合计', sum((t) => t.count), yuan(sum((t) => t.amountFen)), sum((t) => t.statuses.open), sum((t) => t.statuses.in_progress), sum((t) => t.statuses.resolved), sum((t) => t.statuses.ignored)],
    { bold: true, fill: TOTAL_FILL },
  ).commit();

  section('三、手续费');
  const fee = m.byType.find((t) => t.type === 'fee')!;
  dataRow(ws, ADJ_COLS, ['平台手续费', '', '', yuan(m.total.platformFeeFen)]).commit();
  dataRow(ws, ADJ_COLS, ['手续费差异', '', fee.count, yuan(fee.amountFen)]).commit();

  section('四、调账');
  if (m.adjustments.length === 0) ws.addRow(['本期没有调账']).commit();
  else {
    header(ws, ADJ_COLS);
    for (const a of m.adjustments) dataRow(ws, ADJ_COLS, [PAYMENT_METHOD_LABELS[a.channel], label(ADJUSTMENT_ACCOUNT_LABELS, a.account), a.count, yuan(a.amountFen)]).commit();
  }

  if (m.missingDays.length) {
    section('五、未完成对账的日期');
    for (const d of m.missingDays) ws.addRow([PAYMENT_METHOD_LABELS[d.channel], d.dates.join('、')]).commit();
  }
  ws.commit();
}

// ───────────────────────────── 按日 ─────────────────────────────

const DAY_COLS: Col[] = [
  { header: '账单日', key: 'date', width: 12 },
  { header: '渠道', key: 'channel', width: 10 },
  { header: '账单笔数', key: 'bill', width: 10, count: true },
  { header: '本地笔数', key: 'local', width: 10, count: true },
  { header: '已匹配笔数', key: 'matched', width: 11, count: true },
  { header: '已匹配金额', key: 'matchedFen', width: 16, money: true },
  { header: '差异笔数', key: 'diffs', width: 10, count: true },
  { header: '差异金额', key: 'diffFen', width: 14, money: true },
  { header: '平台手续费', key: 'fee', width: 13, money: true },
  ...DIFF_TYPES.map((t) => ({ header: DIFF_TYPE_LABELS[t], key: t, width: 13, count: true })),
];

function daySheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, m: ReconReportModel): void {
  const ws = wb.addWorksheet('按日', { views: [{ state: 'frozen', ySplit: 1 }] });
  setColumns(ws, DAY_COLS);
  header(ws, DAY_COLS);
  for (const d of m.days)
    dataRow(ws, DAY_COLS, [d.date, PAYMENT_METHOD_LABELS[d.channel], d.billCount, d.localCount, d.matchedCount, yuan(d.matchedFen), d.diffCount, yuan(d.diffFen), yuan(d.platformFeeFen), ...DIFF_TYPES.map((t) => d.diffs[t].count)]).commit();
  dataRow(
    ws,
    DAY_COLS,
    ['合计', '', m.total.billCount, m.total.localCount, m.total.matchedCount, yuan(m.total.matchedFen), m.total.diffCount, yuan(m.total.diffFen), yuan(m.total.platformFeeFen), ...DIFF_TYPES.map((t) => m.total.diffs[t].count)],
    { bold: true, fill: TOTAL_FILL },
  ).commit();
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: DAY_COLS.length } };
  ws.commit();
}

// ───────────────────────────── 差异明细 ─────────────────────────────

export const DETAIL_COLS: Col[] = [
  { header: '差异编号', key: 'id', width: 10 },
  { header: '账单日', key: 'billDate', width: 12 },
  { header: '渠道', key: 'channel', width: 10 },
  { header: '类别', key: 'kind', width: 6 },
  { header: '差异类型', key: 'type', width: 16 },
  { header: RECON_FIELD_LABELS.key, key: 'key', width: 24 },
  { header: RECON_FIELD_LABELS.orderNo, key: 'orderNo', width: 24 },
  { header: '差异字段', key: 'fields', width: 10 },
  { header: '差异金额', key: 'amount', width: 13, money: true },
  { header: '本地笔数', key: 'localCount', width: 9, count: true },
  { header: '本地金额', key: 'localAmount', width: 13, money: true },
  { header: '本地手续费', key: 'localFee', width: 11, money: true },
  { header: '本地状态', key: 'localState', width: 14 },
  { header: '本地时间', key: 'localAt', width: 19 },
  { header: '平台笔数', key: 'platformCount', width: 9, count: true },
  { header: '平台金额', key: 'platformAmount', width: 13, money: true },
  { header: '平台手续费', key: 'platformFee', width: 11, money: true },
  { header: '平台状态', key: 'platformState', width: 14 },
  { header: '平台时间', key: 'platformAt', width: 19 },
  { header: RECON_FIELD_LABELS.platformNo, key: 'platformNo', width: 30 },
  { header: RECON_FIELD_LABELS.line, key: 'line', width: 9 },
  { header: '处理状态', key: 'status', width: 9 },
  { header: '处理人', key: 'assignee', width: 10 },
  { header: '处理方式', key: 'resolution', width: 16 },
  { header: '处理说明', key: 'resolutionNote', width: 36 },
  { header: '处理完成', key: 'resolvedBy', width: 26 },
  { header: '退款单号', key: 'refundNo', width: 24 },
  { header: '调账', key: 'adjustments', width: 26 },
  { header: '备注', key: 'notes', width: 48 },
];

/** A side's records in one cell each: one record as it is, duplicates joined (their amounts and fees added up). */
function side(rows: readonly StagedRow[]) {
  if (!rows.length) return { count: 0, amount: null, fee: null, state: '无此记录', at: '', platformNo: [] as string[], line: [] as number[] };
  const fees = rows.filter((r) => r.feeFen !== null);
  return {
    count: rows.length,
    amount: yuan(rows.reduce((s, r) => s + r.amountFen, 0)),
    fee: fees.length ? yuan(fees.reduce((s, r) => s + r.feeFen!, 0)) : null,
    state: [...new Set(rows.map((r) => RECORD_STATE_LABELS[r.state] + (r.sourceState && r.sourceState.toLowerCase() !== r.state ? `（${r.sourceState}）` : '')))].join('、'),
    at: rows.map((r) => formatShanghai(r.at)).join('、'),
    platformNo: rows.map((r) => r.platformNo).filter((p): p is string => !!p),
    line: rows.map((r) => r.line).filter((l): l is number => l !== null),
  };
}

function detailValues({ diff: d, notes, adjustments }: DetailRow): unknown[] {
  const ours = side(d.local);
  const theirs = side(d.platform);
  return [
    d.id,
    d.billDate,
    PAYMENT_METHOD_LABELS[d.channel],
    RECORD_KIND_LABELS[d.kind],
    DIFF_TYPE_LABELS[d.type],
    d.key,
    d.orderNo,
    d.fields.map((f) => label(RECON_FIELD_LABELS, f)).join('、'),
    yuan(d.amountFen),
    ours.count,
    ours.amount,
    ours.fee,
    ours.state,
    ours.at,
    theirs.count,
    theirs.amount,
    theirs.fee,
    theirs.state,
    theirs.at,
    [...new Set([...theirs.platformNo, ...ours.platformNo])].join('、'),
    theirs.line.join('、'),
    DIFF_STATUS_LABELS[d.status],
    d.assigneeName ?? '',
    label(DIFF_RESOLUTION_LABELS, d.resolution),
    d.resolutionNote ?? '',
    d.resolvedAt ? `${d.resolvedByName ?? ''} ${formatShanghai(d.resolvedAt)}`.trim() : '',
    d.refundNo ?? '',
    adjustments.map((a) => `${label(ADJUSTMENT_ACCOUNT_LABELS, a.account)} ${(a.amountFen / 100).toFixed(2)}：${a.reason}`).join('\n'),
    notes.map((n) => `${n.authorName} ${formatShanghai(n.createdAt).slice(5, 16)}：${n.body}`).join('\n'),
  ];
}

/** How much serialized sheet may wait for the compressor before the writer pauses. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * exceljs's streaming writer does not wait for its compressor: rows are serialized at once and
 * queued, uncompressed, in the sheet's buffer and in front of the deflater, so writing 100,000 rows
 * faster than zlib compresses them would hold most of the sheet's XML in memory after all. Between
 * pages the writer waits here until that queue is short again. The queue is read from the writer's
 * internals (exceljs 4: the sheet's StreamBuf `buffers` and the stream it pipes into); without them it does not wait.
 */
async function compressorCaughtUp(ws: ExcelJS.Worksheet): Promise<void> {
  type Queue = { writableLength?: number; _writableState?: { length?: number } };
  const sheet = (ws as unknown as { stream?: { buffers?: unknown[]; pipes?: Queue[] } }).stream;
  if (!sheet || !Array.isArray(sheet.buffers) || !Array.isArray(sheet.pipes)) return;
  // The archiver's PassThrough in front of the deflater is a readable-stream 2 stream: no writableLength getter.
  const waiting = (q: Queue | undefined) => q?.writableLength ?? q?._writableState?.length ?? 0;
  const queued = () => sheet.buffers!.length * 65536 + waiting(sheet.pipes![0]);
  while (queued() > MAX_QUEUED_BYTES) await new Promise((resolve) => setTimeout(resolve, 2));
}

async function detailSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, pages: AsyncIterable<DetailRow[]>): Promise<number> {
  const ws = wb.addWorksheet('差异明细', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  setColumns(ws, DETAIL_COLS);
  header(ws, DETAIL_COLS);
  let n = 0;
  for await (const page of pages) {
    for (const row of page) {
      dataRow(ws, DETAIL_COLS, detailValues(row)).commit();
      n++;
    }
    await compressorCaughtUp(ws);
  }
  if (n === 0) ws.addRow(['本期没有差异']).commit();
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: DETAIL_COLS.length } };
  ws.commit();
  return n;
}

/**
 * The report workbook, written by exceljs's streaming writer into a buffer: each row is committed
 * (serialized and compressed) as soon as it is added, so memory holds the zipped output and the
 * current page of differences, not a workbook of 100,000 rows.
 */
export async function writeReportWorkbook(m: ReconReportModel, pages: AsyncIterable<DetailRow[]>): Promise<{ bytes: Buffer; rows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '支付中心';
  wb.created = new Date(m.generatedAt);
  summarySheet(wb, m);
  if (m.period !== 'daily') daySheet(wb, m);
  const rows = await detailSheet(wb, pages);
  await wb.commit();
  await ended;
  return { bytes: Buffer.concat(chunks), rows };
}
