import { DomainError } from './errors';
import type { Fen } from './money';

/**
 * 大写金额 for vouchers and cheques, by the People's Bank rules for writing amounts on 票据 and
 * 结算凭证 (《正确填写票据和结算凭证的基本规定》, 人民银行 支付结算办法 附件一):
 *  - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 万 亿, 元角分; 拾 always carries its digit (¥10.00 is
 *    壹拾元整, never 拾元整, so nothing can be written in front of it);
 *  - an amount that ends at 元 ends in 整; one that ends at 角 may and here does (壹拾元伍角整, so
 *    nothing can be appended); one with 分 never does;
 *  - a run of zeros between digits is written as ONE 零 (¥6,007.14 → 陆仟零柒元壹角肆分);
 *  - where the rules allow either form we take the one the rules list first:
 *     · 万位 (or 亿位) is zero and 千位 is not: no 零 after the unit (¥107,000.53 → 壹拾万柒仟元零伍角叁分);
 *     · 元位 is zero and 角位 is not: 零 after 元 (¥1,680.32 → 壹仟陆佰捌拾元零叁角贰分);
 *  - 角 is zero and 分 is not: 零 after 元 is required (¥325.04 → 叁佰贰拾伍元零肆分);
 *  - below one yuan there is no 元 (¥0.50 → 伍角整, ¥0.05 → 伍分); zero is 零元整.
 * Amounts up to 9,999 亿 yuan (our MAX_FEN is 1,000 亿).
 */
const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'] as const;
const SECTION_UNITS = ['', '万', '亿'] as const;
export const MAX_CAPITALS_FEN = 1_000_000_000_000 * 100 - 1;

const digit = (d: number) => DIGITS[d] ?? '';

/** The integer yuan part, e.g. 107000 → 壹拾万柒仟; 0 → ''. */
function yuanCapitals(yuan: number): string {
  const digits = String(yuan).split('').map(Number);
  const n = digits.length;
  let out = '';
  let seenNonZero = false;
  let zeroRun = 0;
  let sectionHasDigit = false;
  /** Whether the section just above the current one (万 or 亿 section) had a digit, so its unit was written. */
  let previousSectionNonZero = false;
  for (let i = 0; i < n; i++) {
    const pos = n - 1 - i; // 0 = 元位
    const d = digits[i] ?? 0;
    const inSection = pos % 4;
    if (d === 0) {
      zeroRun++;
    } else {
      if (seenNonZero && zeroRun > 0) {
        // The rules' first form: a zero run lying wholly at the tail of the section above (万位 zero,
        // 千位 not) is marked by that section's unit alone.
        // (The section above was non-zero, so the run is its lowest one to three digits.)
        const runOnlyInSectionAbove = inSection === 3 && previousSectionNonZero;
        if (!runOnlyInSectionAbove) out += '零';
      }
      out += digit(d) + SMALL_UNITS[inSection];
      seenNonZero = true;
      sectionHasDigit = true;
      zeroRun = 0;
    }
    if (inSection === 0) {
      const section = Math.floor(pos / 4);
      if (sectionHasDigit && section > 0) out += SECTION_UNITS[section] ?? '';
      previousSectionNonZero = sectionHasDigit && section > 0;
      sectionHasDigit = false;
    }
  }
  return out;
}

export function amountInCapitals(fen: Fen): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new DomainError('AMOUNT_INVALID', '金额必须是非负整数分');
  if (fen > MAX_CAPITALS_FEN) throw new DomainError('AMOUNT_TOO_LARGE', '金额超出大写金额的范围');
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  if (fen === 0) return '零元整';
  let out = yuan > 0 ? `${yuanCapitals(yuan)}元` : '';
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) {
    if (yuan > 0 && yuan % 10 === 0) out += '零';
    out += `${digit(jiao)}角`;
  } else if (yuan > 0) {
    out += '零';
  }
  if (fenDigit > 0) return `${out}${digit(fenDigit)}分`;
  return `${out}整`;
}
