import { Form, Input, Select } from 'antd';
import { DateRangeFilter, type DayRange } from '../../components/DateRangeFilter';
import { FilterForm } from '../../components/FilterForm';
import { LOG_CATEGORY_LABELS, type LogCategory } from './operations-labels';

export interface LogFilterValue {
  from: string;
  to: string;
  categories: string[];
  orderNo: string;
  keyword: string;
}

interface FilterFields {
  period: DayRange | null;
  categories: LogCategory[];
  orderNo: string;
  keyword: string;
}

/** The search bar of 系统日志; the level is chosen by the tabs with counts below it. */
export function LogFilters({ value, onSearch }: { value: LogFilterValue; onSearch: (v: LogFilterValue) => void }) {
  return (
    <FilterForm<FilterFields>
      name="log-filter"
      data-testid="log-filters"
      initialValues={{
        period: value.from && value.to ? { from: value.from, to: value.to } : null,
        categories: value.categories as LogCategory[],
        orderNo: value.orderNo,
        keyword: value.keyword,
      }}
      empty={{ period: null, categories: [], orderNo: '', keyword: '' }}
      onApply={(f) => onSearch({ from: f.period?.from ?? '', to: f.period?.to ?? '', categories: f.categories ?? [], orderNo: (f.orderNo ?? '').trim(), keyword: (f.keyword ?? '').trim() })}
    >
      <Form.Item label="时间" name="period">
        <DateRangeFilter />
      </Form.Item>
      <Form.Item label="类别" name="categories">
        <Select
          mode="multiple"
          allowClear
          placeholder="全部"
          style={{ width: 200 }}
          maxTagCount="responsive"
          options={Object.entries(LOG_CATEGORY_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item label="订单号" name="orderNo">
        <Input allowClear placeholder="完整订单号" style={{ width: 210 }} />
      </Form.Item>
      <Form.Item label="关键字" name="keyword">
        <Input allowClear placeholder="内容、事件或字段" style={{ width: 180 }} />
      </Form.Item>
    </FilterForm>
  );
}
