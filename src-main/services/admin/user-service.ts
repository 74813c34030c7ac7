import { checkPasswordStrength } from '../../core/access/password-policy';
import type { Permission, Role } from '../../core/access/permissions';
import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import type { Clock } from '../../core/time';
import { withoutSecret, type User } from '../../db/repositories/user-repository';
import type { Store, Tx } from '../../db/store';
import { hashPassword, verifyPassword } from '../../security/password';
import type { Actor } from '../actor';

export interface NewUserInput {
  username: string;
  displayName: string;
  password: string;
  role: Role;
}

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

  async update(actor: Actor, id: number, version: number, patch: UserPatch): Promise<User> {
    return this.store.transaction(async (tx) => {
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
