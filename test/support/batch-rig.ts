import type { App, AppOptions } from '../../src-main/app';
import type { Role } from '../../src-main/core/access/permissions';
import { parseTransferNo } from '../../src-main/core/batches/batch-state';
import type { Platform } from '../../src-main/gateways/gateway';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src-main/gateways/sandbox';
import { startPaymentServer, type PaymentServer } from '../../src-main/hosts/server';
import type { Actor } from '../../src-main/services/actor';
import type { ApprovalUser } from '../../src-main/services/approvals/approval-service';
import type { BatchLineInput } from '../../src-main/services/batches/batch-ports';
import type { BatchServiceOptions } from '../../src-main/services/batches/batch-service';
import { openApp } from '../../src-main/app';
import type { StoreConfig } from '../../src-main/db/data-source';
import { freshStore, TEST_AUDIT_KEY, type StoreKind } from './stores';

/**
 * 批量付款 on loopback: the app on a fresh store with its executor driven by hand (autoRun off, the
 * rate limit at its maximum), the headless server receiving the simulated platforms' notifications,
 * and the three simulators (time scaled 1:1000; WeChat payees confirm after `wechatAutoConfirmMs`
 * unless null; bank transfers settle after 20 ms).
 */
export interface BatchRig {
  app: App;
  /** Where the store is (a file for SQLite when `fileStore`), for a second process. */
  storeConfig: StoreConfig;
  server: PaymentServer;
  sandbox: Sandbox;
  maker: Actor & ApprovalUser & { id: number };
  accountant: Actor & ApprovalUser & { id: number };
  approver: Actor & ApprovalUser & { id: number };
  /** Drafts a batch with these lines (as the API would) and submits it; returns its number. */
  submitted(lines: BatchLineInput[], type?: 'salary' | 'supplier'): Promise<string>;
  /** Decides every open level of a subject's approval (accountant, then approver, then admin). */
  approve(subjectId: string): Promise<void>;
  /** Runs the executor until nothing is due, waits for the platforms' notifications, repeats until quiet. */
  settle(rounds?: number): Promise<void>;
  /** Every transfer the simulated platforms hold for batch items, per item ref (B…I00001). */
  ledgerByItem(): Map<string, { platform: Platform; transferNo: string; state: string; amountFen: number }[]>;
  close(): Promise<void>;
}

export interface BatchRigOptions {
  sandbox?: SandboxOptions;
  batches?: BatchServiceOptions;
  app?: Partial<AppOptions>;
  /** SQLite in a file rather than in memory (another process opens it too). */
  fileStore?: boolean;
}

export async function batchRig(kind: StoreKind, opts: BatchRigOptions = {}): Promise<BatchRig> {
  const sandbox = await startSandbox({ timeScale: 0.001, wechatAutoConfirmMs: 20, bankTransferDelayMs: 20, ...opts.sandbox });
  let base = '';
  const store = await freshStore(kind, { sqliteFile: opts.fileStore });
  const app = await openApp({
    store: store.config,
    auditKey: TEST_AUDIT_KEY,
    expiryIntervalMs: 0,
    gateways: sandbox.registry,
    callbackBaseUrl: () => base,
    batches: { autoRun: false, retry: { baseMs: 1, maxMs: 5, jitter: 0 }, recheckMs: 0, checkDelayMs: 0, confirmPollMs: 3_600_000, ...opts.batches },
    ...opts.app,
  });
  const server = await startPaymentServer({ app, port: 0, clients: new Map(), log: () => undefined });
  base = server.url;
  await app.batches.updateSettings({ id: null, name: '测试' }, { ratePerSecond: 500, financeRecipients: ['finance@example.com'], confirmWindowHours: 24 }, null);

  const user = async (role: Role, username: string, name: string) => {
    const id = await app.store.transaction((tx) => tx.users.insert({ username, displayName: name, passwordHash: 'x', role, createdAt: app.clock.now() }));
    return { id, name, roles: [role] };
  };
  const maker = await user('accountant', 'maker', '制单会计');
  const accountant = await user('accountant', 'acc', '复核会计');
  const approver = await user('approver', 'appr', '审批人');
  const admin = await user('admin', 'boss', '财务总监');

  const approve = async (subjectId: string) => {
    for (let i = 0; i < 3; i++) {
      const req = await app.store.read((tx) => tx.approvals.latestOf('payout_batch', subjectId));
      if (!req || req.currentLevel === null) return;
      const role = req.levels[req.currentLevel - 1];
      const by = role === 'approver' ? approver : role === 'admin' ? admin : accountant;
      await app.approvals.decide(by, req.id, { decision: 'approve', level: req.currentLevel });
    }
  };

  const settle = async (rounds = 40) => {
    for (let i = 0; i < rounds; i++) {
      await app.batches.drain();
      await sandbox.simulator.notifier.idle(10_000);
      // Work the executor or a notification still has to do (a WeChat payee who has not confirmed is not waited for).
      const [inflight] = (await app.store.dataSource.query(
        `SELECT COUNT(*) AS n FROM payout_batch_items i JOIN payout_batches b ON b.id = i.batch_id
         WHERE i.status IN ('sending', 'processing') OR (i.status = 'pending' AND b.status IN ('approved', 'running'))`,
      )) as { n: unknown }[];
      if (Number(inflight?.n ?? 0) === 0) {
        await app.batches.drain();
        return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await app.batches.drain();
  };

  return {
    app, storeConfig: store.config, server, sandbox, maker, accountant, approver, approve, settle,
    submitted: async (lines, type = 'salary') => {
      const { batchNo } = await app.store.transaction(async (tx) => {
        const d = await app.batches.draftInTx(tx, { type, title: '测试批量付款', sourceKind: 'api', lines }, maker);
        return d;
      });
      await app.batches.submit(maker, batchNo);
      return batchNo;
    },
    ledgerByItem: () => {
      const out = new Map<string, { platform: Platform; transferNo: string; state: string; amountFen: number }[]>();
      for (const platform of ['wechat', 'alipay', 'bank'] as const)
        for (const t of sandbox.simulator.get(platform).ledger.transfers.values()) {
          const no = parseTransferNo(t.transferNo);
          if (!no) continue;
          const ref = `${no.batchNo}I${String(no.seq).padStart(5, '0')}`;
          out.set(ref, [...(out.get(ref) ?? []), { platform, transferNo: t.transferNo, state: t.state, amountFen: t.amountFen }]);
        }
      return out;
    },
    close: async () => {
      await sandbox.stop();
      await server.close();
      await app.close();
      await store.drop();
    },
  };
}

export const BANK = '6222021234567890123';
export const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
export const ALIPAY = 'zhangsan@example.com';

/** n lines spread over the three channels, distinct accounts, amounts 100.01 … */
export function lines(n: number, channels: readonly ('bank' | 'wechat' | 'alipay')[] = ['bank', 'wechat', 'alipay']): BatchLineInput[] {
  return Array.from({ length: n }, (_, i) => {
    const channel = channels[i % channels.length]!;
    const account = channel === 'bank' ? `6222021234${String(100_000 + i)}1` : channel === 'wechat' ? `oUpF8uMuAJO_M2pxb1Q9zN${String(100_000 + i)}` : `payee${i}@example.com`;
    return { payeeName: `员工${i + 1}`, channel, account, bankName: channel === 'bank' ? '中国工商银行' : undefined, amountFen: 10_001 + i, remark: '11月工资' };
  });
}
