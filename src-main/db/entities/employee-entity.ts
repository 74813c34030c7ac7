import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shape of `employees` (员工 as salary payees). */
export interface EmployeeRow {
  id: number;
  employee_no: string;
  name: string;
  department: string;
  payee_channel: string;
  account: string;
  bank_name: string;
  phone: string;
  base_fen: number;
  rate_cfen: number;
  active: number;
  created_by: number | null;
  created_at: number;
  version: number;
  updated_seq: number;
}

const vc = (length: number) => ({ type: 'varchar', length }) as const;

export const EmployeeEntity = new EntitySchema<EmployeeRow>({
  name: 'EmployeeRow',
  tableName: 'employees',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    employee_no: vc(32),
    name: vc(64),
    department: vc(64),
    payee_channel: vc(16),
    account: vc(128),
    bank_name: vc(64),
    phone: vc(20),
    base_fen: fenColumn(),
    // Hundredths of a fen: a BIGINT read back as a number like fen.
    rate_cfen: fenColumn(),
    active: { type: 'int', default: 1 },
    created_by: { type: 'int', nullable: true },
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});
