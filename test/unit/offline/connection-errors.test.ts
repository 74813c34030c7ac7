import { describe, expect, it } from 'vitest';
import { connectionErrorSummary, isConnectionError } from '../../../src-main/services/offline/connection-errors';

const err = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);

describe('telling a lost central store from a failed statement', () => {
  it('knows the network and server-gone errors mysql2 raises, wrapped or not', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN']) {
      expect(isConnectionError(err({ code })), code).toBe(true);
      // TypeORM's QueryFailedError keeps the driver's error.
      expect(isConnectionError(err({ driverError: err({ code }) })), `wrapped ${code}`).toBe(true);
    }
    expect(isConnectionError(err({ fatal: true }, "Can't add new command when connection is in closed state"))).toBe(true);
    expect(isConnectionError(new AggregateError([err({ code: 'ECONNREFUSED' }), err({ code: 'ECONNREFUSED' })], 'connect'))).toBe(true);
    expect(isConnectionError(new Error('outer', { cause: err({ code: 'EPIPE' }) }))).toBe(true);
    expect(connectionErrorSummary(err({ driverError: err({ code: 'PROTOCOL_CONNECTION_LOST' }) }))).toBe('PROTOCOL_CONNECTION_LOST');
  });

  it('does not take a wrong statement, a duplicate, a refused login or a domain error for a lost connection', () => {
    for (const code of ['ER_PARSE_ERROR', 'ER_DUP_ENTRY', 'ER_ACCESS_DENIED_ERROR', 'ER_LOCK_DEADLOCK', 'ER_BAD_DB_ERROR', 'CONCURRENT_UPDATE']) expect(isConnectionError(err({ code, fatal: code === 'ER_ACCESS_DENIED_ERROR' })), code).toBe(false);
    expect(isConnectionError(new Error('connect ECONNREFUSED in a message only'))).toBe(false);
    expect(isConnectionError(null)).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});
