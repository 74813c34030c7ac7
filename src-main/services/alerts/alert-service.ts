import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { COUNTED_EVENTS, DEFAULT_ALERT_CONFIG, evaluateAlertRules, type AlertConfig, type Breach } from '../../core/alerts/alert-rules';
import type { Clock } from '../../core/time';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { Logger } from '../logs/logger';

/**
 * Alerts (design document 7.1.1, 7.3.2 故障告警): evaluates the rules over the indexed log events
 * of the last window and keeps one open alert per kind. While it stays open a continuing breach
 * is counted at most once per window (count, last_at), so a 30-second evaluator does not flood the
 * list; acknowledging closes it, and the next breach opens a new one.
 */
export class AlertService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly config: AlertConfig = DEFAULT_ALERT_CONFIG,
  ) {}

  /** One evaluation at `now` (the scheduler's clock, or a test's). Returns the rules that fired. */
  async evaluate(now = this.clock.now()): Promise<Breach[]> {
    await this.logger.flush();
    const counts = await this.store.read((r) => r.logs.countEvents(COUNTED_EVENTS, now - this.config.windowMs, now + 1));
    const breaches = evaluateAlertRules(counts, this.config);
    for (const b of breaches) {
      const raised = await this.store.transaction((tx) => this.raise(tx, b, now));
      if (raised) this.logger.log({ level: b.level === 'error' ? 'error' : 'warn', category: 'alert', event: `alert.${b.kind}`, message: b.message, fields: { rate: b.rate, numerator: b.numerator, denominator: b.denominator } });
    }
    return breaches;
  }

  /** Opens or repeats the kind's alert; false when the breach is already counted for this window. */
  private async raise(tx: Tx, b: Breach, now: number): Promise<boolean> {
    const open = await tx.alerts.findOpen(b.kind);
    if (!open) {
      if (await tx.alerts.open({ kind: b.kind, level: b.level, message: b.message, at: now })) return true;
      return false; // another instance opened it a moment ago
    }
    if (now - open.lastAt < this.config.windowMs) return false;
    await tx.alerts.repeat(open, { level: b.level === 'error' || open.level === 'error' ? 'error' : 'warn', message: b.message, at: now });
    return true;
  }

  list(open: boolean | undefined, page: number, pageSize: number) {
    return this.store.read((r) => r.alerts.list(open, page, pageSize));
  }

  openCount(): Promise<number> {
    return this.store.read((r) => r.alerts.countOpen());
  }

  async acknowledge(actor: Actor, id: number, version: number) {
    const now = this.clock.now();
    const alert = await this.store.transaction(async (tx) => {
      const a = await tx.alerts.find(id);
      if (!a) throw new DomainError('ALERT_NOT_FOUND', '告警不存在');
      if (a.acknowledgedAt !== null) throw new DomainError('ALERT_ACKNOWLEDGED', `该告警已由 ${a.acknowledgedByName ?? ''} 确认`);
      try {
        await tx.alerts.acknowledge(id, version, actor, now);
      } catch (e) {
        if (e instanceof ConcurrentUpdateError) throw new DomainError('STALE', '告警已更新，请刷新后再确认');
        throw e;
      }
      await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'alert.acknowledge', entityType: 'alert', entityId: String(id), before: null, after: snapshot({ kind: a.kind, count: a.count }) }, now);
      return (await tx.alerts.find(id))!;
    });
    this.logger.info('operation', 'alert.acknowledged', `${actor.name} 确认了告警`, { fields: { alertId: id, kind: alert.kind } });
    return alert;
  }
}
