/**
 * "The central store cannot be reached" as opposed to "the statement was wrong". Only the first
 * sends the desktop to its offline cache; anything else is an error to show.
 *
 * What mysql2 (through TypeORM) throws when the network or the server goes away:
 * - connecting: ECONNREFUSED (nothing listening), ETIMEDOUT (connectTimeout: a dropped route),
 *   EHOSTUNREACH / ENETUNREACH / ENETDOWN / EHOSTDOWN, ENOTFOUND / EAI_AGAIN (no DNS off the network);
 *   with several addresses Node throws an AggregateError carrying the codes of each attempt;
 * - on an open connection: PROTOCOL_CONNECTION_LOST (the server closed it), ECONNRESET, EPIPE,
 *   ECONNABORTED, and "Can't add new command when connection is in closed state" for a statement on
 *   a connection that died before it (fatal, without a code);
 * - from the server itself while it goes down or is full: ER_SERVER_SHUTDOWN, ER_CON_COUNT_ERROR.
 * TypeORM wraps query errors in QueryFailedError with the driver's error as `driverError`.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);
const CLOSED_STATE = /closed state|Connection lost|connect ETIMEDOUT/i;

export function isConnectionError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  const err = e as { code?: unknown; fatal?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof err.code === 'string' && CONNECTION_CODES.has(err.code)) return true;
  if (err.fatal === true && typeof err.message === 'string' && CLOSED_STATE.test(err.message)) return true;
  if (Array.isArray(err.errors) && err.errors.length > 0 && err.errors.every((x) => isConnectionError(x, depth + 1))) return true;
  return isConnectionError(err.driverError, depth + 1) || isConnectionError(err.cause, depth + 1);
}

/** A short description for the indicator's tooltip (never the server's address or credentials). */
export function connectionErrorSummary(e: unknown): string {
  const err = e as { code?: unknown; driverError?: { code?: unknown }; errors?: { code?: unknown }[] };
  const code = err?.code ?? err?.driverError?.code ?? err?.errors?.[0]?.code;
  return typeof code === 'string' ? code : 'CONNECTION_LOST';
}
