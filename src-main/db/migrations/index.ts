import { InitialSchema1764100000000 } from './1764100000000-initial-schema';
import { PaymentsIn1764200000000 } from './1764200000000-payments-in';
import { WorkLeases1764250000000 } from './1764250000000-work-leases';
import { ChannelConfigs1764300000000 } from './1764300000000-channel-configs';
import { LogsOutboxAlerts1764500000000 } from './1764500000000-logs-outbox-alerts';
import { StaysAndBookings1764400000000 } from './1764400000000-stays-and-bookings';
import { MoneyOutPermissions1764600000000 } from './1764600000000-money-out-permissions';
import { Approvals1764610000000 } from './1764610000000-approvals';
import { Refunds1764620000000 } from './1764620000000-refunds';
import { Suppliers1764630000000 } from './1764630000000-suppliers';
import { Reconciliation1764700000000 } from './1764700000000-reconciliation';
import { ReconPermissions1764700000001 } from './1764700000001-recon-permissions';
import { PayoutBatches1764800000000 } from './1764800000000-payout-batches';
import { BatchPermissions1764800000001 } from './1764800000001-batch-permissions';
import { Salary1764810000000 } from './1764810000000-salary';
import { SalaryPermissions1764810000001 } from './1764810000001-salary-permissions';
import { ReconIndexes1764820000000 } from './1764820000000-recon-indexes';
import { OfflineOutbox1764830000000 } from './1764830000000-offline-outbox';

/** Every migration this build knows, oldest first. A database that ran one not listed here is newer than us. */
export const MIGRATIONS = [InitialSchema1764100000000, PaymentsIn1764200000000, WorkLeases1764250000000, ChannelConfigs1764300000000, StaysAndBookings1764400000000, LogsOutboxAlerts1764500000000, MoneyOutPermissions1764600000000, Approvals1764610000000, Refunds1764620000000, Suppliers1764630000000, Reconciliation1764700000000, ReconPermissions1764700000001, PayoutBatches1764800000000, BatchPermissions1764800000001, Salary1764810000000, SalaryPermissions1764810000001, ReconIndexes1764820000000, OfflineOutbox1764830000000];
