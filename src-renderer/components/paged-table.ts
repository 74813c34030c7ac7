import type { TablePaginationConfig, TableProps } from 'antd';
import type { SorterResult, SortOrder } from 'antd/es/table/interface';
import { isSortField, PAGE_SIZES, type SortFields } from '../app/list-query';
import type { ChannelQuery } from '../app/use-channel';

/**
 * Tables showing one page of a server-side list. Paging and sorting live in the address query
 * (see useUrlQuery and list-query): the table only reads them and asks for changes.
 */

export interface Paged<T> {
  items: T[];
  page: number;
  total: number;
}

/** Where a list is in the address (or the input read from it): the page and its size. */
export interface PageInput {
  page?: number;
  pageSize?: number;
}

/** The address-query change a pager asks for. */
export type SetPage = (patch: { page: number; pageSize: number }) => void;

interface PagedSortedQuery {
  page: number;
  pageSize: number;
  sortBy: string;
  sortOrder: string;
}

/** The pager: where the server says the list is, its total, 20/50/100 rows a page. */
export function listPagination(data: { page: number; total: number } | undefined, page: number | undefined, pageSize: number | undefined): TablePaginationConfig {
  return {
    current: data?.page ?? page,
    pageSize,
    total: data?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: PAGE_SIZES,
    showTotal: (total) => `共 ${total} 条`,
  };
}

/** The pager of a list the user only pages through (no sorting): a new page size goes back to page 1. */
export function pagedListPagination(data: { page: number; total: number } | undefined, input: PageInput, setQuery: SetPage): TablePaginationConfig {
  return {
    ...listPagination(data, input.page, input.pageSize),
    onChange: (page, pageSize) => setQuery({ page: pageSize === input.pageSize ? page : 1, pageSize }),
  };
}

/** Data and pager of a table over a list the server pages and the user does not sort. */
export function pagedListTableProps<T>(list: ChannelQuery<Paged<T>>, input: PageInput, setQuery: SetPage): Pick<TableProps<T>, 'loading' | 'dataSource' | 'pagination'> {
  return { loading: list.loading, dataSource: list.data?.items ?? [], pagination: pagedListPagination(list.data, input, setQuery) };
}

/** A column's sort arrow, from the sort the list was read with. */
export const columnSortOrder = (input: { sortBy?: string; sortOrder?: string }, field: string): SortOrder =>
  input.sortBy === field ? (input.sortOrder === 'asc' ? 'ascend' : 'descend') : null;

/**
 * Data, pager and sorting of a table over a list the server sorts by `sortFields`. A new sort or
 * page size goes back to page 1; clearing a sort falls back to the default (first) field, newest first.
 */
export function sortedListTableProps<T, S extends string>(
  list: ChannelQuery<Paged<T>>,
  input: PageInput,
  sortFields: SortFields<S>,
  setQuery: (patch: Partial<PagedSortedQuery>) => void,
): Pick<TableProps<T>, 'loading' | 'dataSource' | 'sortDirections' | 'pagination' | 'onChange'> {
  return {
    loading: list.loading,
    dataSource: list.data?.items ?? [],
    // No "unsorted" state: the list always has an order, newest first by default.
    sortDirections: ['ascend', 'descend', 'ascend'],
    pagination: listPagination(list.data, input.page, input.pageSize),
    onChange: (pagination, _filters, sorter, extra) => {
      const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
      const field = typeof s?.columnKey === 'string' && s.order && isSortField(sortFields, s.columnKey) ? s.columnKey : sortFields[0];
      setQuery({
        page: extra.action === 'paginate' ? (pagination.current ?? 1) : 1,
        pageSize: pagination.pageSize ?? 20,
        ...(extra.action === 'sort' ? { sortBy: field, sortOrder: s?.order === 'ascend' ? 'asc' : 'desc' } : {}),
      });
    },
  };
}
