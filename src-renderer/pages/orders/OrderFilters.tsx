import { Form, Input } from 'antd';
import { useVocabulary } from '../../app/vocabulary-context';
import { CodesFilterItem, DayRangeFilterItem, QueryFilterForm } from '../../components/QueryFilterForm';
import { ORDER_FILTERS, type OrderQuery } from './orders-query';

/** The search bar of 支付订单. Applied with 查询 or Enter, so typing an order number costs no round trips. */
export function OrderFilters({ query, onSearch }: { query: OrderQuery; onSearch: (filters: typeof ORDER_FILTERS) => void }) {
  const v = useVocabulary();
  return (
    <QueryFilterForm name="order-filter" filters={ORDER_FILTERS} query={query} onSearch={onSearch} data-testid="order-filters">
      <Form.Item label="订单号" name="orderNo">
        <Input allowClear placeholder="P 开头的 21 位编号" style={{ width: 220 }} />
      </Form.Item>
      <Form.Item label="付款人" name="payerId">
        <Input allowClear placeholder="付款人编号" style={{ width: 150 }} />
      </Form.Item>
      <CodesFilterItem label="状态" name="statuses" labels={v.orderStatuses} width={200} />
      <CodesFilterItem label="支付方式" name="methods" labels={v.paymentMethods} width={200} />
      <CodesFilterItem label="订单类型" name="types" labels={v.orderTypes} width={200} />
      <DayRangeFilterItem label="创建时间" />
    </QueryFilterForm>
  );
}
