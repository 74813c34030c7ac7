import type { EntityManager } from 'typeorm';
import type { Permission, Role } from '../../core/access/permissions';
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

  async roles(): Promise<{ code: Role; name: string; permissions: Permission[] }[]> {
    const [roles, grants] = await Promise.all([this.em.find(RoleEntity, { order: { code: 'ASC' } }), this.em.find(RolePermissionEntity)]);
    return roles.map((r) => ({
      code: r.code as Role,
      name: r.name,
      permissions: grants.filter((g) => g.role === r.code).map((g) => g.permission as Permission),
    }));
  }
}
