import { fenToYuanString } from '../../core/money';
import { formatShanghai, shanghaiDate, type Clock } from '../../core/time';
import type { NotificationService } from '../notifications/notification-service';
import type { MealBillService } from './meal-bill-service';

/**
 * 逾期处理 (design document 2.2.3): a meal bill still unpaid 24 hours after its payment order was
 * made gets a reminder to the guest — one per Asia/Shanghai day, however often this runs and on
 * however many server instances (the outbox's dedupe key is the bill and the day).
 */
export class MealBillReminders {
  constructor(
    private readonly bills: MealBillService,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
  ) {}

  /** Enqueues today's reminders; returns how many were new. */
  async run(): Promise<number> {
    const now = this.clock.now();
    let enqueued = 0;
    for (const b of await this.bills.overdueMealBills(now)) {
      if (!b.payerId || b.dueAt === null) continue;
      const id = await this.notifications.enqueueNow({
        channel: 'wechat_template',
        recipient: b.payerId,
        templateCode: 'meal_bill_reminder',
        params: { billNo: b.billNo, amount: fenToYuanString(b.totalFen), dueAt: formatShanghai(b.dueAt) },
        orderNo: b.orderNo,
        dedupeKey: `reminder:${b.billNo}:${shanghaiDate(now)}`,
      });
      if (id !== null) enqueued++;
    }
    return enqueued;
  }
}
