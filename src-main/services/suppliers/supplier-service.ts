import { maskPhone, type SENSITIVE_FIELDS } from '../../core/access/masking';
import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import type { Fen } from '../../core/money';
import type { Page } from '../../core/orders/order';
import {
  assertPayableAmount, dueDateOf, maskPayee, openFen, payableStatus, validateSupplier,
  type Payable, type PayableStatus, type Supplier, type SupplierFields,
} from '../../core/suppliers/supplier-payment';
import { DAY_MS, shanghaiDate, shanghaiDayStart, type Clock } from '../../core/time';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { PayableFilter, SupplierFilter } from '../../db/repositories/supplier-repository';
import type { Store, Tx } from '../../db/store';
import { isUniqueViolation } from '../../db/db-errors';
import type { Actor } from '../actor';

/** A supplier as screens get it: every account and the phone masked (full values only through `sensitive.reveal`, SENSITIVE_FIELDS.supplier). */
export interface SupplierView extends Omit<Supplier, 'accountNo' | 'wechatOpenId' | 'alipayLogin' | 'contactPhone'> {
  accountNoMasked: string;
  wechatOpenIdMasked: string;
  alipayLoginMasked: string;
  contactPhoneMasked: string;
  /** The account the supplier is paid to, masked, whatever the channel. */
  payeeAccountMasked: string;
}

export function supplierView(s: Supplier): SupplierView {
  const { accountNo, wechatOpenId, alipayLogin, contactPhone, ...rest } = s;
  const payee = s.payeeChannel === 'bank' ? accountNo : s.payeeChannel === 'wechat' ? wechatOpenId : alipayLogin;
  return {
    ...rest,
    accountNoMasked: maskPayee('bank', accountNo),
    wechatOpenIdMasked: maskPayee('wechat', wechatOpenId),
    alipayLoginMasked: maskPayee('alipay', alipayLogin),
    contactPhoneMasked: contactPhone ? maskPhone(contactPhone) : '',
    payeeAccountMasked: maskPayee(s.payeeChannel, payee),
  };
}

/** The audit snapshot never carries a full account or phone either. */
const auditSupplier = (s: Supplier) => snapshot({ ...supplierView(s), version: undefined });

/** The supplier's fields held back from screens (registered in SENSITIVE_FIELDS, read through `sensitive.reveal`). */
export type SupplierSensitiveField = keyof (typeof SENSITIVE_FIELDS)['supplier'];

/** Update input: an account field left undefined keeps its stored value (the form never holds it in full). */
export type SupplierUpdate = Omit<SupplierFields, SupplierSensitiveField> & Partial<Pick<SupplierFields, SupplierSensitiveField>>;

export interface PayableInput {
  supplierId: number;
  referenceNo: string;
  description: string;
  amountFen: Fen;
  invoiceDate: string;
  /** Defaults to invoice date + the supplier's contract payment term. */
  dueDate?: string;
}

export interface PayableView extends Payable {
  supplierName: string;
  openFen: Fen;
  /** Due date passed and money still owed. */
  overdue: boolean;
  /** Days from today (Asia/Shanghai) to the due date; negative when overdue. */
  daysToDue: number;
}

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((shanghaiDayStart(toDate) - shanghaiDayStart(fromDate)) / DAY_MS);
}

/** 供应商 and 应付款 (design document 2.4.1–2.4.2 step 1): maintained by staff with supplier:manage, audited. */
export class SupplierService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private audit(tx: Tx, actor: Actor, action: string, entityType: string, entityId: string, before: string | null, after: string | null) {
    return tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType, entityId, before, after }, this.clock.now());
  }

  async create(actor: Actor, input: SupplierFields): Promise<SupplierView> {
    const fields = validateSupplier(input);
    return this.store.transaction(async (tx) => {
      if (await tx.suppliers.findSupplierByName(fields.name)) throw new DomainError('SUPPLIER_EXISTS', `供应商「${fields.name}」已存在`);
      const now = this.clock.now();
      const id = await tx.suppliers.insertSupplier(fields, actor.id, now).catch((e: unknown) => {
        throw isUniqueViolation(e) ? new DomainError('SUPPLIER_EXISTS', `供应商「${fields.name}」已存在`) : e;
      });
      const s: Supplier = { ...fields, id, createdAt: now, version: 1 };
      await this.audit(tx, actor, 'supplier.create', 'supplier', String(id), null, auditSupplier(s));
      return supplierView(s);
    });
  }

  async update(actor: Actor, id: number, version: number, input: SupplierUpdate): Promise<SupplierView> {
    return this.store.transaction(async (tx) => {
      const before = await this.mustFind(tx, id, true);
      if (before.version !== version) throw new ConcurrentUpdateError();
      const fields = validateSupplier({
        ...input,
        accountNo: input.accountNo ?? before.accountNo,
        wechatOpenId: input.wechatOpenId ?? before.wechatOpenId,
        alipayLogin: input.alipayLogin ?? before.alipayLogin,
        contactPhone: input.contactPhone ?? before.contactPhone,
      });
      const other = await tx.suppliers.findSupplierByName(fields.name);
      if (other && other.id !== id) throw new DomainError('SUPPLIER_EXISTS', `供应商「${fields.name}」已存在`);
      await tx.suppliers.updateSupplier(id, version, fields);
      const after: Supplier = { ...before, ...fields, version: version + 1 };
      await this.audit(tx, actor, 'supplier.update', 'supplier', String(id), auditSupplier(before), auditSupplier(after));
      return supplierView(after);
    });
  }

  async get(id: number): Promise<{ supplier: SupplierView; history: AuditEntry[] }> {
    return this.store.read(async (tx) => {
      const s = await this.mustFind(tx, id, false);
      return { supplier: supplierView(s), history: await tx.audit.forEntity('supplier', String(id)) };
    });
  }

  async list(f: SupplierFilter, page: number, pageSize: number): Promise<Page<SupplierView>> {
    const p = await this.store.read((tx) => tx.suppliers.listSuppliers(f, page, pageSize));
    return { ...p, items: p.items.map(supplierView) };
  }

  private async mustFind(tx: Tx, id: number, forUpdate: boolean): Promise<Supplier> {
    const s = await tx.suppliers.findSupplier(id, { forUpdate });
    if (!s) throw new DomainError('SUPPLIER_NOT_FOUND', `供应商 #${id} 不存在`);
    return s;
  }

  // ─── 应付款 ───

  async createPayable(actor: Actor, input: PayableInput): Promise<PayableView> {
    return this.store.transaction(async (tx) => {
      const supplier = await this.mustFind(tx, input.supplierId, false);
      if (!supplier.active) throw new DomainError('SUPPLIER_INACTIVE', `供应商「${supplier.name}」已停用`);
      assertPayableAmount({ paidFen: 0, reservedFen: 0 }, input.amountFen);
      const dueDate = input.dueDate ?? dueDateOf(input.invoiceDate, supplier.paymentTermDays);
      if (dueDate < input.invoiceDate) throw new DomainError('DUE_DATE_INVALID', '到期日不能早于发票日期');
      const now = this.clock.now();
      const p: Omit<Payable, 'id' | 'version'> = {
        supplierId: supplier.id, referenceNo: input.referenceNo.trim(), description: input.description.trim(), amountFen: input.amountFen,
        invoiceDate: input.invoiceDate, dueDate, status: 'open', paidFen: 0, reservedFen: 0, createdAt: now,
      };
      const id = await tx.suppliers.insertPayable(p, actor.id).catch((e: unknown) => {
        throw isUniqueViolation(e) ? new DomainError('PAYABLE_EXISTS', `该供应商已有单据号为 ${p.referenceNo} 的应付款`) : e;
      });
      const created: Payable = { ...p, id, version: 1 };
      await this.audit(tx, actor, 'payable.create', 'payable', String(id), null, snapshot({ ...created, version: undefined, supplierName: supplier.name }));
      return this.payableView(created, supplier.name);
    });
  }

  /** Description, dates and amount; the amount never below what is paid or held by a 付款单. */
  async updatePayable(actor: Actor, id: number, version: number, input: Omit<PayableInput, 'supplierId'>): Promise<PayableView> {
    return this.store.transaction(async (tx) => {
      const before = await tx.suppliers.findPayable(id, { forUpdate: true });
      if (!before) throw new DomainError('PAYABLE_NOT_FOUND', `应付款 #${id} 不存在`);
      if (before.version !== version) throw new ConcurrentUpdateError();
      if (before.status === 'paid') throw new DomainError('PAYABLE_PAID', '应付款已付清，不能修改');
      assertPayableAmount(before, input.amountFen);
      const supplier = await this.mustFind(tx, before.supplierId, false);
      const dueDate = input.dueDate ?? dueDateOf(input.invoiceDate, supplier.paymentTermDays);
      if (dueDate < input.invoiceDate) throw new DomainError('DUE_DATE_INVALID', '到期日不能早于发票日期');
      const patch = { referenceNo: input.referenceNo.trim(), description: input.description.trim(), amountFen: input.amountFen, invoiceDate: input.invoiceDate, dueDate };
      const after: Payable = { ...before, ...patch, version: version + 1 };
      after.status = payableStatus(after);
      await tx.suppliers.updatePayable(id, version, { ...patch, status: after.status }).catch((e: unknown) => {
        throw isUniqueViolation(e) ? new DomainError('PAYABLE_EXISTS', `该供应商已有单据号为 ${patch.referenceNo} 的应付款`) : e;
      });
      await this.audit(tx, actor, 'payable.update', 'payable', String(id), snapshot({ ...before, version: undefined }), snapshot({ ...after, version: undefined }));
      return this.payableView(after, supplier.name);
    });
  }

  async listPayables(f: PayableFilter & { overdueOnly?: boolean }, page: number, pageSize: number): Promise<Page<PayableView>> {
    const today = shanghaiDate(this.clock.now());
    const filter: PayableFilter = { ...f };
    if (f.overdueOnly) {
      filter.statuses = (f.statuses?.length ? f.statuses : (['open', 'in_payment'] as PayableStatus[])).filter((s) => s !== 'paid');
      filter.dueTo = shanghaiDate(shanghaiDayStart(today) - DAY_MS);
    }
    return this.store.read(async (tx) => {
      const p = await tx.suppliers.listPayables(filter, page, pageSize);
      const suppliers = await tx.suppliers.suppliersByIds(p.items.map((i) => i.supplierId));
      return { ...p, items: p.items.map((i) => this.payableView(i, suppliers.get(i.supplierId)?.name ?? '', today)) };
    });
  }

  /** 到期应付: money still owed that falls due within `days` (contract payment terms), overdue first. */
  async dueList(withinDays: number): Promise<PayableView[]> {
    const today = shanghaiDate(this.clock.now());
    const dueTo = shanghaiDate(shanghaiDayStart(today) + withinDays * DAY_MS);
    const page = await this.listPayables({ statuses: ['open', 'in_payment'], dueTo }, 1, 500);
    return page.items.filter((p) => p.openFen > 0 || p.reservedFen > 0);
  }

  async getPayable(id: number): Promise<{ payable: PayableView; payments: { paymentNo: string; amountFen: Fen }[]; history: AuditEntry[] }> {
    return this.store.read(async (tx) => {
      const p = await tx.suppliers.findPayable(id);
      if (!p) throw new DomainError('PAYABLE_NOT_FOUND', `应付款 #${id} 不存在`);
      const s = await tx.suppliers.findSupplier(p.supplierId);
      return { payable: this.payableView(p, s?.name ?? ''), payments: await tx.suppliers.paymentsOfPayable(id), history: await tx.audit.forEntity('payable', String(id)) };
    });
  }

  private payableView(p: Payable, supplierName: string, today = shanghaiDate(this.clock.now())): PayableView {
    const daysToDue = daysBetween(today, p.dueDate);
    return { ...p, supplierName, openFen: openFen(p), overdue: p.status !== 'paid' && daysToDue < 0, daysToDue };
  }
}
