import { Card, Col, Flex, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { useState } from 'react';
import type { TransactionStats } from '../../app/api-types';
import { useChannel } from '../../app/use-channel';
import { useVocabulary } from '../../app/vocabulary-context';
import { DateRangeFilter, type DayRange } from '../../components/DateRangeFilter';
import { LoadError } from '../../components/LoadError';
import { METHOD_COLORS } from '../../components/method-colors';
import { formatFen } from '../../components/money-format';
import { shanghaiDayRange, shanghaiToday } from '../../components/time-format';

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/**
 * 交易统计 for a period (design document 4.2.3): payment totals, count, success rate over the
 * finished payments, refunds, and the share of each payment method by amount.
 */
export function TransactionStatsPanel() {
  const [period, setPeriod] = useState<DayRange>({ from: shanghaiToday(-29), to: shanghaiToday() });
  const range = shanghaiDayRange(period.from, period.to);
  const stats = useChannel('transactions.stats', range ? { from: range.start, to: range.end } : null);

  return (
    <section data-testid="transaction-stats" style={{ marginBottom: 16 }}>
      <Flex align="center" gap={12} style={{ marginBottom: 10 }}>
        <Typography.Text strong>统计期间</Typography.Text>
        <DateRangeFilter value={period} onChange={(p) => p && setPeriod(p)} allowClear={false} data-testid="stats-period" />
        <Typography.Text type="secondary">按交易创建时间（北京时间）统计支付类交易</Typography.Text>
      </Flex>
      {stats.error ? <LoadError error={stats.error} onRetry={stats.reload} /> : null}
      {!stats.data && stats.loading ? <Skeleton active paragraph={{ rows: 3 }} /> : null}
      {stats.data ? <StatsCards stats={stats.data} loading={stats.loading} /> : null}
    </section>
  );
}

function StatsCards({ stats, loading }: { stats: TransactionStats; loading: boolean }) {
  const v = useVocabulary();
  const card = (testid: string, title: string, value: string, footer: string) => (
    <Col xs={12} xl={4}>
      <Card size="small" loading={loading} data-testid={testid} style={{ height: '100%' }}>
        <Statistic title={title} value={value} styles={{ content: { fontVariantNumeric: 'tabular-nums', fontSize: 22 } }} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {footer}
        </Typography.Text>
      </Card>
    </Col>
  );
  return (
    <Row gutter={[12, 12]}>
      {card('stat-total-amount', '交易总额', formatFen(stats.totalAmountFen), `成功支付 ${stats.successCount} 笔`)}
      {card('stat-total-count', '交易笔数', String(stats.totalCount), `待处理 ${stats.pendingCount} · 失败 ${stats.failedCount}`)}
      {card(
        'stat-success-rate',
        '成功率',
        stats.successRate === null ? '—' : percent(stats.successRate),
        stats.successRate === null ? '期间内没有已完成的交易' : `成功 ${stats.successCount} / 已完成 ${stats.successCount + stats.failedCount}`,
      )}
      {card('stat-refunded-amount', '退款金额', formatFen(stats.refundedAmountFen), '期间内成功的退款')}
      <Col xs={24} xl={8}>
        <Card size="small" title="支付方式分布（按金额）" loading={loading} data-testid="stat-by-method" style={{ height: '100%' }}>
          {stats.byMethod.length === 0 ? (
            <Typography.Text type="secondary">期间内没有成功的支付</Typography.Text>
          ) : (
            <Flex vertical gap={4}>
              {stats.byMethod.map((m) => (
                <Flex key={m.method} align="center" gap={8} data-method={m.method}>
                  <span style={{ width: 56, flex: 'none' }}>{v.paymentMethods[m.method]}</span>
                  <Progress percent={Number((m.share * 100).toFixed(1))} strokeColor={METHOD_COLORS[m.method]} size="small" style={{ flex: 1, margin: 0 }} format={(p) => `${p}%`} />
                  <Typography.Text type="secondary" style={{ width: 170, flex: 'none', textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
                    {formatFen(m.amountFen)} · {m.count} 笔
                  </Typography.Text>
                </Flex>
              ))}
            </Flex>
          )}
        </Card>
      </Col>
    </Row>
  );
}
