import { AccountBookOutlined, ArrowDownOutlined, ArrowUpOutlined, CheckCircleOutlined, RollbackOutlined, TransactionOutlined } from '@ant-design/icons';
import { Card, Col, Flex, Row, Tooltip, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import type { TransactionStats } from '../../app/api-types';
import { useVocabulary } from '../../app/vocabulary-context';
import { formatFen } from '../../components/money-format';

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

interface Change {
  text: string;
  /** Up or down; null when there is nothing to compare with. */
  up: boolean | null;
}

/** Relative change against the previous period (环比). */
function relative(now: number, before: number | undefined): Change {
  if (before === undefined) return { text: '—', up: null };
  if (before === 0) return now === 0 ? { text: '持平', up: null } : { text: '上期为 0', up: null };
  const r = (now - before) / before;
  if (Math.abs(r) < 0.0005) return { text: '持平', up: null };
  return { text: percent(Math.abs(r)), up: r > 0 };
}

/** A rate compared in percentage points: 95% against 90% is "+5.0 个百分点", not "+5.6%". */
function points(now: number | null, before: number | null | undefined): Change {
  if (now === null || before === null || before === undefined) return { text: '—', up: null };
  const d = (now - before) * 100;
  if (Math.abs(d) < 0.05) return { text: '持平', up: null };
  return { text: `${Math.abs(d).toFixed(1)} 个百分点`, up: d > 0 };
}

interface KpiProps {
  testId: string;
  title: string;
  value: string;
  icon: ReactNode;
  color: string;
  change: Change;
  /** Whether a rise is good news (refunds: it is not). */
  riseIsGood: boolean;
  footer: string;
}

function Kpi({ testId, title, value, icon, color, change, riseIsGood, footer }: KpiProps) {
  const { token } = theme.useToken();
  const tone = change.up === null ? token.colorTextSecondary : change.up === riseIsGood ? token.colorSuccess : token.colorError;
  return (
    <Col xs={24} sm={12} xl={6}>
      <Card data-testid={testId} style={{ height: '100%' }} styles={{ body: { padding: '18px 20px' } }}>
        <Flex justify="space-between" align="flex-start">
          <Flex vertical gap={6}>
            <Typography.Text type="secondary">{title}</Typography.Text>
            <span style={{ fontSize: 28, lineHeight: 1.2, fontWeight: 600, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{value}</span>
          </Flex>
          <span style={{ width: 44, height: 44, borderRadius: 10, background: `${color}1a`, color, fontSize: 22, display: 'flex', alignItems: 'center', justifyContent: 'center', flex: 'none' }}>{icon}</span>
        </Flex>
        <Flex justify="space-between" gap={8} wrap style={{ marginTop: 12, paddingTop: 10, borderTop: `1px solid ${token.colorBorderSecondary}`, fontSize: 12 }}>
          <Tooltip title="与上期（紧挨本期之前、同样天数的期间）相比">
            <span style={{ color: tone, whiteSpace: 'nowrap' }} data-testid={`${testId}-change`}>
              较上期 {change.up === null ? null : change.up ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {change.text}
            </span>
          </Tooltip>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {footer}
          </Typography.Text>
        </Flex>
      </Card>
    </Col>
  );
}

/** The four figures a finance dashboard opens with, each against the previous period of the same length. */
export function DashboardCards({ stats, previous }: { stats: TransactionStats; previous: TransactionStats | undefined }) {
  const v = useVocabulary();
  const average = stats.successCount ? formatFen(Math.round(stats.totalAmountFen / stats.successCount)) : '—';
  const finished = stats.successCount + stats.failedCount;
  return (
    <Row gutter={[16, 16]} data-testid="dashboard-cards">
      <Kpi testId="kpi-amount" title="交易总额" value={formatFen(stats.totalAmountFen)} icon={<AccountBookOutlined />} color="#1677ff" change={relative(stats.totalAmountFen, previous?.totalAmountFen)} riseIsGood footer={`笔均 ${average}`} />
      <Kpi
        testId="kpi-count"
        title="交易笔数"
        value={`${stats.totalCount.toLocaleString('zh-CN')} 笔`}
        icon={<TransactionOutlined />}
        color="#722ed1"
        change={relative(stats.totalCount, previous?.totalCount)}
        riseIsGood
        footer={`${v.transactionStatuses.success} ${stats.successCount} · ${v.transactionStatuses.pending} ${stats.pendingCount} · ${v.transactionStatuses.failed} ${stats.failedCount}`}
      />
      <Kpi
        testId="kpi-success-rate"
        title="成功率"
        value={stats.successRate === null ? '—' : percent(stats.successRate)}
        icon={<CheckCircleOutlined />}
        color="#52c41a"
        change={points(stats.successRate, previous?.successRate)}
        riseIsGood
        footer={finished ? `成功 ${stats.successCount} / 已完成 ${finished}` : '期间内没有已完成的交易'}
      />
      <Kpi
        testId="kpi-refunded"
        title="退款金额"
        value={formatFen(stats.refundedAmountFen)}
        icon={<RollbackOutlined />}
        color="#fa541c"
        change={relative(stats.refundedAmountFen, previous?.refundedAmountFen)}
        riseIsGood={false}
        footer={stats.totalAmountFen ? `占交易总额 ${percent(stats.refundedAmountFen / stats.totalAmountFen)}` : '期间内成功的退款'}
      />
    </Row>
  );
}
