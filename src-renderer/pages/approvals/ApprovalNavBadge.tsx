import { Badge } from 'antd';
import { useEffect } from 'react';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { APPROVALS_CHANGED } from './approval-labels';

const POLL_MS = 30_000;

/** 审批中心's entry in the navigation: how many requests wait for my decision, re-read every 30 s and after each decision. */
export function ApprovalNavBadge() {
  const { can } = useAuth();
  const pending = useChannel('approvals.pendingCount', can('approval:view') ? {} : null);
  const { reload } = pending;
  useEffect(() => {
    const t = setInterval(reload, POLL_MS);
    window.addEventListener(APPROVALS_CHANGED, reload);
    return () => {
      clearInterval(t);
      window.removeEventListener(APPROVALS_CHANGED, reload);
    };
  }, [reload]);
  const n = pending.data?.count ?? 0;
  return (
    <span data-testid="approvals-badge" data-count={n} style={{ marginInlineStart: 8 }}>
      <Badge count={n} size="small" overflowCount={99} style={{ boxShadow: 'none' }} title={`${n} 笔待我审批`} />
    </span>
  );
}
