import type { LogInput } from '../logs/logger';

/** Where the payment path's events also go as structured logs (category payment / error). */
export type PaymentEventLog = (e: LogInput) => void;

/**
 * Counters of the payment path (issue 4, health and metrics): notifications received, rejected,
 * applied; query results; gateway errors; apply latency. Kept in memory per process and exposed by
 * the server's /healthz. Each event is also written to the structured log with a stable event code
 * (`notify.<outcome>`, `gateway.ok|error`, `payment.exception`): the alert rules count those in
 * `system_logs`, which every server instance shares, where these counters are per process.
 */
export class PaymentMetrics {
  readonly counters = new Map<string, number>();
  private readonly latencies: number[] = [];

  constructor(private readonly log: PaymentEventLog = () => undefined) {}

  private bump(key: string): void {
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  received(platform: string): void {
    this.bump(`notify.received.${platform}`);
  }
  rejected(platform: string, reason = ''): void {
    this.bump(`notify.rejected.${platform}`);
    this.log({ level: 'warn', category: 'payment', event: 'notify.rejected', message: `拒绝了 ${platform} 的支付通知：${reason || '验证失败'}`, fields: { platform, reason } });
  }
  applied(platform: string, outcome: string, ms: number, orderNo?: string): void {
    this.bump(`notify.${outcome}.${platform}`);
    this.latencies.push(ms);
    if (this.latencies.length > 1000) this.latencies.shift();
    this.log({ level: 'info', category: 'payment', event: `notify.${outcome}`, message: `${platform} 支付通知：${outcome}`, orderNo, fields: { platform, outcome, ms: Math.round(ms) } });
  }
  exception(platform: string, kind: string, orderNo?: string): void {
    this.bump(`payment.exception.${kind}.${platform}`);
    this.log({ level: 'warn', category: 'payment', event: 'payment.exception', message: `支付异常（${kind}），待退款或核实`, orderNo, fields: { platform, kind } });
  }
  queried(platform: string, state: string, orderNo?: string): void {
    this.bump(`query.${state}.${platform}`);
    this.log({ level: 'info', category: 'payment', event: 'gateway.ok', message: `主动查询 ${platform}：${state}`, orderNo, fields: { platform, op: 'query', state } });
  }
  /** A successful call to a platform (the denominator of the gateway error rate). */
  gatewayOk(platform: string, op: string, orderNo?: string): void {
    this.bump(`gateway.ok.${platform}`);
    this.log({ level: 'info', category: 'payment', event: 'gateway.ok', message: `调用 ${platform} 接口成功（${op}）`, orderNo, fields: { platform, op } });
  }
  gatewayError(platform: string, detail?: { op: string; error: unknown; orderNo?: string }): void {
    this.bump(`gateway.error.${platform}`);
    const message = detail?.error instanceof Error ? detail.error.message : String(detail?.error ?? '');
    this.log({ level: 'error', category: 'error', event: 'gateway.error', message: `调用 ${platform} 接口失败（${detail?.op ?? '未知操作'}）：${message}`, orderNo: detail?.orderNo, fields: { platform, op: detail?.op, error: detail?.error } });
  }
  /** A verified notification that could not be applied (the platform will deliver it again). */
  applyFailed(platform: string, error: unknown): void {
    this.bump(`notify.error.${platform}`);
    this.log({ level: 'error', category: 'error', event: 'notify.error', message: `${platform} 支付通知处理失败：${error instanceof Error ? error.message : String(error)}`, fields: { platform, error } });
  }

  /** A batch of notifications could not be applied together; each is being applied on its own instead. */
  batchFallback(size: number, error: unknown): void {
    this.bump('notify.batch_fallback');
    this.log({ level: 'warn', category: 'payment', event: 'notify.batch_fallback', message: `${size} 条支付通知未能合并处理，逐条处理：${error instanceof Error ? error.message : String(error)}`, fields: { size, error } });
  }

  snapshot(): { counters: Record<string, number>; notifyLatencyMs: { p50: number | null; p99: number | null } } {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null);
    return { counters: Object.fromEntries(this.counters), notifyLatencyMs: { p50: q(0.5), p99: q(0.99) } };
  }
}
