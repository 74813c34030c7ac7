import { Form, Input } from 'antd';
import { confirmPasswordRules, newPasswordRules, PASSWORD_HINT } from '../app/password-rule';

/**
 * A new password and its repetition, as the form fields `password` and `confirm`, checked while
 * typing against the same policy the main process enforces.
 */
export function PasswordFields({ label, confirmLabel, autoFocus }: { label: string; confirmLabel: string; autoFocus?: boolean }) {
  return (
    <>
      <Form.Item label={label} name="password" rules={newPasswordRules} extra={PASSWORD_HINT}>
        <Input.Password autoFocus={autoFocus} autoComplete="new-password" />
      </Form.Item>
      <Form.Item label={confirmLabel} name="confirm" dependencies={['password']} rules={confirmPasswordRules('password')}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
