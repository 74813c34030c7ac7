import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from './machine';
import { round } from './measure';
import type { NotifySection } from './notify-ingest';
import { renderNotify } from './notify-report';

/** One figure of ours next to its baseline measured in the same run; ratio = value / baseline. */
export interface ResultEntry {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

export function entry(name: string, value: number, unit: string, baseline: number): ResultEntry {
  const digits = unit === 'ms' ? 3 : 0;
  return { name, value: round(value, digits), unit, baseline: round(baseline, digits), ratio: round(value / baseline, 3) };
}

export interface ListSection {
  store: 'SQLite' | 'MariaDB';
  runs: number;
  matchedRows: { min: number; max: number };
  oursP50: number;
  oursP95: number;
  /** The primary baseline (prepared statements). */
  rawP50: number;
  rawP95: number;
  /** Further baselines measured in the same loop. */
  otherBaselines: { name: string; p50: number; p95: number }[];
  rawRowsP50: number;
  rawCountP50: number;
  ourSql: string[];
  plans: { statement: string; plan: string[] }[];
}

export interface InsertSection {
  store: 'SQLite' | 'MariaDB';
  rows: number;
  rounds: number;
  oursMs: number[];
  rawMs: number[];
  rawDescription: string;
}

export interface FixtureNote {
  store: 'SQLite' | 'MariaDB';
  where: string;
  built: boolean;
  buildSeconds: number | null;
}

export interface Report {
  machine: Machine;
  loadBefore: number[];
  loadAfter: number[];
  /** 1-minute load average sampled every 5 s while the bench ran. */
  loadDuring: { mean: number; max: number; samples: number } | null;
  totalSeconds: number;
  fixtures: FixtureNote[];
  lists: ListSection[];
  inserts: InsertSection[];
  /** Section 3, notification ingest (null when not run). */
  notify: NotifySection | null;
  findings: string[];
  entries: ResultEntry[];
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const perSecond = (rows: number, millis: number) => Math.round(rows / (millis / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? '✅' : '❌');

/**
 * The sections other runs write on their own (`--only recon`, `--only batch`: between `<!-- x:start -->`
 * and `<!-- x:end -->`), and their results.json entries, are kept as those runs left them.
 */
function keptSections(dir: string): { md: string[]; entries: ResultEntry[] } {
  const mdPath = join(dir, 'RESULTS.md');
  const jsonPath = join(dir, 'results.json');
  const md = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '';
  const blocks = [...md.matchAll(/<!-- (\w+):start -->[\s\S]*?<!-- \1:end -->/g)];
  const old = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as ResultEntry[]) : [];
  const names = blocks.map((b) => `.${b[1]}.`);
  return { md: blocks.map((b) => b[0]), entries: old.filter((e) => names.some((n) => e.name.includes(n))) };
}

export function writeReport(dir: string, r: Report): void {
  const kept = keptSections(dir);
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify([...r.entries, ...kept.entries], null, 2)}\n`);
  const m = r.machine;
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push('Produced by `npm run bench` (bench/run.ts); see bench/README.md for what is measured. Every ratio compares our');
  out.push('layer with its baseline **measured in the same run**, on the same data and the same machine.', '');
  out.push('## Machine', '');
  out.push('| | |', '|---|---|');
  out.push(`| Date | ${m.date} |`);
  out.push(`| CPU | ${m.cpu} (\`nproc\` = ${m.cores}) |`);
  out.push(`| Memory | ${m.memoryGiB} GiB |`);
  out.push(`| OS | ${m.os} |`);
  out.push(`| Node.js | ${m.node} |`);
  out.push(`| SQLite | ${m.sqlite} (better-sqlite3 ${m.packages['better-sqlite3'] ?? '?'}) |`);
  out.push(`| MariaDB | ${m.mariadb} (mysql2 ${m.packages.mysql2 ?? '?'}, innodb_buffer_pool_size ${m.innodbBufferPoolMiB ?? '?'} MiB, server defaults) |`);
  out.push(`| TypeORM | ${m.packages.typeorm ?? '?'} |`);
  out.push(`| Load average (1/5/15 min) | before ${r.loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${r.loadAfter.map((x) => x.toFixed(2)).join(' / ')} |`);
  if (r.loadDuring) out.push(`| Load average during the run (1 min, every 5 s) | mean ${r.loadDuring.mean.toFixed(2)}, max ${r.loadDuring.max.toFixed(2)} (${r.loadDuring.samples} samples) |`);
  out.push(`| Total bench time | ${r.totalSeconds.toFixed(0)} s |`);
  out.push('');
  if (r.fixtures.length) {
    out.push('Fixtures (1,000,000 orders, 12 months ending 2025-12-31 Asia/Shanghai, the demo-data distribution):');
    for (const f of r.fixtures)
      out.push(`- ${f.store}: ${f.where} — ${f.built ? `built in this run in ${f.buildSeconds?.toFixed(0)} s` : 'reused from an earlier run'}`);
    out.push('');
  }

  if (r.lists.length) renderLists(out, r);
  if (r.inserts.length) renderInserts(out, r);
  if (r.notify) out.push(...renderNotify(r.notify));

  out.push('## Findings', '');
  for (const f of r.findings) out.push(`- ${f}`);
  out.push('');
  out.push('## results.json', '');
  out.push('`[{ name, value, unit, baseline, ratio }]` with ratio = value / baseline: for `ms` above 1 means ours is slower,');
  out.push('for `rows/s` and `notifications/s` below 1 means ours is slower.', '');
  out.push('```json', JSON.stringify(r.entries, null, 2), '```');
  for (const block of kept.md) out.push('', block);
  writeFileSync(join(dir, 'RESULTS.md'), `${out.join('\n')}\n`);
}

function renderLists(out: string[], r: Report): void {
  out.push('## 1. Order list: three filters + sort, page of 50 + total count', '');
  out.push("Filter `status IN ('paid') AND payment_method IN ('wechat') AND created_at in one calendar month`, `ORDER BY created_at DESC, id DESC`,");
  out.push('page 1–10 of 50, month varied over the 12 months of the fixture; 200 measured runs per side after 20 warm-up runs, ours and');
  out.push('raw alternating. **Ours** = `OrderService.list` → `Store.read` → `OrderRepository.list`: TypeORM query builder with the 19');
  out.push('columns listed explicitly, read with `getRawMany()` and mapped straight into domain `Order` objects by `orderFromRow` (no');
  out.push('TypeORM entity hydration), the count with `getRawOne()`, both statements concurrently.');
  out.push('**Raw** = the same two statements (the same 19 columns) as prepared statements on the bare driver');
  out.push('(better-sqlite3 `prepare().all()/get()`; mysql2 `pool.execute`, both statements concurrently like the repository).', '');
  out.push('| Store | Rows matching | Ours p50 | Raw p50 | Ratio p50 | Ours p95 | Raw p95 | Ratio p95 | Target |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const l of r.lists) {
    const ratio95 = l.oursP95 / l.rawP95;
    const target =
      l.store === 'SQLite'
        ? `overhead ≤ 1.5× ${verdict(ratio95 <= 1.5 && l.oursP50 / l.rawP50 <= 1.5)}; p95 ≤ 10 ms ${verdict(l.oursP95 <= 10)}`
        : `overhead ≤ 1.5× ${verdict(ratio95 <= 1.5 && l.oursP50 / l.rawP50 <= 1.5)}`;
    out.push(
      `| ${l.store} | ${fmt(l.matchedRows.min)}–${fmt(l.matchedRows.max)} | ${ms(l.oursP50)} | ${ms(l.rawP50)} | ${(l.oursP50 / l.rawP50).toFixed(2)}× | ${ms(l.oursP95)} | ${ms(l.rawP95)} | ${ratio95.toFixed(2)}× | ${target} |`,
    );
  }
  for (const l of r.lists)
    for (const b of l.otherBaselines)
      out.push(
        `\nAlso measured in the same loop on ${l.store}: ${b.name} p50 ${ms(b.p50)} / p95 ${ms(b.p95)}; against it ours is ${(l.oursP50 / b.p50).toFixed(2)}× at p50 and ${(l.oursP95 / b.p95).toFixed(2)}× at p95.`,
      );
  out.push('');
  out.push('Where the raw time goes (p50, each statement alone):', '');
  out.push('| Store | Page of 50 rows | COUNT(*) |', '|---|---|---|');
  for (const l of r.lists) out.push(`| ${l.store} | ${ms(l.rawRowsP50)} | ${ms(l.rawCountP50)} |`);
  out.push('');
  for (const l of r.lists) {
    out.push(`### ${l.store}: the SQL our layer sends and its plan`, '');
    out.push('```sql', ...l.ourSql, '```', '');
    for (const p of l.plans) out.push(`- ${p.statement}: \`${p.plan.join(' | ')}\``);
    out.push('');
  }
}

function renderInserts(out: string[], r: Report): void {
  out.push('## 2. Bulk insert of 100,000 orders', '');
  out.push('Into an empty `payment_orders` with all the indexes of the migration, a fresh database per run; one transaction.');
  out.push('**Ours** = `store.transaction(tx => tx.orders.insertMany(orders))` → `insertRows` (src-main/db/bulk-insert.ts): parameterized');
  out.push("multi-row `INSERT … VALUES (?, …), …` of 500 rows per statement, sent through the transaction's `EntityManager.query`.");
  out.push('**Raw** = the bare driver, as described per store in the table. Best of the rounds shown (the order of the sides alternates');
  out.push('from round to round).', '');
  out.push('| Store | Ours rows/s | Raw rows/s | Ratio (ours / raw) | Ours time | Raw time | Raw path |');
  out.push('|---|---|---|---|---|---|---|');
  for (const i of r.inserts) {
    const ours = Math.min(...i.oursMs);
    const raw = Math.min(...i.rawMs);
    out.push(
      `| ${i.store} | ${fmt(perSecond(i.rows, ours))} | ${fmt(perSecond(i.rows, raw))} | ${(raw / ours).toFixed(2)} (ours takes ${(ours / raw).toFixed(2)}× the time) | ${(ours / 1000).toFixed(2)} s | ${(raw / 1000).toFixed(2)} s | ${i.rawDescription} |`,
    );
  }
  out.push('');
  const list = (xs: number[]) => `[${xs.map((x) => x.toFixed(0)).join(', ')}]`;
  out.push('All rounds (ms): ' + r.inserts.map((i) => `${i.store} ours ${list(i.oursMs)}, raw ${list(i.rawMs)}`).join('; '));
  out.push('');
}
