import { DomainError } from '../errors';
import { PERMISSION_GROUPS, PERMISSIONS, ROLE_LABELS, type Permission, type Role } from './permissions';

/** Editing the matrix needs this permission; without a holder nobody could ever edit it again. */
export const MATRIX_PERMISSION = 'role:manage' satisfies Permission;

/** A role's permissions as stored: known codes only, no duplicates, in the order of PERMISSIONS. */
export function normalizeGrants(permissions: readonly string[]): Permission[] {
  const wanted = new Set(permissions);
  for (const p of wanted) if (!(PERMISSIONS as readonly string[]).includes(p)) throw new DomainError('PERMISSION_UNKNOWN', `未知的权限：${p}`);
  return PERMISSIONS.filter((p) => wanted.has(p));
}

export interface MatrixUser {
  id: number;
  role: Role;
  active: boolean;
}

/**
 * Refuses a matrix change that would leave nobody able to edit the matrix: the last active user
 * holding `role:manage` keeps it, and an administrator cannot take it away from their own role
 * (they would lose the page they are standing on). `after` is the complete matrix after the change.
 */
export function assertMatrixEditable(actorId: number | null, users: readonly MatrixUser[], before: ReadonlyMap<Role, ReadonlySet<Permission>>, after: ReadonlyMap<Role, ReadonlySet<Permission>>): void {
  const holds = (m: ReadonlyMap<Role, ReadonlySet<Permission>>, role: Role) => m.get(role)?.has(MATRIX_PERMISSION) ?? false;
  const me = users.find((u) => u.id === actorId);
  if (me && holds(before, me.role) && !holds(after, me.role))
    throw new DomainError('SELF_LOCKOUT', `不能从自己的角色（${ROLE_LABELS[me.role]}）中移除“编辑权限矩阵”权限，否则您将无法再修改权限`);
  const active = users.filter((u) => u.active);
  if (active.some((u) => holds(before, u.role)) && !active.some((u) => holds(after, u.role)))
    throw new DomainError('LAST_MATRIX_EDITOR', '至少需要保留一名启用的用户拥有“编辑权限矩阵”权限');
}

/** The area of the matrix a permission belongs to (every permission has one). */
export function groupOf(p: Permission): (typeof PERMISSION_GROUPS)[number] {
  const g = PERMISSION_GROUPS.find((x) => (x.permissions as readonly Permission[]).includes(p));
  if (!g) throw new Error(`permission ${p} is in no group`);
  return g;
}
