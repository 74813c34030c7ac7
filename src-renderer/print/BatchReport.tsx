import { ArrowLeftOutlined, FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, Flex, Skeleton } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { ChannelOutput } from '../../src-main/api/contract';
import { call } from '../app/api';
import { asApiError } from '../app/errors';
import { useChannel } from '../app/use-channel';
import { useReportError } from '../app/use-report-error';
import { useVocabulary } from '../app/vocabulary-context';
import { LoadError } from '../components/LoadError';
import { formatFen } from '../components/money-format';
import { formatTime } from '../components/time-format';
import { saveBase64File, XLSX_MIME } from '../components/file-transfer';
import type { ApiCallError } from '../app/api';
import { printView } from './print-view';
import { PrintOnly } from './PrintOnly';
import './print.css';
import './voucher.css';
import './BatchReport.css';

type Detail = ChannelOutput<'batches.get'>;
type Item = ChannelOutput<'batches.items'>['items'][number];
const PAGE = 200;

/** Every item of the batch, read page by page (the report lists them all). */
function useAllItems(batchNo: string): { items: Item[] | null; error: ApiCallError | null } {
  const [state, setState] = useState<{ items: Item[] | null; error: ApiCallError | null }>({ items: null, error: null });
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const out: Item[] = [];
        for (let page = 1; ; page++) {
          const p = await call('batches.items', { batchNo, page, pageSize: PAGE });
          out.push(...p.items);
          if (out.length >= p.total || p.items.length === 0) break;
        }
        if (live) setState({ items: out, error: null });
      } catch (e) {
        if (live) setState({ items: null, error: asApiError(e) });
      }
    })();
    return () => {
      live = false;
    };
  }, [batchNo]);
  return state;
}

interface ChannelRow {
  channel: string;
  label: string;
  count: number;
  fen: number;
  successCount: number;
  successFen: number;
  failedCount: number;
  failedFen: number;
  otherCount: number;
}

/** Per payee channel: how many and how much, and of those what was paid and what failed. */
function byChannel(items: readonly Item[]): ChannelRow[] {
  const rows = new Map<string, ChannelRow>();
  for (const i of items) {
    const r = rows.get(i.channel) ?? { channel: i.channel, label: i.channelLabel, count: 0, fen: 0, successCount: 0, successFen: 0, failedCount: 0, failedFen: 0, otherCount: 0 };
    r.count++;
    r.fen += i.amountFen;
    if (i.status === 'success') {
      r.successCount++;
      r.successFen += i.amountFen;
    } else if (i.status === 'failed') {
      r.failedCount++;
      r.failedFen += i.amountFen;
    } else r.otherCount++;
    rows.set(i.channel, r);
  }
  return [...rows.values()];
}

function ReportSheet({ d, items, forPrint = false }: { d: Detail; items: readonly Item[]; forPrint?: boolean }) {
  const v = useVocabulary();
  const [printedAt] = useState(() => Date.now());
  const tid = (id: string) => (forPrint ? undefined : id);
  const b = d.batch;
  const p = d.progress;
  const channels = useMemo(() => byChannel(items), [items]);
  const approvers = (d.approvals?.decisions ?? []).filter((x) => x.decision === 'approve');
  const sum = (f: (r: ChannelRow) => number) => channels.reduce((s, r) => s + f(r), 0);
  return (
    <div className="print-sheet batch-report-sheet" data-testid={tid('batch-report-sheet')}>
      <h1>批量付款结果报表</h1>
      <div className="meta">
        <span>
          批次号 <strong data-testid={tid('batch-report-no')}>{b.batchNo}</strong>
        </span>
        <span>类型 {v.batchTypes[b.type]}</span>
        <span>状态 {v.batchStatuses[b.status]}</span>
        <span>金额单位 元</span>
      </div>
      <table className="info">
        <tbody>
          <tr>
            <th>任务名称</th>
            <td colSpan={3}>{b.title}</td>
          </tr>
          <tr>
            <th>制单人</th>
            <td>
              {b.createdByName}（{formatTime(b.createdAt)}）
            </td>
            <th>审批</th>
            <td>{approvers.length ? approvers.map((x) => `${x.approverName}（${x.roleName}）`).join('、') : '—'}</td>
          </tr>
          <tr>
            <th>开始执行</th>
            <td>{formatTime(b.startedAt)}</td>
            <th>{b.cancelledAt ? '取消时间' : '结束时间'}</th>
            <td>{formatTime(b.cancelledAt ?? b.finishedAt)}</td>
          </tr>
        </tbody>
      </table>

      <h2>一、汇总</h2>
      <table className="summary" data-testid={tid('batch-report-summary')}>
        <thead>
          <tr>
            <th />
            <th className="num">合计</th>
            <th className="num">成功</th>
            <th className="num">失败</th>
            <th className="num">已取消</th>
            <th className="num">处理中 / 待发送</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>笔数</th>
            <td className="num strong">{p.totalCount}</td>
            <td className="num">{p.successCount}</td>
            <td className="num">{p.failedCount}</td>
            <td className="num">{p.cancelledCount}</td>
            <td className="num">{p.inFlightCount + p.pendingCount}</td>
          </tr>
          <tr>
            <th>金额</th>
            <td className="num strong">{formatFen(p.totalFen)}</td>
            <td className="num">{formatFen(p.successFen)}</td>
            <td className="num">{formatFen(p.failedFen)}</td>
            <td className="num">{formatFen(p.cancelledFen)}</td>
            <td className="num">{formatFen(p.inFlightFen + p.pendingFen)}</td>
          </tr>
        </tbody>
      </table>

      <h2>二、按收款方式</h2>
      <table data-testid={tid('batch-report-channels')}>
        <thead>
          <tr>
            <th>收款方式</th>
            <th className="num">笔数</th>
            <th className="num">金额</th>
            <th className="num">成功笔数</th>
            <th className="num">成功金额</th>
            <th className="num">失败笔数</th>
            <th className="num">失败金额</th>
            <th className="num">其他</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((r) => (
            <tr key={r.channel}>
              <td>{r.label}</td>
              <td className="num">{r.count}</td>
              <td className="num">{formatFen(r.fen)}</td>
              <td className="num">{r.successCount}</td>
              <td className="num">{formatFen(r.successFen)}</td>
              <td className="num">{r.failedCount}</td>
              <td className="num">{formatFen(r.failedFen)}</td>
              <td className="num">{r.otherCount}</td>
            </tr>
          ))}
          <tr className="total">
            <td>合计</td>
            <td className="num">{sum((r) => r.count)}</td>
            <td className="num">{formatFen(sum((r) => r.fen))}</td>
            <td className="num">{sum((r) => r.successCount)}</td>
            <td className="num">{formatFen(sum((r) => r.successFen))}</td>
            <td className="num">{sum((r) => r.failedCount)}</td>
            <td className="num">{formatFen(sum((r) => r.failedFen))}</td>
            <td className="num">{sum((r) => r.otherCount)}</td>
          </tr>
        </tbody>
      </table>

      <h2>三、付款明细</h2>
      <table className="items" data-testid={tid('batch-report-items')}>
        <thead>
          <tr>
            <th className="num">序号</th>
            <th>收款人</th>
            <th>收款方式</th>
            <th>收款账号</th>
            <th className="num">金额</th>
            <th>结果</th>
            <th>转账请求号</th>
            <th>完成时间</th>
            <th>失败原因 / 到账</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <td className="num">{i.seq}</td>
              <td>{i.payeeName}</td>
              <td>{i.channelLabel}</td>
              <td className="mono">{i.accountMasked}</td>
              <td className="num">{formatFen(i.amountFen)}</td>
              <td className={i.status === 'failed' ? 'bad' : undefined}>{v.batchItemStatuses[i.status]}</td>
              <td className="mono">{i.transferNo ?? '—'}</td>
              <td>{i.finishedAt ? formatTime(i.finishedAt).slice(5, 16) : '—'}</td>
              <td className="reason">{i.status === 'failed' || i.status === 'cancelled' ? (i.failReason ?? '') : i.status === 'success' ? i.expectedArrival : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="sign">
        <span>编制：</span>
        <span>复核：</span>
        <span>财务负责人：</span>
      </div>
      <div className="foot">
        <span>收款账号已脱敏；结果以支付平台的通知或查询为准。</span>
        <span>打印时间：{formatTime(printedAt)}</span>
      </div>
    </div>
  );
}

/**
 * 批量付款结果报表, printable (design document 4.5.3): the summary, totals per payee channel with
 * what was paid and what failed, and every item with its result. Printed through printView()
 * (webContents.print in the desktop app); the web host's browser saves it as PDF.
 */
export function BatchReport() {
  const { batchNo = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const report = useReportError();
  const detail = useChannel('batches.get', { batchNo });
  const all = useAllItems(batchNo);
  const [exporting, setExporting] = useState(false);
  const error = detail.error ?? all.error;
  const ready = detail.data && all.items;
  return (
    <>
      <Flex justify="space-between" className="no-print" style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/batches/${batchNo}`)}>
          返回批量任务
        </Button>
        <Flex gap={8}>
          <Button
            icon={<FileExcelOutlined />}
            loading={exporting}
            onClick={async () => {
              setExporting(true);
              try {
                const f = await call('batches.reportXlsx', { batchNo });
                saveBase64File(f.fileName, XLSX_MIME, f.content);
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
          <Button type="primary" icon={<PrinterOutlined />} disabled={!ready} onClick={() => printView().catch(report)} data-testid="print-report">
            打印
          </Button>
        </Flex>
      </Flex>
      {error ? <LoadError error={error} onRetry={detail.reload} /> : null}
      {!ready && !error ? <Skeleton active paragraph={{ rows: 12 }} /> : null}
      {ready ? (
        <>
          <ReportSheet d={detail.data!} items={all.items!} />
          <PrintOnly>
            <ReportSheet d={detail.data!} items={all.items!} forPrint />
          </PrintOnly>
        </>
      ) : null}
    </>
  );
}
