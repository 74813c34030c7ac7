import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src-main/app';
import { startPaymentServer, type PaymentServer } from '../../src-main/hosts/server';
import { signClientRequest } from '../../src-main/security/api-client-auth';
import { STORE_KINDS, testApp } from '../support/stores';

const CLIENT = 'miniapp';
const SECRET = 'x'.repeat(16) + randomBytes(16).toString('hex');

describe.each(STORE_KINDS)('REST API of the payment server on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let server: PaymentServer;

  beforeAll(async () => {
    ({ app, close } = await testApp(kind));
    server = await startPaymentServer({ app, port: 0, clients: new Map([[CLIENT, SECRET]]), log: () => undefined });
  });
  afterAll(async () => {
    await server.close();
    await close();
  });

  const call = async (method: string, pathWithQuery: string, body?: unknown, tweak: (h: Record<string, string>) => void = () => undefined) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(12).toString('hex');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-pay-client': CLIENT,
      'x-pay-timestamp': ts,
      'x-pay-nonce': nonce,
      'x-pay-signature': signClientRequest(SECRET, method, pathWithQuery, ts, nonce, text),
    };
    tweak(headers);
    const res = await fetch(server.url + pathWithQuery, { method, headers, body: text || undefined });
    return { status: res.status, json: (await res.json()) as { code: number; message: string; data?: Record<string, unknown> }, headers };
  };

  it('creates an order in the document shape: yuan amount, +08:00 expiry, order id P…', async () => {
    const r = await call('POST', '/api/payment/orders', { amount: 100.5, payment_method: 'wechat', order_type: 'customer_order', related_id: 'BK-1', description: '定金' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ code: 201, message: '订单创建成功', data: { amount: 100.5, payment_method: 'wechat', status: 'pending' } });
    expect(r.json.data!.order_id).toMatch(/^P\d{20}$/);
    expect(r.json.data!.expire_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    // No gateway is configured in this suite: the order stands and the payment error says why.
    expect(r.json.data!.payment_error).toBe('支付渠道「wechat」尚未配置');
    const stored = await app.orders.get(r.json.data!.order_id as string);
    expect(stored.order).toMatchObject({ amountFen: 10050, relatedId: 'BK-1' });
    expect(stored.history[0]?.actorName).toBe('接口客户端 miniapp');
  });

  it('queries, lists by payer and cancels; a second cancel is a conflict', async () => {
    const created = await call('POST', '/api/payment/orders', { amount: '88.00', payment_method: 'alipay', order_type: 'meal_bill', payer_id: 'U-7' });
    const id = created.json.data!.order_id as string;
    const got = await call('GET', `/api/payment/orders/${id}`);
    expect(got.json).toMatchObject({ code: 200, message: '查询成功', data: { order_id: id, amount: 88, status: 'pending', pay_time: null } });
    const list = await call('GET', '/api/payment/orders?payer_id=U-7');
    expect(list.json.data).toMatchObject({ total: 1 });
    expect(await call('POST', `/api/payment/orders/${id}/cancel`)).toMatchObject({ status: 200, json: { code: 200, message: '订单取消成功' } });
    expect(await call('POST', `/api/payment/orders/${id}/cancel`)).toMatchObject({ status: 409, json: { code: 409, message: '订单已取消' } });
  });

  it('a paid order cannot be cancelled through the API', async () => {
    const created = await call('POST', '/api/payment/orders', { amount: 20, payment_method: 'bank', order_type: 'customer_order' });
    const id = created.json.data!.order_id as string;
    await app.orders.confirmPayment({ id: null, name: 't' }, { orderNo: id, amountFen: 2000, gatewayTradeNo: 'B1', paidAt: Date.now() });
    expect(await call('POST', `/api/payment/orders/${id}/cancel`)).toMatchObject({ status: 409, json: { message: '已支付订单不能取消，请走退款流程' } });
    expect((await call('GET', `/api/payment/orders/${id}`)).json.data).toMatchObject({ status: 'paid' });
  });

  it.each([
    [{ amount: -1 }, '金额不能为负数'],
    [{ amount: 0.001 }, '金额最多保留两位小数'],
    [{ payment_method: 'paypal' }, '支付方式必须是 wechat/alipay/bank 之一'],
    [{ order_type: 'x' }, '订单类型不正确'],
  ])('bad input %j → 400 with a clear message, nothing created', async (patch, message) => {
    const before = (await app.orders.list({}, { page: 1, pageSize: 1, sortBy: 'createdAt', sortOrder: 'desc' })).total;
    const r = await call('POST', '/api/payment/orders', { amount: 10, payment_method: 'wechat', order_type: 'customer_order', ...patch });
    expect(r).toMatchObject({ status: 400, json: { code: 400, message } });
    expect((await app.orders.list({}, { page: 1, pageSize: 1, sortBy: 'createdAt', sortOrder: 'desc' })).total).toBe(before);
  });

  it('unknown and malformed order ids', async () => {
    expect(await call('GET', '/api/payment/orders/P20240101000000123456')).toMatchObject({ status: 404, json: { message: '订单 P20240101000000123456 不存在' } });
    expect((await call('GET', '/api/payment/orders/1%20OR%201=1')).status).toBe(400);
  });

  it('refuses unsigned, wrongly signed, stale and replayed requests', async () => {
    const unsigned = await fetch(`${server.url}/api/payment/orders/P20240101000000123456`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ code: 401, message: '缺少客户端认证信息' });
    expect((await call('GET', '/api/payment/orders', undefined, (h) => (h['x-pay-signature'] = '00'.repeat(32)))).json.message).toBe('签名验证失败');
    expect((await call('GET', '/api/payment/orders', undefined, (h) => (h['x-pay-client'] = 'stranger'))).json.message).toBe('未知的客户端');
    const stale = await call('GET', '/api/payment/orders', undefined, (h) => {
      const ts = String(Math.floor(Date.now() / 1000) - 301);
      h['x-pay-timestamp'] = ts;
      h['x-pay-signature'] = signClientRequest(SECRET, 'GET', '/api/payment/orders', ts, h['x-pay-nonce']!, '');
    });
    expect(stale.json.message).toBe('请求时间戳无效或已过期');
    const first = await call('GET', '/api/payment/orders');
    expect(first.status).toBe(200);
    const replay = await fetch(`${server.url}/api/payment/orders`, { headers: first.headers });
    expect(await replay.json()).toEqual({ code: 401, message: '重复的请求（随机串已使用）' });
    // A body changed after signing (¥1 became ¥1000) breaks the signature, and nothing is created.
    const signed = await call('GET', '/api/payment/orders?payer_id=tamper');
    const sent = JSON.stringify({ amount: 1000, payment_method: 'wechat', order_type: 'customer_order', payer_id: 'tamper' });
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(12).toString('hex');
    const signature = signClientRequest(SECRET, 'POST', '/api/payment/orders', ts, nonce, JSON.stringify({ amount: 1, payment_method: 'wechat', order_type: 'customer_order', payer_id: 'tamper' }));
    const tampered = await fetch(`${server.url}/api/payment/orders`, { method: 'POST', body: sent, headers: { 'x-pay-client': CLIENT, 'x-pay-timestamp': ts, 'x-pay-nonce': nonce, 'x-pay-signature': signature } });
    expect(await tampered.json()).toEqual({ code: 401, message: '签名验证失败' });
    expect(signed.json.data).toMatchObject({ total: 0 });
    expect((await call('GET', '/api/payment/orders?payer_id=tamper')).json.data).toMatchObject({ total: 0 });
  });

  it('refuses plain HTTP on a non-loopback address', async () => {
    await expect(startPaymentServer({ app, host: '0.0.0.0', port: 0, clients: new Map() })).rejects.toThrow('没有证书时支付服务只能监听本机地址');
  });

  it('health reports the database and the gateways', async () => {
    const r = await fetch(`${server.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', database: 'ok', store: kind, gateways: { wechat: 'missing', alipay: 'missing', bank: 'missing' }, openAlerts: 0, outbox: {} });
  });
});
