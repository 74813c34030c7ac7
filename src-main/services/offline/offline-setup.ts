import type { Clock } from '../../core/time';
import type { Store } from '../../db/store';
import type { UserService } from '../admin/user-service';
import type { Logger } from '../logs/logger';
import type { ReconService } from '../reconciliation/recon-service';
import type { ReconWorkflow } from '../reconciliation/recon-workflow';
import { CacheMirror } from './cache-mirror';
import { ConnectionMonitor } from './connection-monitor';
import { OfflineCache, type OfflineCacheConfig } from './offline-cache';
import { OfflineAwareUsers } from './offline-identity';
import { OfflineRecon } from './offline-recon';
import { OutboxReplay } from './outbox-replay';

const MESSAGES: Record<string, string> = {
  central_store_offline: '无法连接中心数据库，对账工作台改用本机缓存（离线）',
  central_store_online: '已恢复连接中心数据库，开始同步离线修改',
  offline_cache_error: '离线缓存同步失败',
  reconnect_listener_failed: '恢复连接后同步离线修改失败',
};

/**
 * The offline support of a connected desktop (the composition root's part): the cache file, the
 * connection monitor, the users service that survives a lost connection, and — once the
 * reconciliation services exist — the workbench's port. Null `config` (standalone mode, the
 * server): no cache, and the port passes everything through.
 */
export class OfflineSupport {
  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly cache: OfflineCache,
    readonly monitor: ConnectionMonitor,
    private readonly config: OfflineCacheConfig,
    private readonly log: (e: Record<string, unknown>) => void,
  ) {}

  static async open(store: Store, clock: Clock, config: OfflineCacheConfig, logger?: Logger): Promise<OfflineSupport> {
    const log = (e: Record<string, unknown>) => {
      const event = String(e.event);
      logger?.log({ level: event === 'central_store_online' ? 'info' : 'warn', category: 'system', event: `offline.${event}`, message: MESSAGES[event] ?? event, fields: e });
    };
    const cache = await OfflineCache.open(config, clock);
    const monitor = new ConnectionMonitor(() => store.dataSource.query('SELECT 1'), clock, config.probeIntervalMs ?? 5000, log);
    monitor.start();
    return new OfflineSupport(store, clock, cache, monitor, config, log);
  }

  users(): UserService {
    return new OfflineAwareUsers(this.store, this.clock, this.monitor);
  }

  recon(runs: ReconService, workflow: ReconWorkflow): OfflineRecon {
    const mirror = new CacheMirror((sql, params) => this.store.dataSource.query(sql, params), this.cache, this.clock);
    const replay = new OutboxReplay(this.cache, workflow, mirror, this.clock);
    return new OfflineRecon(runs, workflow, this.clock, { cache: this.cache, mirror, monitor: this.monitor, replay, refreshEveryMs: this.config.refreshEveryMs ?? 3000, log: this.log });
  }
}
