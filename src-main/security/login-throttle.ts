import type { Clock } from '../core/time';

/** After 5 wrong passwords for one username, refuse further tries for 5 minutes (guessing defence). */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  constructor(
    private readonly clock: Clock,
    private readonly maxFailures = 5,
    private readonly lockMs = 5 * 60_000,
  ) {}

  lockedFor(username: string): number {
    const f = this.failures.get(username);
    if (!f) return 0;
    return Math.max(0, f.lockedUntil - this.clock.now());
  }

  failed(username: string): void {
    const f = this.failures.get(username) ?? { count: 0, lockedUntil: 0 };
    f.count++;
    if (f.count >= this.maxFailures) {
      f.lockedUntil = this.clock.now() + this.lockMs;
      f.count = 0;
    }
    this.failures.set(username, f);
  }

  succeeded(username: string): void {
    this.failures.delete(username);
  }
}
