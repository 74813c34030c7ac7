import type { ChannelInput, ChannelOutput } from '../../../src-main/api/contract';

export type LogEntry = ChannelOutput<'logs.query'>['items'][number];
export type LogLevel = NonNullable<ChannelInput<'logs.query'>['levels']>[number];
export type LogCategory = NonNullable<ChannelInput<'logs.query'>['categories']>[number];
export type AlertRecord = ChannelOutput<'alerts.list'>['items'][number];
export type OutboxRecord = ChannelOutput<'notifications.list'>['items'][number];
export type OutboxStatus = OutboxRecord['status'];
export type OutboxChannel = OutboxRecord['channel'];

/** The words of 系统日志, 告警 and 通知记录 (the main process keeps the same codes in services/logs and core/*). */
export const LOG_LEVEL_LABELS: Record<LogLevel, string> = { debug: '调试', info: '信息', warn: '警告', error: '错误' };
export const LOG_LEVEL_COLORS: Record<LogLevel, string> = { debug: 'default', info: 'blue', warn: 'warning', error: 'error' };
export const LOG_CATEGORY_LABELS: Record<LogCategory, string> = {
  operation: '操作日志',
  payment: '支付日志',
  notification: '消息通知',
  alert: '告警',
  system: '系统',
  error: '错误日志',
};

export const ALERT_KIND_LABELS: Record<string, string> = { notify_rejection_rate: '回调通知拒绝率过高', gateway_error_rate: '支付接口错误率过高' };
export const ALERT_LEVEL_LABELS: Record<AlertRecord['level'], string> = { warn: '警告', error: '严重' };

export const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = { pending: '待发送', sent: '已发送', failed: '发送失败' };
export const OUTBOX_STATUS_COLORS: Record<OutboxStatus, string> = { pending: 'processing', sent: 'success', failed: 'error' };
export const OUTBOX_CHANNEL_LABELS: Record<OutboxChannel, string> = { sms: '短信', wechat_template: '微信模板消息', email: '电子邮件' };

export const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };
