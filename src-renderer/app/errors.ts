import { ApiCallError } from './api';

/** Anything thrown while talking to the backend, as an ApiCallError with a message fit to show. */
export function asApiError(e: unknown): ApiCallError {
  if (e instanceof ApiCallError) return e;
  return new ApiCallError('CLIENT', `操作失败：${e instanceof Error ? e.message : String(e)}`);
}

export const isForbidden = (e: unknown): boolean => e instanceof ApiCallError && e.code === 'FORBIDDEN';

/**
 * The backend prefixes validation messages with the field's label ("金额：金额最多保留两位小数",
 * "金额超过单笔上限 ¥1,000,000.00"). Returns the form field the message belongs to, if any,
 * so the error appears under the input the accountant has to fix.
 */
export function fieldOfMessage<F extends string>(message: string, labels: Record<F, string>): F | undefined {
  const entries = Object.entries(labels) as [F, string][];
  // Longest label first: "当前密码" must win over "密码".
  entries.sort((a, b) => b[1].length - a[1].length);
  return entries.find(([, label]) => message.startsWith(label))?.[0];
}
