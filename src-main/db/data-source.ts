import { DataSource } from 'typeorm';
import { ApprovalDecisionEntity, ApprovalRequestEntity, ApprovalRuleEntity } from './entities/approval-entities';
import { AuditEntity, AuditHeadEntity } from './entities/audit-entity';
import { BookingEntity } from './entities/booking-entity';
import { ChannelConfigEntity } from './entities/channel-config-entity';
import { MealBillEntity, MealBillInvoiceEntity, MealBillItemEntity } from './entities/meal-bill-entities';
import { OrderEntity } from './entities/order-entity';
import { AlertEntity, OutboxEntity, SystemLogEntity } from './entities/ops-entities';
import { InboxEntity, PaymentExceptionEntity, PaymentRequestEntity } from './entities/payment-entities';
import { RefundEntity } from './entities/refund-entity';
import { PayoutBatchEntity, PayoutBatchItemEntity } from './entities/batch-entities';
import { EmployeeEntity } from './entities/employee-entity';
import { SalaryLineEntity, SalarySheetEntity, SupplierTermAllocationEntity, SupplierTermRunEntity } from './entities/salary-entities';
import { SettingEntity } from './entities/setting-entity';
import { PayableEntity, SupplierEntity, SupplierPaymentEntity, SupplierPaymentPayableEntity, VoucherCounterEntity, VoucherEntity } from './entities/supplier-entities';
import { TransactionEntity } from './entities/transaction-entity';
import { RoleEntity, RolePermissionEntity, UserEntity } from './entities/user-entity';
import { MIGRATIONS } from './migrations';

/** Where the data lives: the embedded SQLite file (default, offline cache) or the central MySQL/MariaDB. */
export type StoreConfig =
  | { kind: 'sqlite'; path: string; /** better-sqlite3 built for Electron's ABI (see tools/electron-native.mjs). */ nativeBinding?: string }
  | { kind: 'mysql'; url: string };

export const ENTITIES = [
  UserEntity,
  RoleEntity,
  RolePermissionEntity,
  OrderEntity,
  TransactionEntity,
  AuditEntity,
  AuditHeadEntity,
  SettingEntity,
  PaymentRequestEntity,
  InboxEntity,
  PaymentExceptionEntity,
  ChannelConfigEntity,
  SystemLogEntity,
  AlertEntity,
  OutboxEntity,
  BookingEntity,
  MealBillEntity,
  MealBillItemEntity,
  MealBillInvoiceEntity,
  SupplierEntity,
  PayableEntity,
  SupplierPaymentEntity,
  SupplierPaymentPayableEntity,
  VoucherEntity,
  VoucherCounterEntity,
  ApprovalRuleEntity,
  ApprovalRequestEntity,
  ApprovalDecisionEntity,
  RefundEntity,
  PayoutBatchEntity,
  PayoutBatchItemEntity,
  EmployeeEntity,
  SalarySheetEntity,
  SalaryLineEntity,
  SupplierTermRunEntity,
  SupplierTermAllocationEntity,
];

export function makeDataSource(config: StoreConfig): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false as const };
  if (config.kind === 'sqlite')
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: config.path,
      ...(config.nativeBinding ? { nativeBinding: config.nativeBinding } : {}),
      // WAL lets the UI read while the scheduler writes; NORMAL sync is durable across app crashes.
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 5000');
      },
    });
  return new DataSource({
    ...common,
    type: 'mysql',
    url: config.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    poolSize: 10,
    // No stack captured by mysql2 for every query (its `trace`): a failed statement still throws TypeORM's QueryFailedError with the caller's stack.
    trace: false,
    // A unit of work's statements sent together travel as one multi-statement query (db/statement-coalescing.ts).
    // Every statement is parameterized and escaped by the driver; no SQL text is ever built from input.
    multipleStatements: true,
  });
}

export class SchemaTooNewError extends Error {}

/** Opens the store and brings its schema up to date, refusing a database written by a newer build. */
export async function openDataSource(config: StoreConfig): Promise<DataSource> {
  const ds = makeDataSource(config);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const known = new Set(MIGRATIONS.map((m) => m.name));
    const ran = (await ds.query('SELECT name FROM migrations')) as { name: string }[];
    const unknown = ran.map((r) => r.name).filter((n) => !known.has(n));
    if (unknown.length)
      throw new SchemaTooNewError(`数据库由更新版本的支付中心创建（未知迁移：${unknown.join(', ')}），请升级本程序`);
  } catch (e) {
    await ds.destroy();
    throw e;
  }
  return ds;
}
