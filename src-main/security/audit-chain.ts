import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalAuditContent, type AuditContent } from '../core/audit/audit-record';

/** HMAC-SHA256 over the canonical entry: without the key nobody can forge a consistent chain. */
export function makeAuditHasher(key: Buffer) {
  return (content: AuditContent): string => createHmac('sha256', key).update(canonicalAuditContent(content)).digest('hex');
}

/**
 * The audit key: `PAY_AUDIT_KEY` (hex, shared by every instance writing one central database), or a
 * random key kept in a file beside the embedded database, created on first run, readable only by us.
 */
export function loadAuditKey(opts: { envKey?: string; keyFile: string }): Buffer {
  if (opts.envKey) {
    const key = Buffer.from(opts.envKey, 'hex');
    if (key.length < 32) throw new Error('PAY_AUDIT_KEY 必须是至少 64 位十六进制字符');
    return key;
  }
  if (existsSync(opts.keyFile)) return Buffer.from(readFileSync(opts.keyFile, 'utf8').trim(), 'hex');
  mkdirSync(dirname(opts.keyFile), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(opts.keyFile, key.toString('hex'), { mode: 0o600 });
  return key;
}
