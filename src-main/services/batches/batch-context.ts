import { snapshot } from '../../core/audit/audit-record';
import type { PayoutBatch } from '../../core/batches/batch';
import { DEFAULT_CONFIRM_WINDOW_MS, DEFAULT_RATE_PER_SECOND, validRate, MIN_RATE_PER_SECOND, MAX_RATE_PER_SECOND } from '../../core/batches/batch-policy';
import { itemRefOf } from '../../core/batches/batch-state';
import { DomainError } from '../../core/errors';
import { HOUR_MS, type Clock } from '../../core/time';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { NotificationService } from '../notifications/notification-service';
import type { VoucherService } from '../vouchers/voucher-service';
import type { ItemSettledListener } from './batch-ports';

/**
 * What the parts of 批量付款 share: the store, the clock, the outbox and vouchers, the settled-item
 * listeners, and the audit and settings helpers, so drafting, the executor and settlement write the
 * same records in the same way.
 */
export interface BatchDeps {
  store: Store;
  clock: Clock;
  notifications: NotificationService;
  vouchers: VoucherService;
  listeners: ItemSettledListener[];
  /** 付款单位 on vouchers. */
  payerName: string;
}

export function auditBatch(deps: BatchDeps, tx: Tx, actor: Actor, action: string, batchNo: string, before: unknown, after: unknown): Promise<void> {
  return tx.audit.append(
    { actorId: actor.id, actorName: actor.name, action, entityType: 'payout_batch', entityId: batchNo, before: before === null ? null : snapshot(before), after: after === null ? null : snapshot(after) },
    deps.clock.now(),
  );
}

export function auditItem(deps: BatchDeps, tx: Tx, actor: Actor, action: string, batch: Pick<PayoutBatch, 'batchNo'>, seq: number, before: unknown, after: unknown): Promise<void> {
  return tx.audit.append(
    {
      actorId: actor.id, actorName: actor.name, action, entityType: 'payout_batch_item', entityId: itemRefOf(batch.batchNo, seq),
      before: before === null ? null : snapshot(before), after: after === null ? null : snapshot(after),
    },
    deps.clock.now(),
  );
}

// ─── settings ───────────────────────────────────────────────────────────────────────────────────

/** 批量付款设置 (系统设置), stored under one key; defaults until an administrator saves them. */
export interface BatchSettings {
  /** Transfers started per second by one server instance (the platforms' rate limits). */
  ratePerSecond: number;
  /** Who hears of failed items (SMS to mobiles, e-mail to addresses): the finance team. */
  financeRecipients: string[];
  /** How long a WeChat transfer waits for its payee to confirm before we cancel it. */
  confirmWindowHours: number;
}

export const DEFAULT_BATCH_SETTINGS: BatchSettings = { ratePerSecond: DEFAULT_RATE_PER_SECOND, financeRecipients: [], confirmWindowHours: DEFAULT_CONFIRM_WINDOW_MS / HOUR_MS };

const SETTINGS_KEY = 'payout_batch';
const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[A-Za-z]{2,24}$/;

export function validateBatchSettings(s: BatchSettings): BatchSettings {
  if (!validRate(s.ratePerSecond)) throw new DomainError('SETTING_INVALID', `发送速率应在每秒 ${MIN_RATE_PER_SECOND} 至 ${MAX_RATE_PER_SECOND} 笔之间`);
  if (!Number.isInteger(s.confirmWindowHours) || s.confirmWindowHours < 1 || s.confirmWindowHours > 72) throw new DomainError('SETTING_INVALID', '微信收款确认时限应为 1 至 72 小时');
  const recipients = [...new Set(s.financeRecipients.map((r) => r.trim()).filter(Boolean))];
  if (recipients.length > 10) throw new DomainError('SETTING_INVALID', '失败通知接收人最多 10 个');
  for (const r of recipients) if (!MOBILE.test(r) && !EMAIL.test(r)) throw new DomainError('SETTING_INVALID', `失败通知接收人「${r}」应为手机号或电子邮箱`);
  return { ratePerSecond: s.ratePerSecond, confirmWindowHours: s.confirmWindowHours, financeRecipients: recipients };
}

export async function readBatchSettings(tx: Tx): Promise<BatchSettings & { version: number | null }> {
  const stored = await tx.settings.get(SETTINGS_KEY);
  const value = (stored?.value ?? {}) as Partial<BatchSettings>;
  return { ...DEFAULT_BATCH_SETTINGS, ...value, version: stored?.version ?? null };
}

export async function writeBatchSettings(deps: BatchDeps, actor: Actor, next: BatchSettings, expectedVersion: number | null): Promise<BatchSettings> {
  const value = validateBatchSettings(next);
  return deps.store.transaction(async (tx) => {
    const before = await readBatchSettings(tx);
    const now = deps.clock.now();
    await tx.settings.put(SETTINGS_KEY, value, expectedVersion, now);
    await tx.audit.append(
      {
        actorId: actor.id, actorName: actor.name, action: 'settings.update', entityType: 'settings', entityId: SETTINGS_KEY,
        before: snapshot({ ratePerSecond: before.ratePerSecond, financeRecipients: before.financeRecipients, confirmWindowHours: before.confirmWindowHours }), after: snapshot(value),
      },
      now,
    );
    return value;
  });
}
