/**
 * Counters of the payment path (issue 4, health and metrics): notifications received, rejected,
 * applied; query results; gateway errors; apply latency. Kept in memory per process and exposed by
 * the server's /healthz; alerting reads the rates.
 */
export class PaymentMetrics {
  readonly counters = new Map<string, number>();
  private readonly latencies: number[] = [];

  private bump(key: string): void {
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  received(platform: string): void {
    this.bump(`notify.received.${platform}`);
  }
  rejected(platform: string): void {
    this.bump(`notify.rejected.${platform}`);
  }
  applied(platform: string, outcome: string, ms: number): void {
    this.bump(`notify.${outcome}.${platform}`);
    this.latencies.push(ms);
    if (this.latencies.length > 1000) this.latencies.shift();
  }
  exception(platform: string, kind: string): void {
    this.bump(`payment.exception.${kind}.${platform}`);
  }
  queried(platform: string, state: string): void {
    this.bump(`query.${state}.${platform}`);
  }
  gatewayError(platform: string): void {
    this.bump(`gateway.error.${platform}`);
  }

  snapshot(): { counters: Record<string, number>; notifyLatencyMs: { p50: number | null; p99: number | null } } {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null);
    return { counters: Object.fromEntries(this.counters), notifyLatencyMs: { p50: q(0.5), p99: q(0.99) } };
  }
}
