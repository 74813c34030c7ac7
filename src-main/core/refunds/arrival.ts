import { DomainError } from '../errors';
import type { PaymentMethod } from '../orders/order-types';
import { DAY_MS, shanghaiDate, shanghaiDayStart } from '../time';

/**
 * Expected arrival of a refund (design document 4.4.2: 根据支付方式不同，退款到账时间为T+0至T+7).
 *
 * Where the money lands decides how long it takes, not only the platform: a WeChat refund to the
 * payer's 零钱 is instant, one to the bank card behind the payment takes the card bank's days.
 * DEFAULT_ARRIVAL_TABLE is a configurable default taken from the platforms' published guidance,
 * not a promise of theirs; the settings may replace it (validateArrivalTable):
 *
 *   | channel            | 到账         | why                                                   |
 *   | wechat_balance     | T+0          | 退回微信零钱, immediate                               |
 *   | wechat_bank_card   | T+1 ～ T+3   | 退回银行卡, 1–3 working days by WeChat's guidance      |
 *   | alipay             | T+0 ～ T+1   | 余额 instant, 花呗/银行卡 usually by the next day      |
 *   | bank_card          | T+3 ～ T+7   | the bank gateway's refund goes through the card bank   |
 *
 * Counting: T is the Asia/Shanghai date on which the platform reported success. T+0 is that date
 * itself, whatever day it is (instant refunds arrive on Sundays too). T+n for n ≥ 1 is the n-th
 * working day after T, because banks settle on working days. Core holds no holiday data: the default
 * calendar is Monday–Friday, and the service passes one that knows 法定节假日 and 调休 when it has it.
 */
export const ARRIVAL_CHANNELS = ['wechat_balance', 'wechat_bank_card', 'alipay', 'bank_card'] as const;
export type ArrivalChannel = (typeof ARRIVAL_CHANNELS)[number];
export const ARRIVAL_CHANNEL_LABELS: Record<ArrivalChannel, string> = {
  wechat_balance: '微信零钱',
  wechat_bank_card: '微信支付（银行卡）',
  alipay: '支付宝',
  bank_card: '银行卡',
};

export interface ArrivalDays {
  /** T+minDays … T+maxDays, in working days (0 = the success date itself). */
  minDays: number;
  maxDays: number;
}

export type ArrivalTable = Record<ArrivalChannel, ArrivalDays>;

export const DEFAULT_ARRIVAL_TABLE: ArrivalTable = {
  wechat_balance: { minDays: 0, maxDays: 0 },
  wechat_bank_card: { minDays: 1, maxDays: 3 },
  alipay: { minDays: 0, maxDays: 1 },
  bank_card: { minDays: 3, maxDays: 7 },
};

/** The design document's range: nothing takes longer than T+7 … with some room for an edited table. */
export const MAX_ARRIVAL_DAYS = 30;

/** Is this Shanghai date (YYYY-MM-DD) a day on which banks settle? */
export type WorkingDayCalendar = (date: string) => boolean;

/** Monday–Friday. Chinese public holidays and 调休 make-up Saturdays need the service's calendar. */
export const WEEKDAY_CALENDAR: WorkingDayCalendar = (date) => {
  const day = new Date(shanghaiDayStart(date) + DAY_MS / 2).getUTCDay();
  return day !== 0 && day !== 6;
};

/**
 * Which row of the table a refund uses. The platform tells where the money goes back
 * (WeChat `user_received_account`, Alipay `refund_detail_item_list`); when it does not, a WeChat
 * refund is shown with the bank-card range, the later of the two, so nobody is promised too early.
 */
export function arrivalChannelFor(method: PaymentMethod, fundsTo: 'balance' | 'bank_card' | 'unknown' = 'unknown'): ArrivalChannel {
  switch (method) {
    case 'wechat':
      return fundsTo === 'balance' ? 'wechat_balance' : 'wechat_bank_card';
    case 'alipay':
      return 'alipay';
    case 'bank':
      return 'bank_card';
  }
}

export function validateArrivalTable(table: ArrivalTable): string[] {
  const problems: string[] = [];
  for (const channel of ARRIVAL_CHANNELS) {
    const row = table[channel];
    const label = ARRIVAL_CHANNEL_LABELS[channel];
    const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_ARRIVAL_DAYS;
    if (!ok(row.minDays) || !ok(row.maxDays)) problems.push(`${label}的到账天数必须是 0 到 ${MAX_ARRIVAL_DAYS} 之间的整数`);
    else if (row.minDays > row.maxDays) problems.push(`${label}的最早到账天数不能晚于最晚到账天数`);
  }
  return problems;
}

export interface ExpectedArrival {
  channel: ArrivalChannel;
  /** Asia/Shanghai dates, YYYY-MM-DD, inclusive. */
  fromDate: string;
  toDate: string;
  /** "T+1～T+3" or "T+0". */
  rule: string;
  /** What the accountant and the customer read. */
  text: string;
}

function addDays(date: string, days: number): string {
  return shanghaiDate(shanghaiDayStart(date) + days * DAY_MS);
}

/** T+n: the date itself for n = 0, otherwise the n-th working day after it. */
export function plusWorkingDays(date: string, n: number, calendar: WorkingDayCalendar = WEEKDAY_CALENDAR): string {
  let d = date;
  let left = n;
  // A calendar with no working day at all would loop forever; a year of holidays is already absurd.
  for (let guard = 0; left > 0; guard++) {
    if (guard > 366) throw new DomainError('CALENDAR_INVALID', '工作日历在一年内没有工作日，请检查节假日设置');
    d = addDays(d, 1);
    if (calendar(d)) left--;
  }
  return d;
}

export function expectedArrival(
  successAt: number,
  channel: ArrivalChannel,
  table: ArrivalTable = DEFAULT_ARRIVAL_TABLE,
  calendar: WorkingDayCalendar = WEEKDAY_CALENDAR,
): ExpectedArrival {
  if (!Number.isSafeInteger(successAt)) throw new DomainError('TIME_INVALID', '退款成功时间无效');
  const problems = validateArrivalTable(table);
  if (problems.length > 0) throw new DomainError('ARRIVAL_TABLE_INVALID', problems.join('；'));
  const { minDays, maxDays } = table[channel];
  const t = shanghaiDate(successAt);
  const fromDate = plusWorkingDays(t, minDays, calendar);
  const toDate = plusWorkingDays(t, maxDays, calendar);
  const rule = minDays === maxDays ? `T+${minDays}` : `T+${minDays}～T+${maxDays}`;
  const text = fromDate === toDate ? `预计 ${fromDate} 到账（${rule}）` : `预计 ${fromDate} 至 ${toDate} 到账（${rule}）`;
  return { channel, fromDate, toDate, rule, text };
}
