import { GENESIS_HASH } from '../../core/audit/audit-record';
import type { Page } from '../../core/orders/order';
import type { AuditEntry, AuditFilter, AuditHasher } from '../../db/repositories/audit-repository';
import type { Store } from '../../db/store';

export type ChainVerdict =
  | { ok: true; checked: number; headSeq: number }
  | { ok: false; checked: number; brokenAtSeq: number; reason: string };

/** Reads the audit log and proves it untouched (design document 5.3.2). */
export class AuditService {
  constructor(
    private readonly store: Store,
    private readonly hasher: AuditHasher,
  ) {}

  list(filter: AuditFilter, page: number, pageSize: number): Promise<Page<AuditEntry>> {
    return this.store.read((r) => r.audit.list(filter, page, pageSize));
  }

  actions(): Promise<string[]> {
    return this.store.read((r) => r.audit.actions());
  }

  /** Walks the chain from the start and returns the first entry whose link or hash does not hold. */
  async verify(chunkSize = 2000): Promise<ChainVerdict> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const entries: AuditEntry[] = await this.store.read((r) => r.audit.chunk(expectedSeq - 1, chunkSize));
      for (const e of entries) {
        if (e.seq !== expectedSeq) return { ok: false, checked, brokenAtSeq: expectedSeq, reason: `缺少第 ${expectedSeq} 条记录` };
        if (e.prevHash !== prevHash) return { ok: false, checked, brokenAtSeq: e.seq, reason: '与上一条记录的链接不一致' };
        const { hash, ...content } = e;
        if (this.hasher(content) !== hash) return { ok: false, checked, brokenAtSeq: e.seq, reason: '记录内容被修改' };
        prevHash = hash;
        expectedSeq++;
        checked++;
      }
      if (entries.length < chunkSize) break;
    }
    const head = await this.store.read((r) => r.audit.head());
    if (head.seq !== checked || head.hash !== prevHash)
      return { ok: false, checked, brokenAtSeq: checked + 1, reason: '日志末尾的记录被删除' };
    return { ok: true, checked, headSeq: head.seq };
  }
}
