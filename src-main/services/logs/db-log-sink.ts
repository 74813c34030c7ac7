import type { Store } from '../../db/store';
import type { NewLogRow } from '../../db/repositories/log-repository';
import type { LogEntry, LogLevel, LogSink } from './logger';

/**
 * Indexes log entries into `system_logs` for the 系统日志 page. Entries are buffered and written as
 * one multi-row insert per second (or per `batch` entries): the notification path must not pay a
 * transaction per log line (the ingest benchmark runs thousands a second). If the database is away
 * the buffer is kept, up to `maxBuffered`, and the oldest entries are dropped beyond that — the
 * rotating file still has every line.
 */
export class DbLogSink implements LogSink {
  readonly minLevel: LogLevel;
  private buffer: NewLogRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private dropped = 0;
  private readonly batch: number;
  private readonly maxBuffered: number;

  constructor(
    private readonly store: Store,
    opts: { minLevel?: LogLevel; intervalMs?: number; batch?: number; maxBuffered?: number } = {},
  ) {
    this.minLevel = opts.minLevel ?? 'info';
    this.batch = opts.batch ?? 500;
    this.maxBuffered = opts.maxBuffered ?? 20_000;
    const interval = opts.intervalMs ?? 1000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.flush(), interval);
      this.timer.unref();
    }
  }

  write(e: LogEntry): void {
    this.buffer.push({ at: e.at, level: e.level, category: e.category, event: e.event, orderNo: e.orderNo, message: e.message, fieldsJson: JSON.stringify(e.fields) });
    if (this.buffer.length > this.maxBuffered) {
      this.dropped += this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, this.buffer.length - this.maxBuffered);
    }
    if (this.buffer.length >= this.batch) void this.flush();
  }

  /** Writes everything buffered so far; concurrent calls share one write. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.buffer.length) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = (async () => {
      try {
        if (this.dropped) {
          rows.unshift({ at: rows[0]!.at, level: 'warn', category: 'system', event: 'log.dropped', orderNo: null, message: `数据库暂不可用，${this.dropped} 条日志未进入查询索引（日志文件中仍有记录）`, fieldsJson: '{}' });
          this.dropped = 0;
        }
        await this.store.transaction((tx) => tx.logs.insertMany(rows));
      } catch (e) {
        this.buffer = [...rows, ...this.buffer].slice(-this.maxBuffered);
        process.stderr.write(`[logger] system_logs write failed: ${(e as Error).message}\n`);
      }
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
