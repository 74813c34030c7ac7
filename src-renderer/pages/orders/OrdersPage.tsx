import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Table } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Order } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { filterKey } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { sortedListTableProps } from '../../components/paged-table';
import { PageTitle } from '../../components/PageTitle';
import { CreateOrderModal } from './CreateOrderModal';
import { orderColumns } from './order-columns';
import { OrderFilters } from './OrderFilters';
import { ORDER_FILTERS, ORDER_QUERY_DEFAULTS, ORDER_SORT_FIELDS, toOrderListInput } from './orders-query';

/** 支付订单: search, page through and open payment orders; create one. */
export function OrdersPage() {
  const v = useVocabulary();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [query, setQuery] = useUrlQuery(ORDER_QUERY_DEFAULTS);
  const [creating, setCreating] = useState(false);
  const input = toOrderListInput(query, v);
  const list = useChannel('orders.list', input);

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
      <OrderFilters key={filterKey(query, ORDER_FILTERS)} query={query} onSearch={(patch) => setQuery({ ...patch, page: 1 })} />
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      {list.error?.code === 'FORBIDDEN' ? null : (
        <Table<Order>
          data-testid="order-table"
          size="small"
          rowKey="orderNo"
          columns={orderColumns(v, input)}
          scroll={{ x: 1100 }}
          locale={{ emptyText: '没有符合条件的订单' }}
          onRow={(o) => ({ onClick: () => navigate(`/orders/${o.orderNo}`), style: { cursor: 'pointer' } })}
          {...sortedListTableProps(list, input, ORDER_SORT_FIELDS, setQuery)}
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
