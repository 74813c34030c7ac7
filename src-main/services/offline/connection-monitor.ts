import type { Clock } from '../../core/time';
import { connectionErrorSummary, isConnectionError } from './connection-errors';

export interface ConnectionState {
  offline: boolean;
  /** When the connection was lost (epoch ms), while offline. */
  since: number | null;
  /** The kind of failure (ECONNREFUSED, PROTOCOL_CONNECTION_LOST…) while offline. */
  reason: string | null;
  lastProbeAt: number | null;
}

/**
 * Whether the central store answers. A failed call with a connection error marks it offline (any
 * caller may tell it); while offline nothing waits on the network: a probe (`SELECT 1`) runs in
 * the background every `probeIntervalMs` and on demand, and the first one that answers brings the
 * desktop back online and tells the listeners (the outbox replay, the cache refresh).
 */
export class ConnectionMonitor {
  private state: ConnectionState = { offline: false, since: null, reason: null, lastProbeAt: null };
  private probing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners: (() => Promise<void> | void)[] = [];

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly clock: Clock,
    /** 0: no timer (tests call probe()). */
    private readonly probeIntervalMs = 5000,
    private readonly log: (e: Record<string, unknown>) => void = () => undefined,
  ) {}

  get offline(): boolean {
    return this.state.offline;
  }

  snapshot(): ConnectionState {
    return { ...this.state };
  }

  onReconnect(listener: () => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  /** Looks at a failure: a connection error takes the desktop offline (and returns true). */
  noteFailure(e: unknown): boolean {
    if (!isConnectionError(e)) return false;
    if (!this.state.offline) {
      this.state = { offline: true, since: this.clock.now(), reason: connectionErrorSummary(e), lastProbeAt: this.state.lastProbeAt };
      this.log({ event: 'central_store_offline', reason: this.state.reason });
    }
    return true;
  }

  /** Asks the central store once (one probe at a time); true when it answered. */
  probe(): Promise<boolean> {
    this.probing ??= (async () => {
      try {
        await this.ping();
        this.state.lastProbeAt = this.clock.now();
        if (this.state.offline) {
          const lost = this.state.since;
          this.state = { offline: false, since: null, reason: null, lastProbeAt: this.state.lastProbeAt };
          this.log({ event: 'central_store_online', offlineMs: lost === null ? null : this.clock.now() - lost });
          for (const l of this.listeners) await Promise.resolve(l()).catch((e: unknown) => this.noteFailure(e) || this.log({ event: 'reconnect_listener_failed', error: String(e) }));
        }
        return !this.state.offline;
      } catch (e) {
        this.state.lastProbeAt = this.clock.now();
        if (!this.noteFailure(e)) throw e;
        return false;
      } finally {
        this.probing = null;
      }
    })();
    return this.probing;
  }

  /** While offline, a probe when the last one is older than the interval (status polls call this). */
  probeIfDue(): void {
    if (!this.state.offline || this.probing) return;
    const last = this.state.lastProbeAt ?? 0;
    if (this.clock.now() - last >= Math.max(1000, this.probeIntervalMs)) void this.probe().catch(() => undefined);
  }

  start(): void {
    if (this.timer || this.probeIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.state.offline && !this.probing) void this.probe().catch(() => undefined);
    }, this.probeIntervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.probing?.catch(() => undefined);
  }
}
