/**
 * Deposit ratios cross the boundary as integer basis points (1 bp = 0.01%), like money in fen, so
 * the conversion from what the administrator types is done on the digits, never with a float
 * (12.35 × 100 is 1234.9999999999998 in floating point).
 */

/** 3000 → "30%", 1250 → "12.5%", 1 → "0.01%". */
export function formatRatio(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** 3000 → "30", 1250 → "12.5": the percentage an input holds. */
export function ratioToPercentInput(bp: number): string {
  return formatRatio(bp).slice(0, -1);
}

/** "30" → 3000, "12.35" → 1235, "0" → 0; null unless 0–100 with at most two decimals. */
export function percentToBasisPoints(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}
