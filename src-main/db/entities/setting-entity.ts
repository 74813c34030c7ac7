import { EntitySchema } from 'typeorm';
import { instantColumn, rowVersionColumns } from '../columns';

/** Settings are JSON values under a key (e.g. `order.expiryMinutes`); the service owns their schemas. */
export interface SettingRow {
  key: string;
  value_json: string;
  updated_at: number;
  version: number;
  updated_seq: number;
}

export const SettingEntity = new EntitySchema<SettingRow>({
  name: 'SettingRow',
  tableName: 'settings',
  columns: {
    key: { type: 'varchar', length: 64, primary: true },
    value_json: { type: 'text' },
    updated_at: instantColumn(),
    ...rowVersionColumns,
  },
});
