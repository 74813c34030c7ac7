/** Recognizes a unique-key violation on either store, so callers can retry with a new number. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const d = err?.driverError ?? err;
  return d?.code === 'SQLITE_CONSTRAINT_UNIQUE' || d?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || d?.code === 'ER_DUP_ENTRY' || d?.errno === 1062;
}

/** MySQL chose this transaction as a deadlock victim (it was rolled back; running it again is safe). */
export function isDeadlock(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const d = err?.driverError ?? err;
  return d?.code === 'ER_LOCK_DEADLOCK' || d?.errno === 1213;
}
