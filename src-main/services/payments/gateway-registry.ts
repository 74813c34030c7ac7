import { DomainError } from '../../core/errors';
import type { Gateway, Platform } from '../../gateways/gateway';

/** The gateways this installation talks to: simulators in sandbox mode, the platforms otherwise. */
export class GatewayRegistry {
  /** What the registry started with (the simulators in standalone mode): restored when a channel is switched off. */
  private readonly base: Partial<Record<Platform, Gateway>>;

  constructor(private readonly gateways: Partial<Record<Platform, Gateway>>) {
    this.base = { ...gateways };
  }

  get(platform: Platform): Gateway {
    const g = this.gateways[platform];
    if (!g) throw new DomainError('CHANNEL_NOT_CONFIGURED', `支付渠道「${platform}」尚未配置`);
    return g;
  }

  has(platform: Platform): boolean {
    return this.gateways[platform] !== undefined;
  }

  /** Puts a platform's gateway in place (a saved channel configuration replaces the sandbox one). */
  set(platform: Platform, gateway: Gateway): void {
    this.gateways[platform] = gateway;
  }

  reset(platform: Platform): void {
    if (this.base[platform]) this.gateways[platform] = this.base[platform];
    else delete this.gateways[platform];
  }
}
