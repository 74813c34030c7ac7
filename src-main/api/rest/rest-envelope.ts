import { fenToYuanString, type Fen } from '../../core/money';

/**
 * The REST API's envelope and edge formats (design document section 6): `{ code, message, data }`,
 * `code` mirroring the HTTP status, amounts as yuan numbers, times ISO-8601 in +08:00.
 */
export interface RestReply {
  status: number;
  body: { code: number; message: string; data?: unknown };
}

export const ok = (status: number, message: string, data?: unknown): RestReply => ({ status, body: data === undefined ? { code: status, message } : { code: status, message, data } });
export const fail = (status: number, message: string): RestReply => ({ status, body: { code: status, message } });

/** 12345 fen → 123.45 (a JSON number, as the design document's examples show). */
export const yuanNumber = (fen: Fen): number => Number(fenToYuanString(fen));

/** Domain error codes that mean "not found" or "conflicts with the current state". */
export function statusForDomainCode(code: string): number {
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.startsWith('AMOUNT_') || code === 'INVALID_INPUT' || code === 'SCENE_MISMATCH' || code === 'OPENID_REQUIRED' || code === 'CARD_REQUIRED') return 400;
  if (code === 'GATEWAY_UNAVAILABLE') return 503;
  if (code === 'GATEWAY_REJECTED' || code === 'CHANNEL_NOT_CONFIGURED') return 502;
  return 409;
}
