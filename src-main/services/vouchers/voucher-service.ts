import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import { amountInCapitals } from '../../core/money-capitals';
import { checkFen, type Fen } from '../../core/money';
import type { Page } from '../../core/orders/order';
import { PAYMENT_METHOD_LABELS, type PaymentMethod } from '../../core/orders/order-types';
import { maskPayee, PAYEE_CHANNEL_LABELS, type PayeeChannel } from '../../core/suppliers/supplier-payment';
import { shanghaiDate, type Clock } from '../../core/time';
import type { Voucher, VoucherFilter, VoucherKind } from '../../db/repositories/voucher-repository';
import type { Store, Tx } from '../../db/store';
import type { SubjectApprovals } from '../approvals/approval-service';
import type { ApprovalBusinessType } from '../../core/approvals/approval-rules';

export const VOUCHER_KIND_LABELS: Record<VoucherKind, string> = { supplier_payment: '供应商付款', refund: '退款', payout: '批量付款' };

/** The approval engine's business type of each voucher kind (whose approvals the voucher prints). */
const APPROVAL_TYPE: Record<VoucherKind, ApprovalBusinessType> = { supplier_payment: 'supplier_payment', refund: 'refund', payout: 'payout_batch' };

export interface IssueVoucherInput {
  kind: VoucherKind;
  /** The paid subject's own number (付款单号, 退款单号, batch item no): one voucher per (kind, subject). */
  subjectId: string;
  payerName: string;
  payeeName: string;
  /** Full account (bank account, openid, Alipay login): stored in full, printed masked. */
  payeeAccount: string;
  /** bank | wechat | alipay (how the account is masked and labelled); defaults to bank. */
  payeeChannel?: PayeeChannel;
  payeeBank?: string;
  amountFen: Fen;
  purpose: string;
  /** The platform's transfer / refund number, printed as 渠道流水号. */
  referenceNo?: string;
  /** When the money left (the transfer's success time); defaults to now. */
  issuedAt?: number;
}

export interface VoucherApproval {
  level: number;
  approverName: string;
  roleName: string;
  decision: string;
  at: number;
  reason: string | null;
}

/** Everything a 付款凭证 prints; the account is masked. */
export interface VoucherPrint {
  voucherNo: string;
  kind: VoucherKind;
  kindLabel: string;
  subjectId: string;
  payerName: string;
  payeeName: string;
  payeeChannel: string;
  payeeChannelLabel: string;
  payeeAccountMasked: string;
  payeeBank: string;
  amountFen: Fen;
  amountInCapitals: string;
  purpose: string;
  referenceNo: string;
  issuedAt: number;
  requesterName: string | null;
  approvals: VoucherApproval[];
  /** 原订单号: the order a refund voucher returns money of; null for other kinds. */
  relatedOrderNo: string | null;
}

export type VoucherListItem = Omit<VoucherPrint, 'approvals' | 'requesterName' | 'relatedOrderNo'>;

/** What VoucherService needs of the approval engine: the decisions of a subject, with names and times. */
export interface VoucherApprovalSource {
  approvalsOf(tx: Tx, businessType: ApprovalBusinessType, subjectId: string): Promise<SubjectApprovals | null>;
}

/** `FK2026-000123`: 付款 + the Asia/Shanghai year + a gap-free sequence within the year. */
export const voucherNoOf = (year: number, seq: number) => `FK${year}-${String(seq).padStart(6, '0')}`;
export const VOUCHER_NO_PATTERN = /^FK\d{4}-\d{6,}$/;

const channelLabel = (c: string) => (c in PAYEE_CHANNEL_LABELS ? PAYEE_CHANNEL_LABELS[c as PayeeChannel] : c);
/** A refund goes back the way it came: 「原路退回（微信支付）」 rather than a transfer's label. */
const refundChannelLabel = (c: string) => `原路退回（${c in PAYMENT_METHOD_LABELS ? PAYMENT_METHOD_LABELS[c as PaymentMethod] : c}）`;

function listItem(v: Voucher): VoucherListItem {
  return {
    voucherNo: v.voucherNo, kind: v.kind, kindLabel: VOUCHER_KIND_LABELS[v.kind], subjectId: v.subjectId, payerName: v.payerName, payeeName: v.payeeName,
    payeeChannel: v.payeeChannel, payeeChannelLabel: v.kind === 'refund' ? refundChannelLabel(v.payeeChannel) : channelLabel(v.payeeChannel), payeeAccountMasked: maskPayee((v.payeeChannel || 'bank') as PayeeChannel, v.payeeAccount),
    payeeBank: v.payeeBank, amountFen: v.amountFen, amountInCapitals: amountInCapitals(v.amountFen), purpose: v.purpose, referenceNo: v.referenceNo, issuedAt: v.issuedAt,
  };
}

/**
 * 付款凭证 (design document 2.4.3 凭证管理; issue 5): one numbered voucher for every payment that left
 * the company — supplier payments, refunds (退款凭证) and payouts through the same `issue`. Issued inside the
 * transaction that records the money as gone, so a voucher exists exactly when the payment succeeded.
 */
export class VoucherService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly approvals?: VoucherApprovalSource,
  ) {}

  /** Idempotent per (kind, subjectId): a second call (a replayed notification) returns the first voucher's number. */
  async issue(tx: Tx, input: IssueVoucherInput): Promise<string> {
    const existing = await tx.vouchers.findBySubject(input.kind, input.subjectId);
    if (existing) return existing.voucherNo;
    checkFen(input.amountFen);
    const issuedAt = input.issuedAt ?? this.clock.now();
    const year = Number(shanghaiDate(issuedAt).slice(0, 4));
    const seq = await tx.vouchers.nextSeqOf(year);
    const voucherNo = voucherNoOf(year, seq);
    await tx.vouchers.insert({
      voucherNo, year, seq, kind: input.kind, subjectId: input.subjectId, payerName: input.payerName, payeeName: input.payeeName,
      payeeChannel: input.payeeChannel ?? 'bank', payeeAccount: input.payeeAccount, payeeBank: input.payeeBank ?? '', amountFen: input.amountFen,
      purpose: input.purpose, referenceNo: input.referenceNo ?? '', issuedAt,
    });
    await tx.audit.append(
      {
        actorId: null, actorName: '系统', action: 'voucher.issue', entityType: 'voucher', entityId: voucherNo, before: null,
        after: snapshot({ kind: input.kind, subjectId: input.subjectId, amountFen: input.amountFen, payeeName: input.payeeName }),
      },
      this.clock.now(),
    );
    return voucherNo;
  }

  async get(voucherNo: string): Promise<VoucherPrint> {
    return this.store.read(async (tx) => {
      const v = await tx.vouchers.findByNo(voucherNo);
      if (!v) throw new DomainError('VOUCHER_NOT_FOUND', `付款凭证 ${voucherNo} 不存在`);
      const approvals = this.approvals ? await this.approvals.approvalsOf(tx, APPROVAL_TYPE[v.kind], v.subjectId) : null;
      const relatedOrderNo = v.kind === 'refund' ? ((await tx.refunds.findByNo(v.subjectId))?.orderNo ?? null) : null;
      return {
        ...listItem(v),
        relatedOrderNo,
        requesterName: approvals?.requesterName ?? null,
        approvals: (approvals?.decisions ?? []).map((d) => ({ level: d.level, approverName: d.approverName, roleName: d.roleName, decision: d.decision === 'approve' ? '同意' : '驳回', at: d.at, reason: d.reason })),
      };
    });
  }

  async list(f: VoucherFilter, page: number, pageSize: number): Promise<Page<VoucherListItem>> {
    const p = await this.store.read((tx) => tx.vouchers.list(f, page, pageSize));
    return { ...p, items: p.items.map(listItem) };
  }
}
