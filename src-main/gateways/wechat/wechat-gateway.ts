import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { checkFen } from '../../core/money';
import type { Clock } from '../../core/time';
import type {
  BillFile,
  BillRequest,
  CloseResult,
  CreatePaymentRequest,
  CreatePaymentResult,
  Gateway,
  InboundRequest,
  NotificationReply,
  RefundRequest,
  RefundStatus,
  TradeStatus,
  TransferRequest,
  TransferStatus,
  VerifiedNotification,
} from '../gateway';
import { GatewayOutcomeUnknown, GatewayRejected, ResponseUnverified } from '../gateway-errors';
import type { HttpTransport } from '../http';
import { apiV3KeyBytes } from './wechat-aead';
import { WechatApiClient } from './wechat-client';
import { verifyWechatNotification, wechatNotificationReply } from './wechat-notification';
import { PlatformKeyRing, type PlatformPublicKey } from './wechat-platform-keys';
import { encryptSensitiveField } from './wechat-sensitive-field';
import { loadPrivateKey, paySigningMessage, rsaSign } from './wechat-signature';
import {
  NON_RETRYABLE_TRANSFER_FAILURES,
  parseRfc3339,
  REFUND_STATES,
  rfc3339,
  TRADE_STATES,
  TRANSFER_STATES,
  wxBillUrlSchema,
  wxCodeUrlSchema,
  wxPrepaySchema,
  wxRefundSchema,
  wxTransactionSchema,
  wxTransferBillSchema,
  type WxRefund,
  type WxTransferBill,
} from './wechat-wire';

/** What a WeChat Pay merchant account needs; keys arrive as PEM/secret strings from the vault and are never logged. */
export interface WechatPayConfig {
  mchid: string;
  /** The mini-program's AppID (JSAPI pay params, Native orders and transfers use the same one). */
  appid: string;
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  /** The 32-byte APIv3 key that decrypts notification resources. */
  apiV3Key: string;
  /** Platform keys for verification, newest first; an old key stays until removed (rotation). */
  platformKeys: PlatformPublicKey[];
  /** https://api.mch.weixin.qq.com in production; the simulator's address in sandbox. */
  endpoint: string;
  timeoutMs?: number;
  /** 转账场景ID approved for the merchant, and the report lines that scene requires. */
  transferSceneId?: string;
  transferSceneReportInfos?: { info_type: string; info_content: string }[];
}

const defaultNonce = () => randomBytes(16).toString('hex').toUpperCase();

export class WechatPayGateway implements Gateway {
  readonly platform = 'wechat' as const;
  private readonly ring: PlatformKeyRing;
  private readonly merchantKey: KeyObject;
  private readonly client: WechatApiClient;

  constructor(
    private readonly config: WechatPayConfig,
    transport: HttpTransport,
    private readonly clock: Clock,
    private readonly nonce: () => string = defaultNonce,
  ) {
    apiV3KeyBytes(config.apiV3Key);
    this.ring = new PlatformKeyRing(config.platformKeys);
    this.merchantKey = loadPrivateKey(config.merchantPrivateKeyPem);
    this.client = new WechatApiClient(
      { endpoint: config.endpoint, mchid: config.mchid, merchantSerialNo: config.merchantSerialNo, merchantKey: this.merchantKey, timeoutMs: config.timeoutMs },
      this.ring,
      transport,
      clock,
      nonce,
    );
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const c = this.config;
    const body = {
      appid: c.appid,
      mchid: c.mchid,
      // WeChat limits description to 127 characters.
      description: req.description.slice(0, 127),
      out_trade_no: req.orderNo,
      time_expire: rfc3339(req.expireAt),
      notify_url: req.notifyUrl,
      amount: { total: checkFen(req.amountFen), currency: 'CNY' },
    };
    if (req.scene === 'wechat_native') {
      const r = await this.client.call('POST', '/v3/pay/transactions/native', body);
      return { kind: 'qr', codeUrl: parsed(wxCodeUrlSchema, r.json, 'Native 下单应答').code_url };
    }
    if (req.scene !== 'wechat_jsapi') throw new Error(`微信支付不支持支付场景 ${req.scene}`);
    if (!req.payerOpenId) throw new Error('小程序（JSAPI）支付需要付款人的 openid');
    const r = await this.client.call('POST', '/v3/pay/transactions/jsapi', { ...body, payer: { openid: req.payerOpenId } });
    const prepayId = parsed(wxPrepaySchema, r.json, 'JSAPI 下单应答').prepay_id;
    const timeStamp = String(Math.floor(this.clock.now() / 1000));
    const nonceStr = this.nonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = rsaSign(paySigningMessage(c.appid, timeStamp, nonceStr, pkg), this.merchantKey);
    return { kind: 'jsapi', prepayId, payParams: { appId: c.appid, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign } };
  }

  async queryPayment(orderNo: string): Promise<TradeStatus> {
    const r = await this.client.call('GET', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(orderNo)}?mchid=${encodeURIComponent(this.config.mchid)}`);
    const t = parsed(wxTransactionSchema, r.json, '查单应答');
    if (t.out_trade_no !== orderNo || t.mchid !== this.config.mchid || t.appid !== this.config.appid) {
      throw new ResponseUnverified('wechat', `查单应答的订单号/商户号与请求不符（${t.out_trade_no}/${t.mchid}）`);
    }
    const state = TRADE_STATES[t.trade_state];
    if (!state) throw new GatewayOutcomeUnknown('wechat', `未知的微信交易状态 ${t.trade_state}`);
    const paid = state === 'paid' || state === 'refunded';
    if (paid && t.amount?.total === undefined) throw new GatewayOutcomeUnknown('wechat', '已支付的订单缺少金额');
    return {
      orderNo,
      state,
      amountFen: paid ? t.amount?.total : undefined,
      platformTradeNo: t.transaction_id,
      paidAt: paid ? parseRfc3339(t.success_time) : undefined,
    };
  }

  /**
   * 204 = closed. A refusal is resolved by asking for the truth: WeChat answers ORDERPAID (v2's documented
   * code, "订单已支付，不能发起关单，请当作已支付的正常交易") or another 4xx for a trade paid meanwhile, and
   * ORDER_CLOSED for one already closed — the query tells which, and a paid trade is reported, not thrown.
   */
  async closePayment(orderNo: string): Promise<CloseResult> {
    try {
      await this.client.call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(orderNo)}/close`, { mchid: this.config.mchid });
      return { closed: true };
    } catch (e) {
      if (!(e instanceof GatewayRejected)) throw e;
      const now = await this.queryPayment(orderNo);
      if (now.state === 'paid' || now.state === 'refunded') return { closed: false, alreadyPaid: now };
      if (now.state === 'closed') return { closed: true };
      throw e;
    }
  }

  async refund(req: RefundRequest): Promise<RefundStatus> {
    const r = await this.client.call('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: req.orderNo,
      out_refund_no: req.refundNo,
      reason: req.reason.slice(0, 80),
      notify_url: req.notifyUrl,
      amount: { refund: checkFen(req.amountFen), total: checkFen(req.totalFen), currency: 'CNY' },
    });
    const status = this.refundStatus(parsed(wxRefundSchema, r.json, '退款应答'), req.orderNo, req.refundNo);
    if (status.amountFen !== req.amountFen) {
      // out_refund_no is idempotent: WeChat answers with the refund it already has under this number.
      throw new GatewayRejected('wechat', 'REFUND_AMOUNT_MISMATCH', `退款单号 ${req.refundNo} 已用于金额 ${status.amountFen} 分的退款，与本次 ${req.amountFen} 分不符，需人工核对`);
    }
    return status;
  }

  async queryRefund(orderNo: string, refundNo: string): Promise<RefundStatus> {
    const r = await this.client.call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(refundNo)}`);
    return this.refundStatus(parsed(wxRefundSchema, r.json, '查询退款应答'), orderNo, refundNo);
  }

  private refundStatus(r: WxRefund, orderNo: string, refundNo: string): RefundStatus {
    if (r.out_refund_no !== refundNo || r.out_trade_no !== orderNo) {
      throw new ResponseUnverified('wechat', `退款应答的单号与请求不符（${r.out_trade_no}/${r.out_refund_no}）`);
    }
    const state = REFUND_STATES[r.status];
    if (!state) throw new GatewayOutcomeUnknown('wechat', `未知的退款状态 ${r.status}`);
    return {
      refundNo,
      orderNo,
      state,
      amountFen: r.amount.refund,
      platformRefundNo: r.refund_id,
      succeededAt: state === 'success' ? parseRfc3339(r.success_time) : undefined,
      feeFen: r.amount.refund_fee,
      failReason: state === 'failed' ? '退款异常（ABNORMAL）：用户账户异常，需在商户平台发起异常退款' : undefined,
    };
  }

  /** One bill per call (商家转账, user-confirmed): a payroll batch fans out into one call per payee. */
  async transfer(req: TransferRequest): Promise<TransferStatus> {
    const c = this.config;
    const platformKey = this.ring.current;
    const remark = req.remark.slice(0, 32);
    const r = await this.client.call(
      'POST',
      '/v3/fund-app/mch-transfer/transfer-bills',
      {
        appid: c.appid,
        out_bill_no: req.transferNo,
        transfer_scene_id: c.transferSceneId ?? '1000',
        openid: req.payee.account,
        user_name: req.payee.name ? encryptSensitiveField(req.payee.name, platformKey.key) : undefined,
        transfer_amount: checkFen(req.amountFen),
        transfer_remark: remark,
        notify_url: req.notifyUrl,
        transfer_scene_report_infos: c.transferSceneReportInfos ?? [
          { info_type: '活动名称', info_content: remark },
          { info_type: '奖励说明', info_content: remark },
        ],
      },
      { 'Wechatpay-Serial': platformKey.serial },
    );
    return this.transferStatus(parsed(wxTransferBillSchema, r.json, '转账应答'), req.transferNo, req.amountFen);
  }

  async queryTransfer(transferNo: string): Promise<TransferStatus> {
    const r = await this.client.call('GET', `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(transferNo)}`);
    const bill = parsed(wxTransferBillSchema, r.json, '查询转账应答');
    if (bill.transfer_amount === undefined) throw new GatewayOutcomeUnknown('wechat', '查询转账应答缺少金额');
    return this.transferStatus(bill, transferNo, bill.transfer_amount);
  }

  /**
   * 撤销转账 (POST …/transfer-bills/out-bill-no/{out_bill_no}/cancel): accepted only before the payee
   * confirms; the answer `{out_bill_no, transfer_bill_no, state: CANCELING|CANCELLED, update_time}`
   * carries no amount (wechatpay-im/website openapi/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/
   * {out_bill_no}/cancel.md: "返回成功仅表示撤销请求已受理…以最终查询单据返回状态为准"). A bill that can no
   * longer be cancelled (the payee confirmed, it failed) is a business refusal: the bill is queried instead.
   */
  async cancelTransfer(transferNo: string): Promise<TransferStatus> {
    let r;
    try {
      r = await this.client.call('POST', `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(transferNo)}/cancel`, {});
    } catch (e) {
      if (e instanceof GatewayRejected && !e.retryable && e.code !== 'NOT_FOUND') return this.queryTransfer(transferNo);
      throw e;
    }
    const bill = parsed(wxTransferBillSchema, r.json, '撤销转账应答');
    return this.transferStatus(bill, transferNo, bill.transfer_amount ?? 0);
  }

  private transferStatus(b: WxTransferBill, transferNo: string, amountFen: number): TransferStatus {
    if (b.out_bill_no !== transferNo) throw new ResponseUnverified('wechat', `转账应答的商户单号 ${b.out_bill_no} 与请求不符`);
    const state = TRANSFER_STATES[b.state];
    if (!state) throw new GatewayOutcomeUnknown('wechat', `未知的转账单状态 ${b.state}`);
    return {
      transferNo,
      state,
      amountFen,
      platformTransferNo: b.transfer_bill_no,
      succeededAt: state === 'success' ? parseRfc3339(b.update_time) : undefined,
      failReason: b.fail_reason,
      retryable: state === 'failed' ? !NON_RETRYABLE_TRANSFER_FAILURES.has(b.fail_reason ?? '') : undefined,
      packageInfo: b.package_info,
    };
  }

  async downloadBill(req: BillRequest): Promise<BillFile> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(req.date)) throw new Error(`账单日期格式应为 YYYY-MM-DD：${req.date}`);
    const type = { all: 'ALL', success: 'SUCCESS', refund: 'REFUND' }[req.type];
    const r = await this.client.call('GET', `/v3/bill/tradebill?bill_date=${req.date}&bill_type=${type}`);
    const meta = parsed(wxBillUrlSchema, r.json, '申请交易账单应答');
    if (meta.hash_type !== 'SHA1') throw new GatewayOutcomeUnknown('wechat', `不支持的账单摘要算法 ${meta.hash_type}`);
    const bytes = await this.client.download(meta.download_url);
    const sha1 = createHash('sha1').update(bytes).digest('hex');
    if (sha1 !== meta.hash_value.toLowerCase()) throw new ResponseUnverified('wechat', '下载的账单文件 SHA1 与微信支付给出的摘要不符（文件损坏或被篡改）');
    return { platform: 'wechat', date: req.date, bytes, format: 'wechat-csv' };
  }

  async verifyNotification(req: InboundRequest): Promise<VerifiedNotification> {
    const c = this.config;
    return verifyWechatNotification(req, { mchid: c.mchid, appid: c.appid, apiV3Key: c.apiV3Key, ring: this.ring, nowMs: this.clock.now() });
  }

  notificationReply(accepted: boolean, reason?: string): NotificationReply {
    return wechatNotificationReply(accepted, reason);
  }
}

/** A verified answer without the fields we need: the platform acted or not, we cannot tell. */
function parsed<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const r = schema.safeParse(json);
  if (!r.success) throw new GatewayOutcomeUnknown('wechat', `${what}缺少必要字段（结果未知，需先查询）`);
  return r.data;
}
