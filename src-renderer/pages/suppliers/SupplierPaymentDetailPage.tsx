import { ArrowLeftOutlined, AuditOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Skeleton, Space, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { ChannelName, ChannelOutput } from '../../../src-main/api/contract';
import { call } from '../../app/api';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { formatFen } from '../../components/money-format';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { PayeeAccount } from './SuppliersPage';
import { PayableStatusTag, PaymentStatusTag } from './supplier-tags';

type Detail = ChannelOutput<'supplierpayments.get'>;
type Allocation = Detail['allocations'][number];
type Decision = NonNullable<Detail['approvals']>['decisions'][number];

const TRANSFER_STATE_TEXT: Record<string, string> = {
  sending: '已发出，等待平台应答',
  unknown: '结果未知，将先查询再决定是否重发（同一转账单号）',
  processing: '平台处理中',
  wait_user_confirm: '待收款人在微信中确认收款',
  success: '转账成功',
  failed: '转账失败',
  cancelled: '转账已撤销',
};

/** One 付款单: its payables, approval, transfer result, voucher; the actions its state allows. */
export function SupplierPaymentDetailPage() {
  const { paymentNo = '' } = useParams();
  const { can } = useAuth();
  const v = useVocabulary();
  const report = useReportError();
  const navigate = useNavigate();
  const detail = useChannel('supplierpayments.get', { paymentNo });
  const [busy, setBusy] = useState<string | null>(null);
  const d = detail.data;

  const act = async (name: string, channel: Extract<ChannelName, `supplierpayments.${string}`>, input: Record<string, unknown> = {}) => {
    setBusy(name);
    try {
      await call(channel as 'supplierpayments.submit', { paymentNo, ...input } as { paymentNo: string });
      detail.reload();
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
    }
  };
  const { modal } = App.useApp();
  const confirm = (title: string, content: string, run: () => void, danger = false) => modal.confirm({ title, content, okText: '确定', cancelText: '取消', okButtonProps: { danger }, onOk: run });
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/supplier-payments')}>
      付款单列表
    </Button>
  );

  if (detail.error)
    return (
      <>
        <PageTitle title={`付款单 ${paymentNo}`} extra={back} />
        <LoadError error={detail.error} onRetry={detail.reload} />
      </>
    );
  if (!d)
    return (
      <>
        <PageTitle title={`付款单 ${paymentNo}`} extra={back} />
        <Skeleton active paragraph={{ rows: 8 }} />
      </>
    );
  const p = d.payment;
  const create = can('supplier_payment:create');
  const execute = can('supplier_payment:execute');

  const allocationColumns: TableColumnsType<Allocation> = [
    { title: '单据号', dataIndex: 'referenceNo', width: 140 },
    { title: '摘要', dataIndex: 'description' },
    { title: '到期日', dataIndex: 'dueDate', width: 110 },
    { title: '应付金额', dataIndex: 'payableAmountFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} /> },
    { title: '本次付款', dataIndex: 'amountFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} strong /> },
    { title: '应付款状态', dataIndex: 'payableStatus', width: 100, render: (s: Allocation['payableStatus']) => <PayableStatusTag status={s} /> },
  ];
  const approvalColumns: TableColumnsType<Decision> = [
    { title: '级别', dataIndex: 'level', width: 70, render: (l: number) => `第 ${l} 级` },
    { title: '审批人', dataIndex: 'approverName', width: 140 },
    { title: '角色', dataIndex: 'roleName', width: 100 },
    { title: '意见', dataIndex: 'decision', width: 80, render: (x: Decision['decision']) => (x === 'approve' ? <Tag color="success">同意</Tag> : <Tag color="error">驳回</Tag>) },
    { title: '说明', dataIndex: 'reason', render: (r: string | null) => r ?? '' },
    { title: '时间', dataIndex: 'at', width: 160, render: (t: number) => formatTime(t) },
  ];

  return (
    <>
      <PageTitle
        title={`付款单 ${p.paymentNo}`}
        sub={<PaymentStatusTag status={p.status} />}
        extra={
          <Space wrap>
            {back}
            <Button icon={<ReloadOutlined />} onClick={detail.reload}>
              刷新
            </Button>
            {d.approvals && can('approval:view') ? (
              <Button icon={<AuditOutlined />} onClick={() => navigate(`/approvals/${d.approvals!.requestId}`)}>
                审批详情
              </Button>
            ) : null}
            {p.voucherNo && can('voucher:view') ? <Button icon={<PrinterOutlined />} data-testid="open-voucher" onClick={() => navigate(`/vouchers/${p.voucherNo}`)}>付款凭证</Button> : null}
            {create && ['draft', 'rejected', 'failed'].includes(p.status) ? <Button danger loading={busy === 'cancel'} onClick={() => confirm('作废付款单', `作废付款单 ${p.paymentNo}（${formatFen(p.amountFen)}）？作废后占用的应付款金额将释放，付款单不能恢复。`, () => void act('cancel', 'supplierpayments.cancel', { version: p.version }), true)}>作废</Button> : null}
            {create && p.status === 'pending_approval' ? <Button loading={busy === 'withdraw'} onClick={() => confirm('撤回审批', '撤回后付款单回到草稿，已有的审批意见作废，需要重新提交审批。确定撤回？', () => void act('withdraw', 'supplierpayments.withdraw'))}>撤回</Button> : null}
            {execute && p.status === 'processing' ? <Button loading={busy === 'sync'} data-testid="sync-payment" onClick={() => void act('sync', 'supplierpayments.sync')}>查询结果</Button> : null}
            {create && (p.status === 'draft' || p.status === 'rejected') ? (
              <Button type="primary" loading={busy === 'submit'} data-testid="submit-payment" onClick={() => confirm('提交审批', `付款 ${formatFen(p.amountFen)} 给「${p.supplierName}」。提交后金额冻结，应付款被占用，直到审批结束。确定提交？`, () => void act('submit', 'supplierpayments.submit', { version: p.version }))}>
                提交审批
              </Button>
            ) : null}
            {execute && p.status === 'approved' ? <Button type="primary" loading={busy === 'execute'} data-testid="execute-payment" onClick={() => confirm('立即付款', `向「${p.payeeName ?? p.supplierName}」（${p.payeeAccountMasked || '账号见付款单'}）转账 ${formatFen(p.amountFen)}？转账发出后不能撤回。`, () => void act('execute', 'supplierpayments.execute'))}>立即付款</Button> : null}
            {execute && p.status === 'failed' && p.retryable ? <Button type="primary" loading={busy === 'retry'} data-testid="retry-payment" onClick={() => confirm('重新付款', `上次转账已确认失败。将以新的转账单号重新转账 ${formatFen(p.amountFen)}，确定？`, () => void act('retry', 'supplierpayments.retry'))}>重新付款</Button> : null}
          </Space>
        }
      />
      {p.status === 'failed' ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={`付款失败：${p.failReason ?? ''}`} description={p.retryable ? '可重新付款（新的转账单号）。' : '该失败不可重试：请核对供应商收款信息后作废本单并重新制单。'} />
      ) : p.status === 'rejected' ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={p.failReason ?? '审批驳回'} description="可修改后重新提交审批。" />
      ) : p.status === 'processing' && p.failReason ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`最近一次应答：${p.failReason}`} />
      ) : null}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={3} items={[
          { label: '供应商', children: p.supplierName },
          { label: '金额', children: <Money fen={p.amountFen} strong /> },
          { label: '付款用途', children: p.purpose },
          { label: '收款方式', children: v.payeeChannels[p.payeeChannel ?? d.supplier.payeeChannel] },
          { label: '收款户名', children: p.payeeName ?? d.supplier.accountName },
          { label: '收款账号', children: p.payeeAccountMasked ? p.payeeAccountMasked : <PayeeAccount s={d.supplier} /> },
          { label: '开户银行', children: p.payeeBank || '—' },
          { label: '制单', children: `${p.createdByName} · ${formatTime(p.createdAt)}` },
          { label: '转账单号', children: p.transferNo ? `${p.transferNo}（第 ${p.attempt} 次）` : '—' },
          { label: '平台流水号', children: p.platformTransferNo ?? '—' },
          { label: '转账状态', children: p.transferState ? TRANSFER_STATE_TEXT[p.transferState] ?? p.transferState : '—' },
          { label: '提交审批', children: formatTime(p.submittedAt) },
          { label: '审批通过', children: formatTime(p.approvedAt) },
          { label: '完成时间', children: formatTime(p.finishedAt) },
          { label: '付款凭证', children: p.voucherNo ? <Link to={`/vouchers/${p.voucherNo}`}>{p.voucherNo}</Link> : '—' },
        ]} />
      </Card>
      <Card size="small" title="付款明细（应付款）" style={{ marginBottom: 12 }}>
        <Table<Allocation> size="small" rowKey="payableId" columns={allocationColumns} dataSource={d.allocations} pagination={false} />
      </Card>
      <Card size="small" title="审批记录" style={{ marginBottom: 12 }}>
        <Table<Decision> size="small" rowKey={(r) => `${r.level}-${r.at}`} columns={approvalColumns} dataSource={d.approvals?.decisions ?? []} pagination={false} locale={{ emptyText: p.status === 'pending_approval' ? '审批中，尚无审批意见' : p.status === 'draft' ? '草稿尚未提交审批' : '暂无审批记录' }} />
      </Card>
      <Card size="small" title="操作记录">
        <AuditEntriesTable entries={d.history} hideEntity pagination={false} />
      </Card>
    </>
  );
}
