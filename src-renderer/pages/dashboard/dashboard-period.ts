import type { DayRange } from '../../components/DateRangeFilter';
import { shanghaiDayRange, shanghaiDayStart, shanghaiToday } from '../../components/time-format';

const DAY_MS = 86_400_000;

export type PresetKey = 'today' | 'week' | 'month' | 'last30';

export const PRESET_LABELS: Record<PresetKey, string> = { today: '今天', week: '本周', month: '本月', last30: '近30天' };

/** Days since Monday (0 = Monday) of a Shanghai date: a Chinese week starts on Monday. */
function weekdayFromMonday(date: string): number {
  const start = shanghaiDayStart(date) ?? 0;
  // Shanghai midnight + 8 h is that date's UTC midnight, whose UTC weekday is the date's weekday.
  return (new Date(start + 8 * 3_600_000).getUTCDay() + 6) % 7;
}

/** The quick periods, in Shanghai days, up to and including today. */
export function presetRange(key: PresetKey): DayRange {
  const today = shanghaiToday();
  if (key === 'today') return { from: today, to: today };
  if (key === 'week') return { from: shanghaiToday(-weekdayFromMonday(today)), to: today };
  if (key === 'month') return { from: `${today.slice(0, 8)}01`, to: today };
  return { from: shanghaiToday(-29), to: today };
}

export function matchingPreset(range: DayRange): PresetKey | undefined {
  return (Object.keys(PRESET_LABELS) as PresetKey[]).find((k) => {
    const p = presetRange(k);
    return p.from === range.from && p.to === range.to;
  });
}

export interface Instants {
  from: number;
  to: number;
}

/** The period as instants [from, to), and the period of the same length just before it (上期, for 环比). */
export function periodInstants(range: DayRange): { current: Instants; previous: Instants; days: number } | null {
  const r = shanghaiDayRange(range.from, range.to);
  if (!r || r.end <= r.start) return null;
  const length = r.end - r.start;
  return { current: { from: r.start, to: r.end }, previous: { from: r.start - length, to: r.start }, days: Math.round(length / DAY_MS) };
}
