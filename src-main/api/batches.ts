import { z } from 'zod';
import { MAX_RATE_PER_SECOND, MIN_RATE_PER_SECOND } from '../core/batches/batch-policy';
import { BATCH_STATUSES, BATCH_TYPES, ITEM_STATUSES, MAX_BATCH_ITEMS } from '../core/batches/batch-state';
import { PAYEE_CHANNELS } from '../core/suppliers/supplier-payment';
import { MAX_FILE_BYTES } from '../services/batches/batch-files';
import { actorOf, channel } from './channel';
import { businessNo, instant, requiredText, text } from './schemas';

const batchNo = businessNo('B', '批量任务号');
const itemId = z.number('明细编号必须是数字').int('明细编号不正确').min(1, '明细编号不正确');
const version = z.number().int().min(1);
const batchType = z.enum(BATCH_TYPES, '批量类型应为 salary（员工薪资）或 supplier（供应商付款）');
const payeeChannel = z.enum(PAYEE_CHANNELS, '收款方式必须是 银行转账/微信转账/支付宝转账 之一');
const page = {
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
};
const header = { batchType, title: requiredText(128), description: text(512).optional() };
const MAX_FILE_BASE64 = Math.ceil(MAX_FILE_BYTES / 3) * 4;

/**
 * A line as typed: cells are checked by the domain (core/batches/batch-lines.ts) so that every
 * problem comes back listed by row instead of the first one refusing the whole call.
 */
const line = z.strictObject({
  payeeName: z.string().max(256).default(''),
  channel: z.string().max(32).default(''),
  account: z.string().max(256).default(''),
  bankName: z.string().max(256).optional(),
  amount: z.union([z.string().max(32), z.number()]).optional(),
  remark: z.string().max(256).optional(),
  contactPhone: z.string().max(32).optional(),
});

/**
 * 批量付款 channels (issue 7, design document 4.5): batches and their items, import and template,
 * approval (through the 审批中心 for the decisions), pause / resume / cancel, the failure list
 * (fix the payee, re-send through approval), live progress and the result report.
 */
export const batchesChannels = {
  'batches.list': channel({
    access: 'batch:view',
    input: z.strictObject({
      statuses: z.array(z.enum(BATCH_STATUSES, '批量任务状态不正确')).max(BATCH_STATUSES.length).optional(),
      batchType: batchType.optional(),
      keyword: text(64).optional(),
      createdFrom: instant.optional(),
      createdTo: instant.optional(),
      ...page,
    }),
    handler: (ctx, { page: p, pageSize, batchType: t, ...f }) => ctx.app.batches.list({ ...f, type: t, keyword: f.keyword || undefined }, p, pageSize),
  }),

  'batches.get': channel({
    access: 'batch:view',
    input: z.strictObject({ batchNo }),
    handler: (ctx, i) => ctx.app.batches.get(i.batchNo),
  }),

  /** 执行进度: counts and amounts per result (poll it while the batch runs). */
  'batches.progress': channel({
    access: 'batch:view',
    input: z.strictObject({ batchNo }),
    handler: (ctx, i) => ctx.app.batches.progress(i.batchNo),
  }),

  /** The items of a batch; `statuses: ['failed', 'resend_approval']` is the failure list. */
  'batches.items': channel({
    access: 'batch:view',
    input: z.strictObject({
      batchNo,
      statuses: z.array(z.enum(ITEM_STATUSES, '明细状态不正确')).max(ITEM_STATUSES.length).optional(),
      channel: payeeChannel.optional(),
      keyword: text(64).optional(),
      ...page,
    }),
    handler: (ctx, { batchNo: no, page: p, pageSize, ...f }) => ctx.app.batches.items(no, { ...f, keyword: f.keyword || undefined }, p, pageSize),
  }),

  /** One item with its history (sends, answers, fixes) and its re-send approvals. */
  'batches.item': channel({
    access: 'batch:view',
    input: z.strictObject({ itemId }),
    handler: (ctx, i) => ctx.app.batches.item(i.itemId),
  }),

  /** 下载导入模板 (.xlsx, base64). */
  'batches.template': channel({
    access: 'batch:create',
    input: z.strictObject({}),
    handler: async (ctx) => {
      const t = await ctx.app.batches.template();
      return { fileName: t.fileName, content: t.content.toString('base64') };
    },
  }),

  /** 导入 an .xlsx / .csv (base64): every row checked; `preview` checks only; duplicates need `confirmDuplicates`. */
  'batches.importFile': channel({
    access: 'batch:create',
    input: z.strictObject({
      ...header,
      fileName: requiredText(256),
      content: z.base64('文件内容不是有效的 base64').min(1, '文件为空').max(MAX_FILE_BASE64, '文件不能超过 20 MB'),
      confirmDuplicates: z.boolean().default(false),
      preview: z.boolean().default(false),
    }),
    handler: (ctx, i) =>
      ctx.app.batches.importFile(actorOf(ctx), {
        type: i.batchType, title: i.title, description: i.description, fileName: i.fileName, bytes: Buffer.from(i.content, 'base64'), confirmDuplicates: i.confirmDuplicates, preview: i.preview,
      }),
  }),

  /** 新建 from typed lines (amounts in yuan as typed); answered like an import. */
  'batches.create': channel({
    access: 'batch:create',
    input: z.strictObject({
      ...header,
      lines: z.array(line).min(1, '请至少填写一笔收款明细').max(MAX_BATCH_ITEMS, `一个批量任务最多 ${MAX_BATCH_ITEMS} 笔`),
      confirmDuplicates: z.boolean().default(false),
    }),
    handler: (ctx, i) => ctx.app.batches.create(actorOf(ctx), { type: i.batchType, title: i.title, description: i.description, lines: i.lines, confirmDuplicates: i.confirmDuplicates }),
  }),

  'batches.submit': channel({
    access: 'batch:create',
    input: z.strictObject({ batchNo, version: version.optional() }),
    handler: (ctx, i) => ctx.app.batches.submit(actorOf(ctx), i.batchNo, i.version),
  }),

  'batches.withdraw': channel({
    access: 'batch:create',
    input: z.strictObject({ batchNo, reason: text(256).optional() }),
    handler: (ctx, i) => ctx.app.batches.withdraw(actorOf(ctx), i.batchNo, i.reason || undefined),
  }),

  'batches.pause': channel({
    access: 'batch:execute',
    input: z.strictObject({ batchNo, version: version.optional() }),
    handler: (ctx, i) => ctx.app.batches.pause(actorOf(ctx), i.batchNo, i.version),
  }),

  'batches.resume': channel({
    access: 'batch:execute',
    input: z.strictObject({ batchNo, version: version.optional() }),
    handler: (ctx, i) => ctx.app.batches.resume(actorOf(ctx), i.batchNo, i.version),
  }),

  /** 取消剩余: items not sent yet are cancelled; transfers already under way finish. */
  'batches.cancel': channel({
    access: 'batch:execute',
    input: z.strictObject({ batchNo, version: version.optional(), reason: text(256).optional() }),
    handler: (ctx, i) => ctx.app.batches.cancel(actorOf(ctx), i.batchNo, i.version, i.reason || undefined),
  }),

  /** 修改收款信息 of a failed item (full account typed again; it is shown masked everywhere). */
  'batches.fixItem': channel({
    access: 'batch:create',
    input: z.strictObject({ itemId, version, payeeName: z.string().max(256), channel: payeeChannel, account: z.string().max(256), bankName: z.string().max(256).optional() }),
    handler: (ctx, { itemId: id, version: v, ...fix }) => ctx.app.batches.fixItem(actorOf(ctx), id, v, fix),
  }),

  /** 重新发送 a failed item: a new approval of that item; sent under a new request id once approved. */
  'batches.resendItem': channel({
    access: 'batch:create',
    input: z.strictObject({ itemId, version: version.optional() }),
    handler: (ctx, i) => ctx.app.batches.resendItem(actorOf(ctx), i.itemId, i.version),
  }),

  /** 查询结果: asks the platform about one item in flight now. */
  'batches.refreshItem': channel({
    access: 'batch:execute',
    input: z.strictObject({ itemId }),
    handler: (ctx, i) => ctx.app.batches.refreshItem(i.itemId),
  }),

  /** 结果报表 (.xlsx, base64). */
  'batches.reportXlsx': channel({
    access: 'batch:view',
    input: z.strictObject({ batchNo }),
    handler: async (ctx, i) => {
      const r = await ctx.app.batches.report(i.batchNo);
      return { fileName: r.fileName, content: r.content.toString('base64') };
    },
  }),

  'batches.settings': channel({
    access: 'batch:view',
    input: z.strictObject({}),
    handler: (ctx) => ctx.app.batches.settings(),
  }),

  /** 发送速率, failure recipients, WeChat confirmation window. */
  'batches.updateSettings': channel({
    access: 'settings:manage',
    input: z.strictObject({
      ratePerSecond: z.number('发送速率必须是数字').min(MIN_RATE_PER_SECOND, `发送速率不能低于每秒 ${MIN_RATE_PER_SECOND} 笔`).max(MAX_RATE_PER_SECOND, `发送速率不能超过每秒 ${MAX_RATE_PER_SECOND} 笔`),
      financeRecipients: z.array(text(128)).max(10, '失败通知接收人最多 10 个').default([]),
      confirmWindowHours: z.number().int('确认时限必须是整数小时').min(1, '确认时限至少 1 小时').max(72, '确认时限不能超过 72 小时'),
      version: version.nullable(),
    }),
    handler: (ctx, { version: v, ...s }) => ctx.app.batches.updateSettings(actorOf(ctx), s, v),
  }),
};
