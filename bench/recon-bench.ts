import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DIFF_TYPES, type DiffType } from '../src-main/core/reconciliation/recon-diff';
import type { StoreConfig } from '../src-main/db/data-source';
import { cpuSnapshot, cpuUse } from './cpu-sample';
import { log } from './measure';
import { summarizeProfile, type ProfileSummary } from './profile-summary';
import type { ChildConfig, ChildResult } from './recon-child';
import { HOLD_WINDOW_MS, specFor, type ReconExpected } from './recon-data';
import type { Outcomes } from './recon-duckdb';
import { ensureReconFiles, ensureReconMysql, ensureReconSqlite, resetRecon } from './recon-fixture';
import { benchDiffList, type ListBenchResult } from './recon-list';

/**
 * Section 4 of `npm run bench` (issue 6 Benchmark): reconciliation of a 1,000,000-line WeChat trade
 * bill against 1,000,000 of our records (≈0.5% injected differences of every type), end to end
 * through `ReconService.importBill` as `npm run recon` runs it, on SQLite and on MariaDB, next to
 * DuckDB doing the same parse, join and classification on the same files in the same run. Each
 * reconciliation runs in a process of its own (an esbuild bundle of bench/recon-child.ts on plain
 * node) for its wall time, CPU time and peak RSS; the sides take turns round by round. The difference
 * counts and amounts per type of every run are checked against DuckDB's and against what the
 * generator injected: any disagreement fails the bench. Then the 对账工作台's difference table on a
 * run with 100,000 differences (bench/recon-list.ts).
 */

export type ReconSide = 'sqlite' | 'mysql' | 'duckdb';

export interface ReconRunFigures {
  side: ReconSide;
  round: number;
  /** The reconciliation (child's own clock): ours = hashing the file as the CLI does + importBill; DuckDB = its SQL. */
  ms: number;
  /** Ours: the part inside importBill (parse, match, persist). */
  importMs: number | null;
  hashMs: number | null;
  cpuMs: number;
  peakRssMiB: number;
  /** Ours: resident set with the app open, before the file is touched. */
  startRssMiB: number | null;
  /** Cores busy on the whole machine during the child's life, and MariaDB's share. */
  busyCores: number;
  mariadbCores: number | null;
  outcomes: Outcomes;
}

export interface ReconSection {
  rows: number;
  rounds: number;
  threads: number;
  billBytes: number;
  expected: ReconExpected;
  built: string[];
  runs: ReconRunFigures[];
  profiles: { side: 'sqlite' | 'mysql'; summary: ProfileSummary }[];
  lists: ListBenchResult[];
  load: { before: number[]; after: number[]; during: { mean: number; max: number; samples: number } | null };
  seconds: number;
}

export interface ReconBenchOptions {
  rows: number;
  rounds: number;
  kinds: ('sqlite' | 'mysql')[];
  dataDir: string;
  mysqlBase: string;
  rebuild: boolean;
  /** Differences in the workbench list run (0: skip). */
  listDiffs: number;
  listRuns: number;
  /** A --cpu-prof pass of ours per store (not timed). */
  profile: boolean;
}

const AUDIT_KEY_HEX = '05'.repeat(32);

async function bundleChild(dataDir: string): Promise<string> {
  const outfile = join(dataDir, 'recon-child.mjs');
  await build({ entryPoints: [join(import.meta.dirname, 'recon-child.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
  return outfile;
}

function runChild(bundle: string, cfg: ChildConfig, execArgv: string[] = []): Promise<{ result: ChildResult; busyCores: number; mariadbCores: number | null }> {
  return new Promise((resolve, reject) => {
    const before = cpuSnapshot();
    const child = spawn(process.execPath, [...execArgv, bundle, JSON.stringify(cfg)], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      const use = cpuUse(before, cpuSnapshot());
      if (code !== 0) return reject(new Error(`对账子进程（${cfg.engine}）退出码 ${code}`));
      try {
        resolve({ result: JSON.parse(readFileSync(cfg.out, 'utf8')) as ChildResult, busyCores: use.busyCores, mariadbCores: use.mariadbCores });
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** Ours reports runReport(run) (differences per type, matched, held); DuckDB reports Outcomes. */
function outcomesOf(r: ChildResult): Outcomes {
  if (r.engine === 'duckdb') return r.report as Outcomes;
  const rep = r.report as { bill: { count: number }; localCount: number; matched: { count: number; amountFen: number }; held: number; differences: Record<DiffType, { count: number; amountFen: number }> };
  return { matched: rep.matched, held: rep.held, diffs: rep.differences, billLines: rep.bill.count, localRecords: rep.localCount };
}

/** Every figure that must agree: matched, held, per type count and amount. Returns the disagreements. */
export function compareOutcomes(a: Outcomes, b: Outcomes | ReconExpected): string[] {
  const out: string[] = [];
  if (a.matched.count !== b.matched.count || a.matched.amountFen !== b.matched.amountFen) out.push(`matched ${JSON.stringify(a.matched)} ≠ ${JSON.stringify(b.matched)}`);
  if (a.held !== b.held) out.push(`held ${a.held} ≠ ${b.held}`);
  for (const t of DIFF_TYPES) {
    const x = a.diffs[t];
    const y = b.diffs[t];
    if (x.count !== y.count || x.amountFen !== y.amountFen) out.push(`${t} ${x.count} / ${x.amountFen} fen ≠ ${y.count} / ${y.amountFen} fen`);
  }
  if (a.billLines !== b.billLines) out.push(`bill lines ${a.billLines} ≠ ${b.billLines}`);
  if ('localRecords' in b && a.localRecords !== b.localRecords) out.push(`our records joined ${a.localRecords} ≠ ${b.localRecords}`);
  return out;
}

export async function runReconBench(opts: ReconBenchOptions): Promise<ReconSection> {
  const started = performance.now();
  const loadBefore = loadavg();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(loadavg()[0] ?? 0), 5000);
  sampler.unref();
  try {
    const spec = specFor(opts.rows);
    const threads = availableParallelism();
    const built: string[] = [];
    const files = await ensureReconFiles(opts.dataDir, spec, opts.rebuild);
    if (files.built) built.push(`bill and CSVs generated in ${files.seconds.toFixed(0)} s`);
    const stores: Partial<Record<'sqlite' | 'mysql', StoreConfig>> = {};
    for (const kind of opts.kinds) {
      const s = kind === 'sqlite' ? await ensureReconSqlite(opts.dataDir, spec, opts.rebuild) : await ensureReconMysql(opts.mysqlBase, spec, opts.rebuild);
      stores[kind] = s.config;
      if (s.built) built.push(`${kind === 'sqlite' ? 'SQLite' : 'MariaDB'} seeded in ${s.seconds.toFixed(0)} s`);
    }
    const bundle = await bundleChild(opts.dataDir);
    const out = join(opts.dataDir, 'recon-child-result.json');
    const sides: ReconSide[] = [...opts.kinds, 'duckdb'];
    const configOf = async (side: ReconSide): Promise<ChildConfig> => {
      if (side === 'duckdb') return { engine: 'duckdb', ...files.files, date: spec.date, holdWindowMs: HOLD_WINDOW_MS, threads, out };
      const store = stores[side]!;
      // Every run starts from the same state: no runs, no differences, nothing held.
      await resetRecon(store);
      return { engine: 'ours', store, bill: files.files.bill, date: spec.date, out, auditKeyHex: AUDIT_KEY_HEX };
    };

    const runs: ReconRunFigures[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      // Rotate who goes first so no side always meets a warmer (or busier) machine.
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(round + k) % sides.length]!;
        const { result, busyCores, mariadbCores } = await runChild(bundle, await configOf(side));
        const outcomes = outcomesOf(result);
        const wrong = compareOutcomes(outcomes, files.expected);
        if (wrong.length) throw new Error(`对账结果与注入的差异不符（${side}，第 ${round + 1} 轮）：\n  ${wrong.join('\n  ')}`);
        runs.push({
          side,
          round,
          ms: result.ms,
          importMs: result.phases.importBill ?? null,
          hashMs: result.phases.sha256 ?? null,
          cpuMs: result.cpuMs,
          peakRssMiB: result.maxRssKiB / 1024,
          startRssMiB: result.startRssKiB === null ? null : result.startRssKiB / 1024,
          busyCores,
          mariadbCores,
          outcomes,
        });
        log(`对账 ${side} 第 ${round + 1} 轮：${(result.ms / 1000).toFixed(2)} s，CPU ${(result.cpuMs / 1000).toFixed(2)} s，峰值内存 ${(result.maxRssKiB / 1024).toFixed(0)} MiB`);
      }
    }
    // Ours and DuckDB, run by run: the same counts and amounts per type (already each against the generator).
    const duck = runs.find((r) => r.side === 'duckdb')!;
    for (const r of runs) {
      const wrong = compareOutcomes(r.outcomes, duck.outcomes);
      if (wrong.length) throw new Error(`对账结果与 DuckDB 不符（${r.side}）：\n  ${wrong.join('\n  ')}`);
    }
    printCounts(runs, files.expected);

    const profiles: ReconSection['profiles'] = [];
    if (opts.profile)
      for (const kind of opts.kinds) {
        const dir = join(opts.dataDir, 'recon-profile', kind);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        log(`对账 ${kind}：CPU 剖析（--cpu-prof，不计时）`);
        await runChild(bundle, await configOf(kind), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
        const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
        if (file) profiles.push({ side: kind, summary: sourcesOf(bundle, summarizeProfile(join(dir, file), 14)) });
      }

    const lists: ListBenchResult[] = [];
    if (opts.listDiffs > 0) for (const kind of opts.kinds) lists.push(await benchDiffList(kind, { dataDir: opts.dataDir, mysqlBase: opts.mysqlBase, diffs: opts.listDiffs, runs: opts.listRuns }));

    return {
      rows: opts.rows,
      rounds: opts.rounds,
      threads,
      billBytes: statSync(files.files.bill).size,
      expected: files.expected,
      built,
      runs,
      profiles,
      lists,
      load: { before: loadBefore, after: loadavg(), during: samples.length ? { mean: samples.reduce((a, b) => a + b, 0) / samples.length, max: Math.max(...samples), samples: samples.length } : null },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * A function's place in the bundle, told as its source file: esbuild writes `// <path>` before each
 * module it inlines, so the nearest such line above says where the code came from.
 */
function sourcesOf(bundle: string, summary: ProfileSummary): ProfileSummary {
  const marks: { line: number; path: string }[] = [];
  readFileSync(bundle, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /^\/\/ ((?:src-main|bench)\/\S+\.ts)$/.exec(text);
      if (m) marks.push({ line: i + 1, path: m[1]! });
    });
  const where = (w: string) =>
    w.replace(/bench\/\.data\/recon-child\.mjs:(\d+)/g, (all, n: string) => {
      const at = marks.filter((m) => m.line <= Number(n)).pop();
      return at ? at.path : all;
    });
  return { ...summary, top: summary.top.map((f) => ({ ...f, where: where(f.where) })) };
}

/** Both engines' counts per type next to the injected ones, on the console (the bench fails before this if they differ). */
function printCounts(runs: readonly ReconRunFigures[], expected: ReconExpected): void {
  const bySide = new Map(runs.map((r) => [r.side, r.outcomes]));
  const row = (name: string, pick: (o: Outcomes | ReconExpected) => string) => ({ 差异类型: name, 注入: pick(expected), ...Object.fromEntries([...bySide].map(([side, o]) => [side, pick(o)])) });
  console.table([
    row('matched', (o) => `${o.matched.count}`),
    row('held', (o) => `${o.held}`),
    ...DIFF_TYPES.map((t) => row(t, (o) => `${o.diffs[t].count} / ${o.diffs[t].amountFen}`)),
  ]);
}
