import { useEffect } from 'react';

/**
 * Calls `reload` every `ms` while `active`: a running batch's numbers are read again from the server
 * (never counted up in the renderer), so what the screen shows is what the database holds — also
 * after the app was closed and opened again. Paused while the window is hidden.
 */
export function usePolling(active: boolean, reload: () => void, ms: number): void {
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => {
      if (document.visibilityState !== 'hidden') reload();
    }, ms);
    return () => clearInterval(t);
  }, [active, reload, ms]);
}

/** A table's spinner that stays away for answers quicker than a blink (the polls). */
export const quietLoading = (loading: boolean) => ({ spinning: loading, delay: 400 });
