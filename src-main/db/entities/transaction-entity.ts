import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shape of `transactions` (交易记录). */
export interface TransactionRow {
  id: number;
  transaction_no: string;
  order_no: string;
  payment_method: string;
  amount_fen: number;
  status: string;
  type: string;
  gateway_trade_no: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  updated_seq: number;
}

export const TransactionEntity = new EntitySchema<TransactionRow>({
  name: 'TransactionRow',
  tableName: 'transactions',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    transaction_no: { type: 'varchar', length: 32 },
    order_no: { type: 'varchar', length: 32 },
    payment_method: { type: 'varchar', length: 16 },
    amount_fen: fenColumn(),
    status: { type: 'varchar', length: 16 },
    type: { type: 'varchar', length: 16 },
    gateway_trade_no: { type: 'varchar', length: 64, nullable: true },
    created_at: instantColumn(),
    updated_at: instantColumn(),
    ...rowVersionColumns,
  },
});
