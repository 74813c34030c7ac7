/**
 * Messages to customers, suppliers and staff (issue 4): channels, the outbox's states and the
 * templates by code. A template's parameters are plain strings, already formatted for reading
 * (amounts in yuan, times in Asia/Shanghai), so every provider sends the same words.
 */
import { BATCH_NOTIFICATION_TEMPLATES } from '../batches/batch-vocabulary';

export const OUTBOX_CHANNELS = ['sms', 'wechat_template', 'email'] as const;
export type OutboxChannelCode = (typeof OUTBOX_CHANNELS)[number];
export const OUTBOX_CHANNEL_LABELS: Record<OutboxChannelCode, string> = { sms: '短信', wechat_template: '微信模板消息', email: '电子邮件' };

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatusCode = (typeof OUTBOX_STATUSES)[number];
export const OUTBOX_STATUS_LABELS: Record<OutboxStatusCode, string> = { pending: '待发送', sent: '已发送', failed: '发送失败' };

interface Template {
  label: string;
  render(p: Readonly<Record<string, string>>): string;
}

export const NOTIFICATION_TEMPLATES: Record<string, Template> = {
  payment_success: {
    label: '支付成功',
    render: (p) => `您的订单 ${p.orderNo ?? ''} 已支付成功，金额 ${p.amount ?? ''} 元，支付时间 ${p.paidAt ?? ''}。`,
  },
  refund_success: {
    label: '退款成功',
    render: (p) => `您的订单 ${p.orderNo ?? ''} 退款 ${p.amount ?? ''} 元已成功（退款单号 ${p.refundNo ?? ''}），${p.arrival ?? ''}。`,
  },
  supplier_payment_success: {
    label: '供应商付款通知',
    render: (p) => `${p.supplier ?? ''}：付款单 ${p.paymentNo ?? ''} 已于 ${p.paidAt ?? ''} 通过${p.channel ?? ''}付款 ${p.amount ?? ''} 元至账户 ${p.account ?? ''}，请查收。`,
  },
  salary_payslip: {
    label: '工资条',
    render: (p) =>
      `${p.name ?? ''}，您 ${p.month ?? ''} 的工资已于 ${p.paidAt ?? ''} 通过${p.channel ?? ''}发放至 ${p.account ?? ''}：应发 ${p.gross ?? ''} 元（基本工资 ${p.base ?? ''}，工作量 ${p.workload ?? ''}，津贴 ${p.allowance ?? ''}），扣款 ${p.deduction ?? ''} 元，实发 ${p.net ?? ''} 元。`,
  },
  ...BATCH_NOTIFICATION_TEMPLATES,
  meal_bill_reminder: {
    label: '餐费账单提醒',
    render: (p) => `您有一笔餐费账单 ${p.billNo ?? ''} 待支付，金额 ${p.amount ?? ''} 元，请于 ${p.dueAt ?? ''} 前完成支付。`,
  },
};

export const templateLabel = (code: string) => NOTIFICATION_TEMPLATES[code]?.label ?? code;
export const renderTemplate = (code: string, params: Readonly<Record<string, string>>) => NOTIFICATION_TEMPLATES[code]?.render(params) ?? `${code} ${JSON.stringify(params)}`;

/** A recipient as shown on screen: phones 3+4, e-mail first letter and domain, other ids first 2 and last 2. */
export function maskRecipient(r: string): string {
  if (/^\+?\d{11,13}$/.test(r)) return `${r.slice(0, -8).slice(-3)}****${r.slice(-4)}`;
  const at = r.indexOf('@');
  if (at > 0) return `${r[0]}***${r.slice(at)}`;
  if (r.length <= 4) return `${r[0] ?? ''}***`;
  return `${r.slice(0, 2)}***${r.slice(-2)}`;
}
