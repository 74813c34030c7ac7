import { businessNumber, type RandomInt } from '../core/ids';
import type { ExpiryMinutes } from '../core/orders/order-expiry';
import { expiresAt } from '../core/orders/order-expiry';
import type { CancelReason, OrderStatus, OrderType, PaymentMethod } from '../core/orders/order-types';
import { compactShanghai, DAY_MS, HOUR_MS, MINUTE_MS, shanghaiDate, shanghaiDayStart } from '../core/time';
import type { NewOrder } from '../db/repositories/order-repository';
import type { NewTransaction } from '../db/repositories/transaction-repository';

/**
 * A realistic, reproducible stream of payment orders and their transactions for a hotel-restaurant:
 * the demo data (`npm run seed:demo`) and the benchmark fixture (`npm run bench`) come from here, so
 * the benchmark queries data shaped like what an accountant will really have.
 *
 * Everything is a pure function of the options: the same seed and `now` give the same rows. Orders
 * come out one Asia/Shanghai business day at a time, oldest first and sorted by creation time within
 * the day, so a million rows stream without being held in memory at once.
 */

/** A [0, 1) random source. */
export type Prng = () => number;

/** mulberry32: tiny, fast, good enough for sample data (never for order numbers in production). */
export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoOptions {
  seed: number;
  /** The moment the data ends at; pending orders expire after it. */
  now: number;
  /** How many Shanghai business days back, today included. */
  days: number;
  /** About how many customer orders and meal bills (payroll and supplier payments come on top). */
  orders: number;
  expiryMinutes: ExpiryMinutes;
  /** The benchmark fixture needs only the orders. */
  withTransactions: boolean;
  /** Employees paid on pay day (the 10th). */
  staff?: number;
}

export interface DemoRecord {
  order: NewOrder;
  transactions: NewTransaction[];
}

// Shanghai hour of day → relative number of orders: breakfast, lunch and dinner peaks, quiet nights.
const HOUR_WEIGHTS = [0.05, 0.03, 0.02, 0.02, 0.02, 0.04, 0.15, 0.5, 0.8, 1.0, 1.3, 2.2, 2.6, 1.8, 1.0, 0.9, 1.0, 1.8, 2.6, 2.4, 1.6, 1.0, 0.5, 0.2];
const WEEKEND_WEIGHT = 0.6;
const PAY_DAY = 10;

const ROOM_DEPOSITS: { label: string; min: number; max: number; step: number }[] = [
  { label: '标准双床房 定金', min: 100, max: 400, step: 50 },
  { label: '豪华大床房 定金', min: 200, max: 800, step: 50 },
  { label: '行政套房 定金', min: 500, max: 2000, step: 100 },
  { label: '家庭房 定金', min: 200, max: 600, step: 50 },
  { label: '早茶 包间预订定金', min: 50, max: 200, step: 50 },
  { label: '生日宴 预订定金', min: 300, max: 1000, step: 100 },
];
const PRIVATE_ROOMS = ['牡丹厅', '芙蓉厅', '兰亭', '听雨轩', '望江阁', '紫荆厅', '春晖厅', '锦绣厅'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '晓东', '海燕'];
const SUPPLIERS: { name: string; code: string; min: number; max: number }[] = [
  { name: '鲜丰蔬菜配送', code: 'SUP101', min: 2000, max: 12000 },
  { name: '海港水产', code: 'SUP102', min: 5000, max: 40000 },
  { name: '金穗粮油', code: 'SUP103', min: 3000, max: 15000 },
  { name: '华润酒水', code: 'SUP104', min: 8000, max: 60000 },
  { name: '洁美布草洗涤', code: 'SUP105', min: 2000, max: 9000 },
  { name: '顺达冷链肉禽', code: 'SUP106', min: 6000, max: 30000 },
];
const OPENID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const PHONE_PREFIXES = ['133', '135', '136', '138', '139', '150', '151', '158', '177', '186', '188', '189'];

const pad = (n: number, w: number) => String(n).padStart(w, '0');

interface Draw {
  rand: Prng;
  int: RandomInt;
}

function makeDraw(seed: number): Draw {
  const rand = mulberry32(seed);
  return { rand, int: (bound) => Math.floor(rand() * bound) };
}

const pick = <T>(d: Draw, xs: readonly T[]): T => xs[d.int(xs.length)] as T;
const digits = (d: Draw, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(d.int(10));
  return s;
};
/** Exponentially distributed delay with the given mean, at least `min`. */
const delay = (d: Draw, mean: number, min = 0): number => min + Math.round(-Math.log(1 - d.rand()) * mean);
/** Standard normal (Box–Muller). */
const normal = (d: Draw): number => Math.sqrt(-2 * Math.log(1 - d.rand())) * Math.cos(2 * Math.PI * d.rand());

function weighted<T>(d: Draw, choices: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of choices) total += w;
  let r = d.rand() * total;
  for (const [v, w] of choices) {
    r -= w;
    if (r < 0) return v;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

/**
 * Payers come back: a customer is drawn from a pool with a skew, so some pay often. The id is
 * derived from the pool index, so the pool itself never has to be stored.
 */
function payerFor(method: PaymentMethod, index: number): string {
  const d = makeDraw(index * 2654435761 + (method === 'wechat' ? 1 : method === 'alipay' ? 2 : 3));
  if (method === 'wechat') {
    // WeChat openids are 28 characters beginning with 'o' (e.g. oUpF8uMuAJO_M2pxb1Q9zNjWeS6o).
    let id = 'o';
    for (let i = 0; i < 27; i++) id += OPENID_CHARS[d.int(OPENID_CHARS.length)];
    return `WX_${id}`;
  }
  // Alipay gives the buyer's 2088… user id, or a masked logon id (phone).
  if (method === 'alipay') return d.rand() < 0.6 ? `ALI_2088${digits(d, 12)}` : `ALI_${pick(d, PHONE_PREFIXES)}****${digits(d, 4)}`;
  return `BANK_${pick(d, ['6222', '6217', '6228', '6214', '6225'])}****${digits(d, 4)}`;
}

function gatewayTradeNo(d: Draw, method: PaymentMethod, at: number): string {
  const ts = compactShanghai(at);
  const date = ts.slice(0, 8);
  if (method === 'wechat') return `4200${digits(d, 6)}${date}${digits(d, 10)}`;
  if (method === 'alipay') return `${date}22001${digits(d, 15)}`;
  return `BK${ts}${digits(d, 8)}`;
}

function refundTradeNo(d: Draw, method: PaymentMethod, at: number, paymentTradeNo: string): string {
  const date = compactShanghai(at).slice(0, 8);
  if (method === 'wechat') return `5030${digits(d, 6)}${date}${digits(d, 10)}`;
  // Alipay answers a refund with the original trade_no.
  if (method === 'alipay') return paymentTradeNo;
  return `BKR${compactShanghai(at)}${digits(d, 7)}`;
}

const personName = (d: Draw) => pick(d, SURNAMES) + pick(d, GIVEN_NAMES);
const mealOf = (hour: number) => (hour < 10 ? '早餐' : hour < 15 ? '午餐' : hour < 21 ? '晚餐' : '夜宵');

export class DemoDataGenerator {
  private readonly d: Draw;
  private readonly orderNumbers = new Set<string>();
  private readonly transactionNumbers = new Set<string>();
  private readonly staff: { name: string; code: string; baseFen: number }[];
  private readonly poolSize: number;

  constructor(private readonly opts: DemoOptions) {
    this.d = makeDraw(opts.seed);
    this.poolSize = Math.max(50, Math.round(opts.orders * 0.35));
    this.staff = Array.from({ length: opts.staff ?? 12 }, (_, i) => ({
      name: personName(this.d),
      code: `EMP${pad(1001 + i, 4)}`,
      baseFen: (4500 + this.d.int(135) * 100) * 100,
    }));
  }

  /** One batch per Shanghai business day, oldest first. */
  *days(): Generator<DemoRecord[]> {
    const { now, days } = this.opts;
    const todayStart = shanghaiDayStart(shanghaiDate(now));
    const starts = Array.from({ length: days }, (_, i) => todayStart - (days - 1 - i) * DAY_MS);
    // A business slowly growing over the period, lighter at weekends; today only up to now.
    const weights = starts.map((start, i) => {
      const weekday = new Date(start + 8 * HOUR_MS).getUTCDay();
      const hours = this.openHours(start);
      let w = 0;
      for (const h of hours) w += (HOUR_WEIGHTS[h] ?? 0) * (h === hours[hours.length - 1] && start === todayStart ? ((now - start) % HOUR_MS) / HOUR_MS : 1);
      return w * (weekday === 0 || weekday === 6 ? WEEKEND_WEIGHT : 1) * (0.85 + (0.3 * i) / days);
    });
    const total = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < days; i++) {
      const start = starts[i] as number;
      const expected = (this.opts.orders * (weights[i] as number)) / total;
      const n = Math.floor(expected) + (this.d.rand() < expected - Math.floor(expected) ? 1 : 0);
      // An order number embeds its creation second, so a new day cannot collide with older days.
      this.orderNumbers.clear();
      const records: DemoRecord[] = [];
      const hours = this.hourChoices(start);
      for (let k = 0; k < n; k++) records.push(this.customerRecord(this.timeIn(start, hours)));
      records.push(...this.payouts(start));
      records.sort((a, b) => a.order.createdAt - b.order.createdAt);
      yield records;
    }
  }

  /** Hours of a Shanghai day that have begun before `now`. */
  private openHours(dayStart: number): number[] {
    const hours: number[] = [];
    for (let h = 0; h < 24; h++) if (dayStart + h * HOUR_MS < this.opts.now) hours.push(h);
    return hours;
  }

  private hourChoices(dayStart: number): (readonly [number, number])[] {
    return this.openHours(dayStart).map((h) => [h, HOUR_WEIGHTS[h] ?? 0] as const);
  }

  private timeIn(dayStart: number, hours: readonly (readonly [number, number])[]): number {
    const hour = weighted(this.d, hours);
    const hourStart = dayStart + hour * HOUR_MS;
    // The current hour of today has only partly happened.
    return hourStart + this.d.int(Math.max(1, Math.min(HOUR_MS, this.opts.now - 1000 - hourStart)));
  }

  private orderNo(at: number): string {
    for (;;) {
      const no = businessNumber('P', at, this.d.int);
      if (!this.orderNumbers.has(no)) {
        this.orderNumbers.add(no);
        return no;
      }
    }
  }

  private transactionNo(at: number): string {
    for (;;) {
      const no = businessNumber('T', at, this.d.int);
      if (!this.transactionNumbers.has(no)) {
        this.transactionNumbers.add(no);
        return no;
      }
    }
  }

  private customerRecord(createdAt: number): DemoRecord {
    const d = this.d;
    // wechat 56 / alipay 35 / bank 9 here; payroll and suppliers (all bank) bring bank to about 10%.
    const method = weighted<PaymentMethod>(d, [['wechat', 56], ['alipay', 35], ['bank', 9]]);
    const type: OrderType = d.rand() < 0.42 ? 'customer_order' : 'meal_bill';
    const date = compactShanghai(createdAt);
    const month = Number(date.slice(4, 6));
    const day = Number(date.slice(6, 8));
    const hour = Number(date.slice(8, 10));
    let amountYuan: number;
    let description: string;
    let relatedId: string;
    if (type === 'customer_order') {
      const r = d.rand();
      if (r < 0.7) {
        const item = pick(d, ROOM_DEPOSITS);
        amountYuan = item.min + d.int(Math.floor((item.max - item.min) / item.step) + 1) * item.step;
        description = item.label;
      } else {
        const guests = 4 + d.int(13);
        amountYuan = Math.min(2000, Math.max(200, Math.round((guests * (60 + d.int(90))) / 100) * 100));
        description = r < 0.93 ? `包间 ${pick(d, PRIVATE_ROOMS)} 定金 ${guests}人` : `宴会厅 ${1 + d.int(3)}桌 婚宴定金`;
      }
      relatedId = `RSV${date.slice(0, 8)}-${pad(d.int(10000), 4)}`;
    } else {
      // Bills are log-normal around ¥180, from ¥30 to ¥3,000; most end in whole or half yuan.
      amountYuan = Math.min(3000, Math.max(30, Math.exp(Math.log(180) + 0.85 * normal(d))));
      const people = Math.max(1, Math.min(20, Math.round(amountYuan / (70 + d.int(80)))));
      const r = d.rand();
      const meal = mealOf(hour);
      if (r < 0.85 || people < 4 || (meal !== '午餐' && meal !== '晚餐'))
        description = r < 0.55 ? `${month}月${day}日 ${meal} ${people}人` : `餐费账单 ${8 + d.int(11)}${pad(1 + d.int(30), 2)} 房`;
      else description = `包间 ${pick(d, PRIVATE_ROOMS)} ${meal} ${people}人`;
      relatedId = `BILL${date.slice(0, 8)}-${pad(d.int(10000), 4)}`;
    }
    const amountFen =
      type === 'meal_bill' && d.rand() < 0.15
        ? Math.round(amountYuan * 100) // with a service charge: fen are free
        : type === 'meal_bill'
          ? Math.round(amountYuan * 2) * 50
          : Math.round(amountYuan) * 100;
    const payer = payerFor(method, Math.floor(d.rand() ** 2 * this.poolSize));
    return this.withLifecycle({ createdAt, method, type, amountFen, description, relatedId, payerId: payer });
  }

  /** Payroll on the 10th and a few supplier payments on weekdays, paid by bank transfer. */
  private payouts(dayStart: number): DemoRecord[] {
    const d = this.d;
    const out: DemoRecord[] = [];
    const date = compactShanghai(dayStart);
    const weekday = new Date(dayStart + 8 * HOUR_MS).getUTCDay();
    const at = (fromHour: number, spanHours: number) => dayStart + fromHour * HOUR_MS + d.int(spanHours * HOUR_MS);
    if (Number(date.slice(6, 8)) === PAY_DAY) {
      // Last month's salary.
      const y = Number(date.slice(0, 4));
      const m = Number(date.slice(4, 6));
      const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
      for (const e of this.staff) {
        const createdAt = at(9, 2);
        if (createdAt >= this.opts.now) continue;
        out.push(
          this.withLifecycle({
            createdAt,
            method: 'bank',
            type: 'salary',
            amountFen: e.baseFen + (d.int(41) - 10) * 1000,
            description: `${py}年${pm}月 工资 ${e.name}`,
            relatedId: `PAYROLL-${py}${pad(pm, 2)}-${e.code}`,
            payerId: e.code,
          }),
        );
      }
    }
    if (weekday >= 1 && weekday <= 5 && d.rand() < 0.35) {
      const s = pick(d, SUPPLIERS);
      const createdAt = at(14, 3);
      const day = Number(date.slice(6, 8));
      if (createdAt < this.opts.now)
        out.push(
          this.withLifecycle({
            createdAt,
            method: d.rand() < 0.85 ? 'bank' : 'alipay',
            type: 'supplier_payment',
            amountFen: (s.min + d.int(s.max - s.min)) * 100,
            description: `${s.name} ${Number(date.slice(4, 6))}月${day <= 10 ? '上' : day <= 20 ? '中' : '下'}旬 货款`,
            relatedId: `PO${date.slice(0, 8)}${pad(1 + d.int(99), 2)}`,
            payerId: s.code,
          }),
        );
    }
    return out;
  }

  /**
   * Decides what happened to the order by `now`, following the order state machine: pending while
   * its payment window is open, otherwise paid or cancelled (by the payer, an administrator, or the
   * expiry scheduler), and some paid orders refunded in full (status refunded) or in part (stays paid).
   */
  private withLifecycle(o: {
    createdAt: number;
    method: PaymentMethod;
    type: OrderType;
    amountFen: number;
    description: string;
    relatedId: string;
    payerId: string;
  }): DemoRecord {
    const d = this.d;
    const now = this.opts.now;
    const expireAt = expiresAt(o.type, o.createdAt, this.opts.expiryMinutes);
    const payout = o.type === 'salary' || o.type === 'supplier_payment';
    const windowOpen = expireAt > now;
    let status: OrderStatus;
    let cancelReason: CancelReason | null = null;
    const r = d.rand();
    if (windowOpen) status = r < 0.5 ? 'pending' : r < 0.93 || payout ? 'paid' : 'cancelled';
    else if (payout) status = r < 0.97 ? 'paid' : 'cancelled';
    else status = r < 0.9 ? 'paid' : 'cancelled';
    if (status === 'cancelled')
      cancelReason = payout ? 'admin' : windowOpen ? 'user' : weighted<CancelReason>(d, [['expired', 55], ['user', 35], ['admin', 10]]);

    const limit = Math.min(expireAt, now) - 1000;
    const clamp = (t: number) => Math.max(o.createdAt + 1000, Math.min(t, limit));
    let paidAt: number | null = null;
    let cancelledAt: number | null = null;
    let paidFen = 0;
    let refundedFen = 0;
    let refundAt: number | null = null;
    let tradeNo: string | null = null;
    if (status === 'paid') {
      const mean = payout ? 6 * HOUR_MS : o.type === 'customer_order' ? 2 * MINUTE_MS : d.rand() < 0.15 ? 3 * HOUR_MS : 4 * MINUTE_MS;
      paidAt = clamp(o.createdAt + delay(d, mean, 15_000));
      paidFen = o.amountFen;
      tradeNo = gatewayTradeNo(d, o.method, paidAt);
      // Refunds: cancelled bookings get deposits back (in full or by cancellation time); dishes sent back.
      if (!payout && paidAt < now - HOUR_MS) {
        const x = d.rand();
        const [full, partial] = o.type === 'customer_order' ? [0.06, 0.04] : [0.015, 0.03];
        const at = paidAt + delay(d, o.type === 'customer_order' ? 2 * DAY_MS : 6 * HOUR_MS, 10 * MINUTE_MS);
        // A refund that would happen after `now` has simply not happened yet.
        if (x < full + partial && at < now) {
          refundAt = at;
          if (x < full) {
            refundedFen = paidFen;
            status = 'refunded';
          } else {
            const share = o.type === 'customer_order' ? pick(d, [0.3, 0.5, 0.7, 0.8]) : 0.05 + d.rand() * 0.3;
            refundedFen = Math.max(100, Math.min(paidFen - 100, Math.round((paidFen * share) / 100) * 100));
            if (refundedFen <= 0 || refundedFen >= paidFen) {
              refundAt = null;
              refundedFen = 0;
            }
          }
        }
      }
    } else if (status === 'cancelled') {
      // The expiry scheduler runs every 30 seconds.
      if (cancelReason === 'expired') cancelledAt = Math.min(now - 1000, expireAt + d.int(30_000));
      else cancelledAt = clamp(o.createdAt + delay(d, cancelReason === 'user' ? 3 * MINUTE_MS : 20 * MINUTE_MS, 30_000));
    }

    const order: NewOrder = {
      orderNo: this.orderNo(o.createdAt),
      amountFen: o.amountFen,
      paidFen,
      refundedFen,
      method: o.method,
      type: o.type,
      status,
      relatedId: o.relatedId,
      description: o.description,
      payerId: o.payerId,
      createdBy: null,
      createdAt: o.createdAt,
      expireAt,
      paidAt,
      cancelledAt,
      cancelReason,
      gatewayTradeNo: tradeNo,
    };
    const transactions: NewTransaction[] = [];
    if (this.opts.withTransactions) {
      transactions.push({
        transactionNo: this.transactionNo(o.createdAt),
        orderNo: order.orderNo,
        method: o.method,
        amountFen: o.amountFen,
        // A payment refunded in full is itself 退款完成; a partly refunded one stays 成功.
        status: status === 'refunded' ? 'refunded' : paidAt !== null ? 'success' : cancelledAt !== null ? 'failed' : 'pending',
        type: 'payment',
        gatewayTradeNo: tradeNo,
        createdAt: o.createdAt,
        updatedAt: paidAt ?? cancelledAt ?? o.createdAt,
      });
      if (refundAt !== null && tradeNo !== null)
        transactions.push({
          transactionNo: this.transactionNo(refundAt),
          orderNo: order.orderNo,
          method: o.method,
          amountFen: refundedFen,
          status: 'success',
          type: 'refund',
          gatewayTradeNo: refundTradeNo(d, o.method, refundAt, tradeNo),
          createdAt: refundAt,
          updatedAt: refundAt,
        });
    }
    return { order, transactions };
  }
}
