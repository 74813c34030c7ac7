import { Form, Select } from 'antd';
import type { ReactNode } from 'react';
import { optionsOf } from '../app/vocabulary-context';
import { DateRangeFilter, type DayRange } from './DateRangeFilter';
import { FilterForm } from './FilterForm';

/** A list's filters as they sit in the address: typed texts, lists of chosen codes, and the days `from`–`to`. */
type QueryFilters = Record<string, string | string[]> & { from: string; to: string };

/** The same filters as form fields: `from`–`to` is the one field `created`. */
type FilterFields = Record<string, string | string[] | DayRange | null | undefined>;

const DAY_RANGE_FIELD = 'created';

function toFields(filters: QueryFilters, values: QueryFilters): FilterFields {
  const fields: FilterFields = {};
  for (const key of Object.keys(filters)) if (key !== 'from' && key !== 'to') fields[key] = values[key];
  fields[DAY_RANGE_FIELD] = values.from && values.to ? { from: values.from, to: values.to } : null;
  return fields;
}

/** Form fields → filters: texts trimmed, a cleared field empty. */
function toFilters<Q extends QueryFilters>(filters: Q, fields: FilterFields): Q {
  const out: Record<string, string | string[]> = {};
  const range = fields[DAY_RANGE_FIELD] as DayRange | null | undefined;
  for (const [key, empty] of Object.entries(filters)) {
    const value = fields[key];
    if (key === 'from' || key === 'to') out[key] = range?.[key] ?? '';
    else if (Array.isArray(empty)) out[key] = Array.isArray(value) ? value : [];
    else out[key] = typeof value === 'string' ? value.trim() : '';
  }
  return out as Q;
}

interface QueryFilterFormProps<Q> {
  /** Prefixes the field ids (label-for must hit this form). */
  name: string;
  /** The filters' names and empty values, e.g. ORDER_FILTERS. */
  filters: Q;
  /** The address query the form starts from (only the filters are read). */
  query: NoInfer<Q>;
  onSearch: (filters: Q) => void;
  /** Form items named after the filters, with DayRangeFilterItem for `from`–`to`. */
  children: ReactNode;
  'data-testid'?: string;
}

/** The search bar of a list whose filters live in the address (see useUrlQuery and list-query). */
export function QueryFilterForm<Q extends QueryFilters>({ filters, query, onSearch, ...rest }: QueryFilterFormProps<Q>) {
  return <FilterForm<FilterFields> {...rest} initialValues={toFields(filters, query)} empty={toFields(filters, filters)} onApply={(f) => onSearch(toFilters(filters, f))} />;
}

/** The days `from`–`to` of a QueryFilterForm. */
export function DayRangeFilterItem({ label }: { label: string }) {
  return (
    <Form.Item label={label} name={DAY_RANGE_FIELD}>
      <DateRangeFilter />
    </Form.Item>
  );
}

/** Any of the codes of a vocabulary label map; none chosen means all (全部). */
export function CodesFilterItem<K extends string>({ label, name, labels, width }: { label: string; name: string; labels: Record<K, string>; width: number }) {
  return (
    <Form.Item label={label} name={name}>
      <Select mode="multiple" allowClear placeholder="全部" options={optionsOf(labels)} style={{ width }} maxTagCount="responsive" />
    </Form.Item>
  );
}
