import { App, Form, Input, Select, Switch } from 'antd';
import { call } from '../../app/api';
import type { Role, UserRecord } from '../../app/api-types';
import { showErrorOnForm } from '../../app/form-errors';
import { usernameRules } from '../../app/password-rule';
import { useReportError } from '../../app/use-report-error';
import { optionsOf, useVocabulary } from '../../app/vocabulary-context';
import { FormModal } from '../../components/FormModal';
import { PasswordFields } from '../../components/PasswordFields';

const LABELS = { username: '用户名', displayName: '姓名', password: '密码', role: '角色' } as const;

interface ModalProps {
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}

interface CreateFields {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  confirm: string;
}

export function CreateUserModal({ open, onClose, onSaved }: ModalProps) {
  const v = useVocabulary();
  const [form] = Form.useForm<CreateFields>();
  const { message } = App.useApp();
  const report = useReportError();
  const submit = async (f: CreateFields) => {
    try {
      const user = await call('users.create', { username: f.username.trim(), displayName: f.displayName.trim(), role: f.role, password: f.password });
      void message.success(`已创建用户 ${user.displayName}（${user.username}）`);
      onSaved();
    } catch (e) {
      if (!showErrorOnForm(form, e, LABELS)) report(e);
      throw e;
    }
  };
  return (
    <FormModal<CreateFields> title="新建用户" name="create-user" open={open} form={form} onSubmit={submit} onCancel={onClose} okText="创建用户" data-testid="create-user-form">
      <Form.Item label="用户名" name="username" rules={usernameRules} extra="用于登录，创建后不能修改">
        <Input autoFocus autoComplete="off" />
      </Form.Item>
      <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
        <Select options={optionsOf(v.roles)} placeholder="请选择" />
      </Form.Item>
      <PasswordFields label="初始密码" confirmLabel="确认密码" />
    </FormModal>
  );
}

interface EditFields {
  displayName: string;
  role: Role;
  active: boolean;
}

/** Edits name, role and whether the account may log in; `version` refuses a stale edit. */
export function EditUserModal({ user, onClose, onSaved }: { user: UserRecord | null; onClose: () => void; onSaved: () => void }) {
  const v = useVocabulary();
  const [form] = Form.useForm<EditFields>();
  const { message } = App.useApp();
  const report = useReportError();
  const submit = async (f: EditFields) => {
    if (!user) return;
    try {
      await call('users.update', { id: user.id, version: user.version, displayName: f.displayName.trim(), role: f.role, active: f.active });
      void message.success(`已保存用户 ${f.displayName.trim()}`);
      onSaved();
    } catch (e) {
      if (!showErrorOnForm(form, e, LABELS)) report(e);
      throw e;
    }
  };
  return (
    <FormModal<EditFields>
      title={user ? `编辑用户：${user.username}` : '编辑用户'}
      name="edit-user"
      open={user !== null}
      form={form}
      onSubmit={submit}
      onCancel={onClose}
      okText="保存"
      initialValues={user ? { displayName: user.displayName, role: user.role, active: user.active } : undefined}
      data-testid="edit-user-form"
    >
      <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
        <Input maxLength={64} autoFocus autoComplete="off" />
      </Form.Item>
      <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
        <Select options={optionsOf(v.roles)} />
      </Form.Item>
      <Form.Item label="启用" name="active" valuePropName="checked" extra="停用后该账号不能登录，已登录的会话立即失效">
        <Switch checkedChildren="启用" unCheckedChildren="停用" />
      </Form.Item>
    </FormModal>
  );
}

interface ResetFields {
  password: string;
  confirm: string;
}

export function ResetPasswordModal({ user, onClose, onSaved }: { user: UserRecord | null; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<ResetFields>();
  const { message } = App.useApp();
  const report = useReportError();
  const submit = async (f: ResetFields) => {
    if (!user) return;
    try {
      await call('users.resetPassword', { id: user.id, password: f.password });
      void message.success(`已重置 ${user.displayName} 的密码，请通过安全渠道告知本人`);
      onSaved();
    } catch (e) {
      if (!showErrorOnForm(form, e, { password: '密码' })) report(e);
      throw e;
    }
  };
  return (
    <FormModal<ResetFields>
      title={user ? `重置密码：${user.displayName}（${user.username}）` : '重置密码'}
      name="reset-password"
      open={user !== null}
      form={form}
      onSubmit={submit}
      onCancel={onClose}
      okText="重置密码"
      width={440}
      data-testid="reset-password-form"
    >
      <PasswordFields label="新密码" confirmLabel="确认新密码" autoFocus />
    </FormModal>
  );
}
