import { z } from 'zod';
import { VOUCHER_KINDS } from '../db/repositories/voucher-repository';
import { channel } from './channel';
import { instant, text } from './schemas';

const voucherNo = z
  .string()
  .trim()
  .regex(/^FK\d{4}-\d{6,}$/, '凭证号格式不正确（例如 FK2026-000123）');

/** 付款凭证: print data (payee account masked, 大写金额, approvals) and the register of vouchers. */
export const vouchersChannels = {
  'vouchers.get': channel({
    access: 'voucher:view',
    input: z.strictObject({ voucherNo }),
    handler: (ctx, i) => ctx.app.vouchers.get(i.voucherNo),
  }),

  'vouchers.list': channel({
    access: 'voucher:view',
    input: z.strictObject({
      kind: z.enum(VOUCHER_KINDS, '凭证类型不正确').optional(),
      voucherNo: text(20).optional(),
      subjectId: text(40).optional(),
      from: instant.optional(),
      to: instant.optional(),
      page: z.number().int().min(1).max(1_000_000).default(1),
      pageSize: z.number().int().min(1).max(200).default(20),
    }),
    handler: (ctx, { page, pageSize, ...f }) => ctx.app.vouchers.list({ ...f, voucherNo: f.voucherNo || undefined, subjectId: f.subjectId || undefined }, page, pageSize),
  }),
};
