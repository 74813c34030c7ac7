import { ArrowLeftOutlined, QrcodeOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Flex, Modal, Popconfirm, Skeleton, Table, Typography, type ButtonProps, type DescriptionsProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { call } from '../../app/api';
import type { ChannelOutput } from '../../../src-main/api/contract';
import type { Booking, BookingDetail, Refund, RefundState, Vocabulary } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { AuditEntriesTable } from '../../components/AuditEntriesTable';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { formatFen } from '../../components/money-format';
import { PageTitle } from '../../components/PageTitle';
import { formatRatio } from '../../components/ratio-format';
import { BookingStatusTag, OrderStatusTag, RefundStatusTag } from '../../components/StatusTag';
import { formatMinute, formatTime } from '../../components/time-format';

const none = <Typography.Text type="secondary">—</Typography.Text>;

type CancellationQuote = ChannelOutput<'bookings.cancellationQuote'>;

/** 「30 小时 12 分钟」 before the appointment, or 「预约已开始 2 小时 5 分钟」. */
function timeLeftText(msBefore: number): string {
  const minutes = Math.floor(Math.abs(msBefore) / 60_000);
  const text = `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟`;
  return msBefore >= 0 ? `距预约还有 ${text}` : `预约已开始 ${text}`;
}

function bookingItems({ booking: b, history }: BookingDetail, v: Vocabulary): DescriptionsProps['items'] {
  // The booking row keeps only the creator's id; the audit record names the person.
  const creator = history.find((h) => h.action === 'booking.create')?.actorName ?? (b.createdBy === null ? '系统' : `用户 #${b.createdBy}`);
  return [
    { key: 'bookingNo', label: '预定号', children: <Typography.Text copyable>{b.bookingNo}</Typography.Text> },
    { key: 'status', label: '状态', children: <BookingStatusTag status={b.status} /> },
    { key: 'serviceType', label: '服务类型', children: v.serviceTypes[b.serviceType] },
    { key: 'guestName', label: '客人', children: b.guestName },
    { key: 'payerId', label: '付款人', children: b.payerId },
    {
      key: 'appointmentAt',
      label: '预约时间',
      children: (
        <span data-testid="booking-appointment">
          {formatMinute(b.appointmentAt)} <Typography.Text type="secondary">（上海时间）</Typography.Text>
        </span>
      ),
    },
    { key: 'total', label: '总价', children: <Money fen={b.totalFen} /> },
    {
      key: 'deposit',
      label: '定金',
      children: (
        <span data-testid="booking-deposit">
          <Money fen={b.depositFen} strong /> <Typography.Text type="secondary">（总价的 {formatRatio(b.depositRatioBp)}）</Typography.Text>
        </span>
      ),
    },
    { key: 'creator', label: '创建人', children: creator },
    { key: 'createdAt', label: '创建时间', children: formatTime(b.createdAt) },
    { key: 'confirmedAt', label: '确认时间', children: b.confirmedAt ? formatTime(b.confirmedAt) : none },
    { key: 'cancelledAt', label: '取消时间', children: b.cancelledAt ? formatTime(b.cancelledAt) : none },
    { key: 'note', label: '备注', span: 3, children: b.note || none },
  ];
}

function depositOrderItems({ booking: b, depositOrder: o }: BookingDetail, v: Vocabulary): DescriptionsProps['items'] {
  if (!o) return [{ key: 'orderNo', label: '订单号', children: b.depositOrderNo || none }];
  return [
    { key: 'orderNo', label: '订单号', children: <Link to={`/orders/${o.orderNo}`} data-testid="deposit-order-link">{o.orderNo}</Link> },
    { key: 'status', label: '状态', children: <OrderStatusTag status={o.status} /> },
    { key: 'amount', label: '金额', children: <Money fen={o.amountFen} strong /> },
    { key: 'method', label: '支付方式', children: v.paymentMethods[o.method] },
    { key: 'expireAt', label: '支付时限', children: formatTime(o.expireAt) },
    { key: 'paidAt', label: '支付时间', children: o.paidAt ? formatTime(o.paidAt) : none },
  ];
}

/**
 * 预定详情: the booking, its deposit order and its history. While the deposit is unpaid the
 * cashier collects it (收定金) or the booking is cancelled; cancelling closes the platform trade
 * first, so a QR code already shown to the guest can no longer be paid.
 */
export function BookingDetailPage() {
  const { bookingNo = '' } = useParams();
  const v = useVocabulary();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const report = useReportError();
  const detail = useChannel('bookings.get', { bookingNo });
  const data = detail.data?.booking.bookingNo === bookingNo ? detail.data : undefined;
  const awaiting = data?.booking.status === 'awaiting_deposit';
  const collectable = awaiting && data?.depositOrder?.status === 'pending' && can('payment:collect');
  const confirmed = data?.booking.status === 'confirmed';
  const [quote, setQuote] = useState<CancellationQuote | null>(null);
  const [quoting, setQuoting] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  /** 取消预定（已付定金）: the server's preview of the tier first, then the cancellation and its refund request. */
  const previewCancel = async (b: Booking) => {
    setQuoting(true);
    try {
      setQuote(await call('bookings.cancellationQuote', { bookingNo: b.bookingNo }));
    } catch (e) {
      report(e);
    } finally {
      setQuoting(false);
    }
  };
  const cancelPaid = async (b: Booking) => {
    setCancelling(true);
    try {
      await call('bookings.cancel', { bookingNo: b.bookingNo, version: b.version });
      const after = await call('bookings.get', { bookingNo: b.bookingNo });
      const refund = after.refunds.at(-1);
      void message.success(refund ? `预定 ${b.bookingNo} 已取消，已申请退款 ${refund.refundNo}（${formatFen(refund.amountFen)}），待审批` : `预定 ${b.bookingNo} 已取消，按退款规则不退定金`);
      setQuote(null);
    } catch (e) {
      report(e);
    } finally {
      setCancelling(false);
      detail.reload();
    }
  };

  const cancel = async (b: Booking) => {
    try {
      await call('bookings.cancel', { bookingNo: b.bookingNo, version: b.version });
      void message.success(`预定 ${b.bookingNo} 已取消，定金订单 ${b.depositOrderNo} 一并取消`);
    } catch (e) {
      report(e);
    } finally {
      // Refused or not, show what the booking looks like now (it may have been paid meanwhile).
      detail.reload();
    }
  };

  return (
    <>
      <PageTitle
        title="预定详情"
        sub={bookingNo}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/bookings'))}>
              返回列表
            </Button>
            <Button icon={<ReloadOutlined />} onClick={detail.reload} loading={detail.loading && !!data}>
              刷新
            </Button>
            {data && awaiting ? (
              <Popconfirm
                title="取消该预定？"
                description={`定金订单 ${data.booking.depositOrderNo}（${formatFen(data.booking.depositFen)}）将一并取消，已发给客人的付款码随即失效。`}
                okText="取消预定"
                okButtonProps={{ danger: true }}
                cancelText="不取消"
                onConfirm={() => cancel(data.booking)}
              >
                <Button danger icon={<StopOutlined />} data-testid="cancel-booking">
                  取消预定
                </Button>
              </Popconfirm>
            ) : null}
            {data && confirmed && can('refund:request') ? (
              <Button danger icon={<StopOutlined />} loading={quoting} onClick={() => previewCancel(data.booking)} data-testid="cancel-paid-booking">
                取消预定并退定金
              </Button>
            ) : null}
            {data && collectable ? (
              <Button type="primary" icon={<QrcodeOutlined />} onClick={() => navigate(`/cashier/${data.booking.depositOrderNo}`)} data-testid="collect-deposit">
                收定金
              </Button>
            ) : null}
          </>
        }
      />
      {detail.error ? <LoadError error={detail.error} onRetry={detail.reload} /> : null}
      {!data && detail.loading ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {data ? (
        <Flex vertical gap={20}>
          <Descriptions data-testid="booking-detail" bordered size="small" column={3} items={bookingItems(data, v)} styles={{ label: { width: 110 } }} />
          <section>
            <Typography.Title level={5}>定金订单</Typography.Title>
            <Descriptions data-testid="deposit-order" bordered size="small" column={3} items={depositOrderItems(data, v)} styles={{ label: { width: 110 } }} />
          </section>
          {data.refunds.length ? (
            <section>
              <Typography.Title level={5}>取消退款</Typography.Title>
              <BookingRefunds refunds={data.refunds} />
            </section>
          ) : null}
          <section>
            <Typography.Title level={5}>操作历史</Typography.Title>
            <AuditEntriesTable entries={data.history} hideEntity data-testid="booking-history" />
          </section>
        </Flex>
      ) : null}
      {data && quote ? (
        <Modal
          open
          title="取消预定并退定金"
          okText="确认取消预定"
          okButtonProps={{ danger: true, loading: cancelling, 'data-testid': 'confirm-cancel-booking' } as ButtonProps}
          cancelText="不取消"
          onOk={() => cancelPaid(data.booking)}
          onCancel={() => setQuote(null)}
          destroyOnHidden
        >
          <CancellationPreview quote={quote} />
        </Modal>
      ) : null}
    </>
  );
}

/** The tier the cancellation falls in and the refund it grants, as the server computed them just now. */
function CancellationPreview({ quote: q }: { quote: CancellationQuote }) {
  return (
    <Flex vertical gap={12} data-testid="cancellation-quote">
      <Descriptions
        bordered
        size="small"
        column={1}
        styles={{ label: { width: 120 } }}
        items={[
          { key: 'appointment', label: '预约时间', children: `${formatMinute(q.appointmentAt)}（${timeLeftText(q.msBefore)}）` },
          { key: 'tier', label: '退款档位', children: q.tierText },
          { key: 'paid', label: '已付定金', children: <Money fen={q.paidFen} /> },
          { key: 'percent', label: '退还比例', children: `${q.percent}%` },
          { key: 'refund', label: '退款金额', children: <Money fen={q.refundFen} strong /> },
        ]}
      />
      {q.refundFen > 0 ? (
        <Alert type="info" showIcon title={`取消后将申请退款 ${formatFen(q.refundFen)}，经审批后原路退回客人。`} />
      ) : (
        <Alert type="warning" showIcon title="按退款规则本次取消不退定金，预定取消后定金不退还。" />
      )}
      <Typography.Text type="secondary">按 {formatTime(q.at)} 计算；确认时按确认的时刻重新计算。</Typography.Text>
    </Flex>
  );
}

function BookingRefunds({ refunds }: { refunds: Refund[] }) {
  const { can } = useAuth();
  return (
    <Table<Refund>
      size="small"
      rowKey="refundNo"
      pagination={false}
      dataSource={refunds}
      data-testid="booking-refunds"
      columns={[
        {
          title: '退款单号',
          dataIndex: 'refundNo',
          render: (no: string) => (can('refund:view') ? <Link to={`/refunds?refundNo=${no}&detail=${no}`} data-testid="booking-refund-link">{no}</Link> : no),
        },
        { title: '退款金额', dataIndex: 'amountFen', align: 'right', render: (f: number) => <Money fen={f} strong /> },
        { title: '状态', dataIndex: 'state', render: (st: RefundState) => <RefundStatusTag status={st} /> },
        { title: '退款规则', dataIndex: 'reason' },
        { title: '申请时间', dataIndex: 'createdAt', render: (t: number) => formatTime(t) },
      ]}
    />
  );
}
