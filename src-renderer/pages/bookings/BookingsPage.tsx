import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Popconfirm, Space, Table, type TableColumnsType } from 'antd';
import { useState, type MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { call } from '../../app/api';
import type { ChannelOutput } from '../../../src-main/api/contract';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { formatRatio } from '../../components/ratio-format';
import { BookingStatusTag } from '../../components/StatusTag';
import { formatMinute } from '../../components/time-format';
import { CreateBookingModal } from './CreateBookingModal';

type Booking = ChannelOutput<'bookings.list'>['items'][number];

// Clicks inside a cell's own links and pop-ups must not also open the row.
const stop = (e: MouseEvent) => e.stopPropagation();

/** 客户预定: bookings with their deposits; a row opens the booking, a new booking opens on its detail page. */
export function BookingsPage() {
  const v = useVocabulary();
  const navigate = useNavigate();
  const report = useReportError();
  const [creating, setCreating] = useState(false);
  const [payerId, setPayerId] = useState('');
  const [page, setPage] = useState(1);
  const list = useChannel('bookings.list', { payerId: payerId || undefined, page, pageSize: 20 });

  const cancel = async (b: Booking) => {
    try {
      await call('bookings.cancel', { bookingNo: b.bookingNo, version: b.version });
    } catch (e) {
      report(e);
    } finally {
      list.reload();
    }
  };

  const columns: TableColumnsType<Booking> = [
    {
      title: '预定号',
      dataIndex: 'bookingNo',
      width: 200,
      render: (no: string) => (
        <Link to={`/bookings/${no}`} onClick={stop}>
          {no}
        </Link>
      ),
    },
    { title: '客人', dataIndex: 'guestName', width: 100 },
    { title: '服务类型', dataIndex: 'serviceType', width: 100, render: (t: Booking['serviceType']) => v.serviceTypes[t] },
    { title: '预约时间', dataIndex: 'appointmentAt', width: 160, render: (t: number) => formatMinute(t) },
    { title: '总价', dataIndex: 'totalFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} /> },
    { title: '定金', dataIndex: 'depositFen', align: 'right', width: 140, render: (f: number, b) => <><Money fen={f} strong /> <span style={{ color: '#999' }}>{formatRatio(b.depositRatioBp)}</span></> },
    { title: '状态', dataIndex: 'status', width: 100, render: (s: Booking['status']) => <BookingStatusTag status={s} /> },
    { title: '定金订单', dataIndex: 'depositOrderNo', width: 200, render: (no: string) => <Link to={`/orders/${no}`} onClick={stop}>{no}</Link> },
    {
      title: '操作',
      key: 'actions',
      width: 160,
      render: (_, b) =>
        b.status === 'awaiting_deposit' ? (
          <Space onClick={stop}>
            <Link to={`/cashier/${b.depositOrderNo}`}>收定金</Link>
            <Popconfirm title="取消该预定？定金订单将一并取消。" onConfirm={() => cancel(b)} okText="取消预定" cancelText="不取消">
              <a>取消</a>
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <PageTitle
        title="客户预定"
        sub="定金按服务类型比例计算，30 分钟内未支付自动取消"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-booking">
              新建预定
            </Button>
          </>
        }
      />
      <Input.Search placeholder="按付款人查找" allowClear style={{ width: 280, marginBottom: 12 }} onSearch={(s) => { setPayerId(s.trim()); setPage(1); }} />
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<Booking>
        data-testid="booking-table"
        size="small"
        rowKey="bookingNo"
        columns={columns}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1300 }}
        onRow={(b) => ({ onClick: () => navigate(`/bookings/${b.bookingNo}`), style: { cursor: 'pointer' } })}
        locale={{ emptyText: '暂无预定' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
      />
      <CreateBookingModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(bookingNo) => {
          setCreating(false);
          navigate(`/bookings/${bookingNo}`);
        }}
      />
    </>
  );
}
