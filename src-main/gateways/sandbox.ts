import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../core/time';
import { GatewayRegistry } from '../services/payments/gateway-registry';
import { AlipayGateway } from './alipay/alipay-gateway';
import { BankGateway } from './bank/bank-gateway';
import type { CreatePaymentResult, Platform } from './gateway';
import { makeTransport } from './http';
import { AlipayPlatform } from './simulator/alipay-platform';
import { BankPlatform } from './simulator/bank-platform';
import { Simulator } from './simulator/simulator';
import { WechatPlatform } from './simulator/wechat-platform';
import { WechatPayGateway } from './wechat/wechat-gateway';
import { sandboxPayPageUrl } from './wechat/wechat-sandbox';

/**
 * Sandbox mode (`npm start`, `npm run preview`, `npm run server` without channel configuration, and
 * the tests): all three platforms simulated on loopback, with fresh keys made at start — the
 * merchant's keys for our requests, the platforms' keys for their answers — and the real adapters
 * talking to them exactly as they would to the platforms. Nothing here reaches the internet.
 */
export interface Sandbox {
  simulator: Simulator;
  registry: GatewayRegistry;
  /** The keys of this sandbox: another process builds the same adapters with `sandboxRegistry`. */
  keys: SandboxKeys;
  /** A link a browser can open to pay what `payments.start` returned (QR content or redirect). */
  payLink(platform: Platform, orderNo: string, result: CreatePaymentResult): string | null;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  clock?: Clock;
  /** Scales the platforms' notification retry timing (1 = real). */
  timeScale?: number;
  port?: number;
  /** When the simulated WeChat payee confirms a transfer (notification delay, time-scaled); null: only when told to. Default 10 s. */
  wechatAutoConfirmMs?: number | null;
  /** How long a WeChat transfer bill waits for its payee before the platform closes it. Default 24 h. */
  wechatConfirmExpiryMs?: number;
  /** How long a bank transfer stays PROCESSING before the receiving bank answers. Default 5 s. */
  bankTransferDelayMs?: number;
  /** Reuse these keys (a test sharing one sandbox between processes); fresh ones otherwise. */
  keys?: SandboxKeys;
  /** How long the adapters wait for an answer (tests of timeouts); the transport's default otherwise. */
  timeoutMs?: number;
}

/** Every key and id of a sandbox: what its simulated platforms and our adapters share. */
export interface SandboxKeys {
  wxMerchant: { privateKeyPem: string; publicKeyPem: string };
  wxPlatform: { privateKeyPem: string; publicKeyPem: string };
  aliMerchant: { privateKeyPem: string; publicKeyPem: string };
  aliPlatform: { privateKeyPem: string; publicKeyPem: string };
  apiV3Key: string;
  bankKey: string;
}

const IDS = { mchid: '1900000109', appid: 'wx8888888888888888', serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', platformSerial: 'PUB_KEY_ID_0119000001092025000000000000000001', aliAppId: '2021000000000001', pid: '2088000000000001', bankMerchant: 'M100000001', bankTerminal: 'T0001' };

export function freshSandboxKeys(): SandboxKeys {
  return { wxMerchant: rsaPair(), wxPlatform: rsaPair(), aliMerchant: rsaPair(), aliPlatform: rsaPair(), apiV3Key: randomBytes(16).toString('hex'), bankKey: randomBytes(24).toString('hex') };
}

/** The real adapters pointed at a sandbox's simulator at `base` (in this process or another). */
export function sandboxRegistry(base: string, keys: SandboxKeys, clock: Clock = systemClock, timeoutMs?: number): GatewayRegistry {
  const ids = IDS;
  const { wxMerchant, wxPlatform, aliMerchant, aliPlatform, apiV3Key, bankKey } = keys;
  const transport = (platform: string) => makeTransport({ platform, sandbox: true, defaultTimeoutMs: timeoutMs });
  return new GatewayRegistry({
    wechat: new WechatPayGateway(
      { mchid: ids.mchid, appid: ids.appid, merchantSerialNo: ids.serial, merchantPrivateKeyPem: wxMerchant.privateKeyPem, apiV3Key, platformKeys: [{ serial: ids.platformSerial, publicKeyPem: wxPlatform.publicKeyPem }], endpoint: base },
      transport('wechat'),
      clock,
    ),
    alipay: new AlipayGateway({ appId: ids.aliAppId, sellerId: ids.pid, merchantPrivateKey: aliMerchant.privateKeyPem, alipayPublicKeys: [{ key: aliPlatform.publicKeyPem }], gatewayUrl: `${base}/gateway.do` }, transport('alipay'), clock),
    bank: new BankGateway({ merchantId: ids.bankMerchant, terminalId: ids.bankTerminal, apiKey: bankKey, gatewayUrl: base, sandbox: true }, transport('bank'), clock),
  });
}

function rsaPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const clock = opts.clock ?? systemClock;
  const sim = new Simulator({ clock, timeScale: opts.timeScale ?? 1 });
  const keys = opts.keys ?? freshSandboxKeys();
  const { wxMerchant, wxPlatform, aliMerchant, aliPlatform, apiV3Key, bankKey } = keys;
  const ids = IDS;
  const autoConfirm = opts.wechatAutoConfirmMs === undefined ? 10_000 : (opts.wechatAutoConfirmMs ?? undefined);

  sim.add(new WechatPlatform(sim.context, { mchid: ids.mchid, appid: ids.appid, apiV3Key, merchantKeys: [{ serial: ids.serial, publicKeyPem: wxMerchant.publicKeyPem }], platformKey: { serial: ids.platformSerial, privateKeyPem: wxPlatform.privateKeyPem }, autoConfirmTransferMs: autoConfirm, transferConfirmExpiryMs: opts.wechatConfirmExpiryMs }));
  sim.add(new AlipayPlatform(sim.context, { appId: ids.aliAppId, pid: ids.pid, merchantPublicKeys: [aliMerchant.publicKeyPem], alipayPrivateKey: aliPlatform.privateKeyPem }));
  sim.add(new BankPlatform(sim.context, { merchantId: ids.bankMerchant, terminalId: ids.bankTerminal, apiKeys: [bankKey], transferDelayMs: opts.bankTransferDelayMs }));
  const base = await sim.start(opts.port ?? 0);

  const registry = sandboxRegistry(base, keys, clock, opts.timeoutMs);

  return {
    simulator: sim,
    registry,
    keys,
    payLink: (platform, orderNo, result) => {
      if (result.kind === 'redirect') return result.url;
      if (result.kind === 'qr' && platform === 'wechat') return sandboxPayPageUrl(result.codeUrl, base);
      return sim.payPageUrl(platform, orderNo);
    },
    stop: () => sim.stop(),
  };
}
