import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Money } from '../../components/Money';
import { BatchProgressBar } from './BatchProgressBar';
import type { BatchDetail } from './batch-tags';

function Figure({ label, count, fen, tone, testId, extra }: { label: string; count: number; fen?: number; tone?: 'success' | 'danger' | 'secondary'; testId: string; extra?: ReactNode }) {
  return (
    <Flex vertical gap={2} style={{ minWidth: 120 }} data-testid={testId}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      <Typography.Text type={tone} style={{ fontSize: 20, fontWeight: 600, fontVariantNumeric: 'tabular-nums', lineHeight: 1.3 }}>
        {count.toLocaleString('zh-CN')} <span style={{ fontSize: 13, fontWeight: 400 }}>笔</span>
      </Typography.Text>
      {fen !== undefined ? <Money fen={fen} /> : null}
      {extra}
    </Flex>
  );
}

/**
 * 执行进度: done / total items and amounts, successes, failures, what is with the platforms (and how
 * many wait for a WeChat payee's confirmation), what is still to send, per payee channel. All of it
 * is the server's count, read again while the batch runs.
 */
export function BatchProgressPanel({ detail, live }: { detail: BatchDetail; live: boolean }) {
  const p = detail.progress;
  return (
    <Card
      size="small"
      title="执行进度"
      style={{ marginBottom: 12 }}
      extra={live ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>自动刷新中</Typography.Text> : null}
      data-testid="batch-progress"
    >
      <Flex vertical gap={16}>
        <BatchProgressBar progress={p} />
        <Flex gap={24} wrap>
          <Figure label="已完成 / 总笔数" count={p.doneCount} testId="progress-done" extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>共 {p.totalCount} 笔 · <Money fen={p.totalFen} /></Typography.Text>} />
          <Figure label="成功" count={p.successCount} fen={p.successFen} tone="success" testId="progress-success" />
          <Figure label="失败" count={p.failedCount} fen={p.failedFen} tone={p.failedCount ? 'danger' : undefined} testId="progress-failed" />
          <Figure
            label="处理中"
            count={p.inFlightCount}
            fen={p.inFlightFen}
            testId="progress-inflight"
            extra={p.waitConfirmCount ? <Typography.Text type="warning" style={{ fontSize: 12 }}>其中待收款确认 {p.waitConfirmCount} 笔</Typography.Text> : null}
          />
          <Figure label="待发送" count={p.pendingCount} fen={p.pendingFen} testId="progress-pending" />
          {p.cancelledCount ? <Figure label="已取消" count={p.cancelledCount} fen={p.cancelledFen} tone="secondary" testId="progress-cancelled" /> : null}
        </Flex>
      </Flex>
    </Card>
  );
}
