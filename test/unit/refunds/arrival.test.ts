import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARRIVAL_CHANNELS,
  arrivalChannelFor,
  DEFAULT_ARRIVAL_TABLE,
  expectedArrival,
  plusWorkingDays,
  validateArrivalTable,
  WEEKDAY_CALENDAR,
  type ArrivalTable,
  type WorkingDayCalendar,
} from '../../../src-main/core/refunds/arrival';
import { shanghaiDate } from '../../../src-main/core/time';

/** A Shanghai wall-clock time as a UTC instant. */
const sh = (y: number, mo: number, d: number, h = 10, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);

describe('expected refund arrival by channel', () => {
  // 2024-01-02 is a Tuesday.
  const tuesday = sh(2024, 1, 2);

  it.each([
    ['wechat_balance', '2024-01-02', '2024-01-02', 'T+0', '预计 2024-01-02 到账（T+0）'],
    ['wechat_bank_card', '2024-01-03', '2024-01-05', 'T+1～T+3', '预计 2024-01-03 至 2024-01-05 到账（T+1～T+3）'],
    ['alipay', '2024-01-02', '2024-01-03', 'T+0～T+1', '预计 2024-01-02 至 2024-01-03 到账（T+0～T+1）'],
    ['bank_card', '2024-01-05', '2024-01-11', 'T+3～T+7', '预计 2024-01-05 至 2024-01-11 到账（T+3～T+7）'],
  ] as const)('%s: %s … %s (%s)', (channel, fromDate, toDate, rule, text) => {
    expect(expectedArrival(tuesday, channel)).toEqual({ channel, fromDate, toDate, rule, text });
  });

  it('T is the Shanghai date: 23:59 Friday in Shanghai is Friday, 00:00 Saturday is Saturday (CI runs in UTC)', () => {
    const friLate = sh(2024, 1, 5, 23, 59);
    const satEarly = sh(2024, 1, 6, 0, 0);
    expect(shanghaiDate(friLate)).toBe('2024-01-05');
    expect(expectedArrival(friLate, 'wechat_bank_card')).toMatchObject({ fromDate: '2024-01-08', toDate: '2024-01-10' });
    // Instant refunds arrive on the weekend; working-day ones start counting on Monday.
    expect(expectedArrival(satEarly, 'wechat_balance')).toMatchObject({ fromDate: '2024-01-06', toDate: '2024-01-06' });
    expect(expectedArrival(satEarly, 'alipay')).toMatchObject({ fromDate: '2024-01-06', toDate: '2024-01-08' });
    expect(expectedArrival(satEarly, 'wechat_bank_card')).toMatchObject({ fromDate: '2024-01-08', toDate: '2024-01-10' });
  });

  it('a holiday calendar passed by the service moves the dates (国庆 2024 with its 调休 Saturday)', () => {
    const holidays = new Set(['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-07']);
    const makeUp = new Set(['2024-09-29', '2024-10-12']);
    const calendar: WorkingDayCalendar = (d) => makeUp.has(d) || (!holidays.has(d) && WEEKDAY_CALENDAR(d));
    expect(expectedArrival(sh(2024, 9, 30), 'wechat_bank_card', DEFAULT_ARRIVAL_TABLE, calendar)).toMatchObject({
      fromDate: '2024-10-08',
      toDate: '2024-10-10',
    });
    expect(plusWorkingDays('2024-10-10', 2, calendar)).toBe('2024-10-12');
  });

  it('a calendar without working days is refused instead of looping', () => {
    expect(() => plusWorkingDays('2024-01-01', 1, () => false)).toThrow('工作日历在一年内没有工作日');
  });

  it('the channel comes from where the money goes back; an unknown WeChat destination gets the later range', () => {
    expect(arrivalChannelFor('wechat', 'balance')).toBe('wechat_balance');
    expect(arrivalChannelFor('wechat', 'bank_card')).toBe('wechat_bank_card');
    expect(arrivalChannelFor('wechat')).toBe('wechat_bank_card');
    expect(arrivalChannelFor('alipay', 'balance')).toBe('alipay');
    expect(arrivalChannelFor('bank')).toBe('bank_card');
  });

  it('the default table is valid and stays within T+0 … T+7', () => {
    expect(validateArrivalTable(DEFAULT_ARRIVAL_TABLE)).toEqual([]);
    for (const c of ARRIVAL_CHANNELS) expect(DEFAULT_ARRIVAL_TABLE[c].maxDays).toBeLessThanOrEqual(7);
  });

  it.each<[string, Partial<ArrivalTable>, string]>([
    ['min after max', { alipay: { minDays: 2, maxDays: 1 } }, '支付宝的最早到账天数不能晚于最晚到账天数'],
    ['negative', { bank_card: { minDays: -1, maxDays: 3 } }, '银行卡的到账天数必须是 0 到 30 之间的整数'],
    ['fractional', { wechat_balance: { minDays: 0, maxDays: 0.5 } }, '微信零钱的到账天数必须是 0 到 30 之间的整数'],
    ['too long', { wechat_bank_card: { minDays: 1, maxDays: 31 } }, '微信支付（银行卡）的到账天数必须是 0 到 30 之间的整数'],
  ])('an edited table with %s is refused', (_label, patch, message) => {
    const table = { ...DEFAULT_ARRIVAL_TABLE, ...patch };
    expect(validateArrivalTable(table)).toEqual([message]);
    expect(() => expectedArrival(sh(2024, 1, 2), 'alipay', table)).toThrow(message);
  });
});

describe('property: arrival ranges', () => {
  it('from ≤ to, T+0 is the success date, T+n (n ≥ 1) is a working day with exactly n working days after T up to it', () => {
    const days = fc.integer({ min: 0, max: 30 });
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }),
        fc.constantFrom(...ARRIVAL_CHANNELS),
        days,
        days,
        (at, channel, a, b) => {
          const table = { ...DEFAULT_ARRIVAL_TABLE, [channel]: { minDays: Math.min(a, b), maxDays: Math.max(a, b) } };
          const r = expectedArrival(at, channel, table);
          const t = shanghaiDate(at);
          expect(r.fromDate <= r.toDate).toBe(true);
          expect(r.fromDate >= t).toBe(true);
          for (const [n, date] of [[Math.min(a, b), r.fromDate], [Math.max(a, b), r.toDate]] as const) {
            if (n === 0) expect(date).toBe(t);
            else {
              expect(WEEKDAY_CALENDAR(date)).toBe(true);
              let count = 0;
              for (let d = plusWorkingDays(t, 0); d < date; d = shanghaiDate(Date.parse(`${d}T12:00:00+08:00`) + 86_400_000))
                if (d !== t && WEEKDAY_CALENDAR(d)) count++;
              expect(count + 1).toBe(n);
            }
          }
        },
      ),
    );
  });
});
