import { shanghaiDayRange } from '../components/time-format';
import { knownKeys } from './vocabulary-context';

/**
 * A list page's address query (see useUrlQuery) turned into its list channel's input. Whatever the
 * address holds, the input is valid: unknown codes, odd page sizes and sort fields are dropped.
 */

/** The page sizes a list offers. */
export const PAGE_SIZES = [20, 50, 100];

/** Paging (and sorting) as they sit in the address, after a page's own filters. Newest first by default. */
export const PAGING_DEFAULTS = { page: 1, pageSize: 20 };
export const PAGED_SORTED_DEFAULTS = { ...PAGING_DEFAULTS, sortBy: 'createdAt', sortOrder: 'desc' };

/** The sort fields a list channel takes; the first is the default. */
export type SortFields<S extends string> = readonly [S, ...S[]];

export const isSortField = <S extends string>(fields: SortFields<S>, s: string): s is S => (fields as readonly string[]).includes(s);

/** Typed text: trimmed, and left out when empty. */
export const textFilter = (text: string): string | undefined => text.trim() || undefined;

/** Chosen codes: only those the vocabulary knows, left out when none remain. */
export function codesFilter<K extends string>(labels: Record<K, string>, values: readonly string[]): K[] | undefined {
  const known = knownKeys(labels, values);
  return known.length ? known : undefined;
}

/** Shanghai days `from`–`to` (both inclusive) as instants; null unless both ends are set. */
export const dayRangeFilter = (q: { from: string; to: string }) => (q.from && q.to ? shanghaiDayRange(q.from, q.to) : null);

export function pagingInput(q: { page: number; pageSize: number }) {
  return { page: Math.max(1, Math.trunc(q.page)), pageSize: PAGE_SIZES.includes(q.pageSize) ? q.pageSize : 20 };
}

export function sortingInput<S extends string>(q: { sortBy: string; sortOrder: string }, fields: SortFields<S>): { sortBy: S; sortOrder: 'asc' | 'desc' } {
  return { sortBy: isSortField(fields, q.sortBy) ? q.sortBy : fields[0], sortOrder: q.sortOrder === 'asc' ? 'asc' : 'desc' };
}

/** Changes whenever one of the filters does, so a filter form keyed by it follows the address. */
export const filterKey = <Q extends object>(query: Q, filterDefaults: Partial<Q>): string =>
  JSON.stringify(Object.keys(filterDefaults).map((k) => query[k as keyof Q]));
