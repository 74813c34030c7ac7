import type { FormInstance } from 'antd';
import { asApiError, fieldOfMessage } from './errors';

/**
 * Puts a backend validation message under the field it names (see fieldOfMessage). Returns false
 * when the message belongs to no field, so the caller shows it another way.
 */
export function showErrorOnForm<F extends string>(form: FormInstance, e: unknown, labels: Record<F, string>): boolean {
  const err = asApiError(e);
  const field = fieldOfMessage(err.message, labels);
  if (!field) return false;
  form.setFields([{ name: field, errors: [err.message] }]);
  form.scrollToField(field);
  return true;
}
