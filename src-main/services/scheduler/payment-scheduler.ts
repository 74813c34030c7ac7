import type { PaymentService } from '../payments/payment-service';

/**
 * The headless server's periodic payment work (issue 4, scheduler): close orders past their limit
 * at the platform, and ask the platforms about unpaid orders whose notification is late. Each order
 * is claimed with a lease (OrderClaims), so several server instances can run this side by side.
 * Runs never overlap; a failed run is reported and the next one tries again.
 */
export interface SchedulerLog {
  (event: { op: string; level: 'info' | 'error'; [k: string]: unknown }): void;
}

export class PaymentScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly payments: PaymentService,
    private readonly intervalMs: number,
    private readonly log: SchedulerLog,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = (async () => {
      try {
        const closed = await this.payments.closeOverdue();
        const synced = await this.payments.syncUnpaid();
        if (closed.claimed.length || synced.length) this.log({ op: 'schedule', level: 'info', cancelled: closed.cancelled, paidOnClose: closed.paid, paidOnQuery: synced });
      } catch (e) {
        this.log({ op: 'schedule', level: 'error', message: (e as Error).message });
      }
    })();
    await this.running;
    this.running = null;
  }

  /** Stops taking new work, waits for the run in progress, gives back this instance's leases. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.payments.releaseAll();
  }
}
