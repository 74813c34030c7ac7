import { maskPayeeAccount } from '../../core/access/masking';
import { assertAmountEditable, type ApprovalFlow } from '../../core/approvals/approval-flow';
import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { fenToYuanString, formatYuan, type Fen } from '../../core/money';
import type { Page } from '../../core/orders/order';
import {
  checkAllocations, isEditable, maskPayee, payableStatus, payeeAccountOf, PAYEE_CHANNEL_LABELS, SUPPLIER_PAYMENT_STATUS_LABELS, transferNoOf,
  type Allocation, type Payable, type SupplierPayment, type SupplierPaymentStatus, type TransferState,
} from '../../core/suppliers/supplier-payment';
import { formatShanghai, MINUTE_MS, type Clock } from '../../core/time';
import type { Platform, TransferStatus } from '../../gateways/gateway';
import { GatewayOutcomeUnknown, GatewayRejected } from '../../gateways/gateway-errors';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { SupplierPaymentFilter, SupplierPaymentPatch } from '../../db/repositories/supplier-repository';
import type { Store, Tx } from '../../db/store';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { SubjectApprovals } from '../approvals/approval-service';
import type { ApprovalSubject, ApprovalSubjectSummary, ApprovalSubmission } from '../approvals/approval-subjects';
import type { NotificationService } from '../notifications/notification-service';
import type { NumberAllocator } from '../number-allocator';
import type { GatewayRegistry } from '../payments/gateway-registry';
import type { TransferEvent, TransferOutcome } from '../transfers/transfer-handlers';
import type { VoucherService } from '../vouchers/voucher-service';
import { supplierView, type SupplierView } from './supplier-service';

/** What the 付款单 needs of the approval engine (ApprovalService implements it). */
export interface SupplierPaymentApprovals {
  submit(tx: Tx, s: ApprovalSubmission): Promise<number>;
  withdraw(actor: Actor, requestId: number, reason?: string | null): Promise<unknown>;
  flowOf(tx: Tx, businessType: 'supplier_payment', subjectId: string): Promise<ApprovalFlow | null>;
  approvalsOf(tx: Tx, businessType: 'supplier_payment', subjectId: string): Promise<SubjectApprovals | null>;
}

export interface SupplierPaymentOptions {
  /** 付款单位 on vouchers. */
  payerName?: string;
  /** How long a claimed 付款单 stays with this instance if it dies mid-send. */
  leaseMs?: number;
  /** When a transfer still in progress (or of unknown outcome) is queried next. */
  checkDelayMs?: number;
}

export const DEFAULT_PAYER_NAME = '餐食关系系统';

/** Query answers meaning "this transfer number was never received" (WeChat 404 NOT_FOUND, Alipay ORDER_NOT_EXIST, bank TRANSFER_NOT_EXIST). */
const NOT_FOUND_CODES = new Set(['NOT_FOUND', 'ORDER_NOT_EXIST', 'TRANSFER_NOT_EXIST']);

export interface PaymentInput {
  supplierId: number;
  allocations: Allocation[];
  purpose: string;
}

export interface SupplierPaymentView extends Omit<SupplierPayment, 'payeeAccount'> {
  statusLabel: string;
  supplierName: string;
  payeeAccountMasked: string;
}

export interface SupplierPaymentDetail {
  payment: SupplierPaymentView;
  supplier: SupplierView;
  allocations: Array<Allocation & { referenceNo: string; description: string; payableAmountFen: Fen; dueDate: string; payableStatus: Payable['status'] }>;
  approvals: SubjectApprovals | null;
  history: AuditEntry[];
}

type SendResult =
  | { kind: 'status'; status: TransferStatus }
  | { kind: 'unknown'; message: string }
  | { kind: 'rejected'; message: string; retryable: boolean };

/** The 付款单 number inside a transfer number `S…T<attempt>`. */
export const paymentNoOfTransfer = (transferNo: string) => transferNo.replace(/T\d+$/, '');

/**
 * 付款单 (design document 2.4.2 steps 2–9, 5.2.2): created over payables, submitted to the approval
 * engine (amounts frozen and reserved on the payables), sent by transfer once approved, finished by the
 * platform's notification or by an active query; a success pays the payables, issues the 付款凭证 and
 * tells the supplier, in one transaction.
 *
 * Never twice: the transfer number is saved (and committed) before the first send; a send whose
 * outcome is unknown is followed by a query, and only a "never received" answer leads to a resend —
 * with the same number, which the platform deduplicates. A new number is drawn only after the
 * platform said the attempt definitely failed (retry of a 付款失败).
 */
export class SupplierPaymentService {
  private approvals: SupplierPaymentApprovals | null = null;
  private readonly payerName: string;
  private readonly leaseMs: number;
  private readonly checkDelayMs: number;

  constructor(
    private readonly store: Store,
    private readonly gateways: GatewayRegistry,
    private readonly numbers: NumberAllocator,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
    private readonly vouchers: VoucherService,
    private readonly workerId: string,
    private readonly callbackBaseUrl: () => string,
    opts: SupplierPaymentOptions = {},
  ) {
    this.payerName = opts.payerName ?? DEFAULT_PAYER_NAME;
    this.leaseMs = opts.leaseMs ?? MINUTE_MS;
    this.checkDelayMs = opts.checkDelayMs ?? MINUTE_MS;
  }

  useApprovals(approvals: SupplierPaymentApprovals): void {
    this.approvals = approvals;
  }

  private engine(): SupplierPaymentApprovals {
    if (!this.approvals) throw new DomainError('APPROVALS_UNAVAILABLE', '审批服务不可用');
    return this.approvals;
  }

  private audit(tx: Tx, actor: Actor, action: string, paymentNo: string, before: unknown, after: unknown) {
    return tx.audit.append(
      { actorId: actor.id, actorName: actor.name, action, entityType: 'supplier_payment', entityId: paymentNo, before: before === null ? null : snapshot(before), after: after === null ? null : snapshot(after) },
      this.clock.now(),
    );
  }

  // ─── drafting ───

  async create(actor: Actor, input: PaymentInput): Promise<SupplierPaymentView> {
    return this.store.transaction(async (tx) => {
      const supplier = await tx.suppliers.findSupplier(input.supplierId);
      if (!supplier) throw new DomainError('SUPPLIER_NOT_FOUND', `供应商 #${input.supplierId} 不存在`);
      if (!supplier.active) throw new DomainError('SUPPLIER_INACTIVE', `供应商「${supplier.name}」已停用`);
      const payables = await tx.suppliers.payablesByIds(input.allocations.map((a) => a.payableId));
      const amountFen = checkAllocations(supplier.id, input.allocations, payables);
      const now = this.clock.now();
      const p = await this.numbers.insertWithFreshNumber('S', now, async (paymentNo) => {
        const p: SupplierPayment = {
          paymentNo, supplierId: supplier.id, status: 'draft', amountFen, purpose: input.purpose.trim(), payeeChannel: null, payeeAccount: null, payeeName: null,
          payeeBank: null, transferNo: null, attempt: 0, platformTransferNo: null, transferState: null, failReason: null, retryable: null, voucherNo: null,
          createdBy: actor.id, createdByName: actor.name, createdAt: now, submittedAt: null, approvedAt: null, sentAt: null, finishedAt: null, nextCheckAt: null, version: 1,
        };
        await tx.suppliers.insertPayment(p);
        return p;
      });
      await tx.suppliers.replaceAllocations(p.paymentNo, input.allocations);
      await this.audit(tx, actor, 'supplier_payment.create', p.paymentNo, null, { amountFen, purpose: p.purpose, supplier: supplier.name, allocations: input.allocations });
      return this.view(p, supplier.name);
    });
  }

  /** Drafts and rejected 付款单 only: under approval (or approved) the amount is frozen. */
  async update(actor: Actor, paymentNo: string, version: number, input: Omit<PaymentInput, 'supplierId'>): Promise<SupplierPaymentView> {
    return this.store.transaction(async (tx) => {
      const p = await this.lock(tx, paymentNo, version);
      assertAmountEditable(await this.engine().flowOf(tx, 'supplier_payment', paymentNo));
      if (!isEditable(p.status)) throw new DomainError('PAYMENT_NOT_EDITABLE', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，不能修改`);
      const payables = await tx.suppliers.payablesByIds(input.allocations.map((a) => a.payableId));
      const amountFen = checkAllocations(p.supplierId, input.allocations, payables);
      const purpose = input.purpose.trim();
      const before = { amountFen: p.amountFen, purpose: p.purpose, allocations: await tx.suppliers.allocations(paymentNo) };
      await tx.suppliers.updatePayment(paymentNo, p.version, { amountFen, purpose });
      await tx.suppliers.replaceAllocations(paymentNo, input.allocations);
      await this.audit(tx, actor, 'supplier_payment.update', paymentNo, before, { amountFen, purpose, allocations: input.allocations });
      const supplier = await tx.suppliers.findSupplier(p.supplierId);
      return this.view({ ...p, amountFen, purpose, version: p.version + 1 }, supplier?.name ?? '');
    });
  }

  /**
   * 提交审批: the payables' open amounts are checked again under their row locks and reserved, the
   * supplier's payee is copied onto the 付款单 (what the approvers see is what gets paid), and the
   * approval request opens — all in this one transaction.
   */
  async submit(actor: Actor, paymentNo: string, version?: number): Promise<SupplierPaymentView> {
    return this.store.transaction(async (tx) => {
      const p = await this.lock(tx, paymentNo, version);
      if (!isEditable(p.status)) throw new DomainError('PAYMENT_NOT_SUBMITTABLE', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，不能提交审批`);
      const supplier = await tx.suppliers.findSupplier(p.supplierId, { forUpdate: true });
      if (!supplier) throw new DomainError('SUPPLIER_NOT_FOUND', '供应商不存在');
      if (!supplier.active) throw new DomainError('SUPPLIER_INACTIVE', `供应商「${supplier.name}」已停用`);
      const allocations = await tx.suppliers.allocations(paymentNo);
      await this.reserve(tx, p.supplierId, allocations);
      const now = this.clock.now();
      const patch: SupplierPaymentPatch = {
        status: 'pending_approval', submittedAt: now, payeeChannel: supplier.payeeChannel, payeeAccount: payeeAccountOf(supplier), payeeName: supplier.accountName,
        payeeBank: supplier.payeeChannel === 'bank' ? [supplier.bankName, supplier.bankBranch].filter(Boolean).join(' ') : '', failReason: null, retryable: null,
      };
      await tx.suppliers.updatePayment(paymentNo, p.version, patch);
      await this.engine().submit(tx, {
        businessType: 'supplier_payment', subjectId: paymentNo, amountFen: p.amountFen, requester: actor,
        title: `付款单 ${paymentNo} · ${supplier.name} · ${formatYuan(p.amountFen)}`,
      });
      await this.audit(tx, actor, 'supplier_payment.submit', paymentNo, { status: p.status }, { status: 'pending_approval', payee: supplier.accountName, payeeAccount: maskPayee(supplier.payeeChannel, payeeAccountOf(supplier)) });
      return this.view({ ...p, ...patch, version: p.version + 1 } as SupplierPayment, supplier.name);
    });
  }

  /** 撤回: through the engine, which calls `onCancelled` (back to draft, reservations released). */
  async withdraw(actor: Actor, paymentNo: string, reason?: string): Promise<SupplierPaymentView> {
    const requestId = await this.store.read(async (tx) => {
      const p = await tx.suppliers.findPayment(paymentNo);
      if (!p) throw new DomainError('PAYMENT_NOT_FOUND', `付款单 ${paymentNo} 不存在`);
      if (p.status !== 'pending_approval') throw new DomainError('PAYMENT_NOT_PENDING', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，不能撤回`);
      return (await tx.approvals.latestOf('supplier_payment', paymentNo))?.id ?? null;
    });
    if (requestId === null) throw new DomainError('APPROVAL_NOT_FOUND', '找不到该付款单的审批申请');
    await this.engine().withdraw(actor, requestId, reason ?? null);
    return (await this.get(paymentNo)).payment;
  }

  /** 作废: a draft, a rejected or a failed 付款单 (no transfer can still succeed); reservations are released. */
  async cancel(actor: Actor, paymentNo: string, version?: number): Promise<SupplierPaymentView> {
    return this.store.transaction(async (tx) => {
      const p = await this.lock(tx, paymentNo, version);
      if (!['draft', 'rejected', 'failed'].includes(p.status)) throw new DomainError('PAYMENT_NOT_CANCELLABLE', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，不能作废`);
      if (p.status === 'failed') await this.release(tx, paymentNo);
      const now = this.clock.now();
      await tx.suppliers.updatePayment(paymentNo, p.version, { status: 'cancelled', finishedAt: now });
      await this.audit(tx, actor, 'supplier_payment.cancel', paymentNo, { status: p.status }, { status: 'cancelled' });
      const supplier = await tx.suppliers.findSupplier(p.supplierId);
      return this.view({ ...p, status: 'cancelled', finishedAt: now, version: p.version + 1 }, supplier?.name ?? '');
    });
  }

  /** 重新付款 after a retryable failure: approved again (same approval, same amount, same payee), a new transfer number on send. */
  async retry(actor: Actor, paymentNo: string): Promise<SupplierPaymentView> {
    await this.store.transaction(async (tx) => {
      const p = await this.lock(tx, paymentNo);
      if (p.status !== 'failed') throw new DomainError('PAYMENT_NOT_FAILED', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，无需重试`);
      if (!p.retryable) throw new DomainError('PAYMENT_NOT_RETRYABLE', `该失败不可重试（${p.failReason ?? '原因未知'}），请核对收款信息后作废并重新制单`);
      await tx.suppliers.updatePayment(paymentNo, p.version, { status: 'approved', nextCheckAt: null });
      await this.audit(tx, actor, 'supplier_payment.retry', paymentNo, { status: 'failed', transferNo: p.transferNo, failReason: p.failReason }, { status: 'approved' });
    });
    return this.execute(actor, paymentNo);
  }

  // ─── execution ───

  /** 立即付款 / 查询结果: sends an approved 付款单 or queries one in progress now, without waiting for the job. */
  async execute(_actor: Actor, paymentNo: string): Promise<SupplierPaymentView> {
    const claimed = await this.store.transaction((tx) => tx.supplierPaymentClaims.claim(this.workerId, this.clock.now(), this.leaseMs, 1, paymentNo));
    if (claimed.length === 0) {
      const p = await this.store.read((tx) => tx.suppliers.findPayment(paymentNo));
      if (!p) throw new DomainError('PAYMENT_NOT_FOUND', `付款单 ${paymentNo} 不存在`);
      if (p.status !== 'approved' && p.status !== 'processing')
        throw new DomainError('PAYMENT_NOT_EXECUTABLE', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，不能付款`);
      throw new DomainError('PAYMENT_BUSY', '该付款单正在由其他终端处理，请稍后刷新');
    }
    await this.process(paymentNo);
    return (await this.get(paymentNo)).payment;
  }

  /** The periodic job: approved 付款单 to send, transfers in progress whose check is due. */
  async runDue(limit = 20): Promise<number> {
    const nos = await this.store.transaction((tx) => tx.supplierPaymentClaims.claim(this.workerId, this.clock.now(), this.leaseMs, limit));
    for (const no of nos) {
      try {
        await this.process(no);
      } catch (e) {
        // One 付款单's trouble (a store hiccup) must not stop the others; its lease lapses and it is taken again.
        console.error('[supplier-payments]', no, e);
      }
    }
    return nos.length;
  }

  private async process(paymentNo: string): Promise<void> {
    try {
      // 1. Decide what to do; a first send saves its transfer number (committed) before anything leaves.
      const step = await this.store.transaction(async (tx) => {
        const p = await tx.suppliers.findPayment(paymentNo, { forUpdate: true });
        if (!p) return null;
        if (p.status === 'approved') {
          const attempt = p.attempt + 1;
          const transferNo = transferNoOf(paymentNo, attempt);
          const now = this.clock.now();
          const patch: SupplierPaymentPatch = {
            status: 'processing', attempt, transferNo, transferState: 'sending', platformTransferNo: null, failReason: null, retryable: null, sentAt: now,
            nextCheckAt: now + this.checkDelayMs,
          };
          await tx.suppliers.updatePayment(paymentNo, p.version, patch);
          await this.audit(tx, SYSTEM_ACTOR, 'supplier_payment.send', paymentNo, { status: p.status }, { status: 'processing', transferNo, attempt });
          return { p: { ...p, ...patch, version: p.version + 1 } as SupplierPayment, query: false };
        }
        if (p.status === 'processing' && p.transferNo) return { p, query: true };
        return null;
      });
      if (!step) return;
      // 2. Talk to the platform, outside any transaction.
      const result = step.query ? await this.queryThenResend(step.p) : await this.send(step.p);
      // 3. Record what it said.
      await this.store.transaction((tx) => this.record(tx, paymentNo, step.p.transferNo!, result));
    } finally {
      await this.store.transaction((tx) => tx.supplierPaymentClaims.release(this.workerId, paymentNo)).catch(() => undefined);
    }
  }

  private async send(p: SupplierPayment): Promise<SendResult> {
    const platform = p.payeeChannel as Platform;
    try {
      const status = await this.gateways.get(platform).transfer({
        transferNo: p.transferNo!, amountFen: p.amountFen,
        payee: { account: p.payeeAccount ?? '', name: p.payeeName ?? '', bankName: p.payeeBank || undefined },
        remark: (p.purpose || '供应商付款').slice(0, 20),
        notifyUrl: `${this.callbackBaseUrl()}/api/payment/callback/${platform}`,
      });
      return { kind: 'status', status };
    } catch (e) {
      if (e instanceof GatewayRejected) return { kind: 'rejected', message: `${e.code} ${e.message}`, retryable: e.retryable };
      if (e instanceof GatewayOutcomeUnknown) return { kind: 'unknown', message: e.message };
      if (e instanceof DomainError) return { kind: 'rejected', message: e.message, retryable: true };
      return { kind: 'unknown', message: (e as Error).message };
    }
  }

  /** Outcome unknown or in progress: ask first; only "never received" leads to a resend, with the same number. */
  private async queryThenResend(p: SupplierPayment): Promise<SendResult> {
    try {
      const status = await this.gateways.get(p.payeeChannel as Platform).queryTransfer(p.transferNo!);
      return { kind: 'status', status };
    } catch (e) {
      if (e instanceof GatewayRejected && NOT_FOUND_CODES.has(e.code)) return this.send(p);
      if (e instanceof GatewayRejected) return { kind: 'unknown', message: `查询失败：${e.code} ${e.message}` };
      return { kind: 'unknown', message: (e as Error).message };
    }
  }

  private async record(tx: Tx, paymentNo: string, transferNo: string, r: SendResult): Promise<void> {
    const p = await tx.suppliers.findPayment(paymentNo, { forUpdate: true });
    // A notification may have finished it meanwhile; an older attempt's answer changes nothing.
    if (!p || p.status !== 'processing' || p.transferNo !== transferNo) return;
    const now = this.clock.now();
    if (r.kind === 'status') {
      await this.applyStatus(tx, p, r.status, SYSTEM_ACTOR, '平台应答');
      return;
    }
    if (r.kind === 'rejected' && !r.retryable) {
      await this.fail(tx, p, r.message, false);
      return;
    }
    // Unknown, or refused for a passing reason (busy): query (then resend the same number) later.
    const state: TransferState = r.kind === 'unknown' ? 'unknown' : 'sending';
    await tx.suppliers.updatePayment(paymentNo, p.version, { transferState: state, failReason: r.message, nextCheckAt: now + Math.min(this.checkDelayMs, 15_000) });
    await this.audit(tx, SYSTEM_ACTOR, 'supplier_payment.pending', paymentNo, null, { transferState: state, message: r.message });
  }

  /** A platform status (response, query or notification) for the current attempt of a processing 付款单. */
  private async applyStatus(tx: Tx, p: SupplierPayment, st: Pick<TransferStatus, 'state' | 'amountFen' | 'platformTransferNo' | 'succeededAt' | 'failReason' | 'retryable'>, actor: Actor, source: string): Promise<TransferOutcome> {
    const now = this.clock.now();
    switch (st.state) {
      case 'success': {
        if (st.amountFen && st.amountFen !== p.amountFen) {
          await this.audit(tx, actor, 'supplier_payment.mismatch', p.paymentNo, null, { reportedFen: st.amountFen, amountFen: p.amountFen, source });
          return { kind: 'exception', detail: `付款单 ${p.paymentNo} 金额 ${formatYuan(p.amountFen)}，平台报告 ${formatYuan(st.amountFen)}，需人工核对` };
        }
        await this.complete(tx, p, st.platformTransferNo ?? p.platformTransferNo, st.succeededAt ?? now, actor);
        return { kind: 'applied', detail: `付款单 ${p.paymentNo} 付款成功` };
      }
      case 'failed':
        // retryable unknown (a notification does not carry it): the next query tells; until then it stays 付款中.
        if (st.retryable === undefined) {
          await tx.suppliers.updatePayment(p.paymentNo, p.version, { transferState: 'unknown', failReason: st.failReason ?? '平台通知转账失败', nextCheckAt: now });
          return { kind: 'applied', detail: `付款单 ${p.paymentNo} 转账失败，待查询确认原因` };
        }
        await this.fail(tx, p, st.failReason ?? '转账失败', st.retryable);
        return { kind: 'applied', detail: `付款单 ${p.paymentNo} 付款失败：${st.failReason ?? ''}` };
      case 'cancelled':
        // WeChat: the payee did not confirm in time, the bill was cancelled; a new attempt may be made.
        await this.fail(tx, p, st.failReason ?? '转账已撤销（收款人未确认收款）', true);
        return { kind: 'applied', detail: `付款单 ${p.paymentNo} 转账已撤销` };
      default: {
        const state: TransferState = st.state === 'wait_user_confirm' ? 'wait_user_confirm' : 'processing';
        await tx.suppliers.updatePayment(p.paymentNo, p.version, {
          transferState: state, platformTransferNo: st.platformTransferNo ?? p.platformTransferNo, failReason: null, nextCheckAt: now + this.checkDelayMs,
        });
        return { kind: 'applied', detail: `付款单 ${p.paymentNo} ${state === 'wait_user_confirm' ? '待收款人确认' : '转账处理中'}` };
      }
    }
  }

  /** Success: payables paid, voucher issued, supplier told — with the 付款单 itself, one transaction. */
  private async complete(tx: Tx, p: SupplierPayment, platformTransferNo: string | null, succeededAt: number, actor: Actor): Promise<void> {
    const allocations = await tx.suppliers.allocations(p.paymentNo);
    const payables = await tx.suppliers.payablesByIds(allocations.map((a) => a.payableId), { forUpdate: true });
    for (const a of allocations) {
      const payable = payables.get(a.payableId);
      if (!payable) throw new Error(`payable ${a.payableId} of ${p.paymentNo} vanished`);
      const next = { ...payable, paidFen: payable.paidFen + a.amountFen, reservedFen: payable.reservedFen - a.amountFen };
      if (next.reservedFen < 0 || next.paidFen > next.amountFen) throw new Error(`payable ${a.payableId}: paid/reserved out of bounds`);
      await tx.suppliers.updatePayable(payable.id, payable.version, { paidFen: next.paidFen, reservedFen: next.reservedFen, status: payableStatus(next) });
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action: 'payable.paid', entityType: 'payable', entityId: String(payable.id), before: snapshot({ paidFen: payable.paidFen, status: payable.status }), after: snapshot({ paidFen: next.paidFen, status: payableStatus(next), paymentNo: p.paymentNo }) },
        this.clock.now(),
      );
    }
    const voucherNo = await this.vouchers.issue(tx, {
      kind: 'supplier_payment', subjectId: p.paymentNo, payerName: this.payerName, payeeName: p.payeeName ?? '', payeeAccount: p.payeeAccount ?? '',
      payeeChannel: p.payeeChannel ?? 'bank', payeeBank: p.payeeBank ?? '', amountFen: p.amountFen, purpose: p.purpose, referenceNo: platformTransferNo ?? p.transferNo ?? '', issuedAt: succeededAt,
    });
    await tx.suppliers.updatePayment(p.paymentNo, p.version, {
      status: 'success', transferState: 'success', platformTransferNo, finishedAt: succeededAt, voucherNo, failReason: null, retryable: null, nextCheckAt: null,
    });
    await this.audit(tx, actor, 'supplier_payment.success', p.paymentNo, { status: p.status }, { status: 'success', voucherNo, platformTransferNo });
    const supplier = await tx.suppliers.findSupplier(p.supplierId);
    if (supplier?.contactPhone) {
      await this.notifications.enqueue(tx, {
        channel: 'sms', recipient: supplier.contactPhone, templateCode: 'supplier_payment_success',
        params: { supplier: supplier.name, paymentNo: p.paymentNo, amount: fenToYuanString(p.amountFen), channel: PAYEE_CHANNEL_LABELS[p.payeeChannel ?? 'bank'], account: maskPayee(p.payeeChannel ?? 'bank', p.payeeAccount ?? ''), paidAt: formatShanghai(succeededAt) },
        dedupeKey: `supplier-paid:${p.paymentNo}`,
      });
    }
  }

  private async fail(tx: Tx, p: SupplierPayment, reason: string, retryable: boolean): Promise<void> {
    await tx.suppliers.updatePayment(p.paymentNo, p.version, { status: 'failed', transferState: 'failed', failReason: reason.slice(0, 256), retryable, nextCheckAt: null });
    await this.audit(tx, SYSTEM_ACTOR, 'supplier_payment.fail', p.paymentNo, { status: p.status }, { status: 'failed', failReason: reason, retryable });
  }

  /** Transfer notifications of 付款单 (registered for the 'S' prefix with TransferHandlers). */
  readonly transferHandler = async (tx: Tx, _platform: Platform, e: TransferEvent, source: string): Promise<TransferOutcome> => {
    const p = await tx.suppliers.findPayment(paymentNoOfTransfer(e.transferNo), { forUpdate: true });
    if (!p) return { kind: 'exception', detail: `${source}：转账单号 ${e.transferNo} 没有对应的付款单` };
    if (p.transferNo !== e.transferNo) return { kind: 'ignored', detail: `${source}：付款单 ${p.paymentNo} 的早先转账尝试 ${e.transferNo}，已由新的尝试取代` };
    if (p.status !== 'processing') return { kind: 'ignored', detail: `${source}：付款单 ${p.paymentNo} ${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，无需处理` };
    return this.applyStatus(tx, p, { state: e.state, amountFen: e.amountFen, platformTransferNo: e.platformTransferNo, failReason: e.failReason }, SYSTEM_ACTOR, source);
  };

  // ─── reservations ───

  private async reserve(tx: Tx, supplierId: number, allocations: readonly Allocation[]): Promise<void> {
    const payables = await tx.suppliers.payablesByIds(allocations.map((a) => a.payableId), { forUpdate: true });
    checkAllocations(supplierId, allocations, payables);
    for (const a of allocations) {
      const p = payables.get(a.payableId)!;
      const next = { ...p, reservedFen: p.reservedFen + a.amountFen };
      await tx.suppliers.updatePayable(p.id, p.version, { reservedFen: next.reservedFen, status: payableStatus(next) });
    }
  }

  private async release(tx: Tx, paymentNo: string): Promise<void> {
    const allocations = await tx.suppliers.allocations(paymentNo);
    const payables = await tx.suppliers.payablesByIds(allocations.map((a) => a.payableId), { forUpdate: true });
    for (const a of allocations) {
      const p = payables.get(a.payableId);
      if (!p) continue;
      const next = { ...p, reservedFen: Math.max(0, p.reservedFen - a.amountFen) };
      await tx.suppliers.updatePayable(p.id, p.version, { reservedFen: next.reservedFen, status: payableStatus(next) });
    }
  }

  // ─── the approval subject ───

  readonly subject: ApprovalSubject = {
    businessType: 'supplier_payment',
    describe: async (tx, ids) => {
      const out = new Map<string, ApprovalSubjectSummary>();
      const payments = await tx.suppliers.paymentsByNos(ids);
      const suppliers = await tx.suppliers.suppliersByIds(payments.map((p) => p.supplierId));
      for (const p of payments) {
        const s = suppliers.get(p.supplierId);
        const allocations = await tx.suppliers.allocations(p.paymentNo);
        const payables = await tx.suppliers.payablesByIds(allocations.map((a) => a.payableId));
        const channel = p.payeeChannel ?? s?.payeeChannel ?? 'bank';
        out.set(p.paymentNo, {
          title: `付款单 ${p.paymentNo} · ${s?.name ?? ''}`,
          amountFen: p.amountFen,
          fields: [
            { label: '供应商', value: s?.name ?? '' },
            { label: '收款方式', value: PAYEE_CHANNEL_LABELS[channel] },
            { label: '收款户名', value: p.payeeName ?? s?.accountName ?? '' },
            { label: '收款账号', value: maskPayee(channel, p.payeeAccount ?? (s ? payeeAccountOf(s) : '')) },
            ...(p.payeeBank ? [{ label: '开户银行', value: p.payeeBank }] : []),
            { label: '付款用途', value: p.purpose },
            ...allocations.map((a) => {
              const pb = payables.get(a.payableId);
              return { label: `应付款 ${pb?.referenceNo ?? a.payableId}`, value: `本次付 ${formatYuan(a.amountFen)}（应付 ${formatYuan(pb?.amountFen ?? 0)}，到期 ${pb?.dueDate ?? ''}）` };
            }),
            { label: '制单人', value: p.createdByName },
          ],
          link: `/supplier-payments/${p.paymentNo}`,
        });
      }
      return out;
    },
    onApproved: async (tx, paymentNo, actor) => {
      const p = await this.lock(tx, paymentNo);
      if (p.status !== 'pending_approval') throw new DomainError('PAYMENT_NOT_PENDING', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，不能审批通过`);
      const now = this.clock.now();
      await tx.suppliers.updatePayment(paymentNo, p.version, { status: 'approved', approvedAt: now });
      await this.audit(tx, actor, 'supplier_payment.approved', paymentNo, { status: p.status }, { status: 'approved' });
    },
    onRejected: async (tx, paymentNo, reason, actor) => {
      const p = await this.lock(tx, paymentNo);
      if (p.status !== 'pending_approval') throw new DomainError('PAYMENT_NOT_PENDING', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，不能驳回`);
      await this.release(tx, paymentNo);
      await tx.suppliers.updatePayment(paymentNo, p.version, { status: 'rejected', failReason: `审批驳回：${reason}`.slice(0, 256) });
      await this.audit(tx, actor, 'supplier_payment.rejected', paymentNo, { status: p.status }, { status: 'rejected', reason });
    },
    onCancelled: async (tx, paymentNo, actor) => {
      const p = await this.lock(tx, paymentNo);
      if (p.status !== 'pending_approval') throw new DomainError('PAYMENT_NOT_PENDING', `付款单${SUPPLIER_PAYMENT_STATUS_LABELS[p.status]}，不能撤回`);
      await this.release(tx, paymentNo);
      await tx.suppliers.updatePayment(paymentNo, p.version, { status: 'draft', submittedAt: null });
      await this.audit(tx, actor, 'supplier_payment.withdraw', paymentNo, { status: p.status }, { status: 'draft' });
    },
  };

  // ─── reading ───

  async list(f: SupplierPaymentFilter, page: number, pageSize: number): Promise<Page<SupplierPaymentView>> {
    return this.store.read(async (tx) => {
      const p = await tx.suppliers.listPayments(f, page, pageSize);
      const suppliers = await tx.suppliers.suppliersByIds(p.items.map((i) => i.supplierId));
      return { ...p, items: p.items.map((i) => this.view(i, suppliers.get(i.supplierId)?.name ?? '')) };
    });
  }

  async get(paymentNo: string): Promise<SupplierPaymentDetail> {
    return this.store.read(async (tx) => {
      const p = await tx.suppliers.findPayment(paymentNo);
      if (!p) throw new DomainError('PAYMENT_NOT_FOUND', `付款单 ${paymentNo} 不存在`);
      const supplier = await tx.suppliers.findSupplier(p.supplierId);
      if (!supplier) throw new DomainError('SUPPLIER_NOT_FOUND', '供应商不存在');
      const allocations = await tx.suppliers.allocations(paymentNo);
      const payables = await tx.suppliers.payablesByIds(allocations.map((a) => a.payableId));
      return {
        payment: this.view(p, supplier.name),
        supplier: supplierView(supplier),
        allocations: allocations.map((a) => {
          const pb = payables.get(a.payableId);
          return { ...a, referenceNo: pb?.referenceNo ?? '', description: pb?.description ?? '', payableAmountFen: pb?.amountFen ?? 0, dueDate: pb?.dueDate ?? '', payableStatus: pb?.status ?? 'open' };
        }),
        approvals: this.approvals ? await this.approvals.approvalsOf(tx, 'supplier_payment', paymentNo) : null,
        history: await tx.audit.forEntity('supplier_payment', paymentNo),
      };
    });
  }

  private view(p: SupplierPayment, supplierName: string): SupplierPaymentView {
    const { payeeAccount, ...rest } = p;
    return {
      ...rest,
      statusLabel: SUPPLIER_PAYMENT_STATUS_LABELS[p.status as SupplierPaymentStatus],
      supplierName,
      payeeAccountMasked: payeeAccount ? (p.payeeChannel ? maskPayee(p.payeeChannel, payeeAccount) : maskPayeeAccount(payeeAccount)) : '',
    };
  }

  private async lock(tx: Tx, paymentNo: string, expectedVersion?: number): Promise<SupplierPayment> {
    const p = await tx.suppliers.findPayment(paymentNo, { forUpdate: true });
    if (!p) throw new DomainError('PAYMENT_NOT_FOUND', `付款单 ${paymentNo} 不存在`);
    if (expectedVersion !== undefined && expectedVersion !== p.version) throw new ConcurrentUpdateError();
    return p;
  }
}
