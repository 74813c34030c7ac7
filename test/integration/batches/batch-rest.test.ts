import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentServer, type PaymentServer } from '../../../src-main/hosts/server';
import { signClientRequest } from '../../../src-main/security/api-client-auth';
import { ALIPAY, BANK, batchRig, type BatchRig } from '../../support/batch-rig';
import { STORE_KINDS } from '../../support/stores';

const SECRET = 'b'.repeat(16) + randomBytes(16).toString('hex');

describe.each(STORE_KINDS)('batch REST routes (design document 6.3) on %s', (kind) => {
  let rig: BatchRig;
  let server: PaymentServer;
  beforeAll(async () => {
    rig = await batchRig(kind);
    server = await startPaymentServer({ app: rig.app, port: 0, clients: new Map([['payroll', SECRET], ['other', SECRET]]), log: () => undefined });
  });
  afterAll(async () => {
    await server.close();
    await rig.close();
  });

  const call = async (method: string, path: string, body?: unknown, client = 'payroll') => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(12).toString('hex');
    const res = await fetch(server.url + path, {
      method,
      body: text || undefined,
      headers: { 'content-type': 'application/json', 'x-pay-client': client, 'x-pay-timestamp': ts, 'x-pay-nonce': nonce, 'x-pay-signature': signClientRequest(SECRET, method, path, ts, nonce, text) },
    });
    return { status: res.status, json: (await res.json()) as { code: number; message: string; data?: Record<string, unknown> } };
  };

  it('creates a batch pending approval, then answers its counts, amounts and item statuses once paid', async () => {
    const created = await call('POST', '/api/payment/batch', {
      batch_type: 'salary',
      description: '2026年11月兼职薪资',
      items: [
        { recipient: '张三', payment_method: 'bank', account: BANK, bank_name: '中国工商银行', amount: 5000.0 },
        { recipient: '王五', payment_method: 'alipay', account: ALIPAY, amount: '1234.56', remark: '兼职' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ code: 201, message: '批量任务创建成功', data: { batch_type: 'salary', total_amount: 6234.56, total_count: 2, status: 'pending' } });
    const batchId = created.json.data!.batch_id as string;
    expect(batchId).toMatch(/^B\d{20}$/);
    // Submitted for approval by the client: nothing is paid before an accountant approves.
    expect((await rig.app.batches.get(batchId)).batch).toMatchObject({ status: 'pending_approval', sourceKind: 'api', createdByName: '接口客户端 payroll' });

    await rig.approve(batchId);
    await rig.settle();
    const got = await call('GET', `/api/payment/batch/${batchId}`);
    expect(got).toMatchObject({
      status: 200,
      json: {
        code: 200, message: '查询成功',
        data: {
          batch_id: batchId, batch_type: 'salary', total_amount: 6234.56, total_count: 2, success_count: 2, fail_count: 0, status: 'completed',
          items: [
            { id: 1, recipient: '张三', amount: 5000, status: 'success', payment_method: 'bank', account: '622202*********0123' },
            { id: 2, recipient: '王五', amount: 1234.56, status: 'success', payment_method: 'alipay' },
          ],
        },
      },
    });
    expect(JSON.stringify(got.json)).not.toContain(BANK);
    // Another client, or a malformed id: as if it did not exist.
    expect((await call('GET', `/api/payment/batch/${batchId}`, undefined, 'other')).status).toBe(404);
    expect((await call('GET', '/api/payment/batch/B1')).json.message).toBe('批量任务号格式不正确（应为 B 加 20 位数字）');
  });

  it('refuses invalid items (listed by position) and unconfirmed duplicates, creating nothing', async () => {
    const before = (await rig.app.batches.list({}, 1, 100)).total;
    const bad = await call('POST', '/api/payment/batch', {
      batch_type: 'supplier',
      items: [
        { recipient: '甲', payment_method: 'bank', account: '12', amount: 1 },
        { recipient: '乙', payment_method: 'alipay', account: ALIPAY, amount: 0.001 },
      ],
    });
    expect(bad).toEqual({ status: 400, json: { code: 400, message: '批量支付项有误：第 1 笔 收款账号：银行账号应为 8 至 32 位数字；第 1 笔 开户银行：银行转账需填写开户银行；第 2 笔 金额：金额最多保留两位小数' } });
    const dup = await call('POST', '/api/payment/batch', {
      batch_type: 'supplier',
      items: [
        { recipient: '丙', payment_method: 'alipay', account: 'c@example.com', amount: 1 },
        { recipient: '丙', payment_method: 'alipay', account: 'C@example.com', amount: 2 },
      ],
    });
    expect(dup.status).toBe(409);
    expect(dup.json.message).toMatch(/^收款账号重复：第 2 笔 收款账号：与第 1 笔的收款账号重复.*allow_duplicates: true$/);
    expect((await call('POST', '/api/payment/batch', { batch_type: 'bonus', items: [] })).json.message).toMatch(/批量类型必须是 salary 或 supplier/);
    expect((await rig.app.batches.list({}, 1, 100)).total).toBe(before);
    const ok = await call('POST', '/api/payment/batch', {
      batch_type: 'supplier', allow_duplicates: true,
      items: [
        { recipient: '丙', payment_method: 'alipay', account: 'c@example.com', amount: 1 },
        { recipient: '丙', payment_method: 'alipay', account: 'C@example.com', amount: 2 },
      ],
    });
    expect(ok.status).toBe(201);
  });
});
