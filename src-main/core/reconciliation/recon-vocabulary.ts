import { DIFF_TYPE_LABELS, type DiffField, type RecordKind, type RecordState } from './recon-diff';

/**
 * The words of 对账 (issue 6) as accountants read them: served to the renderer through
 * `meta.vocabulary` (the workbench, its side panel, the reports) and used by the Excel report, so
 * the screen, the printout and the workbook say the same thing.
 */

/** 待处理 / 处理中 / 已处理 / 已忽略 (the storage codes live in db/repositories/recon-repository.ts DIFF_STATUSES). */
export const DIFF_STATUS_LABELS = { open: '待处理', in_progress: '处理中', resolved: '已处理', ignored: '已忽略' } as const;
export type DiffStatusCode = keyof typeof DIFF_STATUS_LABELS;

/** How a difference was settled (DIFF_RESOLUTIONS). */
export const DIFF_RESOLUTION_LABELS = {
  requery: '重新查询支付平台',
  accept_platform: '以平台记录为准',
  keep_local: '以本地记录为准',
  refund_duplicate: '重复付款退款',
  adjust: '调账',
  rerun: '重新对账后已一致',
  manual: '人工处理',
} as const;

export const ADJUSTMENT_ACCOUNT_LABELS = { amount: '金额调整', fee: '手续费调整', other: '其他调整' } as const;

export const RECORD_STATE_LABELS: Record<RecordState, string> = { success: '成功', pending: '未完成', closed: '已关闭', failed: '失败' };
export const RECORD_KIND_LABELS: Record<RecordKind, string> = { payment: '支付', refund: '退款' };

export const RECON_PERIOD_LABELS = { daily: '日对账', weekly: '周对账', monthly: '月对账' } as const;
/** The report of a period: 日报 / 周报 / 月报. */
export const RECON_REPORT_LABELS = { daily: '对账日报', weekly: '对账周报', monthly: '对账月报' } as const;
export const RECON_RUN_STATUS_LABELS = { scheduled: '待执行', running: '对账中', done: '已完成', failed: '失败' } as const;

/**
 * The fields of a local or platform record as the side panel compares them, and the differing
 * fields a difference names (`fields`: count, presence, state, amount, fee).
 */
export const RECON_FIELD_LABELS = {
  presence: '记录',
  count: '笔数',
  key: '对账单号',
  orderNo: '订单号',
  platformNo: '平台交易号',
  amount: '金额',
  fee: '手续费',
  state: '状态',
  at: '时间',
  line: '账单行号',
} as const satisfies Record<DiffField, string> & Record<string, string>;

export const RECON_VOCABULARY = {
  diffTypes: DIFF_TYPE_LABELS,
  diffStatuses: DIFF_STATUS_LABELS,
  diffResolutions: DIFF_RESOLUTION_LABELS,
  adjustmentAccounts: ADJUSTMENT_ACCOUNT_LABELS,
  reconRecordStates: RECORD_STATE_LABELS,
  reconRecordKinds: RECORD_KIND_LABELS,
  reconPeriods: RECON_PERIOD_LABELS,
  reconReports: RECON_REPORT_LABELS,
  reconRunStatuses: RECON_RUN_STATUS_LABELS,
  reconFields: RECON_FIELD_LABELS,
};

/** How 对账 audit entries read in 审计日志 (joined into core/audit/audit-vocabulary.ts). */
export const RECON_AUDIT_ACTION_LABELS: Record<string, string> = {
  'recon.run.start': '开始对账',
  'recon.run': '对账完成',
  'recon.run.failed': '对账失败',
  'recon.period': '周/月对账汇总',
  'recon.diff.assign': '分配对账差异',
  'recon.diff.note': '对账差异备注',
  'recon.diff.status': '修改对账差异状态',
  'recon.diff.requery': '对账差异：重新查询支付平台',
  'recon.diff.accept_platform': '对账差异：以平台记录为准',
  'recon.diff.keep_local': '对账差异：以本地记录为准',
  'recon.diff.refund_duplicate': '对账差异：重复付款退款',
  'recon.diff.adjust': '对账差异：调账',
  'recon.diff.bulk': '批量处理对账差异',
  'recon.adjustment': '登记调账',
  'recon.report.export': '导出对账报表',
};

export const RECON_AUDIT_ENTITY_LABELS: Record<string, string> = {
  recon_run: '对账运行',
  recon_diff: '对账差异',
  recon_adjustment: '调账',
  recon_report: '对账报表',
};
