import { z } from 'zod';
import { DomainError, isDomainError } from '../core/errors';
import { parseYuan } from '../core/money';
import { MAX_LEAD_DAYS } from '../core/salary/supplier-terms';
import { parseRate, parseUnits } from '../core/salary/salary-calc';
import { PAYEE_CHANNELS } from '../core/suppliers/supplier-payment';
import { actorOf, channel } from './channel';
import { requiredText, text } from './schemas';

const id = (label: string) => z.number(`${label}必须是数字`).int().min(1, `${label}不正确`);
const version = z.number().int().min(1);
const month = z.string().trim().regex(/^(20\d\d)-(0[1-9]|1[0-2])$/, '薪资月份格式应为 YYYY-MM（例如 2026-11）');
const page = {
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
};
/** 10 MB of .xlsx is far more than 5,000 rows of a salary sheet. */
const MAX_XLSX_BASE64 = 14_000_000;

/** A value through one of the core's parsers, its Chinese message prefixed by the field's name. */
const parsed = <T>(label: string, parse: (v: unknown) => T) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    try {
      return parse(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: isDomainError(e) ? (e.message.startsWith(label) ? e.message : `${label}：${e.message}`) : `${label}格式不正确` });
      return z.NEVER;
    }
  });
/** Yuan at the edge → fen; zero allowed (no allowance, no deduction), empty means zero. */
const yuan = (label: string) => parsed(label, (v) => (v === '' ? 0 : parseYuan(v, { allowZero: true })));
const units = parsed('工作量', parseUnits);
const rate = parsed('工作量单价', parseRate);

const employeeFields = {
  employeeNo: requiredText(32),
  name: requiredText(64),
  department: text(64).default(''),
  payeeChannel: z.enum(PAYEE_CHANNELS, '发放方式必须是 银行转账/微信转账/支付宝转账 之一'),
  bankName: text(64).default(''),
  baseSalary: yuan('默认基本工资').default(0),
  rate: rate.default(0),
  active: z.boolean().default(true),
};

/** 薪资 (design document 2.3): employees, monthly sheets, review, the salary batch, payslips; supplier batches by payment terms (2.4.3). */
export const salaryChannels = {
  'salary.listEmployees': channel({
    access: 'salary:view',
    input: z.strictObject({ keyword: text(64).optional(), activeOnly: z.boolean().optional(), ...page }),
    handler: (ctx, { page: p, pageSize, ...f }) => ctx.app.salary.employees.list({ keyword: f.keyword || undefined, activeOnly: f.activeOnly }, p, pageSize),
  }),

  'salary.getEmployee': channel({
    access: 'salary:view',
    input: z.strictObject({ id: id('员工编号') }),
    handler: (ctx, i) => ctx.app.salary.employees.get(i.id),
  }),

  /** New (no id) or changed employee; an account or phone left out keeps the stored value (the form only shows them masked). */
  'salary.saveEmployee': channel({
    access: 'salary:edit',
    input: z.strictObject({ id: id('员工编号').optional(), version: version.optional(), ...employeeFields, account: text(128).optional(), phone: text(20).optional() }),
    handler: (ctx, { id: eid, version: v, baseSalary, rate: rateCfen, ...f }) => {
      const fields = { ...f, baseFen: baseSalary, rateCfen };
      if (eid === undefined) return ctx.app.salary.employees.create(actorOf(ctx), { ...fields, account: fields.account ?? '', phone: fields.phone ?? '' });
      if (v === undefined) throw new DomainError('VERSION_REQUIRED', '缺少版本号，请刷新后重试');
      return ctx.app.salary.employees.update(actorOf(ctx), eid, v, { ...fields, account: fields.account || undefined, phone: fields.phone || undefined });
    },
  }),

  'salary.listSheets': channel({
    access: 'salary:view',
    input: z.strictObject({ ...page }),
    handler: (ctx, i) => ctx.app.salary.sheets.listSheets(i.page, i.pageSize),
  }),

  /** The month's sheet with its lines, the employees still missing, totals, pay date and history. */
  'salary.sheet': channel({
    access: 'salary:view',
    input: z.strictObject({ month }),
    handler: (ctx, i) => ctx.app.salary.sheets.sheet(i.month, actorOf(ctx)),
  }),

  'salary.saveLine': channel({
    access: 'salary:edit',
    input: z.strictObject({
      month, employeeId: id('员工编号'), baseSalary: yuan('基本工资'), units: units.default(0), rate: rate.default(0), allowance: yuan('津贴').default(0),
      deduction: yuan('扣款').default(0), remark: text(128).default(''),
      // The line's version as read; 0 for a line that was not on the sheet (someone adding it meanwhile is not overwritten).
      version: z.number().int().min(0).optional(),
    }),
    handler: (ctx, i) =>
      ctx.app.salary.sheets.saveLine(actorOf(ctx), {
        month: i.month, employeeId: i.employeeId, baseFen: i.baseSalary, unitsMilli: i.units, rateCfen: i.rate, allowanceFen: i.allowance, deductionFen: i.deduction,
        remark: i.remark, version: i.version,
      }),
  }),

  'salary.removeLine': channel({
    access: 'salary:edit',
    input: z.strictObject({ month, employeeId: id('员工编号'), version }),
    handler: (ctx, i) => ctx.app.salary.sheets.removeLine(actorOf(ctx), i.month, i.employeeId, i.version),
  }),

  /** 按员工档案生成: a line for every active employee not on the sheet yet. */
  'salary.generateSheet': channel({
    access: 'salary:edit',
    input: z.strictObject({ month }),
    handler: (ctx, i) => ctx.app.salary.sheets.generate(actorOf(ctx), i.month),
  }),

  'salary.sheetTemplate': channel({
    access: 'salary:view',
    input: z.strictObject({ month }),
    handler: async (ctx, i) => {
      const t = await ctx.app.salary.imports.template(i.month);
      return { fileName: t.fileName, content: t.content.toString('base64') };
    },
  }),

  /** 导入薪资表 (.xlsx): all rows valid or nothing saved; the errors come back by row. */
  'salary.importSheet': channel({
    access: 'salary:edit',
    input: z.strictObject({
      month,
      fileName: requiredText(256),
      content: z.base64('文件内容不是有效的 base64').max(MAX_XLSX_BASE64, '文件不能超过 10 MB').min(1, '文件为空'),
    }),
    handler: (ctx, i) => ctx.app.salary.imports.importSheet(actorOf(ctx), i.month, Buffer.from(i.content, 'base64')),
  }),

  'salary.submitSheet': channel({
    access: 'salary:edit',
    input: z.strictObject({ month, version: version.optional() }),
    handler: (ctx, i) => ctx.app.salary.sheets.submit(actorOf(ctx), i.month, i.version),
  }),

  /** 薪资审核: by someone who did not fill the sheet; a rejection needs its reason. */
  'salary.reviewSheet': channel({
    access: 'salary:review',
    input: z.strictObject({ month, decision: z.enum(['approve', 'reject'], '审核意见必须是 通过 或 驳回'), comment: text(256).default(''), version: version.optional() }),
    handler: (ctx, i) => ctx.app.salary.sheets.review(actorOf(ctx), i.month, i.decision, i.comment, i.version),
  }),

  /** 生成批量付款 by hand (the pay-day job does it on its own); the batch then waits for approval. */
  'salary.draftBatch': channel({
    access: 'salary:edit',
    input: z.strictObject({ month, version: version.optional() }),
    handler: (ctx, i) => ctx.app.salary.payouts.draftBatch(actorOf(ctx), i.month, i.version),
  }),

  /** 工资条: the months of one employee. */
  'salary.payslips': channel({
    access: 'salary:view',
    input: z.strictObject({ employeeId: id('员工编号') }),
    handler: (ctx, i) => ctx.app.salary.payslips.months(i.employeeId),
  }),

  'salary.payslip': channel({
    access: 'salary:view',
    input: z.strictObject({ employeeId: id('员工编号'), month }),
    handler: (ctx, i) => ctx.app.salary.payslips.payslip(i.employeeId, i.month),
  }),

  /** 发放设置: the pay day and the supplier-terms drafting. */
  'salary.schedule': channel({
    access: 'salary:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.settings.payoutSchedule(),
  }),

  'salary.updateSchedule': channel({
    access: 'settings:manage',
    input: z.strictObject({
      salary: z.strictObject({
        payDay: z.number('发薪日必须是数字').int('发薪日必须是整数').min(1, '发薪日应为每月 1 至 31 日').max(31, '发薪日应为每月 1 至 31 日'),
        payMonth: z.enum(['next', 'same'], '发放月份应为 次月 或 当月'),
        autoDraft: z.boolean(),
      }),
      supplierTerms: z.strictObject({
        autoDraft: z.boolean(),
        leadDays: z.number('提前付款天数必须是数字').int().min(0, '提前付款天数不能为负').max(MAX_LEAD_DAYS, `提前付款天数不能超过 ${MAX_LEAD_DAYS} 天`),
      }),
      version: z.number().int().min(1).nullable(),
    }),
    handler: (ctx, { version: v, ...s }) => ctx.app.settings.updatePayoutSchedule(actorOf(ctx), s, v),
  }),

  /** 按付款周期生成供应商批量付款: the payables due (and not being paid by a 付款单 or another batch), one line per supplier. */
  'payables.draftBatch': channel({
    access: 'supplier_payment:create',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.salary.supplierTerms.draftNow(actorOf(ctx)),
  }),
};
