import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSink, Logger } from '../../../src-main/services/logs/logger';
import { RotatingFile } from '../../../src-main/services/logs/rotating-file';
import { TestClock } from '../../support/test-clock';

describe('rotating log file', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'pay-log-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('rotates by size, keeps at most maxFiles files, and never splits a line', () => {
    const d = dir();
    const f = new RotatingFile(join(d, 'x.log'), { maxBytes: 100, maxFiles: 3 });
    for (let i = 0; i < 50; i++) f.writeLine(`line ${String(i).padStart(3, '0')} ${'.'.repeat(20)}`);
    f.close();
    expect(readdirSync(d).sort()).toEqual(['x.log', 'x.log.1', 'x.log.2']);
    for (const name of readdirSync(d)) {
      expect(statSync(join(d, name)).size).toBeLessThanOrEqual(100);
      for (const line of readFileSync(join(d, name), 'utf8').trimEnd().split('\n')) expect(line).toMatch(/^line \d{3} \.{20}$/);
    }
    // The newest lines are in the live file, the oldest kept ones in the highest number.
    expect(readFileSync(join(d, 'x.log'), 'utf8')).toContain('line 049');
    expect(readFileSync(join(d, 'x.log.2'), 'utf8')).not.toContain('line 049');
  });

  it('appends to an existing file after a restart and counts its size', () => {
    const d = dir();
    const path = join(d, 'x.log');
    const a = new RotatingFile(path, { maxBytes: 30, maxFiles: 2 });
    a.writeLine('0123456789');
    a.close();
    const b = new RotatingFile(path, { maxBytes: 30, maxFiles: 2 });
    b.writeLine('abcdefghij');
    b.writeLine('ABCDEFGHIJ'); // 33 bytes would pass the limit: rotates first
    b.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('0123456789\nabcdefghij\n');
    expect(readFileSync(path, 'utf8')).toBe('ABCDEFGHIJ\n');
  });

  it('a line longer than the limit gets a file of its own', () => {
    const d = dir();
    const f = new RotatingFile(join(d, 'x.log'), { maxBytes: 10, maxFiles: 2 });
    f.writeLine('short');
    f.writeLine('x'.repeat(50));
    f.close();
    expect(readFileSync(join(d, 'x.log'), 'utf8')).toBe(`${'x'.repeat(50)}\n`);
  });

  it('the logger writes redacted JSON lines to it', () => {
    const d = dir();
    const file = new RotatingFile(join(d, 'pay.log'));
    const logger = new Logger(new TestClock(), [fileSink(file)]);
    logger.error('payment', 'gateway.error', '调用失败 card 6222021234567890', { orderNo: 'P20261126100000123456', fields: { privateKey: 'k', phone: '13812345678' } });
    file.close();
    const line = JSON.parse(readFileSync(join(d, 'pay.log'), 'utf8')) as Record<string, unknown>;
    expect(line).toEqual({
      at: '2026-11-26T02:00:00.000Z',
      level: 'error',
      category: 'payment',
      event: 'gateway.error',
      message: '调用失败 card 622202******7890',
      orderNo: 'P20261126100000123456',
      fields: { privateKey: '[已隐藏]', phone: '138****5678' },
    });
  });
});
