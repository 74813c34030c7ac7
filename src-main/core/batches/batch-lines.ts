import { isDomainError } from '../errors';
import { checkFen, formatYuan, MAX_FEN, parseYuan, type Fen } from '../money';
import { PAYEE_CHANNEL_LABELS, type PayeeChannel } from '../suppliers/supplier-payment';
import { MAX_BATCH_ITEMS } from './batch-state';

/**
 * The payee lines of a batch and their checks, the same for a typed API call, a salary sheet and
 * an imported file: every line is checked and every problem is listed with its row (nothing is
 * created while one is left), and payees appearing twice — in the file, or in a batch still open —
 * are flagged, because paying someone twice is the mistake a payroll file most often hides.
 */

export const MAX_PAYEE_NAME = 64;
export const MAX_REMARK = 64;
export const MAX_BANK_NAME = 64;
/** A single transfer's ceiling: ¥1,000,000.00 (platforms cap single payouts well below MAX_FEN). */
export const MAX_ITEM_FEN: Fen = 100_000_000;

export type LineField = 'payeeName' | 'channel' | 'account' | 'bankName' | 'amount' | 'remark' | 'contactPhone' | 'row';

export const LINE_FIELD_LABELS: Record<LineField, string> = {
  payeeName: '收款人姓名',
  channel: '收款方式',
  account: '收款账号',
  bankName: '开户银行',
  amount: '金额',
  remark: '备注',
  contactPhone: '手机号',
  row: '整行',
};

/** A problem of one row: `rowNo` is the spreadsheet's row number for a file, the line's position (1-based) otherwise. */
export interface RowIssue {
  rowNo: number;
  field: LineField;
  message: string;
}

/** A line as it arrives (file cells or typed values), before any check. */
export interface LineCandidate {
  rowNo: number;
  payeeName: unknown;
  channel: unknown;
  account: unknown;
  bankName?: unknown;
  amount?: unknown;
  /** Lines built by programs carry fen already. */
  amountFen?: unknown;
  remark?: unknown;
  contactPhone?: unknown;
}

export interface CheckedLine {
  rowNo: number;
  payeeName: string;
  channel: PayeeChannel;
  account: string;
  bankName: string;
  amountFen: Fen;
  remark: string;
  contactPhone: string;
}

const CHANNEL_WORDS: Record<string, PayeeChannel> = {
  bank: 'bank', 银行: 'bank', 银行转账: 'bank', 银行卡: 'bank', 银行账户: 'bank',
  wechat: 'wechat', 微信: 'wechat', 微信转账: 'wechat', 微信零钱: 'wechat',
  alipay: 'alipay', 支付宝: 'alipay', 支付宝转账: 'alipay',
};

/** The channel words a file may use (the template's drop-down offers the labels). */
export function parseChannel(v: unknown): PayeeChannel | null {
  if (typeof v !== 'string') return null;
  return CHANNEL_WORDS[v.trim().toLowerCase()] ?? CHANNEL_WORDS[v.trim()] ?? null;
}

const cellText = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const hasControl = (s: string) => /[\u0000-\u001f\u007f]/.test(s);

/** Alipay payees: a login (e-mail or mainland mobile) or a 2088… user id. */
const ALIPAY_ACCOUNT = /^(?:[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}|1[3-9]\d{9}|2088\d{12})$/;
/** WeChat openids are 28 characters of [A-Za-z0-9_-] today; allow the documented range generously. */
const WECHAT_OPENID = /^[A-Za-z0-9_-]{6,64}$/;
const BANK_ACCOUNT = /^\d{8,32}$/;
const MOBILE = /^1[3-9]\d{9}$/;

/** The account as the platform needs it: bank accounts without the spaces people type in groups of four. */
export function normalizeAccount(channel: PayeeChannel, account: string): string {
  const a = account.trim();
  return channel === 'bank' ? a.replace(/[\s-]+/g, '') : a;
}

export function accountProblem(channel: PayeeChannel, account: string): string | null {
  if (!account) return channel === 'bank' ? '请填写银行账号' : channel === 'wechat' ? '请填写收款人的微信 OpenID' : '请填写收款支付宝账号';
  if (channel === 'bank' && !BANK_ACCOUNT.test(account)) return '银行账号应为 8 至 32 位数字';
  if (channel === 'wechat' && !WECHAT_OPENID.test(account)) return '微信 OpenID 格式不正确（6 至 64 位字母、数字、- 或 _）';
  if (channel === 'alipay' && !ALIPAY_ACCOUNT.test(account)) return '支付宝账号应为邮箱、手机号或 2088 开头的 16 位用户号';
  return null;
}

/**
 * An amount from a file cell: text as typed ("5000", "5,000.50", "¥5000") or a number cell. A number
 * cell is a binary double (a formula may give 3000.0000000000005): it is accepted when it is within a
 * millionth of a fen of a two-decimal amount, refused otherwise.
 */
export function parseAmountCell(v: unknown): Fen {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return parseYuan('x');
    const scaled = v * 100;
    const fen = Math.round(scaled);
    if (Math.abs(scaled - fen) > 1e-6) return parseYuan(v.toFixed(6).replace(/0+$/, ''));
    if (fen < 0) return parseYuan('-1');
    return checkFen(fen, { maxFen: MAX_ITEM_FEN });
  }
  let s = cellText(v).trim().replace(/^[¥￥]\s*/, '').replace(/\s*元$/, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  return parseYuan(s, { maxFen: MAX_ITEM_FEN });
}

/** Checks one line; returns the cleaned line or the problems of its fields. */
export function checkLine(c: LineCandidate): { line: CheckedLine; issues: [] } | { line: null; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const issue = (field: LineField, message: string) => issues.push({ rowNo: c.rowNo, field, message });

  const payeeName = cellText(c.payeeName).trim();
  if (!payeeName) issue('payeeName', '请填写收款人姓名');
  else if (payeeName.length > MAX_PAYEE_NAME) issue('payeeName', `收款人姓名不能超过 ${MAX_PAYEE_NAME} 个字符`);
  else if (hasControl(payeeName)) issue('payeeName', '收款人姓名不能包含控制字符');
  else if (/^\d+$/.test(payeeName)) issue('payeeName', '收款人姓名不能全是数字（是否填到了账号列？）');

  const channelText = cellText(c.channel).trim();
  const channel = parseChannel(channelText);
  if (!channelText) issue('channel', '请填写收款方式（银行转账 / 微信转账 / 支付宝转账）');
  else if (!channel) issue('channel', `收款方式「${channelText.slice(0, 20)}」不正确，应为 银行转账 / 微信转账 / 支付宝转账`);

  const rawAccount = cellText(c.account);
  const account = channel ? normalizeAccount(channel, rawAccount) : rawAccount.trim();
  if (channel) {
    const p = accountProblem(channel, account);
    if (p) issue('account', p);
  }

  const bankName = cellText(c.bankName).trim();
  if (channel === 'bank' && !bankName) issue('bankName', '银行转账需填写开户银行');
  else if (bankName.length > MAX_BANK_NAME) issue('bankName', `开户银行不能超过 ${MAX_BANK_NAME} 个字符`);

  let amountFen: Fen = 0;
  try {
    if (c.amountFen !== undefined) {
      if (typeof c.amountFen !== 'number') throw new TypeError();
      amountFen = checkFen(c.amountFen, { maxFen: MAX_ITEM_FEN });
    } else {
      if (cellText(c.amount).trim() === '' && typeof c.amount !== 'number') issue('amount', '请填写金额');
      else amountFen = parseAmountCell(c.amount);
    }
  } catch (e) {
    issue('amount', isDomainError(e) ? (e.code === 'AMOUNT_TOO_LARGE' ? `单笔金额不能超过 ${formatYuan(MAX_ITEM_FEN)}` : e.message) : '金额格式不正确');
  }

  const remark = cellText(c.remark).trim();
  if (remark.length > MAX_REMARK) issue('remark', `备注不能超过 ${MAX_REMARK} 个字符`);
  else if (hasControl(remark)) issue('remark', '备注不能包含控制字符');

  const contactPhone = cellText(c.contactPhone).trim();
  if (contactPhone && !MOBILE.test(contactPhone)) issue('contactPhone', '手机号应为 11 位大陆手机号');

  if (issues.length || !channel) return { line: null, issues };
  return { line: { rowNo: c.rowNo, payeeName, channel, account, bankName: channel === 'bank' ? bankName : '', amountFen, remark, contactPhone }, issues: [] };
}

/** Same channel and account: the same payee's wallet or bank account (Alipay logins are case-insensitive). */
export function payeeKey(channel: PayeeChannel, account: string): string {
  return `${channel}:${channel === 'alipay' ? account.toLowerCase() : account}`;
}

/** Where a payee already appears in a batch that is still open. */
export interface OpenPayee {
  key: string;
  batchNo: string;
  amountFen: Fen;
}

/**
 * Payees twice within the lines, and payees already in an open batch: warnings the maker must
 * confirm (two months' salary batches both waiting is normal; the same row pasted twice is not).
 */
export function duplicateIssues(lines: readonly CheckedLine[], open: readonly OpenPayee[] = [], unit: '行' | '笔' = '行'): RowIssue[] {
  const out: RowIssue[] = [];
  const first = new Map<string, CheckedLine>();
  const openByKey = new Map<string, OpenPayee[]>();
  for (const o of open) openByKey.set(o.key, [...(openByKey.get(o.key) ?? []), o]);
  for (const l of lines) {
    const key = payeeKey(l.channel, l.account);
    const prev = first.get(key);
    if (prev) out.push({ rowNo: l.rowNo, field: 'account', message: `与第 ${prev.rowNo} ${unit}的收款账号重复（${PAYEE_CHANNEL_LABELS[l.channel]}，${prev.payeeName} ${formatYuan(prev.amountFen)}）` });
    else first.set(key, l);
    const elsewhere = openByKey.get(key);
    if (elsewhere?.length) {
      const where = elsewhere.slice(0, 3).map((o) => `${o.batchNo}（${formatYuan(o.amountFen)}）`).join('、');
      out.push({ rowNo: l.rowNo, field: 'account', message: `该收款账号已在未完成的批量任务中：${where}` });
    }
  }
  return out;
}

export interface CheckedLines {
  lines: CheckedLine[];
  errors: RowIssue[];
  totalFen: Fen;
}

/** Checks every line (all problems, not the first), the count and the total. */
export function checkLines(candidates: readonly LineCandidate[]): CheckedLines {
  const lines: CheckedLine[] = [];
  const errors: RowIssue[] = [];
  for (const c of candidates) {
    const r = checkLine(c);
    if (r.line) lines.push(r.line);
    else errors.push(...r.issues);
  }
  if (candidates.length === 0) errors.push({ rowNo: 0, field: 'row', message: '没有收款明细：请至少填写一行' });
  if (candidates.length > MAX_BATCH_ITEMS) errors.push({ rowNo: 0, field: 'row', message: `一个批量任务最多 ${MAX_BATCH_ITEMS} 笔，本次 ${candidates.length} 笔，请拆分` });
  const totalFen = lines.reduce((s, l) => s + l.amountFen, 0);
  if (totalFen > MAX_FEN) errors.push({ rowNo: 0, field: 'row', message: `合计金额超过上限 ${formatYuan(MAX_FEN)}` });
  return { lines, errors, totalFen };
}

/** The issues as the accountant reads them, at most `max` of them: 「第 3 行 金额：金额最多保留两位小数」. */
export function describeIssues(issues: readonly RowIssue[], max = 5, unit: '行' | '笔' = '行'): string {
  const text = issues.slice(0, max).map((i) => (i.rowNo > 0 ? `第 ${i.rowNo} ${unit} ${LINE_FIELD_LABELS[i.field]}：${i.message}` : i.message));
  return issues.length > max ? `${text.join('；')}；等共 ${issues.length} 处问题` : text.join('；');
}

