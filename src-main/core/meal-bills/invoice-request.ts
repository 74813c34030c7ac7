import { maskPhone } from '../access/masking';
import { DomainError } from '../errors';

/**
 * 发票申请 (design document 2.2.3: electronic and paper invoices). We record the request; issuing
 * the invoice is the tax-control system's job. A company title needs its taxpayer id: the 18-character
 * 统一社会信用代码 (GB 32100-2015, checked by its check character) or a legacy 15/17/20-character
 * tax number. An electronic invoice goes to an e-mail address, a paper one to a postal address.
 */
export const INVOICE_KINDS = ['electronic', 'paper'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export const INVOICE_KIND_LABELS: Record<InvoiceKind, string> = { electronic: '电子发票', paper: '纸质发票' };

export const INVOICE_TITLE_TYPES = ['company', 'personal'] as const;
export type InvoiceTitleType = (typeof INVOICE_TITLE_TYPES)[number];
export const INVOICE_TITLE_TYPE_LABELS: Record<InvoiceTitleType, string> = { company: '单位', personal: '个人' };

export const INVOICE_STATUS_LABELS = { requested: '已申请' } as const;
export type InvoiceStatus = keyof typeof INVOICE_STATUS_LABELS;

export interface InvoiceRequestInput {
  kind: InvoiceKind;
  titleType: InvoiceTitleType;
  title: string;
  taxId: string;
  email: string;
  postalAddress: string;
  recipient: string;
  phone: string;
}

export interface InvoiceRequest extends InvoiceRequestInput {
  billNo: string;
  status: InvoiceStatus;
  requestedBy: number | null;
  requestedAt: number;
}

/**
 * The invoice as it leaves the service and enters the audit log: the recipient's phone masked
 * (issue 5). The full number is read only through `sensitive.reveal`, which is audited.
 */
export function maskedInvoice<T extends Pick<InvoiceRequestInput, 'phone'>>(invoice: T): T {
  return { ...invoice, phone: invoice.phone ? maskPhone(invoice.phone) : '' };
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function isUnifiedCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(code[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARS[check] === code[17];
}

export function isTaxId(id: string): boolean {
  if (id.length === 18) return isUnifiedCreditCode(id);
  return /^[0-9A-Z]{15}$|^[0-9A-Z]{17}$|^[0-9A-Z]{20}$/.test(id);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

/** Normalizes (upper-case tax id, drops fields the kind does not use) and validates; messages are for the form. */
export function validateInvoiceRequest(i: InvoiceRequestInput): InvoiceRequestInput {
  const bad = (message: string) => new DomainError('INVOICE_INVALID', message);
  const title = i.title.trim();
  if (!title) throw bad('请填写发票抬头');
  const taxId = i.taxId.trim().toUpperCase();
  if (i.titleType === 'company' && !taxId) throw bad('单位抬头必须填写纳税人识别号');
  if (taxId && !isTaxId(taxId)) throw bad('纳税人识别号不正确（统一社会信用代码为 18 位，校验位不符或含非法字符）');
  const out: InvoiceRequestInput = { kind: i.kind, titleType: i.titleType, title, taxId, email: '', postalAddress: '', recipient: '', phone: '' };
  if (i.kind === 'electronic') {
    const email = i.email.trim();
    if (!EMAIL.test(email)) throw bad('电子发票须填写有效的接收邮箱');
    return { ...out, email };
  }
  const postalAddress = i.postalAddress.trim();
  const recipient = i.recipient.trim();
  const phone = i.phone.trim();
  if (postalAddress.length < 6) throw bad('纸质发票须填写完整的邮寄地址');
  if (!recipient) throw bad('纸质发票须填写收件人');
  if (!PHONE.test(phone)) throw bad('请填写有效的收件人电话（手机或座机）');
  return { ...out, postalAddress, recipient, phone };
}
