import { App } from 'antd';
import { useCallback } from 'react';
import { useAuth } from './auth-context';
import { asApiError } from './errors';

/**
 * Shows a failed call to the user. A lapsed session (UNAUTHENTICATED) returns to the login page
 * instead of leaving a screen full of errors; a refusal (FORBIDDEN) reloads the permissions.
 */
export function useReportError(): (e: unknown) => void {
  const { message } = App.useApp();
  const { expire, refresh } = useAuth();
  return useCallback(
    (e: unknown) => {
      const err = asApiError(e);
      if (err.code === 'UNAUTHENTICATED') {
        expire();
        void message.warning('登录已失效，请重新登录');
        return;
      }
      // Refused: the 权限矩阵 may have changed since login; let the menus follow it.
      if (err.code === 'FORBIDDEN') void refresh();
      void message.error(err.message);
    },
    [message, expire, refresh],
  );
}
