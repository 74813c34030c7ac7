/**
 * Chart axes need round, short numbers; the exact figures are in the tooltips and cards, which use
 * formatFen. Plotting is the only place fen become (approximate) yuan floats.
 */
export const fenToPlotYuan = (fen: number): number => fen / 100;

const trim = (n: number) => Number(n.toFixed(2)).toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** Axis labels the way Chinese finance reports write them: ¥800, ¥1.5万, ¥2亿. */
export function yuanAxisLabel(yuan: number): string {
  const abs = Math.abs(yuan);
  if (abs >= 1e8) return `¥${trim(yuan / 1e8)}亿`;
  if (abs >= 1e4) return `¥${trim(yuan / 1e4)}万`;
  return `¥${trim(yuan)}`;
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The weekday of a Shanghai calendar day ("2026-03-14" → "周六"); the date is read as a plain date. */
export function weekday(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay()] ?? '';
}

/** "2026-03-14" → "03-14 周六" (or "03-14" where space is short). */
export const dayLabel = (date: string, withWeekday = true): string => (withWeekday ? `${date.slice(5)} ${weekday(date)}` : date.slice(5));
