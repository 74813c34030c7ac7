import type { ChannelInput, ChannelName, ChannelOutput, PayApi, Result } from '../../src-main/api/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser served by the web host. */
    pay?: PayApi;
  }
}

/** The web host's transport: the same channels over loopback HTTP, session in an HttpOnly cookie. */
const httpApi: PayApi = {
  async call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<Result<ChannelOutput<K>>> {
    try {
      const res = await fetch(`/api/${channel}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-pay-request': '1' },
        body: JSON.stringify(input ?? {}),
      });
      if (!res.ok) return { ok: false, error: { code: `HTTP_${res.status}`, message: `服务返回错误（${res.status}）` } };
      return (await res.json()) as Result<ChannelOutput<K>>;
    } catch {
      return { ok: false, error: { code: 'NETWORK', message: '无法连接到支付中心服务，请检查网络或稍后重试' } };
    }
  },
};

export const api: PayApi = window.pay ?? httpApi;

/** Thrown by `call` so that pages can use try/catch and show `message` as it is. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls a channel and returns its data, or throws ApiCallError with the Chinese message. */
export async function call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  const r = await api.call(channel, input);
  if (!r.ok) throw new ApiCallError(r.error.code, r.error.message);
  return r.data;
}
