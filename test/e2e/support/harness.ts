import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { App, AppOptions } from '../../../src-main/app';
import { startWebHost, type WebHost } from '../../../src-main/hosts/web';
import { startStandalone, type Standalone } from '../../../src-main/hosts/standalone';
import { freshStore, TEST_AUDIT_KEY, type StoreKind } from '../../support/stores';

/**
 * The real renderer (electron-vite's build) against the real main-process code through the web
 * host, in Debian's Chromium. The browser runs in New York time on purpose: the app must still show
 * Asia/Shanghai times.
 */
export const CHROMIUM = process.env.PAY_CHROMIUM ?? '/usr/bin/chromium';
/** `PAY_RENDERER_DIR` points at another build of the renderer (e.g. one made beside a build in progress). */
export const RENDERER_DIR = process.env.PAY_RENDERER_DIR ?? join(import.meta.dirname, '../../../out/renderer');
export const SHOTS_DIR = join(import.meta.dirname, '../../../test-results/screenshots');

export interface E2E {
  app: App;
  sandbox: Standalone['sandbox'];
  host: WebHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** A second, independent browser session (another person at another desk). */
  newPage(): Promise<Page>;
  shot(name: string, page?: Page): Promise<string>;
  /** Creates the administrator (skipping the first-run screen) and logs in through the login form. */
  signInAsAdmin(username: string, displayName: string, password: string): Promise<void>;
  close(): Promise<void>;
}

export async function startE2E(kind: StoreKind = 'sqlite', opts: Partial<Omit<AppOptions, 'gateways' | 'callbackBaseUrl'>> = {}): Promise<E2E> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('renderer not built: run `npx electron-vite build` (npm test does it)');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk`);
  // Standalone mode, as in `npm start`: the simulated platforms pay into this app through its callbacks.
  const store = await freshStore(kind);
  const standalone = await startStandalone({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0, ...opts });
  const { app } = standalone;
  const close = async () => {
    await standalone.stop();
    await store.drop();
  };
  const host = await startWebHost({ app, staticDir: RENDERER_DIR, log: (e) => console.error('[web host]', e) });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const open = async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'America/New_York', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    await page.goto(host.entryUrl);
    return { context, page };
  };
  const first = await open();
  mkdirSync(SHOTS_DIR, { recursive: true });
  return {
    app,
    sandbox: standalone.sandbox,
    host,
    browser,
    context: first.context,
    page: first.page,
    newPage: async () => (await open()).page,
    signInAsAdmin: async (username, displayName, password) => {
      await app.users.setupAdministrator({ username, displayName, password });
      const page = first.page;
      await page.reload();
      const form = page.getByTestId('login-form');
      await form.getByLabel('用户名').fill(username);
      await form.getByLabel('密码').fill(password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByTestId('current-user').waitFor();
    },
    shot: async (name, page = first.page) => {
      const path = join(SHOTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await browser.close();
      await host.close();
      await close();
    },
  };
}
