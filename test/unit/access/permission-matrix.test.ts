import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SENSITIVE_FIELDS, sensitiveFieldSpec } from '../../../src-main/core/access/masking';
import { assertMatrixEditable, normalizeGrants, type MatrixUser } from '../../../src-main/core/access/permission-matrix';
import { PERMISSION_GROUPS, PERMISSION_LABELS, PERMISSIONS, ROLES, type Permission, type Role } from '../../../src-main/core/access/permissions';
import { isDomainError } from '../../../src-main/core/errors';

type Matrix = Map<Role, Set<Permission>>;

describe('permission matrix', () => {
  it('puts every permission in exactly one group, and no group is empty', () => {
    const grouped = PERMISSION_GROUPS.flatMap((g) => g.permissions as readonly Permission[]);
    expect([...grouped].sort()).toEqual([...PERMISSIONS].sort());
    expect(new Set(grouped).size).toBe(grouped.length);
    for (const g of PERMISSION_GROUPS) expect(g.permissions.length).toBeGreaterThan(0);
  });

  it('has no permission to view keys: keys are never shown to anyone', () => {
    for (const p of PERMISSIONS) {
      expect(p).not.toMatch(/key|secret/i);
      expect(PERMISSION_LABELS[p]).not.toMatch(/查看.*密钥|密钥原文/);
    }
  });

  it('normalizes grants to known codes in the canonical order and refuses unknown ones', () => {
    expect(normalizeGrants(['order:create', 'order:view', 'order:view'])).toEqual(['order:view', 'order:create']);
    expect(() => normalizeGrants(['keys:view'])).toThrow('未知的权限：keys:view');
  });

  const users: MatrixUser[] = [
    { id: 1, role: 'admin', active: true },
    { id: 2, role: 'accountant', active: true },
    { id: 3, role: 'cashier', active: false },
  ];
  const matrix = (grants: Partial<Record<Role, Permission[]>>): Matrix => new Map(ROLES.map((r) => [r, new Set(grants[r] ?? [])]));

  it('refuses to take role:manage from the editor’s own role, and from the last active holder', () => {
    const before = matrix({ admin: ['role:manage'], accountant: ['role:manage'] });
    expect(() => assertMatrixEditable(1, users, before, matrix({ accountant: ['role:manage'] }))).toThrow(/不能从自己的角色（管理员）中移除“编辑权限矩阵”权限/);
    // The accountant may lose it: the admin keeps it.
    expect(() => assertMatrixEditable(1, users, before, matrix({ admin: ['role:manage'] }))).not.toThrow();
    // Someone without role:manage themselves (a system actor) still cannot leave nobody holding it;
    // a disabled cashier does not count.
    expect(() => assertMatrixEditable(null, users, before, matrix({ cashier: ['role:manage'] }))).toThrow('至少需要保留一名启用的用户拥有“编辑权限矩阵”权限');
  });

  it('never lets a change end with no active holder of role:manage when there was one', () => {
    const grants = fc.dictionary(fc.constantFrom(...ROLES), fc.subarray(['role:manage', 'order:view'] as Permission[]));
    fc.assert(
      fc.property(fc.constantFrom(1, 2, null), grants, grants, (actor, a, b) => {
        const before = matrix(a);
        const after = matrix(b);
        const holders = (m: Matrix) => users.filter((u) => u.active && m.get(u.role)!.has('role:manage')).length;
        let refused = false;
        try {
          assertMatrixEditable(actor, users, before, after);
        } catch (e) {
          if (!isDomainError(e)) throw e;
          refused = true;
        }
        if (holders(before) > 0 && holders(after) === 0) expect(refused).toBe(true);
        if (!refused && actor !== null) {
          const mine = users.find((u) => u.id === actor)!.role;
          if (before.get(mine)!.has('role:manage')) expect(after.get(mine)!.has('role:manage')).toBe(true);
        }
      }),
    );
  });
});

describe('sensitive fields', () => {
  it('are known by entity and field only; anything else is not revealable', () => {
    expect(sensitiveFieldSpec('meal_bill', 'invoicePhone')).toEqual({ kind: 'phone', label: '发票收件人电话' });
    expect(sensitiveFieldSpec('meal_bill', 'title')).toBeNull();
    expect(sensitiveFieldSpec('meal_bill', 'constructor')).toBeNull();
    expect(sensitiveFieldSpec('__proto__', 'invoicePhone')).toBeNull();
    expect(Object.keys(SENSITIVE_FIELDS)).toContain('meal_bill');
  });
});
