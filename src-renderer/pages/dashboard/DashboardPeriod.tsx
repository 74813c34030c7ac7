import { Flex, Radio } from 'antd';
import { DateRangeFilter, type DayRange } from '../../components/DateRangeFilter';
import { matchingPreset, PRESET_LABELS, presetRange, type PresetKey } from './dashboard-period';

/** 统计期间: the four quick periods as buttons, any other range of days with the picker next to them. */
export function DashboardPeriod({ value, onChange }: { value: DayRange; onChange: (next: DayRange) => void }) {
  return (
    <Flex gap={8} align="center" wrap data-testid="dashboard-period">
      <Radio.Group
        optionType="button"
        buttonStyle="solid"
        value={matchingPreset(value) ?? null}
        onChange={(e) => onChange(presetRange(e.target.value as PresetKey))}
        options={(Object.keys(PRESET_LABELS) as PresetKey[]).map((k) => ({ value: k, label: PRESET_LABELS[k] }))}
      />
      <DateRangeFilter value={value} onChange={(r) => r && onChange(r)} allowClear={false} data-testid="dashboard-range" />
    </Flex>
  );
}
