import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { call } from '../../app/api';
import { useChannel } from '../../app/use-channel';
import { useReportError } from '../../app/use-report-error';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../components/time-format';
import { MealBillStatusTags, type MealBillView } from './meal-bill-tags';
import { CreateMealBillModal, PayMethodModal } from './MealBillModals';

/** 餐费账单: the bills of a stay or room, overdue ones marked 逾期, and 退房结算 of all open bills in one payment. */
export function MealBillsPage() {
  const navigate = useNavigate();
  const report = useReportError();
  const [stayNo, setStayNo] = useState('');
  const [roomNo, setRoomNo] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [checkingOut, setCheckingOut] = useState(false);
  const list = useChannel('mealbills.list', { stayNo: stayNo || undefined, roomNo: roomNo || undefined, page, pageSize: 20 });
  const overdue = useChannel('mealbills.overdue', {});
  const openTotal = (list.data?.items ?? []).filter((b) => b.status === 'open').reduce((s, b) => s + b.totalFen, 0);

  const columns: TableColumnsType<MealBillView> = [
    { title: '账单号', dataIndex: 'billNo', width: 200, render: (no: string) => <Link to={`/meal-bills/${no}`}>{no}</Link> },
    { title: '住宿号', dataIndex: 'stayNo', width: 120 },
    { title: '房间', dataIndex: 'roomNo', width: 80 },
    { title: '客人', dataIndex: 'guestName', width: 100 },
    { title: '合计', dataIndex: 'totalFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} strong /> },
    { title: '状态', key: 'status', width: 140, render: (_, b) => <MealBillStatusTags bill={b} /> },
    { title: '应付截止', dataIndex: 'dueAt', width: 160, render: (t: number | null) => (t ? formatTime(t) : '—') },
    { title: '收款订单', dataIndex: 'orderNo', width: 200, render: (no: string | null) => (no ? <Link to={`/cashier/${no}`}>{no}</Link> : '—') },
    { title: '创建时间', dataIndex: 'createdAt', width: 160, render: (t: number) => formatTime(t) },
  ];

  const checkout = async (method: 'wechat' | 'alipay' | 'bank') => {
    try {
      const order = await call('mealbills.checkout', { stayNo, method });
      navigate(`/cashier/${order.orderNo}`);
    } catch (e) {
      report(e);
      throw e;
    }
  };

  return (
    <>
      <PageTitle
        title="餐费账单"
        sub="生成收款订单后 24 小时内未付即为逾期"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => { list.reload(); overdue.reload(); }}>
              刷新
            </Button>
            <Button disabled={!stayNo || openTotal === 0} onClick={() => setCheckingOut(true)} data-testid="checkout">
              退房结算{stayNo && openTotal ? `（${(openTotal / 100).toFixed(2)} 元）` : ''}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-meal-bill">
              新建账单
            </Button>
          </>
        }
      />
      {overdue.data?.length ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="overdue-alert" message={`${overdue.data.length} 张账单逾期未付：${overdue.data.slice(0, 5).map((b) => `${b.billNo}（房间 ${b.roomNo}）`).join('、')}${overdue.data.length > 5 ? ' 等' : ''}`} />
      ) : null}
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search placeholder="住宿号（退房结算按住宿号）" allowClear style={{ width: 280 }} onSearch={(s) => { setStayNo(s.trim()); setPage(1); }} data-testid="stay-search" />
        <Input.Search placeholder="房间号" allowClear style={{ width: 180 }} onSearch={(s) => { setRoomNo(s.trim()); setPage(1); }} />
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      <Table<MealBillView>
        data-testid="meal-bill-table"
        size="small"
        rowKey="billNo"
        columns={columns}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        rowClassName={(b) => (b.overdue ? 'row-overdue' : '')}
        onRow={(b) => ({ style: b.overdue ? { background: '#fff1f0' } : undefined })}
        scroll={{ x: 1300 }}
        locale={{ emptyText: '暂无账单' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
      />
      <CreateMealBillModal open={creating} stayNo={stayNo} onClose={() => setCreating(false)} onCreated={(no) => { setCreating(false); navigate(`/meal-bills/${no}`); }} />
      <PayMethodModal open={checkingOut} title={`退房结算：住宿 ${stayNo} 的全部待结算账单`} okText="生成收款订单" onClose={() => setCheckingOut(false)} onPick={checkout} />
    </>
  );
}
