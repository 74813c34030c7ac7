import { EntitySchema } from 'typeorm';
import { instantColumn, rowVersionColumns } from '../columns';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  active: boolean;
  created_at: number;
  version: number;
  updated_seq: number;
}

export const UserEntity = new EntitySchema<UserRow>({
  name: 'UserRow',
  tableName: 'users',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    username: { type: 'varchar', length: 64 },
    display_name: { type: 'varchar', length: 64 },
    password_hash: { type: 'varchar', length: 255 },
    role: { type: 'varchar', length: 32 },
    active: { type: 'boolean', default: true },
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});

export interface RoleRow {
  code: string;
  name: string;
  version: number;
  updated_seq: number;
}

export const RoleEntity = new EntitySchema<RoleRow>({
  name: 'RoleRow',
  tableName: 'roles',
  columns: {
    code: { type: 'varchar', length: 32, primary: true },
    name: { type: 'varchar', length: 64 },
    ...rowVersionColumns,
  },
});

export interface RolePermissionRow {
  role: string;
  permission: string;
}

export const RolePermissionEntity = new EntitySchema<RolePermissionRow>({
  name: 'RolePermissionRow',
  tableName: 'role_permissions',
  columns: {
    role: { type: 'varchar', length: 32, primary: true },
    permission: { type: 'varchar', length: 64, primary: true },
  },
});
