import type { ChannelInput } from '../../../src-main/api/contract';
import type { Vocabulary } from '../../app/api-types';
import { codesFilter, dayRangeFilter, PAGED_SORTED_DEFAULTS, pagingInput, sortingInput, textFilter, type SortFields } from '../../app/list-query';

/** The filters of the transaction list as they sit in the address bar (see useUrlQuery). Dates are Shanghai days. */
export const TRANSACTION_FILTERS = {
  transactionNo: '',
  orderNo: '',
  statuses: [] as string[],
  types: [] as string[],
  methods: [] as string[],
  from: '',
  to: '',
};

export const TRANSACTION_QUERY_DEFAULTS = { ...TRANSACTION_FILTERS, ...PAGED_SORTED_DEFAULTS };

export type TransactionQuery = typeof TRANSACTION_QUERY_DEFAULTS;
type ListInput = ChannelInput<'transactions.list'>;

export const TRANSACTION_SORT_FIELDS: SortFields<NonNullable<ListInput['sortBy']>> = ['createdAt', 'amount'];

export function toTransactionListInput(q: TransactionQuery, v: Vocabulary): ListInput {
  const range = dayRangeFilter(q);
  return {
    transactionNo: textFilter(q.transactionNo),
    orderNo: textFilter(q.orderNo),
    statuses: codesFilter(v.transactionStatuses, q.statuses),
    types: codesFilter(v.transactionTypes, q.types),
    methods: codesFilter(v.paymentMethods, q.methods),
    createdFrom: range?.start,
    createdTo: range?.end,
    ...pagingInput(q),
    ...sortingInput(q, TRANSACTION_SORT_FIELDS),
  };
}
