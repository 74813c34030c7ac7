import type { ChannelInput } from '../../../src-main/api/contract';
import type { Vocabulary } from '../../app/api-types';
import { knownKeys } from '../../app/vocabulary-context';
import { shanghaiDayRange } from '../../components/time-format';

/** The order list as it sits in the address bar (see useUrlQuery). Dates are Shanghai days. */
export const ORDER_QUERY_DEFAULTS = {
  orderNo: '',
  payerId: '',
  statuses: [] as string[],
  methods: [] as string[],
  types: [] as string[],
  from: '',
  to: '',
  page: 1,
  pageSize: 20,
  sortBy: 'createdAt',
  sortOrder: 'desc',
};

export type OrderQuery = typeof ORDER_QUERY_DEFAULTS;
export type OrderListInput = ChannelInput<'orders.list'>;
type SortBy = NonNullable<OrderListInput['sortBy']>;

const SORT_FIELDS: readonly SortBy[] = ['createdAt', 'amount', 'expireAt'];

export const isOrderSortField = (s: string): s is SortBy => (SORT_FIELDS as readonly string[]).includes(s);

/** Address-bar query → `orders.list` input, dropping anything the vocabulary does not know. */
export function toOrderListInput(q: OrderQuery, v: Vocabulary): OrderListInput {
  const range = q.from && q.to ? shanghaiDayRange(q.from, q.to) : null;
  const statuses = knownKeys(v.orderStatuses, q.statuses);
  const methods = knownKeys(v.paymentMethods, q.methods);
  const types = knownKeys(v.orderTypes, q.types);
  return {
    orderNo: q.orderNo.trim() || undefined,
    payerId: q.payerId.trim() || undefined,
    statuses: statuses.length ? statuses : undefined,
    methods: methods.length ? methods : undefined,
    types: types.length ? types : undefined,
    createdFrom: range?.start,
    createdTo: range?.end,
    page: Math.max(1, Math.trunc(q.page)),
    pageSize: [20, 50, 100].includes(q.pageSize) ? q.pageSize : 20,
    sortBy: isOrderSortField(q.sortBy) ? q.sortBy : 'createdAt',
    sortOrder: q.sortOrder === 'asc' ? 'asc' : 'desc',
  };
}
