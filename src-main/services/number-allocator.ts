import { randomInt } from 'node:crypto';
import { businessNumber, type NumberKind, type RandomInt } from '../core/ids';
import { isUniqueViolation } from '../db/db-errors';

/**
 * Inserts a row under a fresh business number, drawing again when the unique index says the number
 * is taken (two orders in the same second with the same six random digits). Random digits come from
 * the CSPRNG so numbers cannot be guessed from each other.
 */
export class NumberAllocator {
  constructor(private readonly random: RandomInt = (bound) => randomInt(bound)) {}

  async insertWithFreshNumber<T>(kind: NumberKind, at: number, insert: (no: string) => Promise<T>, attempts = 5): Promise<T> {
    for (let i = 1; ; i++) {
      const no = businessNumber(kind, at, this.random);
      try {
        return await insert(no);
      } catch (e) {
        if (!isUniqueViolation(e) || i >= attempts) throw e;
      }
    }
  }
}
