import type { ChannelInput } from '../../../src-main/api/contract';
import type { Vocabulary } from '../../app/api-types';
import { knownKeys } from '../../app/vocabulary-context';
import { shanghaiDayRange } from '../../components/time-format';

export const TRANSACTION_QUERY_DEFAULTS = {
  transactionNo: '',
  orderNo: '',
  statuses: [] as string[],
  types: [] as string[],
  methods: [] as string[],
  from: '',
  to: '',
  page: 1,
  pageSize: 20,
  sortBy: 'createdAt',
  sortOrder: 'desc',
};

export type TransactionQuery = typeof TRANSACTION_QUERY_DEFAULTS;
type ListInput = ChannelInput<'transactions.list'>;

export const isTransactionSortField = (s: string): s is 'createdAt' | 'amount' => s === 'createdAt' || s === 'amount';

export function toTransactionListInput(q: TransactionQuery, v: Vocabulary): ListInput {
  const range = q.from && q.to ? shanghaiDayRange(q.from, q.to) : null;
  const statuses = knownKeys(v.transactionStatuses, q.statuses);
  const types = knownKeys(v.transactionTypes, q.types);
  const methods = knownKeys(v.paymentMethods, q.methods);
  return {
    transactionNo: q.transactionNo.trim() || undefined,
    orderNo: q.orderNo.trim() || undefined,
    statuses: statuses.length ? statuses : undefined,
    types: types.length ? types : undefined,
    methods: methods.length ? methods : undefined,
    createdFrom: range?.start,
    createdTo: range?.end,
    page: Math.max(1, Math.trunc(q.page)),
    pageSize: [20, 50, 100].includes(q.pageSize) ? q.pageSize : 20,
    sortBy: isTransactionSortField(q.sortBy) ? q.sortBy : 'createdAt',
    sortOrder: q.sortOrder === 'asc' ? 'asc' : 'desc',
  };
}
