import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { HOUR_MS } from '../../core/time';
import type { Platform } from '../gateway';
import { SANDBOX_CODE_PATH, sandboxCodeUrl } from '../wechat/wechat-sandbox';
import { parseRfc3339, rfc3339 } from '../wechat/wechat-wire';
import type { FaultPlan } from './faults';
import type { SimLedger, SimTrade } from './ledger';
import { send, type SimContext, type SimPlatform, type SimRequest } from './sim-http';
import { downloadBillFile, requestTradeBill, tradeBill } from './wechat-sim-bill';
import { readBody, WechatSimCore, wxError, type SimReply, type WechatSimOptions } from './wechat-sim-core';
import { cancelTransfer, createRefund, createTransfer, expireTransfer, finishTransfer, queryRefund, queryTransfer } from './wechat-sim-funds';
import { sendNotice } from './wechat-sim-notify';

export type { WechatSimOptions } from './wechat-sim-core';

/**
 * The simulated WeChat Pay APIv3 (ARCHITECTURE.md, simulator): the same paths, JSON fields, fen amounts,
 * signatures and notification encryption as api.mch.weixin.qq.com, kept in a SimLedger.
 *  - JSAPI answers a prepay_id; Native answers `weixin://wxpay/bizpayurl?pr=<token>`, and the simulator
 *    serves GET /wxpay/bizpayurl?pr=<token> as a redirect to its pay page for that trade
 *    (wechat/wechat-sandbox.ts turns a code_url into that link for the app).
 *  - Repeating a create with the same out_trade_no and the same content answers the same prepay/code
 *    (WeChat re-issues for identical repeats); different content is INVALID_REQUEST, a paid trade
 *    ORDERPAID, a closed one ORDER_CLOSED.
 *  - Close: 204 for an unpaid trade, ORDERPAID for a paid one, ORDER_CLOSED when already closed, and —
 *    like the real platform (developers.weixin.qq.com community 000ac25b728328e60221a8d536b000) — 204
 *    for an out_trade_no it never saw.
 *  - pay(orderNo) is the payer paying (pay page button, POST /__sim/pay, or a test).
 */
const createBody = z.object({
  appid: z.string(),
  mchid: z.string(),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-*|]{6,32}$/),
  time_expire: z.string().optional(),
  attach: z.string().max(128).optional(),
  notify_url: z.string().min(1),
  amount: z.object({ total: z.number().int().min(1), currency: z.literal('CNY').optional() }),
  payer: z.object({ openid: z.string().min(1) }).optional(),
});

interface TradeExtra {
  fingerprint: string;
  prepayId?: string;
  codeToken?: string;
}

const TRADE_STATE_WIRE: Record<SimTrade['state'], [string, string]> = {
  pending: ['NOTPAY', '订单未支付'],
  paid: ['SUCCESS', '支付成功'],
  refunded: ['REFUND', '转入退款'],
  closed: ['CLOSED', '已关闭'],
};

export class WechatPlatform implements SimPlatform {
  readonly platform: Platform = 'wechat';
  readonly core: WechatSimCore;
  private readonly extras = new Map<string, TradeExtra>();
  private readonly codeTokens = new Map<string, string>();

  constructor(ctx: SimContext, opts: WechatSimOptions) {
    this.core = new WechatSimCore(ctx, opts);
  }

  get ledger(): SimLedger {
    return this.core.ledger;
  }

  get faults(): FaultPlan {
    return this.core.faults;
  }

  async handle(req: SimRequest, res: ServerResponse): Promise<boolean> {
    const path = req.url.pathname;
    const get = req.method === 'GET';
    if (get && path === SANDBOX_CODE_PATH) {
      const orderNo = this.codeTokens.get(req.url.searchParams.get('pr') ?? '');
      if (!orderNo) send(res, 404, JSON.stringify({ code: 'NOT_FOUND', message: '二维码无效或已过期' }));
      else send(res, 302, '', { location: `/__sim/pay-page?platform=wechat&orderNo=${encodeURIComponent(orderNo)}` });
      return true;
    }
    const confirm = /^\/sim\/wechat\/transfer-bills\/([^/]+)\/confirm$/.exec(path);
    if (confirm && req.method === 'POST') {
      try {
        send(res, 200, JSON.stringify({ ok: true, transfer: this.confirmTransfer(decodeURIComponent(confirm[1] ?? '')) }));
      } catch (e) {
        send(res, 409, JSON.stringify({ ok: false, message: e instanceof Error ? e.message : String(e) }));
      }
      return true;
    }
    if (!path.startsWith('/v3/')) return false;
    const c = this.core;
    const byTrade = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(path);
    const refundNo = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    const billNo = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/.exec(path);
    const cancelNo = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)\/cancel$/.exec(path);
    const post = req.method === 'POST';
    if (post && (path === '/v3/pay/transactions/jsapi' || path === '/v3/pay/transactions/native')) {
      await c.run('create', req, res, () => this.create(req, path.endsWith('jsapi') ? 'JSAPI' : 'NATIVE'));
    } else if (byTrade && get && !byTrade[2]) {
      await c.run('query', req, res, () => this.query(decodeURIComponent(byTrade[1] ?? ''), req.url.searchParams.get('mchid')));
    } else if (byTrade && post && byTrade[2]) {
      await c.run('close', req, res, () => this.close(decodeURIComponent(byTrade[1] ?? '')));
    } else if (post && path === '/v3/refund/domestic/refunds') {
      await c.run('refund', req, res, () => createRefund(c, req));
    } else if (refundNo && get) {
      await c.run('query_refund', req, res, () => queryRefund(c, decodeURIComponent(refundNo[1] ?? '')));
    } else if (post && path === '/v3/fund-app/mch-transfer/transfer-bills') {
      await c.run('transfer', req, res, () => createTransfer(c, req));
    } else if (billNo && get) {
      await c.run('query_transfer', req, res, () => queryTransfer(c, decodeURIComponent(billNo[1] ?? '')));
    } else if (cancelNo && post) {
      await c.run('cancel_transfer', req, res, () => cancelTransfer(c, decodeURIComponent(cancelNo[1] ?? '')));
    } else if (get && path === '/v3/bill/tradebill') {
      await c.run('bill', req, res, () => requestTradeBill(c, req));
    } else if (get && path === '/v3/billdownload/file') {
      await c.run('bill_download', req, res, () => downloadBillFile(c, req));
    } else {
      await c.run('unknown', req, res, () => wxError(404, 'NOT_FOUND', `没有这个接口：${req.method} ${path}`));
    }
    return true;
  }

  private create(req: SimRequest, tradeType: 'JSAPI' | 'NATIVE'): SimReply {
    const b = readBody(req, createBody);
    if (!b.ok) return b.reply;
    const d = b.data;
    const c = this.core;
    if (d.mchid !== c.opts.mchid) return wxError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    if (d.appid !== c.opts.appid) return wxError(400, 'APPID_MCHID_NOT_MATCH', 'AppID 和 mch_id 不匹配');
    if (tradeType === 'JSAPI' && !d.payer) return wxError(400, 'PARAM_ERROR', 'JSAPI 下单需要 payer.openid');
    const now = c.now();
    const expireAt = d.time_expire ? parseRfc3339(d.time_expire) : now + 2 * HOUR_MS;
    if (expireAt === undefined) return wxError(400, 'PARAM_ERROR', 'time_expire 不是 RFC3339 时间');
    const fingerprint = JSON.stringify([tradeType, d.description, d.amount.total, d.payer?.openid ?? '', d.notify_url, expireAt]);
    const existing = c.ledger.trades.get(d.out_trade_no);
    if (existing) {
      if (existing.state === 'paid' || existing.state === 'refunded') return wxError(400, 'ORDERPAID', '该订单已支付');
      if (existing.state === 'closed') return wxError(400, 'ORDER_CLOSED', '订单已关闭');
      const extra = this.extras.get(d.out_trade_no);
      if (!extra || extra.fingerprint !== fingerprint) return wxError(400, 'INVALID_REQUEST', '201 商户订单号重复');
      return this.created(extra);
    }
    const trade: SimTrade = {
      orderNo: d.out_trade_no,
      amountFen: d.amount.total,
      description: d.description,
      scene: tradeType,
      state: 'pending',
      platformTradeNo: c.ledger.nextNumber(now),
      createdAt: now,
      expireAt,
      notifyUrl: d.notify_url,
      payer: d.payer?.openid,
      refundedFen: 0,
    };
    c.ledger.trades.set(trade.orderNo, trade);
    const extra: TradeExtra = { fingerprint };
    if (tradeType === 'JSAPI') extra.prepayId = `wx${c.alnum(34)}`;
    else {
      extra.codeToken = c.alnum(7);
      this.codeTokens.set(extra.codeToken, trade.orderNo);
    }
    this.extras.set(trade.orderNo, extra);
    return this.created(extra);
  }

  private created(extra: TradeExtra): SimReply {
    return { status: 200, body: extra.prepayId ? { prepay_id: extra.prepayId } : { code_url: sandboxCodeUrl(extra.codeToken ?? '') } };
  }

  private query(orderNo: string, mchid: string | null): SimReply {
    if (mchid !== this.core.opts.mchid) return wxError(400, 'PARAM_ERROR', 'mchid 缺失或不是本商户');
    const t = this.core.ledger.trades.get(orderNo);
    return t ? { status: 200, body: this.transactionJson(t, 0) } : wxError(404, 'ORDER_NOT_EXIST', '订单不存在');
  }

  private close(orderNo: string): SimReply {
    const t = this.core.ledger.trades.get(orderNo);
    if (!t) return { status: 204 };
    if (t.state === 'paid' || t.state === 'refunded') return wxError(400, 'ORDERPAID', '订单已支付，不能关闭');
    if (t.state === 'closed') return wxError(400, 'ORDER_CLOSED', '订单已关闭');
    t.state = 'closed';
    t.closedAt = this.core.now();
    if (this.core.faults.take('close', 'pay_after_close')) t.payAfterClose = true;
    return { status: 204 };
  }

  private transactionJson(t: SimTrade, delta: number): object {
    const paid = t.paidAt !== undefined && t.state !== 'closed' && t.state !== 'pending';
    const [state, desc] = TRADE_STATE_WIRE[t.state];
    return {
      appid: this.core.opts.appid,
      mchid: this.core.opts.mchid,
      out_trade_no: t.orderNo,
      transaction_id: paid ? t.platformTradeNo : undefined,
      trade_type: t.scene,
      trade_state: state,
      trade_state_desc: desc,
      bank_type: paid ? 'OTHERS' : undefined,
      attach: '',
      success_time: paid && t.paidAt ? rfc3339(t.paidAt) : undefined,
      payer: paid ? { openid: t.payer } : undefined,
      amount: paid ? { total: t.amountFen + delta, payer_total: t.amountFen + delta, currency: 'CNY', payer_currency: 'CNY' } : { total: t.amountFen, payer_currency: 'CNY' },
    };
  }

  async pay(orderNo: string): Promise<SimTrade> {
    const c = this.core;
    const t = c.ledger.trades.get(orderNo);
    if (!t) throw new Error(`订单 ${orderNo} 不存在`);
    if (t.state === 'paid' || t.state === 'refunded') throw new Error('订单已支付');
    if (t.state === 'closed' && !t.payAfterClose) throw new Error('订单已关闭');
    if (t.state === 'pending' && c.now() > t.expireAt) throw new Error('订单已过期');
    t.state = 'paid';
    t.paidAt = c.now();
    t.payer ??= `o${c.alnum(27)}`;
    sendNotice(c, {
      url: t.notifyUrl,
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      faultOp: 'pay',
      key: `TRANSACTION:${t.orderNo}`,
      // TRANSACTION.SUCCESS always reports the payment itself, whatever happened to the trade before delivery.
      resource: (delta) => ({ ...this.transactionJson(t, delta), trade_state: 'SUCCESS', trade_state_desc: '支付成功' }),
    });
    return t;
  }

  /** The payee confirms receipt of a transfer (WAIT_USER_CONFIRM → SUCCESS) and the notification follows. */
  confirmTransfer(transferNo: string): object {
    const t = this.core.ledger.transfers.get(transferNo);
    if (!t) throw new Error(`转账单 ${transferNo} 不存在`);
    expireTransfer(this.core, t);
    if (t.state !== 'wait_user_confirm') throw new Error(`转账单状态为 ${t.state}，不能确认收款`);
    finishTransfer(this.core, t);
    return { transferNo: t.transferNo, state: t.state };
  }

  /** Platform key rotation (tests of the merchant's key list). */
  usePlatformKey(key: { serial: string; privateKeyPem: string }): void {
    this.core.usePlatformKey(key);
  }

  bill(date: string, type: 'all' | 'success' | 'refund'): Buffer {
    return tradeBill(this.core, date, type === 'all' ? 'ALL' : type === 'success' ? 'SUCCESS' : 'REFUND');
  }
}
