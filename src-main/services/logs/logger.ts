import type { Clock } from '../../core/time';
import { redact, redactText, type Redacted } from '../../security/log-redaction';
import type { RotatingFile } from './rotating-file';

/**
 * Structured logs (design document 7.2, issue 4 Logs): one JSON line per event with a level, a
 * category (operation, payment, error, …), a stable event code for counting and alerting, the order
 * number when there is one, and free fields. Every entry is redacted (security/log-redaction) before
 * any sink sees it; sinks are the rotating file, the console (the server's stdout) and the
 * `system_logs` table behind the 系统日志 page.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_CATEGORIES = ['operation', 'payment', 'notification', 'alert', 'system', 'error'] as const;
export type LogCategory = (typeof LOG_CATEGORIES)[number];

export const LOG_LEVEL_LABELS: Record<LogLevel, string> = { debug: '调试', info: '信息', warn: '警告', error: '错误' };
export const LOG_CATEGORY_LABELS: Record<LogCategory, string> = {
  operation: '操作日志',
  payment: '支付日志',
  notification: '消息通知',
  alert: '告警',
  system: '系统',
  error: '错误日志',
};

export interface LogInput {
  level: LogLevel;
  category: LogCategory;
  /** Stable code (`notify.rejected`, `gateway.error`…): what alerts count. */
  event: string;
  message: string;
  orderNo?: string | null;
  fields?: Record<string, unknown>;
}

export interface LogEntry {
  at: number;
  level: LogLevel;
  category: LogCategory;
  event: string;
  message: string;
  orderNo: string | null;
  fields: Record<string, Redacted>;
}

export interface LogSink {
  /** Entries below this level are not given to the sink. */
  minLevel?: LogLevel;
  write(entry: LogEntry): void;
  flush?(): Promise<void>;
  close?(): Promise<void> | void;
}

const rank = (l: LogLevel) => LOG_LEVELS.indexOf(l);

/** The line format of the file and the console: `{at, level, category, event, message, orderNo?, fields}`. */
export function logLine(e: LogEntry): string {
  return JSON.stringify({ at: new Date(e.at).toISOString(), level: e.level, category: e.category, event: e.event, message: e.message, ...(e.orderNo ? { orderNo: e.orderNo } : {}), fields: e.fields });
}

export class Logger {
  private readonly sinks: LogSink[] = [];

  constructor(
    private readonly clock: Clock,
    sinks: LogSink[] = [],
  ) {
    this.sinks.push(...sinks);
  }

  addSink(sink: LogSink): void {
    this.sinks.push(sink);
  }

  log(input: LogInput): void {
    // Nothing to redact and format for an entry no sink takes (e.g. the debug line of every callback).
    if (!this.sinks.some((s) => !s.minLevel || rank(input.level) >= rank(s.minLevel))) return;
    const fields = redact(input.fields ?? {});
    const entry: LogEntry = {
      at: this.clock.now(),
      level: input.level,
      category: input.category,
      event: redactText(input.event, 64),
      message: redactText(input.message, 1000),
      orderNo: input.orderNo ? redactText(input.orderNo, 64) : null,
      fields: fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? fields : { value: fields },
    };
    for (const s of this.sinks) {
      if (s.minLevel && rank(entry.level) < rank(s.minLevel)) continue;
      try {
        s.write(entry);
      } catch (e) {
        // A full disk must not take a payment down with it; the other sinks still get the line.
        process.stderr.write(`[logger] sink failed: ${redactText(String(e))}\n`);
      }
    }
  }

  info(category: LogCategory, event: string, message: string, extra: Pick<LogInput, 'orderNo' | 'fields'> = {}): void {
    this.log({ level: 'info', category, event, message, ...extra });
  }
  warn(category: LogCategory, event: string, message: string, extra: Pick<LogInput, 'orderNo' | 'fields'> = {}): void {
    this.log({ level: 'warn', category, event, message, ...extra });
  }
  error(category: LogCategory, event: string, message: string, extra: Pick<LogInput, 'orderNo' | 'fields'> = {}): void {
    this.log({ level: 'error', category, event, message, ...extra });
  }

  async flush(): Promise<void> {
    for (const s of this.sinks) await s.flush?.();
  }

  async close(): Promise<void> {
    for (const s of this.sinks) await s.close?.();
  }
}

export function fileSink(file: RotatingFile, minLevel: LogLevel = 'debug'): LogSink {
  return { minLevel, write: (e) => file.writeLine(logLine(e)), close: () => file.close() };
}

export function streamSink(out: { write(s: string): unknown }, minLevel: LogLevel = 'info'): LogSink {
  return { minLevel, write: (e) => void out.write(`${logLine(e)}\n`) };
}

/** Collects entries in memory (tests). */
export function memorySink(): LogSink & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return { entries, write: (e) => void entries.push(e) };
}

/** The old `log(event)` callbacks of the hosts and the scheduler (`{op, level, message, …}`) as log entries. */
export function opEventLogger(logger: Logger, category: LogCategory = 'system'): (e: Record<string, unknown>) => void {
  return (e) => {
    const { op, level, message, orderNo, ...fields } = e;
    const lv: LogLevel = typeof level === 'string' && (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'info';
    const code = typeof op === 'string' ? op : 'event';
    logger.log({ level: lv, category: lv === 'error' ? 'error' : category, event: code, message: typeof message === 'string' ? message : code, orderNo: typeof orderNo === 'string' ? orderNo : null, fields });
  };
}
