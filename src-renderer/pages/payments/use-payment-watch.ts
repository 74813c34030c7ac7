import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { call, type ApiCallError } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { asApiError } from '../../app/errors';

export type PaymentSync = ChannelOutput<'payments.sync'>;

/** Errors that asking again cannot cure: stop polling and show them. */
const FINAL_ERRORS = new Set(['ORDER_NOT_FOUND', 'FORBIDDEN', 'INVALID_INPUT', 'UNAUTHENTICATED']);

interface Watched {
  orderNo: string;
  data: PaymentSync | undefined;
  error: ApiCallError | null;
}

export interface PaymentWatch {
  /** The order as the last sync saw it (undefined until the first answer). */
  data: PaymentSync | undefined;
  /** The last sync's failure; transient ones are retried on the next beat. */
  error: ApiCallError | null;
}

/**
 * Watches one order at the 收款台: `payments.sync` asks the platform now (active query), so the page
 * turns to 已支付 even if the platform's notification is late or lost. The next request is scheduled
 * only after the previous one answered, so a slow platform never piles requests up. Polling stops
 * once the order has left 待支付 (nothing a payer does can change it any more) or when the page closes.
 */
export function usePaymentWatch(orderNo: string, intervalMs = 2000): PaymentWatch {
  const { expire } = useAuth();
  const [watched, setWatched] = useState<Watched | null>(null);

  useEffect(() => {
    if (!orderNo) return;
    let live = true;
    let timer: number | undefined;
    const beat = async () => {
      try {
        const data = await call('payments.sync', { orderNo });
        if (!live) return;
        setWatched({ orderNo, data, error: null });
        if (data.order.status !== 'pending') return;
      } catch (e) {
        if (!live) return;
        const error = asApiError(e);
        setWatched((prev) => ({ orderNo, data: prev?.orderNo === orderNo ? prev.data : undefined, error }));
        if (error.code === 'UNAUTHENTICATED') expire();
        if (FINAL_ERRORS.has(error.code)) return;
      }
      timer = window.setTimeout(() => void beat(), intervalMs);
    };
    void beat();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [orderNo, intervalMs, expire]);

  const current = watched?.orderNo === orderNo ? watched : null;
  return { data: current?.data, error: current?.error ?? null };
}
