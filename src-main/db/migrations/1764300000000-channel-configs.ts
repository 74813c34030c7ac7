import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { big, rowVersion, str, text } from './table-helpers';

/**
 * 支付渠道配置 (issue 4): merchant ids, endpoints and keys per platform, secrets sealed by the vault
 * before they are written, and the permission to edit them, granted to administrators only. The
 * grant is part of this migration so that replaying history always yields the same roles.
 */
export class ChannelConfigs1764300000000 implements MigrationInterface {
  name = 'ChannelConfigs1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'channel_configs',
        columns: [
          str('platform', 16, { isPrimary: true }),
          { name: 'enabled', type: 'boolean', default: false },
          { name: 'sandbox', type: 'boolean', default: true },
          text('public_json'),
          text('secrets_json'),
          text('keys_json'),
          big('updated_at'),
          ...rowVersion,
        ],
      }),
    );
    await q.query(`INSERT INTO role_permissions (role, permission) VALUES (?, ?)`, ['admin', 'channel:configure']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM role_permissions WHERE permission = 'channel:configure'`);
    await q.dropTable('channel_configs');
  }
}
