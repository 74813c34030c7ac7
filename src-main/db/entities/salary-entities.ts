import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shapes of `salary_sheets`, `salary_lines`, `supplier_term_runs`, `supplier_term_allocations`. */
export interface SalarySheetRow {
  id: number;
  month: string;
  status: string;
  line_count: number;
  gross_fen: number;
  deduction_fen: number;
  net_fen: number;
  submitted_by: number | null;
  submitted_by_name: string | null;
  submitted_at: number | null;
  reviewed_by: number | null;
  reviewed_by_name: string | null;
  reviewed_at: number | null;
  review_comment: string | null;
  batch_id: number | null;
  batch_no: string | null;
  batch_drafted_at: number | null;
  batch_drafted_by_name: string | null;
  auto_drafted: number;
  skipped_count: number;
  in_batch_count: number;
  paid_count: number;
  failed_count: number;
  cancelled_count: number;
  created_at: number;
  version: number;
  updated_seq: number;
}

export interface SalaryLineRow {
  id: number;
  month: string;
  employee_id: number;
  base_fen: number;
  units_milli: number;
  rate_cfen: number;
  workload_fen: number;
  allowance_fen: number;
  deduction_fen: number;
  gross_fen: number;
  net_fen: number;
  remark: string;
  payout_status: string;
  batch_id: number | null;
  batch_no: string | null;
  batch_item_id: number | null;
  paid_at: number | null;
  fail_reason: string | null;
  payslip_outbox_id: number | null;
  updated_by: number | null;
  updated_by_name: string;
  updated_at: number;
  created_at: number;
  version: number;
  updated_seq: number;
}

export interface SupplierTermRunRow {
  id: number;
  run_date: string;
  batch_id: number | null;
  batch_no: string | null;
  line_count: number;
  amount_fen: number;
  created_at: number;
  version: number;
  updated_seq: number;
}

export interface SupplierTermAllocationRow {
  id: number;
  batch_id: number;
  batch_no: string;
  payable_id: number;
  supplier_id: number;
  amount_fen: number;
  status: string;
  settled_at: number | null;
  created_at: number;
  version: number;
  updated_seq: number;
}

const id = { type: 'integer', primary: true, generated: 'increment' } as const;
const vc = (length: number, nullable = false) => ({ type: 'varchar', length, nullable }) as const;
const int = (nullable = false) => ({ type: 'int', nullable }) as const;

export const SalarySheetEntity = new EntitySchema<SalarySheetRow>({
  name: 'SalarySheetRow',
  tableName: 'salary_sheets',
  columns: {
    id,
    month: vc(7),
    status: vc(24),
    line_count: { type: 'int', default: 0 },
    gross_fen: fenColumn({ default: 0 }),
    deduction_fen: fenColumn({ default: 0 }),
    net_fen: fenColumn({ default: 0 }),
    submitted_by: int(true),
    submitted_by_name: vc(64, true),
    submitted_at: instantColumn({ nullable: true }),
    reviewed_by: int(true),
    reviewed_by_name: vc(64, true),
    reviewed_at: instantColumn({ nullable: true }),
    review_comment: vc(256, true),
    batch_id: int(true),
    batch_no: vc(32, true),
    batch_drafted_at: instantColumn({ nullable: true }),
    batch_drafted_by_name: vc(64, true),
    auto_drafted: { type: 'int', default: 0 },
    skipped_count: { type: 'int', default: 0 },
    in_batch_count: { type: 'int', default: 0 },
    paid_count: { type: 'int', default: 0 },
    failed_count: { type: 'int', default: 0 },
    cancelled_count: { type: 'int', default: 0 },
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});

export const SalaryLineEntity = new EntitySchema<SalaryLineRow>({
  name: 'SalaryLineRow',
  tableName: 'salary_lines',
  columns: {
    id,
    month: vc(7),
    employee_id: int(),
    base_fen: fenColumn(),
    // Thousandths of a unit and hundredths of a fen: BIGINTs read back as numbers like fen.
    units_milli: fenColumn(),
    rate_cfen: fenColumn(),
    workload_fen: fenColumn(),
    allowance_fen: fenColumn(),
    deduction_fen: fenColumn(),
    gross_fen: fenColumn(),
    net_fen: fenColumn(),
    remark: vc(128),
    payout_status: vc(16),
    batch_id: int(true),
    batch_no: vc(32, true),
    batch_item_id: int(true),
    paid_at: instantColumn({ nullable: true }),
    fail_reason: vc(256, true),
    payslip_outbox_id: int(true),
    updated_by: int(true),
    updated_by_name: vc(64),
    updated_at: instantColumn(),
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});

export const SupplierTermRunEntity = new EntitySchema<SupplierTermRunRow>({
  name: 'SupplierTermRunRow',
  tableName: 'supplier_term_runs',
  columns: {
    id,
    run_date: vc(10),
    batch_id: int(true),
    batch_no: vc(32, true),
    line_count: { type: 'int', default: 0 },
    amount_fen: fenColumn({ default: 0 }),
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});

export const SupplierTermAllocationEntity = new EntitySchema<SupplierTermAllocationRow>({
  name: 'SupplierTermAllocationRow',
  tableName: 'supplier_term_allocations',
  columns: {
    id,
    batch_id: int(),
    batch_no: vc(32),
    payable_id: int(),
    supplier_id: int(),
    amount_fen: fenColumn(),
    status: vc(16),
    settled_at: instantColumn({ nullable: true }),
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});
