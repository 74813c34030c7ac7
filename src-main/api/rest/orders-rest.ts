import { z } from 'zod';
import type { App } from '../../app';
import { isDomainError } from '../../core/errors';
import type { Order } from '../../core/orders/order';
import { ORDER_STATUSES, ORDER_TYPES, PAYMENT_METHODS, type PaymentMethod } from '../../core/orders/order-types';
import { isoShanghai } from '../../core/time';
import type { PayScene } from '../../gateways/gateway';
import type { StartedPayment } from '../../services/payments/payment-service';
import { describeZodError, orderNo, text, yuanAmount } from '../schemas';
import { fail, ok, statusForDomainCode, yuanNumber, type RestReply } from './rest-envelope';

/** The payment order routes of design document 6.1, for the mini-program and web checkout back ends. */
const SCENES = ['wechat_jsapi', 'wechat_native', 'alipay_page', 'alipay_wap', 'alipay_precreate', 'bank_quick', 'bank_online'] as const;

const payFields = {
  scene: z.enum(SCENES, '支付场景不正确').optional(),
  openid: text(128).optional(),
  return_url: z.url('返回地址不正确').max(512).optional(),
  card_token: text(128).optional(),
};

const CreateOrder = z.strictObject({
  amount: yuanAmount,
  payment_method: z.enum(PAYMENT_METHODS, '支付方式必须是 wechat/alipay/bank 之一'),
  order_type: z.enum(ORDER_TYPES, '订单类型不正确'),
  related_id: text(64).default(''),
  description: text(256).default(''),
  payer_id: text(64).default(''),
  ...payFields,
});

const PayOrder = z.strictObject(payFields);

const ListOrders = z.strictObject({
  payer_id: text(64).optional(),
  status: z.enum(ORDER_STATUSES, '订单状态不正确').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

/** Without a scene, the natural one: the mini-program when an openid is given, else a QR code or bank page. */
function defaultScene(method: PaymentMethod, openid: string | undefined): PayScene {
  if (method === 'wechat') return openid ? 'wechat_jsapi' : 'wechat_native';
  if (method === 'alipay') return 'alipay_precreate';
  return 'bank_online';
}

export function orderView(o: Order) {
  return {
    order_id: o.orderNo,
    amount: yuanNumber(o.amountFen),
    payment_method: o.method,
    order_type: o.type,
    status: o.status,
    related_id: o.relatedId,
    description: o.description,
    refunded_amount: yuanNumber(o.refundedFen),
    create_time: isoShanghai(o.createdAt),
    expire_time: isoShanghai(o.expireAt),
    pay_time: o.paidAt === null ? null : isoShanghai(o.paidAt),
  };
}

function paymentView(p: StartedPayment) {
  const r = p.result;
  if (r.kind === 'jsapi') return { scene: p.scene, pay_params: r.payParams };
  if (r.kind === 'qr') return { scene: p.scene, payment_url: r.codeUrl };
  if (r.kind === 'redirect') return { scene: p.scene, payment_url: r.url };
  return { scene: p.scene, bank_trade_no: r.platformTradeNo };
}

function parse<T extends z.ZodType>(schema: T, input: unknown): { ok: true; data: z.output<T> } | { ok: false; reply: RestReply } {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, data: r.data } : { ok: false, reply: fail(400, describeZodError(r.error)) };
}

async function guarded(work: () => Promise<RestReply>): Promise<RestReply> {
  try {
    return await work();
  } catch (e) {
    if (isDomainError(e)) return fail(statusForDomainCode(e.code), e.message);
    throw e;
  }
}

export interface RestCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  clientId: string;
}

/** Routes one REST call; null when the path is not one of these routes. */
export async function routeOrders(app: App, call: RestCall): Promise<RestReply | null> {
  const actor = { id: null, name: `接口客户端 ${call.clientId}` };
  const m = /^\/api\/payment\/orders(?:\/([^/]+)(?:\/(cancel|pay))?)?$/.exec(call.path);
  if (!m) return null;
  const [, id, action] = m;

  if (!id && call.method === 'POST')
    return guarded(async () => {
      const p = parse(CreateOrder, call.body);
      if (!p.ok) return p.reply;
      const i = p.data;
      const order = await app.orders.create(actor, { amountFen: i.amount, method: i.payment_method, type: i.order_type, relatedId: i.related_id, description: i.description, payerId: i.payer_id });
      let payment: ReturnType<typeof paymentView> | { payment_error: string };
      try {
        payment = paymentView(await app.payments.start(actor, { orderNo: order.orderNo, scene: i.scene ?? defaultScene(order.method, i.openid), payerOpenId: i.openid, returnUrl: i.return_url, bankCardToken: i.card_token }));
      } catch (e) {
        // The order stands; the client may ask to pay again with POST …/<order_id>/pay.
        if (!isDomainError(e)) throw e;
        payment = { payment_error: e.message };
      }
      return ok(201, '订单创建成功', { ...orderView(order), ...payment });
    });

  if (!id && call.method === 'GET')
    return guarded(async () => {
      const p = parse(ListOrders, Object.fromEntries(call.query));
      if (!p.ok) return p.reply;
      const page = await app.orders.list(
        { payerId: p.data.payer_id || undefined, statuses: p.data.status ? [p.data.status] : undefined },
        { page: p.data.page, pageSize: p.data.page_size, sortBy: 'createdAt', sortOrder: 'desc' },
      );
      return ok(200, '查询成功', { total: page.total, page: page.page, page_size: page.pageSize, items: page.items.map(orderView) });
    });

  if (!id) return fail(405, '不支持的请求方法');
  const no = orderNo.safeParse(id);
  if (!no.success) return fail(400, describeZodError(no.error));

  if (!action && call.method === 'GET') return guarded(async () => ok(200, '查询成功', orderView((await app.orders.get(no.data)).order)));
  if (action === 'cancel' && call.method === 'POST')
    return guarded(async () => {
      await app.payments.cancel(actor, no.data, 'user');
      return ok(200, '订单取消成功');
    });
  if (action === 'pay' && call.method === 'POST')
    return guarded(async () => {
      const p = parse(PayOrder, call.body);
      if (!p.ok) return p.reply;
      const order = (await app.orders.get(no.data)).order;
      const started = await app.payments.start(actor, { orderNo: order.orderNo, scene: p.data.scene ?? defaultScene(order.method, p.data.openid), payerOpenId: p.data.openid, returnUrl: p.data.return_url, bankCardToken: p.data.card_token });
      return ok(200, '支付已发起', { ...orderView(order), ...paymentView(started) });
    });
  return fail(405, '不支持的请求方法');
}
