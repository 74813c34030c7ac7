import { LINE_PAYOUT_STATUS_LABELS, PAY_MONTH_LABELS, SHEET_STATUS_LABELS } from './salary-sheet';

/** The words of 薪资 for the renderer (`meta.vocabulary`). */
export const SALARY_VOCABULARY = {
  salarySheetStatuses: SHEET_STATUS_LABELS,
  salaryLinePayoutStatuses: LINE_PAYOUT_STATUS_LABELS,
  salaryPayMonths: PAY_MONTH_LABELS,
};

/** Audit actions written by the salary services and the supplier-terms drafting. */
export const SALARY_AUDIT_ACTION_LABELS: Record<string, string> = {
  'employee.create': '新增员工',
  'employee.update': '修改员工',
  'salary.line.save': '填写薪资',
  'salary.line.remove': '移除薪资行',
  'salary.sheet.generate': '按员工档案生成薪资表',
  'salary.sheet.import': '导入薪资表',
  'salary.sheet.submit': '薪资表提交审核',
  'salary.sheet.approve': '薪资审核通过',
  'salary.sheet.reject': '薪资审核驳回',
  'salary.sheet.batch': '生成薪资批量付款',
  'salary.line.payout': '薪资发放结果',
  'salary.schedule.update': '修改发薪日',
  'payable.reserve_batch': '应付款列入批量付款',
  'payable.release_batch': '应付款移出批量付款',
  'supplier_terms.batch': '按付款周期生成供应商批量付款',
};

export const SALARY_AUDIT_ENTITY_LABELS: Record<string, string> = {
  employee: '员工',
  salary_sheet: '薪资表',
  supplier_terms: '供应商到期付款',
};

export const SALARY_AUDIT_FIELD_LABELS: Record<string, string> = {
  employeeNo: '工号',
  department: '部门',
  payeeChannel: '发放方式',
  accountMasked: '收款账号',
  bankName: '开户银行',
  phoneMasked: '手机号',
  baseFen: '基本工资',
  rateCfen: '工作量单价（0.01分）',
  unitsMilli: '工作量（千分之一）',
  workloadFen: '工作量工资',
  allowanceFen: '津贴',
  deductionFen: '扣款',
  grossFen: '应发',
  netFen: '实发',
  month: '薪资月份',
  lineCount: '人数',
  payoutStatus: '发放状态',
  batchNo: '批量付款单号',
  payDay: '发薪日',
  payMonth: '发放月份',
  autoDraft: '自动生成批量付款',
  leadDays: '提前付款天数',
  payableIds: '应付款',
  name: '姓名',
  remark: '备注',
  employees: '员工',
  created: '新增',
  updated: '更新',
  auto: '自动生成',
  sheetStatus: '薪资表状态',
  dueTo: '到期日截至',
  supplierCount: '供应商数',
};
