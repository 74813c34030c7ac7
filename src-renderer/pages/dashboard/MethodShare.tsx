import { Empty, Flex, Typography } from 'antd';
import { useMemo } from 'react';
import type { TransactionStats, Vocabulary } from '../../app/api-types';
import { useVocabulary } from '../../app/vocabulary-context';
import { METHOD_COLORS } from '../../components/method-colors';
import { formatFen } from '../../components/money-format';
import { fenToPlotYuan } from './chart-format';
import { EChart, type ChartOption } from './EChart';

type MethodRow = TransactionStats['byMethod'][number];

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function shareOption(rows: MethodRow[], v: Vocabulary): ChartOption {
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const row = rows[Array.isArray(p) ? -1 : (p.dataIndex ?? -1)];
        return row ? `<b>${v.paymentMethods[row.method]}</b><br/>${formatFen(row.amountFen)} · ${row.count} 笔<br/>占比 ${percent(row.share)}` : '';
      },
    },
    series: [
      {
        type: 'pie',
        radius: ['58%', '82%'],
        avoidLabelOverlap: true,
        padAngle: 1.5,
        itemStyle: { borderRadius: 4, borderColor: '#fff', borderWidth: 1 },
        label: { show: false },
        emphasis: { scale: true, scaleSize: 4 },
        data: rows.map((r) => ({ name: v.paymentMethods[r.method], value: fenToPlotYuan(r.amountFen), itemStyle: { color: METHOD_COLORS[r.method] } })),
      },
    ],
  };
}

/** 支付方式占比: successful payment amount by method, as a donut with the total in its middle and the figures beside it. */
export function MethodShare({ stats }: { stats: TransactionStats }) {
  const v = useVocabulary();
  const rows = stats.byMethod;
  const option = useMemo(() => shareOption(rows, v), [rows, v]);
  if (rows.length === 0)
    return (
      <div style={{ height: 320, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Empty description="统计期间内没有成功的支付" />
      </div>
    );
  return (
    <Flex vertical gap={12}>
      <div style={{ position: 'relative' }}>
        <EChart option={option} height={200} data-testid="share-chart" />
        <Flex vertical align="center" justify="center" style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            成功收款
          </Typography.Text>
          <span style={{ fontSize: 16, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>{formatFen(stats.totalAmountFen)}</span>
        </Flex>
      </div>
      <Flex vertical gap={8}>
        {rows.map((r) => (
          <Flex key={r.method} align="center" gap={8} data-method={r.method}>
            <span style={{ width: 10, height: 10, borderRadius: 2, background: METHOD_COLORS[r.method], flex: 'none' }} />
            <span style={{ width: 64, flex: 'none' }}>{v.paymentMethods[r.method]}</span>
            <Typography.Text strong style={{ width: 52, flex: 'none', fontVariantNumeric: 'tabular-nums' }}>
              {percent(r.share)}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ flex: 1, textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
              {formatFen(r.amountFen)} · {r.count} 笔
            </Typography.Text>
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
}
