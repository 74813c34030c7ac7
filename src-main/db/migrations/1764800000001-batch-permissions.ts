import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The permissions of issue 7 (批量付款): view batches and progress, create (import, submit, fix and
 * re-send failed items), execute (pause, resume, cancel, the rate limit). Frozen here as data, like
 * ReconPermissions1764700000001: later edits of DEFAULT_ROLE_PERMISSIONS need a migration of their
 * own, and the matrix an administrator edited is never overwritten.
 */
const GRANTS: Record<string, readonly string[]> = {
  admin: ['batch:view', 'batch:create', 'batch:execute'],
  accountant: ['batch:view', 'batch:create', 'batch:execute'],
  cashier: ['batch:view'],
  approver: ['batch:view'],
  auditor: ['batch:view'],
};

export class BatchPermissions1764800000001 implements MigrationInterface {
  name = 'BatchPermissions1764800000001';

  async up(q: QueryRunner): Promise<void> {
    for (const [role, permissions] of Object.entries(GRANTS))
      for (const permission of permissions) await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, [role, permission]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permissions WHERE permission IN ('batch:view', 'batch:create', 'batch:execute')`);
  }
}
