import type { App } from '../../src-main/app';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../../src-main/api/contract';
import { makeDispatcher, type SessionCarrier } from '../../src-main/api/dispatch';
import type { Role } from '../../src-main/core/access/permissions';
import { SessionStore } from '../../src-main/security/sessions';

export const ADMIN_PASSWORD = 'Admin#Pass2026';

/** A caller of the contract holding its own session, exactly as a renderer behind a host does. */
export class Caller {
  private token: string | undefined;
  readonly carrier: SessionCarrier = { token: () => this.token, set: (t) => (this.token = t ?? undefined) };
  constructor(private readonly dispatch: ReturnType<typeof makeDispatcher>) {}

  call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<Result<ChannelOutput<K>>> {
    return this.dispatch(channel, input, this.carrier) as Promise<Result<ChannelOutput<K>>>;
  }

  /** Calls a channel and fails the test with the server's message if it is refused. */
  async ok<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
    const r = await this.call(channel, input);
    if (!r.ok) throw new Error(`${channel} refused: ${r.error.code} ${r.error.message}`);
    return r.data;
  }

  raw(channel: string, input: unknown): Promise<Result<unknown>> {
    return this.dispatch(channel, input, this.carrier);
  }
}

/** Sets the app up (first administrator) and hands out logged-in callers per role. */
export async function callers(app: App) {
  const dispatch = makeDispatcher(app, new SessionStore(app.clock), () => undefined);
  const anonymous = new Caller(dispatch);
  const admin = new Caller(dispatch);
  await admin.ok('auth.setup', { username: 'admin', displayName: '系统管理员', password: ADMIN_PASSWORD });
  const as = async (role: Role, username: string = role): Promise<Caller> => {
    await admin.ok('users.create', { username, displayName: `${role} 用户`, password: ADMIN_PASSWORD, role });
    const c = new Caller(dispatch);
    await c.ok('auth.login', { username, password: ADMIN_PASSWORD });
    return c;
  };
  return { dispatch, anonymous, admin, as, fresh: () => new Caller(dispatch) };
}
