import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { DEFAULT_ROLE_PERMISSIONS, type Permission, type Role } from '../../src-main/core/access/permissions';
import { callers, type Caller } from '../support/callers';
import { STORE_KINDS, testApp } from '../support/stores';

const PHONE = '13800138000';

describe.each(STORE_KINDS)('permission matrix and sensitive fields on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let c: Awaited<ReturnType<typeof callers>>;
  beforeEach(async () => {
    ({ app, close } = await testApp(kind));
    c = await callers(app);
  });
  afterEach(() => close());

  const roleOf = async (code: Role) => (await c.admin.ok('roles.list', {})).find((r) => r.code === code)!;
  const setGrants = async (who: Caller, code: Role, permissions: Permission[]) => {
    const r = await roleOf(code);
    return who.call('roles.updatePermissions', { roles: [{ code, version: r.version, permissions }] });
  };

  it('an edit is audited with before and after and applies to a session already logged in, on its next call', async () => {
    const cashier = await c.as('cashier');
    expect((await cashier.call('orders.create', { amount: '10.00', method: 'wechat', type: 'customer_order' })).ok).toBe(true);
    const before = await roleOf('cashier');
    expect([...before.permissions].sort()).toEqual([...DEFAULT_ROLE_PERMISSIONS.cashier].sort());

    const without = before.permissions.filter((p) => p !== 'order:create');
    const saved = await c.admin.ok('roles.updatePermissions', { roles: [{ code: 'cashier', version: before.version, permissions: without }] });
    expect(saved.find((r) => r.code === 'cashier')).toMatchObject({ version: before.version + 1 });

    const refused = await cashier.call('orders.create', { amount: '10.00', method: 'wechat', type: 'customer_order' });
    expect(refused).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '没有权限：创建支付订单。请联系管理员开通。' } });
    const status = await cashier.ok('auth.status', {});
    expect(status.session?.permissions).not.toContain('order:create');
    expect(status.session?.permissions).toContain('order:view');

    const log = await app.audit.list({ action: 'role.permissions' }, 1, 10);
    expect(log.items).toHaveLength(1);
    const entry = log.items[0]!;
    expect(entry).toMatchObject({ actorName: '系统管理员', entityType: 'role', entityId: 'cashier' });
    expect(JSON.parse(entry.before!)).toEqual({ permissions: before.permissions });
    expect(JSON.parse(entry.after!)).toEqual({ permissions: without, added: [], removed: ['order:create'] });

    // Granted back: allowed again at once.
    await setGrants(c.admin, 'cashier', [...without, 'order:create']);
    expect((await cashier.call('orders.create', { amount: '10.00', method: 'wechat', type: 'customer_order' })).ok).toBe(true);
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });

  it('several roles are saved in one transaction: one stale column refuses the whole save', async () => {
    const cashier = await roleOf('cashier');
    const auditor = await roleOf('auditor');
    const r = await c.admin.call('roles.updatePermissions', {
      roles: [
        { code: 'cashier', version: cashier.version, permissions: [] },
        { code: 'auditor', version: auditor.version + 1, permissions: [] },
      ],
    });
    expect(r).toEqual({ ok: false, error: { code: 'CONCURRENT_UPDATE', message: '角色“审计”的权限已被他人修改，请刷新后重试' } });
    expect((await roleOf('cashier')).permissions).toEqual(cashier.permissions);
    expect((await app.audit.list({ action: 'role.permissions' }, 1, 10)).total).toBe(0);
  });

  it('refuses a role without role:manage, unknown permissions, and any lock-out of the matrix', async () => {
    const cashier = await c.as('cashier');
    const denied = await setGrants(cashier, 'cashier', [...DEFAULT_ROLE_PERMISSIONS.cashier, 'role:manage']);
    expect(denied).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '没有权限：编辑权限矩阵（角色 × 操作）。请联系管理员开通。' } });

    const admin = await roleOf('admin');
    const unknown = await c.admin.raw('roles.updatePermissions', { roles: [{ code: 'admin', version: admin.version, permissions: ['keys:view'] }] });
    expect(unknown.ok ? '' : unknown.error.code).toBe('INVALID_INPUT');

    const self = await setGrants(c.admin, 'admin', admin.permissions.filter((p) => p !== 'role:manage'));
    expect(self).toEqual({ ok: false, error: { code: 'SELF_LOCKOUT', message: '不能从自己的角色（管理员）中移除“编辑权限矩阵”权限，否则您将无法再修改权限' } });

    // The accountant is given the matrix and takes it away from the administrators: allowed, someone keeps it.
    const accountant = await c.as('accountant');
    await setGrants(c.admin, 'accountant', [...DEFAULT_ROLE_PERMISSIONS.accountant, 'role:manage']);
    expect((await setGrants(accountant, 'admin', admin.permissions.filter((p) => p !== 'role:manage'))).ok).toBe(true);
    expect((await setGrants(c.admin, 'cashier', [])).ok ? '' : 'FORBIDDEN').toBe('FORBIDDEN');
    // Now the accountant is the last one holding it: they cannot drop it, nor be disabled or moved to another role.
    const drop = await setGrants(accountant, 'accountant', [...DEFAULT_ROLE_PERMISSIONS.accountant]);
    expect(drop.ok ? '' : drop.error.code).toBe('SELF_LOCKOUT');
    const u = (await c.admin.ok('users.list', {})).find((x) => x.username === 'accountant')!;
    const disable = await c.admin.call('users.update', { id: u.id, version: u.version, active: false });
    expect(disable).toEqual({ ok: false, error: { code: 'LAST_MATRIX_EDITOR', message: '至少需要保留一名启用的用户拥有“编辑权限矩阵”权限' } });
    const move = await c.admin.call('users.update', { id: u.id, version: u.version, role: 'cashier' });
    expect(move.ok ? '' : move.error.code).toBe('LAST_MATRIX_EDITOR');
    expect((await app.users.byId(u.id))).toMatchObject({ active: true, role: 'accountant' });
  });

  describe('sensitive fields', () => {
    const billWithInvoice = async () => {
      const bill = await c.admin.ok('mealbills.create', { stayNo: 'S1', roomNo: '101', items: [{ serviceDate: '2026-11-26', meal: 'lunch', description: '套餐', quantity: 1, unitPrice: '38' }] });
      const invoice = await c.admin.ok('mealbills.requestInvoice', { billNo: bill.billNo, kind: 'paper', titleType: 'personal', title: '陈女士', postalAddress: '上海市浦东新区世纪大道 100 号', recipient: '陈女士', phone: PHONE });
      return { bill, invoice };
    };
    const ref = (billNo: string) => ({ entityType: 'meal_bill' as const, entityId: billNo, field: 'invoicePhone' });

    it('phones leave the services masked: the request, the detail and the audit history', async () => {
      const { bill, invoice } = await billWithInvoice();
      expect(invoice.phone).toBe('138****8000');
      const detail = await c.admin.ok('mealbills.get', { billNo: bill.billNo });
      expect(detail.invoice?.phone).toBe('138****8000');
      expect(JSON.stringify(detail)).not.toContain(PHONE);
      const log = await app.audit.list({}, 1, 50);
      expect(JSON.stringify(log)).not.toContain(PHONE);
    });

    it('the full value needs sensitive:unmask; each reveal is audited by record and field, never with the value', async () => {
      const { bill } = await billWithInvoice();
      const cashier = await c.as('cashier');
      const refused = await cashier.call('sensitive.reveal', ref(bill.billNo));
      expect(refused).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '没有权限：查看完整敏感信息（银行账号、证件号、手机号），留审计记录。请联系管理员开通。' } });
      expect((await app.audit.list({ action: 'sensitive.reveal' }, 1, 10)).total).toBe(0);

      expect(await c.admin.ok('sensitive.reveal', ref(bill.billNo))).toEqual({ value: PHONE });
      const log = await app.audit.list({ action: 'sensitive.reveal' }, 1, 10);
      expect(log.items).toHaveLength(1);
      expect(log.items[0]).toMatchObject({ actorName: '系统管理员', entityType: 'meal_bill', entityId: bill.billNo, before: null, after: '{"field":"invoicePhone"}' });
      expect(JSON.stringify(await app.audit.list({}, 1, 50))).not.toContain(PHONE);
      // The bill's own history says who looked.
      expect((await c.admin.ok('mealbills.get', { billNo: bill.billNo })).history.map((h) => h.action)).toContain('sensitive.reveal');

      // Granted through the matrix: the cashier, still logged in, may look now.
      await setGrants(c.admin, 'cashier', [...DEFAULT_ROLE_PERMISSIONS.cashier, 'sensitive:unmask']);
      expect(await cashier.ok('sensitive.reveal', ref(bill.billNo))).toEqual({ value: PHONE });
      expect((await app.audit.list({ action: 'sensitive.reveal' }, 1, 10)).items[0]).toMatchObject({ actorName: 'cashier 用户' });
    });

    it('refuses fields that are not sensitive and records that do not exist, writing nothing', async () => {
      const { bill } = await billWithInvoice();
      const title = await c.admin.call('sensitive.reveal', { ...ref(bill.billNo), field: 'title' });
      expect(title).toEqual({ ok: false, error: { code: 'FIELD_NOT_SENSITIVE', message: '该字段不是可查看的敏感信息' } });
      const missing = await c.admin.call('sensitive.reveal', ref('M00000000000000000000'));
      expect(missing).toEqual({ ok: false, error: { code: 'RECORD_NOT_FOUND', message: '记录不存在' } });
      const badType = await c.admin.raw('sensitive.reveal', { ...ref(bill.billNo), entityType: 'user' });
      expect(badType).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('记录类型不正确') } });
      expect((await app.audit.list({ action: 'sensitive.reveal' }, 1, 10)).total).toBe(0);
    });
  });
});
