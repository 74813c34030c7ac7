import { z } from 'zod';

import { parseYuan } from '../core/money';
import { isDomainError } from '../core/errors';

// Every validation message the user can see is Chinese.
z.config(z.locales.zhCN());

/** Free text typed by staff: trimmed, bounded, no control characters (they break exports and logs). */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `不能超过 ${max} 个字符`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), '不能包含控制字符');

export const requiredText = (max: number) => text(max).pipe(z.string().min(1, '不能为空'));

/**
 * An amount in yuan as typed ("100", "100.5", "100.50") becomes integer fen here, at the edge.
 * The configured per-order limit is checked again by the service, which knows the settings.
 */
export const yuanAmount = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseYuan(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: isDomainError(e) ? e.message : '金额格式不正确' });
    return z.NEVER;
  }
});

export const businessNo = (letter: 'P' | 'T' | 'R' | 'B' | 'K' | 'M', label: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^${letter}\\d{20}$`), `${label}格式不正确（应为 ${letter} 加 20 位数字）`);

export const orderNo = businessNo('P', '订单号');
export const transactionNo = businessNo('T', '交易号');
export const bookingNo = businessNo('K', '预定号');
export const billNo = businessNo('M', '账单号');

export const instant = z.number().int().min(0).max(8_640_000_000_000_000);

export const pageFields = <S extends readonly [string, ...string[]]>(sortFields: S) => ({
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
  sortBy: z.enum(sortFields).default(sortFields[0]),
  sortOrder: z.enum(['asc', 'desc']).default('desc'),
});

/** Field names the user knows, for messages like "金额：金额必须大于 0". */
export const FIELD_LABELS: Record<string, string> = {
  amount: '金额',
  method: '支付方式',
  methods: '支付方式',
  type: '订单类型',
  types: '订单类型',
  status: '状态',
  statuses: '状态',
  relatedId: '关联ID',
  description: '订单描述',
  payerId: '付款人',
  orderNo: '订单号',
  transactionNo: '交易号',
  reason: '取消原因',
  username: '用户名',
  displayName: '姓名',
  password: '密码',
  currentPassword: '当前密码',
  role: '角色',
  page: '页码',
  pageSize: '每页条数',
  sortBy: '排序字段',
  sortOrder: '排序方向',
  createdFrom: '开始时间',
  createdTo: '结束时间',
  from: '开始时间',
  to: '结束时间',
  expiryMinutes: '支付时限',
  maxOrderAmount: '单笔上限',
  bookingNo: '预定号',
  guestName: '客人姓名',
  serviceType: '服务类型',
  serviceTypes: '服务类型',
  appointmentAt: '预约时间',
  total: '总价',
  note: '备注',
  ratios: '定金比例',
  refundNo: '退款单号',
  order_id: '订单号',
  refund_amount: '退款金额',
  refund_reason: '退款原因',
  refundReason: '退款原因',
  closeReason: '关闭原因',
  tiers: '退款档位',
  minHoursBefore: '提前小时数',
  percent: '退款比例',
  billNo: '账单号',
  stayNo: '住宿号',
  roomNo: '房间号',
  items: '消费明细',
  serviceDate: '消费日期',
  meal: '餐次',
  quantity: '数量',
  unitPrice: '单价',
  kind: '发票类型',
  titleType: '抬头类型',
  title: '发票抬头',
  taxId: '纳税人识别号',
  email: '接收邮箱',
  postalAddress: '邮寄地址',
  recipient: '收件人',
  phone: '电话',
  scope: '范围',
  keyword: '关键字',
  minAmount: '最小金额',
  maxAmount: '最大金额',
  decision: '审批意见',
  text: '评论',
  levels: '审批级别',
  overFen: '金额下限',
  upToFen: '金额上限',
};

export function describeZodError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return '输入不正确';
  const field = [...issue.path].reverse().find((p) => typeof p === 'string' && FIELD_LABELS[p]);
  const label = typeof field === 'string' ? FIELD_LABELS[field] : undefined;
  if (!label) return issue.message;
  return issue.message.startsWith(label) ? issue.message : `${label}：${issue.message}`;
}
