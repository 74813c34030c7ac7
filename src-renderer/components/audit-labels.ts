import type { Vocabulary } from '../app/api-types';

/** How the object of an entry is named: settings by their section, users by id (names change). */
export function auditEntityName(type: string, id: string): string {
  if (type === 'settings') return id === 'order' ? '订单规则' : id === 'deposit' ? '定金比例' : id;
  if (type === 'user') return `#${id}`;
  return id;
}

/** Words for audit codes come from the core (meta.vocabulary); an unknown code is shown as it is. */
export const auditActionLabel = (v: Vocabulary, action: string): string => v.auditActions[action] ?? action;
export const auditEntityLabel = (v: Vocabulary, type: string): string => v.auditEntities[type] ?? type;
export const auditFieldLabel = (v: Vocabulary, field: string): string => v.auditFields[field] ?? field;
