import { EntitySchema } from 'typeorm';
import { fenColumn, instantColumn, rowVersionColumns } from '../columns';

/** Row shape of `bookings` (客户预定); the domain type is `Booking` (core/bookings/booking). */
export interface BookingRow {
  id: number;
  booking_no: string;
  payer_id: string;
  guest_name: string;
  service_type: string;
  appointment_at: number;
  total_fen: number;
  deposit_fen: number;
  deposit_ratio_bp: number;
  status: string;
  deposit_order_no: string;
  note: string;
  created_by: number | null;
  created_at: number;
  confirmed_at: number | null;
  cancelled_at: number | null;
  version: number;
  updated_seq: number;
}

export const BookingEntity = new EntitySchema<BookingRow>({
  name: 'BookingRow',
  tableName: 'bookings',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    booking_no: { type: 'varchar', length: 32 },
    payer_id: { type: 'varchar', length: 64 },
    guest_name: { type: 'varchar', length: 64 },
    service_type: { type: 'varchar', length: 32 },
    appointment_at: instantColumn(),
    total_fen: fenColumn(),
    deposit_fen: fenColumn(),
    deposit_ratio_bp: { type: 'int' },
    status: { type: 'varchar', length: 24 },
    deposit_order_no: { type: 'varchar', length: 32 },
    note: { type: 'varchar', length: 256 },
    created_by: { type: 'int', nullable: true },
    created_at: instantColumn(),
    confirmed_at: instantColumn({ nullable: true }),
    cancelled_at: instantColumn({ nullable: true }),
    ...rowVersionColumns,
  },
});
