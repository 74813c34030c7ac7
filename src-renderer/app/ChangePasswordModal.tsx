import { App, Form, Input } from 'antd';
import { FormModal } from '../components/FormModal';
import { PasswordFields } from '../components/PasswordFields';
import { call } from './api';
import { showErrorOnForm } from './form-errors';
import { useReportError } from './use-report-error';

interface ChangePasswordFields {
  currentPassword: string;
  password: string;
  confirm: string;
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<ChangePasswordFields>();
  const { message } = App.useApp();
  const report = useReportError();

  const submit = async (f: ChangePasswordFields) => {
    try {
      await call('auth.changePassword', { currentPassword: f.currentPassword, password: f.password });
    } catch (e) {
      if (!showErrorOnForm(form, e, { currentPassword: '当前密码', password: '密码' })) report(e);
      throw e;
    }
    void message.success('密码已修改');
    onClose();
  };

  return (
    <FormModal<ChangePasswordFields> title="修改密码" name="change-password" open={open} form={form} onSubmit={submit} onCancel={onClose} okText="修改密码" width={420} data-testid="change-password-form">
      <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoFocus autoComplete="current-password" />
      </Form.Item>
      <PasswordFields label="新密码" confirmLabel="确认新密码" />
    </FormModal>
  );
}
