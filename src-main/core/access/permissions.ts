/**
 * Who may do what (design document 5.3.1). Every contract channel names one permission; roles are
 * sets of permissions stored in the database (editable later), seeded from DEFAULT_ROLE_PERMISSIONS.
 */
export const PERMISSIONS = [
  'order:view',
  'order:create',
  'order:cancel',
  'transaction:view',
  'payment:collect',
  'payment:exceptions',
  'stats:view',
  'audit:view',
  'audit:verify',
  'user:view',
  'user:manage',
  'settings:view',
  'settings:manage',
  'channel:configure',
  'booking:manage',
  'mealbill:manage',
  'logs:view',
  'alerts:view',
  'alerts:manage',
  'notifications:view',
  // Money out (issue 5): refunds, the approval engine, supplier payments, the permission matrix, masking.
  'refund:view',
  'refund:request',
  'refund:execute',
  'approval:view',
  'approval:refund',
  'approval:supplier_payment',
  'approval:payout_batch',
  'approval:rules',
  'supplier:view',
  'supplier:manage',
  'supplier_payment:create',
  'supplier_payment:execute',
  'voucher:view',
  'sensitive:unmask',
  'role:manage',
  // Reconciliation (issue 6): runs and differences, running / importing a bill, resolving differences.
  'recon:view',
  'recon:run',
  'recon:resolve',
  // Batch payouts (issue 7): view batches and progress, create / submit / fix and re-send items, pause / resume / cancel.
  'batch:view',
  'batch:create',
  'batch:execute',
  // Salaries (issue 7): employees and monthly sheets, filling them, reviewing them (maker-checker).
  'salary:view',
  'salary:edit',
  'salary:review',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
  'order:view': '查看支付订单',
  'order:create': '创建支付订单',
  'order:cancel': '取消支付订单',
  'transaction:view': '查看交易记录',
  'payment:collect': '收款（发起支付、查询支付结果）',
  'payment:exceptions': '查看支付异常',
  'stats:view': '查看交易统计',
  'audit:view': '查看审计日志',
  'audit:verify': '校验审计日志',
  'user:view': '查看用户与角色',
  'user:manage': '管理用户与角色',
  'settings:view': '查看系统设置',
  'settings:manage': '修改系统设置',
  'channel:configure': '配置支付渠道（商户号与密钥）',
  'booking:manage': '客户预定（创建预定、收取定金）',
  'mealbill:manage': '餐费账单（记账、结算、发票申请）',
  'logs:view': '查看系统日志',
  'alerts:view': '查看告警',
  'alerts:manage': '确认（处理）告警',
  'notifications:view': '查看通知记录',
  'refund:view': '查看退款',
  'refund:request': '申请退款',
  'refund:execute': '执行退款（发送至支付平台、查询结果）',
  'approval:view': '查看审批中心',
  'approval:refund': '审批退款',
  'approval:supplier_payment': '审批供应商付款',
  'approval:payout_batch': '审批批量付款',
  'approval:rules': '配置审批规则',
  'supplier:view': '查看供应商与应付款',
  'supplier:manage': '管理供应商与应付款',
  'supplier_payment:create': '创建付款单',
  'supplier_payment:execute': '执行付款（转账）',
  'voucher:view': '查看、打印付款凭证',
  'sensitive:unmask': '查看完整敏感信息（银行账号、证件号、手机号），留审计记录',
  'role:manage': '编辑权限矩阵（角色 × 操作）',
  'recon:view': '查看对账结果与差异',
  'recon:run': '执行对账（导入账单、重新对账）',
  'recon:resolve': '处理对账差异（分派、备注、处理动作）',
  'batch:view': '查看批量付款任务与执行进度',
  'batch:create': '创建批量付款（导入、提交审批、修改失败项并重新发送）',
  'batch:execute': '执行批量付款（暂停、继续、取消、发送速率）',
  'salary:view': '查看员工、薪资表与工资条',
  'salary:edit': '维护员工、填写与导入薪资表、生成薪资批量付款',
  'salary:review': '审核薪资表（不能审核自己填写的薪资表）',
};

/**
 * The areas of the permission matrix (角色 × 操作), in the order of the navigation. Every permission
 * sits in exactly one area (a unit test proves it), so the server and the 权限矩阵 page group alike.
 * There is deliberately no "查看密钥" operation: merchant keys and API keys are sealed in the vault
 * and are never shown to anyone, whatever their role (design document 5.3.1, issue 5).
 */
export const PERMISSION_GROUPS = [
  { key: 'orders', label: '订单与收款', permissions: ['order:view', 'order:create', 'order:cancel', 'transaction:view', 'payment:collect', 'payment:exceptions', 'stats:view'] },
  { key: 'stays', label: '预定与餐费', permissions: ['booking:manage', 'mealbill:manage'] },
  { key: 'refunds', label: '退款', permissions: ['refund:view', 'refund:request', 'refund:execute'] },
  { key: 'approvals', label: '审批', permissions: ['approval:view', 'approval:refund', 'approval:supplier_payment', 'approval:payout_batch', 'approval:rules'] },
  { key: 'reconciliation', label: '对账', permissions: ['recon:view', 'recon:run', 'recon:resolve'] },
  { key: 'suppliers', label: '供应商付款', permissions: ['supplier:view', 'supplier:manage', 'supplier_payment:create', 'supplier_payment:execute', 'voucher:view'] },
  { key: 'batches', label: '批量付款', permissions: ['batch:view', 'batch:create', 'batch:execute'] },
  { key: 'salary', label: '薪资', permissions: ['salary:view', 'salary:edit', 'salary:review'] },
  { key: 'operations', label: '运行监控', permissions: ['logs:view', 'alerts:view', 'alerts:manage', 'notifications:view'] },
  { key: 'audit', label: '审计', permissions: ['audit:view', 'audit:verify'] },
  { key: 'admin', label: '系统管理', permissions: ['user:view', 'user:manage', 'role:manage', 'settings:view', 'settings:manage', 'channel:configure', 'sensitive:unmask'] },
] as const satisfies readonly { key: string; label: string; permissions: readonly Permission[] }[];
export type PermissionGroupKey = (typeof PERMISSION_GROUPS)[number]['key'];

/** Channels that need no permission: `public` before login, `session` for any logged-in user. */
export type Access = Permission | 'public' | 'session';

export const ROLES = ['admin', 'accountant', 'cashier', 'approver', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  accountant: '会计',
  cashier: '出纳',
  approver: '审批人',
  auditor: '审计',
};

export const DEFAULT_ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  accountant: [
    'order:view', 'order:create', 'order:cancel', 'transaction:view', 'payment:collect', 'payment:exceptions', 'stats:view', 'settings:view', 'booking:manage', 'mealbill:manage', 'alerts:view', 'alerts:manage', 'notifications:view',
    'refund:view', 'refund:request', 'refund:execute', 'approval:view', 'approval:refund', 'approval:supplier_payment', 'approval:payout_batch', 'supplier:view', 'supplier:manage', 'supplier_payment:create', 'supplier_payment:execute', 'voucher:view',
    'recon:view', 'recon:run', 'recon:resolve', 'salary:view', 'salary:edit', 'batch:view', 'batch:create', 'batch:execute',
  ],
  cashier: ['order:view', 'order:create', 'order:cancel', 'transaction:view', 'payment:collect', 'booking:manage', 'mealbill:manage', 'refund:view', 'refund:request', 'supplier:view', 'voucher:view', 'recon:view', 'batch:view'],
  approver: ['order:view', 'transaction:view', 'stats:view', 'refund:view', 'approval:view', 'approval:refund', 'approval:supplier_payment', 'approval:payout_batch', 'supplier:view', 'voucher:view', 'recon:view', 'salary:view', 'salary:review', 'batch:view'],
  auditor: ['order:view', 'transaction:view', 'payment:exceptions', 'stats:view', 'audit:view', 'audit:verify', 'user:view', 'settings:view', 'logs:view', 'alerts:view', 'notifications:view', 'refund:view', 'approval:view', 'supplier:view', 'voucher:view', 'recon:view', 'salary:view', 'batch:view'],
};

export function roleAllows(granted: ReadonlySet<Permission>, access: Access, loggedIn: boolean): boolean {
  if (access === 'public') return true;
  if (!loggedIn) return false;
  if (access === 'session') return true;
  return granted.has(access);
}
