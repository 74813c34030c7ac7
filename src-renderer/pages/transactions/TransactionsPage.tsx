import { ReloadOutlined } from '@ant-design/icons';
import { Button, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Transaction } from '../../app/api-types';
import { useAuth } from '../../app/auth-context';
import { filterKey } from '../../app/list-query';
import { useChannel } from '../../app/use-channel';
import { useUrlQuery } from '../../app/use-url-query';
import { useVocabulary } from '../../app/vocabulary-context';
import { LoadError } from '../../components/LoadError';
import { Money } from '../../components/Money';
import { columnSortOrder, sortedListTableProps } from '../../components/paged-table';
import { PageTitle } from '../../components/PageTitle';
import { TransactionStatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time-format';
import { TransactionFilters } from './TransactionFilters';
import { TransactionStatsPanel } from './TransactionStatsPanel';
import { TRANSACTION_FILTERS, TRANSACTION_QUERY_DEFAULTS, TRANSACTION_SORT_FIELDS, toTransactionListInput } from './transactions-query';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

/** 交易记录: statistics for a period (with 统计 permission) and the searchable list of transactions. */
export function TransactionsPage() {
  const v = useVocabulary();
  const { can } = useAuth();
  const [query, setQuery] = useUrlQuery(TRANSACTION_QUERY_DEFAULTS);
  const input = toTransactionListInput(query, v);
  const list = useChannel('transactions.list', input);
  const sorted = (field: string) => columnSortOrder(input, field);

  return (
    <>
      <PageTitle
        title="交易记录"
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        }
      />
      {can('stats:view') ? <TransactionStatsPanel /> : null}
      <TransactionFilters key={filterKey(query, TRANSACTION_FILTERS)} query={query} onSearch={(patch) => setQuery({ ...patch, page: 1 })} />
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : null}
      {list.error?.code === 'FORBIDDEN' ? null : (
        <Table<Transaction>
          data-testid="transaction-table"
          size="small"
          rowKey="transactionNo"
          scroll={{ x: 1100 }}
          locale={{ emptyText: '没有符合条件的交易' }}
          columns={[
            { title: '交易号', dataIndex: 'transactionNo', width: 210, render: (t: string) => <span style={mono}>{t}</span> },
            {
              title: '订单号',
              dataIndex: 'orderNo',
              width: 210,
              render: (o: string) =>
                can('order:view') ? (
                  <Link to={`/orders/${o}`} style={mono}>
                    {o}
                  </Link>
                ) : (
                  <span style={mono}>{o}</span>
                ),
            },
            { title: '支付方式', dataIndex: 'method', width: 90, render: (m: Transaction['method']) => v.paymentMethods[m] },
            { title: '金额', dataIndex: 'amountFen', key: 'amount', align: 'right', width: 130, sorter: true, sortOrder: sorted('amount'), render: (f: number) => <Money fen={f} /> },
            { title: '状态', dataIndex: 'status', width: 84, render: (s: Transaction['status']) => <TransactionStatusTag status={s} /> },
            { title: '类型', dataIndex: 'type', width: 70, render: (t: Transaction['type']) => v.transactionTypes[t] },
            { title: '时间', dataIndex: 'createdAt', key: 'createdAt', width: 168, sorter: true, sortOrder: sorted('createdAt'), render: (t: number) => formatTime(t) },
            { title: '渠道交易号', dataIndex: 'gatewayTradeNo', render: (g: string | null) => g ?? <Typography.Text type="secondary">—</Typography.Text> },
          ]}
          {...sortedListTableProps(list, input, TRANSACTION_SORT_FIELDS, setQuery)}
        />
      )}
    </>
  );
}
