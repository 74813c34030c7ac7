import { DomainError } from './errors';

/**
 * Money is an integer number of fen (分) everywhere inside the program. Yuan strings ("1234.56")
 * exist only at the edges: forms, REST payloads, gateway payloads. Floats never carry money:
 * 0.1 + 0.2 is not 0.3, and an accountant will notice.
 */
export type Fen = number;

/** The largest amount we accept anywhere: well inside Number.MAX_SAFE_INTEGER. ¥100,000,000,000. */
export const MAX_FEN = 10_000_000_000_000;

const YUAN_PATTERN = /^(\d{1,15})(?:\.(\d{1,2}))?$/;

export interface ParseYuanOptions {
  /** Upper limit in fen (inclusive), e.g. the configured single-order limit. */
  maxFen?: Fen;
  /** Whether zero is acceptable (it is not for a payment). */
  allowZero?: boolean;
}

/** "1,234.5" style thousands separators are not accepted: an input field holds a plain number. */
export function parseYuan(input: unknown, opts: ParseYuanOptions = {}): Fen {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new DomainError('AMOUNT_INVALID', '金额必须是有效数字');
    // A number from JSON: go through its shortest decimal form, which is what the sender typed.
    input = String(input);
  }
  if (typeof input !== 'string') throw new DomainError('AMOUNT_INVALID', '金额必须是数字');
  const text = input.trim();
  if (text.startsWith('-')) throw new DomainError('AMOUNT_NEGATIVE', '金额不能为负数');
  if (/^\d+\.\d{3,}$/.test(text)) throw new DomainError('AMOUNT_PRECISION', '金额最多保留两位小数');
  const m = YUAN_PATTERN.exec(text);
  if (!m) throw new DomainError('AMOUNT_INVALID', '金额格式不正确，应为数字，例如 100.00');
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return checkFen(fen, opts);
}

export function checkFen(fen: Fen, opts: ParseYuanOptions = {}): Fen {
  if (!Number.isSafeInteger(fen)) throw new DomainError('AMOUNT_INVALID', '金额必须是整数分');
  if (fen < 0) throw new DomainError('AMOUNT_NEGATIVE', '金额不能为负数');
  if (fen === 0 && !opts.allowZero) throw new DomainError('AMOUNT_ZERO', '金额必须大于 0');
  const max = Math.min(opts.maxFen ?? MAX_FEN, MAX_FEN);
  if (fen > max) throw new DomainError('AMOUNT_TOO_LARGE', `金额超过上限 ${formatYuan(max)}`);
  return fen;
}

/** 123456 → "1234.56": the platforms' wire format and CSV cells. */
export function fenToYuanString(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 123456 → "¥1,234.56": what the accountant reads. */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
