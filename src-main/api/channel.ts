import type { z } from 'zod';
import type { App } from '../app';
import type { Access, Permission } from '../core/access/permissions';
import type { User } from '../db/repositories/user-repository';
import type { Actor } from '../services/actor';

/** What a handler knows about the call: the app, and who is calling (null before login). */
export interface HandlerContext {
  app: App;
  user: User | null;
  permissions: ReadonlySet<Permission>;
  /** Binds or unbinds the caller's session (login/logout); the host decides how it is carried. */
  session: { open(userId: number): void; close(): void };
}

export interface ChannelSpec<I extends z.ZodType, O> {
  input: I;
  access: Access;
  handler: (ctx: HandlerContext, input: z.output<I>) => Promise<O>;
}

/** Declares a channel; the handler's return type becomes the channel's output type on both sides. */
export const channel = <I extends z.ZodType, O>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> => spec;

/** The logged-in caller as an audit actor. Channels with access other than `public` always have one. */
export function actorOf(ctx: HandlerContext): Actor {
  if (!ctx.user) throw new Error('channel requires a session');
  return { id: ctx.user.id, name: ctx.user.displayName };
}
