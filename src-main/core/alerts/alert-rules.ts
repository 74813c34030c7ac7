import { MINUTE_MS } from '../time';

/**
 * Alert rules (design document 7.1.1 异常预警, 7.2.2 日志告警; issue 4 Health and metrics): rates
 * over the log events of one window. A rate rule fires when, within the window, at least
 * `minSamples` events of its denominator happened and numerator / denominator ≥ `threshold`. The
 * minimum keeps one rejected notification at 3 a.m. from waking anyone.
 */
export const ALERT_KINDS = ['notify_rejection_rate', 'gateway_error_rate'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_KIND_LABELS: Record<AlertKind, string> = { notify_rejection_rate: '回调通知拒绝率过高', gateway_error_rate: '支付接口错误率过高' };
export type AlertLevel = 'warn' | 'error';
export const ALERT_LEVEL_LABELS: Record<AlertLevel, string> = { warn: '警告', error: '严重' };

export interface RateThreshold {
  /** Fraction 0–1; reached or passed fires. */
  threshold: number;
  minSamples: number;
  /** At or above this rate the alert is 严重 instead of 警告. */
  severeAt: number;
}

export interface AlertConfig {
  windowMs: number;
  notifyRejection: RateThreshold;
  gatewayError: RateThreshold;
}

export const DEFAULT_ALERT_CONFIG: AlertConfig = {
  windowMs: 5 * MINUTE_MS,
  // Platforms retry; a few rejections are normal (stale retries, probes). A fifth is a key or clock problem.
  notifyRejection: { threshold: 0.2, minSamples: 10, severeAt: 0.5 },
  gatewayError: { threshold: 0.3, minSamples: 5, severeAt: 0.8 },
};

/** The log event codes each rule counts (written by PaymentMetrics' event log). */
// notify.batch: one line per batch of applied notifications, counted as the notifications it settled.
export const NOTIFY_OUTCOME_EVENTS = ['notify.batch', 'notify.applied', 'notify.duplicate', 'notify.exception', 'notify.ignored', 'notify.deferred', 'notify.rejected', 'notify.error'] as const;
export const GATEWAY_EVENTS = ['gateway.ok', 'gateway.error'] as const;
export const COUNTED_EVENTS: readonly string[] = [...NOTIFY_OUTCOME_EVENTS, ...GATEWAY_EVENTS];

export interface Breach {
  kind: AlertKind;
  level: AlertLevel;
  rate: number;
  numerator: number;
  denominator: number;
  message: string;
}

const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
const minutes = (ms: number) => `${Math.round(ms / MINUTE_MS)} 分钟`;

function rate(kind: AlertKind, numerator: number, denominator: number, t: RateThreshold, describe: (r: string) => string): Breach | null {
  if (denominator < t.minSamples || denominator === 0) return null;
  const r = numerator / denominator;
  if (r < t.threshold) return null;
  return { kind, level: r >= t.severeAt ? 'error' : 'warn', rate: r, numerator, denominator, message: describe(pct(r)) };
}

/** The rules that fire for the event counts of one window. */
export function evaluateAlertRules(counts: Readonly<Record<string, number>>, cfg: AlertConfig = DEFAULT_ALERT_CONFIG): Breach[] {
  const n = (e: string) => counts[e] ?? 0;
  const notifyTotal = NOTIFY_OUTCOME_EVENTS.reduce((s, e) => s + n(e), 0);
  const rejected = n('notify.rejected');
  const gwErrors = n('gateway.error');
  const gwTotal = gwErrors + n('gateway.ok');
  const w = minutes(cfg.windowMs);
  return [
    rate('notify_rejection_rate', rejected, notifyTotal, cfg.notifyRejection, (r) => `近 ${w}内收到支付平台回调 ${notifyTotal} 次，验签/解密失败被拒绝 ${rejected} 次（${r}），请检查平台证书、APIv3 密钥和服务器时间`),
    rate('gateway_error_rate', gwErrors, gwTotal, cfg.gatewayError, (r) => `近 ${w}内调用支付平台接口 ${gwTotal} 次，失败 ${gwErrors} 次（${r}），请检查网络和支付平台状态`),
  ].filter((b): b is Breach => b !== null);
}
