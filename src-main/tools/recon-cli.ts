import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir, openApp, storeConfigFromEnv, type App } from '../app';
import { isDomainError } from '../core/errors';
import { PAYMENT_METHODS, type PaymentMethod } from '../core/orders/order-types';
import { loadAuditKey } from '../security/audit-chain';
import { runReport } from '../services/reconciliation/recon-service';

/**
 * `npm run recon -- --channel wechat|alipay|bank --bill <file> --date YYYY-MM-DD`: the same import and
 * matching as the 对账工作台, for operators' scripts. The store is PAY_MYSQL_URL, else the SQLite file
 * at PAY_DB_PATH (or in the data directory); its migrations run first. Prints the run's summary as
 * JSON on stdout (counts and amounts in fen per difference type) and exits 0; a malformed bill, a
 * wrong argument or an unreachable store: a message on stderr and a non-zero exit (2: usage, 1: the run).
 */

const USAGE = '用法: npm run recon -- --channel wechat|alipay|bank --bill <账单文件> --date YYYY-MM-DD';

class UsageError extends Error {}

function parseOptions(): { channel: PaymentMethod; bill: string; date: string } {
  let values;
  try {
    ({ values } = parseArgs({ options: { channel: { type: 'string' }, bill: { type: 'string' }, date: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } }, strict: true }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) throw new UsageError(USAGE);
  const channel = values.channel as PaymentMethod | undefined;
  if (!channel || !PAYMENT_METHODS.includes(channel)) throw new UsageError(`参数 --channel 应为 wechat、alipay 或 bank（收到 ${values.channel ?? '空'}）\n${USAGE}`);
  if (!values.bill) throw new UsageError(`缺少参数 --bill\n${USAGE}`);
  if (!existsSync(values.bill) || !statSync(values.bill).isFile()) throw new UsageError(`账单文件不存在：${values.bill}`);
  if (!values.date || !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`参数 --date 应为 YYYY-MM-DD（收到 ${values.date ?? '空'}）\n${USAGE}`);
  return { channel, bill: values.bill, date: values.date };
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseOptions();
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const dataDir = defaultDataDir();
  const store = storeConfigFromEnv(dataDir);
  if (store.kind === 'sqlite') mkdirSync(dirname(store.path), { recursive: true });
  const auditKey = loadAuditKey({ envKey: process.env.PAY_AUDIT_KEY, keyFile: join(dataDir, 'audit.key') });
  const target = store.kind === 'sqlite' ? store.path : store.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  let app: App;
  try {
    app = await openApp({ store, auditKey, expiryIntervalMs: 0 });
  } catch (e) {
    console.error(`无法打开数据库 ${target}：${(e as Error).message}`);
    return 1;
  }
  try {
    const run = await app.recon.importBill(
      { id: null, name: '命令行对账' },
      { channel: opts.channel, date: opts.date, fileName: basename(opts.bill), file: { path: opts.bill }, sha256: await sha256Of(opts.bill) },
    );
    console.log(JSON.stringify(runReport(run), null, 2));
    return 0;
  } catch (e) {
    console.error(isDomainError(e) ? `对账失败：${e.message}` : `对账失败：${(e as Error).stack ?? String(e)}`);
    return 1;
  } finally {
    await app.close();
  }
}

process.exitCode = await main();
