import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInCapitals, MAX_CAPITALS_FEN } from '../../src-main/core/money-capitals';
import { MAX_FEN } from '../../src-main/core/money';

/**
 * Reads 大写金额 back into fen, written independently of the formatter (left to right, unit by
 * unit), so the property below catches a digit or unit dropped or doubled anywhere.
 */
function parseCapitals(s: string): number {
  const DIGITS = '零壹贰叁肆伍陆柒捌玖';
  const SMALL: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };
  let rest = s;
  if (rest.endsWith('整')) rest = rest.slice(0, -1);
  let yuanText = '';
  let fracText = rest;
  const yuanAt = rest.indexOf('元');
  if (yuanAt >= 0) {
    yuanText = rest.slice(0, yuanAt);
    fracText = rest.slice(yuanAt + 1);
  }
  let yi = 0;
  let wan = 0;
  let section = 0;
  let pending = 0;
  for (const ch of yuanText) {
    const d = DIGITS.indexOf(ch);
    if (d > 0) pending = d;
    else if (d === 0) continue;
    else if (SMALL[ch]) {
      if (pending === 0) throw new Error(`unit ${ch} without digit in ${s}`);
      section += pending * SMALL[ch];
      pending = 0;
    } else if (ch === '万') {
      wan = section + pending;
      section = 0;
      pending = 0;
    } else if (ch === '亿') {
      yi = section + pending;
      section = 0;
      pending = 0;
    } else throw new Error(`unexpected ${ch} in ${s}`);
  }
  const yuan = yi * 1e8 + wan * 1e4 + section + pending;
  let frac = 0;
  for (const m of fracText.matchAll(/([壹贰叁肆伍陆柒捌玖])([角分])/g)) frac += DIGITS.indexOf(m[1]!) * (m[2] === '角' ? 10 : 1);
  if (fracText.replace(/零/g, '').replace(/([壹贰叁肆伍陆柒捌玖])([角分])/g, '') !== '') throw new Error(`bad fraction in ${s}`);
  return yuan * 100 + frac;
}

describe('amountInCapitals: 人民币大写金额', () => {
  it.each([
    // The examples of 《正确填写票据和结算凭证的基本规定》 (first form where two are allowed).
    [140950, '壹仟肆佰零玖元伍角整'],
    [600714, '陆仟零柒元壹角肆分'],
    [168032, '壹仟陆佰捌拾元零叁角贰分'],
    [10700053, '壹拾万柒仟元零伍角叁分'],
    [1640902, '壹万陆仟肆佰零玖元零贰分'],
    [32504, '叁佰贰拾伍元零肆分'],
    // The brief's examples.
    [1234560, '壹万贰仟叁佰肆拾伍元陆角整'],
    [100000005, '壹佰万元零伍分'],
    [1000, '壹拾元整'],
  ])('%d fen → %s', (fen, text) => expect(amountInCapitals(fen)).toBe(text));

  it.each([
    [0, '零元整'],
    [1, '壹分'],
    [5, '伍分'],
    [50, '伍角整'],
    [52, '伍角贰分'],
    [100, '壹元整'],
    [105, '壹元零伍分'],
    [110, '壹元壹角整'],
    [1005, '壹拾元零伍分'],
    [1010, '壹拾元零壹角整'],
    [1500, '壹拾伍元整'],
    [10000, '壹佰元整'],
    [10100, '壹佰零壹元整'],
    [100100, '壹仟零壹元整'],
    [1000000, '壹万元整'],
    [1001000, '壹万零壹拾元整'],
    [10010000, '壹拾万零壹佰元整'],
    [10000000, '壹拾万元整'],
    [100000000, '壹佰万元整'],
    [100100000000, '壹拾亿零壹佰万元整'],
    [100010000000, '壹拾亿零壹拾万元整'],
    [107000000000, '壹拾亿柒仟万元整'],
    [100007000000, '壹拾亿零柒万元整'],
    [10000000000, '壹亿元整'],
    [10000010000, '壹亿零壹佰元整'],
    [10000100000, '壹亿零壹仟元整'],
    [10001000000, '壹亿零壹万元整'],
    [10010000000, '壹亿零壹拾万元整'],
    [12345678900, '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整'],
    [MAX_FEN, '壹仟亿元整'],
    [MAX_CAPITALS_FEN, '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ])('edge %d fen → %s', (fen, text) => expect(amountInCapitals(fen)).toBe(text));

  it('refuses negative, fractional and too large amounts', () => {
    expect(() => amountInCapitals(-1)).toThrow('非负');
    expect(() => amountInCapitals(1.5)).toThrow('非负');
    expect(() => amountInCapitals(MAX_CAPITALS_FEN + 1)).toThrow('范围');
  });

  it('property: the capitals read back to the same amount (every digit and unit present once)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: MAX_CAPITALS_FEN }), fc.integer({ min: 0, max: 100_000_000 })), (fen) => {
        expect(parseCapitals(amountInCapitals(fen))).toBe(fen);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: the form of the ending and the zeros follows the rules', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_CAPITALS_FEN }), (fen) => {
        const s = amountInCapitals(fen);
        // 整 exactly when there are no 分; never two 零 in a row; never 零 before a unit or at the end.
        expect(s.endsWith('整')).toBe(fen % 10 === 0);
        expect(s).not.toMatch(/零零|零[拾佰仟万亿元角分整]|^零/);
        // 拾 always carries its digit.
        expect(s).not.toMatch(/(^|[^壹贰叁肆伍陆柒捌玖])拾/);
        // Only the twelve legal characters besides digits.
        expect(s).toMatch(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/);
      }),
      { numRuns: 3000 },
    );
  });
});
