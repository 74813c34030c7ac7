import { randomInt } from 'node:crypto';
import type { PayoutBatch } from '../../core/batches/batch';
import { checkLine, LINE_FIELD_LABELS, type LineCandidate } from '../../core/batches/batch-lines';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../core/batches/batch-policy';
import { progressOf, type BatchProgress } from '../../core/batches/batch-progress';
import { assertBatch, IN_FLIGHT_ITEM_STATUSES, itemRefOf, ITEM_STATUS_LABELS, parseTransferNo } from '../../core/batches/batch-state';
import { DomainError } from '../../core/errors';
import { formatYuan } from '../../core/money';
import type { Page } from '../../core/orders/order';
import { maskPayee, PAYEE_CHANNEL_LABELS, type PayeeChannel } from '../../core/suppliers/supplier-payment';
import { MINUTE_MS, type Clock } from '../../core/time';
import type { Platform } from '../../gateways/gateway';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import type { BatchFilter, ItemFilter } from '../../db/repositories/batch-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { Store, Tx } from '../../db/store';
import { SYSTEM_ACTOR, type Actor } from '../actor';
import type { SubjectApprovals } from '../approvals/approval-service';
import type { ApprovalSubject, ApprovalSubmission } from '../approvals/approval-subjects';
import type { NotificationService } from '../notifications/notification-service';
import type { NumberAllocator } from '../number-allocator';
import type { GatewayRegistry } from '../payments/gateway-registry';
import type { TransferEvent, TransferOutcome } from '../transfers/transfer-handlers';
import type { VoucherService } from '../vouchers/voucher-service';
import { auditBatch, auditItem, readBatchSettings, writeBatchSettings, type BatchDeps, type BatchSettings } from './batch-context';
import { checkCandidates, checkHeader, checkProgramLines, importResult, insertDraft, type BatchImportResult } from './batch-drafting';
import { DEFAULT_EXECUTOR_OPTIONS, BatchExecutor } from './batch-executor';
import { buildTemplate, parseBatchFile } from './batch-files';
import type { BatchDrafting, BatchType, DraftBatchInput, DraftedBatch, ItemSettledListener } from './batch-ports';
import { buildBatchReport } from './batch-report';
import { previewRows } from './batch-preview';
import { BatchSettlement } from './batch-settlement';
import { batchApprovalSubject } from './batch-subject';
import { batchView, itemView, type BatchDetail, type BatchItemView, type BatchView } from './batch-views';

/** What 批量付款 needs of the approval engine (ApprovalService implements it). */
export interface BatchApprovals {
  submit(tx: Tx, s: ApprovalSubmission): Promise<number>;
  withdraw(actor: Actor, requestId: number, reason?: string | null): Promise<unknown>;
  approvalsOf(tx: Tx, businessType: 'payout_batch', subjectId: string): Promise<SubjectApprovals | null>;
}

export interface BatchServiceOptions {
  payerName?: string;
  leaseMs?: number;
  concurrency?: number;
  maxClaim?: number;
  /** When an item sent without an answer is looked at again. */
  recheckMs?: number;
  /** When an accepted transfer is queried next. */
  checkDelayMs?: number;
  /** When a transfer waiting for its WeChat payee is queried next. */
  confirmPollMs?: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  /** Whether approvals, resumes and the periodic job start the executor in the background (tests drive it by hand). */
  autoRun?: boolean;
  log?: (message: string, e?: unknown) => void;
}

/** Payee fields finance may correct on a failed item. */
export interface PayeeFix {
  payeeName: string;
  channel: PayeeChannel;
  account: string;
  bankName?: string;
}

export interface CreateBatchInput {
  type: BatchType;
  title: string;
  description?: string;
  /** Lines as typed (amounts in yuan) or read from a file. */
  lines: Omit<LineCandidate, 'rowNo' | 'amountFen'>[];
  confirmDuplicates?: boolean;
  /** The REST client that created it (its GET shows only its own batches). */
  sourceRef?: string;
}

export interface ImportBatchInput {
  type: BatchType;
  title: string;
  description?: string;
  fileName: string;
  bytes: Buffer;
  confirmDuplicates?: boolean;
  /** Check only (导入预览): nothing is created. */
  preview?: boolean;
}

export interface BatchListItem extends BatchView {
  progress: BatchProgress;
}

export interface BatchFullDetail extends BatchDetail {
  approvals: SubjectApprovals | null;
  history: AuditEntry[];
}

/**
 * 批量付款 (design document 2.3, 2.4, 4.5; issue 7): batch tasks drafted from an imported file, a
 * typed list, the REST API or a salary sheet; approved through the approval engine; paid item by
 * item by the executor (batch-executor.ts); finished by the platforms' answers, queries and
 * notifications (batch-settlement.ts). Pause, resume and cancel act on the items not yet sent;
 * money already on its way always finishes. Failed items are fixed and re-sent through approval.
 */
export class BatchService implements BatchDrafting {
  private approvals: BatchApprovals | null = null;
  private readonly deps: BatchDeps;
  private readonly settlement: BatchSettlement;
  readonly executor: BatchExecutor;
  readonly subject: ApprovalSubject;

  constructor(
    store: Store,
    gateways: GatewayRegistry,
    private readonly numbers: NumberAllocator,
    clock: Clock,
    notifications: NotificationService,
    vouchers: VoucherService,
    workerId: string,
    callbackBaseUrl: () => string,
    opts: BatchServiceOptions = {},
  ) {
    this.deps = { store, clock, notifications, vouchers, listeners: [], payerName: opts.payerName ?? '餐食关系系统' };
    const log = opts.log ?? ((m: string, e?: unknown) => console.error(`[batches] ${m}`, e ?? ''));
    this.settlement = new BatchSettlement(this.deps, {
      checkDelayMs: opts.checkDelayMs ?? MINUTE_MS,
      confirmPollMs: opts.confirmPollMs ?? 10 * MINUTE_MS,
      retry: { ...DEFAULT_RETRY_POLICY, ...opts.retry },
      random: opts.random ?? (() => randomInt(1_000_000) / 1_000_000),
    });
    this.executor = new BatchExecutor(
      this.deps, gateways, this.settlement, workerId, callbackBaseUrl,
      {
        leaseMs: opts.leaseMs ?? DEFAULT_EXECUTOR_OPTIONS.leaseMs, concurrency: opts.concurrency ?? DEFAULT_EXECUTOR_OPTIONS.concurrency,
        maxClaim: opts.maxClaim ?? DEFAULT_EXECUTOR_OPTIONS.maxClaim, recheckMs: opts.recheckMs ?? DEFAULT_EXECUTOR_OPTIONS.recheckMs,
      },
      opts.autoRun ?? true,
      log,
    );
    this.subject = batchApprovalSubject(this.deps, () => this.executor.kickSoon());
  }

  useApprovals(approvals: BatchApprovals): void {
    this.approvals = approvals;
  }

  private engine(): BatchApprovals {
    if (!this.approvals) throw new DomainError('APPROVALS_UNAVAILABLE', '审批服务不可用');
    return this.approvals;
  }

  onItemSettled(listener: ItemSettledListener): void {
    this.deps.listeners.push(listener);
  }

  // ─── drafting ───

  /** For the salary sheets and supplier terms: a draft batch inside the caller's transaction; invalid lines throw (listed). */
  async draftInTx(tx: Tx, input: DraftBatchInput, actor: Actor): Promise<DraftedBatch> {
    const header = checkHeader(input);
    const lines = checkProgramLines(input.lines);
    let b = await insertDraft(this.deps, this.numbers, tx, header, lines, actor);
    if (input.submit) b = await this.submitInTx(tx, actor, b);
    return { batchId: b.id, batchNo: b.batchNo };
  }

  /** 新建批量任务 from lines typed in the app (手工录入), or the REST API's items; `submit` sends it for approval at once. */
  async create(actor: Actor, input: CreateBatchInput, source: 'manual' | 'api' = 'manual', submit = false): Promise<BatchImportResult> {
    const header = checkHeader({ ...input, sourceKind: source });
    const candidates = input.lines.map((l, i) => ({ ...l, rowNo: i + 1 }));
    return this.createChecked(actor, header, candidates, [], input.confirmDuplicates ?? false, false, submit, source === 'api' ? '笔' : '行');
  }

  /** 导入: an .xlsx / .csv file; every row checked, errors by row, nothing created while one is left. */
  async importFile(actor: Actor, input: ImportBatchInput): Promise<BatchImportResult> {
    const header = checkHeader({ ...input, sourceKind: 'import' });
    const parsed = await parseBatchFile(input.bytes, input.fileName);
    return this.createChecked(actor, header, parsed.candidates, parsed.errors, input.confirmDuplicates ?? false, input.preview ?? false, false);
  }

  private async createChecked(
    actor: Actor, header: ReturnType<typeof checkHeader>, candidates: LineCandidate[], structural: Parameters<typeof checkCandidates>[2], confirm: boolean, preview: boolean, submit: boolean,
    unit: '行' | '笔' = '行',
  ): Promise<BatchImportResult> {
    return this.deps.store.transaction(async (tx) => {
      const r = await checkCandidates(tx, candidates, structural, unit);
      const blockedBy = r.errors.length ? 'errors' : r.warnings.length && !confirm ? 'duplicates' : preview ? 'preview' : null;
      if (blockedBy) return { ...importResult(r, candidates.length, null, blockedBy), rows: previewRows(candidates, r) };
      let b = await insertDraft(this.deps, this.numbers, tx, header, r.lines, actor);
      if (submit) b = await this.submitInTx(tx, actor, b);
      return importResult(r, candidates.length, batchView(b), null);
    });
  }

  async template(): Promise<{ fileName: string; content: Buffer }> {
    return { fileName: '批量付款导入模板.xlsx', content: await buildTemplate() };
  }

  // ─── approval and the batch's life ───

  /** 提交审批: the batch as drafted goes to the approvers (amount and items are frozen from here). */
  async submit(actor: Actor, batchNo: string, version?: number): Promise<BatchView> {
    return this.deps.store.transaction(async (tx) => batchView(await this.submitInTx(tx, actor, await this.lock(tx, batchNo, version))));
  }

  private async submitInTx(tx: Tx, actor: Actor, b: PayoutBatch): Promise<PayoutBatch> {
    assertBatch('submit', b.status);
    const now = this.deps.clock.now();
    await tx.batches.updateBatch(b.id, b.version, { status: 'pending_approval', submittedAt: now });
    await this.engine().submit(tx, {
      businessType: 'payout_batch', subjectId: b.batchNo, amountFen: b.totalFen, requester: actor,
      title: `批量付款 ${b.batchNo} · ${b.title} · ${b.totalCount} 笔 ${formatYuan(b.totalFen)}`,
    });
    await auditBatch(this.deps, tx, actor, 'batch.submit', b.batchNo, { status: b.status }, { status: 'pending_approval', totalCount: b.totalCount, totalAmountFen: b.totalFen });
    return { ...b, status: 'pending_approval', submittedAt: now, version: b.version + 1 };
  }

  /** 撤回审批: through the engine, which calls the subject back (→ draft). */
  async withdraw(actor: Actor, batchNo: string, reason?: string): Promise<BatchView> {
    const requestId = await this.deps.store.read(async (tx) => {
      const b = await tx.batches.findBatchByNo(batchNo);
      if (!b) throw new DomainError('BATCH_NOT_FOUND', `批量任务 ${batchNo} 不存在`);
      assertBatch('withdraw', b.status);
      return (await tx.approvals.latestOf('payout_batch', batchNo))?.id ?? null;
    });
    if (requestId === null) throw new DomainError('APPROVAL_NOT_FOUND', '找不到该批量任务的审批申请');
    await this.engine().withdraw(actor, requestId, reason ?? null);
    return (await this.get(batchNo)).batch;
  }

  /** 暂停: no further item is sent; transfers already at the platform finish. */
  async pause(actor: Actor, batchNo: string, version?: number): Promise<BatchView> {
    return this.deps.store.transaction(async (tx) => {
      const b = await this.lock(tx, batchNo, version);
      assertBatch('pause', b.status);
      const now = this.deps.clock.now();
      await tx.batches.updateBatch(b.id, b.version, { status: 'paused', pausedAt: now });
      await auditBatch(this.deps, tx, actor, 'batch.pause', batchNo, { status: b.status }, { status: 'paused' });
      return batchView({ ...b, status: 'paused', pausedAt: now, version: b.version + 1 });
    });
  }

  /** 继续执行 after a pause (also after a restart: the state is in the database). */
  async resume(actor: Actor, batchNo: string, version?: number): Promise<BatchView> {
    const view = await this.deps.store.transaction(async (tx) => {
      const b = await this.lock(tx, batchNo, version);
      assertBatch('resume', b.status);
      const status = b.startedAt === null ? 'approved' : 'running';
      await tx.batches.updateBatch(b.id, b.version, { status, pausedAt: null });
      await auditBatch(this.deps, tx, actor, 'batch.resume', batchNo, { status: b.status }, { status });
      return batchView({ ...b, status, pausedAt: null, version: b.version + 1 });
    });
    this.executor.kickSoon();
    return view;
  }

  /**
   * 取消: the items not sent yet are cancelled (in one statement, the batch's audit record says how
   * many); WeChat bills still waiting for their payee are withdrawn by the executor; transfers
   * already accepted finish and are recorded as they end.
   */
  async cancel(actor: Actor, batchNo: string, version?: number, reason?: string): Promise<BatchView> {
    const view = await this.deps.store.transaction(async (tx) => {
      const b = await this.lock(tx, batchNo, version);
      assertBatch('cancel', b.status);
      if ((await tx.batches.countResendApprovals(b.id)) > 0) throw new DomainError('BATCH_RESEND_PENDING', '有失败项正在重发审批中，请先在审批中心撤回后再取消');
      const now = this.deps.clock.now();
      const why = `批量任务已取消${reason ? `：${reason}` : ''}`.slice(0, 256);
      const pending = await tx.batches.pendingItems(b.id);
      await tx.batches.cancelPending(pending.map((i) => i.id), why, now);
      await tx.batches.dueWaitingConfirm(b.id, now);
      await tx.batches.updateBatch(b.id, b.version, { status: 'cancelled', cancelledAt: now });
      const cancelled = { ...b, status: 'cancelled' as const, cancelledAt: now, version: b.version + 1 };
      await auditBatch(this.deps, tx, actor, 'batch.cancel', batchNo, { status: b.status }, { status: 'cancelled', cancelledItems: pending.length, cancelledFen: pending.reduce((s, i) => s + i.amountFen, 0), reason: reason ?? null });
      for (const i of pending) await this.settlement.settled(tx, i, cancelled, 'cancelled', why);
      return batchView(cancelled);
    });
    this.executor.kickSoon();
    return view;
  }

  // ─── the failure list ───

  /** 修改收款信息 of a failed item (wrong account, name mismatch); sent again only through `resendItem`. */
  async fixItem(actor: Actor, itemId: number, version: number, fix: PayeeFix): Promise<BatchItemView> {
    return this.deps.store.transaction(async (tx) => {
      const { batch, item } = await this.lockItem(tx, itemId, version);
      if (batch.status === 'cancelled') throw new DomainError('BATCH_STATE', '批量任务已取消，不能修改');
      if (item.status !== 'failed') throw new DomainError('BATCH_ITEM_STATE', `该明细${ITEM_STATUS_LABELS[item.status]}，只有失败的明细可以修改收款信息`);
      const r = checkLine({ rowNo: item.seq, payeeName: fix.payeeName, channel: fix.channel, account: fix.account, bankName: fix.bankName, amountFen: item.amountFen, remark: item.remark, contactPhone: item.contactPhone });
      if (!r.line) throw new DomainError('BATCH_ITEM_INVALID', r.issues.map((i) => `${LINE_FIELD_LABELS[i.field]}：${i.message}`).join('；'));
      const l = r.line;
      await tx.batches.updateItem(item.id, item.version, { payeeName: l.payeeName, channel: l.channel, account: l.account, bankName: l.bankName });
      const masked = (c: PayeeChannel, a: string) => maskPayee(c, a);
      await auditItem(this.deps, tx, actor, 'batch_item.fix', batch, item.seq,
        { payeeName: item.payeeName, channel: item.channel, account: masked(item.channel, item.account), bankName: item.bankName },
        { payeeName: l.payeeName, channel: l.channel, account: masked(l.channel, l.account), bankName: l.bankName });
      return itemView(batch, { ...item, payeeName: l.payeeName, channel: l.channel, account: l.account, bankName: l.bankName, version: item.version + 1 });
    });
  }

  /** 重新发送: a failed item goes to the approvers on its own; once approved it is sent under a new request id. */
  async resendItem(actor: Actor, itemId: number, version?: number): Promise<BatchItemView> {
    return this.deps.store.transaction(async (tx) => {
      const { batch, item } = await this.lockItem(tx, itemId, version);
      if (batch.status === 'cancelled') throw new DomainError('BATCH_STATE', '批量任务已取消，不能重新发送');
      if (item.status !== 'failed') throw new DomainError('BATCH_ITEM_STATE', `该明细${ITEM_STATUS_LABELS[item.status]}，只有失败的明细可以重新发送`);
      const ref = itemRefOf(batch.batchNo, item.seq);
      await tx.batches.updateItem(item.id, item.version, { status: 'resend_approval' });
      await this.engine().submit(tx, {
        businessType: 'payout_batch', subjectId: ref, amountFen: item.amountFen, requester: actor,
        title: `批量付款重发 ${ref} · ${item.payeeName} · ${PAYEE_CHANNEL_LABELS[item.channel]} · ${formatYuan(item.amountFen)}`,
      });
      await auditItem(this.deps, tx, actor, 'batch_item.resend', batch, item.seq, { status: 'failed', failReason: item.failReason }, { status: 'resend_approval' });
      return itemView(batch, { ...item, status: 'resend_approval', version: item.version + 1 });
    });
  }

  /** 查询结果: one in-flight item asked about now, without waiting for its next check. */
  async refreshItem(itemId: number): Promise<BatchItemView> {
    const item = await this.deps.store.read((tx) => tx.batches.findItem(itemId));
    if (!item) throw new DomainError('BATCH_ITEM_NOT_FOUND', `批量付款明细 #${itemId} 不存在`);
    if (!IN_FLIGHT_ITEM_STATUSES.includes(item.status)) throw new DomainError('BATCH_ITEM_STATE', `该明细${ITEM_STATUS_LABELS[item.status]}，无需查询`);
    await this.executor.runOne(itemId);
    return (await this.item(itemId)).item;
  }

  // ─── notifications from the platforms ───

  /** Transfer notifications of batch items (registered for the 'B' prefix with TransferHandlers); replays and reorderings change nothing twice. */
  readonly transferHandler = async (tx: Tx, _platform: Platform, e: TransferEvent, source: string): Promise<TransferOutcome> => {
    const no = parseTransferNo(e.transferNo);
    if (!no) return { kind: 'exception', detail: `${source}：转账单号 ${e.transferNo} 不是批量付款的单号` };
    const batch = await tx.batches.findBatchByNo(no.batchNo);
    const item = batch ? await tx.batches.findItemBySeq(batch.id, no.seq, { forUpdate: true }) : null;
    if (!batch || !item) return { kind: 'exception', detail: `${source}：转账单号 ${e.transferNo} 没有对应的批量付款明细` };
    const ref = itemRefOf(batch.batchNo, item.seq);
    if (item.transferNo !== e.transferNo) {
      // An earlier attempt was definitely failed before a new one was made; it cannot have paid. If it says it did, a person must look.
      if (e.state === 'success') return { kind: 'exception', detail: `${source}：批量付款明细 ${ref} 的早先转账 ${e.transferNo} 报告成功（当前为 ${item.transferNo ?? '未发送'}），需人工核对是否重复付款` };
      return { kind: 'ignored', detail: `${source}：批量付款明细 ${ref} 的早先转账 ${e.transferNo}，已由新的尝试取代` };
    }
    if (!IN_FLIGHT_ITEM_STATUSES.includes(item.status)) return { kind: 'ignored', detail: `${source}：批量付款明细 ${ref} ${ITEM_STATUS_LABELS[item.status]}，无需处理` };
    const out = await this.settlement.applyStatus(tx, item, batch, { state: e.state, amountFen: e.amountFen, platformTransferNo: e.platformTransferNo, failReason: e.failReason }, SYSTEM_ACTOR, source);
    this.executor.kickSoon();
    return out;
  };

  // ─── the executor ───

  /** The periodic job: starts a background round (returns at once; the round itself paces the sends). */
  tick(): Promise<void> {
    this.executor.kick();
    return Promise.resolve();
  }

  runDue(limit?: number): Promise<number> {
    return this.executor.runDue(limit);
  }

  drain(): Promise<void> {
    return this.executor.drain();
  }

  stop(): Promise<void> {
    return this.executor.stop();
  }

  // ─── reading ───

  async list(f: BatchFilter, page: number, pageSize: number): Promise<Page<BatchListItem>> {
    return this.deps.store.read(async (tx) => {
      const p = await tx.batches.listBatches(f, page, pageSize);
      const sums = await tx.batches.statusSumsOf(p.items.map((b) => b.id));
      return { ...p, items: p.items.map((b) => ({ ...batchView(b), progress: progressOf(sums.get(b.id) ?? []) })) };
    });
  }

  async get(batchNo: string): Promise<BatchFullDetail> {
    return this.deps.store.read(async (tx) => {
      const b = await this.find(tx, batchNo);
      const channels = await tx.batches.channelSums(b.id);
      return {
        batch: batchView(b),
        progress: progressOf(await tx.batches.statusSums(b.id)),
        byChannel: channels.map((c) => ({ ...c, channelLabel: PAYEE_CHANNEL_LABELS[c.channel] })),
        approvals: this.approvals ? await this.approvals.approvalsOf(tx, 'payout_batch', batchNo) : null,
        history: await tx.audit.forEntity('payout_batch', batchNo),
      };
    });
  }

  /** 任务进度: counts and amounts per result, summed by the database; cheap enough to poll. */
  async progress(batchNo: string): Promise<BatchProgress & { batchNo: string; status: PayoutBatch['status']; statusLabel: string }> {
    return this.deps.store.read(async (tx) => {
      const b = await this.find(tx, batchNo);
      return { ...progressOf(await tx.batches.statusSums(b.id)), batchNo, status: b.status, statusLabel: batchView(b).statusLabel };
    });
  }

  async items(batchNo: string, f: ItemFilter, page: number, pageSize: number): Promise<Page<BatchItemView>> {
    return this.deps.store.read(async (tx) => {
      const b = await this.find(tx, batchNo);
      const p = await tx.batches.listItems(b.id, f, page, pageSize);
      return { ...p, items: p.items.map((i) => itemView(b, i)) };
    });
  }

  async item(itemId: number): Promise<{ item: BatchItemView; batch: BatchView; approvals: SubjectApprovals | null; history: AuditEntry[] }> {
    return this.deps.store.read(async (tx) => {
      const i = await tx.batches.findItem(itemId);
      const b = i ? await tx.batches.findBatch(i.batchId) : null;
      if (!i || !b) throw new DomainError('BATCH_ITEM_NOT_FOUND', `批量付款明细 #${itemId} 不存在`);
      const ref = itemRefOf(b.batchNo, i.seq);
      return {
        item: itemView(b, i), batch: batchView(b), approvals: this.approvals ? await this.approvals.approvalsOf(tx, 'payout_batch', ref) : null,
        history: await tx.audit.forEntity('payout_batch_item', ref),
      };
    });
  }

  /** 批量付款结果报表 (.xlsx). */
  async report(batchNo: string): Promise<{ fileName: string; content: Buffer }> {
    const { b, items, sums } = await this.deps.store.read(async (tx) => {
      const b = await this.find(tx, batchNo);
      return { b, items: await tx.batches.allItems(b.id), sums: await tx.batches.statusSums(b.id) };
    });
    return { fileName: `批量付款结果_${batchNo}.xlsx`, content: await buildBatchReport(b, items, progressOf(sums), this.deps.clock.now()) };
  }

  /** Every item of a batch with its result (the REST answer of design document 6.3.2). */
  async allItems(batchNo: string) {
    return this.deps.store.read(async (tx) => {
      const b = await this.find(tx, batchNo);
      return { batch: b, items: await tx.batches.allItems(b.id), progress: progressOf(await tx.batches.statusSums(b.id)) };
    });
  }

  settings(): Promise<BatchSettings & { version: number | null }> {
    return this.deps.store.read((tx) => readBatchSettings(tx));
  }

  updateSettings(actor: Actor, s: BatchSettings, version: number | null): Promise<BatchSettings> {
    return writeBatchSettings(this.deps, actor, s, version);
  }

  private async find(tx: Tx, batchNo: string): Promise<PayoutBatch> {
    const b = await tx.batches.findBatchByNo(batchNo);
    if (!b) throw new DomainError('BATCH_NOT_FOUND', `批量任务 ${batchNo} 不存在`);
    return b;
  }

  private async lock(tx: Tx, batchNo: string, expectedVersion?: number): Promise<PayoutBatch> {
    const b = await tx.batches.findBatchByNo(batchNo, { forUpdate: true });
    if (!b) throw new DomainError('BATCH_NOT_FOUND', `批量任务 ${batchNo} 不存在`);
    if (expectedVersion !== undefined && expectedVersion !== b.version) throw new ConcurrentUpdateError();
    return b;
  }

  /** The batch row first, then the item's: the same order as every other writer of both. */
  private async lockItem(tx: Tx, itemId: number, expectedVersion?: number) {
    const peek = await tx.batches.findItem(itemId);
    if (!peek) throw new DomainError('BATCH_ITEM_NOT_FOUND', `批量付款明细 #${itemId} 不存在`);
    const batch = await tx.batches.findBatch(peek.batchId, { forUpdate: true });
    const item = await tx.batches.findItem(itemId, { forUpdate: true });
    if (!batch || !item) throw new DomainError('BATCH_ITEM_NOT_FOUND', `批量付款明细 #${itemId} 不存在`);
    if (expectedVersion !== undefined && expectedVersion !== item.version) throw new ConcurrentUpdateError();
    return { batch, item };
  }
}

