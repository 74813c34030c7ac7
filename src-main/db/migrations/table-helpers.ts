import type { TableColumnOptions } from 'typeorm';

/** Column builders for migrations: the same declarations yield the right types on SQLite and MySQL. */
export const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };

export const big = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'bigint', ...extra });

export const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});

export const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'text', ...extra });

/** `version` (optimistic lock) and `updated_seq` (sync cursor): on every mutable row. */
export const rowVersion: TableColumnOptions[] = [{ name: 'version', type: 'int', default: 1 }, big('updated_seq', { default: 0 })];
