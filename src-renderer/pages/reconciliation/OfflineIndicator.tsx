import { CloudSyncOutlined, DisconnectOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Button, Tag, Tooltip } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { call } from '../../app/api';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { formatTime } from '../../components/time-format';
import { OfflineEditsDrawer } from './OfflineEditsDrawer';

/** How often the workbench asks whether the central store answers again (the server probes on these polls too). */
const POLL_MS = 5000;

/**
 * 离线 indicator of the 对账工作台 on a connected desktop: shown while the central store cannot be
 * reached (the workbench then works from the local cache), with the number of edits waiting to be
 * sent and of those in conflict; both open the list of 离线修改. Nothing shows in standalone mode
 * or while online with nothing queued. `refreshKey`: re-asked when it changes (after an edit);
 * `onReconnect`: called when the connection comes back, so the page reloads live data.
 */
export function OfflineIndicator({ refreshKey, onReconnect }: { refreshKey?: unknown; onReconnect?: () => void }) {
  const status = useChannel('recon.getOfflineStatus', {});
  const { message } = App.useApp();
  const report = useReportError();
  const [open, setOpen] = useState(false);
  const [syncing, setSyncing] = useState(false);
  const wasOffline = useRef(false);
  const { reload } = status;
  const s = status.data;

  useEffect(() => {
    const t = setInterval(reload, POLL_MS);
    return () => clearInterval(t);
  }, [reload]);
  useEffect(() => reload(), [refreshKey, reload]);
  useEffect(() => {
    if (!s) return;
    if (wasOffline.current && !s.offline) {
      void message.success('已恢复连接中心数据库，离线修改正在同步');
      onReconnect?.();
    }
    wasOffline.current = s.offline;
  }, [s, message, onReconnect]);

  const quiet = !s?.connected || (!s.offline && s.queued === 0 && s.conflicts === 0);
  // The list stays open after its last conflict is settled (it then says there is nothing left).
  if (quiet && !open) return null;
  const sync = async () => {
    setSyncing(true);
    try {
      const r = await call('recon.syncOffline', {});
      if (r.status.offline) void message.warning('仍无法连接中心数据库，修改会继续保存在本机');
      else if (r.status.conflicts) void message.warning(`有 ${r.status.conflicts} 项离线修改与他人的修改冲突，请逐项处理`);
      else void message.success('离线修改已同步');
    } catch (e) {
      report(e);
    } finally {
      setSyncing(false);
      reload();
      onReconnect?.();
    }
  };
  return (
    <>
      {s?.offline ? (
        <Tooltip
          title={`无法连接中心数据库（${formatTime(s.since)} 起），正在使用本机缓存：${s.cachedRuns} 个对账批次、${s.cachedDiffs} 条差异。备注、分配、处理状态和「以本地记录为准」先保存在本机，恢复连接后自动同步；以平台为准、退款、调账、重新查询需连接后进行。`}
        >
          <Tag color="error" icon={<DisconnectOutlined />} style={{ alignSelf: 'center', marginInlineEnd: 0 }} data-testid="offline-indicator">
            离线
          </Tag>
        </Tooltip>
      ) : null}
      {s?.queued ? (
        <Button onClick={() => setOpen(true)} data-testid="offline-queued">
          待同步 {s.queued}
        </Button>
      ) : null}
      {s?.conflicts ? (
        <Button danger icon={<WarningOutlined />} onClick={() => setOpen(true)} data-testid="offline-conflicts">
          冲突 {s.conflicts}
        </Button>
      ) : null}
      {quiet ? null : (
        <Button icon={<CloudSyncOutlined />} loading={syncing} onClick={() => void sync()} data-testid="offline-sync">
          立即同步
        </Button>
      )}
      <OfflineEditsDrawer
        open={open}
        onClose={() => setOpen(false)}
        onChanged={() => {
          reload();
          onReconnect?.();
        }}
      />
    </>
  );
}
