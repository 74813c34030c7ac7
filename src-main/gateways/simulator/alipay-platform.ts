import { createHmac, generateKeyPairSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { shanghaiDate } from '../../core/time';
import { responseKey } from '../alipay/alipay-response';
import { loadPrivateKey, loadPublicKey, requestSignContent, rsa2Sign, rsa2Verify, type AlipayParams } from '../alipay/alipay-sign';
import { parseTime } from '../alipay/alipay-wire';
import { alipayBillZip } from './alipay-bill';
import { AlipayBooks, fail, ok, type Biz, type Reply } from './alipay-books';
import { notificationParams, signedNotification } from './alipay-notify';
import { FaultPlan } from './faults';
import type { SimRefund, SimTrade } from './ledger';
import { ALIPAY_RETRY_SCHEDULE_MS } from './notifier';
import { hang, send, type SimContext, type SimPlatform, type SimRequest } from './sim-http';

/**
 * The simulated Alipay open platform. Paths: `/gateway.do` (GET/POST; the API methods answer signed
 * JSON, page/wap pay open the cashier), `/alipay/qr/<code>` (what a precreate qr_code opens) and
 * `/downloadBillFile.resource` (bill archives, 30 s links). It verifies our RSA2 request signatures with
 * the app's public key (40002 isv.invalid-signature otherwise, with the string it checked, as Alipay
 * does), signs every answer and notification with its own Alipay private key, and notifies with
 * Alipay's retry schedule until the body `success` comes back.
 *
 * In sandbox the payer's way to the simulator's pay page: page/wap URLs point at this gateway, which
 * creates the trade when opened (as Alipay does when the payer reaches the cashier) and redirects to
 * /__sim/pay-page; a precreate qr_code is `<sim>/alipay/qr/bax…`, the shape of https://qr.alipay.com/bax…,
 * and redirects there too. Fault operations: create, query, close, refund, query_refund, transfer,
 * query_transfer, bill; notifications take notify_* faults under 'notify'.
 */
export interface AlipayPlatformOptions {
  appId: string;
  /** The merchant PID (seller_id), 2088 + 12 digits. */
  pid: string;
  /** The app's public key(s) the merchant registered: our requests must verify with one of them. */
  merchantPublicKeys: readonly string[];
  /** Alipay's own private key: signs responses and notifications. */
  alipayPrivateKey: string;
  refundDelayMs?: number;
  feeRatePpm?: number;
  payees?: Readonly<Record<string, string>>;
  balanceFen?: number;
}

const METHOD_OPS: Record<string, string> = {
  'alipay.trade.precreate': 'create',
  'alipay.trade.query': 'query',
  'alipay.trade.close': 'close',
  'alipay.trade.refund': 'refund',
  'alipay.trade.fastpay.refund.query': 'query_refund',
  'alipay.fund.trans.uni.transfer': 'transfer',
  'alipay.fund.trans.common.query': 'query_transfer',
  'alipay.data.dataservice.bill.downloadurl.query': 'bill',
};
const PAGE_METHODS: Record<string, string> = { 'alipay.trade.page.pay': 'alipay_page', 'alipay.trade.wap.pay': 'alipay_wap' };

/** Alipay writes JSON with escaped slashes ("https:\/\/qr.alipay.com\/…"); '/' only ever occurs inside strings. */
export const alipayJson = (v: unknown): string => JSON.stringify(v).replace(/\//g, '\\/');

export class AlipayPlatform implements SimPlatform {
  readonly platform = 'alipay' as const;
  readonly faults = new FaultPlan();
  readonly books: AlipayBooks;
  private readonly alipayKey: KeyObject;
  private readonly merchantKeys: KeyObject[];
  private readonly linkSecret = randomBytes(16);
  private readonly qrCodes = new Map<string, string>();
  private strangerKey?: KeyObject;

  constructor(private readonly ctx: SimContext, private readonly opts: AlipayPlatformOptions) {
    this.alipayKey = loadPrivateKey(opts.alipayPrivateKey);
    this.merchantKeys = opts.merchantPublicKeys.map(loadPublicKey);
    this.books = new AlipayBooks(
      { refundDelayMs: opts.refundDelayMs ?? 0, payees: opts.payees, balanceFen: opts.balanceFen ?? 100_000_000_00, buyerLogonId: 'buy***@sandbox.com' },
      () => ctx.clock.now(),
      (t, r) => this.notify(t, r),
    );
  }

  get ledger() {
    return this.books.ledger;
  }

  /** A key nobody trusts, for the forged-signature faults. */
  private stranger(): KeyObject {
    this.strangerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    return this.strangerKey;
  }

  async handle(req: SimRequest, res: ServerResponse): Promise<boolean> {
    const path = req.url.pathname;
    if (path === '/gateway.do') return this.gateway(req, res).then(() => true);
    if (path.startsWith('/alipay/qr/')) {
      const orderNo = this.qrCodes.get(path.slice('/alipay/qr/'.length));
      if (!orderNo) send(res, 404, '二维码已失效', { 'content-type': 'text/plain; charset=utf-8' });
      else this.toPayPage(res, orderNo);
      return true;
    }
    if (path === '/downloadBillFile.resource') {
      this.download(req, res);
      return true;
    }
    return false;
  }

  async pay(orderNo: string): Promise<SimTrade> {
    return this.books.pay(orderNo);
  }

  bill(date: string, type: 'all' | 'success' | 'refund'): Buffer {
    const b = this.books.ledger;
    return alipayBillZip({ pid: this.opts.pid, date, trades: b.trades.values(), refunds: b.refunds.values(), exportedAt: this.ctx.clock.now(), feeRatePpm: this.opts.feeRatePpm ?? 6000, type });
  }

  private toPayPage(res: ServerResponse, orderNo: string): void {
    res.writeHead(302, { location: `${this.ctx.baseUrl()}/__sim/pay-page?platform=alipay&orderNo=${encodeURIComponent(orderNo)}` });
    res.end();
  }

  /** Common parameters from the query string, biz_content (and anything else) from the form body. */
  private params(req: SimRequest): { params: AlipayParams } | { error: Reply } {
    const params: AlipayParams = {};
    const type = String(req.headers['content-type'] ?? '');
    const body = req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(req.body.toString('utf8')) : new URLSearchParams();
    for (const source of [req.url.searchParams, body]) {
      for (const [k, v] of source) {
        if (k in params) return { error: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter', sub_msg: `参数 ${k} 重复` } };
        params[k] = v;
      }
    }
    return { params };
  }

  /** The gateway's own checks, before any business logic (public error codes 40001/40002). */
  private authenticate(p: AlipayParams): Reply | undefined {
    for (const k of ['app_id', 'method', 'charset', 'sign_type', 'sign', 'timestamp', 'version']) {
      if (!p[k]) return { code: '40001', msg: 'Missing Required Arguments', sub_code: `isv.missing-${k.replace(/_/g, '-')}`, sub_msg: `缺少 ${k}` };
    }
    const invalid = (sub: string, msg: string): Reply => ({ code: '40002', msg: 'Invalid Arguments', sub_code: sub, sub_msg: msg });
    if (p.app_id !== this.opts.appId) return invalid('isv.invalid-app-id', '无效的AppID参数');
    if (p.sign_type !== 'RSA2') return invalid('isv.invalid-signature-type', '无效的签名类型');
    if (p.charset?.toLowerCase() !== 'utf-8') return invalid('isv.invalid-charset', '字符集错误');
    if (p.format !== undefined && p.format.toUpperCase() !== 'JSON') return invalid('isv.invalid-format', '无效的数据格式');
    if (parseTime(p.timestamp) === undefined) return invalid('isv.invalid-timestamp', '非法的时间戳参数');
    const content = requestSignContent(p);
    if (!rsa2Verify(content, p.sign ?? '', this.merchantKeys)) {
      // Alipay shows the string it checked, HTML-escaped (alipay-sdk src/alipay.ts comment).
      return invalid('isv.invalid-signature', `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content.replace(/&/g, '&amp;')}`);
    }
    return undefined;
  }

  private reply(res: ServerResponse, key: string, data: Reply, forged = false): void {
    const inner = alipayJson(data);
    const sign = rsa2Sign(inner, forged ? this.stranger() : this.alipayKey);
    send(res, 200, `{"${key}":${inner},"sign":"${sign}"}`, { 'content-type': 'application/json;charset=utf-8' });
  }

  private async gateway(req: SimRequest, res: ServerResponse): Promise<void> {
    const read = this.params(req);
    const method = req.url.searchParams.get('method') ?? ('params' in read ? read.params.method : undefined) ?? '';
    const key = METHOD_OPS[method] || PAGE_METHODS[method] ? responseKey(method) : 'error_response';
    if ('error' in read) return this.reply(res, key, read.error);
    const p = read.params;
    const denied = this.authenticate(p);
    let biz: Biz = {};
    try {
      const parsed: unknown = JSON.parse(p.biz_content ?? '{}');
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) biz = parsed as Biz;
    } catch {
      // An unparsable biz_content is refused below like a missing one.
    }
    const scene = PAGE_METHODS[method];
    if (scene) return this.openCashier(res, p, biz, scene, denied);
    const op = METHOD_OPS[method];
    if (denied) return this.reply(res, key, denied);
    if (!op) return this.reply(res, key, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' });

    const fault = this.faults.take(op, 'timeout_before_effect', 'server_error', 'timeout_after_effect', 'bad_response_signature');
    if (fault?.kind === 'timeout_before_effect') return hang(res);
    if (fault?.kind === 'server_error') return send(res, 500, '<html><body>500 Internal Server Error</body></html>', { 'content-type': 'text/html' });
    const data = this.act(method, biz, p, op);
    if (fault?.kind === 'timeout_after_effect') return hang(res);
    this.reply(res, key, data, fault?.kind === 'bad_response_signature');
  }

  private act(method: string, biz: Biz, p: AlipayParams, op: string): Reply {
    const b = this.books;
    switch (method) {
      case 'alipay.trade.precreate': {
        const minutes = /^(\d+)m$/.exec(typeof biz.timeout_express === 'string' ? biz.timeout_express : '');
        const expireAt = this.ctx.clock.now() + (minutes ? Number(minutes[1]) : 120) * 60_000;
        const r = b.open(biz, 'alipay_precreate', expireAt, p.notify_url ?? '');
        if ('error' in r) return r.error;
        return ok({ out_trade_no: r.trade.orderNo, qr_code: `${this.ctx.baseUrl()}/alipay/qr/${this.qrFor(r.trade.orderNo)}` });
      }
      case 'alipay.trade.query':
        return b.query(biz);
      case 'alipay.trade.close':
        return b.close(biz, this.faults.take(op, 'pay_after_close') !== undefined);
      case 'alipay.trade.refund':
        return b.refund(biz);
      case 'alipay.trade.fastpay.refund.query':
        return b.refundQuery(biz);
      case 'alipay.fund.trans.uni.transfer':
        return b.transfer(biz, () => this.faults.take(op, 'transfer_fail')?.code);
      case 'alipay.fund.trans.common.query':
        return b.transferQuery(biz);
      default:
        return this.billUrl(biz);
    }
  }

  private qrFor(orderNo: string): string {
    for (const [code, o] of this.qrCodes) if (o === orderNo) return code;
    const code = `bax${randomBytes(10).toString('hex')}`;
    this.qrCodes.set(code, orderNo);
    return code;
  }

  /** The browser opened a signed page/wap pay URL: the trade starts to exist; on to the pay page. */
  private openCashier(res: ServerResponse, p: AlipayParams, biz: Biz, scene: string, denied: Reply | undefined): void {
    const page = (msg: string) => send(res, 200, `<!doctype html><meta charset="utf-8"><title>支付宝（沙箱模拟）</title><p>${escapeHtml(msg)}</p>`, { 'content-type': 'text/html; charset=utf-8' });
    if (denied) return page(`错误代码 ${String(denied.sub_code)}：${String(denied.sub_msg)}`);
    const expireAt = parseTime(typeof biz.time_expire === 'string' ? biz.time_expire : undefined) ?? this.ctx.clock.now() + 15 * 86_400_000;
    const r = this.books.open(biz, scene, expireAt, p.notify_url ?? '');
    if ('error' in r) return page(`错误代码 ${String(r.error.sub_code)}：${String(r.error.sub_msg)}`);
    this.toPayPage(res, r.trade.orderNo);
  }

  private link(date: string, at: number): string {
    const token = createHmac('sha256', this.linkSecret).update(`${date}|${at}`).digest('hex');
    const day = date.replace(/-/g, '');
    return `${this.ctx.baseUrl()}/downloadBillFile.resource?bizType=trade&userId=${this.opts.pid}&fileType=csv.zip&bizDates=${day}&downloadFileName=${this.opts.pid}0156_${day}.csv.zip&timestamp=${at}&token=${token}`;
  }

  /** bill_type=trade, T+1 only (不支持下载当日账单); the download link lives 30 seconds. */
  private billUrl(biz: Biz): Reply {
    const date = typeof biz.bill_date === 'string' ? biz.bill_date : '';
    if (biz.bill_type !== 'trade') return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-arguments', sub_msg: '仅支持 bill_type=trade' };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-arguments', sub_msg: '账单日期格式错误' };
    if (date >= shanghaiDate(this.ctx.clock.now())) return fail('isp.bill_not_exist', '账单不存在');
    return ok({ bill_download_url: this.link(date, this.ctx.clock.now()) });
  }

  private download(req: SimRequest, res: ServerResponse): void {
    const q = req.url.searchParams;
    const day = q.get('bizDates') ?? '';
    const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
    const at = Number(q.get('timestamp'));
    const expected = Buffer.from(this.link(date, at).split('token=')[1] ?? '');
    const given = Buffer.from(q.get('token') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || this.ctx.clock.now() - at > 30_000) {
      return send(res, 403, '链接已失效', { 'content-type': 'text/plain; charset=utf-8' });
    }
    send(res, 200, this.bill(date, 'all'), { 'content-type': 'application/oct-stream', 'content-disposition': `attachment; filename=${this.opts.pid}0156_${day}.csv.zip` });
  }

  /** One trade_status_sync notification, with the notify_* faults applied. */
  private notify(trade: SimTrade, refund?: SimRefund): void {
    if (!trade.notifyUrl) return;
    const take = (kind: 'notify_bad_signature' | 'notify_amount_mismatch' | 'notify_duplicate' | 'notify_delay_ms') => this.faults.take('notify', kind);
    const forged = take('notify_bad_signature') !== undefined;
    const bump = take('notify_amount_mismatch') !== undefined ? 1 : 0;
    const duplicate = take('notify_duplicate') !== undefined;
    const delay = take('notify_delay_ms');
    const now = this.ctx.clock.now();
    const notifyId = `${shanghaiDate(now).replace(/-/g, '')}00222${String(now % 1e9).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
    const params = notificationParams({ trade, refund, notifyId, appId: this.opts.appId, pid: this.opts.pid, bumpFen: bump, cumulativeRefundFen: trade.refundedFen });
    const url = trade.notifyUrl;
    // A forged first delivery (someone else's key); Alipay's own retries are genuine.
    let forgeNext = forged;
    const build = () => {
      const key = forgeNext ? this.stranger() : this.alipayKey;
      forgeNext = false;
      return signedNotification(url, params, this.ctx.clock.now(), key);
    };
    const job = { platform: 'alipay', key: notifyId, build, isAck: isAlipayAck, schedule: ALIPAY_RETRY_SCHEDULE_MS, initialDelayMs: delay?.ms };
    this.ctx.notifier.send(job);
    if (duplicate) this.ctx.notifier.send(job);
  }
}

/** Alipay stops retrying once the merchant prints `success` (opendocs open/203/105286); surrounding whitespace tolerated. */
export const isAlipayAck = (status: number, body: string): boolean => status === 200 && body.trim() === 'success';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
