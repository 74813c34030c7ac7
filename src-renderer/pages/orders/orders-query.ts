import type { ChannelInput } from '../../../src-main/api/contract';
import type { Vocabulary } from '../../app/api-types';
import { codesFilter, dayRangeFilter, PAGED_SORTED_DEFAULTS, pagingInput, sortingInput, textFilter, type SortFields } from '../../app/list-query';

/** The filters of the order list as they sit in the address bar (see useUrlQuery). Dates are Shanghai days. */
export const ORDER_FILTERS = {
  orderNo: '',
  payerId: '',
  statuses: [] as string[],
  methods: [] as string[],
  types: [] as string[],
  from: '',
  to: '',
};

export const ORDER_QUERY_DEFAULTS = { ...ORDER_FILTERS, ...PAGED_SORTED_DEFAULTS };

export type OrderQuery = typeof ORDER_QUERY_DEFAULTS;
export type OrderListInput = ChannelInput<'orders.list'>;

export const ORDER_SORT_FIELDS: SortFields<NonNullable<OrderListInput['sortBy']>> = ['createdAt', 'amount', 'expireAt'];

/** Address-bar query → `orders.list` input, dropping anything the vocabulary does not know. */
export function toOrderListInput(q: OrderQuery, v: Vocabulary): OrderListInput {
  const range = dayRangeFilter(q);
  return {
    orderNo: textFilter(q.orderNo),
    payerId: textFilter(q.payerId),
    statuses: codesFilter(v.orderStatuses, q.statuses),
    methods: codesFilter(v.paymentMethods, q.methods),
    types: codesFilter(v.orderTypes, q.types),
    createdFrom: range?.start,
    createdTo: range?.end,
    ...pagingInput(q),
    ...sortingInput(q, ORDER_SORT_FIELDS),
  };
}
