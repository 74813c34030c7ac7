import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { LineCandidate, RowIssue } from '../../core/batches/batch-lines';
import { MAX_BATCH_ITEMS } from '../../core/batches/batch-state';
import { DomainError } from '../../core/errors';
import { PAYEE_CHANNEL_LABELS } from '../../core/suppliers/supplier-payment';

/**
 * 批量付款 files: the .xlsx template, and reading a filled-in .xlsx or .csv (UTF-8 or the GBK that
 * Excel writes on Chinese Windows) into lines with their spreadsheet row numbers. Columns are found
 * by their header, so a file with extra or re-ordered columns still reads.
 */
export const TEMPLATE_HEADERS = ['收款人姓名', '收款方式', '收款账号', '开户银行', '金额（元）', '备注', '手机号'] as const;

type Field = keyof Omit<LineCandidate, 'rowNo' | 'amountFen'>;

const HEADER_WORDS: Record<Field, readonly string[]> = {
  payeeName: ['收款人姓名', '收款人', '姓名', '收款户名', '户名', 'name', 'payee'],
  channel: ['收款方式', '支付方式', '付款方式', '渠道', 'channel'],
  account: ['收款账号', '账号', '银行账号', '收款账户', 'openid', '支付宝账号', 'account'],
  bankName: ['开户银行', '开户行', '银行', 'bank'],
  amount: ['金额（元）', '金额(元)', '金额', '实发金额', '付款金额', 'amount'],
  remark: ['备注', '用途', '摘要', 'remark'],
  contactPhone: ['手机号', '手机', '联系电话', '电话', 'phone', 'mobile'],
};
const REQUIRED: readonly Field[] = ['payeeName', 'channel', 'account', 'amount'];
const FIELD_HEADER: Record<Field, string> = { payeeName: '收款人姓名', channel: '收款方式', account: '收款账号', bankName: '开户银行', amount: '金额（元）', remark: '备注', contactPhone: '手机号' };

/** Files larger than this are refused before parsing (20,000 rows take well under 5 MB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface ParsedFile {
  candidates: LineCandidate[];
  /** Problems of the file itself (no header, missing columns) or of single cells (a bank account Excel turned into a number). */
  errors: RowIssue[];
}

type Cell = ExcelJS.CellValue;

/** A cell as a plain value: formulas by their result, rich text joined, hyperlinks by their text. Numbers stay numbers (the amount parser knows them). */
function plain(v: Cell): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('result' in v) return plain((v as { result?: Cell }).result ?? null);
    if ('richText' in v) return (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return null;
    return null;
  }
  return v;
}

const norm = (h: unknown) => (typeof h === 'string' ? h : h === null || h === undefined ? '' : String(h)).replace(/\s+/g, '').toLowerCase();

function columnsOf(header: readonly unknown[]): { map: Partial<Record<Field, number>>; missing: Field[] } {
  const map: Partial<Record<Field, number>> = {};
  header.forEach((h, i) => {
    const text = norm(h);
    if (!text) return;
    for (const [field, words] of Object.entries(HEADER_WORDS) as [Field, readonly string[]][])
      if (map[field] === undefined && words.some((w) => norm(w) === text)) map[field] = i;
  });
  return { map, missing: REQUIRED.filter((f) => map[f] === undefined) };
}

/** Rows (row number, cells) → candidates, from the first row that names the columns. */
function readRows(rows: Iterable<{ rowNo: number; cells: unknown[] }>): ParsedFile {
  const candidates: LineCandidate[] = [];
  const errors: RowIssue[] = [];
  let columns: Partial<Record<Field, number>> | null = null;
  let firstNonEmpty: number | null = null;
  for (const { rowNo, cells } of rows) {
    const empty = cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));
    if (empty) continue;
    if (!columns) {
      firstNonEmpty ??= rowNo;
      const found = columnsOf(cells);
      if (found.missing.length === 0) columns = found.map;
      else if (rowNo - firstNonEmpty >= 5 || found.missing.length < REQUIRED.length) {
        return { candidates, errors: [{ rowNo, field: 'row', message: `表头缺少列：${found.missing.map((f) => FIELD_HEADER[f]).join('、')}（请使用下载的模板）` }] };
      }
      continue;
    }
    if (candidates.length >= MAX_BATCH_ITEMS) {
      errors.push({ rowNo, field: 'row', message: `一个批量任务最多 ${MAX_BATCH_ITEMS} 笔，请拆分文件` });
      break;
    }
    const at = (f: Field) => (columns![f] === undefined ? null : (cells[columns![f]!] ?? null));
    const account = at('account');
    // Excel stores a long digit string typed into a number cell as a double: the last digits are gone.
    if (typeof account === 'number' && !Number.isSafeInteger(account)) {
      errors.push({ rowNo, field: 'account', message: '收款账号被 Excel 存成了数字，末几位已丢失：请把该列设为“文本”后重新填写' });
      continue;
    }
    candidates.push({
      rowNo, payeeName: at('payeeName'), channel: at('channel'), account: typeof account === 'number' ? String(account) : account, bankName: at('bankName'),
      amount: at('amount'), remark: at('remark'), contactPhone: typeof at('contactPhone') === 'number' ? String(at('contactPhone')) : at('contactPhone'),
    });
  }
  if (!columns) return { candidates, errors: [{ rowNo: 1, field: 'row', message: `文件中没有找到表头（需要列：${REQUIRED.map((f) => FIELD_HEADER[f]).join('、')}）` }] };
  return { candidates, errors };
}

const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;

/** Reads an uploaded .xlsx or .csv; what it cannot read at all is a DomainError, row problems are listed. */
export async function parseBatchFile(bytes: Buffer, fileName: string): Promise<ParsedFile> {
  if (bytes.length === 0) throw new DomainError('FILE_EMPTY', '文件是空的');
  if (bytes.length > MAX_FILE_BYTES) throw new DomainError('FILE_TOO_LARGE', '文件不能超过 20 MB');
  const lower = fileName.toLowerCase();
  if (isZip(bytes)) return parseXlsx(bytes);
  if (lower.endsWith('.xlsx') || lower.endsWith('.xls')) throw new DomainError('FILE_UNREADABLE', '无法读取该 Excel 文件：请另存为 .xlsx（Excel 工作簿）后再导入');
  return parseCsv(bytes);
}

async function parseXlsx(bytes: Buffer): Promise<ParsedFile> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('FILE_UNREADABLE', '无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏');
  }
  const sheet = wb.worksheets.find((s) => s.name === '收款明细') ?? wb.worksheets[0];
  if (!sheet) throw new DomainError('FILE_UNREADABLE', 'Excel 文件中没有工作表');
  function* rows() {
    for (let r = 1; r <= sheet!.rowCount; r++) {
      const row = sheet!.getRow(r);
      const cells: unknown[] = [];
      for (let c = 1; c <= Math.max(row.cellCount, 1); c++) cells.push(plain(row.getCell(c).value));
      yield { rowNo: r, cells };
    }
  }
  return readRows(rows());
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise GBK (Excel's "CSV" on Chinese Windows). */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gbk');
  }
}

/** RFC 4180: fields separated by commas, quoted with "…" where they hold , " or line breaks, "" for a quote. */
export function splitCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function parseCsv(bytes: Buffer): ParsedFile {
  const lines = splitCsv(decodeText(bytes));
  return readRows(lines.map((cells, i) => ({ rowNo: i + 1, cells: cells.map((c) => c.trim()) })));
}

// ─── the template ──────────────────────────────────────────────────────────────────────────────

/** 下载模板: the columns, the account column as text (long numbers survive), the channel as a drop-down, and how to fill it in. */
export async function buildTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '支付中心';
  const sheet = wb.addWorksheet('收款明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '收款人姓名', key: 'payeeName', width: 14 },
    { header: '收款方式', key: 'channel', width: 12 },
    { header: '收款账号', key: 'account', width: 30, style: { numFmt: '@' } },
    { header: '开户银行', key: 'bankName', width: 22 },
    { header: '金额（元）', key: 'amount', width: 14, style: { numFmt: '0.00' } },
    { header: '备注', key: 'remark', width: 24 },
    { header: '手机号', key: 'contactPhone', width: 14, style: { numFmt: '@' } },
  ];
  sheet.getRow(1).font = { bold: true };
  const labels = Object.values(PAYEE_CHANNEL_LABELS).join(',');
  for (let r = 2; r <= 2001; r++) sheet.getCell(r, 2).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${labels}"`], showErrorMessage: true, error: '请选择银行转账、微信转账或支付宝转账' };
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ width: 16 }, { width: 80 }];
  const rows: [string, string][] = [
    ['收款人姓名', '必填。与收款账户的实名一致（银行、微信、支付宝会核对姓名）。'],
    ['收款方式', '必填。银行转账 / 微信转账 / 支付宝转账。'],
    ['收款账号', '必填。银行转账填银行账号（8 至 32 位数字）；微信转账填收款人的 OpenID；支付宝转账填支付宝登录账号（邮箱或手机号）或 2088 开头的用户号。请保持该列为“文本”格式。'],
    ['开户银行', '银行转账必填，例如：中国工商银行杭州西湖支行。'],
    ['金额（元）', '必填。大于 0，最多两位小数，单笔不超过 1,000,000.00 元。'],
    ['备注', '选填，64 个字符以内，例如：2026年11月工资。'],
    ['手机号', '选填。填写后付款成功时短信通知收款人；微信转账的收款人通过微信通知。'],
    ['其他', `每个文件最多 ${MAX_BATCH_ITEMS} 行。同一收款账号出现两次、或已在未完成的批量任务中的，导入时会提示，确认后才能创建。任何一行有错误时不会创建批量任务。`],
  ];
  help.addRow(['列', '填写要求']).font = { bold: true };
  for (const r of rows) help.addRow(r);
  help.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
