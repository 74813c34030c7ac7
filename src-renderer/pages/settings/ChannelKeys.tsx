import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ChannelInput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import type { ChannelConfig, ChannelKey } from '../../app/api-types';
import { showErrorOnForm } from '../../app/form-errors';
import { useReportError } from '../../app/use-report-error';
import { FormModal } from '../../components/FormModal';
import { formatTime } from '../../components/time-format';
import { PemFileButton } from './PemFileButton';

const ROTATION_HINTS: Record<ChannelConfig['platform'], string> = {
  wechat: '微信支付用平台公钥（或平台证书）签名应答和回调。新添加的公钥即为在用公钥；旧公钥停用后在移除前仍用于验签，平台切换完成后再移除。',
  alipay: '支付宝用支付宝公钥签名回调通知。新添加的公钥即为在用公钥；旧公钥停用后在移除前仍用于验签。',
  bank: '新添加的 API 密钥即用于请求签名；旧密钥停用后在移除前仍接受其签名（支付机构有 7 天过渡期）。',
};

function keyStatus(k: ChannelKey) {
  if (k.current) return <Tag color="green">在用</Tag>;
  if (k.retired) return <Tag>已停用 · 仍用于验签</Tag>;
  return <Tag color="blue">有效</Tag>;
}

/** The rotation list of one platform: add a key, retire the old one, remove it once the platform has switched. */
export function ChannelKeys({ channel, onChanged }: { channel: ChannelConfig; onChanged: () => void }) {
  const { message } = App.useApp();
  const report = useReportError();
  const [adding, setAdding] = useState(false);
  const isPublic = channel.keyKind.kind === 'public_key';
  const hasCertificates = channel.keys.some((k) => k.validTo !== null);

  const act = async (channelName: 'channels.retireKey' | 'channels.removeKey', k: ChannelKey) => {
    try {
      await call(channelName, { platform: channel.platform, keyId: k.keyId, version: channel.version ?? 1 });
      void message.success(channelName === 'channels.retireKey' ? `已停用密钥 ${k.keyId}，移除前仍用于验签` : `已移除密钥 ${k.keyId}`);
      onChanged();
    } catch (e) {
      report(e);
    }
  };

  return (
    <Card
      size="small"
      title={`${channel.keyKind.label}（密钥轮换）`}
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid={`add-key-${channel.platform}`}>
          添加{channel.keyKind.label}
        </Button>
      }
      style={{ maxWidth: 820, marginTop: 16 }}
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {ROTATION_HINTS[channel.platform]}
      </Typography.Paragraph>
      <Table<ChannelKey>
        size="small"
        rowKey="keyId"
        pagination={false}
        dataSource={channel.keys}
        data-testid={`key-table-${channel.platform}`}
        locale={{ emptyText: `尚未添加${channel.keyKind.label}` }}
        columns={[
          { title: isPublic ? '序列号 / 编号' : '密钥编号', dataIndex: 'keyId', render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
          { title: '指纹', dataIndex: 'fingerprint', width: 130, render: (f: string) => <Typography.Text code>{f}…</Typography.Text> },
          { title: '状态', key: 'status', width: 150, render: (_: unknown, k) => keyStatus(k) },
          { title: '添加时间', dataIndex: 'addedAt', width: 170, render: (t: number) => formatTime(t) },
          ...(hasCertificates ? [{ title: '证书到期', dataIndex: 'validTo', width: 170, render: (t: number | null) => formatTime(t) }] : []),
          {
            title: '操作',
            key: 'actions',
            width: 120,
            render: (_: unknown, k: ChannelKey) => (
              <Space size={0}>
                {k.retired ? (
                  <Popconfirm
                    title={`移除密钥 ${k.keyId}？`}
                    description="移除后，用此密钥签名的应答和通知将被拒绝。请确认平台已改用新密钥。"
                    okText="移除"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() => act('channels.removeKey', k)}
                  >
                    <Button type="link" size="small" danger data-testid={`remove-key-${k.keyId}`}>
                      移除
                    </Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm
                    title={`停用密钥 ${k.keyId}？`}
                    description="停用后不再用于签名和加密，但在移除前仍用于验签。"
                    okText="停用"
                    cancelText="取消"
                    onConfirm={() => act('channels.retireKey', k)}
                  >
                    <Button type="link" size="small" data-testid={`retire-key-${k.keyId}`}>
                      停用
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <AddKeyModal
        channel={channel}
        open={adding}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          onChanged();
        }}
      />
    </Card>
  );
}

interface KeyFields {
  keyId?: string;
  material: string;
}

function AddKeyModal({ channel, open, onClose, onSaved }: { channel: ChannelConfig; open: boolean; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<KeyFields>();
  const { message } = App.useApp();
  const report = useReportError();
  const isPublic = channel.keyKind.kind === 'public_key';
  const serialRequired = channel.platform === 'wechat';

  const submit = async (f: KeyFields) => {
    const keyId = f.keyId?.trim() || undefined;
    let input: ChannelInput<'channels.addKey'>;
    if (channel.platform === 'wechat') input = { platform: 'wechat', keyId: keyId ?? '', material: f.material, version: channel.version };
    else input = { platform: channel.platform, keyId, material: f.material, version: channel.version };
    try {
      const saved = await call('channels.addKey', input);
      const added = saved.keys.at(-1);
      void message.success(`已添加${channel.keyKind.label}${added ? ` ${added.keyId}（指纹 ${added.fingerprint}…）` : ''}，现为在用密钥`);
      onSaved();
    } catch (e) {
      if (!showErrorOnForm(form, e, { keyId: '密钥编号', material: channel.keyKind.label })) report(e);
      throw e;
    }
  };

  return (
    <FormModal<KeyFields>
      title={`添加${channel.keyKind.label}`}
      name={`add-key-${channel.platform}`}
      open={open}
      form={form}
      onSubmit={submit}
      onCancel={onClose}
      okText="添加"
      width={640}
      data-testid={`add-key-form-${channel.platform}`}
    >
      <Form.Item
        label={serialRequired ? '序列号 / 公钥 ID' : '密钥编号'}
        name="keyId"
        rules={serialRequired ? [{ required: true, whitespace: true, message: '请输入平台证书序列号或微信支付公钥 ID' }] : []}
        extra={serialRequired ? '应答头 Wechatpay-Serial 中的值：平台证书序列号，或 PUB_KEY_ID_ 开头的公钥 ID' : '可留空，按指纹自动编号'}
      >
        <Input autoComplete="off" spellCheck={false} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      {isPublic ? (
        <Form.Item
          label={
            <Flex gap={8} align="center">
              {channel.keyKind.label}
              <PemFileButton onLoaded={(text) => form.setFieldValue('material', text)} testId={`key-file-${channel.platform}`} />
            </Flex>
          }
          name="material"
          rules={[{ required: true, whitespace: true, message: `请粘贴${channel.keyKind.label}` }]}
          extra="PEM 格式的公钥或平台证书（公开信息，不是商户私钥）"
        >
          <Input.TextArea rows={7} spellCheck={false} style={{ fontFamily: 'monospace', fontSize: 12 }} placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'} />
        </Form.Item>
      ) : (
        <Form.Item label={channel.keyKind.label} name="material" rules={[{ required: true, whitespace: true, message: '请输入 API 密钥' }]} extra="32–128 个字符，加密保存，保存后只显示指纹">
          <Input.Password autoComplete="new-password" visibilityToggle={false} />
        </Form.Item>
      )}
    </FormModal>
  );
}
