import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, shanghaiDate, type Clock } from '../../src-main/core/time';
import type { WechatPlatform } from '../../src-main/gateways/simulator/wechat-platform';
import { ADMIN_PASSWORD } from '../support/callers';
import { freshStore, TEST_AUDIT_KEY, type TestStore } from '../support/stores';
import { openApp } from '../../src-main/app';
import { addLocal } from '../integration/reconciliation/recon-world';
import { TcpProxy } from '../integration/offline/tcp-proxy';
import { startE2E, type E2E } from './support/harness';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Real time moved by an offset: the day's payments are made "two days ago", then the clock comes back to today. */
class OffsetClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

/**
 * 对账工作台 on a connected desktop (MariaDB behind a proxy the test cuts), through the real UI:
 * the day's bill 从平台下载账单 (a day not published yet refused in Chinese, then the right day
 * reconciled), then the connection lost — the 离线 indicator, a difference read from the cache, a
 * note queued (待同步 1) — and 立即同步 once the connection is back.
 */
describe('对账工作台: 从平台下载账单 and working offline', () => {
  let e: E2E;
  let page: Page;
  let store: TestStore;
  let proxy: TcpProxy;
  const clock = new OffsetClock();
  const cachePath = join(tmpdir(), `pay-e2e-cache-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
  let day = '';
  const orders: string[] = [];

  beforeAll(async () => {
    store = await freshStore('mysql');
    proxy = await TcpProxy.start();
    const url = store.config.kind === 'mysql' ? store.config.url : '';
    clock.offset = -2 * DAY_MS;
    e = await startE2E('sqlite', { store: { kind: 'mysql', url: proxy.route(url) }, clock, offline: { path: cachePath, probeIntervalMs: 1000 } });
    page = e.page;
    // Two days ago: three orders paid on the simulated WeChat Pay, and one payment we recorded that the platform never saw.
    const clerk = { id: null, name: '测试' };
    const wx = e.sandbox.simulator.get('wechat') as WechatPlatform;
    for (const amountFen of [120_00, 36_50, 88_00]) {
      const o = await e.app.orders.create(clerk, { amountFen, method: 'wechat', type: 'customer_order', relatedId: '', description: '包间餐费', payerId: 'WX_e2e' });
      await e.app.payments.start(clerk, { orderNo: o.orderNo, scene: 'wechat_native' });
      await wx.pay(o.orderNo);
      orders.push(o.orderNo);
    }
    for (const no of orders)
      for (let i = 0; i < 150 && (await e.app.orders.get(no)).order.status !== 'paid'; i++) await new Promise((r) => setTimeout(r, 100));
    day = shanghaiDate(clock.now());
    await addLocal(e.app, [{ orderNo: 'P20990101000000007777', amountFen: 55_00, status: 'success', paidAt: clock.now() }]);
    clock.offset = 0;
    await e.signInAsAdmin('zhao', '赵会计', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await proxy?.restore();
    await e?.close();
    await proxy?.stop();
    await store?.drop();
    for (const x of ['', '-wal', '-shm']) rmSync(cachePath + x, { force: true });
  });
  /** Screenshots once nothing is loading, the toasts are gone and no dialog or drawer is still moving. */
  const shot = async (name: string) => {
    await expect.poll(() => page.locator('.ant-spin-blur').count()).toBe(0);
    await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 8000 }).toBe(0);
    await expect.poll(() => page.locator('.ant-modal[class*="-active"], .ant-drawer-content-wrapper[class*="-active"]').count()).toBe(0);
    await e.shot(name);
  };

  it('downloads the day’s bill from the platform; a day not published yet is refused in the dialog', async () => {
    await page.getByTestId('side-nav').getByText('对账工作台').click();
    await page.getByTestId('start-recon').click();
    const form = page.getByTestId('start-recon-form');
    await form.getByTestId('bill-source').getByText('从平台下载账单').click();
    await form.getByLabel('账单日期').fill(shanghaiDate(Date.now()));
    await page.getByRole('button', { name: '下载并对账' }).click();
    const error = form.getByTestId('bill-download-error');
    await expect.poll(() => error.textContent()).toContain('的账单尚未生成：支付平台在次日提供前一天的账单');
    await shot('70-recon-download-not-ready');

    await form.getByLabel('账单日期').fill(day);
    await page.getByRole('button', { name: '下载并对账' }).click();
    const summary = page.getByTestId('recon-summary');
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toContain('已匹配');
    expect(await summary.textContent()).toMatch(/已匹配3笔¥244\.50/);
    expect(await page.getByTestId('recon-run-title').textContent()).toContain(`wechat-${day}.csv`);
    const table = page.getByTestId('diff-table');
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(1);
    expect(await table.textContent()).toContain('P20990101000000007777');
    await shot('71-recon-downloaded-run');
  });

  it('shows 离线 when the central store is cut, reads the difference from the cache, queues a note, and sends it after 立即同步', async () => {
    const table = page.getByTestId('diff-table');
    // Opened while online: the run's differences are in the cache.
    await table.getByText('P20990101000000007777').first().click();
    const drawer = page.getByTestId('diff-drawer');
    await expect.poll(() => drawer.getByTestId('diff-compare').textContent()).toContain('¥55.00');
    await page.locator('.ant-drawer-close').click();
    await e.app.reconOffline.settled();

    await proxy.cut();
    await expect.poll(() => page.getByTestId('offline-indicator').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('offline-indicator').textContent()).toBe('离线');
    await table.getByText('P20990101000000007777').first().click();
    await expect.poll(() => drawer.getByTestId('diff-compare').textContent()).toContain('¥55.00');
    await drawer.getByLabel('备注').fill('断网时记下：平台客服确认次日补单');
    await drawer.getByRole('button', { name: '添加备注' }).click();
    await expect.poll(() => drawer.getByTestId('diff-notes').textContent()).toContain('赵会计（离线，待同步）');
    expect(await drawer.getByTestId('diff-notes').textContent()).toContain('断网时记下：平台客服确认次日补单');
    await shot('72-recon-offline-note');
    await page.locator('.ant-drawer-close').click();
    await expect.poll(() => page.getByTestId('offline-queued').textContent(), { timeout: 10_000 }).toBe('待同步 1');
    await shot('73-recon-offline');

    await page.getByTestId('offline-queued').click();
    const edits = page.getByTestId('offline-edits-drawer');
    await expect.poll(() => edits.getByTestId('offline-edit').count()).toBe(1);
    expect(await edits.getByTestId('offline-edit').textContent()).toContain('备注：断网时记下：平台客服确认次日补单');
    expect(await edits.getByTestId('offline-edit').textContent()).toContain('待同步');
    await shot('74-recon-offline-edits');
    await edits.locator('.ant-drawer-close').click();

    await proxy.restore();
    await page.getByTestId('offline-sync').click();
    await expect.poll(() => page.getByTestId('offline-indicator').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('offline-queued').count()).toBe(0);
    const id = (await e.app.reconDiffs.list({ search: 'P20990101000000007777' }, 'key', 'asc', 1, 10)).items[0]!.id;
    const central = await e.app.reconDiffs.get(id);
    expect(central.notes.map((n) => [n.authorName, n.body])).toEqual([['赵会计', '断网时记下：平台客服确认次日补单']]);
    await table.getByText('P20990101000000007777').first().click();
    await expect.poll(() => drawer.getByTestId('diff-notes').textContent()).not.toContain('待同步');
    expect(await drawer.getByTestId('diff-notes').textContent()).toContain('赵会计 · ');
    expect(await drawer.getByTestId('diff-notes').textContent()).toContain('断网时记下：平台客服确认次日补单');
    await page.locator('.ant-drawer-close').click();
    await shot('75-recon-back-online');
  });

  it('shows a conflict with both versions when a colleague changed the difference meanwhile; 采用对方的版本 settles it', async () => {
    const table = page.getByTestId('diff-table');
    const drawer = page.getByTestId('diff-drawer');
    await proxy.cut();
    await expect.poll(() => page.getByTestId('offline-indicator').count(), { timeout: 15_000 }).toBe(1);
    await table.getByText('P20990101000000007777').first().click();
    await expect.poll(() => drawer.getByTestId('diff-compare').textContent()).toContain('¥55.00');
    await drawer.getByRole('button', { name: '分配给我' }).click();
    await expect.poll(() => drawer.textContent()).toContain('处理人赵会计');
    await page.locator('.ant-drawer-close').click();
    // Meanwhile a colleague, on the central store directly, takes the same difference and closes it.
    const colleague = await openApp({ store: store.config, auditKey: TEST_AUDIT_KEY, expiryIntervalMs: 0 });
    try {
      const id = (await colleague.reconDiffs.list({ search: 'P20990101000000007777' }, 'key', 'asc', 1, 10)).items[0]!;
      await colleague.reconDiffs.setStatus({ id: null, name: '钱会计' }, id.id, 'ignored', '平台次日补单，本日忽略', id.version);
    } finally {
      await colleague.close();
    }
    await proxy.restore();
    await page.getByTestId('offline-sync').click();
    await expect.poll(() => page.getByTestId('offline-conflicts').textContent(), { timeout: 15_000 }).toContain('冲突 1');
    await page.getByTestId('offline-conflicts').click();
    const edit = page.getByTestId('offline-edits-drawer').getByTestId('offline-edit');
    await expect.poll(() => edit.textContent()).toContain('离线期间该差异已被修改：处理状态 待处理 → 已忽略');
    const versions = edit.getByTestId('offline-conflict-versions');
    expect(await versions.locator('tr[data-changed="true"]').allTextContents()).toEqual([
      '处理状态待处理处理中已忽略',
      '处理方式——人工处理',
      '处理说明——平台次日补单，本日忽略',
    ]);
    await shot('76-recon-offline-conflict');
    await edit.getByRole('button', { name: '采用对方的版本' }).click();
    await expect.poll(() => page.getByTestId('offline-edits-drawer').textContent()).toContain('没有待同步的离线修改');
    await page.getByTestId('offline-edits-drawer').locator('.ant-drawer-close').click();
    await expect.poll(() => page.getByTestId('offline-conflicts').count()).toBe(0);
    const row = table.locator('.ant-table-row', { hasText: 'P20990101000000007777' });
    await expect.poll(() => row.textContent()).toContain('已忽略');
    expect(await row.textContent()).toContain('未分配');
  });
});
