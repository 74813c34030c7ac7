import { maskBankAccount, maskPayeeAccount } from '../access/masking';
import { DomainError } from '../errors';
import { checkFen, formatYuan, type Fen } from '../money';

/**
 * 供应商付款 (design document 2.4, issue 5): suppliers with how they are paid, payables (应付款) with
 * due dates from the contract's payment term, and payment orders (付款单) over one or several
 * payables, approved through the approval engine and executed by transfer.
 *
 * Money rules, checked under row locks by the services:
 *  - a payable's paid + reserved never exceeds its amount: a 付款单 reserves its allocations when it
 *    is submitted for approval and gives them back when rejected, withdrawn or voided; a successful
 *    transfer moves them from reserved to paid;
 *  - a 付款单 pays exactly the sum of its allocations, each at least 1 fen and at most what is still
 *    open on its payable, all of one supplier;
 *  - the amount is frozen from submission (approval-flow.ts assertAmountEditable).
 */
export const PAYEE_CHANNELS = ['bank', 'wechat', 'alipay'] as const;
export type PayeeChannel = (typeof PAYEE_CHANNELS)[number];
export const PAYEE_CHANNEL_LABELS: Record<PayeeChannel, string> = { bank: '银行转账', wechat: '微信转账', alipay: '支付宝转账' };

export interface SupplierPayee {
  payeeChannel: PayeeChannel;
  bankName: string;
  bankBranch: string;
  /** Full account number as stored; screens get it masked. */
  accountNo: string;
  accountName: string;
  wechatOpenId: string;
  alipayLogin: string;
}

export interface SupplierFields extends SupplierPayee {
  name: string;
  contactPhone: string;
  /** 付款周期: days from the invoice to the due date, per contract. */
  paymentTermDays: number;
  active: boolean;
}

export interface Supplier extends SupplierFields {
  id: number;
  createdAt: number;
  version: number;
}

export const MAX_PAYMENT_TERM_DAYS = 365;

/** Every problem of a supplier's payee data is one Chinese message; the first one is thrown. */
export function validateSupplier(s: SupplierFields): SupplierFields {
  const name = s.name.trim();
  if (!name) throw new DomainError('SUPPLIER_NAME_REQUIRED', '请填写供应商名称');
  if (!Number.isInteger(s.paymentTermDays) || s.paymentTermDays < 0 || s.paymentTermDays > MAX_PAYMENT_TERM_DAYS)
    throw new DomainError('PAYMENT_TERM_INVALID', `付款周期应为 0 至 ${MAX_PAYMENT_TERM_DAYS} 天`);
  const accountNo = s.accountNo.replace(/\s+/g, '');
  const accountName = s.accountName.trim();
  if (!accountName) throw new DomainError('PAYEE_NAME_REQUIRED', '请填写收款户名（转账时与收款账户核对）');
  if (s.payeeChannel === 'bank') {
    if (!s.bankName.trim()) throw new DomainError('BANK_NAME_REQUIRED', '银行转账需填写开户银行');
    if (!/^\d{8,32}$/.test(accountNo)) throw new DomainError('BANK_ACCOUNT_INVALID', '银行账号应为 8 至 32 位数字');
  }
  if (s.payeeChannel === 'wechat' && !s.wechatOpenId.trim()) throw new DomainError('WECHAT_OPENID_REQUIRED', '微信转账需填写收款人 OpenID');
  if (s.payeeChannel === 'alipay' && !s.alipayLogin.trim()) throw new DomainError('ALIPAY_LOGIN_REQUIRED', '支付宝转账需填写收款支付宝账号');
  if (s.contactPhone && !/^[\d+\-\s]{5,20}$/.test(s.contactPhone)) throw new DomainError('PHONE_INVALID', '联系电话格式不正确');
  return { ...s, name, accountNo, accountName, wechatOpenId: s.wechatOpenId.trim(), alipayLogin: s.alipayLogin.trim() };
}

/** The account a transfer goes to on the supplier's channel (bank account, openid or Alipay login). */
export function payeeAccountOf(s: SupplierPayee): string {
  return s.payeeChannel === 'bank' ? s.accountNo : s.payeeChannel === 'wechat' ? s.wechatOpenId : s.alipayLogin;
}

export function maskPayee(channel: PayeeChannel, account: string): string {
  if (!account) return '';
  return channel === 'bank' ? maskBankAccount(account) : maskPayeeAccount(account);
}

// ─── Payables ───────────────────────────────────────────────────────────────────────────────────

export const PAYABLE_STATUSES = ['open', 'in_payment', 'paid'] as const;
export type PayableStatus = (typeof PAYABLE_STATUSES)[number];
export const PAYABLE_STATUS_LABELS: Record<PayableStatus, string> = { open: '未付', in_payment: '付款中', paid: '已付清' };

export interface Payable {
  id: number;
  supplierId: number;
  referenceNo: string;
  description: string;
  amountFen: Fen;
  /** Asia/Shanghai date, YYYY-MM-DD. */
  invoiceDate: string;
  dueDate: string;
  status: PayableStatus;
  paidFen: Fen;
  /** Held by 付款单 under approval or being paid. */
  reservedFen: Fen;
  createdAt: number;
  version: number;
}

/** What may still be put on a new 付款单. */
export const openFen = (p: Pick<Payable, 'amountFen' | 'paidFen' | 'reservedFen'>): Fen => p.amountFen - p.paidFen - p.reservedFen;

export function payableStatus(p: Pick<Payable, 'amountFen' | 'paidFen' | 'reservedFen'>): PayableStatus {
  if (p.paidFen >= p.amountFen) return 'paid';
  return p.reservedFen > 0 ? 'in_payment' : 'open';
}

/** Due date = invoice date + the contract's payment term (Asia/Shanghai calendar days). */
export function dueDateOf(invoiceDate: string, termDays: number): string {
  const [y, m, d] = invoiceDate.split('-').map(Number);
  const t = Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + termDays);
  return new Date(t).toISOString().slice(0, 10);
}

/** An amount change may not go below what is already paid or held. */
export function assertPayableAmount(p: Pick<Payable, 'paidFen' | 'reservedFen'>, amountFen: Fen): void {
  checkFen(amountFen);
  if (amountFen < p.paidFen + p.reservedFen)
    throw new DomainError('PAYABLE_AMOUNT_TOO_SMALL', `应付金额不能小于已付与付款中的合计 ${formatYuan(p.paidFen + p.reservedFen)}`);
}

// ─── 付款单 ─────────────────────────────────────────────────────────────────────────────────────

export const SUPPLIER_PAYMENT_STATUSES = ['draft', 'pending_approval', 'approved', 'processing', 'success', 'failed', 'rejected', 'cancelled'] as const;
export type SupplierPaymentStatus = (typeof SUPPLIER_PAYMENT_STATUSES)[number];
export const SUPPLIER_PAYMENT_STATUS_LABELS: Record<SupplierPaymentStatus, string> = {
  draft: '草稿',
  pending_approval: '审批中',
  approved: '待付款',
  processing: '付款中',
  success: '付款成功',
  failed: '付款失败',
  rejected: '已驳回',
  cancelled: '已作废',
};

/** Which states hold their payables' amounts (reserved). */
export const RESERVING_STATUSES: readonly SupplierPaymentStatus[] = ['pending_approval', 'approved', 'processing', 'failed'];

export const isEditable = (s: SupplierPaymentStatus) => s === 'draft' || s === 'rejected';

export interface Allocation {
  payableId: number;
  amountFen: Fen;
}

/**
 * Checks a 付款单's allocations against its payables (locked, current): every payable exists, belongs
 * to the supplier, is not paid, and is asked for no more than is open on it. Returns the total.
 */
export function checkAllocations(supplierId: number, allocations: readonly Allocation[], payables: ReadonlyMap<number, Payable>): Fen {
  if (allocations.length === 0) throw new DomainError('PAYMENT_NO_PAYABLES', '请至少选择一笔应付款');
  const seen = new Set<number>();
  let total = 0;
  for (const a of allocations) {
    if (seen.has(a.payableId)) throw new DomainError('PAYABLE_DUPLICATE', '同一笔应付款只能选择一次');
    seen.add(a.payableId);
    const p = payables.get(a.payableId);
    if (!p) throw new DomainError('PAYABLE_NOT_FOUND', `应付款 #${a.payableId} 不存在`);
    if (p.supplierId !== supplierId) throw new DomainError('PAYABLE_OTHER_SUPPLIER', `应付款 ${p.referenceNo} 不属于该供应商`);
    checkFen(a.amountFen);
    const open = openFen(p);
    if (a.amountFen > open)
      throw new DomainError('PAYMENT_EXCEEDS_OPEN', `应付款 ${p.referenceNo} 本次付款 ${formatYuan(a.amountFen)} 超过未付金额 ${formatYuan(Math.max(open, 0))}`);
    total += a.amountFen;
  }
  return checkFen(total);
}

/** `${paymentNo}T${attempt}`: alphanumeric (WeChat out_bill_no allows no dash), ≤ 32 characters on every platform. */
export function transferNoOf(paymentNo: string, attempt: number): string {
  return `${paymentNo}T${attempt}`;
}

/** What the transfer last reported (WeChat waits for the payee's confirmation). */
export type TransferState = 'sending' | 'unknown' | 'processing' | 'wait_user_confirm' | 'success' | 'failed' | 'cancelled';

export interface SupplierPayment {
  paymentNo: string;
  supplierId: number;
  status: SupplierPaymentStatus;
  amountFen: Fen;
  purpose: string;
  /** Snapshot of the supplier's payee at submission (null while a draft). */
  payeeChannel: PayeeChannel | null;
  payeeAccount: string | null;
  payeeName: string | null;
  payeeBank: string | null;
  transferNo: string | null;
  attempt: number;
  platformTransferNo: string | null;
  transferState: TransferState | null;
  failReason: string | null;
  retryable: boolean | null;
  voucherNo: string | null;
  createdBy: number | null;
  createdByName: string;
  createdAt: number;
  submittedAt: number | null;
  approvedAt: number | null;
  sentAt: number | null;
  finishedAt: number | null;
  nextCheckAt: number | null;
  version: number;
}

/** The words of this domain for the renderer (served by `meta.vocabulary`). */
export const SUPPLIER_VOCABULARY = {
  payeeChannels: PAYEE_CHANNEL_LABELS,
  payableStatuses: PAYABLE_STATUS_LABELS,
  supplierPaymentStatuses: SUPPLIER_PAYMENT_STATUS_LABELS,
};
