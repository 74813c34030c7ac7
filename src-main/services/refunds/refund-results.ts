import { snapshot } from '../../core/audit/audit-record';
import { fenToYuanString, formatYuan } from '../../core/money';
import type { Order } from '../../core/orders/order';
import { applyOrderEvent } from '../../core/orders/order-state';
import { PAYMENT_METHOD_LABELS } from '../../core/orders/order-types';
import { arrivalChannelFor, DEFAULT_ARRIVAL_TABLE, expectedArrival } from '../../core/refunds/arrival';
import type { Refund } from '../../core/refunds/refund';
import { applyRefundEvent, REFUND_STATE_LABELS, type RefundEvent } from '../../core/refunds/refund-state';
import { assertTransactionTransition, type TransactionStatus } from '../../core/transactions/transaction-types';
import { formatShanghai, type Clock } from '../../core/time';
import type { NotificationEvent, Platform, RefundStatus } from '../../gateways/gateway';
import type { RefundPatch } from '../../db/repositories/refund-repository';
import type { Tx } from '../../db/store';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { NotificationService } from '../notifications/notification-service';
import type { NumberAllocator } from '../number-allocator';
import type { IssueVoucherInput } from '../vouchers/voucher-service';
import { auditRefund, auditRefundChange, orderRefunds, refundMoney as money } from './refund-shared';

/** What a refund needs of the voucher register (VoucherService): a 退款凭证 issued in the succeeding transaction. */
export interface RefundVouchers {
  issue(tx: Tx, input: IssueVoucherInput): Promise<string>;
}

/**
 * What the platform said about a refund — the send answer, an active query, a notification — applied
 * to the refund, its order, the order's transactions, the customer's message and the 退款凭证, in the
 * caller's transaction. One place, so every source has exactly the same effect.
 */
export class RefundResults {
  private vouchers: RefundVouchers | null = null;
  /** 付款单位 on 退款凭证: the same name supplier vouchers carry. */
  private payerName = '';

  constructor(
    private readonly numbers: NumberAllocator,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
  ) {}

  useVouchers(vouchers: RefundVouchers, payerName: string): void {
    this.vouchers = vouchers;
    this.payerName = payerName;
  }

  /**
   * The one place a platform result changes a refund, its order and its transactions. Idempotent
   * and order-insensitive: a result for a refund already in a final state changes nothing.
   */
  async apply(
    tx: Tx,
    refundNo: string,
    status: Pick<RefundStatus, 'state' | 'amountFen' | 'platformRefundNo' | 'succeededAt' | 'feeFen' | 'failReason' | 'orderNo'>,
    source: string,
    retryable = false,
  ): Promise<{ kind: 'applied' | 'exception' | 'ignored'; detail: string; state: Refund['state'] }> {
    const peek = await tx.refunds.findByNo(refundNo);
    if (!peek) return { kind: 'exception', detail: `${source}：本系统没有退款 ${refundNo}，请人工核对`, state: 'closed' };
    // Order lock first, then the refund (the same order as requests and retries take them).
    const order = peek.exceptionId === null ? await tx.orders.findByNo(peek.orderNo, { forUpdate: true }) : null;
    // A 支付异常's row plays the order's part: locked before the refund, as requests lock it.
    const exception = peek.exceptionId !== null ? await tx.refunds.exception(peek.exceptionId, { forUpdate: true }) : null;
    const r = (await tx.refunds.findByNo(refundNo, { forUpdate: true }))!;
    const now = this.clock.now();
    if (status.orderNo !== r.orderNo) return { kind: 'exception', detail: `${source}：退款 ${refundNo} 属于订单 ${r.orderNo}，平台却报告订单 ${status.orderNo}`, state: r.state };
    if (status.state === 'processing') return { kind: 'ignored', detail: `${source}：平台处理中`, state: r.state };
    if (status.state === 'success') {
      if (status.amountFen !== r.amountFen)
        return { kind: 'exception', detail: `${source}：平台退款金额 ${formatYuan(status.amountFen)} 与退款单 ${formatYuan(r.amountFen)} 不一致，待人工核对`, state: r.state };
      if (r.state === 'success') return { kind: 'ignored', detail: `${source}：已是退款成功`, state: r.state };
      if (r.state !== 'processing')
        return { kind: 'exception', detail: `${source}：退款 ${refundNo} 在本系统为「${REFUND_STATE_LABELS[r.state]}」，平台却报告退款成功，待人工核对`, state: r.state };
      applyRefundEvent(money(r), { kind: 'succeed' });
      const succeededAt = status.succeededAt ?? now;
      const arrival = expectedArrival(succeededAt, arrivalChannelFor(r.platform), DEFAULT_ARRIVAL_TABLE);
      const patch: RefundPatch = {
        state: 'success',
        failReason: null,
        retryable: false,
        platformRefundNo: status.platformRefundNo ?? r.platformRefundNo,
        feeFen: status.feeFen ?? r.feeFen,
        succeededAt,
        finishedAt: now,
        nextAttemptAt: null,
        arrivalChannel: arrival.channel,
        arrivalFrom: arrival.fromDate,
        arrivalTo: arrival.toDate,
      };
      await tx.refunds.update(refundNo, r.version, patch, now);
      const after: Refund = { ...r, ...patch, updatedAt: now, version: r.version + 1 };
      await auditRefundChange(tx, platformActor(r.platform, source), 'refund.succeed', refundNo, auditRefund(r), auditRefund(after), now);
      if (order) {
        const next = applyOrderEvent(order, { kind: 'refund', amountFen: r.amountFen });
        await tx.orders.update(order.orderNo, order.version, { status: next.status, refundedFen: next.refundedFen });
        const orderAfter: Order = { ...order, status: next.status, refundedFen: next.refundedFen, version: order.version + 1 };
        await tx.audit.append(
          { actorId: null, actorName: SYSTEM_ACTOR.name, action: next.status === 'refunded' ? 'order.refund' : 'order.partial_refund', entityType: 'order', entityId: order.orderNo, before: snapshot({ status: order.status, refundedFen: order.refundedFen }), after: snapshot({ status: orderAfter.status, refundedFen: orderAfter.refundedFen, refundNo }) },
          now,
        );
        await this.numbers.insertWithFreshNumber('T', now, (transactionNo) =>
          tx.transactions.insert({ transactionNo, orderNo: order.orderNo, method: order.method, amountFen: r.amountFen, status: 'success', type: 'refund', gatewayTradeNo: patch.platformRefundNo ?? null, createdAt: now, updatedAt: now }),
        );
        if (order.payerId)
          await this.notifications.enqueue(tx, {
            channel: 'wechat_template',
            recipient: order.payerId,
            templateCode: 'refund_success',
            params: { orderNo: order.orderNo, refundNo, amount: fenToYuanString(r.amountFen), succeededAt: formatShanghai(succeededAt), arrival: arrival.text },
            orderNo: order.orderNo,
            dedupeKey: `refund:${refundNo}`,
          });
      }
      await this.issueVoucher(tx, after, order);
      if (exception) {
        const back = (await tx.refunds.forException(exception.id)).filter((x) => x.state === 'success').reduce((sum, x) => sum + x.amountFen, 0);
        if (back >= exception.amountFen) await tx.refunds.resolveException(exception.id, now);
      } else await this.syncPaymentTransaction(tx, r.orderNo, now);
      return { kind: 'applied', detail: `${source}：退款成功`, state: 'success' };
    }
    // failed / closed at the platform: only a refund still under way can take it.
    if (r.state !== 'processing') return { kind: 'ignored', detail: `${source}：退款已是「${REFUND_STATE_LABELS[r.state]}」，忽略平台的「${status.state}」`, state: r.state };
    const event: RefundEvent =
      status.state === 'failed'
        ? { kind: 'fail', reason: (status.failReason ?? '支付平台报告退款失败').slice(0, 256), retryable }
        : { kind: 'close', reason: (status.failReason ?? '支付平台关闭了退款').slice(0, 256) };
    const next = applyRefundEvent(money(r), event);
    const patch: RefundPatch = { state: next.state, failReason: next.reason, retryable: next.retryable, finishedAt: now, nextAttemptAt: null, platformRefundNo: status.platformRefundNo ?? r.platformRefundNo };
    await tx.refunds.update(refundNo, r.version, patch, now);
    const after: Refund = { ...r, ...patch, updatedAt: now, version: r.version + 1 };
    await auditRefundChange(tx, platformActor(r.platform, source), status.state === 'failed' ? 'refund.fail' : 'refund.platform_close', refundNo, auditRefund(r), auditRefund(after), now);
    await this.syncPaymentTransaction(tx, r.orderNo, now);
    return { kind: 'applied', detail: `${source}：${REFUND_STATE_LABELS[next.state]}（${next.reason ?? ''}）`, state: next.state };
  }


  /**
   * 退款凭证: issued in the transaction that records the refund as succeeded (send answer, query or
   * notification alike), once per refund (VoucherService.issue is idempotent per subject). The payee
   * is the customer who paid — the booking's or meal bill's guest when the order has one — with the
   * paying account (openid, Alipay buyer, card) stored in full and printed masked.
   */
  private async issueVoucher(tx: Tx, r: Refund, order: Order | null): Promise<void> {
    if (!this.vouchers) return;
    const payerId = order?.payerId ?? '';
    await this.vouchers.issue(tx, {
      kind: 'refund',
      subjectId: r.refundNo,
      payerName: this.payerName,
      payeeName: (await payeeNameOf(tx, order)).slice(0, 128),
      payeeAccount: payerId.slice(0, 128),
      payeeChannel: r.platform,
      amountFen: r.amountFen,
      purpose: `退款：${r.reason}（原订单 ${r.orderNo}）`.slice(0, 256),
      referenceNo: (r.platformRefundNo ?? '').slice(0, 64),
      issuedAt: r.succeededAt ?? this.clock.now(),
    });
  }


  readonly notificationHandler = async (
    tx: Tx,
    platform: Platform,
    event: Extract<NotificationEvent, { kind: 'refund' }>,
    source: string,
  ): Promise<{ kind: 'applied' | 'exception' | 'ignored'; detail: string }> => {
    const peek = await tx.refunds.findByNo(event.refundNo);
    if (peek && peek.platform !== platform)
      return { kind: 'exception', detail: `${source}：退款 ${event.refundNo} 应由 ${peek.platform} 退款，却收到 ${platform} 的通知` };
    const { kind, detail } = await this.apply(tx, event.refundNo, { ...event }, source);
    return { kind, detail };
  };

  /**
   * The payment transaction follows its order's refunds: 退款中 while one is under way, 已退款 once
   * everything paid was returned, 成功 otherwise (a partial refund keeps the payment successful).
   */
  async syncPaymentTransaction(tx: Tx, orderNo: string, now: number): Promise<void> {
    const order = await tx.orders.findByNo(orderNo);
    if (!order || (order.status !== 'paid' && order.status !== 'refunded')) return;
    const refunds = orderRefunds(await tx.refunds.forOrder(orderNo));
    const want: TransactionStatus = order.status === 'refunded' ? 'refunded' : refunds.some((x) => x.state === 'processing') ? 'refunding' : 'success';
    for (const t of await tx.transactions.findByOrder(orderNo)) {
      if (t.type !== 'payment' || t.status === want || !['success', 'refunding'].includes(t.status)) continue;
      assertTransactionTransition(t.status, want);
      await tx.transactions.updateStatus(t.transactionNo, t.version, want, now);
    }
  }
}

/** Who changed a refund on the platform's word: 「微信支付 通知」, 「支付宝 主动查询」 (the notification id stays in the inbox). */
const platformActor = (platform: Refund['platform'], source: string): Actor => ({ id: null, name: `${PAYMENT_METHOD_LABELS[platform]} ${source.split(' ')[0]}`.slice(0, 64) });

/** 收款人 of a 退款凭证: the guest of the booking or meal bill the order paid for, else 「客户」. */
async function payeeNameOf(tx: Tx, order: Order | null): Promise<string> {
  if (order?.type === 'customer_order') {
    const booking = (order.relatedId ? await tx.bookings.findByNo(order.relatedId) : null) ?? (await tx.bookings.findByDepositOrder(order.orderNo));
    if (booking?.guestName) return booking.guestName;
  }
  if (order?.type === 'meal_bill') {
    const guests = [...new Set((await tx.mealBills.findByOrder(order.orderNo)).map((b) => b.guestName).filter(Boolean))];
    if (guests.length) return guests.join('、');
  }
  return '客户';
}
