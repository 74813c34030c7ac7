import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../../src-main/app';
import { freshStore, STORE_KINDS, TEST_AUDIT_KEY, type TestStore } from '../../support/stores';
import { addLocal, at } from './recon-world';

const ROOT = join(import.meta.dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures/reconciliation');
const D = '2025-03-10';

function recon(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src-main/tools/recon-cli.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, PAY_MYSQL_URL: '', PAY_DB_PATH: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npm run recon` on a real-format WeChat bill against either store: JSON out, non-zero on a bad bill. */
describe.each(STORE_KINDS)('npm run recon on %s', (kind) => {
  let store: TestStore;
  let env: Record<string, string>;
  let dataDir: string;
  beforeEach(async () => {
    store = await freshStore(kind, { sqliteFile: true });
    dataDir = mkdtempSync(join(tmpdir(), 'recon-cli-'));
    env = { PAY_DATA_DIR: dataDir, PAY_AUDIT_KEY: TEST_AUDIT_KEY.toString('hex'), ...(store.config.kind === 'sqlite' ? { PAY_DB_PATH: store.config.path } : { PAY_MYSQL_URL: store.config.url }) };
    const app = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0 });
    await addLocal(
      app,
      [
        { orderNo: 'P20250310090000000001', amountFen: 10000, status: 'refunding', paidAt: at(D, '09:00:00') },
        { orderNo: 'P20250310091000000002', amountFen: 10000, status: 'success', paidAt: at(D, '09:10:00') },
        { orderNo: 'P20250310120000000005', amountFen: 5000, status: 'success', paidAt: at(D, '12:00:00') },
      ],
      [{ refundNo: 'R20250310150000000001', orderNo: 'P20250310090000000001', amountFen: 3000, feeFen: -18, state: 'success', succeededAt: at(D, '15:00:02') }],
    );
    await app.close();
  });
  afterEach(async () => {
    await store.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the run summary as JSON: counts and amounts per difference type', async () => {
    const r = await recon(['--channel', 'wechat', '--bill', join(FIXTURES, 'wechat-trade-2025-03-10.csv'), '--date', D], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      channel: 'wechat',
      date: D,
      status: 'done',
      fileName: 'wechat-trade-2025-03-10.csv',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      bill: { count: 4, paidFen: 27800, refundedFen: 3000 },
      matched: { count: 2, amountFen: 13000 },
      differenceCount: 3,
      differences: {
        amount: { count: 1, amountFen: 1000 },
        missing_local: { count: 1, amountFen: 8800 },
        missing_platform: { count: 1, amountFen: 5000 },
        status: { count: 0, amountFen: 0 },
        duplicate_local: { count: 0, amountFen: 0 },
        duplicate_platform: { count: 0, amountFen: 0 },
        fee: { count: 0, amountFen: 0 },
      },
    });
  }, 60_000);

  it('exits non-zero with the file and the reason on a malformed bill, and on bad arguments', async () => {
    const bad = await recon(['--channel', 'wechat', '--bill', join(FIXTURES, 'wechat-trade-2025-03-10-bad-summary.csv'), '--date', D], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^对账失败：账单文件 wechat-trade-2025-03-10-bad-summary\.csv/);
    const args = await recon(['--channel', 'paypal', '--bill', 'x.csv', '--date', D], env);
    expect(args.code).toBe(2);
    expect(args.stderr).toContain('参数 --channel 应为 wechat、alipay 或 bank');
  }, 60_000);
});
