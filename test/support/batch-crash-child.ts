// A batch executor in a process of its own, to be killed (SIGKILL) at a random moment by the crash
// test or the benchmark. It opens the given store, talks to the parent's simulated platforms with
// the parent's sandbox keys, and sends batch items until killed. Config: a JSON file (argv[2]).
import { readFileSync } from 'node:fs';
import { openApp } from '../../src-main/app';
import type { StoreConfig } from '../../src-main/db/data-source';
import { sandboxRegistry, type SandboxKeys } from '../../src-main/gateways/sandbox';
import { TEST_AUDIT_KEY } from './stores';

export interface CrashChildConfig {
  store: StoreConfig;
  simulatorUrl: string;
  keys: SandboxKeys;
  callbackBaseUrl: string;
  workerId: string;
  leaseMs: number;
  concurrency?: number;
  /** When accepted transfers are asked about again (0: at once; the benchmark lets the notifications come). */
  checkDelayMs?: number;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CrashChildConfig;
  const app = await openApp({
    store: cfg.store,
    auditKey: TEST_AUDIT_KEY,
    expiryIntervalMs: 0,
    workerId: cfg.workerId,
    gateways: sandboxRegistry(cfg.simulatorUrl, cfg.keys, undefined, 2_000),
    callbackBaseUrl: cfg.callbackBaseUrl,
    batches: { autoRun: false, leaseMs: cfg.leaseMs, recheckMs: 0, checkDelayMs: cfg.checkDelayMs ?? 0, confirmPollMs: cfg.checkDelayMs ?? 0, concurrency: cfg.concurrency ?? 4, retry: { baseMs: 1, maxMs: 5, jitter: 0 } },
  });
  process.stdout.write('ready\n');
  for (;;) {
    const n = await app.batches.runDue();
    process.stdout.write(`round ${n}\n`);
    if (n === 0) await new Promise((r) => setTimeout(r, 10));
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
