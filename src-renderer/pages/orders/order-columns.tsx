import { Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { Link } from 'react-router-dom';
import type { Order, Vocabulary } from '../../app/api-types';
import { Money } from '../../components/Money';
import { columnSortOrder } from '../../components/paged-table';
import { OrderStatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time-format';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

/** Columns of the 支付订单 list; sorting is done by the server on the fields it indexes. */
export function orderColumns(v: Vocabulary, sort: { sortBy?: string; sortOrder?: string }): ColumnsType<Order> {
  const sorted = (field: string) => columnSortOrder(sort, field);
  return [
    {
      title: '订单号',
      dataIndex: 'orderNo',
      width: 200,
      fixed: 'left',
      render: (no: string) => (
        <Link to={`/orders/${no}`} style={mono} onClick={(e) => e.stopPropagation()}>
          {no}
        </Link>
      ),
    },
    { title: '金额', dataIndex: 'amountFen', key: 'amount', align: 'right', width: 120, sorter: true, sortOrder: sorted('amount'), render: (f: number) => <Money fen={f} /> },
    { title: '已退款', dataIndex: 'refundedFen', align: 'right', width: 100, render: (f: number) => <Money fen={f} muteZero /> },
    { title: '支付方式', dataIndex: 'method', width: 84, render: (m: Order['method']) => v.paymentMethods[m] },
    { title: '订单类型', dataIndex: 'type', width: 104, render: (t: Order['type']) => v.orderTypes[t] },
    { title: '状态', dataIndex: 'status', width: 76, render: (s: Order['status']) => <OrderStatusTag status={s} /> },
    { title: '付款人', dataIndex: 'payerId', width: 110, ellipsis: true, render: (p: string) => p || <Typography.Text type="secondary">—</Typography.Text> },
    { title: '创建时间', dataIndex: 'createdAt', key: 'createdAt', width: 160, sorter: true, sortOrder: sorted('createdAt'), render: (t: number) => formatTime(t) },
    {
      title: '支付时限',
      dataIndex: 'expireAt',
      key: 'expireAt',
      width: 160,
      sorter: true,
      sortOrder: sorted('expireAt'),
      // The limit only matters while the order waits for money.
      render: (t: number, o) => (o.status === 'pending' ? formatTime(t) : <Typography.Text type="secondary">{formatTime(t)}</Typography.Text>),
    },
  ];
}
