import { DomainError } from '../../core/errors';

/** Someone else saved the row first (optimistic locking on `version`). */
export class ConcurrentUpdateError extends DomainError {
  constructor() {
    super('CONCURRENT_UPDATE', '数据已被他人修改，请刷新后重试');
  }
}
