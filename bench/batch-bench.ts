import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type App } from '../src-main/app';
import { parseTransferNo } from '../src-main/core/batches/batch-state';
import type { Platform } from '../src-main/gateways/gateway';
import { startSandbox, type Sandbox } from '../src-main/gateways/sandbox';
import { startPaymentServer } from '../src-main/hosts/server';
import type { BatchLineInput } from '../src-main/services/batches/batch-ports';
import type { CrashChildConfig } from '../test/support/batch-crash-child';
import { freshStore, TEST_AUDIT_KEY } from '../test/support/stores';
import { log } from './measure';

/**
 * `npx tsx bench/run.ts --only batch` (issue 7): a 10,000-item salary batch paid against the
 * simulated platforms on MariaDB through the real path (draft, approval, the executor with leases,
 * request ids saved before each send, the platforms' notifications through the payment server):
 *  1. items per second for the whole batch, the draft's multi-row insert on its own;
 *  2. crash safety: an executor process killed with SIGKILL at `crashes` random moments while it
 *     pays a second batch, each time a new process started (after the last kill the app itself
 *     finishes); the time from a kill until the next instance holds work and none of the dead one's
 *     items is still held (process start-up, overlapping the lease lapse); then the books of the
 *     simulated platforms checked: items paid twice, items lost.
 * Prints its figures (bench/RESULTS.md is written by the lead).
 */
export interface BatchBenchOptions {
  items: number;
  crashes: number;
  leaseMs: number;
  rate: number;
  concurrency: number;
}

const CHILD = join(import.meta.dirname, '../test/support/batch-crash-child.ts');
const ROOT = join(import.meta.dirname, '..');

function salaryLines(n: number, tag: string): BatchLineInput[] {
  const channels = ['bank', 'wechat', 'alipay'] as const;
  return Array.from({ length: n }, (_, i) => {
    const channel = channels[i % 3]!;
    const account =
      channel === 'bank' ? `6222${tag}${String(i).padStart(8, '0')}1` : channel === 'wechat' ? `oBench${tag}${String(i).padStart(8, '0')}xxxx` : `e${tag}_${i}@example.com`;
    return { payeeName: `员工${i + 1}`, channel, account, bankName: channel === 'bank' ? '中国工商银行' : undefined, amountFen: 300_000 + (i % 5000), remark: '11月工资', employeeId: i + 1 };
  });
}

async function approveAll(app: App, batchNo: string): Promise<void> {
  const users = await app.store.transaction(async (tx) => {
    const ids: Record<string, number> = {};
    for (const role of ['accountant', 'approver', 'admin'] as const) {
      const username = `bench_${role}_${randomInt(1e9)}`;
      ids[role] = await tx.users.insert({ username, displayName: `${role}`, passwordHash: 'x', role, createdAt: app.clock.now() });
    }
    return ids;
  });
  for (let i = 0; i < 3; i++) {
    const req = await app.store.read((tx) => tx.approvals.latestOf('payout_batch', batchNo));
    if (!req || req.currentLevel === null) return;
    const role = req.levels[req.currentLevel - 1]!;
    await app.approvals.decide({ id: users[role]!, name: role, roles: [role] }, req.id, { decision: 'approve', level: req.currentLevel });
  }
}

async function draft(app: App, n: number, tag: string): Promise<{ batchNo: string; draftMs: number }> {
  const maker = { id: null, name: '基准测试' };
  const lines = salaryLines(n, tag);
  const t0 = performance.now();
  const { batchNo } = await app.store.transaction((tx) => app.batches.draftInTx(tx, { type: 'salary', title: `基准 ${n} 笔工资`, sourceKind: 'api', lines }, maker));
  const draftMs = performance.now() - t0;
  await app.batches.submit(maker, batchNo);
  await approveAll(app, batchNo);
  return { batchNo, draftMs };
}

/** Every transfer the simulated platforms hold, per item ref. */
function ledger(sandbox: Sandbox): Map<string, { transferNo: string; state: string; platform: Platform }[]> {
  const out = new Map<string, { transferNo: string; state: string; platform: Platform }[]>();
  for (const platform of ['wechat', 'alipay', 'bank'] as const)
    for (const t of sandbox.simulator.get(platform).ledger.transfers.values()) {
      const no = parseTransferNo(t.transferNo);
      if (!no) continue;
      const ref = `${no.batchNo}I${String(no.seq).padStart(5, '0')}`;
      out.set(ref, [...(out.get(ref) ?? []), { transferNo: t.transferNo, state: t.state, platform }]);
    }
  return out;
}

/**
 * The baseline, in the same run: the same kind of transfers sent straight through the same gateway
 * adapters to the same simulators at the same concurrency — no database, no executor, no approval,
 * no request ids saved; the platforms' notifications answered by a bare HTTP responder.
 */
async function bareTransfers(sandbox: Sandbox, n: number, concurrency: number): Promise<number> {
  const replies: Record<string, string> = { wechat: '{"code":"SUCCESS","message":"成功"}', alipay: 'success', bank: '{"code":200,"message":"处理成功"}' };
  const responder = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(replies[(req.url ?? '').split('/').pop() ?? ''] ?? 'success'));
  });
  await new Promise<void>((r) => responder.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(responder.address() as AddressInfo).port}`;
  const lines = salaryLines(n, '00');
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const l = lines[i]!;
        await sandbox.registry.get(l.channel).transfer({
          transferNo: `X${String(i).padStart(8, '0')}T1`,
          amountFen: l.amountFen,
          payee: { account: l.account, name: l.payeeName, bankName: l.bankName },
          remark: '基准转账',
          notifyUrl: `${url}/${l.channel}`,
        });
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await new Promise<void>((r) => responder.close(() => r()));
  return seconds;
}

/** Figures of the section, for bench/RESULTS.md and results.json. */
export interface BatchSection {
  items: number;
  rate: number;
  concurrency: number;
  draftSeconds: number;
  executeSeconds: number;
  bareSeconds: number;
  crashes: number;
  resumeMedianSeconds: number;
  resumeMaxSeconds: number;
  childStartupMedianSeconds: number;
  duplicates: number;
  lost: number;
  extraRequests: number;
}

async function untilDone(app: App, batchNo: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await app.batches.drain();
    const p = await app.batches.progress(batchNo);
    if (p.pendingCount + p.inFlightCount === 0) return;
    if (Date.now() > end) throw new Error(`batch ${batchNo} not finished: ${JSON.stringify(p.byStatus)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function runBatchBench(o: BatchBenchOptions): Promise<BatchSection> {
  const store = await freshStore('mysql');
  const sandbox = await startSandbox({ timeScale: 0.001, wechatAutoConfirmMs: 10, bankTransferDelayMs: 10 });
  let base = '';
  const app = await openApp({
    store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, gateways: sandbox.registry, callbackBaseUrl: () => base, workerId: 'bench-main',
    batches: { autoRun: false, leaseMs: o.leaseMs, concurrency: o.concurrency, recheckMs: 0, checkDelayMs: 2_000, confirmPollMs: 60_000, retry: { baseMs: 5, maxMs: 100, jitter: 0.2 } },
  });
  const server = await startPaymentServer({ app, port: 0, clients: new Map(), log: () => undefined });
  base = server.url;
  const configFile = join(tmpdir(), `batch-bench-${process.pid}.json`);
  try {
    await app.batches.updateSettings({ id: null, name: '基准测试' }, { ratePerSecond: o.rate, financeRecipients: [], confirmWindowHours: 24 }, null);

    // 0. baseline
    log(`基线：${o.items} 笔转账直接经网关适配器发往模拟平台（无数据库、无执行器），并发 ${o.concurrency}`);
    const bareSeconds = await bareTransfers(sandbox, o.items, o.concurrency);
    log(`基线：${(o.items / bareSeconds).toFixed(0)} 笔/秒（${bareSeconds.toFixed(1)} s）`);

    // 1. throughput
    log(`批量付款：起草 ${o.items} 笔工资批量（MariaDB）`);
    const a = await draft(app, o.items, '01');
    log(`起草（多行插入 ${o.items} 笔明细，一个事务）：${(a.draftMs / 1000).toFixed(2)} s`);
    const t0 = performance.now();
    await untilDone(app, a.batchNo, 30 * 60_000);
    const seconds = (performance.now() - t0) / 1000;
    const pa = await app.batches.progress(a.batchNo);
    log(`执行：${o.items} 笔用时 ${seconds.toFixed(1)} s，${(o.items / seconds).toFixed(0)} 笔/秒（速率上限 ${o.rate}/s，并发 ${o.concurrency}）；成功 ${pa.successCount}，失败 ${pa.failedCount}`);

    // 2. crashes
    log(`批量付款：第二批 ${o.items} 笔，执行进程在 ${o.crashes} 个随机时刻被 SIGKILL`);
    const b = await draft(app, o.items, '02');
    const resumes: number[] = [];
    const startups: number[] = [];
    let dead: { workerId: string; at: number } | null = null;
    // Items still owing an outcome and leased to a worker (a finished item may keep the lease of whoever sent it).
    const leasedBy = async (workerId: string) =>
      Number(
        ((await app.store.dataSource.query(`SELECT COUNT(*) AS n FROM payout_batch_items WHERE lease_owner = ? AND status NOT IN ('success', 'failed', 'cancelled')`, [workerId])) as { n: unknown }[])[0]?.n ?? 0,
      );
    /** Kill → the next instance holds work again, and nothing is still held by the dead one (its leases lapsed and were taken). */
    const resumed = async (next: string, from: { workerId: string; at: number }) => {
      for (const end = performance.now() + 60_000; performance.now() < end; ) {
        if ((await leasedBy(next)) > 0 && (await leasedBy(from.workerId)) === 0) return performance.now() - from.at;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${next} did not take over from ${from.workerId} within 60 s`);
    };
    for (let k = 0; k <= o.crashes; k++) {
      const workerId = k < o.crashes ? `bench-crash-${k}` : 'bench-main';
      let resume: Promise<number> | null = null;
      if (k === o.crashes) {
        // After the last kill the app itself carries on (as a server instance would).
        if (dead) resume = resumed(workerId, dead);
        const done = untilDone(app, b.batchNo, 30 * 60_000);
        if (resume) resumes.push(await resume);
        await done;
        break;
      }
      const cfg: CrashChildConfig = { store: store.config, simulatorUrl: sandbox.simulator.url, keys: sandbox.keys, callbackBaseUrl: server.url, workerId, leaseMs: o.leaseMs, concurrency: o.concurrency, checkDelayMs: 2_000 };
      writeFileSync(configFile, JSON.stringify(cfg));
      const spawned = performance.now();
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, configFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await new Promise<void>((ready) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ready()));
      startups.push(performance.now() - spawned);
      if (dead) resume = resumed(workerId, dead);
      await new Promise((r) => setTimeout(r, randomInt(200, 2_500)));
      if (resume) resumes.push(await resume);
      child.kill('SIGKILL');
      dead = { workerId, at: performance.now() };
      await exited;
      const p = await app.batches.progress(b.batchNo);
      log(`  第 ${k + 1} 次 kill：已成功 ${p.successCount}，在途 ${p.inFlightCount}（其中发送中 ${p.byStatus.sending.count}），待发送 ${p.pendingCount}`);
    }
    const books = ledger(sandbox);
    const items = await app.store.read(async (tx) => {
      const batch = (await tx.batches.findBatchByNo(b.batchNo))!;
      return tx.batches.allItems(batch.id);
    });
    let duplicates = 0;
    let lost = 0;
    let extraRequests = 0;
    for (const i of items) {
      const ref = `${b.batchNo}I${String(i.seq).padStart(5, '0')}`;
      const ts = books.get(ref) ?? [];
      const paid = ts.filter((t) => t.state === 'success').length;
      if (paid > 1) duplicates++;
      if (i.status !== 'success' || paid !== 1) lost++;
      if (ts.length > 1) extraRequests++;
    }
    const pct = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
    const median = pct(resumes, 0.5);
    const worst = Math.max(...resumes);
    log(
      `崩溃恢复：${o.crashes} 次 kill；恢复时间（kill → 新实例领取到明细且死进程持有的明细全部被接手）中位 ${(median / 1000).toFixed(2)} s，最长 ${(worst / 1000).toFixed(2)} s；` +
        `其中新进程启动（tsx 加载源码，spawn → ready）中位 ${(pct(startups, 0.5) / 1000).toFixed(2)} s，租约 ${o.leaseMs} ms 与启动重叠`,
    );
    log(`核对平台账本：重复付款 ${duplicates} 笔，丢失 ${lost} 笔，同一明细多于一个请求号 ${extraRequests} 笔（共 ${items.length} 笔）`);
    console.table([
      { figure: 'batch.10k.items_per_s', value: Number((o.items / seconds).toFixed(1)) },
      { figure: 'batch.bare_transfers_per_s', value: Number((o.items / bareSeconds).toFixed(1)) },
      { figure: 'batch.10k.draft_s', value: Number((a.draftMs / 1000).toFixed(2)) },
      { figure: 'batch.10k.execute_s', value: Number(seconds.toFixed(1)) },
      { figure: 'batch.crash.resume_median_s', value: Number((median / 1000).toFixed(2)) },
      { figure: 'batch.crash.resume_max_s', value: Number((worst / 1000).toFixed(2)) },
      { figure: 'batch.crash.child_startup_median_s', value: Number((pct(startups, 0.5) / 1000).toFixed(2)) },
      { figure: 'batch.crash.kills', value: o.crashes },
      { figure: 'batch.crash.duplicates', value: duplicates },
      { figure: 'batch.crash.lost', value: lost },
    ]);
    if (duplicates || lost) process.exitCode = 1;
    return {
      items: o.items, rate: o.rate, concurrency: o.concurrency, draftSeconds: a.draftMs / 1000, executeSeconds: seconds, bareSeconds, crashes: o.crashes,
      resumeMedianSeconds: median / 1000, resumeMaxSeconds: worst / 1000, childStartupMedianSeconds: pct(startups, 0.5) / 1000, duplicates, lost, extraRequests,
    };
  } finally {
    rmSync(configFile, { force: true });
    await sandbox.stop();
    await server.close();
    await app.close();
    await store.drop();
  }
}
