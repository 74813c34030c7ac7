import { z } from 'zod';
import { PERMISSION_LABELS } from '../core/access/permissions';
import { DomainError } from '../core/errors';
import { PAYMENT_METHODS } from '../core/orders/order-types';
import { DIFF_TYPES, RECORD_KINDS } from '../core/reconciliation/recon-diff';
import { DIFF_SORT_FIELDS, DIFF_STATUSES } from '../db/repositories/recon-repository';
import { MAX_BULK } from '../services/reconciliation/recon-bulk';
import { ADJUSTMENT_ACCOUNTS } from '../services/reconciliation/recon-workflow';
import { runReport } from '../services/reconciliation/recon-service';
import { actorOf, channel } from './channel';
import { requiredText, text, yuanAmount } from './schemas';

const method = z.enum(PAYMENT_METHODS, '对账渠道必须是 微信支付/支付宝/银行卡 之一');
const date = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式不正确（应为 YYYY-MM-DD）');
const id = (label: string) => z.number({ error: `${label}不正确` }).int(`${label}不正确`).min(1, `${label}不正确`);
const version = z.number().int().min(1).optional();
const paging = { page: z.number().int().min(1).max(1_000_000).default(1), pageSize: z.number().int().min(1).max(200).default(50) };
/** The difference table's filter: the list, "select all matching" and the bulk actions read it alike. */
const diffFilter = {
  channel: method.optional(),
  runId: id('对账运行编号').optional(),
  dateFrom: date.optional(),
  dateTo: date.optional(),
  types: z.array(z.enum(DIFF_TYPES, '差异类型不正确')).max(DIFF_TYPES.length).optional(),
  statuses: z.array(z.enum(DIFF_STATUSES, '处理状态不正确')).max(DIFF_STATUSES.length).optional(),
  kind: z.enum(RECORD_KINDS, '记录类型不正确').optional(),
  assigneeId: id('处理人').optional(),
  search: text(64).optional(),
};
const report = z.strictObject({ period: z.enum(['daily', 'weekly', 'monthly'], '报表周期必须是 日、周 或 月'), date, channel: method.optional() });
/** Ticked rows travel with their versions; a larger selection is made "by filter". */
const MAX_TICKED = 5000;
/** An uploaded bill: the file's bytes as base64 (both hosts carry JSON). 200 MB of file at most. */
const MAX_BILL_BASE64 = Math.ceil((200 * 1024 * 1024) / 3) * 4;

/** 对账 channels (issue 6): runs, the difference workbench and its actions, bill import. */
export const reconChannels = {
  'recon.listRuns': channel({
    access: 'recon:view',
    input: z.strictObject({
      channel: method.optional(),
      period: z.enum(['daily', 'weekly', 'monthly'], '对账周期不正确').optional(),
      dateFrom: date.optional(),
      dateTo: date.optional(),
      currentOnly: z.boolean().default(false),
      ...paging,
    }),
    handler: async (ctx, { page, pageSize, ...f }) => {
      const runs = await ctx.app.reconOffline.listRuns(f, page, pageSize);
      return { ...runs, items: runs.items.map(runReport) };
    },
  }),

  'recon.getRun': channel({
    access: 'recon:view',
    input: z.strictObject({ runId: id('对账运行编号') }),
    handler: (ctx, i) => ctx.app.reconOffline.getRun(i.runId),
  }),

  /** 导入账单: a file dropped on the workbench, reconciled for its day at once. */
  'recon.importBill': channel({
    access: 'recon:run',
    input: z.strictObject({
      channel: method,
      date,
      fileName: requiredText(256),
      content: z.base64('文件内容不是有效的 base64').max(MAX_BILL_BASE64, '账单文件不能超过 200 MB').min(1, '账单文件为空'),
    }),
    handler: async (ctx, i) => {
      const run = await ctx.app.reconOffline.requireOnline('导入账单', () => ctx.app.recon.importBill(actorOf(ctx), { channel: i.channel, date: i.date, fileName: i.fileName, file: { bytes: Buffer.from(i.content, 'base64') } }));
      return runReport(run);
    },
  }),

  /** 从平台下载账单: the day's bill fetched from the platform (checked by its adapter) and reconciled at once. */
  'recon.runFromPlatform': channel({
    access: 'recon:run',
    input: z.strictObject({ channel: method, date }),
    handler: async (ctx, i) => runReport(await ctx.app.reconOffline.requireOnline('从平台下载账单', () => ctx.app.reconBills.run(actorOf(ctx), i))),
  }),

  /** 周对账 / 月对账 over the current daily results. */
  'recon.runPeriod': channel({
    access: 'recon:run',
    input: z.strictObject({ channel: method, period: z.enum(['weekly', 'monthly'], '对账周期必须是 周 或 月'), date }),
    handler: async (ctx, i) => {
      const { run, missingDays } = await ctx.app.reconOffline.requireOnline('生成周期对账', () => ctx.app.recon.runPeriod(actorOf(ctx), i));
      return { ...runReport(run), daysCovered: run.daysCovered, missingDays };
    },
  }),

  /** The difference table: filter, sort, search and paging in SQL. */
  'recon.listDiffs': channel({
    access: 'recon:view',
    input: z.strictObject({
      ...diffFilter,
      sortBy: z.enum(DIFF_SORT_FIELDS, '排序字段不正确').default('billDate'),
      sortOrder: z.enum(['asc', 'desc']).default('desc'),
      ...paging,
    }),
    handler: (ctx, { sortBy, sortOrder, page, pageSize, ...f }) => ctx.app.reconOffline.listDiffs({ ...f, search: f.search || undefined }, sortBy, sortOrder, page, pageSize),
  }),

  /** The side panel: both records field by field, notes, adjustments. */
  'recon.getDiff': channel({
    access: 'recon:view',
    input: z.strictObject({ diffId: id('差异编号') }),
    handler: (ctx, i) => ctx.app.reconOffline.getDiff(i.diffId, actorOf(ctx)),
  }),

  'recon.assignDiff': channel({
    access: 'recon:resolve',
    input: z.strictObject({ diffId: id('差异编号'), assigneeId: id('处理人').nullable(), version }),
    handler: (ctx, i) => ctx.app.reconOffline.assign(actorOf(ctx), i.diffId, i.assigneeId, i.version),
  }),

  'recon.noteDiff': channel({
    access: 'recon:resolve',
    input: z.strictObject({ diffId: id('差异编号'), body: requiredText(1000) }),
    handler: (ctx, i) => ctx.app.reconOffline.note(actorOf(ctx), i.diffId, i.body),
  }),

  'recon.setDiffStatus': channel({
    access: 'recon:resolve',
    input: z.strictObject({ diffId: id('差异编号'), status: z.enum(DIFF_STATUSES, '处理状态不正确'), reason: text(512).optional(), version }),
    handler: (ctx, i) => ctx.app.reconOffline.setStatus(actorOf(ctx), i.diffId, i.status, i.reason, i.version),
  }),

  /** The actions on a difference; a refund of a duplicate payment also needs 申请退款 (it goes to approval). */
  'recon.actOnDiff': channel({
    access: 'recon:resolve',
    input: z.strictObject({
      diffId: id('差异编号'),
      version,
      action: z.discriminatedUnion(
        'kind',
        [
          z.strictObject({ kind: z.literal('requery') }),
          z.strictObject({ kind: z.literal('accept_platform'), reason: requiredText(256) }),
          z.strictObject({ kind: z.literal('keep_local'), reason: requiredText(256) }),
          z.strictObject({ kind: z.literal('refund_duplicate'), reason: requiredText(256) }),
          z.strictObject({
            kind: z.literal('adjust'),
            account: z.enum(ADJUSTMENT_ACCOUNTS, '调账科目不正确'),
            direction: z.enum(['increase', 'decrease'], '调账方向必须是 调增 或 调减'),
            amount: yuanAmount,
            reason: requiredText(256),
          }),
        ],
        { error: '处理动作不正确' },
      ),
    }),
    handler: (ctx, { diffId, version: v, action }) => {
      if (action.kind === 'refund_duplicate' && !ctx.permissions.has('refund:request'))
        throw new DomainError('FORBIDDEN', `没有权限：${PERMISSION_LABELS['refund:request']}。请联系管理员开通。`);
      if (action.kind === 'adjust')
        return ctx.app.reconOffline.act(actorOf(ctx), diffId, { kind: 'adjust', account: action.account, amountFen: action.direction === 'decrease' ? -action.amount : action.amount, reason: action.reason }, v);
      return ctx.app.reconOffline.act(actorOf(ctx), diffId, action, v);
    },
  }),

  /** Connected desktop: online or 离线 (working from the local cache), this person's queued edits and conflicts. */
  'recon.getOfflineStatus': channel({
    access: 'recon:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.reconOffline.status(actorOf(ctx)),
  }),

  /** This person's edits made offline: waiting to be sent, or in conflict with both versions. */
  'recon.listOfflineEdits': channel({
    access: 'recon:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.reconOffline.edits(actorOf(ctx)),
  }),

  /** A conflict settled by its author: 保留我的修改 (sent on top of the current version) or 采用对方的版本 (dropped). */
  'recon.resolveOfflineEdit': channel({
    access: 'recon:resolve',
    input: z.strictObject({ editId: id('离线修改编号'), choice: z.enum(['mine', 'theirs'], '请选择保留我的修改或采用对方的版本') }),
    handler: (ctx, i) => ctx.app.reconOffline.resolve(actorOf(ctx), i.editId, i.choice),
  }),

  /** 立即同步: try the central store now; when it answers, send the queued edits and refresh the cache. */
  'recon.syncOffline': channel({
    access: 'recon:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.reconOffline.sync(actorOf(ctx)),
  }),

  /** "Select all matching the filter": the count and amount the accountant confirms, and the change mark a bulk action checks. */
  'recon.selectDiffs': channel({
    access: 'recon:resolve',
    input: z.strictObject(diffFilter),
    handler: (ctx, f) => ctx.app.reconOffline.requireOnline('批量选择差异', () => ctx.app.reconDiffs.select({ ...f, search: f.search || undefined })),
  }),

  /**
   * A bulk action on ticked rows or on all rows matching a filter, in one transaction. A selection
   * that changed meanwhile: `abort` (the default) changes nothing and names the rows; `skip` applies
   * to the others.
   */
  'recon.bulkDiffs': channel({
    access: 'recon:resolve',
    input: z.strictObject({
      selection: z.union(
        [
          z.strictObject({ ids: z.array(z.strictObject({ id: id('差异编号'), version: z.number().int().min(1) }), '请选择差异').min(1, '请先选择要处理的差异').max(MAX_TICKED, `勾选的差异不能超过 ${MAX_TICKED} 条，请改用「选择全部符合条件的差异」`) }),
          z.strictObject({ filter: z.strictObject(diffFilter), count: z.number().int().min(1, '没有符合筛选条件的差异').max(MAX_BULK, `一次最多批量处理 ${MAX_BULK} 条差异`), seq: z.number().int().min(0) }),
        ],
        { error: '批量处理的范围不正确' },
      ),
      action: z.discriminatedUnion(
        'kind',
        [
          z.strictObject({ kind: z.literal('assign'), assigneeId: id('处理人').nullable() }),
          z.strictObject({ kind: z.literal('status'), status: z.enum(DIFF_STATUSES, '处理状态不正确'), reason: text(512).optional() }),
          z.strictObject({ kind: z.literal('note'), body: requiredText(1000) }),
          z.strictObject({ kind: z.literal('keep_local'), reason: requiredText(256) }),
        ],
        { error: '批量处理动作不正确' },
      ),
      onConflict: z.enum(['abort', 'skip'], '冲突处理方式不正确').default('abort'),
    }),
    handler: (ctx, i) => {
      const selection = 'ids' in i.selection ? i.selection : { ...i.selection, filter: { ...i.selection.filter, search: i.selection.filter.search || undefined } };
      return ctx.app.reconOffline.requireOnline('批量处理差异', () => ctx.app.reconDiffs.bulk(actorOf(ctx), selection, i.action, i.onConflict));
    },
  }),

  /** Who differences can be assigned to (users whose role may resolve them). */
  'recon.listAssignees': channel({
    access: 'recon:resolve',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.reconDiffs.assignees(),
  }),

  /** 对账报表 of a day, week or month: figures, differences by type and day, the largest differences (the printable report). */
  'recon.getReport': channel({
    access: 'recon:view',
    input: report,
    handler: (ctx, i) => ctx.app.reconReports.report(actorOf(ctx), i),
  }),

  /** The same report as an Excel workbook (every difference in 差异明细), as base64 bytes with its file name: both hosts carry JSON. */
  'recon.exportReport': channel({
    access: 'recon:view',
    input: report,
    handler: async (ctx, i) => {
      const file = await ctx.app.reconReports.exportExcel(actorOf(ctx), i);
      return { fileName: file.fileName, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: file.bytes.toString('base64'), size: file.bytes.length, differences: file.differences };
    },
  }),
};
