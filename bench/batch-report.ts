import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BatchSection } from './batch-bench';
import type { Machine } from './machine';
import { entry, type ResultEntry } from './report';

/** Section markers: `--only batch` rewrites only its own part of RESULTS.md. */
const START = '<!-- batch:start -->';
const END = '<!-- batch:end -->';

export function batchEntries(s: BatchSection): ResultEntry[] {
  return [
    entry('mysql.batch.10k.items_per_s vs bare gateway transfers', s.items / s.executeSeconds, 'items/s', s.items / s.bareSeconds),
    entry('mysql.batch.crash.duplicates (goal 0)', s.duplicates, 'items', 0),
    entry('mysql.batch.crash.lost (goal 0)', s.lost, 'items', 0),
    entry('mysql.batch.crash.resume_median vs child start-up', s.resumeMedianSeconds * 1000, 'ms', s.childStartupMedianSeconds * 1000),
  ].map((e) => (Number.isFinite(e.ratio) ? e : { ...e, ratio: e.value === 0 ? 1 : e.ratio }));
}

function render(s: BatchSection, m: Machine, loadBefore: number[], loadAfter: number[]): string[] {
  const f = (x: number, d = 1) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const ours = s.items / s.executeSeconds;
  const bare = s.items / s.bareSeconds;
  return [
    '## § Batch payouts (issue 7)',
    '',
    'Produced by `npm run bench -- --only batch` (bench/batch-bench.ts).',
    '',
    '| | |',
    '|---|---|',
    `| Date | ${m.date} |`,
    `| CPU | ${m.cpu} (\`nproc\` = ${m.cores}) |`,
    `| Node.js | ${m.node} |`,
    `| MariaDB | ${m.mariadb} (innodb_buffer_pool_size ${m.innodbBufferPoolMiB ?? '?'} MiB, server defaults) |`,
    `| Load average (1/5/15 min) | before ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' / ')} |`,
    '',
    `**Throughput.** A salary batch of ${s.items.toLocaleString('en-US')} items (bank / WeChat / Alipay in turn) on MariaDB through the whole path:`,
    'drafted by one multi-row INSERT, submitted, approved at every level, then paid by the executor (leases with SKIP LOCKED, each',
    "item's request id committed before its send, the platforms' answers and notifications recorded) against the simulated platforms",
    `(in the same process: their RSA signing and AES-GCM encryption cost CPU here too), rate limit ${s.rate}/s, ${s.concurrency} sends at a time.`,
    `**Baseline, same run:** the same number of transfers sent straight through the same gateway adapters to the same simulators at the`,
    'same concurrency — no database, no executor, no approval, notifications answered by a bare responder.',
    '',
    '| | Items | Time | Items/s |',
    '|---|---|---|---|',
    `| Ours: draft (one transaction) | ${s.items.toLocaleString('en-US')} | ${f(s.draftSeconds, 2)} s | — |`,
    `| **Ours: execution** | ${s.items.toLocaleString('en-US')} | ${f(s.executeSeconds)} s | **${f(ours)}** |`,
    `| Baseline: bare gateway transfers | ${s.items.toLocaleString('en-US')} | ${f(s.bareSeconds)} s | ${f(bare)} |`,
    '',
    `Ours runs at ${(ours / bare).toFixed(2)}× the baseline's rate.`,
    '',
    `**Crash safety.** A second ${s.items.toLocaleString('en-US')}-item batch paid by executor processes killed with SIGKILL at ${s.crashes} random moments`,
    '(each time a new process started; after the last kill the app itself finishes), then every item checked against the simulated',
    "platforms' books.",
    '',
    '| Check | Goal | Result | |',
    '|---|---|---|---|',
    `| items paid twice | 0 | ${s.duplicates} | ${s.duplicates === 0 ? '✅' : '❌'} |`,
    `| items lost (not paid exactly once) | 0 | ${s.lost} | ${s.lost === 0 ? '✅' : '❌'} |`,
    `| items with more than one request id | — | ${s.extraRequests} | |`,
    `| time to resume after a kill (median / worst) | — | ${f(s.resumeMedianSeconds, 2)} s / ${f(s.resumeMaxSeconds, 2)} s | |`,
    `| of which a new process starting (tsx, median) | — | ${f(s.childStartupMedianSeconds, 2)} s | |`,
    '',
    'Time to resume = from the kill until the next instance holds work and none of the dead one\'s items is still held; the lease',
    '(1 s in the bench) lapses while the new process starts.',
  ];
}

export function writeBatchSection(dir: string, s: BatchSection, m: Machine, loadBefore: number[]): void {
  const mdPath = join(dir, 'RESULTS.md');
  const block = [START, ...render(s, m, loadBefore, loadavg()), END].join('\n');
  const md = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '# Benchmark results\n';
  const at = md.indexOf(START);
  const end = md.indexOf(END);
  writeFileSync(mdPath, at >= 0 && end > at ? `${md.slice(0, at)}${block}${md.slice(end + END.length)}` : `${md.trimEnd()}\n\n${block}\n`);
  const jsonPath = join(dir, 'results.json');
  const old = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as ResultEntry[]) : [];
  writeFileSync(jsonPath, `${JSON.stringify([...old.filter((x) => !x.name.includes('.batch.')), ...batchEntries(s)], null, 2)}\n`);
}
