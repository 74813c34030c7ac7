import { DAY_MS, type Clock } from '../../core/time';
import type { LogFilter } from '../../db/repositories/log-repository';
import type { Store } from '../../db/store';
import type { Logger } from './logger';

/** How long the 系统日志 index keeps entries; the rotating files are bounded by size instead. */
export const LOG_RETENTION_DAYS = 90;

/** 系统日志 (design document 7.2): query and count the indexed logs; retention. */
export class LogService {
  constructor(
    private readonly store: Store,
    readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  async query(f: LogFilter, page: number, pageSize: number) {
    await this.logger.flush();
    return this.store.read((r) => r.logs.list(f, page, pageSize));
  }

  async counts(f: LogFilter): Promise<Record<string, number>> {
    await this.logger.flush();
    return this.store.read((r) => r.logs.countsByLevel(f));
  }

  /** Deletes index entries older than the retention period (at start-up). */
  async purge(retentionDays = LOG_RETENTION_DAYS): Promise<number> {
    const before = this.clock.now() - retentionDays * DAY_MS;
    const n = await this.store.transaction((tx) => tx.logs.deleteBefore(before));
    if (n) this.logger.info('system', 'log.purged', `已清理 ${retentionDays} 天前的系统日志 ${n} 条`, { fields: { before: new Date(before).toISOString() } });
    return n;
  }
}
