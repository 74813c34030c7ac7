import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { shanghaiToday } from './time-format';

/** A range of Asia/Shanghai calendar days, both ends inclusive, as YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

interface DateRangeFilterProps {
  /** Optional so that a Form.Item can supply value and onChange. */
  value?: DayRange | null;
  onChange?: (next: DayRange | null) => void;
  allowClear?: boolean;
  id?: string;
  'data-testid'?: string;
}

const day = (date: string): Dayjs => dayjs(date, 'YYYY-MM-DD');

/** Quick ranges the accountants use most, counted in Shanghai days. */
export function dayRangePresets(): { label: string; value: [Dayjs, Dayjs] }[] {
  const today = shanghaiToday();
  const monthStart = `${today.slice(0, 8)}01`;
  return [
    { label: '今天', value: [day(today), day(today)] },
    { label: '昨天', value: [day(shanghaiToday(-1)), day(shanghaiToday(-1))] },
    { label: '近 7 天', value: [day(shanghaiToday(-6)), day(today)] },
    { label: '近 30 天', value: [day(shanghaiToday(-29)), day(today)] },
    { label: '本月', value: [day(monthStart), day(today)] },
    { label: '近 90 天', value: [day(shanghaiToday(-89)), day(today)] },
  ];
}

/**
 * Picks whole days. The picker works with calendar dates only and the page turns them into
 * Shanghai instants (time-format.shanghaiDayRange), so the machine's time zone never shifts a day.
 */
export function DateRangeFilter({ value, onChange, allowClear = true, id, ...rest }: DateRangeFilterProps) {
  return (
    <DatePicker.RangePicker
      id={id}
      data-testid={rest['data-testid']}
      value={value ? [day(value.from), day(value.to)] : null}
      allowClear={allowClear}
      presets={dayRangePresets()}
      placeholder={['开始日期', '结束日期']}
      style={{ width: 260 }}
      onChange={(range) => {
        const [a, b] = range ?? [];
        onChange?.(a && b ? { from: a.format('YYYY-MM-DD'), to: b.format('YYYY-MM-DD') } : null);
      }}
    />
  );
}
