import type { Vocabulary } from '../app/api-types';
import { labelOf } from '../app/vocabulary-context';
import { auditFieldLabel } from './audit-labels';
import { formatFen } from './money-format';
import { formatRatio } from './ratio-format';
import { describeMinutes, formatTime } from './time-format';

export interface DiffRow {
  key: string;
  label: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

type Flat = Map<string, unknown>;

function parseSnapshot(json: string | null): Flat | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return new Map([['(原文)', json]]);
  }
  const out: Flat = new Map();
  const walk = (v: unknown, path: string) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, inner] of Object.entries(v as Record<string, unknown>)) walk(inner, path ? `${path}.${k}` : k);
    } else out.set(path, v);
  };
  walk(value, '');
  return out;
}

function fieldLabel(path: string, v: Vocabulary): string {
  const [head = path, sub] = path.split('.');
  const base = auditFieldLabel(v, head);
  // Settings hold one time limit per order type ("支付时限 · 餐费账单") and one deposit ratio per service type.
  if (sub) return `${base} · ${head === 'ratios' ? labelOf(v.serviceTypes, sub) : labelOf(v.orderTypes, sub)}`;
  return base;
}

function formatValue(path: string, value: unknown, entityType: string, v: Vocabulary): string {
  if (value === null || value === undefined || value === '') return '—';
  const field = path.split('.')[0] ?? path;
  if (typeof value === 'number' && field.endsWith('Fen')) return formatFen(value);
  if (typeof value === 'number' && field.endsWith('At')) return formatTime(value);
  // Deposit ratios are basis points: 3000 → 30%.
  if (typeof value === 'number' && (field === 'ratios' || field === 'depositRatioBp')) return formatRatio(value);
  if (typeof value === 'number' && field === 'expiryMinutes') return `${value} 分钟（${describeMinutes(value)}）`;
  if (typeof value === 'boolean') return value ? '是' : '否';
  // 权限矩阵 edits: lists of permission codes, shown by their labels.
  if (Array.isArray(value) && entityType === 'role') return value.length ? value.map((p) => labelOf(v.permissions, String(p))).join('、') : '—';
  if (typeof value === 'string' && field === 'field') return labelOf(v.sensitiveFields, value);
  if (typeof value === 'string') {
    if (field === 'method') return labelOf(v.paymentMethods, value);
    if (field === 'type' && entityType === 'order') return labelOf(v.orderTypes, value);
    if (field === 'status' && entityType === 'order') return labelOf(v.orderStatuses, value);
    if (field === 'status' && entityType === 'booking') return labelOf(v.bookingStatuses, value);
    if (field === 'status' && entityType === 'payout_batch') return labelOf(v.batchStatuses, value);
    if (field === 'status' && entityType === 'payout_batch_item') return labelOf(v.batchItemStatuses, value);
    if (field === 'serviceType') return labelOf(v.serviceTypes, value);
    if (field === 'cancelReason') return labelOf(v.cancelReasons, value);
    if (field === 'role') return labelOf(v.roles, value);
    return value;
  }
  return JSON.stringify(value);
}

/** The before/after snapshots of an audit entry, field by field, in the accountants' words. */
export function diffSnapshots(before: string | null, after: string | null, entityType: string, v: Vocabulary): DiffRow[] {
  const a = parseSnapshot(before);
  const b = parseSnapshot(after);
  const keys = [...new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])])];
  return keys.map((key) => {
    const was = a ? formatValue(key, a.get(key), entityType, v) : null;
    const now = b ? formatValue(key, b.get(key), entityType, v) : null;
    return { key, label: fieldLabel(key, v), before: was, after: now, changed: was !== now };
  });
}
