import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ChannelInput } from '../../src-main/api/contract';
import { call, type ApiCallError } from './api';
import { asApiError } from './errors';
import type { Permission, SessionInfo } from './api-types';

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; error: ApiCallError }
  | { kind: 'ready'; needsSetup: boolean; session: SessionInfo | null };

export interface AuthValue {
  phase: Phase;
  session: SessionInfo | null;
  /** Whether the logged-in user holds a permission (navigation and buttons follow it; the backend decides). */
  can: (p: Permission) => boolean;
  setup: (input: ChannelInput<'auth.setup'>) => Promise<void>;
  login: (input: ChannelInput<'auth.login'>) => Promise<void>;
  logout: () => Promise<void>;
  /** The host no longer knows this session: show the login page again. */
  expire: () => void;
  /**
   * Reloads the user and permissions from the host (after a 权限矩阵 change, a refusal, or when the
   * window regains focus), so navigation and buttons follow the matrix without logging in again.
   */
  refresh: () => Promise<void>;
  retry: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

/**
 * Who is logged in. The session itself lives in the host (HttpOnly cookie or the Electron main
 * process); the renderer only ever holds the user and permission list `auth.status` reports.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    call('auth.status', {}).then(
      (s) => live && setPhase({ kind: 'ready', needsSetup: s.needsSetup, session: s.session }),
      (e: unknown) => live && setPhase({ kind: 'failed', error: asApiError(e) }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const setup = useCallback(async (input: ChannelInput<'auth.setup'>) => {
    const session = await call('auth.setup', input);
    setPhase({ kind: 'ready', needsSetup: false, session });
  }, []);

  const login = useCallback(async (input: ChannelInput<'auth.login'>) => {
    const session = await call('auth.login', input);
    setPhase({ kind: 'ready', needsSetup: false, session });
  }, []);

  const logout = useCallback(async () => {
    try {
      await call('auth.logout', {});
    } finally {
      setPhase({ kind: 'ready', needsSetup: false, session: null });
    }
  }, []);

  const expire = useCallback(() => setPhase((p) => (p.kind === 'ready' ? { ...p, session: null } : p)), []);

  const refresh = useCallback(async () => {
    try {
      const s = await call('auth.status', {});
      setPhase((p) => (p.kind === 'ready' && !sameSession(p.session, s.session) ? { ...p, needsSetup: s.needsSetup, session: s.session } : p));
    } catch {
      // Offline for a moment: keep what we have; the next call reports the problem.
    }
  }, []);

  const loggedIn = phase.kind === 'ready' && phase.session !== null;
  useEffect(() => {
    if (!loggedIn) return;
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [loggedIn, refresh]);
  const retry = useCallback(() => {
    setPhase({ kind: 'loading' });
    setAttempt((a) => a + 1);
  }, []);

  const value = useMemo<AuthValue>(() => {
    const session = phase.kind === 'ready' ? phase.session : null;
    const granted = new Set<Permission>(session?.permissions ?? []);
    return { phase, session, can: (p) => granted.has(p), setup, login, logout, expire, refresh, retry };
  }, [phase, setup, login, logout, expire, refresh, retry]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** Same user, same version and same permissions: nothing to re-render. */
function sameSession(a: SessionInfo | null, b: SessionInfo | null): boolean {
  if (a === null || b === null) return a === b;
  return a.user.id === b.user.id && a.user.version === b.user.version && a.permissions.length === b.permissions.length && a.permissions.every((p) => b.permissions.includes(p));
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The logged-in session; only for components rendered inside the authenticated shell. */
export function useSession(): SessionInfo {
  const { session } = useAuth();
  if (!session) throw new Error('useSession without a session');
  return session;
}
