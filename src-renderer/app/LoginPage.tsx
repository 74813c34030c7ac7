import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { AuthFrame } from './AuthFrame';
import { useAuth } from './auth-context';
import { asApiError } from './errors';

interface LoginFields {
  username: string;
  password: string;
}

export function LoginPage() {
  const { login } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (f: LoginFields) => {
    setBusy(true);
    setError(null);
    try {
      await login({ username: f.username.trim(), password: f.password });
    } catch (e) {
      setError(asApiError(e).message);
      setBusy(false);
    }
  };

  return (
    <AuthFrame title="登录">
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
      <Form<LoginFields> layout="vertical" onFinish={submit} requiredMark={false} data-testid="login-form" name="login">
        <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
          <Input prefix={<UserOutlined />} autoFocus autoComplete="username" />
        </Form.Item>
        <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          登录
        </Button>
      </Form>
    </AuthFrame>
  );
}
