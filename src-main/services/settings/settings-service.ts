import { DomainError } from '../../core/errors';
import { MAX_FEN, type Fen } from '../../core/money';
import { DEFAULT_EXPIRY_MINUTES, type ExpiryMinutes } from '../../core/orders/order-expiry';
import { ORDER_TYPES } from '../../core/orders/order-types';
import { snapshot } from '../../core/audit/audit-record';
import { payoutScheduleOf, validatePayoutSchedule, type PayoutSchedule } from '../../core/salary/payout-schedule';
import type { Clock } from '../../core/time';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';

/** Order rules an administrator can change (design document 2.1.3, 2.2.3). */
export interface OrderSettings {
  expiryMinutes: ExpiryMinutes;
  /** Single-order upper limit in fen. */
  maxOrderAmountFen: Fen;
}

export const DEFAULT_ORDER_SETTINGS: OrderSettings = {
  expiryMinutes: DEFAULT_EXPIRY_MINUTES,
  maxOrderAmountFen: 100_000_000, // ¥1,000,000.00
};

const KEY = 'order';
const PAYOUT_KEY = 'payout_schedule';

export class SettingsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The current rules; pass `tx` to read them inside a running transaction. */
  async orderSettings(tx?: Tx): Promise<OrderSettings & { version: number | null }> {
    const stored = tx ? await tx.settings.get(KEY) : await this.store.read((r) => r.settings.get(KEY));
    const value = (stored?.value ?? {}) as Partial<OrderSettings>;
    return {
      expiryMinutes: { ...DEFAULT_ORDER_SETTINGS.expiryMinutes, ...value.expiryMinutes },
      maxOrderAmountFen: value.maxOrderAmountFen ?? DEFAULT_ORDER_SETTINGS.maxOrderAmountFen,
      version: stored?.version ?? null,
    };
  }

  async updateOrderSettings(actor: Actor, next: OrderSettings, expectedVersion: number | null): Promise<OrderSettings> {
    for (const t of ORDER_TYPES) {
      const m = next.expiryMinutes[t];
      if (!Number.isInteger(m) || m < 1 || m > 30 * 24 * 60) throw new DomainError('SETTING_INVALID', '支付时限必须在 1 分钟到 30 天之间');
    }
    if (!Number.isSafeInteger(next.maxOrderAmountFen) || next.maxOrderAmountFen < 1 || next.maxOrderAmountFen > MAX_FEN)
      throw new DomainError('SETTING_INVALID', '单笔订单上限金额不正确');
    return this.store.transaction(async (tx) => {
      const before = await this.orderSettings(tx);
      const now = this.clock.now();
      const value: OrderSettings = { expiryMinutes: next.expiryMinutes, maxOrderAmountFen: next.maxOrderAmountFen };
      await tx.settings.put(KEY, value, expectedVersion, now);
      await tx.audit.append(
        {
          actorId: actor.id,
          actorName: actor.name,
          action: 'settings.update',
          entityType: 'settings',
          entityId: KEY,
          before: snapshot({ expiryMinutes: before.expiryMinutes, maxOrderAmountFen: before.maxOrderAmountFen }),
          after: snapshot(value),
        },
        now,
      );
      return value;
    });
  }

  /** 发放设置: the salary pay day and the supplier-terms drafting (issue 7); pass `tx` inside a running transaction. */
  async payoutSchedule(tx?: Tx): Promise<PayoutSchedule & { version: number | null }> {
    const stored = tx ? await tx.settings.get(PAYOUT_KEY) : await this.store.read((r) => r.settings.get(PAYOUT_KEY));
    return { ...payoutScheduleOf(stored?.value), version: stored?.version ?? null };
  }

  async updatePayoutSchedule(actor: Actor, next: PayoutSchedule, expectedVersion: number | null): Promise<PayoutSchedule> {
    const value = validatePayoutSchedule(next);
    return this.store.transaction(async (tx) => {
      const { version: _v, ...before } = await this.payoutSchedule(tx);
      const now = this.clock.now();
      await tx.settings.put(PAYOUT_KEY, value, expectedVersion, now);
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action: 'salary.schedule.update', entityType: 'settings', entityId: PAYOUT_KEY, before: snapshot(before), after: snapshot(value) },
        now,
      );
      return value;
    });
  }
}
