import type { EntityManager } from 'typeorm';
import { SettingEntity } from '../entities/setting-entity';
import { ConcurrentUpdateError } from './concurrency';

export interface StoredSetting {
  key: string;
  value: unknown;
  version: number;
  updatedAt: number;
}

export class SettingRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
  ) {}

  async get(key: string): Promise<StoredSetting | null> {
    const row = await this.em.findOne(SettingEntity, { where: { key } });
    return row ? { key: row.key, value: JSON.parse(row.value_json) as unknown, version: row.version, updatedAt: row.updated_at } : null;
  }

  async all(): Promise<StoredSetting[]> {
    const rows = await this.em.find(SettingEntity);
    return rows.map((row) => ({ key: row.key, value: JSON.parse(row.value_json) as unknown, version: row.version, updatedAt: row.updated_at }));
  }

  /** Writes a value; `expectedVersion` null means the key must not exist yet. */
  async put(key: string, value: unknown, expectedVersion: number | null, at: number): Promise<void> {
    const value_json = JSON.stringify(value);
    if (expectedVersion === null) {
      await this.em.createQueryBuilder().insert().into(SettingEntity).values({ key, value_json, updated_at: at, version: 1, updated_seq: this.nextSeq() }).execute();
      return;
    }
    const res = await this.em
      .createQueryBuilder()
      .update(SettingEntity)
      .set({ value_json, updated_at: at, version: expectedVersion + 1, updated_seq: this.nextSeq() })
      .where('`key` = :key AND version = :version', { key, version: expectedVersion })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
  }
}
