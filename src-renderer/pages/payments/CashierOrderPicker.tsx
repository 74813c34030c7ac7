import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Input, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ChannelInput } from '../../../src-main/api/contract';
import type { Order } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { listPagination } from '../../components/paged-table';
import { formatTime } from '../../components/time-format';

const ORDER_NO = /^P\d{20}$/i;
const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 };

interface CashierOrderPickerProps {
  selected: string;
  onPick: (orderNo: string) => void;
  /** Changes when an order was settled elsewhere on the page: the list is read again. */
  refreshKey: number;
}

/**
 * The pending orders a cashier can collect, newest first. One search box takes what the payer
 * tells the cashier: an order number (opened at once) or the payer's number (both match exactly,
 * as the order list does).
 */
export function CashierOrderPicker({ selected, onPick, refreshKey }: CashierOrderPickerProps) {
  const v = useVocabulary();
  const { can } = useAuth();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState({ page: 1, pageSize: 10 });
  const input: ChannelInput<'orders.list'> = {
    statuses: ['pending'],
    ...(ORDER_NO.test(search) ? { orderNo: search.toUpperCase() } : search ? { payerId: search } : {}),
    ...page,
    sortBy: 'createdAt',
    sortOrder: 'desc',
  };
  const list = useChannel('orders.list', can('order:view') ? input : null);
  const { reload } = list;
  useEffect(() => {
    if (refreshKey > 0) reload();
  }, [refreshKey, reload]);

  const apply = (text: string) => {
    const t = text.trim();
    setSearch(t);
    setPage((p) => ({ ...p, page: 1 }));
    if (ORDER_NO.test(t)) onPick(t.toUpperCase());
  };

  return (
    <Card
      size="small"
      title="待支付订单"
      data-testid="cashier-order-picker"
      extra={<Button type="text" size="small" icon={<ReloadOutlined />} onClick={list.reload} aria-label="刷新" />}
      styles={{ body: { paddingTop: 12 } }}
    >
      <Input.Search placeholder="订单号或付款人编号，回车查询" allowClear enterButton="查询" onSearch={apply} style={{ marginBottom: 12 }} data-testid="cashier-search" />
      {!can('order:view') ? (
        <Typography.Text type="secondary">您没有查看订单列表的权限：请输入完整订单号，或从订单详情页点「去收款」进入。</Typography.Text>
      ) : (
        <>
          {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
          <Table<Order>
            size="small"
            rowKey="orderNo"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={{ ...listPagination(list.data, page.page, page.pageSize), showSizeChanger: false, size: 'small' }}
            onChange={(p) => setPage({ page: p.current ?? 1, pageSize: p.pageSize ?? 10 })}
            locale={{ emptyText: search ? '没有符合条件的待支付订单' : '暂无待支付订单' }}
            rowSelection={{ type: 'radio', selectedRowKeys: selected ? [selected] : [], onChange: (keys) => keys[0] && onPick(String(keys[0])), columnWidth: 32 }}
            onRow={(o) => ({ onClick: () => onPick(o.orderNo), style: { cursor: 'pointer' } })}
            columns={[
              {
                title: '订单号',
                dataIndex: 'orderNo',
                render: (no: string, o) => (
                  <div>
                    <div style={mono}>{no}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {v.paymentMethods[o.method]} · {o.payerId || '无付款人'}
                    </Typography.Text>
                  </div>
                ),
              },
              { title: '金额', dataIndex: 'amountFen', align: 'right', width: 110, render: (f: number) => <Money fen={f} strong /> },
              { title: '支付时限', dataIndex: 'expireAt', width: 96, render: (t: number) => <span style={{ fontSize: 12 }}>{formatTime(t).slice(5, 16)}</span> },
            ]}
          />
        </>
      )}
    </Card>
  );
}
