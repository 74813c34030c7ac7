import { BATCH_NO_PATTERN, BATCH_SOURCE_LABELS, BATCH_TYPE_LABELS, ITEM_STATUS_LABELS, itemRefOf, MAX_ATTEMPTS, parseItemRef } from '../../core/batches/batch-state';
import { DomainError } from '../../core/errors';
import { formatYuan } from '../../core/money';
import { maskPayee, PAYEE_CHANNEL_LABELS } from '../../core/suppliers/supplier-payment';
import type { ApprovalBusinessType } from '../../core/approvals/approval-rules';
import type { Tx } from '../../db/store';
import type { SubjectApprovals } from '../approvals/approval-service';
import type { ApprovalSubject, ApprovalSubjectSummary } from '../approvals/approval-subjects';
import type { VoucherApprovalSource } from '../vouchers/voucher-service';
import { auditBatch, auditItem, type BatchDeps } from './batch-context';

/**
 * 批量付款 in the approval engine (business type payout_batch). Two kinds of subject share it:
 *  - a batch (`B…`): approved as a whole; the executor starts sending after the commit;
 *  - a failed item re-sent by finance (`B…I00042`): approved on its own, then sent again under a
 *    new attempt number (the old request id was definitely failed by the platform).
 */
export function batchApprovalSubject(deps: BatchDeps, onReady: () => void): ApprovalSubject {
  const lockBatch = async (tx: Tx, batchNo: string) => {
    const b = await tx.batches.findBatchByNo(batchNo, { forUpdate: true });
    if (!b) throw new DomainError('BATCH_NOT_FOUND', `批量任务 ${batchNo} 不存在`);
    return b;
  };
  const lockItem = async (tx: Tx, ref: string) => {
    const parsed = parseItemRef(ref);
    if (!parsed) throw new DomainError('BATCH_ITEM_NOT_FOUND', `批量付款明细 ${ref} 不存在`);
    const batch = await lockBatch(tx, parsed.batchNo);
    const item = await tx.batches.findItemBySeq(batch.id, parsed.seq, { forUpdate: true });
    if (!item) throw new DomainError('BATCH_ITEM_NOT_FOUND', `批量付款明细 ${ref} 不存在`);
    if (item.status !== 'resend_approval') throw new DomainError('BATCH_ITEM_STATE', `该明细${ITEM_STATUS_LABELS[item.status]}，不在重发审批中`);
    return { batch, item };
  };
  const pendingBatch = async (tx: Tx, batchNo: string) => {
    const b = await lockBatch(tx, batchNo);
    if (b.status !== 'pending_approval') throw new DomainError('BATCH_STATE', `批量任务${b.status === 'draft' ? '为草稿' : '不在审批中'}，不能审批`);
    return b;
  };

  return {
    businessType: 'payout_batch',

    describe: async (tx, ids) => {
      const out = new Map<string, ApprovalSubjectSummary>();
      const batchNos = ids.filter((id) => BATCH_NO_PATTERN.test(id));
      for (const b of await tx.batches.batchesByNos(batchNos)) {
        const channels = await tx.batches.channelSums(b.id);
        out.set(b.batchNo, {
          title: `批量付款 ${b.batchNo} · ${BATCH_TYPE_LABELS[b.type]} · ${b.title}`,
          amountFen: b.totalFen,
          fields: [
            { label: '批量类型', value: BATCH_TYPE_LABELS[b.type] },
            { label: '任务名称', value: b.title },
            { label: '来源', value: BATCH_SOURCE_LABELS[b.sourceKind] + (b.sourceRef ? `（${b.sourceRef}）` : '') },
            { label: '笔数', value: `${b.totalCount} 笔` },
            { label: '合计金额', value: formatYuan(b.totalFen) },
            ...channels.map((c) => ({ label: PAYEE_CHANNEL_LABELS[c.channel], value: `${c.count} 笔，${formatYuan(c.fen)}` })),
            ...(b.description ? [{ label: '说明', value: b.description }] : []),
            { label: '制单人', value: b.createdByName },
          ],
          link: `/batches/${b.batchNo}`,
        });
      }
      for (const ref of ids.filter((id) => parseItemRef(id))) {
        const parsed = parseItemRef(ref)!;
        const b = await tx.batches.findBatchByNo(parsed.batchNo);
        const i = b ? await tx.batches.findItemBySeq(b.id, parsed.seq) : null;
        if (!b || !i) continue;
        out.set(ref, {
          title: `批量付款重发 ${ref} · ${i.payeeName} · ${formatYuan(i.amountFen)}`,
          amountFen: i.amountFen,
          fields: [
            { label: '批量任务', value: `${b.batchNo} ${b.title}` },
            { label: '序号', value: String(i.seq) },
            { label: '收款人', value: i.payeeName },
            { label: '收款方式', value: PAYEE_CHANNEL_LABELS[i.channel] },
            { label: '收款账号', value: maskPayee(i.channel, i.account) },
            ...(i.bankName ? [{ label: '开户银行', value: i.bankName }] : []),
            { label: '金额', value: formatYuan(i.amountFen) },
            { label: '上次失败原因', value: i.failReason ?? '' },
            { label: '已尝试次数', value: String(i.attempt) },
          ],
          link: `/batches/${b.batchNo}?item=${i.seq}`,
        });
      }
      return out;
    },

    onApproved: async (tx, subjectId, actor) => {
      const now = deps.clock.now();
      if (BATCH_NO_PATTERN.test(subjectId)) {
        const b = await pendingBatch(tx, subjectId);
        await tx.batches.updateBatch(b.id, b.version, { status: 'approved', approvedAt: now });
        await auditBatch(deps, tx, actor, 'batch.approved', b.batchNo, { status: b.status }, { status: 'approved' });
      } else {
        const { batch, item } = await lockItem(tx, subjectId);
        if (batch.status === 'cancelled') throw new DomainError('BATCH_STATE', '批量任务已取消，不能重新发送');
        if (item.attempt >= MAX_ATTEMPTS) throw new DomainError('BATCH_ITEM_ATTEMPTS', `该明细已尝试 ${item.attempt} 次，请作废后另建批量任务`);
        await tx.batches.updateItem(item.id, item.version, {
          status: 'pending', attempt: item.attempt + 1, transferNo: null, platformTransferNo: null, tries: 0, nextAt: 0, failReason: null, retryable: null,
          confirmExpiresAt: null, finishedAt: null,
        });
        await auditItem(deps, tx, actor, 'batch_item.resend_approved', batch, item.seq, { status: item.status, attempt: item.attempt }, { status: 'pending', attempt: item.attempt + 1 });
        if (['completed', 'partial_failed', 'failed'].includes(batch.status)) {
          await tx.batches.updateBatch(batch.id, batch.version, { status: 'running', finishedAt: null });
          await auditBatch(deps, tx, actor, 'batch.reopen', batch.batchNo, { status: batch.status }, { status: 'running', item: itemRefOf(batch.batchNo, item.seq) });
        }
      }
      onReady();
    },

    onRejected: async (tx, subjectId, reason, actor) => {
      if (BATCH_NO_PATTERN.test(subjectId)) {
        const b = await pendingBatch(tx, subjectId);
        await tx.batches.updateBatch(b.id, b.version, { status: 'rejected' });
        await auditBatch(deps, tx, actor, 'batch.rejected', b.batchNo, { status: b.status }, { status: 'rejected', reason });
      } else {
        const { batch, item } = await lockItem(tx, subjectId);
        await tx.batches.updateItem(item.id, item.version, { status: 'failed' });
        await auditItem(deps, tx, actor, 'batch_item.resend_rejected', batch, item.seq, { status: item.status }, { status: 'failed', reason });
      }
    },

    onCancelled: async (tx, subjectId, actor) => {
      if (BATCH_NO_PATTERN.test(subjectId)) {
        const b = await pendingBatch(tx, subjectId);
        await tx.batches.updateBatch(b.id, b.version, { status: 'draft', submittedAt: null });
        await auditBatch(deps, tx, actor, 'batch.withdraw', b.batchNo, { status: b.status }, { status: 'draft' });
      } else {
        const { batch, item } = await lockItem(tx, subjectId);
        await tx.batches.updateItem(item.id, item.version, { status: 'failed' });
        await auditItem(deps, tx, actor, 'batch_item.resend_rejected', batch, item.seq, { status: item.status }, { status: 'failed', withdrawn: true });
      }
    },
  };
}

/**
 * A payout voucher is per item (`B…I00042`): it prints the approvals of that item's re-send when it
 * had one, otherwise those of its batch. Wraps the engine's lookup for VoucherService.
 */
export function payoutVoucherApprovals(source: VoucherApprovalSource): VoucherApprovalSource {
  return {
    approvalsOf: async (tx: Tx, businessType: ApprovalBusinessType, subjectId: string): Promise<SubjectApprovals | null> => {
      const own = await source.approvalsOf(tx, businessType, subjectId);
      const item = businessType === 'payout_batch' ? parseItemRef(subjectId) : null;
      if (own || !item) return own;
      return source.approvalsOf(tx, businessType, item.batchNo);
    },
  };
}

