/**
 * Runs the automatic cancellation of overdue orders (design document 4.1.3) every `intervalMs`:
 * `task` closes them (at the platform first, see PaymentService.closeOverdue) and returns the order
 * numbers cancelled. A run never overlaps the previous one; errors are reported and the next tick
 * tries again.
 */
export class ExpiryScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly task: () => Promise<string[]>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async tick(): Promise<string[]> {
    if (this.running) return [];
    let cancelled: string[] = [];
    this.running = (async () => {
      try {
        cancelled = await this.task();
      } catch (e) {
        this.onError(e);
      }
    })();
    await this.running;
    this.running = null;
    return cancelled;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
