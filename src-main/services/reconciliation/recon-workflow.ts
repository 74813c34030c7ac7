import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { checkFen, formatYuan } from '../../core/money';
import { DIFF_TYPE_LABELS } from '../../core/reconciliation/recon-diff';
import { ADJUSTMENT_ACCOUNT_LABELS, DIFF_STATUS_LABELS } from '../../core/reconciliation/recon-vocabulary';
import type { Clock } from '../../core/time';
import type { DiffFilter, DiffResolution, DiffSortField, DiffStatus, ReconDiffDetail } from '../../db/repositories/recon-repository';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';
import type { PaymentService } from '../payments/payment-service';
import type { RefundService } from '../refunds/refund-service';
import { applyBulk, type BulkAction, type BulkConflictMode, type BulkResult, type BulkSelection } from './recon-bulk';

// The words live in the core vocabulary (served by meta.vocabulary); re-exported for the services that name them.
export { ADJUSTMENT_ACCOUNT_LABELS, DIFF_STATUS_LABELS };
export const DIFF_ACTIONS = ['requery', 'accept_platform', 'keep_local', 'refund_duplicate', 'adjust'] as const;
export type DiffActionKind = (typeof DIFF_ACTIONS)[number];
export const DIFF_ACTION_LABELS: Record<DiffActionKind, string> = {
  requery: '重新查询支付平台',
  accept_platform: '以平台记录为准',
  keep_local: '以本地记录为准',
  refund_duplicate: '重复付款退款',
  adjust: '调账',
};
export const ADJUSTMENT_ACCOUNTS = ['amount', 'fee', 'other'] as const;
export type AdjustmentAccount = (typeof ADJUSTMENT_ACCOUNTS)[number];

export type DiffAction =
  | { kind: 'requery' }
  | { kind: 'accept_platform'; reason: string }
  | { kind: 'keep_local'; reason: string }
  | { kind: 'refund_duplicate'; reason: string }
  | { kind: 'adjust'; account: AdjustmentAccount; amountFen: number; reason: string };

const auditDiff = (d: ReconDiffDetail) =>
  snapshot({ status: d.status, assigneeId: d.assigneeId, assigneeName: d.assigneeName, resolution: d.resolution, resolutionNote: d.resolutionNote, refundNo: d.refundNo });

const required = (text: string, what: string) => {
  const t = text.trim();
  if (!t) throw new DomainError('RECON_REASON_REQUIRED', `请填写${what}`);
  return t.slice(0, 512);
};

/**
 * 对账差异 workflow (issue 6, Differences workflow): each difference has a status (待处理 / 处理中 /
 * 已处理 / 已忽略), an assignee, notes and an action. Every change is audited in its transaction and
 * checked against the difference's version (two accountants on one difference: the second is told).
 * Money moves only through the services that own it: a missed payment is applied by querying the
 * platform (PaymentService.sync — what the platform confirms, nothing else), a duplicate payment is
 * registered as a 支付异常 and refunded through RefundService → the approval engine, and a 调账 is a
 * recon_adjustments row for the accounts (no money moves).
 */
export class ReconWorkflow {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly payments: PaymentService,
    private readonly refunds: RefundService,
  ) {}

  list(filter: DiffFilter, sortBy: DiffSortField, sortOrder: 'asc' | 'desc', page: number, pageSize: number) {
    return this.store.read((r) => r.recon.listDiffs(filter, sortBy, sortOrder, page, pageSize));
  }

  /** "Select all matching the filter": how many and how much, with the change mark a bulk action checks against. */
  select(filter: DiffFilter) {
    return this.store.read((r) => r.reconReports.selection(filter));
  }

  /** A bulk action on many differences: one transaction, one audit entry per difference and one for the bulk (recon-bulk.ts). */
  bulk(actor: Actor, selection: BulkSelection, action: BulkAction, mode: BulkConflictMode): Promise<BulkResult> {
    return this.store.transaction((tx) => applyBulk(tx, actor, this.clock.now(), selection, action, mode));
  }

  /** Who a difference may be assigned to: active users whose role may resolve differences. */
  async assignees(): Promise<{ id: number; displayName: string }[]> {
    return this.store.read(async (r) => {
      const users = (await r.users.list()).filter((u) => u.active);
      const may = new Map<string, boolean>();
      for (const role of new Set(users.map((u) => u.role))) may.set(role, (await r.users.permissionsOf(role)).includes('recon:resolve'));
      return users.filter((u) => may.get(u.role)).map((u) => ({ id: u.id, displayName: u.displayName }));
    });
  }

  /** The side panel: both sides record by record (the differing fields named in `fields`), notes, adjustments. */
  async get(id: number) {
    return this.store.read(async (r) => {
      const diff = await r.recon.diff(id);
      if (!diff) throw new DomainError('RECON_DIFF_NOT_FOUND', `对账差异 #${id} 不存在`);
      return { diff, typeLabel: DIFF_TYPE_LABELS[diff.type], notes: await r.recon.notes(id), adjustments: await r.recon.adjustments(id) };
    });
  }

  private async locked(tx: Tx, id: number, version?: number): Promise<ReconDiffDetail> {
    const d = await tx.recon.diff(id, { forUpdate: true });
    if (!d) throw new DomainError('RECON_DIFF_NOT_FOUND', `对账差异 #${id} 不存在`);
    if (version !== undefined && d.version !== version) throw new DomainError('CONCURRENT_UPDATE', '该差异已被他人处理，请刷新后重试');
    return d;
  }

  private async change(tx: Tx, actor: Actor, d: ReconDiffDetail, action: string, set: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
    const now = this.clock.now();
    await tx.recon.updateDiff(d.id, d.version, set, now);
    const after = (await tx.recon.diff(d.id))!;
    await tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'recon_diff', entityId: String(d.id), before: auditDiff(d), after: snapshot({ ...JSON.parse(auditDiff(after)), ...extra }) }, now);
  }

  async assign(actor: Actor, id: number, assigneeId: number | null, version?: number) {
    await this.store.transaction(async (tx) => {
      const d = await this.locked(tx, id, version);
      let name: string | null = null;
      if (assigneeId !== null) {
        const u = await tx.users.findById(assigneeId);
        if (!u || !u.active) throw new DomainError('USER_NOT_FOUND', '指派的用户不存在或已停用');
        name = u.displayName;
      }
      const status = d.status === 'open' && assigneeId !== null ? 'in_progress' : d.status;
      await this.change(tx, actor, d, 'recon.diff.assign', { assignee_id: assigneeId, assignee_name: name, status });
    });
    return this.get(id);
  }

  async note(actor: Actor, id: number, body: string) {
    const text = required(body, '备注内容').slice(0, 1000);
    await this.store.transaction(async (tx) => {
      await this.locked(tx, id);
      const now = this.clock.now();
      const note = await tx.recon.addNote(id, actor, text, now);
      await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'recon.diff.note', entityType: 'recon_diff', entityId: String(id), before: null, after: snapshot({ noteId: note.id, body: text }) }, now);
    });
    return this.get(id);
  }

  /** 待处理 / 处理中 / 已处理 / 已忽略 by hand; closing one (已处理, 已忽略) needs a reason. */
  async setStatus(actor: Actor, id: number, status: DiffStatus, reason: string | undefined, version?: number) {
    await this.store.transaction(async (tx) => {
      const d = await this.locked(tx, id, version);
      if (d.status === status) return;
      const closing = status === 'resolved' || status === 'ignored';
      const note = closing ? required(reason ?? '', status === 'ignored' ? '忽略原因' : '处理说明') : null;
      await this.change(tx, actor, d, 'recon.diff.status', {
        status,
        resolution: closing ? 'manual' : null,
        resolution_note: note,
        resolved_by_name: closing ? actor.name.slice(0, 64) : null,
        resolved_at: closing ? this.clock.now() : null,
      });
    });
    return this.get(id);
  }

  async act(actor: Actor, id: number, action: DiffAction, version?: number) {
    const d = await this.store.read(async (r) => r.recon.diff(id));
    if (!d) throw new DomainError('RECON_DIFF_NOT_FOUND', `对账差异 #${id} 不存在`);
    if (version !== undefined && d.version !== version) throw new DomainError('CONCURRENT_UPDATE', '该差异已被他人处理，请刷新后重试');
    if (d.status === 'resolved' || d.status === 'ignored') throw new DomainError('RECON_DIFF_CLOSED', `该差异已${DIFF_STATUS_LABELS[d.status]}，如需再处理请先改回处理中`);
    switch (action.kind) {
      case 'requery':
        return this.requery(actor, d);
      case 'accept_platform':
        return this.acceptPlatform(actor, d, required(action.reason, '处理说明'));
      case 'keep_local':
        return this.settle(actor, d, 'keep_local', required(action.reason, '以本地为准的理由'));
      case 'refund_duplicate':
        return this.refundDuplicate(actor, d, required(action.reason, '退款原因'));
      case 'adjust':
        return this.adjust(actor, d, action.account, action.amountFen, required(action.reason, '调账原因'));
    }
  }

  /** Closes the difference with `resolution` (or leaves it 处理中 when the money path is still under way). */
  private async settle(actor: Actor, d: ReconDiffDetail, resolution: DiffResolution, note: string, extra: Record<string, unknown> = {}, opts: { status?: DiffStatus; refundNo?: string } = {}) {
    await this.store.transaction(async (tx) => {
      // Re-read: a refund or a payment query ran between the check and here; the version guards the decision itself.
      const current = await this.locked(tx, d.id);
      if (current.status === 'resolved' || current.status === 'ignored') throw new DomainError('RECON_DIFF_CLOSED', '该差异已被他人处理，请刷新');
      const status = opts.status ?? 'resolved';
      await this.change(
        tx,
        actor,
        current,
        `recon.diff.${resolution}`,
        {
          status,
          resolution,
          resolution_note: note.slice(0, 512),
          resolved_by_name: status === 'resolved' ? actor.name.slice(0, 64) : null,
          resolved_at: status === 'resolved' ? this.clock.now() : null,
          ...(opts.refundNo ? { refund_no: opts.refundNo } : {}),
        },
        extra,
      );
    });
    return this.get(d.id);
  }

  /** 重新查询: asks the platform now; a payment or refund it confirms is applied by its own service. The difference goes to 处理中 with the answer as a note. */
  private async requery(actor: Actor, d: ReconDiffDetail) {
    let answer: string;
    if (d.kind === 'payment') {
      const status = await this.payments.sync(d.key);
      answer = status ? `平台状态：${status.state}${status.amountFen !== undefined ? `，金额 ${formatYuan(status.amountFen)}` : ''}` : '本系统未向平台发起过该笔支付，平台无可查询的交易';
    } else {
      const refund = await this.refunds.sync(d.key);
      answer = `退款状态：${refund.state}，金额 ${formatYuan(refund.amountFen)}`;
    }
    await this.store.transaction(async (tx) => {
      const current = await this.locked(tx, d.id);
      const now = this.clock.now();
      await tx.recon.addNote(d.id, actor, `重新查询支付平台 — ${answer}`, now);
      if (current.status === 'open') await this.change(tx, actor, current, 'recon.diff.requery', { status: 'in_progress' }, { answer });
      else await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'recon.diff.requery', entityType: 'recon_diff', entityId: String(d.id), before: null, after: snapshot({ answer }) }, now);
    });
    return this.get(d.id);
  }

  /**
   * 以平台记录为准. A payment the platform has and we do not (漏单, or 状态差异 with the platform's
   * success): the platform is asked and what it confirms is applied by PaymentService (the order
   * becomes paid, or the money becomes a 支付异常 for refund when the order cannot take it); money the
   * platform took for an order we never had is registered as a 支付异常 (for refund, through approval).
   * A refund: queried and applied by RefundService. 金额 / 手续费差异: a 调账 of the platform's amount.
   */
  private async acceptPlatform(actor: Actor, d: ReconDiffDetail, reason: string) {
    const theirs = d.platform[0];
    if (d.type === 'amount' || d.type === 'fee') {
      const ours = d.local[0]!;
      const delta = d.type === 'fee' ? (theirs!.feeFen ?? 0) - (ours.feeFen ?? 0) : theirs!.amountFen - ours.amountFen;
      return this.adjust(actor, d, d.type === 'fee' ? 'fee' : 'amount', delta, `以平台记录为准：${reason}`, 'accept_platform');
    }
    if (!theirs || theirs.state !== 'success' || !(d.type === 'missing_local' || d.type === 'status'))
      throw new DomainError('RECON_ACTION_NOT_APPLICABLE', `「${DIFF_TYPE_LABELS[d.type]}」不能以平台记录为准：请重新查询、以本地为准或调账`);
    if (d.kind === 'payment') {
      const order = await this.store.read((r) => r.orders.findByNo(d.key));
      if (!order) {
        // Money collected for an order this system never had: it can only go back.
        const now = this.clock.now();
        await this.store.transaction(async (tx) => {
          const recorded = await tx.payments.recordException({ orderNo: d.key, platform: d.channel, platformTradeNo: theirs.platformNo ?? d.key, amountFen: theirs.amountFen, kind: 'unknown_order', detail: `对账发现平台收款 ${formatYuan(theirs.amountFen)}，本系统没有订单 ${d.key}，待退款`, createdAt: now });
          if (recorded) await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'payment.exception', entityType: 'order', entityId: d.key, before: null, after: snapshot({ kind: 'unknown_order', platform: d.channel, platformTradeNo: theirs.platformNo, amountFen: theirs.amountFen, source: `对账差异 #${d.id}` }) }, now);
        });
        return this.settle(actor, d, 'accept_platform', `${reason}（本系统无此订单，已登记为支付异常待退款）`);
      }
      const status = await this.payments.sync(d.key);
      if (status?.state !== 'paid') throw new DomainError('RECON_PLATFORM_NOT_CONFIRMED', '支付平台未确认该笔付款，不能以平台记录为准；请稍后重新查询');
      const after = await this.store.read((r) => r.orders.findByNo(d.key));
      const applied = after?.status === 'paid' || after?.status === 'refunded' ? '订单已按平台记录更新为已支付' : '订单不能收款，平台收款已登记为支付异常待退款';
      return this.settle(actor, d, 'accept_platform', `${reason}（${applied}）`, { orderStatus: after?.status ?? null });
    }
    const refund = await this.store.read((r) => r.refunds.findByNo(d.key));
    if (!refund) throw new DomainError('RECON_ACTION_NOT_APPLICABLE', `本系统没有退款 ${d.key}：平台的这笔退款需要人工核实后调账`);
    const synced = await this.refunds.sync(d.key);
    if (synced.state !== 'success') throw new DomainError('RECON_PLATFORM_NOT_CONFIRMED', `支付平台未确认该笔退款成功（当前：${synced.state}），请稍后重新查询`);
    return this.settle(actor, d, 'accept_platform', `${reason}（退款已按平台结果更新为成功）`);
  }

  /**
   * 重复单（平台）of a payment: the platform collected the order twice. Each extra platform trade is
   * registered as a 支付异常 (duplicate_payment) and a refund of it requested through RefundService,
   * which submits it to the approval engine; the difference stays 处理中 until someone closes it.
   */
  private async refundDuplicate(actor: Actor, d: ReconDiffDetail, reason: string) {
    if (d.type !== 'duplicate_platform' || d.kind !== 'payment') throw new DomainError('RECON_ACTION_NOT_APPLICABLE', '只有平台重复收款（重复单（平台））可以发起重复付款退款');
    const [first, ...extra] = d.platform;
    const trades = new Set([first!.platformNo]);
    const refundNos: string[] = [];
    for (const row of extra) {
      if (!row.platformNo || trades.has(row.platformNo)) throw new DomainError('RECON_NOT_A_DOUBLE_PAYMENT', '账单中重复的是同一笔平台交易，不是两次收款：请核实账单后调账或忽略');
      trades.add(row.platformNo);
      const now = this.clock.now();
      await this.store.transaction(async (tx) => {
        const recorded = await tx.payments.recordException({ orderNo: d.key, platform: d.channel, platformTradeNo: row.platformNo!, amountFen: row.amountFen, kind: 'duplicate_payment', detail: `对账发现订单 ${d.key} 被重复收款 ${formatYuan(row.amountFen)}（${row.platformNo}），待退款`, createdAt: now });
        if (recorded) await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'payment.exception', entityType: 'order', entityId: d.key, before: null, after: snapshot({ kind: 'duplicate_payment', platform: d.channel, platformTradeNo: row.platformNo, amountFen: row.amountFen, source: `对账差异 #${d.id}` }) }, now);
      });
      const exceptionId = await this.store.read((r) => r.recon.exceptionId(d.channel, row.platformNo!, 'duplicate_payment'));
      const refund = await this.refunds.requestForException(actor, { exceptionId: exceptionId!, amountFen: row.amountFen, reason });
      refundNos.push(refund.refundNo);
    }
    return this.settle(actor, d, 'refund_duplicate', `${reason}（退款 ${refundNos.join('、')} 已提交审批）`, { refundNos }, { status: 'in_progress', refundNo: refundNos[0] });
  }

  /** 调账: an adjustment entry (signed fen, by account) for the accounts; no money moves. */
  private async adjust(actor: Actor, d: ReconDiffDetail, account: AdjustmentAccount, amountFen: number, reason: string, resolution: DiffResolution = 'adjust') {
    if (!Number.isSafeInteger(amountFen) || amountFen === 0) throw new DomainError('RECON_ADJUSTMENT_AMOUNT', '调账金额不能为零');
    checkFen(Math.abs(amountFen));
    await this.store.transaction(async (tx) => {
      const current = await this.locked(tx, d.id);
      if (current.status === 'resolved' || current.status === 'ignored') throw new DomainError('RECON_DIFF_CLOSED', '该差异已被他人处理，请刷新');
      const now = this.clock.now();
      const adj = await tx.recon.addAdjustment({ diffId: d.id, channel: d.channel, billDate: d.billDate, kind: d.kind, key: d.key, account, amountFen, reason, createdBy: actor.id, createdByName: actor.name, createdAt: now });
      await tx.audit.append({ actorId: actor.id, actorName: actor.name, action: 'recon.adjustment', entityType: 'recon_adjustment', entityId: String(adj.id), before: null, after: snapshot(adj) }, now);
      await this.change(tx, actor, current, `recon.diff.${resolution}`, {
        status: 'resolved',
        resolution,
        resolution_note: `${ADJUSTMENT_ACCOUNT_LABELS[account]} ${formatYuan(amountFen)}：${reason}`.slice(0, 512),
        resolved_by_name: actor.name.slice(0, 64),
        resolved_at: now,
      }, { adjustmentId: adj.id });
    });
    return this.get(d.id);
  }
}
