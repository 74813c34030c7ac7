import { z } from 'zod';
import { SUPPLIER_VOCABULARY } from '../core/suppliers/supplier-payment';
import { BATCH_VOCABULARY } from '../core/batches/batch-vocabulary';
import { SALARY_VOCABULARY } from '../core/salary/salary-vocabulary';
import { SENSITIVE_ENTITY_TYPES, SENSITIVE_FIELD_LABELS } from '../core/access/masking';
import { PERMISSION_GROUPS, PERMISSION_LABELS, PERMISSIONS, ROLE_LABELS, ROLES, type Permission } from '../core/access/permissions';
import { CHANNEL_FIELD_LABELS } from '../core/channels/channel-field-labels';
import { RECON_VOCABULARY } from '../core/reconciliation/recon-vocabulary';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, AUDIT_FIELD_LABELS } from '../core/audit/audit-vocabulary';
import { DomainError } from '../core/errors';
import { ORDER_STATUS_LABELS, ORDER_TYPE_LABELS, PAYMENT_METHOD_LABELS, CANCEL_REASON_LABELS } from '../core/orders/order-types';
import { STAY_VOCABULARY } from '../core/stay-vocabulary';
import { REFUND_VOCABULARY } from '../core/refunds/refund';
import { TRANSACTION_STATUS_LABELS, TRANSACTION_TYPE_LABELS } from '../core/transactions/transaction-types';
import type { User } from '../db/repositories/user-repository';
import { actorOf, channel, type HandlerContext } from './channel';
import { requiredText } from './schemas';

const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3–32 位字母、数字、下划线、点或横线');
const password = z.string().min(1, '不能为空').max(128, '不能超过 128 个字符');
const role = z.enum(ROLES, '角色不正确');

export interface SessionInfo {
  user: User;
  permissions: Permission[];
}

const sessionInfo = (ctx: HandlerContext, user: User, permissions: Iterable<Permission>): SessionInfo => ({ user, permissions: [...permissions] });

/** Log-in, first-run set-up and 用户与角色 (design document 5.3.1). */
export const adminChannels = {
  'auth.status': channel({
    access: 'public',
    input: z.strictObject({}),
    handler: async (ctx) => ({
      needsSetup: await ctx.app.users.needsSetup(),
      session: ctx.user ? sessionInfo(ctx, ctx.user, ctx.permissions) : null,
    }),
  }),

  'auth.setup': channel({
    access: 'public',
    input: z.strictObject({ username, displayName: requiredText(64), password }),
    handler: async (ctx, i) => {
      const user = await ctx.app.users.setupAdministrator(i);
      ctx.session.open(user.id);
      return sessionInfo(ctx, user, await ctx.app.users.permissionsOf(user.role));
    },
  }),

  'auth.login': channel({
    access: 'public',
    input: z.strictObject({ username, password }),
    handler: async (ctx, i) => {
      const throttle = ctx.app.loginThrottle;
      const wait = throttle.lockedFor(i.username);
      if (wait > 0) throw new DomainError('LOGIN_LOCKED', `密码错误次数过多，请 ${Math.ceil(wait / 60_000)} 分钟后再试`);
      let user: User;
      try {
        user = await ctx.app.users.authenticate(i.username, i.password);
      } catch (e) {
        throttle.failed(i.username);
        throw e;
      }
      throttle.succeeded(i.username);
      ctx.session.open(user.id);
      return sessionInfo(ctx, user, await ctx.app.users.permissionsOf(user.role));
    },
  }),

  'auth.logout': channel({
    access: 'session',
    input: z.strictObject({}),
    handler: async (ctx) => {
      ctx.session.close();
      return null;
    },
  }),

  'auth.changePassword': channel({
    access: 'session',
    input: z.strictObject({ currentPassword: password, password }),
    handler: async (ctx, i) => {
      const me = actorOf(ctx);
      await ctx.app.users.setPassword(me, me.id as number, i.password, i.currentPassword);
      return null;
    },
  }),

  'users.list': channel({
    access: 'user:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.users.list(),
  }),

  'users.create': channel({
    access: 'user:manage',
    input: z.strictObject({ username, displayName: requiredText(64), password, role }),
    handler: (ctx, i) => ctx.app.users.create(actorOf(ctx), i),
  }),

  'users.update': channel({
    access: 'user:manage',
    input: z.strictObject({
      id: z.number().int().min(1),
      version: z.number().int().min(1),
      displayName: requiredText(64).optional(),
      role: role.optional(),
      active: z.boolean().optional(),
    }),
    handler: (ctx, { id, version, ...patch }) => ctx.app.users.update(actorOf(ctx), id, version, patch),
  }),

  'users.resetPassword': channel({
    access: 'user:manage',
    input: z.strictObject({ id: z.number().int().min(1), password }),
    handler: async (ctx, i) => {
      await ctx.app.users.setPassword(actorOf(ctx), i.id, i.password);
      return null;
    },
  }),

  'roles.list': channel({
    access: 'user:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.users.roles(),
  }),

  /** 权限矩阵: saves one or several roles' columns at once (each with the version the editor saw). */
  'roles.updatePermissions': channel({
    access: 'role:manage',
    input: z.strictObject({
      roles: z
        .array(
          z.strictObject({
            code: role,
            version: z.number('版本号不正确').int().min(1),
            permissions: z.array(z.enum(PERMISSIONS, '权限不正确')).max(PERMISSIONS.length),
          }),
        )
        .min(1, '请至少修改一个角色')
        .max(ROLES.length),
    }),
    handler: (ctx, i) => ctx.app.users.updatePermissions(actorOf(ctx), i.roles),
  }),

  /** The full value of one masked field (phone, ID number, bank account); audited, never logged. */
  'sensitive.reveal': channel({
    access: 'sensitive:unmask',
    input: z.strictObject({
      entityType: z.enum(SENSITIVE_ENTITY_TYPES, '记录类型不正确'),
      entityId: requiredText(64),
      field: z.string().trim().min(1, '字段不能为空').max(64, '字段不正确'),
    }),
    handler: async (ctx, i) => ({ value: await ctx.app.sensitive.reveal(actorOf(ctx), i) }),
  }),

  /** The words of the domain, so the renderer shows exactly the labels the core defines. */
  'meta.vocabulary': channel({
    access: 'public',
    input: z.strictObject({}),
    handler: async () => ({
      paymentMethods: PAYMENT_METHOD_LABELS,
      orderTypes: ORDER_TYPE_LABELS,
      orderStatuses: ORDER_STATUS_LABELS,
      cancelReasons: CANCEL_REASON_LABELS,
      transactionStatuses: TRANSACTION_STATUS_LABELS,
      transactionTypes: TRANSACTION_TYPE_LABELS,
      roles: ROLE_LABELS,
      permissions: Object.fromEntries(PERMISSIONS.map((p) => [p, PERMISSION_LABELS[p]])) as Record<Permission, string>,
      permissionGroups: PERMISSION_GROUPS,
      sensitiveFields: SENSITIVE_FIELD_LABELS,
      auditActions: AUDIT_ACTION_LABELS,
      auditEntities: AUDIT_ENTITY_LABELS,
      auditFields: AUDIT_FIELD_LABELS,
      channelFields: CHANNEL_FIELD_LABELS,
      ...RECON_VOCABULARY,
      ...STAY_VOCABULARY,
      ...REFUND_VOCABULARY,
      ...SUPPLIER_VOCABULARY,
      ...BATCH_VOCABULARY,
      ...SALARY_VOCABULARY,
    }),
  }),
};
