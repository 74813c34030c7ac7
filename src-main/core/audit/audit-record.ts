/**
 * The audit log is a hash chain: each entry's hash covers its own canonical content and the
 * previous entry's hash, keyed with an HMAC key only the main process holds. Removing, reordering
 * or editing any entry breaks every link after it. This file defines the canonical content; the
 * keyed hash itself is computed by security/audit-chain (node:crypto).
 */
export interface AuditContent {
  seq: number;
  at: number;
  actorId: number | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  before: string | null;
  after: string | null;
  prevHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Stable serialization: a fixed field order and JSON escaping, so the same entry always hashes the same. */
export function canonicalAuditContent(c: AuditContent): string {
  return JSON.stringify([
    c.seq,
    c.at,
    c.actorId,
    c.actorName,
    c.action,
    c.entityType,
    c.entityId,
    c.before,
    c.after,
    c.prevHash,
  ]);
}

/** Produces a JSON snapshot with keys in sorted order, so that `before`/`after` diff cleanly. */
export function snapshot(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
