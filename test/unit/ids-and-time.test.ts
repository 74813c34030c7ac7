import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUSINESS_NUMBER_PATTERN, businessNumber } from '../../src-main/core/ids';
import { compactShanghai, formatShanghai, isoShanghai, shanghaiDate, shanghaiDayStart } from '../../src-main/core/time';

describe('business numbers', () => {
  it('are the kind letter, the Shanghai time stamp and six random digits', () => {
    const at = Date.UTC(2024, 0, 1, 2, 0, 1); // 2024-01-01 10:00:01 in Shanghai
    const digits = [4, 2, 0, 9, 1, 7];
    let i = 0;
    expect(businessNumber('P', at, () => digits[i++]!)).toBe('P20240101100001420917');
  });

  it('property: every kind and instant yields a well-formed number', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('P' as const, 'R' as const, 'B' as const, 'T' as const),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }),
        fc.infiniteStream(fc.integer({ min: 0, max: 9 })),
        (kind, at, rnd) => {
          const no = businessNumber(kind, at, () => rnd.next().value);
          expect(no).toMatch(BUSINESS_NUMBER_PATTERN);
          expect(no.startsWith(kind + compactShanghai(at))).toBe(true);
        },
      ),
    );
  });
});

describe('Asia/Shanghai time whatever the machine zone', () => {
  it('formats a UTC instant in Shanghai time', () => {
    const at = Date.UTC(2024, 0, 1, 16, 30, 0); // past midnight in Shanghai
    expect(formatShanghai(at)).toBe('2024-01-02 00:30:00');
    expect(isoShanghai(at)).toBe('2024-01-02T00:30:00+08:00');
    expect(shanghaiDate(at)).toBe('2024-01-02');
  });

  it('a business day starts at 00:00 Shanghai, 16:00 UTC the day before', () => {
    expect(shanghaiDayStart('2024-01-02')).toBe(Date.UTC(2024, 0, 1, 16, 0, 0));
    expect(() => shanghaiDayStart('2024/01/02')).toThrow();
  });

  it('property: an instant falls inside its own Shanghai business day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2099, 0, 1) }), (at) => {
        const start = shanghaiDayStart(shanghaiDate(at));
        expect(at >= start && at < start + 86_400_000).toBe(true);
      }),
    );
  });
});
