import type { EntityManager } from 'typeorm';
import type { Booking, BookingStatus } from '../../core/bookings/booking';
import type { ServiceType } from '../../core/bookings/deposit';
import type { Page } from '../../core/orders/order';
import { int, intOrNull } from '../bulk-insert';
import { BookingEntity, type BookingRow } from '../entities/booking-entity';
import { ConcurrentUpdateError } from './concurrency';

function fromRow(r: BookingRow): Booking {
  return {
    bookingNo: r.booking_no,
    payerId: r.payer_id,
    guestName: r.guest_name,
    serviceType: r.service_type as ServiceType,
    appointmentAt: int(r.appointment_at),
    totalFen: int(r.total_fen),
    depositFen: int(r.deposit_fen),
    depositRatioBp: int(r.deposit_ratio_bp),
    status: r.status as BookingStatus,
    depositOrderNo: r.deposit_order_no,
    note: r.note,
    createdBy: intOrNull(r.created_by),
    createdAt: int(r.created_at),
    confirmedAt: intOrNull(r.confirmed_at),
    cancelledAt: intOrNull(r.cancelled_at),
    version: int(r.version),
  };
}

export interface BookingFilter {
  bookingNo?: string;
  payerId?: string;
  statuses?: BookingStatus[];
  serviceTypes?: ServiceType[];
}

export type BookingPatch = Pick<Booking, 'status'> & Partial<Pick<Booking, 'confirmedAt' | 'cancelledAt'>>;

export class BookingRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
    private readonly lockRows: boolean,
  ) {}

  async insert(b: Omit<Booking, 'version'>): Promise<void> {
    const row: Omit<BookingRow, 'id'> = {
      booking_no: b.bookingNo, payer_id: b.payerId, guest_name: b.guestName, service_type: b.serviceType, appointment_at: b.appointmentAt,
      total_fen: b.totalFen, deposit_fen: b.depositFen, deposit_ratio_bp: b.depositRatioBp, status: b.status, deposit_order_no: b.depositOrderNo,
      note: b.note, created_by: b.createdBy, created_at: b.createdAt, confirmed_at: b.confirmedAt, cancelled_at: b.cancelledAt,
      version: 1, updated_seq: this.nextSeq(),
    };
    await this.em.createQueryBuilder().insert().into(BookingEntity).values(row).execute();
  }

  async findByNo(bookingNo: string, opts: { forUpdate?: boolean } = {}): Promise<Booking | null> {
    return this.findBy('booking_no', bookingNo, opts.forUpdate);
  }

  async findByDepositOrder(orderNo: string, opts: { forUpdate?: boolean } = {}): Promise<Booking | null> {
    return this.findBy('deposit_order_no', orderNo, opts.forUpdate);
  }

  /** The bookings behind several deposit orders in one read (locked on MySQL with `forUpdate`), keyed by deposit order number. */
  async findByDepositOrders(orderNos: readonly string[], opts: { forUpdate?: boolean } = {}): Promise<Map<string, Booking>> {
    const out = new Map<string, Booking>();
    const nos = [...new Set(orderNos)].sort();
    if (!nos.length) return out;
    const qb = this.em.createQueryBuilder(BookingEntity, 'b').where('b.deposit_order_no IN (:...nos)', { nos }).orderBy('b.deposit_order_no');
    if (opts.forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    for (const row of await qb.getMany()) out.set(row.deposit_order_no, fromRow(row));
    return out;
  }

  private async findBy(column: 'booking_no' | 'deposit_order_no', value: string, forUpdate = false): Promise<Booking | null> {
    const qb = this.em.createQueryBuilder(BookingEntity, 'b').where(`b.${column} = :value`, { value });
    if (forUpdate && this.lockRows) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    return row ? fromRow(row) : null;
  }

  async list(f: BookingFilter, page: number, pageSize: number): Promise<Page<Booking>> {
    const qb = this.em.createQueryBuilder(BookingEntity, 'b');
    if (f.bookingNo) qb.andWhere('b.booking_no = :no', { no: f.bookingNo });
    if (f.payerId) qb.andWhere('b.payer_id = :payer', { payer: f.payerId });
    if (f.statuses?.length) qb.andWhere('b.status IN (:...statuses)', { statuses: f.statuses });
    if (f.serviceTypes?.length) qb.andWhere('b.service_type IN (:...types)', { types: f.serviceTypes });
    const [rows, total] = await qb.orderBy('b.created_at', 'DESC').addOrderBy('b.id', 'DESC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(fromRow), total, page, pageSize };
  }

  /** The deposit order is created right after its booking (it quotes the booking number), in the same transaction. */
  async attachDepositOrder(bookingNo: string, orderNo: string): Promise<void> {
    await this.em.createQueryBuilder().update(BookingEntity).set({ deposit_order_no: orderNo }).where('booking_no = :bookingNo', { bookingNo }).execute();
  }

  async update(bookingNo: string, version: number, patch: BookingPatch): Promise<void> {
    const set: Partial<BookingRow> = { status: patch.status, version: version + 1, updated_seq: this.nextSeq() };
    if (patch.confirmedAt !== undefined) set.confirmed_at = patch.confirmedAt;
    if (patch.cancelledAt !== undefined) set.cancelled_at = patch.cancelledAt;
    const res = await this.em.createQueryBuilder().update(BookingEntity).set(set).where('booking_no = :bookingNo AND version = :version', { bookingNo, version }).execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }
}
