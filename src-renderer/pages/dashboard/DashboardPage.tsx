import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Row, Skeleton, Typography } from 'antd';
import type { TransactionStats } from '../../app/api-types';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import type { DayRange } from '../../components/DateRangeFilter';
import { LoadError } from '../../components/LoadError';
import { formatFen } from '../../components/money-format';
import { PageTitle } from '../../components/PageTitle';
import { dayLabel } from './chart-format';
import { DashboardCards } from './DashboardCards';
import { DashboardPeriod } from './DashboardPeriod';
import { periodInstants, presetRange } from './dashboard-period';
import { MethodShare } from './MethodShare';
import { TrendChart, type TrendPoint } from './TrendChart';

/** 日均 and the best day of the period, above the trend chart. */
function trendSummary(points: TrendPoint[]): string | null {
  // One day has no average or best day to speak of.
  if (points.length < 2) return null;
  const total = points.reduce((s, p) => s + p.amountFen, 0);
  const best = points.reduce((a, b) => (b.amountFen > a.amountFen ? b : a));
  if (!best.amountFen) return null;
  return `日均 ${formatFen(Math.round(total / points.length))} · 最高 ${dayLabel(best.date, false)} ${formatFen(best.amountFen)}`;
}

function CardsSkeleton() {
  return (
    <Row gutter={[16, 16]}>
      {[0, 1, 2, 3].map((i) => (
        <Col key={i} xs={24} sm={12} xl={6}>
          <Card>
            <Skeleton active paragraph={{ rows: 2 }} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/**
 * 数据统计 (#/dashboard): the period's payments at a glance — totals against the previous period,
 * the daily trend and the share of each payment method. Days are Asia/Shanghai business days; the
 * period sits in the address so a reload or a shared link shows the same figures.
 */
export function DashboardPage() {
  const last30 = presetRange('last30');
  const [query, setQuery] = useUrlQuery({ from: last30.from, to: last30.to });
  const period: DayRange = periodInstants(query) ? query : last30;
  const instants = periodInstants(period);
  const stats = useChannel('transactions.stats', instants?.current ?? null);
  const previous = useChannel('transactions.stats', instants?.previous ?? null);
  const trend = useChannel('transactions.trend', instants?.current ?? null);
  const busy = stats.loading || trend.loading || previous.loading;
  const reload = () => {
    stats.reload();
    previous.reload();
    trend.reload();
  };
  const summary = trend.data ? trendSummary(trend.data) : null;
  const data: TransactionStats | undefined = stats.data;

  return (
    <>
      <PageTitle
        title="数据统计"
        sub={`${period.from} 至 ${period.to} · 共 ${instants?.days ?? 0} 天（北京时间）`}
        extra={
          <>
            <DashboardPeriod value={period} onChange={(r) => setQuery({ from: r.from, to: r.to })} />
            <Button icon={<ReloadOutlined />} onClick={reload} loading={busy && !!data}>
              刷新
            </Button>
          </>
        }
      />
      <Flex vertical gap={16}>
        {stats.error ? <LoadError error={stats.error} onRetry={reload} /> : null}
        {data ? <DashboardCards stats={data} previous={previous.data} /> : stats.error ? null : <CardsSkeleton />}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Card title="每日交易趋势" extra={summary ? <Typography.Text type="secondary">{summary}</Typography.Text> : null} data-testid="dashboard-trend" style={{ height: '100%' }}>
              {trend.error ? <LoadError error={trend.error} onRetry={trend.reload} /> : trend.data ? <TrendChart points={trend.data} /> : <Skeleton active paragraph={{ rows: 8 }} />}
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Card title="支付方式占比" extra={<Typography.Text type="secondary">按成功收款金额</Typography.Text>} data-testid="dashboard-share" style={{ height: '100%' }}>
              {data ? <MethodShare stats={data} /> : <Skeleton active paragraph={{ rows: 8 }} />}
            </Card>
          </Col>
        </Row>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          统计口径：按交易创建时间（北京时间）统计支付类交易；交易总额、趋势与占比只计成功的支付（其后退款的仍计入），退款金额为期间内成功的退款。
        </Typography.Text>
      </Flex>
    </>
  );
}
