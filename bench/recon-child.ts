import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openApp } from '../src-main/app';
import type { StoreConfig } from '../src-main/db/data-source';
import { runReport } from '../src-main/services/reconciliation/recon-service';
import { duckdbRecon } from './recon-duckdb';

/**
 * One measured reconciliation in a process of its own (bench/recon-bench.ts runs it from an esbuild
 * bundle on plain node, as a built app runs), so that its peak RSS is its own:
 *  - `ours`: what `npm run recon` does (src-main/tools/recon-cli.ts): open the app on the store, hash the
 *    file, `ReconService.importBill` with the file's path (stream, parse, match, persist differences);
 *  - `duckdb`: bench/recon-duckdb.ts on the same bill and CSVs of our records.
 * Writes its figures as JSON to `out`.
 */

export type ChildConfig =
  | { engine: 'ours'; store: StoreConfig; bill: string; date: string; out: string; auditKeyHex: string }
  | { engine: 'duckdb'; bill: string; localPayments: string; localRefunds: string; date: string; holdWindowMs: number; threads: number; out: string };

export interface ChildResult {
  engine: 'ours' | 'duckdb';
  /** The reconciliation itself: from reading the file to the differences stored. */
  ms: number;
  /** Opening the app (migrations check) or the DuckDB instance, before `ms`. */
  startMs: number;
  phases: Record<string, number>;
  /** CPU time of the process (all threads) during `ms`. */
  cpuMs: number;
  /** process.resourceUsage().maxRSS at the end: the process's peak resident set, KiB. */
  maxRssKiB: number;
  /** Ours: the resident set once the app is open, before the file is touched, KiB. */
  startRssKiB: number | null;
  report: unknown;
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const t0 = performance.now();
let result: ChildResult;
if (cfg.engine === 'ours') {
  const app = await openApp({ store: cfg.store, auditKey: Buffer.from(cfg.auditKeyHex, 'hex'), expiryIntervalMs: 0 });
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const startRssKiB = process.memoryUsage().rss / 1024;
  try {
    const sha256 = await sha256Of(cfg.bill);
    const t2 = performance.now();
    const run = await app.recon.importBill({ id: null, name: '命令行对账' }, { channel: 'wechat', date: cfg.date, fileName: basename(cfg.bill), file: { path: cfg.bill }, sha256 });
    const t3 = performance.now();
    const used = process.cpuUsage(cpu);
    result = { engine: 'ours', ms: t3 - t1, cpuMs: (used.user + used.system) / 1000, startMs: t1 - t0, phases: { sha256: t2 - t1, importBill: t3 - t2 }, maxRssKiB: 0, startRssKiB, report: runReport(run) };
  } finally {
    await app.close();
  }
} else {
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const { outcomes, phases } = await duckdbRecon(cfg);
  const used = process.cpuUsage(cpu);
  result = { engine: 'duckdb', ms: performance.now() - t1, cpuMs: (used.user + used.system) / 1000, startMs: t1 - t0, phases, maxRssKiB: 0, startRssKiB: null, report: outcomes };
}
result.maxRssKiB = process.resourceUsage().maxRSS;
writeFileSync(cfg.out, JSON.stringify(result));
