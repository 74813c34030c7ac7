import { z } from 'zod';
import { APPROVAL_STATUSES } from '../core/approvals/approval-flow';
import { APPROVAL_BUSINESS_TYPES } from '../core/approvals/approval-rules';
import { MAX_FEN } from '../core/money';
import type { ApprovalUser } from '../services/approvals/approval-service';
import { actorOf, channel, type HandlerContext } from './channel';
import { instant, requiredText, text, yuanAmount } from './schemas';

const id = z.number('请指定审批申请').int().min(1, '审批申请不存在');
const level = z.number('请刷新后重试').int().min(1).max(20);
const businessType = z.enum(APPROVAL_BUSINESS_TYPES, '业务类型必须是 退款/供应商付款/批量付款 之一');
const fenBound = z.number().int('金额界限必须是整数分').min(0, '金额界限不能为负数').max(MAX_FEN, '金额界限过大');
const paging = { page: z.number().int().min(1).max(1_000_000).default(1), pageSize: z.number().int().min(1).max(200).default(20) };

/** The caller as the engine sees them: one role per user today. */
function approverOf(ctx: HandlerContext): ApprovalUser {
  const actor = actorOf(ctx);
  return { id: ctx.user!.id, name: actor.name, roles: [ctx.user!.role] };
}

/**
 * 审批中心 (issue 5). The channels need approval:view; deciding needs, in the service, the
 * per-type permission (approval:refund …) and the current level's role as well, and editing
 * the rules needs approval:rules.
 */
export const approvalsChannels = {
  'approvals.list': channel({
    access: 'approval:view',
    input: z.strictObject({
      scope: z.enum(['todo', 'mine', 'all'], '范围不正确').default('todo'),
      businessType: businessType.optional(),
      status: z.enum(APPROVAL_STATUSES, '状态不正确').optional(),
      minAmount: yuanAmount.optional(),
      maxAmount: yuanAmount.optional(),
      createdFrom: instant.optional(),
      createdTo: instant.optional(),
      keyword: text(64).optional(),
      ...paging,
    }),
    handler: (ctx, { page, pageSize, minAmount, maxAmount, ...f }) =>
      ctx.app.approvals.list(approverOf(ctx), { ...f, minFen: minAmount, maxFen: maxAmount, keyword: f.keyword || undefined }, page, pageSize),
  }),

  /** The number in the navigation: requests waiting for the caller's decision. */
  'approvals.pendingCount': channel({
    access: 'approval:view',
    input: z.strictObject({}),
    handler: async (ctx) => ({ count: await ctx.app.approvals.pendingForMe(approverOf(ctx)) }),
  }),

  'approvals.get': channel({
    access: 'approval:view',
    input: z.strictObject({ id }),
    handler: (ctx, i) => ctx.app.approvals.get(approverOf(ctx), i.id),
  }),

  'approvals.decide': channel({
    access: 'approval:view',
    input: z.strictObject({ id, level, decision: z.enum(['approve', 'reject'], '请选择同意或驳回'), reason: text(500).optional() }),
    handler: (ctx, i) => ctx.app.approvals.decide(approverOf(ctx), i.id, { decision: i.decision, level: i.level, reason: i.reason ?? null }),
  }),

  'approvals.bulkApprove': channel({
    access: 'approval:view',
    input: z.strictObject({ items: z.array(z.strictObject({ id, level }), '请选择要审批的申请').min(1, '请选择要审批的申请').max(200, '一次最多批量审批 200 笔') }),
    handler: (ctx, i) => ctx.app.approvals.bulkApprove(approverOf(ctx), i.items),
  }),

  'approvals.comment': channel({
    access: 'approval:view',
    input: z.strictObject({ id, text: requiredText(500) }),
    handler: (ctx, i) => ctx.app.approvals.comment(approverOf(ctx), i.id, i.text),
  }),

  'approvals.withdraw': channel({
    access: 'approval:view',
    input: z.strictObject({ id, reason: text(500).optional() }),
    handler: (ctx, i) => ctx.app.approvals.withdraw(actorOf(ctx), i.id, i.reason ?? null),
  }),

  'approvals.rules': channel({
    access: 'approval:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.approvals.rules(),
  }),

  'approvals.updateRules': channel({
    access: 'approval:rules',
    input: z.strictObject({
      revision: z.number().int().min(0),
      rules: z
        .array(
          z.strictObject({
            businessType,
            overFen: fenBound,
            upToFen: fenBound.nullable(),
            levels: z.array(z.string().trim().min(1, '请选择审批角色').max(32), '请设置审批级别').min(1, '至少需要一级审批').max(10, '最多 10 级审批'),
            bulkApprovable: z.boolean().default(false),
          }),
        )
        .min(1, '至少需要一条审批规则')
        .max(100, '审批规则过多'),
    }),
    handler: (ctx, i) => ctx.app.approvals.updateRules(actorOf(ctx), i.revision, i.rules),
  }),
};
