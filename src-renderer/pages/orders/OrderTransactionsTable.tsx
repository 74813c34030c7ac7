import { Table, Typography } from 'antd';
import type { Transaction } from '../../app/api-types';
import { useVocabulary } from '../../app/vocabulary-context';
import { Money } from '../../components/Money';
import { TransactionStatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time-format';

/** The money movements of one order: its payment, and later its refunds. */
export function OrderTransactionsTable({ transactions }: { transactions: Transaction[] }) {
  const v = useVocabulary();
  return (
    <Table<Transaction>
      data-testid="order-transactions"
      size="small"
      rowKey="transactionNo"
      dataSource={transactions}
      pagination={false}
      locale={{ emptyText: '暂无交易' }}
      scroll={{ x: 1000 }}
      columns={[
        { title: '交易号', dataIndex: 'transactionNo', width: 210 },
        { title: '类型', dataIndex: 'type', width: 70, render: (t: Transaction['type']) => v.transactionTypes[t] },
        { title: '支付方式', dataIndex: 'method', width: 90, render: (m: Transaction['method']) => v.paymentMethods[m] },
        { title: '金额', dataIndex: 'amountFen', align: 'right', width: 120, render: (f: number) => <Money fen={f} /> },
        { title: '状态', dataIndex: 'status', width: 84, render: (s: Transaction['status']) => <TransactionStatusTag status={s} /> },
        { title: '渠道交易号', dataIndex: 'gatewayTradeNo', render: (g: string | null) => g ?? <Typography.Text type="secondary">—</Typography.Text> },
        { title: '创建时间', dataIndex: 'createdAt', width: 168, render: (t: number) => formatTime(t) },
        { title: '更新时间', dataIndex: 'updatedAt', width: 168, render: (t: number) => formatTime(t) },
      ]}
    />
  );
}
