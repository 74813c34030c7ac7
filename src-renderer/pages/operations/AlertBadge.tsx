import { AlertOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';

const POLL_MS = 30_000;

/** 告警 in the header: the number of unacknowledged alerts, re-read every 30 s (the rules' own pace). */
export function AlertBadge() {
  const { can } = useAuth();
  const navigate = useNavigate();
  const alerts = useChannel('alerts.list', can('alerts:view') ? { open: true, page: 1, pageSize: 1 } : null);
  const { reload } = alerts;
  useEffect(() => {
    const t = setInterval(reload, POLL_MS);
    return () => clearInterval(t);
  }, [reload]);
  if (!can('alerts:view')) return null;
  const n = alerts.data?.openCount ?? 0;
  return (
    <Tooltip title={n ? `${n} 条未确认的告警` : '没有未确认的告警'}>
      <Button type="text" onClick={() => navigate('/alerts')} data-testid="alert-badge">
        <Badge count={n} size="small" offset={[6, -2]}>
          <AlertOutlined style={{ fontSize: 16, color: n ? '#cf1322' : undefined }} />
        </Badge>
        <span style={{ marginInlineStart: 6 }}>告警</span>
      </Button>
    </Tooltip>
  );
}
