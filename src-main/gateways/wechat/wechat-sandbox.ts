/**
 * Native pay's `code_url` keeps WeChat's real shape, `weixin://wxpay/bizpayurl?pr=<token>` (gunsluo/wechatpay-go
 * helper_test.go: `weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00`), so QR rendering and length limits are
 * exercised as in production. Only the WeChat app can open it for real; in sandbox mode the simulator serves
 * the same path over HTTP (`GET <simulator>/wxpay/bizpayurl?pr=<token>`) and redirects to its pay page for the
 * trade. The app calls `sandboxPayPageUrl` to turn a sandbox code_url into a link a browser can open.
 */
export const CODE_URL_PREFIX = 'weixin://wxpay/bizpayurl';

export const SANDBOX_CODE_PATH = '/wxpay/bizpayurl';

export function sandboxCodeUrl(token: string): string {
  return `${CODE_URL_PREFIX}?pr=${encodeURIComponent(token)}`;
}

/** The token in a code_url, or null when it is not WeChat's bizpayurl shape. */
export function codeUrlToken(codeUrl: string): string | null {
  if (!codeUrl.startsWith(CODE_URL_PREFIX)) return null;
  const query = codeUrl.slice(codeUrl.indexOf('?') + 1);
  if (!codeUrl.includes('?')) return null;
  return new URLSearchParams(query).get('pr');
}

/** `weixin://wxpay/bizpayurl?pr=X` → `http://127.0.0.1:port/wxpay/bizpayurl?pr=X` (redirects to the pay page). */
export function sandboxPayPageUrl(codeUrl: string, simulatorBaseUrl: string): string | null {
  const token = codeUrlToken(codeUrl);
  if (!token) return null;
  return `${simulatorBaseUrl.replace(/\/+$/, '')}${SANDBOX_CODE_PATH}?pr=${encodeURIComponent(token)}`;
}
