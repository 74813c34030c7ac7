import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Table } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Order } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { PageTitle } from '../../components/PageTitle';
import { CreateOrderModal } from './CreateOrderModal';
import { orderColumns } from './order-columns';
import { OrderFilters } from './OrderFilters';
import { ORDER_QUERY_DEFAULTS, isOrderSortField, toOrderListInput } from './orders-query';

/** 支付订单: search, page through and open payment orders; create one. */
export function OrdersPage() {
  const v = useVocabulary();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [query, setQuery] = useUrlQuery(ORDER_QUERY_DEFAULTS);
  const [creating, setCreating] = useState(false);
  const input = toOrderListInput(query, v);
  const list = useChannel('orders.list', input);

  const filterKey = JSON.stringify([query.orderNo, query.payerId, query.statuses, query.methods, query.types, query.from, query.to]);

  return (
    <>
      <PageTitle
        title="支付订单"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
            {can('order:create') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-order">
                新建订单
              </Button>
            ) : null}
          </>
        }
      />
      <OrderFilters key={filterKey} query={query} onSearch={(patch) => setQuery({ ...patch, page: 1 })} />
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      {list.error?.code === 'FORBIDDEN' ? null : (
        <Table<Order>
          data-testid="order-table"
          size="small"
          rowKey="orderNo"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          columns={orderColumns(v, input.sortBy ?? 'createdAt', input.sortOrder ?? 'desc')}
          scroll={{ x: 1100 }}
          // No "unsorted" state: the list always has an order, newest first by default.
          sortDirections={['ascend', 'descend', 'ascend']}
          locale={{ emptyText: '没有符合条件的订单' }}
          onRow={(o) => ({ onClick: () => navigate(`/orders/${o.orderNo}`), style: { cursor: 'pointer' } })}
          pagination={{
            current: list.data?.page ?? input.page,
            pageSize: input.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (total) => `共 ${total} 条`,
          }}
          onChange={(pagination, _filters, sorter, extra) => {
            const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Order> | undefined;
            const field = typeof s?.columnKey === 'string' && s.order && isOrderSortField(s.columnKey) ? s.columnKey : 'createdAt';
            const order = s?.order === 'ascend' ? 'asc' : 'desc';
            setQuery({
              page: extra.action === 'paginate' ? (pagination.current ?? 1) : 1,
              pageSize: pagination.pageSize ?? 20,
              ...(extra.action === 'sort' ? { sortBy: field, sortOrder: s?.order ? order : 'desc' } : {}),
            });
          }}
        />
      )}
      <CreateOrderModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          if (query.page !== 1) setQuery({ page: 1 });
          else list.reload();
        }}
      />
    </>
  );
}
