import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/time';

/** Logged-in users by opaque token. Sessions live in the host's memory: a restart logs everyone out. */
export interface Session {
  token: string;
  userId: number;
  expiresAt: number;
}

export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly clock: Clock) {}

  open(userId: number): Session {
    const s = { token: randomBytes(24).toString('base64url'), userId, expiresAt: this.clock.now() + SESSION_IDLE_MS };
    this.sessions.set(s.token, s);
    return s;
  }

  /** Looks a token up and slides its expiry; an expired token is forgotten. */
  touch(token: string | undefined): Session | null {
    if (!token) return null;
    const s = this.sessions.get(token);
    if (!s) return null;
    const now = this.clock.now();
    if (s.expiresAt <= now) {
      this.sessions.delete(token);
      return null;
    }
    s.expiresAt = now + SESSION_IDLE_MS;
    return s;
  }

  close(token: string): void {
    this.sessions.delete(token);
  }

  closeForUser(userId: number): void {
    for (const [t, s] of this.sessions) if (s.userId === userId) this.sessions.delete(t);
  }
}
