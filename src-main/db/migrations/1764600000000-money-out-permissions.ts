import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The permissions of issue 5 (refunds, approvals, supplier payments, the permission matrix, masking),
 * granted to the seeded roles. Frozen here as data: later edits of DEFAULT_ROLE_PERMISSIONS must come
 * with a migration of their own, and an administrator's edits of the matrix must not be overwritten.
 */
const GRANTS: Record<string, readonly string[]> = {
  admin: [
    'refund:view', 'refund:request', 'refund:execute', 'approval:view', 'approval:refund', 'approval:supplier_payment', 'approval:payout_batch', 'approval:rules',
    'supplier:view', 'supplier:manage', 'supplier_payment:create', 'supplier_payment:execute', 'voucher:view', 'sensitive:unmask', 'role:manage',
  ],
  accountant: [
    'refund:view', 'refund:request', 'refund:execute', 'approval:view', 'approval:refund', 'approval:supplier_payment', 'approval:payout_batch',
    'supplier:view', 'supplier:manage', 'supplier_payment:create', 'supplier_payment:execute', 'voucher:view',
  ],
  cashier: ['refund:view', 'refund:request', 'supplier:view', 'voucher:view'],
  approver: ['refund:view', 'approval:view', 'approval:refund', 'approval:supplier_payment', 'approval:payout_batch', 'supplier:view', 'voucher:view'],
  auditor: ['refund:view', 'approval:view', 'supplier:view', 'voucher:view'],
};

export class MoneyOutPermissions1764600000000 implements MigrationInterface {
  name = 'MoneyOutPermissions1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [role, permissions] of Object.entries(GRANTS))
      for (const permission of permissions) await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, [role, permission]);
  }

  async down(q: QueryRunner): Promise<void> {
    const all = [...new Set(Object.values(GRANTS).flat())];
    await q.query(`DELETE FROM role_permissions WHERE permission IN (${all.map(() => '?').join(', ')})`, all);
  }
}
