import { z } from 'zod';
import { channelAddKeySchema, channelKeyRefSchema, channelUpdateSchema } from '../services/admin/channel-config-schemas';
import { actorOf, channel, type HandlerContext } from './channel';

/** A saved change takes effect at once: the adapters are rebuilt from the configurations. */
async function reloaded<T>(ctx: HandlerContext, change: Promise<T>): Promise<T> {
  const result = await change;
  await ctx.app.reloadGateways();
  return result;
}

/**
 * 支付渠道配置: administrators only (`channel:configure`). Secrets go in (sealed by the vault before
 * they are stored) and never come back out: every answer is the masked view, with fingerprints.
 */
export const channelsChannels = {
  'channels.get': channel({
    access: 'channel:configure',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.channelConfigs.overview(),
  }),

  'channels.update': channel({
    access: 'channel:configure',
    input: channelUpdateSchema,
    handler: (ctx, i) => reloaded(ctx, ctx.app.channelConfigs.update(actorOf(ctx), i)),
  }),

  'channels.addKey': channel({
    access: 'channel:configure',
    input: channelAddKeySchema,
    handler: (ctx, i) => reloaded(ctx, ctx.app.channelConfigs.addKey(actorOf(ctx), i)),
  }),

  'channels.retireKey': channel({
    access: 'channel:configure',
    input: channelKeyRefSchema,
    handler: (ctx, i) => reloaded(ctx, ctx.app.channelConfigs.retireKey(actorOf(ctx), i)),
  }),

  'channels.removeKey': channel({
    access: 'channel:configure',
    input: channelKeyRefSchema,
    handler: (ctx, i) => reloaded(ctx, ctx.app.channelConfigs.removeKey(actorOf(ctx), i)),
  }),
};
