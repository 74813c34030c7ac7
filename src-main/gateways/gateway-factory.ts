import type { Clock } from '../core/time';
import type { ChannelConfigService, GatewayChannelConfig } from '../services/admin/channel-config-service';
import type { GatewayRegistry } from '../services/payments/gateway-registry';
import { AlipayGateway } from './alipay/alipay-gateway';
import { BankGateway } from './bank/bank-gateway';
import type { Gateway, Platform } from './gateway';
import { makeTransport } from './http';
import { WechatPayGateway } from './wechat/wechat-gateway';

/**
 * Real endpoints are configuration, not code (ARCHITECTURE.md): a channel saved on the 支付渠道配置
 * page becomes an adapter here. Outside sandbox the transport refuses anything but https://.
 */
export function gatewayFromConfig(cfg: GatewayChannelConfig, clock: Clock): Gateway {
  const transport = makeTransport({ platform: cfg.platform, sandbox: cfg.sandbox });
  switch (cfg.platform) {
    case 'wechat':
      return new WechatPayGateway(
        {
          mchid: cfg.mchId,
          appid: cfg.appId,
          merchantSerialNo: cfg.merchantSerialNo,
          merchantPrivateKeyPem: cfg.merchantPrivateKeyPem,
          apiV3Key: cfg.apiV3Key,
          platformKeys: cfg.platformKeys.map((k) => ({ serial: k.serial, publicKeyPem: k.publicKeyPem })),
          endpoint: cfg.endpoint,
        },
        transport,
        clock,
      );
    case 'alipay':
      return new AlipayGateway(
        { appId: cfg.appId, merchantPrivateKey: cfg.appPrivateKeyPem, alipayPublicKeys: cfg.alipayPublicKeys.map((k) => ({ key: k.publicKeyPem })), gatewayUrl: cfg.gatewayUrl },
        transport,
        clock,
      );
    case 'bank':
      return new BankGateway({ merchantId: cfg.merchantId, terminalId: cfg.terminalId, apiKey: cfg.apiKey, previousApiKeys: cfg.previousApiKeys, gatewayUrl: cfg.gatewayUrl, sandbox: cfg.sandbox }, transport, clock);
  }
}

/**
 * Replaces the registry's gateways with the enabled, complete channel configurations; platforms
 * without one keep what they had (the simulators in standalone mode). Returns what was configured
 * and, per platform, why a saved configuration could not be used.
 */
export async function applyChannelConfigs(channels: ChannelConfigService, registry: GatewayRegistry, clock: Clock): Promise<{ configured: Platform[]; problems: Partial<Record<Platform, string>> }> {
  const configured: Platform[] = [];
  const problems: Partial<Record<Platform, string>> = {};
  for (const platform of ['wechat', 'alipay', 'bank'] as const) {
    try {
      const cfg = await channels.loadForGateway(platform);
      if (!cfg.enabled) {
        registry.reset(platform);
        continue;
      }
      registry.set(platform, gatewayFromConfig(cfg, clock));
      configured.push(platform);
    } catch (e) {
      registry.reset(platform);
      problems[platform] = (e as Error).message;
    }
  }
  return { configured, problems };
}
