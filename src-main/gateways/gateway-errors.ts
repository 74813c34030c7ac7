/**
 * What a gateway call can end in besides success. The distinction that matters for money:
 * `GatewayRejected` is a definite answer (nothing happened, or the platform refused: safe to show
 * and, where retryable, to resend), while `GatewayOutcomeUnknown` (timeout, connection reset, 5xx)
 * means the platform may or may not have acted: query before any resend, never resend blindly.
 */
export class GatewayRejected extends Error {
  constructor(
    readonly platform: string,
    /** The platform's own code, e.g. ORDERPAID, ACQ.TRADE_HAS_SUCCESS, INVALID_REQUEST. */
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'GatewayRejected';
  }
}

export class GatewayOutcomeUnknown extends Error {
  constructor(
    readonly platform: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'GatewayOutcomeUnknown';
  }
}

/** A response or notification whose signature, timestamp, ids or amount do not check out. */
export class NotificationRejected extends Error {
  constructor(
    readonly platform: string,
    readonly reason: 'bad_signature' | 'stale_timestamp' | 'unknown_key' | 'wrong_merchant' | 'malformed' | 'decrypt_failed',
    message: string,
  ) {
    super(message);
    this.name = 'NotificationRejected';
  }
}

/** A response from the platform that fails verification: treated as unknown outcome by callers. */
export class ResponseUnverified extends GatewayOutcomeUnknown {}
