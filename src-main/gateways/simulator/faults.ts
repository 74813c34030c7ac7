/**
 * Faults a test (or a person exploring the sandbox) can inject into the simulated platforms. Each is
 * consumed once, in order, by the next matching operation, so a test states exactly what goes wrong.
 *  - timeout_after_effect: the platform acts, then the response never arrives (outcome unknown);
 *  - timeout_before_effect: the request is lost before the platform acts;
 *  - server_error: HTTP 500 without acting;
 *  - bad_response_signature: the response is signed with a key the merchant does not trust;
 *  - notify_bad_signature / notify_amount_mismatch: the next notification is forged or wrong;
 *  - notify_duplicate: the next notification is delivered twice;
 *  - notify_delay_ms: the next notification waits that long first (reordering);
 *  - pay_after_close: the next close succeeds, then the payer's money still arrives (late payment);
 *  - transfer_fail: the next new transfer fails at the platform with `code` (WeChat: the bill ends FAIL
 *    with that fail_reason; Alipay: the business error `code`; bank: the receiving bank's fail_code).
 */
export type FaultKind =
  | 'timeout_after_effect'
  | 'timeout_before_effect'
  | 'server_error'
  | 'bad_response_signature'
  | 'notify_bad_signature'
  | 'notify_amount_mismatch'
  | 'notify_duplicate'
  | 'notify_delay_ms'
  | 'pay_after_close'
  | 'transfer_fail';

export interface Fault {
  kind: FaultKind;
  /** Operation it applies to (e.g. 'create', 'query', 'close', 'refund', 'transfer', 'bill'); any when absent. */
  operation?: string;
  /** For notify_delay_ms. */
  ms?: number;
  /** For transfer_fail: the platform's failure code (e.g. NAME_NOT_CORRECT, PAYEE_USER_INFO_ERROR, ACCOUNT_INVALID). */
  code?: string;
}

export class FaultPlan {
  private readonly queue: Fault[] = [];

  inject(...faults: Fault[]): void {
    this.queue.push(...faults);
  }

  /** Takes the first pending fault of one of `kinds` that applies to `operation`. */
  take(operation: string, ...kinds: FaultKind[]): Fault | undefined {
    const i = this.queue.findIndex((f) => kinds.includes(f.kind) && (!f.operation || f.operation === operation));
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  clear(): void {
    this.queue.length = 0;
  }

  get pending(): readonly Fault[] {
    return this.queue;
  }
}
