import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotationPolicy {
  /** A file is rotated before a write would take it past this size. */
  maxBytes: number;
  /** Files kept in all, the live one included: `x.log`, `x.log.1` … `x.log.<maxFiles-1>`. */
  maxFiles: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, maxFiles: 10 };

/**
 * An append-only log file with size-based rotation (x.log → x.log.1 → … ; the oldest is deleted),
 * so the disk a workstation or server gives to logs is bounded at maxBytes × maxFiles. Writes are
 * synchronous appends of whole lines: a crash loses no acknowledged line and never leaves half a
 * JSON object, and a line never straddles two files. Nothing here knows what a line means.
 */
export class RotatingFile {
  private fd: number | null = null;
  private size = 0;

  constructor(
    readonly path: string,
    private readonly policy: RotationPolicy = DEFAULT_ROTATION,
  ) {
    if (policy.maxBytes < 1 || policy.maxFiles < 1) throw new RangeError('rotation needs maxBytes ≥ 1 and maxFiles ≥ 1');
    mkdirSync(dirname(path), { recursive: true });
    this.open();
  }

  private open(): void {
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const { maxFiles } = this.policy;
    if (maxFiles === 1) rmSync(this.path, { force: true });
    else {
      rmSync(`${this.path}.${maxFiles - 1}`, { force: true });
      for (let i = maxFiles - 2; i >= 1; i--) if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      if (existsSync(this.path)) renameSync(this.path, `${this.path}.1`);
    }
    this.open();
  }

  /** Appends one line (a newline is added). A line larger than maxBytes gets a file of its own. */
  writeLine(line: string): void {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    if (this.fd === null) this.open();
    if (this.size > 0 && this.size + bytes.length > this.policy.maxBytes) this.rotate();
    writeSync(this.fd!, bytes);
    this.size += bytes.length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
