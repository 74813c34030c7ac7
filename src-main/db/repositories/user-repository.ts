import type { EntityManager } from 'typeorm';
import { PERMISSIONS, type Permission, type Role } from '../../core/access/permissions';
import { RoleEntity, RolePermissionEntity, UserEntity, type UserRow } from '../entities/user-entity';
import { ConcurrentUpdateError } from './concurrency';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: number;
  version: number;
}

export interface RoleGrants {
  code: Role;
  name: string;
  version: number;
  permissions: Permission[];
}

export interface UserWithSecret extends User {
  passwordHash: string;
}

function fromRow(r: UserRow): UserWithSecret {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    active: Boolean(r.active),
    createdAt: r.created_at,
    version: r.version,
    passwordHash: r.password_hash,
  };
}

export function withoutSecret(u: UserWithSecret): User {
  const { passwordHash: _omit, ...rest } = u;
  return rest;
}

export class UserRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows = false,
  ) {}

  async count(): Promise<number> {
    return this.em.count(UserEntity);
  }

  async insert(u: { username: string; displayName: string; passwordHash: string; role: Role; createdAt: number }): Promise<number> {
    const res = await this.em
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({
        username: u.username,
        display_name: u.displayName,
        password_hash: u.passwordHash,
        role: u.role,
        active: true,
        created_at: u.createdAt,
        version: 1,
        updated_seq: this.nextSeq(),
      })
      .execute();
    return Number(res.identifiers[0]?.id ?? res.raw?.insertId);
  }

  async findByUsername(username: string): Promise<UserWithSecret | null> {
    const row = await this.em.findOne(UserEntity, { where: { username } });
    return row ? fromRow(row) : null;
  }

  async findById(id: number): Promise<UserWithSecret | null> {
    const row = await this.em.findOne(UserEntity, { where: { id } });
    return row ? fromRow(row) : null;
  }

  async list(): Promise<User[]> {
    const rows = await this.em.find(UserEntity, { order: { id: 'ASC' } });
    return rows.map((r) => withoutSecret(fromRow(r)));
  }

  async update(id: number, version: number, patch: Partial<{ displayName: string; role: Role; active: boolean; passwordHash: string }>): Promise<void> {
    const set: Partial<UserRow> = { version: version + 1, updated_seq: this.nextSeq() };
    if (patch.displayName !== undefined) set.display_name = patch.displayName;
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.active !== undefined) set.active = patch.active;
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    const res = await this.em.createQueryBuilder().update(UserEntity).set(set).where('id = :id AND version = :version', { id, version }).execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }

  async permissionsOf(role: string): Promise<Permission[]> {
    const rows = await this.em.find(RolePermissionEntity, { where: { role } });
    return rows.map((r) => r.permission as Permission);
  }

  /**
   * The roles with their grants. `forUpdate` locks every role row (MySQL): matrix edits and user
   * role/deactivation changes take it first, so two of them cannot together leave nobody holding
   * `role:manage`.
   */
  async roles(opts: { forUpdate?: boolean } = {}): Promise<RoleGrants[]> {
    const qb = this.em.createQueryBuilder(RoleEntity, 'r').orderBy('r.code', 'ASC');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const roles = await qb.getMany();
    const grants = await this.em.find(RolePermissionEntity);
    return roles.map((r) => ({
      code: r.code as Role,
      name: r.name,
      version: r.version,
      // In the order of PERMISSIONS (the matrix's order), whatever order the database returns.
      permissions: PERMISSIONS.filter((p) => grants.some((g) => g.role === r.code && g.permission === p)),
    }));
  }

  /** Replaces a role's grants; `version` is the role version the editor saw. */
  async setPermissions(role: Role, version: number, permissions: readonly Permission[]): Promise<void> {
    const res = await this.em
      .createQueryBuilder()
      .update(RoleEntity)
      .set({ version: version + 1, updated_seq: this.nextSeq() })
      .where('code = :role AND version = :version', { role, version })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
    await this.em.createQueryBuilder().delete().from(RolePermissionEntity).where('role = :role', { role }).execute();
    if (permissions.length > 0)
      await this.em
        .createQueryBuilder()
        .insert()
        .into(RolePermissionEntity)
        .values(permissions.map((permission) => ({ role, permission })))
        .execute();
  }
}
