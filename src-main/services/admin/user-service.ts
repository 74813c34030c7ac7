import { checkPasswordStrength } from '../../core/access/password-policy';
import { assertMatrixEditable, normalizeGrants } from '../../core/access/permission-matrix';
import type { Permission, Role } from '../../core/access/permissions';
import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import type { Clock } from '../../core/time';
import { withoutSecret, type RoleGrants, type User } from '../../db/repositories/user-repository';
import type { Store, Tx } from '../../db/store';
import { hashPassword, verifyPassword } from '../../security/password';
import type { Actor } from '../actor';

export interface NewUserInput {
  username: string;
  displayName: string;
  password: string;
  role: Role;
}

/** One role's column of the permission matrix as the editor saved it (`version` as they saw it). */
export interface RolePermissionsInput {
  code: Role;
  version: number;
  permissions: readonly string[];
}

const grantMap = (roles: readonly RoleGrants[]) => new Map(roles.map((r) => [r.code, new Set<Permission>(r.permissions)]));

export interface UserPatch {
  displayName?: string;
  role?: Role;
  active?: boolean;
}

/** A hash of a random password: makes a failed login for an unknown user cost the same as a real one. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * Local accounts (design document 5.3). There is no built-in account or default password: the first
 * run asks for the administrator, and only while no user exists.
 */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async needsSetup(): Promise<boolean> {
    return (await this.store.read((r) => r.users.count())) === 0;
  }

  async setupAdministrator(input: Omit<NewUserInput, 'role'>): Promise<User> {
    checkPasswordStrength(input.password);
    const passwordHash = await hashPassword(input.password);
    return this.store.transaction(async (tx) => {
      if ((await tx.users.count()) > 0) throw new DomainError('SETUP_DONE', '系统已完成初始化，请直接登录');
      return this.insertUser(tx, { id: null, name: '初始化向导' }, { ...input, role: 'admin' }, passwordHash);
    });
  }

  async create(actor: Actor, input: NewUserInput): Promise<User> {
    checkPasswordStrength(input.password);
    const passwordHash = await hashPassword(input.password);
    return this.store.transaction(async (tx) => {
      if (await tx.users.findByUsername(input.username)) throw new DomainError('USERNAME_TAKEN', `用户名 ${input.username} 已存在`);
      return this.insertUser(tx, actor, input, passwordHash);
    });
  }

  private async insertUser(tx: Tx, actor: Actor, input: NewUserInput, passwordHash: string): Promise<User> {
    const now = this.clock.now();
    const id = await tx.users.insert({ username: input.username, displayName: input.displayName, passwordHash, role: input.role, createdAt: now });
    const user: User = { id, username: input.username, displayName: input.displayName, role: input.role, active: true, createdAt: now, version: 1 };
    await tx.audit.append(
      { actorId: actor.id, actorName: actor.name, action: 'user.create', entityType: 'user', entityId: String(id), before: null, after: snapshot({ ...user, version: undefined }) },
      now,
    );
    return user;
  }

  /** Checks a password. Returns the user or throws one message for every failure, so usernames cannot be probed. */
  async authenticate(username: string, password: string): Promise<User> {
    const user = await this.store.read((r) => r.users.findByUsername(username));
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) throw new DomainError('LOGIN_FAILED', '用户名或密码错误，或账号已停用');
    return withoutSecret(user);
  }

  async byId(id: number): Promise<User | null> {
    const u = await this.store.read((r) => r.users.findById(id));
    return u ? withoutSecret(u) : null;
  }

  permissionsOf(role: Role): Promise<Permission[]> {
    return this.store.read((r) => r.users.permissionsOf(role));
  }

  list(): Promise<User[]> {
    return this.store.read((r) => r.users.list());
  }

  roles() {
    return this.store.read((r) => r.users.roles());
  }

  /**
   * Saves columns of the permission matrix (design document 5.3.1) in one transaction, each role
   * audited with its grants before and after. Sessions read their permissions on every call
   * (api/dispatch), so the change applies to users already logged in from their next action on.
   */
  async updatePermissions(actor: Actor, changes: readonly RolePermissionsInput[]): Promise<RoleGrants[]> {
    if (new Set(changes.map((c) => c.code)).size !== changes.length) throw new DomainError('ROLE_REPEATED', '同一角色只能提交一次');
    return this.store.transaction(async (tx) => {
      const roles = await tx.users.roles({ forUpdate: true });
      const before = grantMap(roles);
      const after = new Map(before);
      const wanted = changes.map((c) => {
        const role = roles.find((r) => r.code === c.code);
        if (!role) throw new DomainError('ROLE_NOT_FOUND', `角色 ${c.code} 不存在`);
        if (role.version !== c.version) throw new DomainError('CONCURRENT_UPDATE', `角色“${role.name}”的权限已被他人修改，请刷新后重试`);
        const permissions = normalizeGrants(c.permissions);
        after.set(role.code, new Set(permissions));
        return { role, permissions };
      });
      assertMatrixEditable(actor.id, await tx.users.list(), before, after);
      const now = this.clock.now();
      for (const { role, permissions } of wanted) {
        const was = new Set(role.permissions);
        const added = permissions.filter((p) => !was.has(p));
        const removed = role.permissions.filter((p) => !permissions.includes(p));
        if (added.length === 0 && removed.length === 0) continue;
        await tx.users.setPermissions(role.code, role.version, permissions);
        await tx.audit.append(
          {
            actorId: actor.id,
            actorName: actor.name,
            action: 'role.permissions',
            entityType: 'role',
            entityId: role.code,
            before: snapshot({ permissions: role.permissions }),
            after: snapshot({ permissions, added, removed }),
          },
          now,
        );
      }
      return tx.users.roles();
    });
  }

  async update(actor: Actor, id: number, version: number, patch: UserPatch): Promise<User> {
    return this.store.transaction(async (tx) => {
      // Serializes with matrix edits: together they must never leave nobody holding role:manage.
      const roles = await tx.users.roles({ forUpdate: true });
      const current = await tx.users.findById(id);
      if (!current) throw new DomainError('USER_NOT_FOUND', '用户不存在');
      if (actor.id === id && (patch.active === false || (patch.role && patch.role !== current.role)))
        throw new DomainError('SELF_LOCKOUT', '不能停用自己的账号或修改自己的角色');
      await tx.users.update(id, version, patch);
      const before = withoutSecret(current);
      const after: User = { ...before, ...patch, version: version + 1 };
      if (before.role === 'admin' && (after.role !== 'admin' || !after.active)) {
        const admins = (await tx.users.list()).filter((u) => u.role === 'admin' && u.active);
        if (admins.length === 0) throw new DomainError('LAST_ADMIN', '至少需要保留一名启用的管理员');
      }
      if (patch.role !== undefined || patch.active !== undefined) {
        const grants = grantMap(roles);
        const others = (await tx.users.list()).filter((u) => u.id !== id);
        const holders = (users: readonly User[]) => users.filter((u) => u.active && grants.get(u.role)?.has('role:manage')).length;
        if (holders([...others, before]) > 0 && holders([...others, after]) === 0) throw new DomainError('LAST_MATRIX_EDITOR', '至少需要保留一名启用的用户拥有“编辑权限矩阵”权限');
      }
      const now = this.clock.now();
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action: 'user.update', entityType: 'user', entityId: String(id), before: snapshot({ ...before, version: undefined }), after: snapshot({ ...after, version: undefined }) },
        now,
      );
      return after;
    });
  }

  async setPassword(actor: Actor, id: number, password: string, currentPassword?: string): Promise<void> {
    checkPasswordStrength(password);
    const passwordHash = await hashPassword(password);
    const target = await this.store.read((r) => r.users.findById(id));
    if (!target) throw new DomainError('USER_NOT_FOUND', '用户不存在');
    if (currentPassword !== undefined && !(await verifyPassword(currentPassword, target.passwordHash)))
      throw new DomainError('PASSWORD_WRONG', '当前密码不正确');
    await this.store.transaction(async (tx) => {
      const fresh = await tx.users.findById(id);
      if (!fresh) throw new DomainError('USER_NOT_FOUND', '用户不存在');
      await tx.users.update(id, fresh.version, { passwordHash });
      // The hash itself never enters the audit log.
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action: 'user.password', entityType: 'user', entityId: String(id), before: null, after: null },
        this.clock.now(),
      );
    });
  }
}
