import type { EntitySchemaColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Column helpers shared by every entity, so that both stores agree on types. BIGINT comes back from
 * mysql2 as a string (TypeORM turns on bigNumberStrings); fen and epoch-milliseconds are well inside
 * 2^53, so we read them back as numbers and refuse anything that is not a safe integer.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => {
    if (v === null || v === undefined) return v;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT out of safe range: ${String(v)}`);
    return n;
  },
};

export const fenColumn = (opts: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({
  type: 'bigint',
  transformer: bigintAsNumber,
  ...opts,
});

/** UTC instant in epoch milliseconds: one representation on both stores, no zone conversions. */
export const instantColumn = (opts: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({
  type: 'bigint',
  transformer: bigintAsNumber,
  ...opts,
});

/** Optimistic lock and sync cursor carried by every mutable row. */
export const rowVersionColumns = {
  version: { type: 'int', default: 1 } satisfies EntitySchemaColumnOptions,
  updated_seq: { type: 'bigint', transformer: bigintAsNumber, default: 0 } satisfies EntitySchemaColumnOptions,
};
