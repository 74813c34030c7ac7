import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shapes of `meal_bills`, `meal_bill_items` and `meal_bill_invoices` (餐费账单, 发票申请). */
export interface MealBillRow {
  id: number;
  bill_no: string;
  stay_no: string;
  room_no: string;
  payer_id: string;
  guest_name: string;
  status: string;
  total_fen: number;
  order_no: string | null;
  due_at: number | null;
  created_by: number | null;
  created_at: number;
  paid_at: number | null;
  cancelled_at: number | null;
  version: number;
  updated_seq: number;
}

export interface MealBillItemRow {
  id: number;
  bill_no: string;
  line_no: number;
  service_date: string;
  meal: string;
  description: string;
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
  created_at: number;
  version: number;
  updated_seq: number;
}

export interface MealBillInvoiceRow {
  id: number;
  bill_no: string;
  kind: string;
  title_type: string;
  title: string;
  tax_id: string;
  email: string;
  postal_address: string;
  recipient: string;
  phone: string;
  status: string;
  requested_by: number | null;
  requested_at: number;
  version: number;
  updated_seq: number;
}

const id = { type: 'integer', primary: true, generated: 'increment' } as const;

export const MealBillEntity = new EntitySchema<MealBillRow>({
  name: 'MealBillRow',
  tableName: 'meal_bills',
  columns: {
    id,
    bill_no: { type: 'varchar', length: 32 },
    stay_no: { type: 'varchar', length: 32 },
    room_no: { type: 'varchar', length: 16 },
    payer_id: { type: 'varchar', length: 64 },
    guest_name: { type: 'varchar', length: 64 },
    status: { type: 'varchar', length: 16 },
    total_fen: fenColumn(),
    order_no: { type: 'varchar', length: 32, nullable: true },
    due_at: instantColumn({ nullable: true }),
    created_by: { type: 'int', nullable: true },
    created_at: instantColumn(),
    paid_at: instantColumn({ nullable: true }),
    cancelled_at: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});

export const MealBillItemEntity = new EntitySchema<MealBillItemRow>({
  name: 'MealBillItemRow',
  tableName: 'meal_bill_items',
  columns: {
    id,
    bill_no: { type: 'varchar', length: 32 },
    line_no: { type: 'int' },
    service_date: { type: 'varchar', length: 10 },
    meal: { type: 'varchar', length: 16 },
    description: { type: 'varchar', length: 128 },
    quantity: { type: 'int' },
    unit_price_fen: fenColumn(),
    amount_fen: fenColumn(),
    created_at: instantColumn(),
    ...rowVersionColumns,
  },
});

export const MealBillInvoiceEntity = new EntitySchema<MealBillInvoiceRow>({
  name: 'MealBillInvoiceRow',
  tableName: 'meal_bill_invoices',
  columns: {
    id,
    bill_no: { type: 'varchar', length: 32 },
    kind: { type: 'varchar', length: 16 },
    title_type: { type: 'varchar', length: 16 },
    title: { type: 'varchar', length: 128 },
    tax_id: { type: 'varchar', length: 20 },
    email: { type: 'varchar', length: 128 },
    postal_address: { type: 'varchar', length: 256 },
    recipient: { type: 'varchar', length: 64 },
    phone: { type: 'varchar', length: 20 },
    status: { type: 'varchar', length: 16 },
    requested_by: { type: 'int', nullable: true },
    requested_at: instantColumn(),
    ...rowVersionColumns,
  },
});
