import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Flex, Skeleton, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ChannelConfig, ChannelPlatform, ChannelsOverview } from '../../app/api-types';
import { useChannel } from '../../app/use-channel';
import { LoadError } from '../../components/LoadError';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { ChannelForm } from './ChannelForm';
import { ChannelKeys } from './ChannelKeys';

/**
 * 支付渠道配置 (administrators only): merchant numbers, endpoints and keys of WeChat Pay, Alipay and
 * the bank-card institution. Secrets are written here and never read back: the page only ever
 * receives fingerprints.
 */
export function ChannelsPage() {
  const overview = useChannel('channels.get', {});
  const [active, setActive] = useState<ChannelPlatform>('wechat');
  const data = overview.data;
  return (
    <>
      <PageTitle
        title="支付渠道配置"
        sub="商户号、接口地址与密钥"
        extra={
          <Button icon={<ReloadOutlined />} onClick={overview.reload}>
            刷新
          </Button>
        }
      />
      {overview.error ? <LoadError error={overview.error} onRetry={overview.reload} /> : null}
      {!data && overview.loading ? <Skeleton active /> : null}
      {data ? (
        <>
          <VaultNotice vault={data.vault} />
          <Tabs
            activeKey={active}
            onChange={(k) => setActive(k as ChannelPlatform)}
            items={data.channels.map((ch) => ({
              key: ch.platform,
              label: (
                <span data-testid={`channel-tab-${ch.platform}`}>
                  <Badge status={ch.enabled ? 'success' : 'default'} /> {ch.label}
                </span>
              ),
              children: <ChannelPanel channel={ch} vaultReady={data.vault.available} onChanged={overview.reload} />,
            }))}
          />
        </>
      ) : null}
    </>
  );
}

function VaultNotice({ vault }: { vault: ChannelsOverview['vault'] }) {
  if (vault.available)
    return <Alert type="info" showIcon title={`密钥以「${vault.label}」加密保存；界面、日志和审计记录中只出现指纹。`} style={{ marginBottom: 12 }} data-testid="vault-notice" />;
  return (
    <Alert
      type="warning"
      showIcon
      title="密钥保管库不可用：可以保存商户号、接口地址和平台公钥，但无法保存私钥和 API 密钥（绝不以明文保存）。"
      description={vault.kind === 'safe-storage' ? '操作系统密钥链不可用，请在已登录的桌面会话中使用本程序。' : '浏览器预览和支付服务请设置环境变量 PAY_VAULT_PASSPHRASE（至少 12 位）后重启。'}
      style={{ marginBottom: 12 }}
      data-testid="vault-notice"
    />
  );
}

function ChannelPanel({ channel, vaultReady, onChanged }: { channel: ChannelConfig; vaultReady: boolean; onChanged: () => void }) {
  return (
    <>
      <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }} data-testid={`channel-status-${channel.platform}`}>
        {channel.enabled ? <Tag color="green">已启用</Tag> : <Tag>未启用</Tag>}
        {channel.sandbox ? <Tag color="orange">沙箱模式</Tag> : <Tag color="blue">正式环境</Tag>}
        <Typography.Text type="secondary">{channel.version === null ? '尚未保存过配置' : `最后修改：${formatTime(channel.updatedAt)}`}</Typography.Text>
      </Flex>
      {channel.missing.length && !channel.enabled ? (
        <Alert type="warning" showIcon title={`启用前还需设置：${channel.missing.join('、')}`} style={{ marginBottom: 12, maxWidth: 820 }} />
      ) : null}
      {/* Remounted after every save, so typed secrets are cleared and the new version is used. */}
      <ChannelForm key={`${channel.platform}-${channel.version}`} channel={channel} vaultReady={vaultReady} onSaved={onChanged} />
      <ChannelKeys channel={channel} onChanged={onChanged} />
    </>
  );
}
