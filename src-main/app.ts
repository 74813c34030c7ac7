import { randomBytes } from 'node:crypto';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import type { RandomInt } from './core/ids';
import { systemClock, type Clock } from './core/time';
import { openDataSource, type StoreConfig } from './db/data-source';
import { Store } from './db/store';
import { makeAuditHasher } from './security/audit-chain';
import { LoginThrottle } from './security/login-throttle';
import type { SecretVault } from './security/vault';
import { applyChannelConfigs } from './gateways/gateway-factory';
import { ChannelConfigService } from './services/admin/channel-config-service';
import { UserService } from './services/admin/user-service';
import { AuditService } from './services/audit/audit-service';
import { NumberAllocator } from './services/number-allocator';
import { OrderService } from './services/orders/order-service';
import { GatewayRegistry } from './services/payments/gateway-registry';
import { PaymentMetrics } from './services/payments/payment-metrics';
import { PaymentService, type SandboxPayLink } from './services/payments/payment-service';
import { ExpiryScheduler } from './services/scheduler/expiry-scheduler';
import { SettingsService } from './services/settings/settings-service';
import { TransactionService } from './services/transactions/transaction-service';

export interface AppOptions {
  store: StoreConfig;
  auditKey: Buffer;
  clock?: Clock;
  random?: RandomInt;
  /** How often overdue orders are cancelled; 0 disables the scheduler (tests drive it by hand). */
  expiryIntervalMs?: number;
  /** The payment platforms (or their simulators); none configured means orders cannot be paid yet. */
  gateways?: GatewayRegistry;
  /** Public base URL of the callback endpoints (`…/api/payment/callback/<platform>`). */
  callbackBaseUrl?: string | (() => string);
  /**
   * Seals merchant keys and API keys at rest: safeStorage in the desktop app, a passphrase vault in
   * the web host, the server and tests. None means channel secrets cannot be saved (never in plain text).
   */
  vault?: SecretVault;
  /** Sandbox mode: links to the simulator's pay page, shown on the 收款台. */
  sandboxPayLink?: SandboxPayLink;
  /** Names this process in work leases; unique per running instance. */
  workerId?: string;
}

/** The composition root: one object graph, the same for the Electron host, the web host and tests. */
export interface App {
  store: Store;
  clock: Clock;
  orders: OrderService;
  transactions: TransactionService;
  payments: PaymentService;
  metrics: PaymentMetrics;
  users: UserService;
  audit: AuditService;
  settings: SettingsService;
  channelConfigs: ChannelConfigService;
  scheduler: ExpiryScheduler;
  loginThrottle: LoginThrottle;
  /** Builds adapters from the saved channel configurations (at start and after each change). */
  reloadGateways(): Promise<void>;
  close(): Promise<void>;
}

export async function openApp(opts: AppOptions): Promise<App> {
  const clock = opts.clock ?? systemClock;
  const hasher = makeAuditHasher(opts.auditKey);
  const store = new Store(await openDataSource(opts.store), hasher, clock);
  const settings = new SettingsService(store, clock);
  const orders = new OrderService(store, settings, new NumberAllocator(opts.random), clock);
  const channelConfigs = new ChannelConfigService(store, clock, opts.vault);
  const metrics = new PaymentMetrics();
  const payments = new PaymentService(store, orders, opts.gateways ?? new GatewayRegistry({}), clock, metrics, callbackUrlOf(opts.callbackBaseUrl), opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`, opts.sandboxPayLink);
  const scheduler = new ExpiryScheduler(async () => (await payments.closeOverdue()).cancelled, opts.expiryIntervalMs || 30_000, (e) => console.error('[expiry]', e));
  if (opts.expiryIntervalMs !== 0) scheduler.start();
  return {
    store,
    clock,
    orders,
    transactions: new TransactionService(store),
    payments,
    metrics,
    users: new UserService(store, clock),
    audit: new AuditService(store, hasher),
    settings,
    channelConfigs,
    scheduler,
    loginThrottle: new LoginThrottle(clock),
    async reloadGateways() {
      if (opts.gateways) await applyChannelConfigs(channelConfigs, opts.gateways, clock);
    },
    async close() {
      await scheduler.stop();
      await store.close();
    },
  };
}

function callbackUrlOf(base: AppOptions['callbackBaseUrl']): () => string {
  if (typeof base === 'function') return base;
  const fixed = base ?? 'http://127.0.0.1:8080';
  return () => fixed;
}

/** Where the embedded database lives when nothing else is configured. */
export function defaultDataDir(): string {
  return process.env.PAY_DATA_DIR ?? join(homedir(), '.pay-center');
}

/** `PAY_MYSQL_URL` selects the central MySQL/MariaDB; otherwise the SQLite file at `PAY_DB_PATH`. */
export function storeConfigFromEnv(dataDir = defaultDataDir()): StoreConfig {
  const url = process.env.PAY_MYSQL_URL;
  if (url) return { kind: 'mysql', url };
  return { kind: 'sqlite', path: process.env.PAY_DB_PATH ?? join(dataDir, 'pay-center.sqlite') };
}
