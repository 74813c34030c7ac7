import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The permissions of issue 6 (对账): view runs and differences, run / import a bill, resolve
 * differences. Frozen here as data, like MoneyOutPermissions1764600000000: later edits of
 * DEFAULT_ROLE_PERMISSIONS need a migration of their own, and the matrix an administrator edited is
 * never overwritten.
 */
const GRANTS: Record<string, readonly string[]> = {
  admin: ['recon:view', 'recon:run', 'recon:resolve'],
  accountant: ['recon:view', 'recon:run', 'recon:resolve'],
  cashier: ['recon:view'],
  approver: ['recon:view'],
  auditor: ['recon:view'],
};

export class ReconPermissions1764700000001 implements MigrationInterface {
  name = 'ReconPermissions1764700000001';

  async up(q: QueryRunner): Promise<void> {
    for (const [role, permissions] of Object.entries(GRANTS))
      for (const permission of permissions) await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, [role, permission]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permissions WHERE permission IN ('recon:view', 'recon:run', 'recon:resolve')`);
  }
}
