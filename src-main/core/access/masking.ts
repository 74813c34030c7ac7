/**
 * Sensitive fields are masked by default (design document 5.3.2, issue 5): bank cards keep their
 * first 6 and last 4 digits (the bank and the card can be recognised, the number cannot be used),
 * phone numbers 3 + 4, ID numbers the first 3 and last 4. Unmasking needs `sensitive:unmask` and is
 * audited by the service that returns the full value.
 */
export const SENSITIVE_KINDS = ['bank_account', 'phone', 'id_number', 'payee_account'] as const;
export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];
export const SENSITIVE_KIND_LABELS: Record<SensitiveKind, string> = {
  bank_account: '银行账号',
  phone: '手机号',
  id_number: '证件号',
  payee_account: '收款账号',
};

const STAR = '*';

function keep(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return chars.length <= 2 ? STAR.repeat(chars.length) : chars[0] + STAR.repeat(chars.length - 1);
  return chars.slice(0, head).join('') + STAR.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** 6222 0212 3456 7890 → 622202******7890 (spaces dropped, first 6 / last 4). */
export function maskBankAccount(account: string): string {
  return keep(account.replace(/\s+/g, ''), 6, 4);
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  return keep(phone.replace(/[\s-]+/g, ''), 3, 4);
}

/** 110101199003071234 → 110***********1234. */
export function maskIdNumber(id: string): string {
  return keep(id.replace(/\s+/g, ''), 3, 4);
}

/**
 * A WeChat openid or an Alipay login (e-mail or phone) as a payee: e-mails keep the first character
 * of the name and the domain, phones 3 + 4, anything else first 3 / last 4.
 */
export function maskPayeeAccount(account: string): string {
  const at = account.indexOf('@');
  if (at > 0) return keep(account.slice(0, at), 1, 0) + account.slice(at);
  if (/^1\d{10}$/.test(account)) return maskPhone(account);
  return keep(account, 3, 4);
}

export function maskSensitive(kind: SensitiveKind, value: string): string {
  switch (kind) {
    case 'bank_account':
      return maskBankAccount(value);
    case 'phone':
      return maskPhone(value);
    case 'id_number':
      return maskIdNumber(value);
    case 'payee_account':
      return maskPayeeAccount(value);
  }
}

/**
 * The sensitive fields stored today, by the entity they belong to (the audit entity type, so a
 * reveal shows up in that record's history): field → kind and label. `sensitive.reveal` accepts
 * exactly these; a new sensitive column is added here and given a resolver in the sensitive service.
 */
export const SENSITIVE_FIELDS = {
  meal_bill: { invoicePhone: { kind: 'phone', label: '发票收件人电话' } },
  supplier: {
    accountNo: { kind: 'bank_account', label: '银行账号' },
    wechatOpenId: { kind: 'payee_account', label: '微信 OpenID' },
    alipayLogin: { kind: 'payee_account', label: '支付宝账号' },
    contactPhone: { kind: 'phone', label: '联系电话' },
  },
  employee: {
    account: { kind: 'payee_account', label: '员工收款账号' },
    phone: { kind: 'phone', label: '员工手机号' },
  },
} as const satisfies Record<string, Record<string, { kind: SensitiveKind; label: string }>>;
export type SensitiveEntityType = keyof typeof SENSITIVE_FIELDS;
export const SENSITIVE_ENTITY_TYPES = Object.keys(SENSITIVE_FIELDS) as SensitiveEntityType[];

/** Field code → label, for the audit log ("查看完整敏感信息 · 发票收件人电话"). */
export const SENSITIVE_FIELD_LABELS: Record<string, string> = Object.fromEntries(
  Object.values(SENSITIVE_FIELDS).flatMap((fields) => Object.entries(fields).map(([field, spec]) => [field, spec.label])),
);

export function sensitiveFieldSpec(entityType: string, field: string): { kind: SensitiveKind; label: string } | null {
  if (!Object.hasOwn(SENSITIVE_FIELDS, entityType)) return null;
  const fields = SENSITIVE_FIELDS[entityType as SensitiveEntityType] as Record<string, { kind: SensitiveKind; label: string }>;
  return Object.hasOwn(fields, field) ? fields[field]! : null;
}
