import { Table, type TableProps } from 'antd';
import type { ChannelQuery } from '../app/use-channel';
import { LoadError } from './LoadError';
import { pagedListTableProps, type PageInput, type Paged, type SetPage } from './paged-table';

type PagedListTableProps<T> = Omit<TableProps<T>, 'loading' | 'dataSource' | 'pagination' | 'onChange'> & {
  list: ChannelQuery<Paged<T>>;
  /** The page and page size the list was read with. */
  input: PageInput;
  setQuery: SetPage;
  /** What 重试 does after a failed read: the list's own reload unless said otherwise. */
  onRetry?: () => void;
  'data-testid'?: string;
};

/**
 * A list the server pages and the user only pages through (no sorting): a failed read shows its
 * error with a retry, a refusal (FORBIDDEN) shows the 403 page instead of the table. Small rows
 * keyed by `id` unless the page says otherwise.
 */
export function PagedListTable<T extends object>({ list, input, setQuery, onRetry, ...table }: PagedListTableProps<T>) {
  return (
    <>
      {list.error ? <LoadError error={list.error} onRetry={onRetry ?? list.reload} /> : null}
      {list.error?.code === 'FORBIDDEN' ? null : <Table<T> size="small" rowKey="id" {...table} {...pagedListTableProps(list, input, setQuery)} />}
    </>
  );
}
