import { ArrowLeftOutlined, FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, Flex, Skeleton, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { ChannelOutput } from '../../src-main/api/contract';
import type { PaymentMethod, Vocabulary } from '../app/api-types';
import { useChannel } from '../app/use-channel';
import { useReportError } from '../app/use-report-error';
import { labelOf, useVocabulary } from '../app/vocabulary-context';
import { LoadError } from '../components/LoadError';
import { formatFen } from '../components/money-format';
import { formatTime } from '../components/time-format';
import { DIFF_TYPE_SHORT } from '../pages/reconciliation/recon-labels';
import { downloadReport, type ReportInput } from '../pages/reconciliation/report-files';
import { printView } from './print-view';
import { PrintOnly } from './PrintOnly';
import { DIFF_TYPE_HEX, StaticChart, type StaticChartOption } from './ReconReportChart';
import './print.css';
import './voucher.css';
import './ReconReport.css';

type Report = ChannelOutput<'recon.getReport'>;
type Totals = Report['total'];

const PERIODS = ['daily', 'weekly', 'monthly'] as const;
/** The chart width: the sheet's text width on screen (170 mm at 96 dpi); on paper the sheet is 186 mm wide. */
const CHART_WIDTH = 640;

function inputOf(params: URLSearchParams, v: Vocabulary): ReportInput | null {
  const period = params.get('period') ?? '';
  const date = params.get('date') ?? '';
  const channel = params.get('channel') ?? '';
  if (!(PERIODS as readonly string[]).includes(period) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  if (channel && !Object.hasOwn(v.paymentMethods, channel)) return null;
  return { period: period as ReportInput['period'], date, ...(channel ? { channel: channel as PaymentMethod } : {}) };
}

/** Differences by type: how many (bars) and how much (the label on each bar). */
function typeChart(m: Report): StaticChartOption {
  const rows = m.byType;
  return {
    grid: { left: 48, right: 16, top: 28, bottom: 28 },
    xAxis: { type: 'category', data: rows.map((t) => DIFF_TYPE_SHORT[t.type]), axisLabel: { fontSize: 11, interval: 0 } },
    yAxis: { type: 'value', name: '笔数', minInterval: 1, nameTextStyle: { fontSize: 11 } },
    series: [
      {
        type: 'bar',
        name: '笔数',
        barMaxWidth: 36,
        data: rows.map((t) => ({ value: t.count, itemStyle: { color: DIFF_TYPE_HEX[t.type] } })),
        label: { show: true, position: 'top', fontSize: 10, formatter: (p) => (rows[p.dataIndex]!.count ? `${rows[p.dataIndex]!.count} 笔 ${formatFen(rows[p.dataIndex]!.amountFen)}` : '') },
      },
    ],
  };
}

/** YYYY-MM-DD plus one day (dates have no zone: calendar arithmetic in UTC). */
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Differences per day of the period, stacked by type (weekly and monthly reports); a day not reconciled shows empty. */
function dayChart(m: Report): StaticChartOption {
  const dates: string[] = [];
  for (let d = m.from; d <= m.to && dates.length < 31; d = nextDay(d)) dates.push(d);
  const types = m.byType.filter((t) => t.count > 0).map((t) => t.type);
  return {
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 10 } },
    xAxis: { type: 'category', data: dates.map((d) => d.slice(5)), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', name: '笔数', minInterval: 1, nameTextStyle: { fontSize: 11 } },
    series: types.map((t) => ({
      type: 'bar' as const,
      name: DIFF_TYPE_SHORT[t],
      stack: 'diffs',
      barMaxWidth: 28,
      itemStyle: { color: DIFF_TYPE_HEX[t] },
      data: dates.map((date) => m.days.filter((d) => d.date === date).reduce((s, d) => s + d.diffs[t].count, 0)),
    })),
  };
}

function TotalsRow({ t, label, strong }: { t: Totals; label: string; strong?: boolean }) {
  const cells = [t.days, t.billCount.toLocaleString('zh-CN'), t.matchedCount.toLocaleString('zh-CN'), formatFen(t.matchedFen), t.diffCount.toLocaleString('zh-CN'), formatFen(t.diffFen), formatFen(t.platformFeeFen), t.heldCount];
  return (
    <tr className={strong ? 'total' : undefined}>
      <td>{label}</td>
      {cells.map((c, i) => (
        <td key={i} className="num">
          {c}
        </td>
      ))}
    </tr>
  );
}

/** The report itself: on screen for reading and, as a copy outside the app's tree, on paper. */
function ReportSheet({ m, forPrint = false }: { m: Report; forPrint?: boolean }) {
  const v = useVocabulary();
  const tid = (id: string) => (forPrint ? undefined : id);
  const types = useMemo(() => typeChart(m), [m]);
  const perDay = useMemo(() => (m.days.length ? dayChart(m) : null), [m]);
  const sum = (f: (t: Report['byType'][number]) => number) => m.byType.reduce((s, t) => s + f(t), 0);
  return (
    <div className="print-sheet recon-report-sheet" data-testid={tid('recon-report-sheet')}>
      <h1 data-testid={tid('recon-report-title')}>{m.title}</h1>
      <div className="meta">
        <span>账单期间 {m.period === 'daily' ? m.from : `${m.from} 至 ${m.to}`}</span>
        <span>生成时间 {formatTime(m.generatedAt)}</span>
        <span>生成人 {m.generatedBy}</span>
        <span>金额单位 元</span>
      </div>

      <h2>一、对账汇总</h2>
      <table data-testid={tid('recon-report-channels')}>
        <thead>
          <tr>
            <th>渠道</th>
            <th className="num">天数</th>
            <th className="num">账单笔数</th>
            <th className="num">已匹配</th>
            <th className="num">匹配金额</th>
            <th className="num">差异</th>
            <th className="num">差异金额</th>
            <th className="num">平台手续费</th>
            <th className="num">次日核对</th>
          </tr>
        </thead>
        <tbody>
          {m.channels.map((t) => (
            <TotalsRow key={t.channel} t={t} label={labelOf(v.paymentMethods, t.channel ?? '')} />
          ))}
          {m.channels.length > 1 ? <TotalsRow t={m.total} label="合计" strong /> : null}
        </tbody>
      </table>

      <h2>二、差异按类型</h2>
      <div className="chart">
        <StaticChart option={types} width={CHART_WIDTH} height={220} data-testid={tid('recon-report-type-chart')} />
      </div>
      <table data-testid={tid('recon-report-types')}>
        <thead>
          <tr>
            <th>差异类型</th>
            <th className="num">笔数</th>
            <th className="num">金额</th>
            {(['open', 'in_progress', 'resolved', 'ignored'] as const).map((s) => (
              <th key={s} className="num">
                {v.diffStatuses[s]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.byType.map((t) => (
            <tr key={t.type}>
              <td>{v.diffTypes[t.type]}</td>
              <td className="num">{t.count}</td>
              <td className="num">{formatFen(t.amountFen)}</td>
              <td className="num">{t.statuses.open}</td>
              <td className="num">{t.statuses.in_progress}</td>
              <td className="num">{t.statuses.resolved}</td>
              <td className="num">{t.statuses.ignored}</td>
            </tr>
          ))}
          <tr className="total">
            <td>合计</td>
            <td className="num">{sum((t) => t.count)}</td>
            <td className="num">{formatFen(sum((t) => t.amountFen))}</td>
            <td className="num">{sum((t) => t.statuses.open)}</td>
            <td className="num">{sum((t) => t.statuses.in_progress)}</td>
            <td className="num">{sum((t) => t.statuses.resolved)}</td>
            <td className="num">{sum((t) => t.statuses.ignored)}</td>
          </tr>
        </tbody>
      </table>

      {perDay ? (
        <>
          <h2>三、每日差异</h2>
          <div className="chart">
            <StaticChart option={perDay} width={CHART_WIDTH} height={240} data-testid={tid('recon-report-day-chart')} />
          </div>
        </>
      ) : null}

      <h2>{perDay ? '四' : '三'}、差异金额最大的 {m.top.length} 笔</h2>
      {m.top.length === 0 ? (
        <p>本期没有差异。</p>
      ) : (
        <table className="top" data-testid={tid('recon-report-top')}>
          <thead>
            <tr>
              <th>账单日</th>
              {m.channel ? null : <th>渠道</th>}
              <th>差异类型</th>
              <th>对账单号</th>
              <th className="num">本地金额</th>
              <th className="num">平台金额</th>
              <th className="num">差异金额</th>
              <th>状态</th>
              <th>处理人</th>
            </tr>
          </thead>
          <tbody>
            {m.top.map((d) => (
              <tr key={d.id}>
                <td>{d.billDate.slice(5)}</td>
                {m.channel ? null : <td>{labelOf(v.paymentMethods, d.channel)}</td>}
                <td>{DIFF_TYPE_SHORT[d.type]}</td>
                <td className="mono">{d.key}</td>
                <td className="num">{d.localAmountFen === null ? '—' : formatFen(d.localAmountFen)}</td>
                <td className="num">{d.platformAmountFen === null ? '—' : formatFen(d.platformAmountFen)}</td>
                <td className="num">{formatFen(d.amountFen)}</td>
                <td>{v.diffStatuses[d.status]}</td>
                <td>{d.assigneeName ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {m.adjustments.length ? (
        <p>
          调账：
          {m.adjustments.map((a) => `${labelOf(v.paymentMethods, a.channel)}${labelOf(v.adjustmentAccounts, a.account)} ${a.count} 笔 ${formatFen(a.amountFen)}`).join('；')}
        </p>
      ) : null}
      {m.missingDays.length ? (
        <p data-testid={tid('recon-report-missing')}>
          未完成对账：{m.missingDays.map((d) => `${labelOf(v.paymentMethods, d.channel)} ${d.dates.length} 天（${d.dates.map((x) => x.slice(5)).join('、')}）`).join('；')}
        </p>
      ) : null}

      <div className="sign">
        <span>编制：</span>
        <span>复核：</span>
        <span>财务负责人：</span>
      </div>
    </div>
  );
}

/**
 * 对账报表, printable (design document 4.3.1 step 4): the summary per channel, the differences by
 * type with a chart, per day with a chart for a week or a month, and the largest differences.
 * Printed through printView() (webContents.print in the desktop app), saved as PDF by the browser.
 */
export function ReconReport() {
  const v = useVocabulary();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const report = useReportError();
  const input = inputOf(params, v);
  const rep = useChannel('recon.getReport', input);
  const [exporting, setExporting] = useState(false);
  if (!input) return <Typography.Text type="danger">报表参数不正确：需要周期（日/周/月）和日期（YYYY-MM-DD）</Typography.Text>;
  return (
    <>
      <Flex justify="space-between" className="no-print" style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
          返回
        </Button>
        <Flex gap={8}>
          <Button
            icon={<FileExcelOutlined />}
            loading={exporting}
            disabled={!rep.data}
            onClick={async () => {
              setExporting(true);
              try {
                const f = await downloadReport(input);
                void message.success(`已导出 ${f.fileName}`);
              } catch (e) {
                report(e);
              } finally {
                setExporting(false);
              }
            }}
          >
            导出 Excel
          </Button>
          <Button type="primary" icon={<PrinterOutlined />} disabled={!rep.data} onClick={() => printView().catch(report)} data-testid="print-recon-report">
            打印
          </Button>
        </Flex>
      </Flex>
      {rep.error ? <LoadError error={rep.error} onRetry={rep.reload} /> : null}
      {!rep.data && rep.loading ? <Skeleton active paragraph={{ rows: 12 }} /> : null}
      {rep.data ? (
        <>
          <ReportSheet m={rep.data} />
          <PrintOnly>
            <ReportSheet m={rep.data} forPrint />
          </PrintOnly>
        </>
      ) : null}
    </>
  );
}
