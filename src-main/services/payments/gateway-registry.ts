import { DomainError } from '../../core/errors';
import type { Gateway, Platform } from '../../gateways/gateway';

/** The gateways this installation talks to: simulators in sandbox mode, the platforms otherwise. */
export class GatewayRegistry {
  constructor(private readonly gateways: Partial<Record<Platform, Gateway>>) {}

  get(platform: Platform): Gateway {
    const g = this.gateways[platform];
    if (!g) throw new DomainError('CHANNEL_NOT_CONFIGURED', `支付渠道「${platform}」尚未配置`);
    return g;
  }

  has(platform: Platform): boolean {
    return this.gateways[platform] !== undefined;
  }
}
