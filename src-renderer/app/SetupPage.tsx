import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { PasswordFields } from '../components/PasswordFields';
import { AuthFrame } from './AuthFrame';
import { useAuth } from './auth-context';
import { asApiError, fieldOfMessage } from './errors';
import { usernameRules } from './password-rule';

interface SetupFields {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

const LABELS = { username: '用户名', displayName: '姓名', password: '密码' } as const;

/** First run: there is no built-in account, the first person creates the administrator. */
export function SetupPage() {
  const { setup } = useAuth();
  const [form] = Form.useForm<SetupFields>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (f: SetupFields) => {
    setBusy(true);
    setError(null);
    try {
      await setup({ username: f.username.trim(), displayName: f.displayName.trim(), password: f.password });
    } catch (e) {
      const message = asApiError(e).message;
      const field = fieldOfMessage(message, LABELS) ?? (message.startsWith('密码') ? 'password' : undefined);
      if (field) form.setFields([{ name: field, errors: [message] }]);
      else setError(message);
      setBusy(false);
    }
  };

  return (
    <AuthFrame title="首次设置：创建管理员账号" width={440}>
      <Typography.Paragraph type="secondary">
        支付中心还没有任何账号。请创建第一个管理员账号，之后由管理员为会计、出纳等同事开设账号。
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="setup-error" /> : null}
      <Form<SetupFields> form={form} layout="vertical" onFinish={submit} data-testid="setup-form" name="setup">
        <Form.Item label="用户名" name="username" rules={usernameRules} extra="用于登录，3–32 位字母、数字、下划线、点或横线">
          <Input autoFocus autoComplete="username" />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }, { max: 64, message: '姓名不能超过 64 个字符' }]}>
          <Input autoComplete="name" />
        </Form.Item>
        <PasswordFields label="密码" confirmLabel="确认密码" />
        <Button type="primary" htmlType="submit" block loading={busy}>
          创建管理员并登录
        </Button>
      </Form>
    </AuthFrame>
  );
}
