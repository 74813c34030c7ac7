import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The permissions of 薪资 (issue 7): view the sheets and employees, fill them (会计), review them
 * (审批人; maker-checker is enforced by the service: whoever filled a sheet cannot review it).
 * Frozen here as data, like ReconPermissions1764700000001: the matrix an administrator edited is
 * never overwritten, later changes of DEFAULT_ROLE_PERMISSIONS need a migration of their own.
 */
const GRANTS: Record<string, readonly string[]> = {
  admin: ['salary:view', 'salary:edit', 'salary:review'],
  accountant: ['salary:view', 'salary:edit'],
  approver: ['salary:view', 'salary:review'],
  auditor: ['salary:view'],
};

export class SalaryPermissions1764810000001 implements MigrationInterface {
  name = 'SalaryPermissions1764810000001';

  async up(q: QueryRunner): Promise<void> {
    for (const [role, permissions] of Object.entries(GRANTS))
      for (const permission of permissions) await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, [role, permission]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permissions WHERE permission IN ('salary:view', 'salary:edit', 'salary:review')`);
  }
}
