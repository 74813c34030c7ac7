import { sensitiveFieldSpec, SENSITIVE_FIELDS, type SensitiveEntityType } from '../../core/access/masking';
import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import type { Clock } from '../../core/time';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';

export interface SensitiveRef {
  entityType: string;
  entityId: string;
  field: string;
}

type FieldsOf<E extends SensitiveEntityType> = keyof (typeof SENSITIVE_FIELDS)[E];
/** Reads the full values of one record's sensitive fields; null when the record does not exist. */
type Resolver<E extends SensitiveEntityType> = (tx: Tx, entityId: string) => Promise<Record<FieldsOf<E>, string | null> | null>;

/** Where each sensitive field is stored. A new entry of SENSITIVE_FIELDS does not compile without one. */
const RESOLVERS: { [E in SensitiveEntityType]: Resolver<E> } = {
  meal_bill: async (tx, billNo) => {
    if (!(await tx.mealBills.findByNo(billNo))) return null;
    const invoice = await tx.mealBills.invoice(billNo);
    return { invoicePhone: invoice?.phone || null };
  },
  supplier: async (tx, id) => {
    // Supplier ids are numbers; anything else names no supplier.
    if (!/^[1-9]\d{0,9}$/.test(id)) return null;
    const s = await tx.suppliers.findSupplier(Number(id));
    if (!s) return null;
    return { accountNo: s.accountNo || null, wechatOpenId: s.wechatOpenId || null, alipayLogin: s.alipayLogin || null, contactPhone: s.contactPhone || null };
  },
  employee: async (tx, id) => {
    if (!/^[1-9]\d{0,9}$/.test(id)) return null;
    const e = await tx.salary.findEmployee(Number(id));
    return e ? { account: e.account || null, phone: e.phone || null } : null;
  },
};

/**
 * 查看完整敏感信息 (issue 5, design document 5.3): services hand out masked values only; the full
 * value of one field of one record is read here, for `sensitive:unmask`, and every reading is
 * audited — who, which record, which field, never the value itself.
 */
export class SensitiveService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async reveal(actor: Actor, ref: SensitiveRef): Promise<string | null> {
    const spec = sensitiveFieldSpec(ref.entityType, ref.field);
    if (!spec) throw new DomainError('FIELD_NOT_SENSITIVE', '该字段不是可查看的敏感信息');
    const entityType = ref.entityType as SensitiveEntityType;
    return this.store.transaction(async (tx) => {
      const values = (await RESOLVERS[entityType](tx, ref.entityId)) as Record<string, string | null> | null;
      if (!values) throw new DomainError('RECORD_NOT_FOUND', '记录不存在');
      const value = values[ref.field] ?? null;
      if (value === null) return null;
      await tx.audit.append(
        { actorId: actor.id, actorName: actor.name, action: 'sensitive.reveal', entityType, entityId: ref.entityId, before: null, after: snapshot({ field: ref.field }) },
        this.clock.now(),
      );
      return value;
    });
  }
}
