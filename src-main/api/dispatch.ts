import { z } from 'zod';
import type { App } from '../app';
import { PERMISSION_LABELS, roleAllows, type Permission } from '../core/access/permissions';
import { isDomainError } from '../core/errors';
import type { User } from '../db/repositories/user-repository';
import type { SessionStore } from '../security/sessions';
import { isConnectionError } from '../services/offline/connection-errors';
import type { ChannelSpec, HandlerContext } from './channel';
import { contract } from './contract';
import type { Result } from './result';
import { describeZodError } from './schemas';

/** How a host carries the caller's session token: in memory per window (Electron) or in a cookie (web). */
export interface SessionCarrier {
  token(): string | undefined;
  set(token: string | null): void;
}

export type Dispatch = (channel: string, input: unknown, carrier: SessionCarrier) => Promise<Result<unknown>>;

const fail = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });

/**
 * The single entry point of both hosts: unknown channel → refused; session and permission checked
 * before the input is even parsed; input validated by the channel's zod schema; domain errors
 * returned as data; anything unexpected logged and reported without internals.
 */
export function makeDispatcher(app: App, sessions: SessionStore, log: (e: unknown, channel: string) => void = console.error): Dispatch {
  const specs = contract as Record<string, ChannelSpec<z.ZodType, unknown>>;
  return async (channel, input, carrier) => {
    const spec = Object.hasOwn(specs, channel) ? specs[channel] : undefined;
    if (!spec) return fail('UNKNOWN_CHANNEL', '未知的操作');
    try {
      const session = sessions.touch(carrier.token());
      let user: User | null = null;
      let permissions = new Set<Permission>();
      if (session) {
        user = await app.users.byId(session.userId);
        if (!user?.active) {
          sessions.close(session.token);
          carrier.set(null);
          user = null;
        } else permissions = new Set(await app.users.permissionsOf(user.role));
      }
      if (!roleAllows(permissions, spec.access, user !== null)) {
        if (!user) return fail('UNAUTHENTICATED', '请先登录');
        const label = PERMISSION_LABELS[spec.access as Permission] ?? spec.access;
        await app.store.transaction((tx) =>
          tx.audit.append({ actorId: user.id, actorName: user.displayName, action: 'access.denied', entityType: 'channel', entityId: channel, before: null, after: null }, app.clock.now()),
        );
        return fail('FORBIDDEN', `没有权限：${label}。请联系管理员开通。`);
      }
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) return fail('INVALID_INPUT', describeZodError(parsed.error));
      const ctx: HandlerContext = {
        app,
        user,
        permissions,
        session: {
          open: (userId) => {
            const old = carrier.token();
            if (old) sessions.close(old);
            carrier.set(sessions.open(userId).token);
          },
          close: () => {
            const t = carrier.token();
            if (t) sessions.close(t);
            carrier.set(null);
          },
        },
      };
      return { ok: true, data: await spec.handler(ctx, parsed.data) };
    } catch (e) {
      if (isDomainError(e)) return fail(e.code, e.message);
      if (e instanceof z.ZodError) return fail('INVALID_INPUT', describeZodError(e));
      log(e, channel);
      // The central database went away: say so, instead of a generic failure (nothing was changed).
      if (isConnectionError(e)) return fail('DB_UNAVAILABLE', '无法连接中央数据库，请检查网络后重试（对账差异的备注与处理可离线进行）');
      return fail('INTERNAL', '系统错误，请稍后重试或联系管理员');
    }
  };
}
