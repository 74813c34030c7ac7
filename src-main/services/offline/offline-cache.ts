import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../core/time';
import { openDataSource } from '../../db/data-source';
import { OfflineRepository } from '../../db/repositories/offline-repository';
import { Store, type Tx } from '../../db/store';
import { makeAuditHasher } from '../../security/audit-chain';

export interface OfflineCacheConfig {
  /** The cache file (see offlineCachePath). ':memory:' only in tests that never restart. */
  path: string;
  /** better-sqlite3 built for Electron's ABI, as for the embedded store. */
  nativeBinding?: string;
  /** Background probe interval while offline; 0 turns the timer off (tests drive it). Default 5 s. */
  probeIntervalMs?: number;
  /** Least time between two automatic refreshes of the mirror while online. Default 3 s. */
  refreshEveryMs?: number;
}

/**
 * Where the desktop keeps its cache of a central store: next to the embedded database in the data
 * folder, one file per central database (named by a hash of its host, port and schema — never the
 * password), so pointing the desktop at another MySQL never mixes their rows or replays one's edits
 * into the other.
 */
export function offlineCachePath(dataDir: string, mysqlUrl: string): string {
  let id = mysqlUrl;
  try {
    const u = new URL(mysqlUrl);
    id = `${u.hostname}:${u.port || '3306'}${u.pathname}`;
  } catch {
    // Not a URL: the whole string names it.
  }
  return join(dataDir, `pay-center-cache-${createHash('sha256').update(id).digest('hex').slice(0, 12)}.sqlite`);
}

/** Serializes work on the cache's single better-sqlite3 connection. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export interface CacheReads {
  /** The cached reconciliation tables, read through the same repositories as the central store. */
  recon: Tx['recon'];
  offline: OfflineRepository;
}

export interface CacheWrites {
  offline: OfflineRepository;
}

/**
 * The desktop's SQLite cache in connected mode: the same schema as every store (the same
 * migrations), holding copies of the central rows it mirrors plus its outbox. All work on it goes
 * through one queue, as on the embedded store: a reader must never see a write half done.
 */
export class OfflineCache {
  private readonly queue = new Mutex();

  private constructor(
    private readonly ds: DataSource,
    /** A Store over the cache file, for its reads only (nothing is audited or sequenced here). */
    private readonly store: Store,
  ) {}

  static async open(config: OfflineCacheConfig, clock: Clock): Promise<OfflineCache> {
    const ds = await openDataSource({ kind: 'sqlite', path: config.path, ...(config.nativeBinding ? { nativeBinding: config.nativeBinding } : {}) });
    return new OfflineCache(ds, new Store(ds, makeAuditHasher(randomBytes(32)), clock));
  }

  read<T>(work: (r: CacheReads) => Promise<T>): Promise<T> {
    return this.queue.run(() => this.store.read((tx) => work({ recon: tx.recon, offline: new OfflineRepository(this.ds.manager) })));
  }

  write<T>(work: (r: CacheWrites) => Promise<T>): Promise<T> {
    return this.queue.run(() => this.ds.transaction((em) => work({ offline: new OfflineRepository(em) })));
  }

  async close(): Promise<void> {
    await this.queue.run(() => this.store.close());
  }
}
