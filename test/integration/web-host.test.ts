import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web';
import { ADMIN_PASSWORD } from '../support/callers';
import { testApp } from '../support/stores';

/** The web host serves the real handlers on loopback only, behind the run token, without CSRF holes. */
describe('web host', () => {
  let host: WebHost;
  let close: () => Promise<void>;
  let hostCookie: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pay-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>支付中心</title>');
    const t = await testApp('sqlite');
    close = t.close;
    host = await startWebHost({ app: t.app, staticDir: dir, log: () => undefined });
    const entry = await fetch(host.entryUrl, { redirect: 'manual' });
    hostCookie = entry.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => {
    await host.close();
    await close();
  });

  const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${host.url}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pay-request': '1', cookie: hostCookie, ...headers }, body: JSON.stringify(body) });

  it('refuses to listen on anything but loopback', async () => {
    const t = await testApp('sqlite');
    await expect(startWebHost({ app: t.app, staticDir: '.', host: '0.0.0.0' })).rejects.toThrow('loopback only');
    await t.close();
  });

  it('the run token is exchanged once for an HttpOnly, SameSite=Strict cookie', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const entry = await fetch(host.entryUrl, { redirect: 'manual' });
    expect(entry.status).toBe(302);
    expect(entry.headers.get('set-cookie')).toMatch(/^pay_host=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    expect((await fetch(`${host.url}/?token=wrong`)).status).toBe(403);
  });

  it('without the token nothing is served, neither pages nor API', async () => {
    expect((await fetch(host.url)).status).toBe(403);
    const r = await fetch(`${host.url}/api/auth.status`, { method: 'POST', headers: { 'x-pay-request': '1' }, body: '{}' });
    expect(r.status).toBe(403);
  });

  it('serves the app with a strict CSP and refuses path traversal', async () => {
    const page = await fetch(host.url, { headers: { cookie: hostCookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const evil = await fetch(`${host.url}/..%2f..%2f..%2fetc%2fpasswd`, { headers: { cookie: hostCookie } });
    expect(await evil.text()).not.toContain('root:');
  });

  it('API calls need the anti-forgery header and POST', async () => {
    expect((await api('auth.status', {}, { 'x-pay-request': '' })).status).toBe(400);
    expect((await fetch(`${host.url}/api/auth.status`, { headers: { cookie: hostCookie } })).status).toBe(400);
  });

  it('logs in through an HttpOnly session cookie that the page never sees', async () => {
    const setup = await api('auth.setup', { username: 'admin', displayName: '管理员', password: ADMIN_PASSWORD });
    const body = (await setup.json()) as { ok: boolean; data: unknown };
    expect(body.ok).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/token|password/i);
    const session = setup.headers.get('set-cookie')!;
    expect(session).toMatch(/^pay_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    const cookie = `${hostCookie}; ${session.split(';')[0]}`;
    const list = (await (await api('orders.list', {}, { cookie })).json()) as { ok: boolean };
    expect(list.ok).toBe(true);
    const anonymous = (await (await api('orders.list', {})).json()) as { ok: boolean; error: { code: string } };
    expect(anonymous.error.code).toBe('UNAUTHENTICATED');
    const logout = await api('auth.logout', {}, { cookie });
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = (await (await api('orders.list', {}, { cookie })).json()) as { ok: boolean; error: { code: string } };
    expect(after.error.code).toBe('UNAUTHENTICATED');
  });

  it('malformed JSON gets a clear answer', async () => {
    const r = await fetch(`${host.url}/api/orders.list`, { method: 'POST', headers: { 'x-pay-request': '1', cookie: hostCookie }, body: '{not json' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: '请求格式不正确' } });
  });
});
