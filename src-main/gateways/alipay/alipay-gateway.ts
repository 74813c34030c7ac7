import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../core/time';
import type {
  BillFile, BillRequest, CloseResult, CreatePaymentRequest, CreatePaymentResult, Gateway, InboundRequest,
  NotificationReply, RefundRequest, RefundStatus, TradeStatus, TransferRequest, TransferStatus, VerifiedNotification,
} from '../gateway';
import { GatewayOutcomeUnknown, GatewayRejected, ResponseUnverified } from '../gateway-errors';
import type { HttpTransport } from '../http';
import { parseNotification } from './alipay-notify';
import { MalformedJson, splitResponse, type SignedResponse } from './alipay-response';
import { loadPrivateKey, loadPublicKey, requestSignContent, rsa2Sign, rsa2Verify, type AlipayParams } from './alipay-sign';
import { transferFailure, transferState } from './alipay-transfer';
import {
  AlipayWireError, classify, commonParams, formatTime, identityType, optionalAmount, pageUrl, parseAmount, parseTime, splitForPost, str, yuan,
} from './alipay-wire';

/**
 * Alipay open platform adapter (RSA2, public-key mode; cert-mode SNs can be configured). Page and wap
 * pay are signed GET URLs the browser opens; everything else is a signed form POST to gateway.do whose
 * JSON answer must verify with an Alipay public key before any field of it is believed.
 */
export interface AlipayPublicKeyConfig {
  /** PEM or bare base64 SPKI. */
  key: string;
  /** Cert mode: the SN of the Alipay public key certificate (responses name it in alipay_cert_sn). */
  certSn?: string;
}

export interface AlipayGatewayConfig {
  appId: string;
  /** The merchant PID (2088…), checked against seller_id in notifications when given. */
  sellerId?: string;
  /** The application private key (PKCS#1 or PKCS#8, PEM or bare base64). Never logged. */
  merchantPrivateKey: string;
  /** Alipay public keys trusted for verification: a list, so a rotated-out key stays valid until removed. */
  alipayPublicKeys: readonly AlipayPublicKeyConfig[];
  /** https://openapi.alipay.com/gateway.do in production, the simulator's /gateway.do in sandbox. */
  gatewayUrl: string;
  appCertSn?: string;
  alipayRootCertSn?: string;
  timeoutMs?: number;
}

type Json = Record<string, unknown>;

const unknown = (message: string, cause?: unknown) => new GatewayOutcomeUnknown('alipay', message, cause);

export class AlipayGateway implements Gateway {
  readonly platform = 'alipay' as const;
  private readonly privateKey: KeyObject;
  private readonly publicKeys: { key: KeyObject; certSn?: string }[];
  private readonly appId: string;
  private readonly sellerId?: string;
  private readonly gatewayUrl: string;
  private readonly certSns: { appCertSn?: string; alipayRootCertSn?: string };
  private readonly timeoutMs?: number;

  constructor(config: AlipayGatewayConfig, private readonly http: HttpTransport, private readonly clock: Clock) {
    // Keep key objects, not the config: nothing here can print key material by accident.
    this.privateKey = loadPrivateKey(config.merchantPrivateKey);
    this.publicKeys = config.alipayPublicKeys.map((k) => ({ key: loadPublicKey(k.key), certSn: k.certSn }));
    if (this.publicKeys.length === 0) throw new Error('至少需要配置一个支付宝公钥');
    this.appId = config.appId;
    this.sellerId = config.sellerId;
    this.gatewayUrl = config.gatewayUrl;
    this.certSns = { appCertSn: config.appCertSn, alipayRootCertSn: config.alipayRootCertSn };
    this.timeoutMs = config.timeoutMs;
  }

  private sign(method: string, bizContent: Json, urls: { notifyUrl?: string; returnUrl?: string } = {}): AlipayParams {
    const params = commonParams({ appId: this.appId, method, now: this.clock.now(), bizContent, ...urls, ...this.certSns });
    params.sign = rsa2Sign(requestSignContent(params), this.privateKey);
    return params;
  }

  private verifyResponse(r: SignedResponse): boolean {
    if (!r.sign) return false;
    const keys = this.publicKeys.filter((k) => r.certSn === undefined || k.certSn === undefined || k.certSn === r.certSn).map((k) => k.key);
    return rsa2Verify(r.content, r.sign, keys);
  }

  /** One gateway.do call: sign, POST, verify the answer, sort its result code into success / refusal / unknown. */
  private async call(method: string, bizContent: Json, notifyUrl?: string): Promise<Json> {
    const { url, body } = splitForPost(this.gatewayUrl, this.sign(method, bizContent, { notifyUrl }));
    const res = await this.http({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
      body,
      timeoutMs: this.timeoutMs,
    });
    if (res.status !== 200) throw unknown(`支付宝网关返回 HTTP ${res.status}（结果未知，需先查询）`);
    let signed: SignedResponse;
    let data: unknown;
    try {
      signed = splitResponse(res.body.toString('utf8'), method);
      data = JSON.parse(signed.content);
    } catch (e) {
      if (e instanceof MalformedJson || e instanceof SyntaxError) throw new ResponseUnverified('alipay', `支付宝响应无法解析（${method}，结果未知，需先查询）`, e);
      throw e;
    }
    if (!this.verifyResponse(signed)) throw new ResponseUnverified('alipay', `支付宝响应验签失败（${method}，结果未知，需先查询）`);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ResponseUnverified('alipay', `支付宝响应不是对象（${method}）`);
    const r = data as Json;
    const rc = { code: str(r, 'code'), msg: str(r, 'msg'), sub_code: str(r, 'sub_code'), sub_msg: str(r, 'sub_msg') };
    const verdict = classify(rc);
    const text = `${rc.sub_msg ?? rc.msg ?? ''}（${rc.sub_code ?? rc.code ?? '无返回码'}）`;
    if (verdict === 'unknown') throw unknown(`支付宝系统繁忙，结果未知，需先查询：${text}`);
    if (verdict === 'rejected') throw new GatewayRejected('alipay', rc.sub_code ?? rc.code ?? 'UNKNOWN', `支付宝拒绝：${text}`);
    return r;
  }

  /** A verified response about some other order is not an answer to our question. */
  private expect(r: Json, field: string, value: string): void {
    const got = str(r, field);
    if (got !== undefined && got !== value) throw unknown(`支付宝响应的 ${field} ${got} 与请求 ${value} 不符`);
  }

  private wire<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof AlipayWireError) throw unknown(e.message, e);
      throw e;
    }
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const now = this.clock.now();
    if (req.expireAt <= now + 60_000) throw new RangeError('支付宝订单的有效期至少 1 分钟');
    const base = { out_trade_no: req.orderNo, total_amount: yuan(req.amountFen), subject: req.description };
    const urls = { notifyUrl: req.notifyUrl, returnUrl: req.returnUrl };
    switch (req.scene) {
      // Absolute time_expire: the signed URL cannot be paid after our own expiry (opendocs wap.pay/page.pay).
      case 'alipay_page':
        return { kind: 'redirect', url: pageUrl(this.gatewayUrl, this.sign('alipay.trade.page.pay', { ...base, product_code: 'FAST_INSTANT_TRADE_PAY', time_expire: formatTime(req.expireAt) }, urls)) };
      case 'alipay_wap': {
        const biz: Json = { ...base, product_code: 'QUICK_WAP_WAY', time_expire: formatTime(req.expireAt) };
        if (req.returnUrl) biz.quit_url = req.returnUrl;
        return { kind: 'redirect', url: pageUrl(this.gatewayUrl, this.sign('alipay.trade.wap.pay', biz, urls)) };
      }
      case 'alipay_precreate': {
        // precreate takes a relative timeout_express in whole minutes; round down so Alipay closes first.
        const minutes = Math.max(1, Math.floor((req.expireAt - now) / 60_000));
        const r = await this.call('alipay.trade.precreate', { ...base, timeout_express: `${minutes}m` }, req.notifyUrl);
        this.expect(r, 'out_trade_no', req.orderNo);
        const qr = str(r, 'qr_code');
        if (!qr) throw unknown('支付宝预下单成功但没有返回 qr_code');
        return { kind: 'qr', codeUrl: qr };
      }
      default:
        throw new RangeError(`支付宝不支持支付场景 ${req.scene}`);
    }
  }

  async queryPayment(orderNo: string): Promise<TradeStatus> {
    const r = await this.call('alipay.trade.query', { out_trade_no: orderNo });
    this.expect(r, 'out_trade_no', orderNo);
    return this.wire(() => {
      const tradeStatus = str(r, 'trade_status');
      const amountFen = parseAmount(str(r, 'total_amount'), 'total_amount');
      const paidAt = parseTime(str(r, 'send_pay_date'));
      const st: TradeStatus = { orderNo, state: 'pending', amountFen, platformTradeNo: str(r, 'trade_no') };
      if (tradeStatus === 'TRADE_SUCCESS' || tradeStatus === 'TRADE_FINISHED') st.state = 'paid';
      // TRADE_CLOSED is both "closed unpaid" and "fully refunded"; only a paid trade has send_pay_date.
      else if (tradeStatus === 'TRADE_CLOSED') st.state = paidAt !== undefined ? 'refunded' : 'closed';
      else if (tradeStatus !== 'WAIT_BUYER_PAY') throw new AlipayWireError(`未知的交易状态 ${String(tradeStatus)}`);
      if (paidAt !== undefined) st.paidAt = paidAt;
      return st;
    });
  }

  async closePayment(orderNo: string): Promise<CloseResult> {
    try {
      await this.call('alipay.trade.close', { out_trade_no: orderNo });
      return { closed: true };
    } catch (e) {
      if (!(e instanceof GatewayRejected)) throw e;
      // Page/wap trades exist at Alipay only once the payer opens the cashier. Nothing to close, and the
      // signed URL carries time_expire = our expiry, so it cannot be paid after that.
      if (e.code === 'ACQ.TRADE_NOT_EXIST') return { closed: true };
      // Only WAIT_BUYER_PAY can be closed (opendocs alipay.trade.close): find out what it is instead.
      if (e.code === 'ACQ.TRADE_STATUS_ERROR') {
        const st = await this.queryPayment(orderNo);
        if (st.state === 'closed') return { closed: true };
        if (st.state === 'paid' || st.state === 'refunded') return { closed: false, alreadyPaid: st };
      }
      throw e;
    }
  }

  async refund(req: RefundRequest): Promise<RefundStatus> {
    // No notify_url here: Alipay notifies refunds at the payment's notify_url.
    const r = await this.call('alipay.trade.refund', {
      out_trade_no: req.orderNo, refund_amount: yuan(req.amountFen), out_request_no: req.refundNo, refund_reason: req.reason,
    });
    this.expect(r, 'out_trade_no', req.orderNo);
    const cumulative = this.wire(() => parseAmount(str(r, 'refund_fee'), 'refund_fee'));
    // fund_change=Y: money moved now. N: a retry of a refund already made, or not finished — ask.
    if (str(r, 'fund_change') === 'Y') {
      if (cumulative < req.amountFen) throw unknown(`支付宝累计退款 ${str(r, 'refund_fee')} 小于本次退款金额`);
      return { refundNo: req.refundNo, orderNo: req.orderNo, state: 'success', amountFen: req.amountFen, succeededAt: parseTime(str(r, 'gmt_refund_pay')) ?? this.clock.now() };
    }
    const st = await this.queryRefund(req.orderNo, req.refundNo);
    return st.state === 'success' ? st : { ...st, amountFen: req.amountFen };
  }

  async queryRefund(orderNo: string, refundNo: string): Promise<RefundStatus> {
    const r = await this.call('alipay.trade.fastpay.refund.query', { out_trade_no: orderNo, out_request_no: refundNo, query_options: ['gmt_refund_pay'] });
    this.expect(r, 'out_request_no', refundNo);
    this.expect(r, 'out_trade_no', orderNo);
    return this.wire(() => {
      const amountFen = optionalAmount(str(r, 'refund_amount'), 'refund_amount');
      if (str(r, 'refund_status') === 'REFUND_SUCCESS') {
        if (amountFen === undefined) throw new AlipayWireError('退款成功但没有 refund_amount');
        return { refundNo, orderNo, state: 'success', amountFen, succeededAt: parseTime(str(r, 'gmt_refund_pay')) };
      }
      // An empty refund_status means not done (or never received): retry with the same out_request_no.
      return { refundNo, orderNo, state: 'processing', amountFen: amountFen ?? 0, failReason: '支付宝尚未确认退款成功，可用同一退款请求号重试' };
    });
  }

  async transfer(req: TransferRequest): Promise<TransferStatus> {
    const biz = {
      out_biz_no: req.transferNo, trans_amount: yuan(req.amountFen), product_code: 'TRANS_ACCOUNT_NO_PWD', biz_scene: 'DIRECT_TRANSFER',
      order_title: req.remark, payee_info: { identity: req.payee.account, identity_type: identityType(req.payee.account), name: req.payee.name }, remark: req.remark,
    };
    let r: Json;
    try {
      r = await this.call('alipay.fund.trans.uni.transfer', biz);
    } catch (e) {
      const failed = e instanceof GatewayRejected ? transferFailure(e.code, e.message) : undefined;
      if (failed) return { transferNo: req.transferNo, state: 'failed', amountFen: req.amountFen, ...failed };
      throw e;
    }
    this.expect(r, 'out_biz_no', req.transferNo);
    const state = this.wire(() => transferState(str(r, 'status')));
    return { transferNo: req.transferNo, state, amountFen: req.amountFen, platformTransferNo: str(r, 'order_id'), succeededAt: state === 'success' ? parseTime(str(r, 'trans_date')) : undefined };
  }

  async queryTransfer(transferNo: string): Promise<TransferStatus> {
    const r = await this.call('alipay.fund.trans.common.query', { product_code: 'TRANS_ACCOUNT_NO_PWD', biz_scene: 'DIRECT_TRANSFER', out_biz_no: transferNo });
    this.expect(r, 'out_biz_no', transferNo);
    return this.wire(() => {
      const state = transferState(str(r, 'status'));
      // trans_amount is returned only for SUCCESS (alipay-sdk-java-all AlipayFundTransCommonQueryResponse).
      const st: TransferStatus = { transferNo, state, amountFen: optionalAmount(str(r, 'trans_amount'), 'trans_amount') ?? 0, platformTransferNo: str(r, 'order_id') };
      if (state === 'success') st.succeededAt = parseTime(str(r, 'pay_date'));
      if (state === 'failed') Object.assign(st, transferFailure(str(r, 'error_code') ?? 'FAIL', str(r, 'fail_reason') ?? '转账失败') ?? { failReason: str(r, 'fail_reason'), retryable: false });
      return st;
    });
  }

  async downloadBill(req: BillRequest): Promise<BillFile> {
    // Alipay's trade bill always holds trades and refunds (业务类型 交易/退款); req.type filters nothing here.
    const r = await this.call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: req.date });
    const url = str(r, 'bill_download_url');
    if (!url) throw unknown('支付宝没有返回账单下载地址');
    // The URL is valid for 30 seconds: fetch it straight away.
    const res = await this.http({ method: 'GET', url, timeoutMs: this.timeoutMs ?? 30_000 });
    if (res.status !== 200) throw unknown(`下载支付宝账单失败：HTTP ${res.status}`);
    if (res.body.length < 4 || res.body.readUInt32LE(0) !== 0x04034b50) throw unknown('支付宝账单不是 ZIP 文件');
    return { platform: 'alipay', date: req.date, bytes: res.body, format: 'alipay-zip' };
  }

  async verifyNotification(req: InboundRequest): Promise<VerifiedNotification> {
    const parsed = parseNotification(req, { appId: this.appId, sellerId: this.sellerId, alipayPublicKeys: this.publicKeys.map((k) => k.key) });
    if (parsed.kind === 'payment') return { platform: 'alipay', notificationId: parsed.notificationId, event: parsed.event, payload: parsed.params };
    // A refund notification carries only the cumulative refund_fee: ask Alipay for this refund's own amount.
    const n = parsed.refund;
    const st = await this.queryRefund(n.orderNo, n.refundNo);
    if (st.state === 'success' && st.amountFen > n.cumulativeRefundFen) throw unknown(`退款金额 ${st.amountFen} 分大于通知中的累计退款`);
    return {
      platform: 'alipay',
      notificationId: parsed.notificationId,
      event: { kind: 'refund', orderNo: n.orderNo, refundNo: n.refundNo, state: st.state, amountFen: st.amountFen, succeededAt: st.succeededAt ?? n.refundedAt },
      payload: parsed.params,
    };
  }

  /** Alipay retries until the body is exactly `success` (opendocs open/203/105286); anything else is a failure. */
  notificationReply(accepted: boolean): NotificationReply {
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: accepted ? 'success' : 'fail' };
  }
}
