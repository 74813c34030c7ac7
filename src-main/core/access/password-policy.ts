import { DomainError } from '../errors';

/** No built-in default password exists; the first administrator chooses one meeting this rule. */
export function checkPasswordStrength(password: string): void {
  if (password.length < 10) throw new DomainError('PASSWORD_WEAK', '密码至少 10 位');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) throw new DomainError('PASSWORD_WEAK', '密码需包含大写字母、小写字母、数字、符号中的至少三类');
}
