import { Empty } from 'antd';
import { useMemo } from 'react';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { formatFen } from '../../components/money-format';
import { dayLabel, fenToPlotYuan, weekday, yuanAxisLabel } from './chart-format';
import { EChart, type ChartOption } from './EChart';

export type TrendPoint = ChannelOutput<'transactions.trend'>[number];

const AMOUNT_COLOR = '#1677ff';
const COUNT_COLOR = '#fa8c16';
const axisText = { color: '#8c8c8c' };

function trendOption(points: TrendPoint[]): ChartOption {
  return {
    color: [AMOUNT_COLOR, COUNT_COLOR],
    grid: { left: 8, right: 8, top: 44, bottom: 4, containLabel: true },
    legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 8, data: ['交易金额', '交易笔数'] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const p = points[first?.dataIndex ?? -1];
        if (!p) return '';
        const dot = (c: string) => `<span style="display:inline-block;width:8px;height:8px;border-radius:4px;background:${c};margin-right:6px"></span>`;
        return [
          `<div style="font-weight:600;margin-bottom:4px">${p.date} ${weekday(p.date)}</div>`,
          `${dot(AMOUNT_COLOR)}交易金额 <b style="float:right;margin-left:24px">${formatFen(p.amountFen)}</b>`,
          `<br/>${dot(COUNT_COLOR)}交易笔数 <b style="float:right;margin-left:24px">${p.count} 笔</b>`,
          p.count ? `<br/><span style="color:#8c8c8c">笔均 ${formatFen(Math.round(p.amountFen / p.count))}</span>` : '',
        ].join('');
      },
    },
    xAxis: {
      type: 'category',
      data: points.map((p) => dayLabel(p.date, points.length <= 14)),
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: '#d9d9d9' } },
      axisLabel: { ...axisText, hideOverlap: true },
    },
    yAxis: [
      {
        type: 'value',
        name: '金额',
        nameTextStyle: { ...axisText, align: 'left' },
        axisLabel: { ...axisText, formatter: (v: number) => yuanAxisLabel(v) },
        splitLine: { lineStyle: { type: 'dashed', color: '#f0f0f0' } },
      },
      {
        type: 'value',
        name: '笔数',
        minInterval: 1,
        nameTextStyle: { ...axisText, align: 'right' },
        axisLabel: { ...axisText, formatter: '{value} 笔' },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: '交易金额',
        type: 'bar',
        barMaxWidth: 28,
        itemStyle: { borderRadius: [3, 3, 0, 0] },
        emphasis: { focus: 'series' },
        data: points.map((p) => fenToPlotYuan(p.amountFen)),
      },
      {
        name: '交易笔数',
        type: 'line',
        yAxisIndex: 1,
        smooth: false,
        symbol: 'circle',
        symbolSize: 6,
        showSymbol: points.length <= 31,
        lineStyle: { width: 2 },
        data: points.map((p) => p.count),
      },
    ],
  };
}

/** 每日交易趋势: successful payments per Shanghai business day, amount as bars (¥ axis) and count as a line. */
export function TrendChart({ points }: { points: TrendPoint[] }) {
  const option = useMemo(() => trendOption(points), [points]);
  if (!points.some((p) => p.count > 0))
    return (
      <div style={{ height: 320, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Empty description="统计期间内没有成功的支付" />
      </div>
    );
  return <EChart option={option} height={320} data-testid="trend-chart" />;
}
