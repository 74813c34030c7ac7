/**
 * Instants cross the boundary as UTC epoch milliseconds and are always read in Asia/Shanghai
 * (UTC+8, no daylight saving since 1991), whatever zone the workstation is set to: a laptop may
 * travel and CI runs in UTC. A fixed offset keeps this exact and independent of the Intl data.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 2024-01-01 10:05:00 in Asia/Shanghai. */
export function formatTime(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined) return '—';
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  return `${shanghaiDate(epochMs)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** 2024-01-01 10:05 in Asia/Shanghai, for times set to the minute (appointments). */
export function formatMinute(epochMs: number | null | undefined): string {
  return epochMs === null || epochMs === undefined ? '—' : formatTime(epochMs).slice(0, 16);
}

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(epochMs: number): string {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A wall-clock reading in Asia/Shanghai; month is 1–12. */
export interface ShanghaiWallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * The instant at which Shanghai clocks show this reading. A date picker hands over the browser's
 * local wall clock; taking its fields as Shanghai's (and never its own epoch value) keeps "19:30"
 * meaning 19:30 in Shanghai on a workstation in New York.
 */
export function shanghaiInstant(w: ShanghaiWallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - SHANGHAI_OFFSET_MS;
}

/** What Shanghai clocks show at an instant (the inverse of shanghaiInstant, to the minute). */
export function shanghaiWallClock(epochMs: number): ShanghaiWallClock {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** Start of an Asia/Shanghai day (YYYY-MM-DD) as a UTC instant; null for anything else. */
export function shanghaiDayStart(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - SHANGHAI_OFFSET_MS;
}

/** Shanghai day range [from, to] (both inclusive dates) → instants [start, end) for the contract. */
export function shanghaiDayRange(from: string, to: string): { start: number; end: number } | null {
  const start = shanghaiDayStart(from);
  const last = shanghaiDayStart(to);
  if (start === null || last === null) return null;
  return { start, end: last + DAY_MS };
}

/** Today's date in Asia/Shanghai, shifted by `offsetDays`. */
export function shanghaiToday(offsetDays = 0): string {
  return shanghaiDate(Date.now() + offsetDays * DAY_MS);
}

/** "1440" minutes → "24 小时"; for the time-limit settings. */
export function describeMinutes(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes <= 0) return '';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? `${days} 天` : '', hours ? `${hours} 小时` : '', mins ? `${mins} 分钟` : ''].filter(Boolean);
  return parts.join(' ');
}
