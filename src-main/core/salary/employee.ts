import { DomainError } from '../errors';
import type { Fen } from '../money';
import { maskPayee, PAYEE_CHANNEL_LABELS, type PayeeChannel } from '../suppliers/supplier-payment';
import { computeSalary, MAX_LINE_FEN, MAX_RATE_CFEN } from './salary-calc';

/**
 * 员工 as a payee of the salary (design document 2.3.1: 银行转账、微信、支付宝, the employee's choice).
 * One account on the chosen channel: a bank card number, a WeChat openid or an Alipay login; the
 * transfer checks it against the employee's real name, so the name is the payee name.
 */
export interface EmployeeFields {
  employeeNo: string;
  name: string;
  department: string;
  payeeChannel: PayeeChannel;
  /** Full account on the channel as stored; screens get it masked. */
  account: string;
  /** 开户银行 (bank transfers only). */
  bankName: string;
  /** Mobile phone for the payslip SMS (工资条); optional. */
  phone: string;
  /** Defaults the month's sheet starts from (按员工档案生成). */
  baseFen: Fen;
  rateCfen: number;
  active: boolean;
}

export interface Employee extends EmployeeFields {
  id: number;
  createdAt: number;
  version: number;
}

const EMPLOYEE_NO = /^[A-Za-z0-9_-]{1,32}$/;

/** Every problem is one Chinese sentence; the first one found is thrown. */
export function validateEmployee(e: EmployeeFields): EmployeeFields {
  const employeeNo = e.employeeNo.trim();
  const name = e.name.trim();
  if (!EMPLOYEE_NO.test(employeeNo)) throw new DomainError('EMPLOYEE_NO_INVALID', '工号应为 1 至 32 位字母、数字、下划线或横线');
  if (!name) throw new DomainError('EMPLOYEE_NAME_REQUIRED', '请填写员工姓名');
  const account = e.account.replace(/\s+/g, '');
  const channel = PAYEE_CHANNEL_LABELS[e.payeeChannel] ? e.payeeChannel : null;
  if (!channel) throw new DomainError('PAYEE_CHANNEL_INVALID', '发放方式必须是 银行转账/微信转账/支付宝转账 之一');
  if (channel === 'bank') {
    if (!e.bankName.trim()) throw new DomainError('BANK_NAME_REQUIRED', '银行转账需填写开户银行');
    if (!/^\d{8,32}$/.test(account)) throw new DomainError('BANK_ACCOUNT_INVALID', '银行账号应为 8 至 32 位数字');
  }
  if (channel === 'wechat' && !/^[A-Za-z0-9_-]{6,64}$/.test(account)) throw new DomainError('WECHAT_OPENID_INVALID', '微信转账需填写员工的 OpenID（6 至 64 位字母、数字、下划线或横线）');
  if (channel === 'alipay' && !(/^1\d{10}$/.test(account) || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(account)))
    throw new DomainError('ALIPAY_LOGIN_INVALID', '支付宝账号应为手机号或电子邮箱');
  const phone = e.phone.replace(/[\s-]+/g, '');
  if (phone && !/^1\d{10}$/.test(phone)) throw new DomainError('PHONE_INVALID', '手机号应为 11 位数字（用于发送工资条短信）');
  if (!Number.isSafeInteger(e.baseFen) || e.baseFen < 0 || e.baseFen > MAX_LINE_FEN) throw new DomainError('SALARY_VALUE_INVALID', '默认基本工资不正确');
  if (!Number.isSafeInteger(e.rateCfen) || e.rateCfen < 0 || e.rateCfen > MAX_RATE_CFEN) throw new DomainError('SALARY_VALUE_INVALID', '默认工作量单价不正确');
  return {
    ...e, employeeNo, name, department: e.department.trim(), account, bankName: channel === 'bank' ? e.bankName.trim() : '', phone, active: Boolean(e.active),
  };
}

/** The employee's account on their channel, masked as the channel's accounts are (bank 6 + 4, logins by kind). */
export const maskEmployeeAccount = (e: Pick<EmployeeFields, 'payeeChannel' | 'account'>) => maskPayee(e.payeeChannel, e.account);

/** A blank line for an employee, from the employee's defaults (no workload yet). */
export function defaultLineOf(e: Pick<EmployeeFields, 'baseFen' | 'rateCfen'>) {
  return computeSalary({ baseFen: e.baseFen, unitsMilli: 0, rateCfen: e.rateCfen, allowanceFen: 0, deductionFen: 0 });
}
