import type { KeyObject } from 'node:crypto';
import { fenToYuanString, type Fen } from '../../core/money';
import { formatShanghai } from '../../core/time';
import { notifySignContent, rsa2Sign, type AlipayParams } from '../alipay/alipay-sign';
import type { SimRefund, SimTrade } from './ledger';
import type { OutgoingNotification } from './notifier';

/**
 * The simulated Alipay's asynchronous notification (notify_type=trade_status_sync), with the fields of
 * the real one in alipay-sdk-nodejs-all's tests (notify_id 2019081500222155624068450559358070):
 * form-encoded, values signed as Alipay does (sorted, without sign and sign_type). A partial refund
 * re-notifies TRADE_SUCCESS with out_biz_no = out_request_no, refund_fee (the trade's cumulative refund)
 * and gmt_refund; a full refund notifies TRADE_CLOSED.
 */
export interface NotificationInput {
  trade: SimTrade;
  refund?: SimRefund;
  notifyId: string;
  appId: string;
  pid: string;
  /** The notify_amount_mismatch fault: add this to total_amount (payment) or refund_fee (refund). */
  bumpFen: number;
  cumulativeRefundFen: Fen;
}

const y = (fen: Fen) => fenToYuanString(fen);

/** The content of one notification, fixed when the event happens; retries only re-stamp and re-sign. */
export function notificationParams(n: NotificationInput): AlipayParams {
  const t = n.trade;
  const paid = y(t.amountFen);
  const params: AlipayParams = {
    gmt_create: formatShanghai(t.createdAt),
    charset: 'utf-8',
    seller_id: n.pid,
    subject: t.description,
    buyer_id: '2088102177846880',
    invoice_amount: paid,
    notify_id: n.notifyId,
    fund_bill_list: JSON.stringify([{ amount: paid, fundChannel: 'ALIPAYACCOUNT' }]),
    notify_type: 'trade_status_sync',
    trade_status: 'TRADE_SUCCESS',
    receipt_amount: paid,
    buyer_pay_amount: paid,
    app_id: n.appId,
    auth_app_id: n.appId,
    sign_type: 'RSA2',
    gmt_payment: formatShanghai(t.paidAt ?? 0),
    version: '1.0',
    out_trade_no: t.orderNo,
    total_amount: y(t.amountFen + (n.refund ? 0 : n.bumpFen)),
    trade_no: t.platformTradeNo,
    buyer_logon_id: t.payer ?? '',
    point_amount: '0.00',
  };
  if (n.refund) {
    params.out_biz_no = n.refund.refundNo;
    params.refund_fee = y(n.cumulativeRefundFen + n.bumpFen);
    params.gmt_refund = formatShanghai(n.refund.succeededAt ?? 0);
    if (n.cumulativeRefundFen >= t.amountFen) {
      params.trade_status = 'TRADE_CLOSED';
      params.gmt_close = formatShanghai(n.refund.succeededAt ?? 0);
    }
  }
  return params;
}

export function signedNotification(url: string, params: AlipayParams, now: number, key: KeyObject): OutgoingNotification {
  const stamped: AlipayParams = { ...params, notify_time: formatShanghai(now) };
  stamped.sign = rsa2Sign(notifySignContent(stamped), key);
  return { url, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(stamped).toString() };
}
