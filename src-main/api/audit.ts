import { z } from 'zod';
import { channel } from './channel';
import { instant, text } from './schemas';

/** 审计日志 channels (design document 5.3.2). */
export const auditChannels = {
  'audit.list': channel({
    access: 'audit:view',
    input: z.strictObject({
      from: instant.optional(),
      to: instant.optional(),
      actorId: z.number().int().min(1).optional(),
      action: text(64).optional(),
      entityId: text(64).optional(),
      page: z.number().int().min(1).max(1_000_000).default(1),
      pageSize: z.number().int().min(1).max(200).default(20),
    }),
    handler: (ctx, { page, pageSize, ...f }) => ctx.app.audit.list({ ...f, action: f.action || undefined, entityId: f.entityId || undefined }, page, pageSize),
  }),

  'audit.actions': channel({
    access: 'audit:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.audit.actions(),
  }),

  'audit.verify': channel({
    access: 'audit:verify',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.audit.verify(),
  }),
};
