import { z } from 'zod';
import { decryptSensitiveField } from '../wechat/wechat-sensitive-field';
import { rfc3339 } from '../wechat/wechat-wire';
import type { SimRefund, SimTransfer } from './ledger';
import type { SimRequest } from './sim-http';
import { readBody, wxError, type SimReply, type WechatSimCore } from './wechat-sim-core';
import { sendNotice } from './wechat-sim-notify';

/**
 * Refunds and transfers on the simulated WeChat Pay, with the platform's rules:
 *  - refunds: out_refund_no is idempotent (the same number answers the same refund), at most 50 per
 *    trade, never more than what is left, `amount.total` must be the trade's amount; accepted as
 *    PROCESSING and settled SUCCESS `refundSettleMs` later, with its REFUND.SUCCESS notification;
 *  - transfer-bills: one bill per call, state WAIT_USER_CONFIRM with a package_info for the payee's
 *    confirmation page; the payee confirms through confirmTransfer() (a test, or POST
 *    /sim/wechat/transfer-bills/{out_bill_no}/confirm from the sandbox UI) or automatically after
 *    `autoConfirmTransferMs`; then SUCCESS and MCHTRANSFER.BILL.FINISHED. A real name (user_name) must be
 *    encrypted for the platform key named by Wechatpay-Serial, and is required from ¥2,000.
 *  - a bill left WAIT_USER_CONFIRM for `transferConfirmExpiryMs` (24 h) is closed as CANCELLED, seen by
 *    the next query (lazily: the platform's own timer is not simulated);
 *  - 撤销转账 (…/out-bill-no/{no}/cancel) of a WAIT_USER_CONFIRM bill answers CANCELING, the bill is
 *    CANCELLED right after (query) and MCHTRANSFER.BILL.FINISHED tells so; a bill in any other state
 *    cannot be cancelled (400 INVALID_REQUEST), an unknown one is 404 NOT_FOUND;
 *  - the transfer_fail fault: the next new bill is PROCESSING, then FAIL with the fault's code as
 *    fail_reason (NAME_NOT_CORRECT, OPENID_INVALID…), notified like any final state.
 * Sources: PROTOCOLS.md §2; pay.weixin.qq.com/doc/v3/partner/4012709253 (refunds);
 * docs/merchant/apis/mch-trans/transfer-bill/transfer-to-user.html (transfers).
 */
const refundBody = z.object({
  out_trade_no: z.string().min(1),
  out_refund_no: z.string().min(1).max(64),
  reason: z.string().max(80).optional(),
  notify_url: z.string().optional(),
  amount: z.object({ refund: z.number().int().min(1), total: z.number().int().min(1), currency: z.literal('CNY') }),
});

const transferBody = z.object({
  appid: z.string(),
  out_bill_no: z.string().regex(/^[0-9A-Za-z]{1,32}$/),
  transfer_scene_id: z.string().min(1),
  openid: z.string().min(1),
  user_name: z.string().optional(),
  transfer_amount: z.number().int().min(1),
  transfer_remark: z.string().min(1).max(32),
  notify_url: z.string().optional(),
  user_recv_perception: z.string().optional(),
  transfer_scene_report_infos: z.array(z.object({ info_type: z.string(), info_content: z.string() })).min(1),
});

export function refundJson(core: WechatSimCore, r: SimRefund): object {
  const trade = core.ledger.trades.get(r.orderNo);
  const total = trade?.amountFen ?? 0;
  return {
    refund_id: r.platformRefundNo,
    out_refund_no: r.refundNo,
    transaction_id: trade?.platformTradeNo ?? '',
    out_trade_no: r.orderNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    success_time: r.succeededAt ? rfc3339(r.succeededAt) : undefined,
    create_time: rfc3339(r.createdAt),
    status: { processing: 'PROCESSING', success: 'SUCCESS', failed: 'ABNORMAL', closed: 'CLOSED' }[r.state],
    funds_account: 'AVAILABLE',
    amount: { total, refund: r.amountFen, payer_total: total, payer_refund: r.amountFen, settlement_total: total, settlement_refund: r.amountFen, discount_refund: 0, currency: 'CNY', refund_fee: 0 },
  };
}

export function createRefund(core: WechatSimCore, req: SimRequest): SimReply {
  const b = readBody(req, refundBody);
  if (!b.ok) return b.reply;
  const { out_trade_no: orderNo, out_refund_no: refundNo, amount } = b.data;
  const existing = core.ledger.refunds.get(refundNo);
  if (existing) return existing.orderNo === orderNo ? { status: 200, body: refundJson(core, existing) } : wxError(400, 'INVALID_REQUEST', '商户退款单号已被其他订单使用');
  const trade = core.ledger.trades.get(orderNo);
  if (!trade) return wxError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  if (trade.state !== 'paid' && trade.state !== 'refunded') return wxError(400, 'INVALID_REQUEST', '订单未支付，不能退款');
  if (amount.total !== trade.amountFen) return wxError(400, 'INVALID_REQUEST', '订单金额与原订单不一致');
  const count = [...core.ledger.refunds.values()].filter((r) => r.orderNo === orderNo).length;
  if (count >= 50) return wxError(403, 'INVALID_REQUEST', '退款次数超过限制（每笔订单最多 50 次）');
  if (amount.refund > trade.amountFen - core.ledger.refundedOf(orderNo)) return wxError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
  const now = core.now();
  const refund: SimRefund = {
    refundNo,
    orderNo,
    amountFen: amount.refund,
    reason: b.data.reason ?? '',
    state: 'processing',
    platformRefundNo: core.number('503'),
    createdAt: now,
    notifyUrl: b.data.notify_url ?? '',
  };
  core.ledger.refunds.set(refundNo, refund);
  trade.state = 'refunded';
  trade.refundedFen += amount.refund;
  const settle = () => {
    if (refund.state !== 'processing') return;
    refund.state = 'success';
    refund.succeededAt = core.now();
  };
  if (!refund.notifyUrl) settle();
  else {
    sendNotice(core, {
      url: refund.notifyUrl,
      eventType: 'REFUND.SUCCESS',
      summary: '退款成功',
      originalType: 'refund',
      faultOp: 'refund',
      key: `REFUND:${refundNo}`,
      beforeFirst: settle,
      delayMs: core.opts.refundSettleMs ?? 5000,
      resource: (delta) => ({
        mchid: core.opts.mchid,
        out_trade_no: orderNo,
        transaction_id: trade.platformTradeNo,
        out_refund_no: refundNo,
        refund_id: refund.platformRefundNo,
        refund_status: 'SUCCESS',
        success_time: rfc3339(refund.succeededAt ?? core.now()),
        user_received_account: '支付用户零钱',
        amount: { total: trade.amountFen, refund: refund.amountFen + delta, payer_total: trade.amountFen, payer_refund: refund.amountFen + delta },
      }),
    });
  }
  return { status: 200, body: refundJson(core, refund) };
}

export function queryRefund(core: WechatSimCore, refundNo: string): SimReply {
  const r = core.ledger.refunds.get(refundNo);
  return r ? { status: 200, body: refundJson(core, r) } : wxError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
}

const TRANSFER_WIRE: Record<SimTransfer['state'], string> = {
  processing: 'PROCESSING',
  wait_user_confirm: 'WAIT_USER_CONFIRM',
  success: 'SUCCESS',
  failed: 'FAIL',
  cancelled: 'CANCELLED',
};

export function transferJson(core: WechatSimCore, t: SimTransfer, delta = 0): object {
  return {
    mch_id: core.opts.mchid,
    out_bill_no: t.transferNo,
    transfer_bill_no: t.platformTransferNo,
    appid: core.opts.appid,
    state: TRANSFER_WIRE[t.state],
    transfer_amount: t.amountFen + delta,
    transfer_remark: t.remark,
    fail_reason: t.failReason,
    openid: t.account,
    create_time: rfc3339(t.createdAt),
    update_time: rfc3339(t.succeededAt ?? t.createdAt),
  };
}

/** Extra per-bill data the ledger type has no field for. */
const packageInfos = new WeakMap<SimTransfer, string>();

export function createTransfer(core: WechatSimCore, req: SimRequest): SimReply {
  const b = readBody(req, transferBody);
  if (!b.ok) return b.reply;
  const d = b.data;
  if (d.appid !== core.opts.appid) return wxError(400, 'INVALID_REQUEST', 'appid 与商户号不匹配');
  const existing = core.ledger.transfers.get(d.out_bill_no);
  if (existing) expireTransfer(core, existing);
  if (existing) {
    if (existing.amountFen !== d.transfer_amount || existing.account !== d.openid) return wxError(400, 'INVALID_REQUEST', '商户单号重复，且与原单据信息不一致');
    return { status: 200, body: createdJson(core, existing) };
  }
  let name = '';
  if (d.user_name) {
    const serial = req.headers['wechatpay-serial'];
    if (serial !== core.platformSerial) return wxError(400, 'PARAM_ERROR', 'Wechatpay-Serial 与加密敏感信息的平台公钥不符');
    try {
      name = decryptSensitiveField(d.user_name, core.platformPrivateKey);
    } catch {
      return wxError(400, 'PARAM_ERROR', '收款用户姓名解密失败');
    }
  } else if (d.transfer_amount >= 200_000) return wxError(400, 'PARAM_ERROR', '转账金额 >= 2000 元时必须填写收款用户姓名');
  const t: SimTransfer = {
    transferNo: d.out_bill_no,
    amountFen: d.transfer_amount,
    account: d.openid,
    name,
    remark: d.transfer_remark,
    state: 'wait_user_confirm',
    platformTransferNo: core.number('1330'),
    createdAt: core.now(),
    notifyUrl: d.notify_url ?? '',
  };
  core.ledger.transfers.set(t.transferNo, t);
  const failure = core.faults.take('transfer', 'transfer_fail');
  if (failure) {
    t.state = 'processing';
    failTransfer(core, t, failure.code ?? 'NAME_NOT_CORRECT');
    return { status: 200, body: createdJson(core, t) };
  }
  packageInfos.set(t, `ABBQO+oYAAABAAAAAAAk${core.alnum(40)}`);
  if (core.opts.autoConfirmTransferMs !== undefined) finishTransfer(core, t, core.opts.autoConfirmTransferMs);
  return { status: 200, body: createdJson(core, t) };
}

/** Closes a bill left unconfirmed past the platform's window (lazily, when the bill is next looked at). */
export function expireTransfer(core: WechatSimCore, t: SimTransfer): void {
  const window = core.opts.transferConfirmExpiryMs ?? 24 * 3600_000;
  if (t.state === 'wait_user_confirm' && core.now() - t.createdAt >= window) t.state = 'cancelled';
}

/** The bill fails at the platform (after the answer to the create): FAIL with `reason`, notified. */
function failTransfer(core: WechatSimCore, t: SimTransfer, reason: string): void {
  const fail = () => {
    if (t.state !== 'processing') return;
    t.state = 'failed';
    t.failReason = reason;
  };
  if (!t.notifyUrl) return fail();
  sendNotice(core, {
    url: t.notifyUrl,
    eventType: 'MCHTRANSFER.BILL.FINISHED',
    summary: '商家转账单据终态通知',
    originalType: 'mch_payment',
    faultOp: 'transfer',
    key: `MCHTRANSFER:${t.transferNo}`,
    beforeFirst: fail,
    delayMs: 50,
    resource: (delta) => transferJson(core, t, delta),
  });
}

/** 撤销转账: only a bill still waiting for its payee; the answer is CANCELING, the bill CANCELLED right after. */
export function cancelTransfer(core: WechatSimCore, transferNo: string): SimReply {
  const t = core.ledger.transfers.get(transferNo);
  if (!t) return wxError(404, 'NOT_FOUND', '记录不存在');
  expireTransfer(core, t);
  const answer = (state: string) => ({ status: 200, body: { out_bill_no: t.transferNo, transfer_bill_no: t.platformTransferNo, state, update_time: rfc3339(core.now()) } });
  if (t.state === 'cancelled') return answer('CANCELLED');
  if (t.state !== 'wait_user_confirm') return wxError(400, 'INVALID_REQUEST', '单据当前状态不允许撤销');
  t.state = 'cancelled';
  if (t.notifyUrl)
    sendNotice(core, {
      url: t.notifyUrl,
      eventType: 'MCHTRANSFER.BILL.FINISHED',
      summary: '商家转账单据终态通知',
      originalType: 'mch_payment',
      faultOp: 'transfer',
      key: `MCHTRANSFER:${t.transferNo}`,
      resource: (delta) => transferJson(core, t, delta),
    });
  return answer('CANCELING');
}

function createdJson(core: WechatSimCore, t: SimTransfer): object {
  return { out_bill_no: t.transferNo, transfer_bill_no: t.platformTransferNo, create_time: rfc3339(t.createdAt), state: TRANSFER_WIRE[t.state], package_info: t.state === 'wait_user_confirm' ? packageInfos.get(t) : undefined };
}

export function queryTransfer(core: WechatSimCore, transferNo: string): SimReply {
  const t = core.ledger.transfers.get(transferNo);
  if (t) expireTransfer(core, t);
  return t ? { status: 200, body: transferJson(core, t) } : wxError(404, 'NOT_FOUND', '记录不存在');
}

/** The payee confirms: SUCCESS, then MCHTRANSFER.BILL.FINISHED (after `delayMs`, when auto-confirming). */
export function finishTransfer(core: WechatSimCore, t: SimTransfer, delayMs = 0): void {
  const confirm = () => {
    if (t.state !== 'wait_user_confirm') return;
    t.state = 'success';
    t.succeededAt = core.now();
  };
  if (delayMs === 0 || !t.notifyUrl) confirm();
  if (!t.notifyUrl) return;
  sendNotice(core, {
    url: t.notifyUrl,
    eventType: 'MCHTRANSFER.BILL.FINISHED',
    summary: '商家转账单据终态通知',
    originalType: 'mch_payment',
    faultOp: 'transfer',
    key: `MCHTRANSFER:${t.transferNo}`,
    beforeFirst: confirm,
    delayMs,
    resource: (delta) => transferJson(core, t, delta),
  });
}
