import { z } from 'zod';
import { ALERT_KINDS } from '../core/alerts/alert-rules';
import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from '../core/notifications/notification-templates';
import { LOG_CATEGORIES, LOG_LEVELS } from '../services/logs/logger';
import { actorOf, channel } from './channel';
import { instant, text } from './schemas';

const logFilter = {
  from: instant.optional(),
  to: instant.optional(),
  levels: z.array(z.enum(LOG_LEVELS, '日志级别不正确')).max(LOG_LEVELS.length).optional(),
  categories: z.array(z.enum(LOG_CATEGORIES, '日志类别不正确')).max(LOG_CATEGORIES.length).optional(),
  orderNo: text(64).optional(),
  keyword: text(100).optional(),
};
const paging = { page: z.number().int().min(1).max(1_000_000).default(1), pageSize: z.number().int().min(1).max(200).default(20) };
const clean = <T extends { orderNo?: string; keyword?: string }>(f: T): T => ({ ...f, orderNo: f.orderNo || undefined, keyword: f.keyword || undefined });

/** 系统日志, 告警 and 通知记录 (design document 7.1, 7.2; issue 4 Logs, Health and metrics, notifications). */
export const opsChannels = {
  'logs.query': channel({
    access: 'logs:view',
    input: z.strictObject({ ...logFilter, ...paging }),
    handler: (ctx, { page, pageSize, ...f }) => ctx.app.logs.query(clean(f), page, pageSize),
  }),

  /** Entries per level under the other filters: the numbers on the level filter. */
  'logs.counts': channel({
    access: 'logs:view',
    input: z.strictObject(logFilter),
    handler: (ctx, f) => ctx.app.logs.counts(clean(f)),
  }),

  'alerts.list': channel({
    access: 'alerts:view',
    input: z.strictObject({ open: z.boolean().optional(), ...paging }),
    handler: async (ctx, { open, page, pageSize }) => ({ ...(await ctx.app.alerts.list(open, page, pageSize)), openCount: await ctx.app.alerts.openCount(), kinds: ALERT_KINDS }),
  }),

  'alerts.acknowledge': channel({
    access: 'alerts:manage',
    input: z.strictObject({ id: z.number().int().min(1), version: z.number().int().min(1) }),
    handler: (ctx, i) => ctx.app.alerts.acknowledge(actorOf(ctx), i.id, i.version),
  }),

  'notifications.list': channel({
    access: 'notifications:view',
    input: z.strictObject({
      status: z.enum(OUTBOX_STATUSES, '状态不正确').optional(),
      channel: z.enum(OUTBOX_CHANNELS, '发送渠道不正确').optional(),
      orderNo: text(64).optional(),
      ...paging,
    }),
    handler: async (ctx, { page, pageSize, ...f }) => ({ ...(await ctx.app.notifications.list({ ...f, orderNo: f.orderNo || undefined }, page, pageSize)), counts: await ctx.app.notifications.counts() }),
  }),
};
