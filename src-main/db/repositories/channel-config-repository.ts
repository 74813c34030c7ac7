import type { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../db-errors';
import { ChannelConfigEntity, type ChannelConfigRow } from '../entities/channel-config-entity';
import { ConcurrentUpdateError } from './concurrency';

/** A channel configuration as stored: the JSON columns still as text, secrets still sealed. */
export type StoredChannelConfig = Omit<ChannelConfigRow, 'updated_seq'>;

export type ChannelConfigWrite = Omit<ChannelConfigRow, 'version' | 'updated_seq'>;

export class ChannelConfigRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly nextSeq: () => number,
  ) {}

  async get(platform: string): Promise<StoredChannelConfig | null> {
    return (await this.em.findOne(ChannelConfigEntity, { where: { platform } })) ?? null;
  }

  all(): Promise<StoredChannelConfig[]> {
    return this.em.find(ChannelConfigEntity, { order: { platform: 'ASC' } });
  }

  /** Writes the row; `expectedVersion` null means it must not exist yet. Returns the new version. */
  async save(row: ChannelConfigWrite, expectedVersion: number | null): Promise<number> {
    if (expectedVersion === null) {
      await this.em
        .createQueryBuilder()
        .insert()
        .into(ChannelConfigEntity)
        .values({ ...row, version: 1, updated_seq: this.nextSeq() })
        .execute()
        .catch((e: unknown) => {
          // Two administrators creating the same platform's row at once: the second one is told to reload.
          if (isUniqueViolation(e)) throw new ConcurrentUpdateError();
          throw e;
        });
      return 1;
    }
    const { platform, ...fields } = row;
    const res = await this.em
      .createQueryBuilder()
      .update(ChannelConfigEntity)
      .set({ ...fields, version: expectedVersion + 1, updated_seq: this.nextSeq() })
      .where('platform = :platform AND version = :version', { platform, version: expectedVersion })
      .execute();
    if (res.affected !== 1) throw new ConcurrentUpdateError();
    return expectedVersion + 1;
  }
}
