import type { LogInput } from '../logs/logger';

const LATENCY_KEPT = 1000;
const OUTCOME_LABELS: Record<string, string> = { applied: '入账', duplicate: '重复', exception: '异常', ignored: '无需处理', deferred: '暂缓', error: '失败' };

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
  /** The last LATENCY_KEPT apply latencies, a ring. */
  private readonly latencies = new Float64Array(LATENCY_KEPT);
  private latencyCount = 0;

  constructor(private readonly log: PaymentEventLog = () => undefined) {}

  private bump(key: string, by = 1): void {
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  received(platform: string): void {
    this.bump(`notify.received.${platform}`);
  }
  rejected(platform: string, reason = ''): void {
    this.bump(`notify.rejected.${platform}`);
    this.log({ level: 'warn', category: 'payment', event: 'notify.rejected', message: `拒绝了 ${platform} 的支付通知：${reason || '验证失败'}`, fields: { platform, reason } });
  }
  /** One notification's outcome, counted with its latency; the log line is written per batch (batchApplied). */
  applied(platform: string, outcome: string, ms: number): void {
    this.bump(`notify.${outcome}.${platform}`);
    this.latencies[this.latencyCount++ % LATENCY_KEPT] = ms;
  }
  /**
   * One log line for a batch of notifications applied together (group commit): how many of each
   * outcome (`count`: how many it settled, what the alert rules count; failures are counted by their
   * own notify.error lines), how long it took and in how many attempts. Which notification paid
   * which order is recorded in the inbox (notification_inbox: ref_no, status, applied_at).
   */
  batchApplied(platforms: readonly string[], outcomes: readonly string[], ms: number, attempts: number): void {
    this.bump('notify.batches');
    const by: Record<string, number> = {};
    for (const o of outcomes) by[o] = (by[o] ?? 0) + 1;
    const platform = [...new Set(platforms)].join(',');
    const summary = Object.entries(by)
      .map(([o, n]) => `${OUTCOME_LABELS[o] ?? o} ${n}`)
      .join('，');
    this.log({ level: 'info', category: 'payment', event: 'notify.batch', message: `${platform} 支付通知 ${outcomes.length} 条：${summary}`, fields: { platform, count: outcomes.length - (by.error ?? 0), ...by, ms: Math.round(ms), attempts } });
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

  /** A batch collided with another one (a deadlock, the same notification in both) and is tried once more. */
  batchRetry(error: unknown): void {
    this.bump('notify.batch_retry');
    this.log({ level: 'info', category: 'payment', event: 'notify.batch_retry', message: `一批支付通知与其他处理冲突，重试：${error instanceof Error ? error.message : String(error)}`, fields: {} });
  }

  /** A batch of notifications could not be applied together; each is being applied on its own instead. */
  batchFallback(size: number, error: unknown): void {
    this.bump('notify.batch_fallback');
    this.log({ level: 'warn', category: 'payment', event: 'notify.batch_fallback', message: `${size} 条支付通知未能合并处理，逐条处理：${error instanceof Error ? error.message : String(error)}`, fields: { size, error } });
  }

  snapshot(): { counters: Record<string, number>; notifyLatencyMs: { p50: number | null; p99: number | null } } {
    const sorted = Array.from(this.latencies.subarray(0, Math.min(this.latencyCount, LATENCY_KEPT))).sort((a, b) => a - b);
    const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null);
    return { counters: Object.fromEntries(this.counters), notifyLatencyMs: { p50: q(0.5), p99: q(0.99) } };
  }
}
