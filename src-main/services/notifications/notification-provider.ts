import type { Clock } from '../../core/time';
import type { OutboxChannel } from '../../db/repositories/outbox-repository';

export interface OutgoingMessage {
  id: number;
  channel: OutboxChannel;
  recipient: string;
  templateCode: string;
  params: Readonly<Record<string, string>>;
}

/** A refused send. `permanent` (a malformed number, an unsubscribed user) is not retried. */
export class NotificationSendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/**
 * Where messages leave the system: an SMS gateway, the WeChat template-message API, an SMTP relay.
 * Real providers are configuration for later; until then the SimulatedProvider stands in. A
 * provider answers with its own message id, or throws (NotificationSendError for a known refusal).
 */
export interface NotificationProvider {
  readonly name: string;
  send(m: OutgoingMessage): Promise<{ providerRef: string }>;
}

/**
 * Records every send in memory instead of delivering it (sandbox, standalone, tests); the outbox row
 * itself shows the result in 通知记录. `fail` injects refusals: return a message to refuse the send.
 */
export class SimulatedProvider implements NotificationProvider {
  readonly name = 'simulated';
  readonly sent: (OutgoingMessage & { at: number })[] = [];
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly fail?: (m: OutgoingMessage) => { message: string; permanent?: boolean } | null,
  ) {}

  async send(m: OutgoingMessage): Promise<{ providerRef: string }> {
    const refusal = this.fail?.(m);
    if (refusal) throw new NotificationSendError(refusal.message, refusal.permanent ?? false);
    this.sent.push({ ...m, params: { ...m.params }, at: this.clock.now() });
    return { providerRef: `SIM${String(++this.seq).padStart(8, '0')}` };
  }
}
