import { Flex, Tooltip, Typography } from 'antd';
import { formatFen } from '../../components/money-format';
import type { BatchProgress } from './batch-tags';

const SEGMENTS = [
  { key: 'success', label: '成功', color: '#52c41a' },
  { key: 'failed', label: '失败', color: '#ff4d4f' },
  { key: 'cancelled', label: '已取消', color: '#bfbfbf' },
  { key: 'inFlight', label: '处理中', color: '#69b1ff' },
] as const;

function counts(p: BatchProgress): Record<(typeof SEGMENTS)[number]['key'], { count: number; fen: number }> {
  return {
    success: { count: p.successCount, fen: p.successFen },
    failed: { count: p.failedCount, fen: p.failedFen },
    cancelled: { count: p.cancelledCount, fen: p.cancelledFen },
    inFlight: { count: p.inFlightCount, fen: p.inFlightFen },
  };
}

/**
 * 执行进度 as one bar: paid (green), failed (red), cancelled (grey) and sent-but-unanswered (light
 * blue) side by side over what is still to send, so a failure is visible at a glance, not only in a
 * percentage. The percentage is the server's (items that reached an end, rounded down).
 */
export function BatchProgressBar({ progress, compact = false }: { progress: BatchProgress; compact?: boolean }) {
  const c = counts(progress);
  const total = progress.totalCount || 1;
  const tip = (
    <div style={{ whiteSpace: 'nowrap' }}>
      {SEGMENTS.map((s) => (
        <div key={s.key}>
          {s.label} {c[s.key].count} 笔 {formatFen(c[s.key].fen)}
        </div>
      ))}
      <div>
        待发送 {progress.pendingCount} 笔 {formatFen(progress.pendingFen)}
      </div>
    </div>
  );
  return (
    <Tooltip title={tip}>
      <Flex align="center" gap={8} style={{ width: '100%' }}>
        <div
          role="progressbar"
          aria-label="执行进度"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress.percent}
          data-testid="batch-progress-bar"
          style={{ flex: 1, minWidth: compact ? 80 : 160, height: compact ? 8 : 14, borderRadius: 7, background: '#f0f0f0', overflow: 'hidden', display: 'flex' }}
        >
          {SEGMENTS.map((s) =>
            c[s.key].count ? <div key={s.key} data-segment={s.key} style={{ width: `${(c[s.key].count * 100) / total}%`, background: s.color, transition: 'width .4s' }} /> : null,
          )}
        </div>
        <Typography.Text style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', width: compact ? 38 : 44, textAlign: 'right' }} data-testid="batch-progress-percent">
          {progress.percent}%
        </Typography.Text>
      </Flex>
    </Tooltip>
  );
}
