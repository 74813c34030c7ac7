import { SaveOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Space, Switch, Typography } from 'antd';
import type { ChannelInput } from '../../../src-main/api/contract';
import type { ChannelField } from '../../../src-main/core/channels/channel-field-labels';
import { call } from '../../app/api';
import type { ChannelConfig, ChannelPlatform } from '../../app/api-types';
import { showErrorOnForm } from '../../app/form-errors';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { formatTime } from '../../components/time-format';
import { PemFileButton } from './PemFileButton';

interface FieldSpec {
  name: ChannelField;
  placeholder?: string;
  extra?: string;
}

/** The public fields of each platform, in the order of the platforms' own consoles. */
const PUBLIC_FIELDS: Record<ChannelPlatform, FieldSpec[]> = {
  wechat: [
    { name: 'appId', placeholder: 'wx 开头的 18 位', extra: '小程序或公众号的 AppID（JSAPI 支付的 appid）' },
    { name: 'mchId', placeholder: '例如 1900000109', extra: '微信支付商户平台 → 账户中心 → 商户信息' },
    { name: 'merchantSerialNo', placeholder: '十六进制', extra: '商户 API 证书的序列号，请求签名时使用' },
    { name: 'endpoint', placeholder: 'https://api.mch.weixin.qq.com' },
  ],
  alipay: [
    { name: 'appId', placeholder: '16 位数字', extra: '支付宝开放平台应用的 APPID' },
    { name: 'gatewayUrl', placeholder: 'https://openapi.alipay.com/gateway.do' },
  ],
  bank: [
    { name: 'merchantId', placeholder: '支付机构分配的 merchant_id' },
    { name: 'terminalId', placeholder: '支付机构分配的 terminal_id' },
    { name: 'gatewayUrl', placeholder: 'https://api.pay-institution.example' },
  ],
};

const PEM_SECRETS = new Set(['merchantPrivateKey', 'appPrivateKey']);

const SECRET_HINTS: Record<string, string> = {
  merchantPrivateKey: '商户 API 证书的私钥（apiclient_key.pem），PEM 格式',
  apiV3Key: '商户平台设置的 32 位 APIv3 密钥，用于解密回调通知',
  appPrivateKey: '开放平台应用私钥（RSA2），PEM 或密钥工具生成的 base64 文本',
};

type ChannelFields = Record<string, string | boolean | undefined>;

function toInput(ch: ChannelConfig, f: ChannelFields): ChannelInput<'channels.update'> {
  const text = (k: string) => String(f[k] ?? '').trim();
  // A secret is sent only when typed: blank keeps the stored one.
  const secret = (k: string) => {
    const v = f[k];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  const common = { enabled: f.enabled === true, sandbox: f.sandbox === true, version: ch.version };
  switch (ch.platform) {
    case 'wechat':
      return {
        platform: 'wechat',
        ...common,
        appId: text('appId'),
        mchId: text('mchId'),
        merchantSerialNo: text('merchantSerialNo'),
        endpoint: text('endpoint'),
        merchantPrivateKey: secret('merchantPrivateKey'),
        apiV3Key: secret('apiV3Key'),
      };
    case 'alipay':
      return { platform: 'alipay', ...common, appId: text('appId'), gatewayUrl: text('gatewayUrl'), appPrivateKey: secret('appPrivateKey') };
    case 'bank':
      return { platform: 'bank', ...common, merchantId: text('merchantId'), terminalId: text('terminalId'), gatewayUrl: text('gatewayUrl') };
  }
}

/**
 * One platform's settings. Secrets are password inputs that start empty: the stored value is shown
 * only as "已设置（指纹 …）" and is replaced only when something is typed.
 */
export function ChannelForm({ channel, vaultReady, onSaved }: { channel: ChannelConfig; vaultReady: boolean; onSaved: () => void }) {
  const [form] = Form.useForm<ChannelFields>();
  const { message } = App.useApp();
  const report = useReportError();
  const labels = useVocabulary().channelFields;
  const initial: ChannelFields = { enabled: channel.enabled, sandbox: channel.sandbox, ...channel.public };

  const save = async (f: ChannelFields) => {
    try {
      const saved = await call('channels.update', toInput(channel, f));
      void message.success(`${saved.label}配置已保存${saved.enabled ? '，渠道已启用' : ''}`);
      onSaved();
    } catch (e) {
      // The backend's messages start with the field's label (CHANNEL_FIELD_LABELS in core).
      if (!showErrorOnForm(form, e, labels)) report(e);
    }
  };

  return (
    <Form<ChannelFields>
      form={form}
      name={`channel-${channel.platform}`}
      layout="horizontal"
      labelCol={{ flex: '150px' }}
      initialValues={initial}
      onFinish={save}
      data-testid={`channel-form-${channel.platform}`}
      style={{ maxWidth: 820 }}
    >
      <Card size="small" title="基本信息" style={{ marginBottom: 16 }}>
        <Form.Item label="启用渠道" name="enabled" valuePropName="checked" extra="启用前需填写全部信息、设置密钥，并至少有一个在用的密钥">
          <Switch checkedChildren="启用" unCheckedChildren="停用" />
        </Form.Item>
        <Form.Item label="沙箱模式" name="sandbox" valuePropName="checked" extra="沙箱模式连接本机模拟器，允许 http:// 地址；正式环境必须使用 https://">
          <Switch checkedChildren="沙箱" unCheckedChildren="正式" />
        </Form.Item>
        {PUBLIC_FIELDS[channel.platform].map((field) => (
          <Form.Item key={field.name} label={labels[field.name]} name={field.name} extra={field.extra} rules={[{ required: true, whitespace: true, message: `请输入${labels[field.name]}` }]}>
            <Input placeholder={field.placeholder} autoComplete="off" spellCheck={false} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        ))}
      </Card>
      {channel.secrets.length ? (
        <Card size="small" title="密钥" style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
            密钥加密保存，任何界面都不会再显示原文。留空表示保持不变；输入新值并保存即替换。
          </Typography.Paragraph>
          {channel.secrets.map((secret) => (
            <Form.Item
              key={secret.name}
              label={secret.label}
              extra={
                <>
                  <div>{SECRET_HINTS[secret.name]}</div>
                  <div data-testid={`secret-state-${secret.name}`}>
                    {secret.set && secret.fingerprint ? `已设置（指纹 ${secret.fingerprint}…，${formatTime(secret.setAt)} 保存）` : '未设置'}
                  </div>
                </>
              }
            >
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item name={secret.name} noStyle>
                  <Input.Password
                    placeholder={!vaultReady ? '密钥保管库不可用，无法保存' : secret.set && secret.fingerprint ? `已设置（指纹 ${secret.fingerprint}…）` : '未设置，请输入'}
                    autoComplete="new-password"
                    visibilityToggle={false}
                    disabled={!vaultReady}
                    data-testid={`secret-${secret.name}`}
                  />
                </Form.Item>
                {PEM_SECRETS.has(secret.name) ? (
                  <PemFileButton disabled={!vaultReady} onLoaded={(text) => form.setFieldValue(secret.name, text)} testId={`secret-file-${secret.name}`} />
                ) : null}
              </Space.Compact>
            </Form.Item>
          ))}
        </Card>
      ) : null}
      <Button type="primary" htmlType="submit" icon={<SaveOutlined />} data-testid={`save-channel-${channel.platform}`}>
        保存{channel.label}配置
      </Button>
    </Form>
  );
}
