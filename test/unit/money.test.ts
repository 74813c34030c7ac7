import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src-main/core/errors';
import { checkFen, fenToYuanString, formatYuan, MAX_FEN, parseYuan } from '../../src-main/core/money';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'NO_ERROR';
};

describe('parseYuan: yuan text becomes integer fen at the edge', () => {
  it.each([
    ['100', 10000],
    ['100.5', 10050],
    ['100.50', 10050],
    ['0.01', 1],
    [' 12.3 ', 1230],
    [1234.56, 123456],
    [0.1, 10],
  ])('%j → %d fen', (input, fen) => expect(parseYuan(input)).toBe(fen));

  it.each([
    ['-1', 'AMOUNT_NEGATIVE', '金额不能为负数'],
    ['0', 'AMOUNT_ZERO', '金额必须大于 0'],
    ['0.00', 'AMOUNT_ZERO', '金额必须大于 0'],
    ['1.001', 'AMOUNT_PRECISION', '金额最多保留两位小数'],
    ['abc', 'AMOUNT_INVALID', '金额格式不正确，应为数字，例如 100.00'],
    ['', 'AMOUNT_INVALID', '金额格式不正确，应为数字，例如 100.00'],
    ['1,000', 'AMOUNT_INVALID', '金额格式不正确，应为数字，例如 100.00'],
    ['1e5', 'AMOUNT_INVALID', '金额格式不正确，应为数字，例如 100.00'],
    ['NaN', 'AMOUNT_INVALID', '金额格式不正确，应为数字，例如 100.00'],
    ["1; DROP TABLE payment_orders", 'AMOUNT_INVALID', '金额格式不正确，应为数字，例如 100.00'],
  ])('%j is refused with %s', (input, c, message) => {
    expect(() => parseYuan(input)).toThrow(message);
    expect(code(() => parseYuan(input))).toBe(c);
  });

  it('refuses NaN, Infinity and non-numbers with a Chinese message', () => {
    expect(() => parseYuan(Number.NaN)).toThrow('金额必须是有效数字');
    expect(() => parseYuan(Infinity)).toThrow('金额必须是有效数字');
    expect(() => parseYuan({})).toThrow('金额必须是数字');
    expect(() => parseYuan(null)).toThrow('金额必须是数字');
  });

  it('enforces the upper limit given by the caller and the absolute maximum', () => {
    expect(parseYuan('1000.00', { maxFen: 100000 })).toBe(100000);
    expect(() => parseYuan('1000.01', { maxFen: 100000 })).toThrow('金额超过上限 ¥1,000.00');
    expect(code(() => checkFen(MAX_FEN + 1))).toBe('AMOUNT_TOO_LARGE');
  });

  it('property: formatting then parsing any valid amount gives the same fen back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_FEN }), (fen) => {
        expect(parseYuan(fenToYuanString(fen))).toBe(fen);
      }),
    );
  });

  it('property: parsing never yields a fractional or unsafe number', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const fen = parseYuan(s);
          expect(Number.isSafeInteger(fen) && fen > 0).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
        }
      }),
    );
  });
});

describe('formatting money for people', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [123456, '¥1,234.56'],
    [100000000, '¥1,000,000.00'],
    [-5050, '-¥50.50'],
  ])('%d fen shows as %s', (fen, text) => expect(formatYuan(fen)).toBe(text));

  it('fenToYuanString is the wire format', () => {
    expect(fenToYuanString(10050)).toBe('100.50');
    expect(fenToYuanString(7)).toBe('0.07');
  });
});
