import type { z } from 'zod';
import { adminChannels } from './admin';
import { approvalsChannels } from './approvals';
import { auditChannels } from './audit';
import { batchesChannels } from './batches';
import { bookingsChannels } from './bookings';
import type { ChannelSpec } from './channel';
import { channelsChannels } from './channels';
import type { ChannelName } from './channel-names';
import { mealBillsChannels } from './meal-bills';
import { opsChannels } from './operations';
import { ordersChannels } from './orders';
import { paymentsChannels } from './payments';
import { reconChannels } from './reconciliation';
import { refundsChannels } from './refunds';
import type { Result } from './result';
import { salaryChannels } from './salary';
import { settingsChannels } from './settings';
import { suppliersChannels } from './suppliers';
import { transactionsChannels } from './transactions';
import { vouchersChannels } from './vouchers';

/**
 * The one typed contract between the renderer and the main process: channel → input schema,
 * access, handler. Both hosts dispatch through it, the preload is typed from it.
 */
export const contract = {
  ...adminChannels,
  ...ordersChannels,
  ...transactionsChannels,
  ...paymentsChannels,
  ...auditChannels,
  ...settingsChannels,
  ...channelsChannels,
  ...opsChannels,
  ...bookingsChannels,
  ...mealBillsChannels,
  ...suppliersChannels,
  ...vouchersChannels,
  ...refundsChannels,
  ...approvalsChannels,
  ...reconChannels,
  ...batchesChannels,
  ...salaryChannels,
};

export type Contract = typeof contract;

// Compile-time proof that channel-names.ts and the contract list the same channels.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameChannels: Same<keyof Contract, ChannelName> = true;
void sameChannels;

type SpecOf<K extends ChannelName> = Contract[K] extends ChannelSpec<infer I, infer O> ? { input: I; output: O } : never;

/** What the caller sends (before defaults and transforms). */
export type ChannelInput<K extends ChannelName> = z.input<SpecOf<K>['input']>;
/** What the caller receives on success. */
export type ChannelOutput<K extends ChannelName> = Awaited<SpecOf<K>['output']>;

/** The API the renderer sees as `window.pay`: one generic call, typed per channel. */
export interface PayApi {
  call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<Result<ChannelOutput<K>>>;
}

export type { ChannelName } from './channel-names';
export type { Result, ApiError } from './result';
