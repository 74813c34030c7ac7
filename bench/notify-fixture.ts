import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compactShanghai } from '../src-main/core/time';
import type { NewOrder } from '../src-main/db/repositories/order-repository';
import { aeadEncrypt } from '../src-main/gateways/wechat/wechat-aead';
import type { WechatPayConfig } from '../src-main/gateways/wechat/wechat-gateway';
import { rfc3339 } from '../src-main/gateways/wechat/wechat-wire';

/**
 * The notification-ingest fixture: a WeChat Pay merchant with fresh test keys, pending WeChat orders,
 * and the platform's TRANSACTION.SUCCESS notifications for them, built exactly as the simulator
 * (src-main/gateways/simulator/wechat-sim-notify.ts) and WeChat build them: the envelope
 * `{id, create_time, resource_type, event_type, summary, resource}` with the transaction JSON
 * encrypted by AEAD_AES_256_GCM under the APIv3 key (12-character nonce, associated_data
 * "transaction"), signed SHA256withRSA with the PLATFORM key over `TIMESTAMP\nNONCE\nBODY\n`.
 * A redelivery (WeChat's retry) carries the same body (same `id`, same ciphertext) with a fresh
 * timestamp, nonce and signature — that is what the 20% duplicates are.
 */

export interface NotifyKeys {
  gateway: WechatPayConfig;
  /** The platform's private key (PKCS#8 PEM): the bench plays WeChat and signs with it. */
  platformPrivateKeyPem: string;
}

const IDS = { mchid: '1900000109', appid: 'wx8888888888888888', serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', platformSerial: 'PUB_KEY_ID_0119000001092025000000000000000001' };

function rsaPair() {
  return generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
}

/** Fresh merchant and platform keys (RSA-2048, as WeChat Pay uses) and a 32-byte APIv3 key. */
export function makeNotifyKeys(): NotifyKeys {
  const merchant = rsaPair();
  const platform = rsaPair();
  return {
    platformPrivateKeyPem: platform.privateKey,
    gateway: {
      mchid: IDS.mchid,
      appid: IDS.appid,
      merchantSerialNo: IDS.serial,
      merchantPrivateKeyPem: merchant.privateKey,
      apiV3Key: randomBytes(16).toString('hex'),
      platformKeys: [{ serial: IDS.platformSerial, publicKeyPem: platform.publicKey }],
      // Never called: the bench only sends notifications in.
      endpoint: 'http://127.0.0.1:9',
    },
  };
}

/** A small deterministic PRNG (mulberry32) for amounts, the duplicate pick and the shuffle. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` pending WeChat orders created a minute ago, payable for two hours; order numbers P<time><6 digits>. */
export function pendingOrders(count: number, now: number, seed: number): NewOrder[] {
  if (count > 1_000_000) throw new Error('at most 1,000,000 orders (6 digits)');
  const rnd = prng(seed);
  const prefix = `P${compactShanghai(now)}`;
  const orders: NewOrder[] = [];
  for (let i = 0; i < count; i++)
    orders.push({
      orderNo: `${prefix}${String(i).padStart(6, '0')}`,
      amountFen: 100 + Math.floor(rnd() * 200_000),
      paidFen: 0,
      refundedFen: 0,
      method: 'wechat',
      type: 'customer_order',
      status: 'pending',
      relatedId: `K${String(i).padStart(8, '0')}`,
      description: '客户预定定金',
      payerId: `o${String(i).padStart(27, '0')}`,
      createdBy: null,
      createdAt: now - 60_000,
      expireAt: now + 2 * 3_600_000,
      paidAt: null,
      cancelledAt: null,
      cancelReason: null,
      gatewayTradeNo: null,
    });
  return orders;
}

/** One notification body (the raw bytes WeChat posts) and the order it pays. */
export interface NoticeBody {
  orderNo: string;
  notificationId: string;
  body: string;
  /** The decrypted resource, as the inbox stores it (the raw-insert baseline uses it for row size). */
  plaintext: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n: number) => Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join('');

/** The TRANSACTION.SUCCESS notification of each order, the resource encrypted with the APIv3 key. */
export function noticeBodies(orders: readonly NewOrder[], cfg: WechatPayConfig, now: number): NoticeBody[] {
  return orders.map((o, i) => {
    const paidAt = now - 30_000;
    const plaintext = JSON.stringify({
      appid: cfg.appid,
      mchid: cfg.mchid,
      out_trade_no: o.orderNo,
      transaction_id: `4200002${String(i).padStart(21, '0')}`,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      attach: '',
      success_time: rfc3339(paidAt),
      payer: { openid: o.payerId },
      amount: { total: o.amountFen, payer_total: o.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    });
    const nonce = alnum(12);
    const notificationId = randomUUID();
    const body = JSON.stringify({
      id: notificationId,
      create_time: rfc3339(paidAt),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: aeadEncrypt(plaintext, cfg.apiV3Key, nonce, 'transaction'), associated_data: 'transaction', nonce },
    });
    return { orderNo: o.orderNo, notificationId, body, plaintext };
  });
}

/** One delivery: which body, and whether it is a redelivery of a body already in the stream. */
export interface Delivery {
  index: number;
  duplicate: boolean;
}

/**
 * `unique` first deliveries plus `duplicates` redeliveries of distinct bodies picked at random,
 * shuffled (Fisher–Yates): a redelivery may come before its first delivery, as on the wire.
 */
export function deliveryPlan(unique: number, duplicates: number, seed: number): Delivery[] {
  if (duplicates > unique) throw new Error('more duplicates than notifications');
  const rnd = prng(seed);
  const pick = Array.from({ length: unique }, (_, i) => i);
  for (let i = 0; i < duplicates; i++) {
    const j = i + Math.floor(rnd() * (unique - i));
    [pick[i], pick[j]] = [pick[j] as number, pick[i] as number];
  }
  const plan: Delivery[] = [...Array.from({ length: unique }, (_, i) => ({ index: i, duplicate: false })), ...pick.slice(0, duplicates).map((i) => ({ index: i, duplicate: true }))];
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [plan[i], plan[j]] = [plan[j] as Delivery, plan[i] as Delivery];
  }
  return plan;
}

/** A signed delivery, ready to post. */
export interface SignedRequest {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * Signs every delivery with the platform key (fresh timestamp and nonce each, as WeChat does on
 * every attempt). RSA-2048 signing costs about 0.3 ms, so 50,000 signatures are spread over a pool
 * of worker threads (plain JavaScript with node:crypto only), one per core.
 */
export async function signDeliveries(plan: readonly Delivery[], bodies: readonly NoticeBody[], keys: NotifyKeys, workers = availableParallelism()): Promise<SignedRequest[]> {
  const serial = keys.gateway.platformKeys[0]?.serial ?? '';
  const items = plan.map((d) => ({ ts: String(Math.floor(Date.now() / 1000)), nonce: randomBytes(16).toString('hex'), body: (bodies[d.index] as NoticeBody).body }));
  const n = Math.max(1, Math.min(workers, items.length));
  const per = Math.ceil(items.length / n);
  const parts = await Promise.all(
    Array.from({ length: n }, (_, w) => {
      const slice = items.slice(w * per, (w + 1) * per);
      return new Promise<string[]>((resolve, reject) => {
        const worker = new Worker(SIGN_WORKER, { eval: true, workerData: { pem: keys.platformPrivateKeyPem, items: slice } });
        worker.once('message', (sigs: string[]) => {
          resolve(sigs);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
  const signatures = parts.flat();
  return items.map((it, i) => ({
    body: Buffer.from(it.body, 'utf8'),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Mozilla/4.0',
      'wechatpay-timestamp': it.ts,
      'wechatpay-nonce': it.nonce,
      'wechatpay-serial': serial,
      'wechatpay-signature': signatures[i] as string,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    },
  }));
}

/** The signing worker: `TIMESTAMP\nNONCE\nBODY\n`, SHA256withRSA, base64 (wechat-signature.ts, responseSigningMessage + rsaSign). */
const SIGN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, createSign } = require('node:crypto');
const key = createPrivateKey(workerData.pem);
const out = workerData.items.map((it) => createSign('sha256WithRSAEncryption').update(it.ts + '\\n' + it.nonce + '\\n' + it.body + '\\n', 'utf8').sign(key, 'base64'));
parentPort.postMessage(out);
`;
