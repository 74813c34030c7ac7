import { maskPhone } from '../../core/access/masking';
import { snapshot } from '../../core/audit/audit-record';
import { DomainError } from '../../core/errors';
import type { Page } from '../../core/orders/order';
import { maskEmployeeAccount, validateEmployee, type Employee, type EmployeeFields } from '../../core/salary/employee';
import type { Clock } from '../../core/time';
import { isUniqueViolation } from '../../db/db-errors';
import type { AuditEntry } from '../../db/repositories/audit-repository';
import { ConcurrentUpdateError } from '../../db/repositories/concurrency';
import type { EmployeeFilter } from '../../db/repositories/salary-repository';
import type { Store, Tx } from '../../db/store';
import type { Actor } from '../actor';

/** An employee as screens get it: account and phone masked (full values only through `sensitive.reveal`, SENSITIVE_FIELDS.employee). */
export interface EmployeeView extends Omit<Employee, 'account' | 'phone'> {
  accountMasked: string;
  phoneMasked: string;
}

export function employeeView(e: Employee): EmployeeView {
  const { account, phone, ...rest } = e;
  return { ...rest, accountMasked: account ? maskEmployeeAccount(e) : '', phoneMasked: phone ? maskPhone(phone) : '' };
}

/** The audit snapshot never carries a full account or phone either. */
const auditEmployee = (e: Employee) => snapshot({ ...employeeView(e), version: undefined, createdAt: undefined });

/** Update input: account or phone left undefined keeps the stored value (the form never holds them in full). */
export type EmployeeUpdate = Omit<EmployeeFields, 'account' | 'phone'> & Partial<Pick<EmployeeFields, 'account' | 'phone'>>;

const exists = (no: string) => new DomainError('EMPLOYEE_EXISTS', `工号 ${no} 已被其他员工使用`);

/** 员工: the payees of the salary, maintained by finance (salary:edit), every change audited. */
export class EmployeeService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private audit(tx: Tx, actor: Actor, action: string, id: number, before: string | null, after: string | null) {
    return tx.audit.append({ actorId: actor.id, actorName: actor.name, action, entityType: 'employee', entityId: String(id), before, after }, this.clock.now());
  }

  async create(actor: Actor, input: EmployeeFields): Promise<EmployeeView> {
    const fields = validateEmployee(input);
    return this.store.transaction(async (tx) => {
      if (await tx.salary.findEmployeeByNo(fields.employeeNo)) throw exists(fields.employeeNo);
      const now = this.clock.now();
      const id = await tx.salary.insertEmployee(fields, actor.id, now).catch((e: unknown) => {
        throw isUniqueViolation(e) ? exists(fields.employeeNo) : e;
      });
      const e: Employee = { ...fields, id, createdAt: now, version: 1 };
      await this.audit(tx, actor, 'employee.create', id, null, auditEmployee(e));
      return employeeView(e);
    });
  }

  async update(actor: Actor, id: number, version: number, input: EmployeeUpdate): Promise<EmployeeView> {
    return this.store.transaction(async (tx) => {
      const before = await this.mustFind(tx, id, true);
      if (before.version !== version) throw new ConcurrentUpdateError();
      // A new channel needs its own account: the stored one belongs to the old channel.
      if (input.payeeChannel !== before.payeeChannel && input.account === undefined)
        throw new DomainError('EMPLOYEE_ACCOUNT_REQUIRED', '更换发放方式时请填写新的收款账号');
      const fields = validateEmployee({ ...input, account: input.account ?? before.account, phone: input.phone ?? before.phone });
      const other = await tx.salary.findEmployeeByNo(fields.employeeNo);
      if (other && other.id !== id) throw exists(fields.employeeNo);
      await tx.salary.updateEmployee(id, version, fields).catch((e: unknown) => {
        throw isUniqueViolation(e) ? exists(fields.employeeNo) : e;
      });
      const after: Employee = { ...before, ...fields, version: version + 1 };
      await this.audit(tx, actor, 'employee.update', id, auditEmployee(before), auditEmployee(after));
      return employeeView(after);
    });
  }

  async list(f: EmployeeFilter, page: number, pageSize: number): Promise<Page<EmployeeView>> {
    const p = await this.store.read((tx) => tx.salary.listEmployees(f, page, pageSize));
    return { ...p, items: p.items.map(employeeView) };
  }

  async get(id: number): Promise<{ employee: EmployeeView; history: AuditEntry[] }> {
    return this.store.read(async (tx) => ({ employee: employeeView(await this.mustFind(tx, id, false)), history: await tx.audit.forEntity('employee', String(id)) }));
  }

  private async mustFind(tx: Tx, id: number, forUpdate: boolean): Promise<Employee> {
    const e = await tx.salary.findEmployee(id, { forUpdate });
    if (!e) throw new DomainError('EMPLOYEE_NOT_FOUND', `员工 #${id} 不存在`);
    return e;
  }
}
