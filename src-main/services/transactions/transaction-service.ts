import { DomainError } from '../../core/errors';
import type { Page, PageRequest } from '../../core/orders/order';
import type { DailyTrendPoint, Transaction, TransactionFilter, TransactionSortField, TransactionStats } from '../../core/transactions/transaction';
import type { Store } from '../../db/store';

/** Transactions (交易记录, design document 4.2): queries and period statistics, read-only here. */
export class TransactionService {
  constructor(private readonly store: Store) {}

  async get(transactionNo: string): Promise<Transaction> {
    const t = await this.store.read((r) => r.transactions.findByNo(transactionNo));
    if (!t) throw new DomainError('TRANSACTION_NOT_FOUND', `交易 ${transactionNo} 不存在`);
    return t;
  }

  list(filter: TransactionFilter, page: PageRequest<TransactionSortField>): Promise<Page<Transaction>> {
    return this.store.read((r) => r.transactions.list(filter, page));
  }

  async stats(from: number, to: number): Promise<TransactionStats> {
    if (!(to > from)) throw new DomainError('RANGE_INVALID', '统计区间的结束时间必须晚于开始时间');
    return this.store.read((r) => r.transactions.stats(from, to));
  }

  async trend(from: number, to: number): Promise<DailyTrendPoint[]> {
    if (!(to > from)) throw new DomainError('RANGE_INVALID', '统计区间的结束时间必须晚于开始时间');
    if (to - from > 366 * 86_400_000) throw new DomainError('RANGE_TOO_LONG', '趋势统计区间最长一年');
    return this.store.read((r) => r.transactions.dailyTrend(from, to));
  }
}
