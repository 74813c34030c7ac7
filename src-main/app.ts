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
import { SensitiveService } from './services/admin/sensitive-service';
import { UserService } from './services/admin/user-service';
import { ApprovalService } from './services/approvals/approval-service';
import { AuditService } from './services/audit/audit-service';
import { BatchService, type BatchServiceOptions } from './services/batches/batch-service';
import { payoutVoucherApprovals } from './services/batches/batch-subject';
import { NumberAllocator } from './services/number-allocator';
import { allOrderEvents, PaidNotice } from './services/notifications/notification-service';
import { Operations, type OperationsOptions } from './services/operations/operations';
import { BookingService } from './services/bookings/booking-service';
import { MealBillPayments } from './services/meal-bills/meal-bill-payments';
import { MealBillReminders } from './services/meal-bills/meal-bill-reminders';
import { MealBillService } from './services/meal-bills/meal-bill-service';
import { OrderEventRelay } from './services/orders/order-event-relay';
import { OrderService } from './services/orders/order-service';
import { GatewayRegistry } from './services/payments/gateway-registry';
import { PaymentMetrics } from './services/payments/payment-metrics';
import { PaymentService, type SandboxPayLink } from './services/payments/payment-service';
import { RefundService } from './services/refunds/refund-service';
import { openBill } from './services/reconciliation/bill-readers';
import { ReconService, type ReconOptions } from './services/reconciliation/recon-service';
import { ReconWorkflow } from './services/reconciliation/recon-workflow';
import type { OfflineCacheConfig } from './services/offline/offline-cache';
import { OfflineRecon } from './services/offline/offline-recon';
import { OfflineSupport } from './services/offline/offline-setup';
import { PlatformBills } from './services/reconciliation/platform-bill';
import { ReconReportService } from './services/reconciliation/recon-report';
import { ExpiryScheduler } from './services/scheduler/expiry-scheduler';
import { SettingsService } from './services/settings/settings-service';
import { SalaryServices } from './services/salary/salary-services';
import { DEFAULT_PAYER_NAME, SupplierPaymentService } from './services/suppliers/supplier-payment-service';
import { SupplierService } from './services/suppliers/supplier-service';
import { TransferHandlers } from './services/transfers/transfer-handlers';
import { VoucherService } from './services/vouchers/voucher-service';
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
  /** Log files, the notification provider, alert thresholds (services/operations). */
  operations?: OperationsOptions;
  /** 对账: hold window, the scheduled run's time of day (services/reconciliation). */
  recon?: ReconOptions;
  /** 批量付款: executor leases, pacing and retries, whether it runs in the background (services/batches). */
  batches?: BatchServiceOptions;
  /**
   * Connected desktop (store on MySQL): the local SQLite cache that keeps the 对账工作台 usable when
   * the central store cannot be reached (services/offline). Not for the headless server.
   */
  offline?: OfflineCacheConfig;
}

/** The composition root: one object graph, the same for the Electron host, the web host and tests. */
export interface App {
  store: Store;
  clock: Clock;
  orders: OrderService;
  bookings: BookingService;
  mealBills: MealBillService;
  mealBillPayments: MealBillPayments;
  mealBillReminders: MealBillReminders;
  transactions: TransactionService;
  payments: PaymentService;
  /** 退款: requests, approval subject, the executor job, refund notifications. */
  refunds: RefundService;
  /** 对账: daily runs (scheduled, imported, CLI), weekly / monthly sums. */
  recon: ReconService;
  /** 对账差异: assignment, notes, status and the actions on each difference. */
  reconDiffs: ReconWorkflow;
  /** The 对账 channels' port: online as above, or the offline cache and its outbox in connected mode (services/offline). */
  reconOffline: OfflineRecon;
  /** 从平台下载账单: a day's bill fetched from its platform and reconciled at once. */
  reconBills: PlatformBills;
  /** 对账报表: day / week / month figures, the Excel workbook and the printable report's data. */
  reconReports: ReconReportService;
  metrics: PaymentMetrics;
  users: UserService;
  /** 查看完整敏感信息: the one audited way to a full phone / ID / account number. */
  sensitive: SensitiveService;
  /** 审批中心: the one approval engine; businesses `register` their ApprovalSubject and `submit` in their own transaction. */
  approvals: ApprovalService;
  /** 供应商 and 应付款. */
  suppliers: SupplierService;
  /** 付款单: approval, execution by transfer, the executor job. */
  supplierPayments: SupplierPaymentService;
  /** 薪资: employees, monthly sheets (maker-checker review, Excel import), the salary batch on pay day, payslips; supplier batches by payment terms. */
  salary: SalaryServices;
  /** 批量付款: batch tasks (import, approval, the executor with leases, progress, failures, reports). */
  batches: BatchService;
  /** 付款凭证 of every kind of money out. */
  vouchers: VoucherService;
  /** Transfer notifications dispatched by transfer-number prefix (付款单 'S', 批量付款 items 'B'). */
  transferHandlers: TransferHandlers;
  audit: AuditService;
  settings: SettingsService;
  channelConfigs: ChannelConfigService;
  scheduler: ExpiryScheduler;
  loginThrottle: LoginThrottle;
  /** Logs, 系统日志, alerts, the notification outbox; `operations.task` is started by the server and standalone hosts. */
  operations: Operations;
  logs: Operations['logs'];
  alerts: Operations['alerts'];
  notifications: Operations['notifications'];
  /** Builds adapters from the saved channel configurations (at start and after each change). */
  reloadGateways(): Promise<void>;
  close(): Promise<void>;
}

export async function openApp(opts: AppOptions): Promise<App> {
  const clock = opts.clock ?? systemClock;
  const hasher = makeAuditHasher(opts.auditKey);
  const store = new Store(await openDataSource(opts.store), hasher, clock);
  const settings = new SettingsService(store, clock);
  const approvals = new ApprovalService(store, clock);
  const numbers = new NumberAllocator(opts.random);
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const operations = new Operations(store, clock, workerId, opts.operations);
  await operations.logs.purge();
  const offline = opts.offline && store.kind === 'mysql' ? await OfflineSupport.open(store, clock, opts.offline, operations.logger) : null;
  // Bookings and meal bills follow their payment orders inside the order's own transaction.
  const orderEvents = new OrderEventRelay();
  // The payer's "支付成功" message is written in the paying transaction too (notification outbox).
  const orders = new OrderService(store, settings, numbers, clock, allOrderEvents(orderEvents, new PaidNotice(operations.notifications)));
  const bookings = new BookingService(store, orders, numbers, clock);
  const mealBillPayments = new MealBillPayments(store, orders);
  orderEvents.listen('customer_order', bookings);
  orderEvents.listen('meal_bill', mealBillPayments);
  const mealBills = new MealBillService(store, numbers, clock);
  const mealBillReminders = new MealBillReminders(mealBills, operations.notifications, clock);
  operations.addJob(() => mealBillReminders.run());
  const channelConfigs = new ChannelConfigService(store, clock, opts.vault);
  const metrics = new PaymentMetrics((e) => operations.logger.log(e));
  const gatewayRegistry = opts.gateways ?? new GatewayRegistry({});
  const payments = new PaymentService(store, orders, gatewayRegistry, clock, metrics, callbackUrlOf(opts.callbackBaseUrl), workerId, opts.sandboxPayLink);
  // Refunds: approved through the one engine, sent by a periodic job (leases, query before any resend),
  // finished by the platforms' refund notifications (applied in the inbox entry's transaction).
  const refunds = new RefundService(store, gatewayRegistry, numbers, clock, operations.notifications, workerId, callbackUrlOf(opts.callbackBaseUrl));
  refunds.useApprovals(approvals);
  approvals.register(refunds.subject);
  payments.onInboxEvent('refund', refunds.notificationHandler);
  bookings.useRefunds(refunds);
  operations.addJob(() => refunds.sendApproved());
  // Supplier payments (付款单): approved through the engine, sent by the executor job (leases, the
  // transfer number saved before the first send, query before any resend), finished by transfer
  // notifications dispatched by transfer-number prefix so batch payouts can register theirs.
  // A payout voucher is per batch item and prints its batch's approvals (or its own re-send's).
  const vouchers = new VoucherService(store, clock, payoutVoucherApprovals(approvals));
  // Every refund that succeeds gets its 退款凭证 in the succeeding transaction, from the same payer as supplier vouchers.
  refunds.useVouchers(vouchers, DEFAULT_PAYER_NAME);
  const suppliers = new SupplierService(store, clock);
  const supplierPayments = new SupplierPaymentService(store, gatewayRegistry, numbers, clock, operations.notifications, vouchers, workerId, callbackUrlOf(opts.callbackBaseUrl));
  supplierPayments.useApprovals(approvals);
  approvals.register(supplierPayments.subject);
  const transferHandlers = new TransferHandlers();
  transferHandlers.register('S', supplierPayments.transferHandler);
  payments.onInboxEvent('transfer', transferHandlers.handle);
  operations.addJob(() => supplierPayments.runDue());
  // 批量付款: approved through the engine, sent item by item by the executor (leases, request ids saved
  // before the first send, query before any resend, paced), finished by transfer notifications ('B…').
  const batches = new BatchService(store, gatewayRegistry, numbers, clock, operations.notifications, vouchers, workerId, callbackUrlOf(opts.callbackBaseUrl), {
    payerName: DEFAULT_PAYER_NAME, log: (m, e) => operations.logger.error('error', 'batches.failed', `${m}：${(e as Error | undefined)?.message ?? ''}`, { fields: { error: e } }), ...opts.batches,
  });
  batches.useApprovals(approvals);
  approvals.register(batches.subject);
  transferHandlers.register('B', batches.transferHandler);
  operations.addJob(() => batches.tick());
  // 薪资 and supplier payment terms: batches drafted on the pay day / daily through the batch engine (salary.useBatches), followed as their items settle.
  const salary = new SalaryServices(store, clock, settings, operations.notifications);
  salary.useBatches(batches);
  operations.addJob(() => salary.runDue());
  // 对账: yesterday's bills fetched and reconciled after the platforms publish them (leased runs).
  const recon = new ReconService(store, clock, gatewayRegistry, openBill, workerId, opts.recon);
  operations.addJob(() => recon.runScheduled());
  const reconDiffs = new ReconWorkflow(store, clock, payments, refunds);
  const reconOffline = offline ? offline.recon(recon, reconDiffs) : new OfflineRecon(recon, reconDiffs, clock, null);
  const scheduler = new ExpiryScheduler(async () => (await payments.closeOverdue()).cancelled, opts.expiryIntervalMs || 30_000, (e) => console.error('[expiry]', e));
  if (opts.expiryIntervalMs !== 0) scheduler.start();
  return {
    store,
    clock,
    orders,
    bookings,
    mealBills,
    mealBillReminders,
    mealBillPayments,
    transactions: new TransactionService(store),
    payments,
    refunds,
    recon,
    reconDiffs,
    reconOffline,
    reconBills: new PlatformBills(gatewayRegistry, recon, clock),
    reconReports: new ReconReportService(store, clock),
    metrics,
    users: offline ? offline.users() : new UserService(store, clock),
    sensitive: new SensitiveService(store, clock),
    approvals,
    suppliers,
    supplierPayments,
    batches,
    salary,
    vouchers,
    transferHandlers,
    audit: new AuditService(store, hasher),
    settings,
    channelConfigs,
    scheduler,
    loginThrottle: new LoginThrottle(clock),
    operations,
    logs: operations.logs,
    alerts: operations.alerts,
    notifications: operations.notifications,
    async reloadGateways() {
      if (opts.gateways) await applyChannelConfigs(channelConfigs, opts.gateways, clock);
    },
    async close() {
      await scheduler.stop();
      await operations.close();
      await batches.stop().catch(() => undefined);
      await refunds.releaseAll().catch(() => undefined);
      await recon.releaseAll().catch(() => undefined);
      await reconOffline.close();
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
