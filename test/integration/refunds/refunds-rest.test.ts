import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app';
import { startPaymentServer, type PaymentServer } from '../../../src-main/hosts/server';
import { signClientRequest } from '../../../src-main/security/api-client-auth';
import { GatewayRegistry } from '../../../src-main/services/payments/gateway-registry';
import { ScriptedRefundGateway } from '../../support/scripted-refund-gateway';
import { STORE_KINDS, testApp } from '../../support/stores';
import { decide, paidOrder, staff } from './refund-rig';

const CLIENT = 'miniapp';
const SECRET = 'r'.repeat(16) + randomBytes(16).toString('hex');

describe.each(STORE_KINDS)('refund REST routes (design document 6.2) on %s', (kind) => {
  let app: App;
  let close: () => Promise<void>;
  let server: PaymentServer;
  const fake = new ScriptedRefundGateway(() => Date.now());

  beforeAll(async () => {
    ({ app, close } = await testApp(kind, { gateways: new GatewayRegistry({ wechat: fake }) }));
    server = await startPaymentServer({ app, port: 0, clients: new Map([[CLIENT, SECRET]]), log: () => undefined });
  });
  afterAll(async () => {
    await server.close();
    await close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(12).toString('hex');
    const res = await fetch(server.url + path, {
      method,
      body: text || undefined,
      headers: { 'content-type': 'application/json', 'x-pay-client': CLIENT, 'x-pay-timestamp': ts, 'x-pay-nonce': nonce, 'x-pay-signature': signClientRequest(SECRET, method, path, ts, nonce, text) },
    });
    return { status: res.status, json: (await res.json()) as { code: number; message: string; data?: Record<string, unknown> } };
  };

  it('a customer asks for a partial refund, sees it pending approval, then succeeded with its time', async () => {
    const orderNo = await paidOrder(app, fake, 100_00);
    const created = await call('POST', '/api/payment/refunds', { order_id: orderNo, refund_amount: 50, refund_reason: '行程取消' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ code: 201, message: '退款申请成功', data: { order_id: orderNo, refund_amount: 50, status: 'pending_approval', refund_time: null } });
    const refundId = created.json.data!.refund_id as string;
    expect(refundId).toMatch(/^R\d{20}$/);
    expect((await app.refunds.get(refundId)).refund).toMatchObject({ source: 'customer', requestedByName: '接口客户端 miniapp' });

    const over = await call('POST', '/api/payment/refunds', { order_id: orderNo, refund_amount: 50.01, refund_reason: '再退' });
    expect(over).toEqual({ status: 400, json: { code: 400, message: '退款总额不能超过已支付金额，剩余可退 ¥50.00' } });
    expect((await call('POST', '/api/payment/refunds', { order_id: orderNo, refund_amount: 1 })).json.message).toMatch(/^退款原因：/);
    expect((await call('POST', '/api/payment/refunds', { order_id: 'P1', refund_amount: 1, refund_reason: 'x' })).json.message).toBe('订单号格式不正确（应为 P 加 20 位数字）');
    expect((await call('POST', '/api/payment/refunds', { order_id: 'P20240101000000123456', refund_amount: 1, refund_reason: 'x' })).status).toBe(404);

    const pending = await call('GET', `/api/payment/refunds/${refundId}`);
    expect(pending).toMatchObject({ status: 200, json: { code: 200, message: '查询成功', data: { refund_id: refundId, status: 'pending_approval', refund_amount: 50 } } });

    const accountant = await staff(app, 'accountant', 'acc_rest', '张会计');
    await decide(app, refundId, accountant);
    fake.next('success');
    await app.refunds.sendApproved();
    const done = await call('GET', `/api/payment/refunds/${refundId}`);
    expect(done.json.data).toMatchObject({ refund_id: refundId, order_id: orderNo, refund_amount: 50, status: 'success' });
    expect(done.json.data!.refund_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(done.json.data!.expected_arrival).toMatch(/^预计 .* 到账（T\+1～T\+3）$/);
    // The order route shows what was refunded.
    expect((await call('GET', `/api/payment/orders/${orderNo}`)).json.data).toMatchObject({ status: 'paid', refunded_amount: 50 });
  });

  it('unknown, malformed and unsigned refund lookups', async () => {
    expect(await call('GET', '/api/payment/refunds/R20240101000000123456')).toEqual({ status: 404, json: { code: 404, message: '退款 R20240101000000123456 不存在' } });
    expect((await call('GET', '/api/payment/refunds/X1')).status).toBe(400);
    expect((await call('DELETE', '/api/payment/refunds/R20240101000000123456')).status).toBe(405);
    const unsigned = await fetch(`${server.url}/api/payment/refunds/R20240101000000123456`);
    expect(unsigned.status).toBe(401);
  });
});
