import { Form, Input } from 'antd';
import { useVocabulary } from '../../app/vocabulary-context';
import { CodesFilterItem, DayRangeFilterItem, QueryFilterForm } from '../../components/QueryFilterForm';
import { TRANSACTION_FILTERS, type TransactionQuery } from './transactions-query';

export function TransactionFilters({ query, onSearch }: { query: TransactionQuery; onSearch: (filters: typeof TRANSACTION_FILTERS) => void }) {
  const v = useVocabulary();
  return (
    <QueryFilterForm name="transaction-filter" filters={TRANSACTION_FILTERS} query={query} onSearch={onSearch} data-testid="transaction-filters">
      <Form.Item label="交易号" name="transactionNo">
        <Input allowClear placeholder="T 开头的 21 位编号" style={{ width: 210 }} />
      </Form.Item>
      <Form.Item label="订单号" name="orderNo">
        <Input allowClear placeholder="P 开头的 21 位编号" style={{ width: 210 }} />
      </Form.Item>
      <CodesFilterItem label="状态" name="statuses" labels={v.transactionStatuses} width={180} />
      <CodesFilterItem label="类型" name="types" labels={v.transactionTypes} width={150} />
      <CodesFilterItem label="支付方式" name="methods" labels={v.paymentMethods} width={180} />
      <DayRangeFilterItem label="交易时间" />
    </QueryFilterForm>
  );
}
