import { Alert, Button, Result } from 'antd';
import type { ApiCallError } from '../app/api';

/**
 * A failed read. A refusal by the backend (FORBIDDEN) is shown as a 403 page, because retrying
 * will not help; anything else gets the message and a retry button.
 */
export function LoadError({ error, onRetry }: { error: ApiCallError; onRetry?: () => void }) {
  if (error.code === 'FORBIDDEN') return <Forbidden message={error.message} />;
  return (
    <Alert
      type="error"
      showIcon
      title="加载失败"
      description={error.message}
      style={{ marginBottom: 12 }}
      action={onRetry ? <Button onClick={onRetry}>重试</Button> : undefined}
      data-testid="load-error"
    />
  );
}

export function Forbidden({ message }: { message?: string }) {
  return <Result status="403" title="没有权限" subTitle={message ?? '您的账号没有访问此页面的权限，请联系管理员开通。'} data-testid="forbidden" />;
}
