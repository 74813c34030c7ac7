/**
 * Sends a platform's asynchronous notifications the way the platform does: a first attempt, then
 * retries on its published schedule until the merchant acknowledges, with the schedule scaled by
 * `timeScale` so tests take milliseconds. Every attempt is logged for tests and the sandbox UI.
 *   WeChat Pay v3: 15s 15s 30s 3m 10m 20m 30m 30m 30m 60m 3h 3h 3h 6h 6h (PROTOCOLS.md)
 *   Alipay:        4m 10m 10m 1h 2h 6h 15h
 */
export const WECHAT_RETRY_SCHEDULE_MS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map((s) => s * 1000);
export const ALIPAY_RETRY_SCHEDULE_MS = [240, 600, 600, 3600, 7200, 21600, 54000].map((s) => s * 1000);

export interface OutgoingNotification {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface DeliveryAttempt {
  platform: string;
  key: string;
  attempt: number;
  at: number;
  status: number | null;
  acknowledged: boolean;
  error?: string;
}

export interface NotifyJob {
  platform: string;
  /** Identifies the notification across its retries (for the log). */
  key: string;
  /** Builds the request; called per attempt so timestamps and signatures are fresh. */
  build: () => OutgoingNotification;
  /** The platform's idea of an acknowledgement (WeChat: 2xx; Alipay: body `success`; bank: code 200). */
  isAck: (status: number, body: string) => boolean;
  schedule: readonly number[];
  /** Extra delay before the first attempt (reordering fault). */
  initialDelayMs?: number;
}

export class Notifier {
  readonly log: DeliveryAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private stopped = false;

  constructor(
    private readonly timeScale: number,
    private readonly now: () => number = Date.now,
  ) {}

  send(job: NotifyJob): void {
    this.later(job.initialDelayMs ?? 0, () => this.attempt(job, 1));
  }

  private later(ms: number, fn: () => Promise<void>): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void fn();
    }, Math.max(0, Math.round(ms * this.timeScale)));
    this.timers.add(t);
  }

  private async attempt(job: NotifyJob, n: number): Promise<void> {
    if (this.stopped) return;
    this.inFlight++;
    const req = job.build();
    const entry: DeliveryAttempt = { platform: job.platform, key: job.key, attempt: n, at: this.now(), status: null, acknowledged: false };
    try {
      const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(5000) });
      entry.status = res.status;
      entry.acknowledged = job.isAck(res.status, await res.text());
    } catch (e) {
      entry.error = (e as Error).message;
    } finally {
      this.inFlight--;
    }
    this.log.push(entry);
    const wait = job.schedule[n - 1];
    if (!entry.acknowledged && wait !== undefined) this.later(wait, () => this.attempt(job, n + 1));
  }

  /** Resolves when nothing is scheduled or in flight (tests wait for the platform to go quiet). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.timers.size > 0 || this.inFlight > 0) {
      if (Date.now() > deadline) throw new Error('notifier did not go idle');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
