/**
 * The channel names, with no imports: the preload bundles this list (and nothing of the main
 * process) to refuse unknown channels before they reach IPC. contract.ts proves at compile time
 * that this list and the contract are the same set.
 */
export const CHANNEL_NAMES = [
  'auth.status',
  'auth.setup',
  'auth.login',
  'auth.logout',
  'auth.changePassword',
  'users.list',
  'users.create',
  'users.update',
  'users.resetPassword',
  'roles.list',
  'meta.vocabulary',
  'orders.create',
  'orders.list',
  'orders.get',
  'orders.cancel',
  'transactions.list',
  'transactions.get',
  'transactions.stats',
  'transactions.trend',
  'payments.start',
  'payments.sync',
  'payments.exceptions',
  'audit.list',
  'audit.actions',
  'audit.verify',
  'settings.getOrderRules',
  'settings.updateOrderRules',
  'channels.get',
  'channels.update',
  'channels.addKey',
  'channels.retireKey',
  'channels.removeKey',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];
