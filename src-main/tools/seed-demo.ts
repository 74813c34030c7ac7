import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir, openApp, storeConfigFromEnv, type App } from '../app';
import { snapshot } from '../core/audit/audit-record';
import { formatYuan } from '../core/money';
import {
  CANCEL_REASON_LABELS,
  ORDER_STATUS_LABELS,
  ORDER_TYPE_LABELS,
  PAYMENT_METHOD_LABELS,
  type CancelReason,
  type OrderStatus,
  type OrderType,
  type PaymentMethod,
} from '../core/orders/order-types';
import { formatShanghai } from '../core/time';
import type { NewOrder } from '../db/repositories/order-repository';
import type { NewTransaction } from '../db/repositories/transaction-repository';
import { loadAuditKey } from '../security/audit-chain';
import { SYSTEM_ACTOR } from '../services/actor';
import { DemoDataGenerator } from './demo-data';

/**
 * `npm run seed:demo`: fills the configured store (PAY_MYSQL_URL, else the SQLite file at
 * PAY_DB_PATH or in the data directory) with three months of realistic orders and transactions, so a
 * new user sees a living app. It creates no users: the first-run setup does that.
 *
 * Everything goes in one database transaction with a single `demo.seed` audit entry, so a failure
 * leaves the store as it was and the audit chain records that the data is synthetic.
 *   --force        seed even though the store already has orders
 *   --seed N       PRNG seed (same seed and --now → same data)
 *   --orders N     about how many customer orders / meal bills (default 5000)
 *   --days N       how many days back (default 92)
 *   --now ISO      end of the period (default: now)
 */

const USAGE = '用法: npm run seed:demo -- [--force] [--seed N] [--orders N] [--days N] [--now 2025-03-31T18:00:00+08:00]';

class SeedRefused extends Error {}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      force: { type: 'boolean', default: false },
      seed: { type: 'string', default: '20240312' },
      orders: { type: 'string', default: '5000' },
      days: { type: 'string', default: '92' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const int = (v: string, name: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new SeedRefused(`参数 --${name} 应为 ${min} 到 ${max} 之间的整数（收到 ${v}）\n${USAGE}`);
    return n;
  };
  const now = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (!Number.isFinite(now)) throw new SeedRefused(`参数 --now 不是有效时间：${values.now ?? ''}\n${USAGE}`);
  return {
    help: values.help,
    force: values.force,
    seed: int(values.seed, 'seed', 0, 2 ** 32 - 1),
    orders: int(values.orders, 'orders', 1, 200_000),
    days: int(values.days, 'days', 1, 3660),
    now,
  };
}

function count<K extends string>(acc: Partial<Record<K, number>>, key: K): void {
  acc[key] = (acc[key] ?? 0) + 1;
}

interface SeedSummary {
  seed: number;
  orders: number;
  transactions: number;
  paymentTransactions: number;
  refundTransactions: number;
  from: number;
  to: number;
  byStatus: Partial<Record<OrderStatus, number>>;
  byMethod: Partial<Record<PaymentMethod, number>>;
  byType: Partial<Record<OrderType, number>>;
  byCancelReason: Partial<Record<CancelReason, number>>;
  partlyRefunded: number;
  paidFen: number;
  refundedFen: number;
}

function summarize(seedValue: number, orders: NewOrder[], transactions: NewTransaction[]): SeedSummary {
  const s: SeedSummary = {
    seed: seedValue,
    orders: orders.length,
    transactions: transactions.length,
    paymentTransactions: 0,
    refundTransactions: 0,
    from: orders[0]?.createdAt ?? 0,
    to: orders[orders.length - 1]?.createdAt ?? 0,
    byStatus: {},
    byMethod: {},
    byType: {},
    byCancelReason: {},
    partlyRefunded: 0,
    paidFen: 0,
    refundedFen: 0,
  };
  for (const o of orders) {
    count(s.byStatus, o.status);
    count(s.byMethod, o.method);
    count(s.byType, o.type);
    if (o.cancelReason) count(s.byCancelReason, o.cancelReason);
    s.paidFen += o.paidFen;
    s.refundedFen += o.refundedFen;
    if (o.status === 'paid' && o.refundedFen > 0) s.partlyRefunded++;
  }
  for (const t of transactions) {
    if (t.type === 'refund') s.refundTransactions++;
    else s.paymentTransactions++;
  }
  return s;
}

async function seed(app: App, opts: ReturnType<typeof parseOptions>): Promise<void> {
  const started = Date.now();
  // The emptiness check, the generation (it reads the configured payment time limits) and the
  // inserts share one transaction: nothing can slip in between, and a failure writes nothing.
  const s = await app.store.transaction(async (tx) => {
    const existing = await tx.orders.list({}, { page: 1, pageSize: 1, sortBy: 'createdAt', sortOrder: 'desc' });
    if (existing.total > 0 && !opts.force)
      throw new SeedRefused(
        `数据库中已有 ${existing.total} 笔支付订单，为避免与真实数据混在一起，已停止生成演示数据。\n如确需追加演示数据，请加 --force 重新运行：npm run seed:demo -- --force`,
      );
    const { expiryMinutes } = await app.settings.orderSettings(tx);
    const generator = new DemoDataGenerator({ seed: opts.seed, now: opts.now, days: opts.days, orders: opts.orders, expiryMinutes, withTransactions: true });
    const orders: NewOrder[] = [];
    const transactions: NewTransaction[] = [];
    for (const day of generator.days())
      for (const r of day) {
        orders.push(r.order);
        transactions.push(...r.transactions);
      }
    if (!orders.length) throw new SeedRefused('所选时间范围内没有生成任何订单，请调整 --orders / --days / --now');
    const summary = summarize(opts.seed, orders, transactions);
    // insertMany writes multi-row statements of 500 rows: a few dozen statements in all.
    await tx.orders.insertMany(orders);
    await tx.transactions.insertMany(transactions);
    await tx.audit.append(
      {
        actorId: SYSTEM_ACTOR.id,
        actorName: SYSTEM_ACTOR.name,
        action: 'demo.seed',
        entityType: 'store',
        entityId: 'demo',
        before: null,
        after: snapshot(summary),
      },
      Date.now(),
    );
    return summary;
  });

  const pct = (n: number | undefined) => `${n ?? 0} 笔 (${(((n ?? 0) / s.orders) * 100).toFixed(1)}%)`;
  const lines = [
    `演示数据已生成（${app.store.kind === 'sqlite' ? 'SQLite' : 'MySQL/MariaDB'}，种子 ${s.seed}，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）`,
    `  时间范围: ${formatShanghai(s.from)} — ${formatShanghai(s.to)}（北京时间）`,
    `  支付订单: ${s.orders} 笔；交易记录: ${s.transactions} 笔（支付 ${s.paymentTransactions}，退款 ${s.refundTransactions}）`,
    `  按状态:   ${(Object.keys(ORDER_STATUS_LABELS) as OrderStatus[]).map((k) => `${ORDER_STATUS_LABELS[k]} ${pct(s.byStatus[k])}`).join('，')}`,
    `            其中部分退款（仍为已支付）${s.partlyRefunded} 笔；取消原因：${(Object.keys(CANCEL_REASON_LABELS) as CancelReason[]).map((k) => `${CANCEL_REASON_LABELS[k]} ${s.byCancelReason[k] ?? 0}`).join('，')}`,
    `  按方式:   ${(Object.keys(PAYMENT_METHOD_LABELS) as PaymentMethod[]).map((k) => `${PAYMENT_METHOD_LABELS[k]} ${pct(s.byMethod[k])}`).join('，')}`,
    `  按类型:   ${(Object.keys(ORDER_TYPE_LABELS) as OrderType[]).map((k) => `${ORDER_TYPE_LABELS[k]} ${s.byType[k] ?? 0}`).join('，')}`,
    `  实收 ${formatYuan(s.paidFen)}，已退款 ${formatYuan(s.refundedFen)}`,
    `  审计日志已记录一条 demo.seed。未创建任何用户：首次启动时请完成管理员设置。`,
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseOptions>;
  try {
    opts = parseOptions();
  } catch (e) {
    console.error(e instanceof SeedRefused ? e.message : `参数错误：${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = defaultDataDir();
  const store = storeConfigFromEnv(dataDir);
  if (store.kind === 'sqlite') mkdirSync(dirname(store.path), { recursive: true });
  // The same key file as the desktop and web hosts, so the chain verifies in the app afterwards.
  const auditKey = loadAuditKey({ envKey: process.env.PAY_AUDIT_KEY, keyFile: join(dataDir, 'audit.key') });
  const target = store.kind === 'sqlite' ? store.path : store.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  console.log(`目标数据库：${target}`);
  let app: App;
  try {
    app = await openApp({ store, auditKey, expiryIntervalMs: 0 });
  } catch (e) {
    console.error(`无法打开数据库 ${target}：${(e as Error).message}`);
    return 1;
  }
  try {
    await seed(app, opts);
    return 0;
  } catch (e) {
    if (e instanceof SeedRefused) {
      console.error(e.message);
      return 1;
    }
    console.error(`生成演示数据失败，数据库未作任何修改：${(e as Error).message}`);
    return 1;
  } finally {
    await app.close();
  }
}

process.exitCode = await main();
