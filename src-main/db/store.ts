import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../core/time';
import { ApprovalRepository } from './repositories/approval-repository';
import { AuditRepository, type AuditHasher } from './repositories/audit-repository';
import { BookingRepository } from './repositories/booking-repository';
import { ChannelConfigRepository } from './repositories/channel-config-repository';
import { InboxRepository } from './repositories/inbox-repository';
import { AlertRepository } from './repositories/alert-repository';
import { LogRepository } from './repositories/log-repository';
import { OutboxRepository } from './repositories/outbox-repository';
import { MealBillRepository } from './repositories/meal-bill-repository';
import { OrderClaims, OrderRepository } from './repositories/order-repository';
import { PaymentRepository } from './repositories/payment-repository';
import { RefundRepository } from './repositories/refund-repository';
import { SettingRepository } from './repositories/setting-repository';
import { SupplierPaymentClaims, SupplierRepository } from './repositories/supplier-repository';
import { VoucherRepository } from './repositories/voucher-repository';
import { TransactionRepository } from './repositories/transaction-repository';
import { UserRepository } from './repositories/user-repository';

/** The repositories of one unit of work. Everything written through one `Tx` commits or rolls back together. */
export interface Tx {
  orders: OrderRepository;
  claims: OrderClaims;
  transactions: TransactionRepository;
  users: UserRepository;
  settings: SettingRepository;
  audit: AuditRepository;
  payments: PaymentRepository;
  inbox: InboxRepository;
  channelConfigs: ChannelConfigRepository;
  logs: LogRepository;
  alerts: AlertRepository;
  outbox: OutboxRepository;
  bookings: BookingRepository;
  mealBills: MealBillRepository;
  suppliers: SupplierRepository;
  supplierPaymentClaims: SupplierPaymentClaims;
  vouchers: VoucherRepository;
  approvals: ApprovalRepository;
  refunds: RefundRepository;
}

/**
 * `updated_seq` is a hybrid logical clock (epoch-µs, strictly increasing within the process): the
 * sync issue pulls "rows changed since cursor" from it, and a plain counter row would serialize
 * every writer on MySQL.
 */
export class SeqClock {
  private last = 0;
  constructor(private readonly clock: Clock) {}
  next(): number {
    const candidate = this.clock.now() * 1000;
    this.last = candidate > this.last ? candidate : this.last + 1;
    return this.last;
  }
}

/** Serializes async work: better-sqlite3 has one connection, so SQLite transactions must not interleave. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class Store {
  readonly kind: 'sqlite' | 'mysql';
  private readonly seq: SeqClock;
  private readonly writer = new Mutex();

  constructor(
    readonly dataSource: DataSource,
    private readonly hasher: AuditHasher,
    clock: Clock,
  ) {
    this.kind = dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
    this.seq = new SeqClock(clock);
  }

  private repos(em: EntityManager, inTransaction = false): Tx {
    const next = () => this.seq.next();
    const lock = this.kind === 'mysql';
    return {
      orders: new OrderRepository(em, next, lock),
      claims: new OrderClaims(em, lock),
      transactions: new TransactionRepository(em, next),
      users: new UserRepository(em, next, lock),
      settings: new SettingRepository(em, next),
      audit: new AuditRepository(em, this.hasher, lock, next, inTransaction),
      payments: new PaymentRepository(em, next),
      inbox: new InboxRepository(em, next, lock),
      channelConfigs: new ChannelConfigRepository(em, next),
      logs: new LogRepository(em),
      alerts: new AlertRepository(em, next, lock),
      outbox: new OutboxRepository(em, next, lock),
      bookings: new BookingRepository(em, next, lock),
      mealBills: new MealBillRepository(em, next, lock),
      suppliers: new SupplierRepository(em, next, lock),
      supplierPaymentClaims: new SupplierPaymentClaims(em, lock),
      vouchers: new VoucherRepository(em, next, lock),
      approvals: new ApprovalRepository(em, next, lock),
      refunds: new RefundRepository(em, next, lock),
    };
  }

  /**
   * Reads outside a transaction (lists, details, statistics). On SQLite they queue behind running
   * transactions: the single connection would otherwise show a reader rows that are later rolled back.
   */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const run = () => work(this.repos(this.dataSource.manager));
    return this.kind === 'sqlite' ? this.writer.run(run) : run();
  }

  /** One unit of work; its audit entries are linked into the chain as its last step before COMMIT (AuditRepository.flush). */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const run = () =>
      this.dataSource.transaction(async (em) => {
        const tx = this.repos(em, true);
        const result = await work(tx);
        await tx.audit.flush();
        return result;
      });
    return this.kind === 'sqlite' ? this.writer.run(run) : run();
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
