import type { ChannelInput } from '../../../src-main/api/contract';
import type { Vocabulary } from '../../app/api-types';
import { codesFilter, dayRangeFilter, PAGING_DEFAULTS, pagingInput, textFilter } from '../../app/list-query';

/** The filters of 批量付款任务 as they sit in the address bar (see useUrlQuery). Dates are Shanghai days. */
export const BATCH_FILTERS = {
  keyword: '',
  statuses: [] as string[],
  types: [] as string[],
  from: '',
  to: '',
};

export const BATCH_QUERY_DEFAULTS = { ...BATCH_FILTERS, ...PAGING_DEFAULTS };
export type BatchQuery = typeof BATCH_QUERY_DEFAULTS;

/** Address-bar query → `batches.list` input; the channel takes one type, so two chosen types mean both (none). */
export function toBatchListInput(q: BatchQuery, v: Vocabulary): ChannelInput<'batches.list'> {
  const range = dayRangeFilter(q);
  const types = codesFilter(v.batchTypes, q.types);
  return {
    keyword: textFilter(q.keyword),
    statuses: codesFilter(v.batchStatuses, q.statuses),
    batchType: types?.length === 1 ? types[0] : undefined,
    createdFrom: range?.start,
    createdTo: range?.end,
    ...pagingInput(q),
  };
}
