import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, openApp, storeConfigFromEnv } from '../app';
import { startSandbox } from '../gateways/sandbox';
import { loadAuditKey } from '../security/audit-chain';
import { parseApiClients } from '../security/api-client-auth';
import { passphraseVaultFromEnv } from '../security/vault';
import { opEventLogger } from '../services/logs/logger';
import { PaymentScheduler } from '../services/scheduler/payment-scheduler';
import { startPaymentServer } from './server';

/**
 * `npm run server`: the headless payment server (ARCHITECTURE.md). Configuration by environment:
 *   PAY_SERVER_HOST / PAY_SERVER_PORT   where to listen (default 127.0.0.1:8080)
 *   PAY_SERVER_CERT / PAY_SERVER_KEY    PEM files: serve HTTPS (required off loopback)
 *   PAY_MYSQL_URL                       the central MySQL/MariaDB (else the embedded SQLite)
 *   PAY_API_CLIENTS                     "clientId:secret,…" for the REST API
 *   PAY_CALLBACK_BASE_URL               public URL the platforms call back (default: this server)
 * Gateways: the simulated platforms (sandbox) — production channel configuration comes from the
 * 支付渠道配置 page through the vault.
 * Logs: JSON lines on stdout and in <data dir>/logs/pay-center.log (rotated at 10 MB × 10), indexed
 * for the 系统日志 page; before the app is open (a start-up failure) only stdout.
 */
function bootLog(event: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ at: new Date().toISOString(), ...event }) + '\n');
}

async function main(): Promise<void> {
  const host = process.env.PAY_SERVER_HOST ?? '127.0.0.1';
  const port = Number(process.env.PAY_SERVER_PORT ?? 8080);
  const certFile = process.env.PAY_SERVER_CERT;
  const keyFile = process.env.PAY_SERVER_KEY;
  const tls = certFile && keyFile ? { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') } : undefined;
  const dataDir = defaultDataDir();
  const sandbox = await startSandbox();
  let base = process.env.PAY_CALLBACK_BASE_URL ?? '';
  const app = await openApp({
    store: storeConfigFromEnv(dataDir),
    auditKey: loadAuditKey({ envKey: process.env.PAY_AUDIT_KEY, keyFile: join(dataDir, 'audit.key') }),
    gateways: sandbox.registry,
    vault: passphraseVaultFromEnv(process.env.PAY_VAULT_PASSPHRASE, join(dataDir, 'vault.salt')),
    callbackBaseUrl: () => base,
    // The server's PaymentScheduler does this work (closing at the platform first).
    expiryIntervalMs: 0,
    operations: { logDir: join(dataDir, 'logs'), logToStdout: true },
  });
  const log = opEventLogger(app.operations.logger, 'system');
  await app.reloadGateways();
  const server = await startPaymentServer({ app, host, port, tls, clients: parseApiClients(process.env.PAY_API_CLIENTS) });
  base ||= server.url;
  const scheduler = new PaymentScheduler(app.payments, 15_000, log);
  scheduler.start();
  // The notification outbox and the alert rules, every 30 s.
  app.operations.task.start();
  log({ op: 'start', level: 'info', url: server.url, store: app.store.kind, sandbox: sandbox.simulator.url });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ op: 'stop', level: 'info', signal });
    await server.close(); // finishes notifications in flight
    await scheduler.stop(); // gives back claimed work
    await sandbox.stop();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e: unknown) => {
  bootLog({ op: 'start', level: 'error', message: (e as Error).message });
  process.exit(1);
});
