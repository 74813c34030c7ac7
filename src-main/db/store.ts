import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Clock } from '../core/time';
import { ApprovalRepository } from './repositories/approval-repository';
import { AuditRepository, type AuditHasher } from './repositories/audit-repository';
import { BatchItemClaims, BatchRepository } from './repositories/batch-repository';
import { BookingRepository } from './repositories/booking-repository';
import { ChannelConfigRepository } from './repositories/channel-config-repository';
import { InboxRepository } from './repositories/inbox-repository';
import { AlertRepository } from './repositories/alert-repository';
import { LogRepository } from './repositories/log-repository';
import { OutboxRepository } from './repositories/outbox-repository';
import { MealBillRepository } from './repositories/meal-bill-repository';
import { OrderClaims, OrderRepository } from './repositories/order-repository';
import { PaymentRepository } from './repositories/payment-repository';
import { ReconRepository } from './repositories/recon-repository';
import { ReconReportRepository } from './repositories/recon-report-repository';
import { RefundRepository } from './repositories/refund-repository';
import { SalaryRepository } from './repositories/salary-repository';
import { SupplierTermsRepository } from './repositories/salary-terms-repository';
import { SettingRepository } from './repositories/setting-repository';
import { SupplierPaymentClaims, SupplierRepository } from './repositories/supplier-repository';
import { VoucherRepository } from './repositories/voucher-repository';
import { TransactionRepository } from './repositories/transaction-repository';
import { UserRepository } from './repositories/user-repository';
import { coalesceStatements } from './statement-coalescing';

/** `PAY_MYSQL_COALESCE=0` sends every statement of a MySQL unit of work on its own (for comparison in the benchmark). */
const COALESCE_STATEMENTS = process.env.PAY_MYSQL_COALESCE !== '0';

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
  recon: ReconRepository;
  /** 批量付款任务 and their items (issue 7). */
  batches: BatchRepository;
  /** Executor leases on batch items (FOR UPDATE SKIP LOCKED). */
  batchClaims: BatchItemClaims;
  /** 员工, 薪资表 and their lines (issue 7). */
  salary: SalaryRepository;
  /** Supplier batches drafted by contract payment terms: the daily runs and the payable amounts each batch holds. */
  supplierTerms: SupplierTermsRepository;
  /** 对账报表 queries and the workbench's bulk writes (beside the runs' own repository). */
  reconReports: ReconReportRepository;
  /**
   * Sends a write without waiting for its answer (the batched notification path): the statements
   * that follow go out behind it on the same connection instead of one round trip later. The store
   * waits for every deferred write before COMMIT and fails the unit of work with the first error
   * (so it rolls back). Only for writes that nothing later in the same unit of work reads back or
   * depends on: statements reach the connection in call order only when they take the same path.
   */
  defer(write: Promise<unknown>): void;
}

/** The writes of one unit of work sent without waiting (Tx.defer). */
class Deferred {
  private pending: Promise<void>[] = [];
  private failure: { error: unknown } | null = null;
  add(write: Promise<unknown>): void {
    // A handler at once: a write failing while the work awaits something else is not an unhandled rejection.
    this.pending.push(write.then(() => undefined, (error: unknown) => void (this.failure ??= { error })));
  }
  /** Waits until every deferred write has answered; throws the first failure. */
  async drain(): Promise<void> {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
    if (this.failure) throw this.failure.error;
  }
  /** Waits until every deferred write has answered, whatever the answer (before a rollback). */
  async settle(): Promise<void> {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
  }
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
  /** Connections on their way back to the pool (mysqlTransaction). */
  private readonly restoring = new Set<Promise<void>>();

  constructor(
    readonly dataSource: DataSource,
    private readonly hasher: AuditHasher,
    clock: Clock,
  ) {
    this.kind = dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
    this.seq = new SeqClock(clock);
  }

  private repos(em: EntityManager, inTransaction = false, deferred = new Deferred()): Tx {
    const next = () => this.seq.next();
    const lock = this.kind === 'mysql';
    const defer = (w: Promise<unknown>) => deferred.add(w);
    return {
      defer,
      orders: new OrderRepository(em, next, lock),
      claims: new OrderClaims(em, lock),
      transactions: new TransactionRepository(em, next),
      users: new UserRepository(em, next, lock),
      settings: new SettingRepository(em, next),
      audit: new AuditRepository(em, this.hasher, lock, next, inTransaction, defer),
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
      recon: new ReconRepository(em, next, lock),
      batches: new BatchRepository(em, next, lock),
      batchClaims: new BatchItemClaims(em, lock),
      salary: new SalaryRepository(em, next, lock),
      supplierTerms: new SupplierTermsRepository(em, next, lock),
      reconReports: new ReconReportRepository(em, next, lock),
    };
  }

  /**
   * Reads outside a transaction (lists, details, statistics). On SQLite they queue behind running
   * transactions: the single connection would otherwise show a reader rows that are later rolled back.
   */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const run = async () => {
      const deferred = new Deferred();
      try {
        const result = await work(this.repos(this.dataSource.manager, false, deferred));
        await deferred.drain();
        return result;
      } finally {
        await deferred.settle();
      }
    };
    return this.kind === 'sqlite' ? this.writer.run(run) : run();
  }

  /** One unit of work; its audit entries are linked into the chain as its last step before COMMIT (AuditRepository.flush). */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.kind === 'mysql') return this.mysqlTransaction(work);
    return this.writer.run(() =>
      this.dataSource.transaction(async (em) => {
        const deferred = new Deferred();
        try {
          const tx = this.repos(em, true, deferred);
          const result = await work(tx);
          await tx.audit.flush(true);
          await deferred.drain();
          return result;
        } finally {
          await deferred.settle();
        }
      }),
    );
  }

  /**
   * A MySQL unit of work on one pooled connection. It opens with `SET autocommit = 0` sent without
   * waiting (the first statement of the work goes out right behind it) instead of an awaited START
   * TRANSACTION — and that is also what makes deferred writes safe: when InnoDB rolls a transaction
   * back on a deadlock, the statements already queued behind the failed one run in a new implicit
   * transaction (autocommit off), never committed on their own; the ROLLBACK discards them. The
   * commit (`SET autocommit = 1`) is sent only once every statement has answered without error. The
   * connection goes back to the pool with autocommit on again, or is closed if that cannot be made sure.
   */
  private async mysqlTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    const connection: unknown = await qr.connect();
    // The statements sent together (Tx.defer, the reads sent in one go) travel as one multi-statement query.
    const stopCoalescing = COALESCE_STATEMENTS ? coalesceStatements(connection) : () => undefined;
    // TypeORM's own state as startTransaction leaves it, so nothing TypeORM runs inside opens a transaction of its own.
    const state = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
    state.isTransactionActive = true;
    state.transactionDepth = 1;
    const deferred = new Deferred();
    deferred.add(qr.query('SET autocommit = 0'));
    let ended = false;
    let committed = false;
    try {
      const tx = this.repos(qr.manager, true, deferred);
      const result = await work(tx);
      await tx.audit.flush(true);
      await deferred.drain();
      // Turning autocommit back on commits the open transaction (an implicit COMMIT): one round trip
      // both ends the unit of work and leaves the connection ready for the pool.
      await qr.query('SET autocommit = 1');
      ended = true;
      committed = true;
      return result;
    } catch (e) {
      await deferred.settle();
      try {
        await qr.query('ROLLBACK');
        ended = true;
      } catch {
        // The connection is closed below: a transaction left open must not be committed by anyone.
      }
      throw e;
    } finally {
      stopCoalescing();
      state.isTransactionActive = false;
      state.transactionDepth = 0;
      if (committed) void qr.release().catch(() => undefined);
      else {
        // After a ROLLBACK, in the background: the caller has its answer already.
        const restoring = restoreAutocommit(qr, ended).finally(() => this.restoring.delete(restoring));
        this.restoring.add(restoring);
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.restoring);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Back to autocommit before the connection returns to the pool (turning it on would commit an open transaction: then close it instead). */
async function restoreAutocommit(qr: QueryRunner, ended: boolean): Promise<void> {
  const connection = (qr as unknown as { databaseConnection?: { destroy(): void } }).databaseConnection;
  try {
    if (!ended) throw new Error('transaction not ended');
    await qr.query('SET autocommit = 1');
  } catch {
    connection?.destroy();
  } finally {
    await qr.release().catch(() => undefined);
  }
}
