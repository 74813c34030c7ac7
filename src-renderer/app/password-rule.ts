import type { FormRule as Rule } from 'antd';

/**
 * Immediate feedback while typing a new password. The main process enforces the same policy
 * (core/access/password-policy) and its message is shown if this check ever falls behind it.
 */
export const newPasswordRules: Rule[] = [
  { required: true, message: '请输入密码' },
  {
    validator: async (_rule, value: unknown) => {
      if (typeof value !== 'string' || value === '') return;
      if (value.length < 10) throw new Error('密码至少 10 位');
      const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
      if (classes < 3) throw new Error('密码需包含大写字母、小写字母、数字、符号中的至少三类');
    },
  },
];

export const PASSWORD_HINT = '至少 10 位，包含大写字母、小写字母、数字、符号中的至少三类';

/** "Repeat the password" must match the field `passwordField`. */
export const confirmPasswordRules = (passwordField: string): Rule[] => [
  { required: true, message: '请再次输入密码' },
  ({ getFieldValue }) => ({
    validator: async (_rule, value: unknown) => {
      if (value && value !== getFieldValue(passwordField)) throw new Error('两次输入的密码不一致');
    },
  }),
];

export const usernameRules: Rule[] = [
  { required: true, message: '请输入用户名' },
  { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: '用户名为 3–32 位字母、数字、下划线、点或横线' },
];
