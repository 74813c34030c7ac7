import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, type GridComponentOption, type LegendComponentOption } from 'echarts/components';
import { init, use as registerChartParts, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useMemo } from 'react';

registerChartParts([BarChart, GridComponent, LegendComponent, SVGRenderer]);

export type StaticChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption>;

/** The difference types' colours on paper, the hues of the workbench's tags (recon-labels DIFF_TYPE_COLORS). */
export const DIFF_TYPE_HEX: Record<string, string> = {
  duplicate_local: '#c41d7f',
  duplicate_platform: '#eb2f96',
  missing_local: '#cf1322',
  missing_platform: '#d4380d',
  status: '#d46b08',
  amount: '#d48806',
  fee: '#0958d9',
};

/**
 * A chart drawn once, as an SVG string (ECharts' server-side rendering, no animation, no canvas),
 * and placed in the page as it is: what is on screen is exactly what printing or page.pdf() puts
 * on paper, as vectors with selectable text, and a copy hidden from the screen draws as well as a
 * visible one (a live chart in a hidden container has no size).
 */
export function StaticChart({ option, width, height, 'data-testid': testId }: { option: StaticChartOption; width: number; height: number; 'data-testid'?: string }) {
  const svg = useMemo(() => {
    const chart = init(null, null, { renderer: 'svg', ssr: true, width, height, locale: 'ZH' });
    chart.setOption({ animation: false, textStyle: { fontFamily: 'Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif' }, ...option });
    const out = chart.renderToSVGString();
    chart.dispose();
    return out;
  }, [option, width, height]);
  // The SVG is ECharts' own output from our figures and labels (text escaped by its renderer).
  return <div className="recon-chart" style={{ width, height }} data-testid={testId} dangerouslySetInnerHTML={{ __html: svg }} />;
}
