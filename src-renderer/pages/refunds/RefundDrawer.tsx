import { CloseCircleOutlined, FileTextOutlined, RedoOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Flex, Form, Input, Skeleton, Space, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { call } from '../../app/api';
import type { RefundDetail } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { FormModal } from '../../components/FormModal';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { RefundStatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time-format';

const none = <Typography.Text type="secondary">—</Typography.Text>;

/** One refund: its fields, what the platform reported, its approval, its history, and what staff may do next. */
export function RefundDrawer({ refundNo, onClose, onChanged }: { refundNo: string | null; onClose: () => void; onChanged: () => void }) {
  const detail = useChannel('refunds.get', refundNo ? { refundNo } : null);
  const data = detail.data?.refund.refundNo === refundNo ? detail.data : undefined;
  const changed = () => {
    detail.reload();
    onChanged();
  };
  return (
    // 960 px holds the two-column details and the history table's columns at 1440 × 900; narrower windows scroll inside the drawer.
    <Drawer title={refundNo ? `退款 ${refundNo}` : '退款'} open={!!refundNo} onClose={onClose} size="min(960px, 100vw)" destroyOnHidden data-testid="refund-drawer">
      {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : null}
      {!data && detail.loading ? <Skeleton active paragraph={{ rows: 10 }} /> : null}
      {data ? <RefundDetailView detail={data} onChanged={changed} /> : null}
    </Drawer>
  );
}

function RefundDetailView({ detail, onChanged }: { detail: RefundDetail; onChanged: () => void }) {
  const v = useVocabulary();
  const { can } = useAuth();
  const { message } = App.useApp();
  const report = useReportError();
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [form] = Form.useForm<{ closeReason: string }>();
  const r = detail.refund;
  const mayExecute = can('refund:execute');

  const act = async (what: string, work: () => Promise<unknown>, done: string) => {
    setBusy(what);
    try {
      await work();
      void message.success(done);
    } catch (e) {
      report(e);
    } finally {
      setBusy(null);
      onChanged();
    }
  };

  const closeRefund = async ({ closeReason }: { closeReason: string }) => {
    try {
      await call('refunds.close', { refundNo: r.refundNo, closeReason, version: r.version });
    } catch (e) {
      report(e);
      throw e;
    }
    void message.success(`退款 ${r.refundNo} 已关闭`);
    setClosing(false);
    onChanged();
  };

  const canSync = r.state === 'processing' && r.attempts > 0;
  const canRetry = r.state === 'failed' && r.retryable;
  const canClose = r.state === 'failed' || (r.state === 'processing' && r.attempts === 0);
  const voucherLink = detail.voucherNo && can('voucher:view') ? `/vouchers/${detail.voucherNo}` : null;

  return (
    <Flex vertical gap={16}>
      {(mayExecute && (canSync || canRetry || canClose)) || voucherLink ? (
        <Space wrap>
          {voucherLink ? (
            <Link to={voucherLink} data-testid="refund-voucher">
              <Button icon={<FileTextOutlined />}>退款凭证 {detail.voucherNo}</Button>
            </Link>
          ) : null}
          {mayExecute && canSync ? (
            <Button icon={<SyncOutlined />} loading={busy === 'sync'} onClick={() => act('sync', () => call('refunds.sync', { refundNo: r.refundNo }), '已向支付平台查询退款结果')} data-testid="refund-sync">
              查询平台结果
            </Button>
          ) : null}
          {mayExecute && canRetry ? (
            <Button type="primary" icon={<RedoOutlined />} loading={busy === 'retry'} onClick={() => act('retry', () => call('refunds.retry', { refundNo: r.refundNo, version: r.version }), '已重新提交，系统将用同一退款单号发送')} data-testid="refund-retry">
              重试退款
            </Button>
          ) : null}
          {mayExecute && canClose ? (
            <Button danger icon={<CloseCircleOutlined />} onClick={() => setClosing(true)} data-testid="refund-close">
              关闭退款
            </Button>
          ) : null}
        </Space>
      ) : null}
      {r.state === 'failed' ? (
        <Alert type="error" showIcon title={`退款失败：${r.failReason ?? ''}`} description={r.retryable ? '平台暂时不能处理，可以重试（使用同一退款单号）。' : '该失败不可重试：请关闭后改用其他方式退款或重新申请。'} />
      ) : null}
      {r.state === 'processing' && r.attempts > 0 ? <Alert type="info" showIcon title="已提交到支付平台，等待平台结果（通知或主动查询）" /> : null}
      <Descriptions
        bordered
        size="small"
        column={2}
        styles={{ label: { width: 128, whiteSpace: 'nowrap' } }}
        data-testid="refund-detail"
        items={[
          { key: 'no', label: '退款单号', children: <Typography.Text copyable>{r.refundNo}</Typography.Text> },
          { key: 'state', label: '状态', children: <RefundStatusTag status={r.state} /> },
          { key: 'amount', label: '退款金额', children: <Money fen={r.amountFen} strong /> },
          { key: 'order', label: '订单号', children: can('order:view') ? <Link to={`/orders/${r.orderNo}`}>{r.orderNo}</Link> : r.orderNo },
          { key: 'platform', label: '支付方式', children: v.paymentMethods[r.platform] },
          { key: 'source', label: '来源', children: v.refundSources[r.source] },
          { key: 'requester', label: '申请人', children: r.requestedByName },
          { key: 'created', label: '申请时间', children: formatTime(r.createdAt) },
          { key: 'reason', label: '退款原因', span: 2, children: r.reason },
          { key: 'approved', label: '审批通过', children: r.approvedAt ? formatTime(r.approvedAt) : none },
          { key: 'attempts', label: '提交平台次数', children: r.attempts ? `${r.attempts} 次（首次 ${formatTime(r.sentAt)}）` : none },
          { key: 'platformNo', label: '平台退款单号', children: r.platformRefundNo ? <Typography.Text copyable>{r.platformRefundNo}</Typography.Text> : none },
          { key: 'fee', label: '退款手续费', children: r.feeFen === null ? none : <Money fen={r.feeFen} /> },
          { key: 'succeeded', label: '退款成功时间', children: r.succeededAt ? formatTime(r.succeededAt) : none },
          { key: 'arrival', label: '预计到账', children: detail.arrivalText },
          { key: 'voucher', label: '退款凭证', children: detail.voucherNo ? (voucherLink ? <Link to={voucherLink}>{detail.voucherNo}</Link> : detail.voucherNo) : none },
          { key: 'fail', label: '失败/关闭原因', children: r.failReason ?? none },
        ]}
      />
      <section>
        <Typography.Title level={5}>审批</Typography.Title>
        {detail.approval ? (
          <Timeline
            items={[
              { color: 'blue', content: `${detail.approval.requesterName} 提交审批 · ${formatTime(detail.approval.createdAt)}` },
              ...detail.approval.decisions.map((d) => ({
                color: d.decision === 'approve' ? 'green' : 'red',
                content: `第 ${d.level} 级 ${d.roleName} ${d.approverName} ${d.decision === 'approve' ? '同意' : '驳回'}${d.reason ? `：${d.reason}` : ''} · ${formatTime(d.at)}`,
              })),
            ]}
          />
        ) : (
          <Typography.Text type="secondary">没有审批记录</Typography.Text>
        )}
      </section>
      <section>
        <Typography.Title level={5}>操作历史</Typography.Title>
        <AuditEntriesTable entries={detail.history} hideEntity data-testid="refund-history" />
      </section>
      <FormModal<{ closeReason: string }> title="关闭退款" name="close-refund" open={closing} form={form} onSubmit={closeRefund} onCancel={() => setClosing(false)} okText="确认关闭" okDanger width={440}>
        <Typography.Paragraph>关闭后该退款不再发送，金额释放，可重新申请。</Typography.Paragraph>
        <Form.Item label="关闭原因" name="closeReason" rules={[{ required: true, whitespace: true, message: '请填写关闭原因' }]}>
          <Input.TextArea rows={2} maxLength={256} />
        </Form.Item>
      </FormModal>
    </Flex>
  );
}
