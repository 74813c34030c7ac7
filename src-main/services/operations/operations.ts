import { join } from 'node:path';
import { DEFAULT_ALERT_CONFIG, type AlertConfig } from '../../core/alerts/alert-rules';
import type { Clock } from '../../core/time';
import type { Store } from '../../db/store';
import { AlertService } from '../alerts/alert-service';
import { DbLogSink } from '../logs/db-log-sink';
import { LogService } from '../logs/log-service';
import { fileSink, Logger, streamSink } from '../logs/logger';
import { DEFAULT_ROTATION, RotatingFile, type RotationPolicy } from '../logs/rotating-file';
import { NotificationDispatcher } from '../notifications/notification-dispatcher';
import { SimulatedProvider, type NotificationProvider } from '../notifications/notification-provider';
import { NotificationService } from '../notifications/notification-service';
import { PeriodicTask } from '../scheduler/periodic-task';

export interface OperationsOptions {
  /** Folder of the rotating log files (`pay-center.log`, …); none: no file (tests). */
  logDir?: string;
  rotation?: RotationPolicy;
  /** Also write each line to stdout (the headless server, where a supervisor collects it). */
  logToStdout?: boolean;
  /** Sends the outbox; the simulated provider until real SMS / WeChat / e-mail are configured. */
  notificationProvider?: NotificationProvider;
  alertConfig?: AlertConfig;
  /** How often the outbox is sent and the alert rules evaluated once started. */
  intervalMs?: number;
}

/**
 * Monitoring and messaging (design document 7; issue 4 Logs, Health and metrics, notifications):
 * the logger and its sinks, 系统日志, alerts, the notification outbox and its dispatcher, and the
 * periodic task the server and standalone hosts start (tests call `tick()` or the parts directly).
 */
export class Operations {
  readonly logger: Logger;
  readonly logs: LogService;
  readonly alerts: AlertService;
  readonly notifications: NotificationService;
  readonly provider: NotificationProvider;
  readonly dispatcher: NotificationDispatcher;
  readonly task: PeriodicTask;
  /** Other features' periodic work that feeds the outbox (meal-bill reminders), run before each send. */
  private readonly jobs: (() => Promise<unknown>)[] = [];

  addJob(job: () => Promise<unknown>): void {
    this.jobs.push(job);
  }

  constructor(store: Store, clock: Clock, workerId: string, opts: OperationsOptions = {}) {
    this.logger = new Logger(clock, [new DbLogSink(store)]);
    if (opts.logDir) this.logger.addSink(fileSink(new RotatingFile(join(opts.logDir, 'pay-center.log'), opts.rotation ?? DEFAULT_ROTATION)));
    if (opts.logToStdout) this.logger.addSink(streamSink(process.stdout));
    this.logs = new LogService(store, this.logger, clock);
    this.alerts = new AlertService(store, clock, this.logger, opts.alertConfig ?? DEFAULT_ALERT_CONFIG);
    this.notifications = new NotificationService(store, clock);
    this.provider = opts.notificationProvider ?? new SimulatedProvider(clock);
    this.dispatcher = new NotificationDispatcher(store, this.provider, clock, this.logger, workerId);
    this.task = new PeriodicTask(
      async () => {
        for (const job of this.jobs) await job();
        await this.dispatcher.runOnce();
        await this.alerts.evaluate();
      },
      opts.intervalMs ?? 30_000,
      (e) => this.logger.error('error', 'operations.failed', `定时任务（通知发送 / 告警评估）失败：${(e as Error).message}`, { fields: { error: e } }),
    );
  }

  /** Stops the periodic work, gives back leased outbox items, writes the last log lines. */
  async close(): Promise<void> {
    await this.task.stop();
    await this.dispatcher.release().catch(() => undefined);
    await this.logger.close();
  }
}
