import { ArrowLeftOutlined, AuditOutlined, FileExcelOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Descriptions, Skeleton, Space, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { formatFen } from '../../components/money-format';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { APPROVAL_STATUS_COLORS, APPROVAL_STATUS_LABELS } from '../approvals/approval-labels';
import { saveBase64File, XLSX_MIME } from '../../components/file-transfer';
import { BatchActions } from './BatchActions';
import { BatchItemsTable } from './BatchItemsTable';
import { BatchProgressPanel } from './BatchProgressPanel';
import { BatchStatusTag, BatchTypeTag, LIVE_BATCH_STATUSES, type BatchDetail, type BatchItem } from './batch-tags';
import { FixItemModal } from './FixItemModal';
import { ItemDrawer } from './ItemDrawer';
import { usePolling } from './use-polling';

type Decision = NonNullable<BatchDetail['approvals']>['decisions'][number];

/** How often the page reads the batch again: quickly while money moves, slowly while it waits for approvers. */
function pollEvery(d: BatchDetail | undefined): number | null {
  if (!d) return null;
  if (LIVE_BATCH_STATUSES.includes(d.batch.status) || d.progress.inFlightCount > 0) return 2000;
  if (d.batch.status === 'pending_approval' || d.progress.byStatus.resend_approval.count > 0) return 8000;
  return null;
}

/**
 * One 批量付款任务: who made it and its approval (with the 审批中心 request), live progress read from
 * the server (so it is right after reopening the app too), its actions, the items with each
 * transfer's state, the 失败明细 where a payee is corrected and re-sent through approval, and the
 * result report as Excel or for printing.
 */
export function BatchDetailPage() {
  const { batchNo = '' } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const detail = useChannel('batches.get', { batchNo });
  const [tab, setTab] = useState('items');
  const [opened, setOpened] = useState<number | null>(null);
  const [fixing, setFixing] = useState<BatchItem | null>(null);
  const [exporting, setExporting] = useState(false);
  // Bumped by the item actions (a fix changes an item, not the batch's numbers): the tables read again.
  const [itemsTick, setItemsTick] = useState(0);
  const changed = () => {
    setItemsTick((t) => t + 1);
    detail.reload();
  };
  const d = detail.data;
  const every = pollEvery(d);
  usePolling(every !== null, detail.reload, every ?? 0);

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/batches')}>
      批量任务列表
    </Button>
  );
  if (!d)
    return (
      <>
        <PageTitle title={`批量任务 ${batchNo}`} extra={back} />
        {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : <Skeleton active paragraph={{ rows: 10 }} />}
      </>
    );

  const b = d.batch;
  const p = d.progress;
  // What the item tables and the drawer re-read on: any change of the batch's numbers or state.
  const refreshKey = `${itemsTick}|${b.version}|${p.doneCount}|${p.inFlightCount}|${p.waitConfirmCount}|${p.failedCount}|${p.byStatus.resend_approval.count}|${p.successCount}`;
  const failures = p.failedCount + p.byStatus.resend_approval.count;
  const mayFix = can('batch:create') && b.status !== 'cancelled';
  const reportable = b.startedAt !== null || ['completed', 'partial_failed', 'failed', 'cancelled'].includes(b.status);

  const resend = (i: BatchItem) =>
    modal.confirm({
      title: `重新发送第 ${i.seq} 笔`,
      content: `向「${i.payeeName}」（${i.channelLabel} ${i.accountMasked}）重新付款 ${formatFen(i.amountFen)}。将单独提交审批，审批通过后以新的转账单号发送。`,
      okText: '提交审批',
      cancelText: '返回',
      okButtonProps: { 'data-testid': 'confirm-ok' },
      onOk: async () => {
        try {
          await call('batches.resendItem', { itemId: i.id, version: i.version });
          void message.success(`第 ${i.seq} 笔已提交重新发送审批`);
        } catch (e) {
          report(e);
        } finally {
          changed();
        }
      },
    });

  const exportXlsx = async () => {
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
  };

  const approvalColumns: TableColumnsType<Decision> = [
    { title: '级别', dataIndex: 'level', width: 70, render: (l: number) => `第 ${l} 级` },
    { title: '审批人', dataIndex: 'approverName', width: 140 },
    { title: '角色', dataIndex: 'roleName', width: 100 },
    { title: '意见', dataIndex: 'decision', width: 80, render: (x: Decision['decision']) => (x === 'approve' ? <Tag color="success">同意</Tag> : <Tag color="error">驳回</Tag>) },
    { title: '说明', dataIndex: 'reason', render: (r: string | null) => r ?? '' },
    { title: '时间', dataIndex: 'at', width: 170, render: (t: number) => formatTime(t) },
  ];
  const a = d.approvals;

  return (
    <>
      <PageTitle
        title={`批量任务 ${b.batchNo}`}
        sub={<BatchStatusTag status={b.status} />}
        extra={
          <Space wrap>
            {back}
            <Button icon={<ReloadOutlined />} onClick={detail.reload}>
              刷新
            </Button>
            {reportable ? (
              <>
                <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="export-batch-report">
                  导出 Excel
                </Button>
                <Button icon={<PrinterOutlined />} onClick={() => navigate(`/batches/${b.batchNo}/report`)} data-testid="print-batch-report">
                  结果报表
                </Button>
              </>
            ) : null}
            <BatchActions batch={b} progress={p} onDone={detail.reload} />
          </Space>
        }
      />
      {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : null}
      <StateAlert d={d} onFailures={() => setTab('failures')} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={3}
          data-testid="batch-summary"
          items={[
            { label: '任务名称', children: b.title },
            { label: '批量类型', children: <BatchTypeTag type={b.type} /> },
            { label: '总笔数 / 总金额', children: <span>{b.totalCount} 笔 · <Money fen={b.totalFen} strong /></span> },
            { label: '来源', children: `${b.sourceLabel}${b.sourceRef ? `（${b.sourceRef}）` : ''}` },
            { label: '制单人', children: `${b.createdByName} · ${formatTime(b.createdAt)}` },
            {
              label: '审批',
              children: a ? (
                <Space size={4} data-testid="batch-approval">
                  <Tag color={APPROVAL_STATUS_COLORS[a.status]} style={{ marginInlineEnd: 0 }}>
                    {APPROVAL_STATUS_LABELS[a.status]}
                  </Tag>
                  {can('approval:view') ? (
                    <Link to={`/approvals/${a.requestId}`} data-testid="open-approval">
                      审批单 #{a.requestId} <AuditOutlined />
                    </Link>
                  ) : (
                    <span>审批单 #{a.requestId}</span>
                  )}
                </Space>
              ) : (
                '尚未提交审批'
              ),
            },
            { label: '提交审批', children: formatTime(b.submittedAt) },
            { label: '审批通过', children: formatTime(b.approvedAt) },
            { label: '开始执行', children: formatTime(b.startedAt) },
            ...(b.pausedAt ? [{ label: '暂停于', children: formatTime(b.pausedAt) }] : []),
            { label: b.cancelledAt ? '取消时间' : '结束时间', children: formatTime(b.cancelledAt ?? b.finishedAt) },
            {
              label: '按收款方式',
              span: 3,
              children: (
                <Space size={16} wrap data-testid="batch-by-channel">
                  {d.byChannel.map((c) => (
                    <span key={c.channel}>
                      {c.channelLabel} {c.count} 笔 <Money fen={c.fen} />
                    </span>
                  ))}
                </Space>
              ),
            },
            ...(b.description ? [{ label: '说明', span: 3, children: b.description }] : []),
          ]}
        />
      </Card>
      {['draft', 'pending_approval', 'rejected'].includes(b.status) ? null : <BatchProgressPanel detail={d} live={every !== null && every <= 2000} />}
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          data-testid="batch-tabs"
          items={[
            {
              key: 'items',
              label: `付款明细（${b.totalCount}）`,
              children: <BatchItemsTable batchNo={b.batchNo} mode="all" refreshKey={refreshKey} onOpen={(i) => setOpened(i.id)} />,
            },
            {
              key: 'failures',
              label: (
                <span data-testid="failures-tab">
                  失败明细 <Badge count={failures} showZero={false} size="small" />
                </span>
              ),
              children: (
                <BatchItemsTable
                  batchNo={b.batchNo}
                  mode="failures"
                  refreshKey={refreshKey}
                  onOpen={(i) => setOpened(i.id)}
                  onFix={mayFix ? setFixing : undefined}
                  onResend={mayFix ? resend : undefined}
                />
              ),
            },
            {
              key: 'approvals',
              label: '审批记录',
              children: (
                <Table<Decision>
                  size="small"
                  rowKey={(r) => `${r.level}-${r.at}`}
                  columns={approvalColumns}
                  dataSource={a?.decisions ?? []}
                  pagination={false}
                  locale={{ emptyText: b.status === 'pending_approval' ? '审批中，尚无审批意见' : b.status === 'draft' ? '草稿尚未提交审批' : '暂无审批记录' }}
                />
              ),
            },
            { key: 'history', label: '操作记录', children: <AuditEntriesTable entries={d.history} hideEntity /> },
          ]}
        />
      </Card>
      <ItemDrawer
        itemId={opened}
        refreshKey={refreshKey}
        onClose={() => setOpened(null)}
        onFix={(i) => setFixing(i)}
        onResend={(i) => resend(i)}
        onChanged={changed}
      />
      <FixItemModal
        key={fixing?.id ?? 0}
        item={fixing}
        onClose={() => setFixing(null)}
        onDone={() => {
          setFixing(null);
          changed();
        }}
      />
    </>
  );
}

/** What the batch waits for, in a sentence, where the eye lands first. */
function StateAlert({ d, onFailures }: { d: BatchDetail; onFailures: () => void }) {
  const b = d.batch;
  const p = d.progress;
  const style = { marginBottom: 12 };
  if (b.status === 'draft') return <Alert type="info" showIcon style={style} title="草稿：核对明细后点击「提交审批」，审批通过后开始付款。" />;
  if (b.status === 'pending_approval') return <Alert type="warning" showIcon style={style} title="等待审批：审批通过后系统自动开始逐笔转账。" />;
  if (b.status === 'rejected') {
    const why = d.approvals?.decisions.find((x) => x.decision === 'reject');
    return <Alert type="error" showIcon style={style} title={`审批被驳回${why?.reason ? `：${why.reason}` : ''}`} description="可核对后重新提交审批，或取消任务。" />;
  }
  if (b.status === 'paused') return <Alert type="warning" showIcon style={style} title={`已暂停：剩余 ${p.pendingCount} 笔（${formatFen(p.pendingFen)}）暂不发送。`} description={p.inFlightCount ? `已发出的 ${p.inFlightCount} 笔照常完成。` : undefined} />;
  if (p.failedCount > 0)
    return (
      <Alert
        type="error"
        showIcon
        style={style}
        data-testid="failures-alert"
        title={`${p.failedCount} 笔付款失败，合计 ${formatFen(p.failedFen)}`}
        description="暂时性故障已自动重试；这些明细请在「失败明细」中核对收款信息，修改后重新发送（重新发送需审批）。"
        action={
          <Button size="small" danger onClick={onFailures}>
            查看失败明细
          </Button>
        }
      />
    );
  if (p.waitConfirmCount > 0) return <Alert type="info" showIcon style={style} title={`${p.waitConfirmCount} 笔微信转账等待收款人确认收款`} description="收款人在微信中确认后到账；超过确认时限未确认的转账会被撤销并列入失败明细。" />;
  if (b.status === 'completed') return <Alert type="success" showIcon style={style} title={`已全部付款：${p.successCount} 笔，合计 ${formatFen(p.successFen)}`} />;
  return null;
}
