import { useCallback, useEffect, useState } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../src-main/api/contract';
import { call, type ApiCallError } from './api';
import { useAuth } from './auth-context';
import { asApiError } from './errors';

interface Loaded<T> {
  key: string;
  data: T | undefined;
  error: ApiCallError | null;
}

export interface ChannelQuery<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiCallError | null;
  reload: () => void;
}

/**
 * Reads a channel and re-reads it when the input changes (compared by value). `null` input
 * skips the call (e.g. a permission the user lacks). The previous data stays visible while the
 * next page loads, so tables do not flash empty between pages.
 */
export function useChannel<K extends ChannelName>(channel: K, input: ChannelInput<K> | null): ChannelQuery<ChannelOutput<K>> {
  const { expire, refresh } = useAuth();
  const inputKey = input === null ? null : JSON.stringify(input);
  const [tick, setTick] = useState(0);
  const requestKey = inputKey === null ? null : `${tick}|${inputKey}`;
  const [loaded, setLoaded] = useState<Loaded<ChannelOutput<K>> | null>(null);

  useEffect(() => {
    if (requestKey === null || inputKey === null) return;
    let live = true;
    call(channel, JSON.parse(inputKey) as ChannelInput<K>).then(
      (data) => {
        if (live) setLoaded({ key: requestKey, data, error: null });
      },
      (e: unknown) => {
        if (!live) return;
        const error = asApiError(e);
        if (error.code === 'UNAUTHENTICATED') expire();
        // The 权限矩阵 may have changed since login: let the navigation follow it.
        if (error.code === 'FORBIDDEN') void refresh();
        setLoaded((prev) => ({ key: requestKey, data: prev?.data, error }));
      },
    );
    return () => {
      live = false;
    };
  }, [channel, inputKey, requestKey, expire, refresh]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = loaded?.key === requestKey;
  return {
    data: loaded?.data,
    loading: requestKey !== null && !current,
    error: current && loaded ? loaded.error : null,
    reload,
  };
}
