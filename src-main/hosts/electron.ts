import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app as electronApp, BrowserWindow, ipcMain, safeStorage, session as electronSession, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import electronUpdater from 'electron-updater';
import { defaultDataDir, storeConfigFromEnv, type App } from '../app';
import { CHANNEL_NAMES, PRINT_CHANNEL } from '../api/channel-names';
import { makeDispatcher, type SessionCarrier } from '../api/dispatch';
import { loadAuditKey } from '../security/audit-chain';
import { SessionStore } from '../security/sessions';
import { startStandalone } from './standalone';
import { SafeStorageVault } from '../security/vault-electron';
import { offlineCachePath } from '../services/offline/offline-cache';

/**
 * The desktop host. The renderer is sandboxed with context isolation and no Node; it reaches the
 * main process only through the preload's typed bridge, and every IPC call is checked to come from
 * our own page. Sessions are kept here per window: the renderer never holds a token or a key.
 */
const RENDERER_DEV_URL = process.env.ELECTRON_RENDERER_URL;
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function isOurPage(url: string): boolean {
  if (RENDERER_DEV_URL) return url.startsWith(RENDERER_DEV_URL);
  return url.startsWith('file://') && url.includes('/renderer/');
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: '支付中心',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app and no new windows; external links open in the browser.
  win.webContents.on('will-navigate', (e, url) => {
    if (!isOurPage(url)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Payment pages open in the system browser: the platforms' (https) and, in sandbox mode, the simulator's on loopback.
    if (url.startsWith('https://') || url.startsWith('http://127.0.0.1:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (RENDERER_DEV_URL) void win.loadURL(RENDERER_DEV_URL);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

function registerIpc(app: App): void {
  const sessions = new SessionStore(app.clock);
  const tokens = new Map<number, string>();
  const dispatch = makeDispatcher(app, sessions);
  const carrierFor = (wc: WebContents): SessionCarrier => ({
    token: () => tokens.get(wc.id),
    set: (t) => (t ? tokens.set(wc.id, t) : tokens.delete(wc.id)),
  });
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isOurPage(frameUrl)) return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: '拒绝来自未知页面的请求' } };
      return dispatch(channel, input, carrierFor(event.sender));
    });
  }
  // Printing (付款凭证, 收款凭据): the system print dialog for the page that asked, after the same sender check.
  ipcMain.handle(PRINT_CHANNEL, (event: IpcMainInvokeEvent) => {
    if (!isOurPage(event.senderFrame?.url ?? '')) return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: '拒绝来自未知页面的请求' } };
    return new Promise((resolve) => {
      event.sender.print({ silent: false, printBackground: true }, (success, failureReason) =>
        resolve(success || failureReason === 'cancelled' ? { ok: true, data: { printed: success } } : { ok: false, error: { code: 'PRINT_FAILED', message: `打印失败：${failureReason}` } }),
      );
    });
  });
}

/** The better-sqlite3 binary built for this Electron (dev: .electron-native/; packaged: next to the app). */
function electronSqliteBinding(): string | undefined {
  const name = `better-sqlite3-electron-${process.versions.electron}`;
  const candidates = [
    join(process.resourcesPath ?? '', name, 'build/Release/better_sqlite3.node'),
    join(import.meta.dirname, '../../.electron-native', name, 'build/Release/better_sqlite3.node'),
  ];
  return candidates.find((p) => existsSync(p));
}

async function main(): Promise<void> {
  await electronApp.whenReady();
  // The same folder as `npm run seed:demo` and `npm run preview` use, so they all see one database.
  const dataDir = defaultDataDir();
  const store = storeConfigFromEnv(dataDir);
  // Standalone mode: the simulated platforms and the in-process callback receiver on loopback.
  const standalone = await startStandalone({
    store: store.kind === 'sqlite' ? { ...store, nativeBinding: electronSqliteBinding() } : store,
    auditKey: loadAuditKey({ envKey: process.env.PAY_AUDIT_KEY, keyFile: join(dataDir, 'audit.key') }),
    // Merchant keys sealed by the OS keychain; usable only after `ready`, which we awaited above.
    vault: new SafeStorageVault(safeStorage),
    operations: { logDir: join(dataDir, 'logs') },
    // Connected to the central MySQL: the 对账工作台 keeps a cache next to the embedded database, for working offline.
    offline: store.kind === 'mysql' ? { path: offlineCachePath(dataDir, store.url), nativeBinding: electronSqliteBinding() } : undefined,
  });
  const { app } = standalone;
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
  registerIpc(app);
  createWindow();
  if (electronApp.isPackaged) void electronUpdater.autoUpdater.checkForUpdatesAndNotify().catch(() => undefined);
  electronApp.on('window-all-closed', () => {
    void standalone.stop().finally(() => electronApp.quit());
  });
}

void main();
