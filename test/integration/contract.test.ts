import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import type { ChannelSpec } from '../../src-main/api/channel';
import { CHANNEL_NAMES } from '../../src-main/api/channel-names';
import { contract } from '../../src-main/api/contract';
import { DEFAULT_ROLE_PERMISSIONS, PERMISSIONS, ROLES, type Access, type Permission } from '../../src-main/core/access/permissions';
import { ADMIN_PASSWORD, callers, type Caller } from '../support/callers';
import { STORE_KINDS, testApp } from '../support/stores';

const specs = contract as unknown as Record<string, ChannelSpec<never, unknown>>;

describe('the contract declares every channel fully', () => {
  it('lists the same channels as the preload list, each with a schema, a handler and a known access', () => {
    expect(Object.keys(contract).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const [name, spec] of Object.entries(specs)) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(typeof spec.handler).toBe('function');
      expect(typeof (spec.input as { safeParse?: unknown }).safeParse).toBe('function');
      expect(['public', 'session', ...PERMISSIONS]).toContain(spec.access);
    }
  });

  it('only the set-up, log-in and status channels are public', () => {
    const open = Object.entries(specs).filter(([, s]) => s.access === 'public').map(([n]) => n).sort();
    expect(open).toEqual(['auth.login', 'auth.setup', 'auth.status', 'meta.vocabulary']);
  });
});

describe.each(STORE_KINDS)('access control through the dispatcher on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let c: Awaited<ReturnType<typeof callers>>;
  beforeEach(async () => {
    ({ app, close } = await testApp(kind));
    c = await callers(app);
  });
  afterEach(() => close());

  it('walks the whole contract for every role: allowed iff the role holds the channel permission', async () => {
    const byRole = new Map<string, Caller>();
    for (const role of ROLES) byRole.set(role, role === 'admin' ? c.admin : await c.as(role));
    for (const name of CHANNEL_NAMES) {
      const access: Access = specs[name]!.access;
      if (access === 'public' || name === 'auth.logout') continue;
      const anon = await c.anonymous.raw(name, {});
      expect(anon.ok ? 'OK' : anon.error.code, `${name} without login`).toBe('UNAUTHENTICATED');
      for (const role of ROLES) {
        const r = await byRole.get(role)!.raw(name, {});
        const refused = !r.ok && r.error.code === 'FORBIDDEN';
        const allowed = access === 'session' || (DEFAULT_ROLE_PERMISSIONS[role] as readonly Permission[]).includes(access);
        expect(refused, `${role} → ${name}`).toBe(!allowed);
        if (refused && !r.ok) expect(r.error.message).toMatch(/^没有权限：.+。请联系管理员开通。$/);
      }
    }
  });

  it('a refusal is recorded in the audit log and changes nothing', async () => {
    const auditor = await c.as('auditor');
    const r = await auditor.call('orders.create', { amount: '10.00', method: 'wechat', type: 'customer_order' });
    expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '没有权限：创建支付订单。请联系管理员开通。' } });
    expect((await app.orders.list({}, { page: 1, pageSize: 10, sortBy: 'createdAt', sortOrder: 'desc' })).total).toBe(0);
    const log = await app.audit.list({ action: 'access.denied' }, 1, 10);
    expect(log.items[0]).toMatchObject({ actorName: 'auditor 用户', entityId: 'orders.create' });
  });

  it('unknown channels and prototype names are refused', async () => {
    for (const name of ['orders.delete', '__proto__', 'constructor', 'toString'])
      expect(await c.admin.raw(name, {})).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '未知的操作' } });
  });

  it('first-run set-up happens once, then only log-in works; wrong passwords are throttled', async () => {
    const again = await c.fresh().call('auth.setup', { username: 'evil', displayName: 'x', password: ADMIN_PASSWORD });
    expect(again).toEqual({ ok: false, error: { code: 'SETUP_DONE', message: '系统已完成初始化，请直接登录' } });
    const guest = c.fresh();
    for (let i = 0; i < 5; i++) {
      const r = await guest.call('auth.login', { username: 'admin', password: 'wrong-password' });
      expect(r.ok ? '' : r.error.message).toBe('用户名或密码错误，或账号已停用');
    }
    const locked = await guest.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(locked.ok ? '' : locked.error.message).toMatch(/^密码错误次数过多，请 \d+ 分钟后再试$/);
    const status = await c.admin.ok('auth.status', {});
    expect(status.session?.user.username).toBe('admin');
    expect([...(status.session?.permissions ?? [])].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('a weak first password is refused, and nothing is created', async () => {
    const t = await testApp(kind);
    try {
      const { makeDispatcher } = await import('../../src-main/api/dispatch');
      const { SessionStore } = await import('../../src-main/security/sessions');
      const { Caller } = await import('../support/callers');
      const caller = new Caller(makeDispatcher(t.app, new SessionStore(t.app.clock)));
      const r = await caller.call('auth.setup', { username: 'admin', displayName: '管理员', password: 'short' });
      expect(r).toEqual({ ok: false, error: { code: 'PASSWORD_WEAK', message: '密码至少 10 位' } });
      expect(await t.app.users.needsSetup()).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('a deactivated user loses the session at once', async () => {
    const cashier = await c.as('cashier');
    const users = await c.admin.ok('users.list', {});
    const u = users.find((x) => x.username === 'cashier')!;
    await c.admin.ok('users.update', { id: u.id, version: u.version, active: false });
    const r = await cashier.call('orders.list', {});
    expect(r.ok ? '' : r.error.code).toBe('UNAUTHENTICATED');
  });

  it('the last administrator cannot be demoted and nobody can lock themselves out', async () => {
    const users = await c.admin.ok('users.list', {});
    const me = users[0]!;
    const r = await c.admin.call('users.update', { id: me.id, version: me.version, role: 'cashier' });
    expect(r.ok ? '' : r.error.message).toBe('不能停用自己的账号或修改自己的角色');
  });
});
