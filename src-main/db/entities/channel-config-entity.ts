import { EntitySchema } from 'typeorm';
import { instantColumn, rowVersionColumns } from '../columns';

/**
 * 支付渠道配置: one row per platform. `public_json` holds what is not secret (ids, endpoint,
 * serial numbers); `secrets_json` only values sealed by the vault, each with its fingerprint;
 * `keys_json` the rotation list (platform public keys in the clear, bank api_keys sealed).
 * The service owns the JSON shapes (services/admin/channel-config-service.ts).
 */
export interface ChannelConfigRow {
  platform: string;
  enabled: boolean;
  sandbox: boolean;
  public_json: string;
  secrets_json: string;
  keys_json: string;
  updated_at: number;
  version: number;
  updated_seq: number;
}

export const ChannelConfigEntity = new EntitySchema<ChannelConfigRow>({
  name: 'ChannelConfigRow',
  tableName: 'channel_configs',
  columns: {
    platform: { type: 'varchar', length: 16, primary: true },
    enabled: { type: 'boolean', default: false },
    sandbox: { type: 'boolean', default: true },
    public_json: { type: 'text' },
    secrets_json: { type: 'text' },
    keys_json: { type: 'text' },
    updated_at: instantColumn(),
    ...rowVersionColumns,
  },
});
