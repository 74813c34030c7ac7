import { join } from 'node:path';
import { defaultDataDir, storeConfigFromEnv } from '../app';
import { loadAuditKey } from '../security/audit-chain';
import { passphraseVaultFromEnv } from '../security/vault';
import { startStandalone } from './standalone';
import { startWebHost } from './web';
import { offlineCachePath } from '../services/offline/offline-cache';

/**
 * `npm run preview`: the real app in a browser for machines without an Electron binary.
 * Same store selection as the desktop app (PAY_MYSQL_URL or the embedded SQLite), with the
 * simulated payment platforms and the in-process callback receiver (standalone mode).
 */
const dataDir = defaultDataDir();
const store = storeConfigFromEnv(dataDir);
const standalone = await startStandalone({
  store,
  auditKey: loadAuditKey({ envKey: process.env.PAY_AUDIT_KEY, keyFile: join(dataDir, 'audit.key') }),
  // No Electron here, so no OS keychain: channel secrets are sealed under PAY_VAULT_PASSPHRASE, or not saved at all.
  vault: passphraseVaultFromEnv(process.env.PAY_VAULT_PASSPHRASE, join(dataDir, 'vault.salt')),
  operations: { logDir: join(dataDir, 'logs') },
  // Connected to the central MySQL: the 对账工作台's offline cache next to the embedded database.
  offline: store.kind === 'mysql' ? { path: offlineCachePath(dataDir, store.url) } : undefined,
});
const { app } = standalone;
const host = await startWebHost({
  app,
  staticDir: join(import.meta.dirname, '../../out/renderer'),
  port: Number(process.env.PAY_PREVIEW_PORT ?? 5199),
});
console.log(`支付中心 preview: ${host.entryUrl}`);
console.log(`(访问令牌 token: ${host.token}；仅本机 127.0.0.1 可访问，Ctrl+C 退出)`);
console.log(`支付平台模拟器（沙箱）: ${standalone.sandbox.simulator.url}`);
const stop = async () => {
  await host.close();
  await standalone.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
