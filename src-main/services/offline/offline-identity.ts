import type { Permission, Role } from '../../core/access/permissions';
import type { Clock } from '../../core/time';
import type { User } from '../../db/repositories/user-repository';
import type { Store } from '../../db/store';
import { UserService } from '../admin/user-service';
import type { ConnectionMonitor } from './connection-monitor';

/**
 * The users service of a connected desktop. Every call checks its caller's account and role on the
 * central store (api/dispatch.ts); without a connection that check would refuse everything, so the
 * answers of the last successful check are kept in memory for the signed-in users of this process
 * and used while the central store cannot be reached. Nothing is written to disk, and signing in
 * still needs the central store: an account disabled centrally stops working as soon as the
 * connection is back (the next check asks the central store again).
 */
export class OfflineAwareUsers extends UserService {
  private readonly users = new Map<number, User>();
  private readonly grants = new Map<Role, Permission[]>();

  constructor(
    store: Store,
    clock: Clock,
    private readonly monitor: ConnectionMonitor,
  ) {
    super(store, clock);
  }

  override async byId(id: number): Promise<User | null> {
    const known = this.users.get(id);
    if (known && this.monitor.offline) {
      this.monitor.probeIfDue();
      return known;
    }
    try {
      const u = await super.byId(id);
      if (u) this.users.set(id, u);
      else this.users.delete(id);
      return u;
    } catch (e) {
      if (this.monitor.noteFailure(e) && known) return known;
      throw e;
    }
  }

  /** The first-run question (the renderer asks it on every load): someone signed in here, so the answer is no. */
  override async needsSetup(): Promise<boolean> {
    if (this.users.size && this.monitor.offline) return false;
    try {
      return await super.needsSetup();
    } catch (e) {
      if (this.monitor.noteFailure(e) && this.users.size) return false;
      throw e;
    }
  }

  override async permissionsOf(role: Role): Promise<Permission[]> {
    const known = this.grants.get(role);
    if (known && this.monitor.offline) return known;
    try {
      const p = await super.permissionsOf(role);
      this.grants.set(role, p);
      return p;
    } catch (e) {
      if (this.monitor.noteFailure(e) && known) return known;
      throw e;
    }
  }
}
