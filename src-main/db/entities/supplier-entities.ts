import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shapes of `suppliers`, `payables`, `supplier_payments` (付款单), `supplier_payment_payables`, `vouchers`. */
export interface SupplierRow {
  id: number;
  name: string;
  payee_channel: string;
  bank_name: string;
  bank_branch: string;
  account_no: string;
  account_name: string;
  wechat_openid: string;
  alipay_login: string;
  contact_phone: string;
  payment_term_days: number;
  active: number;
  created_by: number | null;
  created_at: number;
  version: number;
  updated_seq: number;
}

export interface PayableRow {
  id: number;
  supplier_id: number;
  reference_no: string;
  description: string;
  amount_fen: number;
  paid_fen: number;
  reserved_fen: number;
  invoice_date: string;
  due_date: string;
  status: string;
  created_by: number | null;
  created_at: number;
  version: number;
  updated_seq: number;
}

export interface SupplierPaymentRow {
  id: number;
  payment_no: string;
  supplier_id: number;
  status: string;
  amount_fen: number;
  purpose: string;
  payee_channel: string | null;
  payee_account: string | null;
  payee_name: string | null;
  payee_bank: string | null;
  transfer_no: string | null;
  attempt: number;
  platform_transfer_no: string | null;
  transfer_state: string | null;
  fail_reason: string | null;
  retryable: number | null;
  voucher_no: string | null;
  created_by: number | null;
  created_by_name: string;
  created_at: number;
  submitted_at: number | null;
  approved_at: number | null;
  sent_at: number | null;
  finished_at: number | null;
  next_check_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  version: number;
  updated_seq: number;
}

export interface SupplierPaymentPayableRow {
  id: number;
  payment_no: string;
  payable_id: number;
  amount_fen: number;
  version: number;
  updated_seq: number;
}

export interface VoucherRow {
  id: number;
  voucher_no: string;
  year: number;
  seq: number;
  kind: string;
  subject_id: string;
  payer_name: string;
  payee_name: string;
  payee_channel: string;
  payee_account: string;
  payee_bank: string;
  amount_fen: number;
  purpose: string;
  reference_no: string;
  issued_at: number;
  version: number;
  updated_seq: number;
}

const id = { type: 'integer', primary: true, generated: 'increment' } as const;
const vc = (length: number, nullable = false) => ({ type: 'varchar', length, nullable }) as const;
const int = (nullable = false) => ({ type: 'int', nullable }) as const;

export const SupplierEntity = new EntitySchema<SupplierRow>({
  name: 'SupplierRow',
  tableName: 'suppliers',
  columns: {
    id,
    name: vc(128),
    payee_channel: vc(16),
    bank_name: vc(64),
    bank_branch: vc(128),
    account_no: vc(40),
    account_name: vc(128),
    wechat_openid: vc(64),
    alipay_login: vc(128),
    contact_phone: vc(20),
    payment_term_days: int(),
    active: { type: 'int', default: 1 },
    created_by: int(true),
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});

export const PayableEntity = new EntitySchema<PayableRow>({
  name: 'PayableRow',
  tableName: 'payables',
  columns: {
    id,
    supplier_id: int(),
    reference_no: vc(64),
    description: vc(256),
    amount_fen: fenColumn(),
    paid_fen: fenColumn(),
    reserved_fen: fenColumn(),
    invoice_date: vc(10),
    due_date: vc(10),
    status: vc(16),
    created_by: int(true),
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});

export const SupplierPaymentEntity = new EntitySchema<SupplierPaymentRow>({
  name: 'SupplierPaymentRow',
  tableName: 'supplier_payments',
  columns: {
    id,
    payment_no: vc(32),
    supplier_id: int(),
    status: vc(24),
    amount_fen: fenColumn(),
    purpose: vc(128),
    payee_channel: vc(16, true),
    payee_account: vc(128, true),
    payee_name: vc(128, true),
    payee_bank: vc(200, true),
    transfer_no: vc(40, true),
    attempt: { type: 'int', default: 0 },
    platform_transfer_no: vc(64, true),
    transfer_state: vc(24, true),
    fail_reason: vc(256, true),
    retryable: int(true),
    voucher_no: vc(20, true),
    created_by: int(true),
    created_by_name: vc(64),
    created_at: instantColumn(),
    submitted_at: instantColumn({ nullable: true }),
    approved_at: instantColumn({ nullable: true }),
    sent_at: instantColumn({ nullable: true }),
    finished_at: instantColumn({ nullable: true }),
    next_check_at: instantColumn({ nullable: true }),
    lease_owner: vc(96, true),
    lease_until: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});

export const SupplierPaymentPayableEntity = new EntitySchema<SupplierPaymentPayableRow>({
  name: 'SupplierPaymentPayableRow',
  tableName: 'supplier_payment_payables',
  columns: { id, payment_no: vc(32), payable_id: int(), amount_fen: fenColumn(), ...rowVersionColumns },
});

export const VoucherEntity = new EntitySchema<VoucherRow>({
  name: 'VoucherRow',
  tableName: 'vouchers',
  columns: {
    id,
    voucher_no: vc(20),
    year: int(),
    seq: int(),
    kind: vc(24),
    subject_id: vc(40),
    payer_name: vc(128),
    payee_name: vc(128),
    payee_channel: vc(16),
    payee_account: vc(128),
    payee_bank: vc(200),
    amount_fen: fenColumn(),
    purpose: vc(256),
    reference_no: vc(64),
    issued_at: instantColumn(),
    ...rowVersionColumns,
  },
});

export const VoucherCounterEntity = new EntitySchema<{ year: number; last_seq: number }>({
  name: 'VoucherCounterRow',
  tableName: 'voucher_counters',
  columns: { year: { type: 'int', primary: true }, last_seq: int() },
});
