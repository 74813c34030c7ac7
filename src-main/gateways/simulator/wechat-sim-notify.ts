import { aeadEncrypt } from '../wechat/wechat-aead';
import { rfc3339 } from '../wechat/wechat-wire';
import { WECHAT_RETRY_SCHEDULE_MS, type OutgoingNotification } from './notifier';
import type { WechatSimCore } from './wechat-sim-core';

/**
 * WeChat Pay's notifications as the platform sends them: a POST of
 * `{id, create_time, resource_type:"encrypt-resource", event_type, summary, resource:{original_type,
 * algorithm:"AEAD_AES_256_GCM", ciphertext, associated_data, nonce}}`, the resource encrypted with the
 * merchant's APIv3 key (12-character nonce, associated_data = original_type as in the published
 * samples), signed with the platform key like an API answer. It is retried on WECHAT_RETRY_SCHEDULE_MS
 * until the merchant answers 2xx; the same `id` and ciphertext are sent on every retry, with a fresh
 * timestamp and signature. Faults: notify_amount_mismatch (+1 fen in the resource), notify_bad_signature
 * (signed with an untrusted key), notify_duplicate (delivered twice), notify_delay_ms (sent later).
 */
export interface SimNotice {
  url: string;
  eventType: string;
  summary: string;
  originalType: string;
  /** Fault operation the notice belongs to: pay, refund or transfer. */
  faultOp: string;
  /** Names the notice in the delivery log. */
  key: string;
  /** The decrypted resource; amountDelta is the amount-mismatch fault's +1 fen (0 normally). */
  resource: (amountDelta: number) => object;
  /** Runs once, just before the first attempt: lets a refund settle or a payee confirm "a little later". */
  beforeFirst?: () => void;
  delayMs?: number;
}

export function sendNotice(core: WechatSimCore, n: SimNotice): void {
  const mismatch = core.faults.take(n.faultOp, 'notify_amount_mismatch');
  const badSignature = core.faults.take(n.faultOp, 'notify_bad_signature');
  const duplicate = core.faults.take(n.faultOp, 'notify_duplicate');
  const delay = core.faults.take(n.faultOp, 'notify_delay_ms');
  let body: string | null = null;
  const envelope = (): string => {
    if (body !== null) return body;
    n.beforeFirst?.();
    const nonce = core.alnum(12);
    const plaintext = JSON.stringify(n.resource(mismatch ? 1 : 0));
    body = JSON.stringify({
      id: core.uuid(),
      create_time: rfc3339(core.now()),
      resource_type: 'encrypt-resource',
      event_type: n.eventType,
      summary: n.summary,
      resource: {
        original_type: n.originalType,
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: aeadEncrypt(plaintext, core.opts.apiV3Key, nonce, n.originalType),
        associated_data: n.originalType,
        nonce,
      },
    });
    return body;
  };
  // A forged first delivery (someone else's signature); WeChat's own retries are genuine.
  let forged = badSignature !== undefined;
  const build = (): OutgoingNotification => {
    const text = envelope();
    const headers = { 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/4.0', ...core.signatureHeaders(text, forged) };
    forged = false;
    return { url: n.url, headers, body: text };
  };
  const job = {
    platform: 'wechat',
    key: n.key,
    build,
    isAck: (status: number) => status >= 200 && status < 300,
    schedule: WECHAT_RETRY_SCHEDULE_MS,
    initialDelayMs: (n.delayMs ?? 0) + (delay?.ms ?? 0),
  };
  core.ctx.notifier.send(job);
  if (duplicate) core.ctx.notifier.send(job);
}
