import { openApp, type App, type AppOptions } from '../app';
import { startSandbox, type Sandbox } from '../gateways/sandbox';
import { opEventLogger } from '../services/logs/logger';
import { PaymentScheduler } from '../services/scheduler/payment-scheduler';
import { startPaymentServer, type PaymentServer } from './server';

/**
 * Standalone mode (ARCHITECTURE.md, Data): the desktop app or the browser preview on its own — the
 * embedded store, the simulated platforms, and the callback receiver running in-process on
 * loopback, so a payment made on the simulator's pay page reaches the app exactly as it would reach
 * the headless server. No REST clients are configured: only the platforms' callbacks are served.
 */
export interface Standalone {
  app: App;
  sandbox: Sandbox;
  callbacks: PaymentServer;
  stop(): Promise<void>;
}

export async function startStandalone(opts: Omit<AppOptions, 'gateways' | 'callbackBaseUrl'>, log: (e: Record<string, unknown>) => void = () => undefined): Promise<Standalone> {
  const sandbox = await startSandbox({ clock: opts.clock });
  let base = '';
  // The PaymentScheduler below closes overdue orders (at the platform first), so the app's plain one stays off.
  const app = await openApp({ ...opts, expiryIntervalMs: 0, gateways: sandbox.registry, callbackBaseUrl: () => base, sandboxPayLink: sandbox.payLink });
  // Channels configured on the 支付渠道配置 page replace their simulators.
  await app.reloadGateways();
  const callbacks = await startPaymentServer({ app, host: '127.0.0.1', port: 0, clients: new Map(), log });
  base = callbacks.url;
  const toLogger = opEventLogger(app.operations.logger, 'system');
  const scheduler = new PaymentScheduler(app.payments, 15_000, (e) => {
    toLogger(e);
    log(e);
  });
  if (opts.expiryIntervalMs !== 0) {
    scheduler.start();
    // The notification outbox (simulated provider) and the alert rules, every 30 s.
    app.operations.task.start();
  }
  return {
    app,
    sandbox,
    callbacks,
    stop: async () => {
      await callbacks.close();
      await scheduler.stop();
      await sandbox.stop();
      await app.close();
    },
  };
}
