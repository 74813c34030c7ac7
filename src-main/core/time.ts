/**
 * Instants are stored as UTC epoch milliseconds. Business days and everything an accountant reads
 * are in Asia/Shanghai (UTC+8, no daylight saving since 1991), whatever the machine's zone: CI runs
 * in UTC and a laptop may travel. A fixed offset keeps this pure and fast.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

interface Parts {
  y: string;
  M: string;
  d: string;
  H: string;
  m: string;
  s: string;
}

function shanghaiParts(epochMs: number): Parts {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    y: p(d.getUTCFullYear(), 4),
    M: p(d.getUTCMonth() + 1),
    d: p(d.getUTCDate()),
    H: p(d.getUTCHours()),
    m: p(d.getUTCMinutes()),
    s: p(d.getUTCSeconds()),
  };
}

/** 2024-01-01 10:05:00 (Asia/Shanghai). */
export function formatShanghai(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  return `${p.y}-${p.M}-${p.d} ${p.H}:${p.m}:${p.s}`;
}

/** 20240101100500: the time stamp inside order numbers. */
export function compactShanghai(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  return `${p.y}${p.M}${p.d}${p.H}${p.m}${p.s}`;
}

/** ISO-8601 with the +08:00 offset, for REST payloads. */
export function isoShanghai(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  return `${p.y}-${p.M}-${p.d}T${p.H}:${p.m}:${p.s}+08:00`;
}

/** The Asia/Shanghai business date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(epochMs: number): string {
  const p = shanghaiParts(epochMs);
  return `${p.y}-${p.M}-${p.d}`;
}

/** Start of a Shanghai business day (YYYY-MM-DD) as a UTC instant. */
export function shanghaiDayStart(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - SHANGHAI_OFFSET_MS;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
